// Percentiles by selection read the same values a sort would: checked against
// the sorted array on random inputs, with ties, tiny arrays and adversarial
// orders (sorted, reversed, all equal).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { percentile, percentilesInPlace } from "../../src/base/stats.js";

const bySort = (values: number[], ps: number[]) => {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => percentile(sorted, p));
};

test("percentilesInPlace equals the nearest rank of the sorted values, for any values and ranks", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 400 }),
      fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }),
      (values, ranks) => {
        const ps = [...ranks].sort((a, b) => a - b);
        assert.deepEqual(percentilesInPlace(Float64Array.from(values), values.length, ps), bySort(values, ps));
      },
    ),
    { numRuns: 300 },
  );
});

test("percentilesInPlace on orders that defeat a naive pivot, and on part of an array", () => {
  const n = 5000;
  const sorted = Array.from({ length: n }, (_, i) => i);
  for (const values of [sorted, [...sorted].reverse(), Array.from({ length: n }, () => 7), sorted.map((i) => (i % 2 === 0 ? i : n - i))]) {
    assert.deepEqual(percentilesInPlace(Float64Array.from(values), n, [50, 99]), bySort(values, [50, 99]));
  }
  const buffer = Float64Array.from([5, 1, 4, 99, 98]);
  assert.deepEqual(percentilesInPlace(buffer, 3, [50, 99]), [4, 5], "only the first n values count");
  assert.deepEqual(percentilesInPlace(new Float64Array(4), 0, [50]), [NaN]);
});
