// Selection gives exactly the order statistic a sort gives: the quorum
// calculator's latency percentiles use it instead of sorting a million values.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { countAtMostEach, percentilesSelect } from "../../src/base/order.js";
import { percentileSorted, selectKth } from "../../src/quorum/visibility.js";

test("selectKth equals the sorted array's k-th value, with ties and any k", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(0, 7, 7, 1e6)), { minLength: 1, maxLength: 300 }), fc.nat(), (values, kSeed) => {
      const k = kSeed % values.length;
      const sorted = Float64Array.from(values).sort();
      assert.equal(selectKth(Float64Array.from(values), k), sorted[k]);
    }),
    { numRuns: 500 },
  );
});

test("the nearest-rank percentile by selection equals the one of a sorted array", () => {
  const values = Float64Array.from({ length: 1001 }, (_, i) => (i * 7919) % 1009);
  const sorted = Float64Array.from(values).sort();
  for (const perMille of [1, 500, 990, 999, 1000]) {
    const rank = Math.max(1, Math.ceil((values.length * perMille) / 1000));
    assert.equal(selectKth(Float64Array.from(values), rank - 1), percentileSorted(sorted, perMille));
  }
});

const sample = fc.array(fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.constantFrom(0, 0, 5, 5, 1e3)), { minLength: 1, maxLength: 400 });

test("percentilesSelect: each percentile as a sort gives it, the later ones selected in what the earlier left", () => {
  fc.assert(
    fc.property(sample, fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }), (values, perMilles) => {
      const ascending = [...perMilles].sort((x, y) => x - y);
      const sorted = Float64Array.from(values).sort();
      assert.deepEqual(
        percentilesSelect(Float64Array.from(values), ascending),
        ascending.map((p) => percentileSorted(sorted, p)),
      );
    }),
    { numRuns: 300 },
  );
});

test("countAtMostEach equals a binary search in the sorted values, for queries in any order, with ties", () => {
  fc.assert(
    fc.property(sample, fc.array(fc.oneof(fc.double({ min: -1, max: 1.2e3, noNaN: true }), fc.constantFrom(0, 5, 1e3)), { maxLength: 60 }), (values, queries) => {
      const sorted = [...values].sort((x, y) => x - y);
      const expected = queries.map((q) => sorted.filter((v) => v <= q).length);
      assert.deepEqual(countAtMostEach(Float64Array.from(values), queries), expected);
    }),
    { numRuns: 300 },
  );
});
