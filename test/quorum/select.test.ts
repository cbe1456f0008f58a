// Selection gives exactly the order statistic a sort gives: the quorum
// calculator's latency percentiles use it instead of sorting a million values.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
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
