// The closed form C(N−W, R) / C(N, R): exact values for small cases, and the
// properties any staleness probability must have (fast-check).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { analyzeQuorum } from "../../src/quorum/analysis.js";
import { binomial, formatFraction, staleProbability } from "../../src/quorum/staleness.js";
import { LIMITS } from "../../src/model/schema.js";

test("binomial: small values, edges and a large one exactly", () => {
  assert.equal(binomial(5, 2), 10n);
  assert.equal(binomial(5, 0), 1n);
  assert.equal(binomial(5, 5), 1n);
  assert.equal(binomial(3, 4), 0n);
  assert.equal(binomial(0, 0), 1n);
  assert.equal(binomial(64, 32), 1832624140942590534n);
});

test("N=3, R=1, W=1: a read misses the one acknowledging replica 2 times in 3", () => {
  const p = staleProbability(3, 1, 1);
  assert.equal(formatFraction(p), "2/3");
  assert.equal(p.value, 2 / 3);
});

test("exact small cases by enumeration-friendly hand counts", () => {
  // N=5, W=2, R=2: both read replicas among the 3 that missed the write: C(3,2)/C(5,2) = 3/10.
  assert.equal(formatFraction(staleProbability(5, 2, 2)), "3/10");
  // N=5, W=3, R=2: C(2,2)/C(5,2) = 1/10.
  assert.equal(formatFraction(staleProbability(5, 2, 3)), "1/10");
  // N=3, R=1, W=2: C(1,1)/C(3,1) = 1/3.
  assert.equal(formatFraction(staleProbability(3, 1, 2)), "1/3");
  // Strong configurations: exactly zero.
  assert.equal(staleProbability(5, 3, 3).value, 0);
  assert.equal(formatFraction(staleProbability(5, 3, 3)), "0");
  assert.equal(staleProbability(3, 2, 2).value, 0);
});

test("the closed form matches brute-force enumeration of read quorums (N <= 7)", () => {
  for (let n = 1; n <= 7; n++) {
    for (let r = 1; r <= n; r++) {
      for (let w = 1; w <= n; w++) {
        // The write quorum is replicas 0..w-1; count the r-subsets avoiding it.
        let missing = 0;
        let all = 0;
        for (let mask = 0; mask < 1 << n; mask++) {
          let bits = 0;
          for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
          if (bits !== r) continue;
          all++;
          if ((mask & ((1 << w) - 1)) === 0) missing++;
        }
        assert.equal(staleProbability(n, r, w).value, missing / all, `N=${n} R=${r} W=${w}`);
      }
    }
  }
});

const config = fc.integer({ min: 1, max: LIMITS.quorumN }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n })));

test("property: a probability in [0, 1], zero exactly when R + W > N", () => {
  fc.assert(
    fc.property(config, ([n, r, w]) => {
      const p = staleProbability(n, r, w);
      assert.ok(p.value >= 0 && p.value <= 1);
      assert.equal(p.numerator === 0n, r + w > n);
      assert.equal(p.value === 0, r + w > n, "a tiny non-zero probability must not underflow to 0");
    }),
    { numRuns: 500 },
  );
});

test("property: non-increasing in R and in W", () => {
  fc.assert(
    fc.property(config, ([n, r, w]) => {
      const p = staleProbability(n, r, w).value;
      if (r < n) assert.ok(staleProbability(n, r + 1, w).value <= p, `R ${r}→${r + 1}`);
      if (w < n) assert.ok(staleProbability(n, r, w + 1).value <= p, `W ${w}→${w + 1}`);
    }),
    { numRuns: 500 },
  );
});

test("out-of-range input is a bug, not a result", () => {
  assert.throws(() => staleProbability(3, 4, 1));
  assert.throws(() => staleProbability(3, 1, 0));
});

test("with K down, the closed form is for writes made before the failure; writes made during it land on the N − K up replicas (review)", () => {
  const at = (n: number, r: number, w: number, down: number) => analyzeQuorum({ n, r, w, down, sloppy: false, cluster: null });
  // N=5, R=W=2: before the failure 3/10 whatever K; during it C(5−K−2, 2) / C(5−K, 2): 3/10, 1/6, 0 as K goes 0, 1, 2.
  for (const [down, during] of [[0, "3/10"], [1, "1/6"], [2, "0"]] as const) {
    const a = at(5, 2, 2, down);
    assert.equal(formatFraction(a.stale), "3/10");
    assert.equal(a.staleDuring.nodes, 5 - down);
    assert.equal(formatFraction(a.staleDuring.stale!), during, `K=${down}`);
  }
  // W > N − K: no write is made during the failure; R > N − K: no read completes.
  const blocked = at(5, 2, 4, 2).staleDuring;
  assert.deepEqual([blocked.stale, blocked.writesBlocked, blocked.readsBlocked], [null, true, false]);
  const noReads = at(5, 4, 2, 3).staleDuring;
  assert.deepEqual([noReads.stale, noReads.writesBlocked, noReads.readsBlocked], [null, false, true]);
  // Sloppy: a write made during the failure lands on the up replicas and the stand-ins, where reads go too.
  const sloppy = analyzeQuorum({ n: 5, r: 2, w: 2, down: 2, sloppy: true, cluster: 6 }).staleDuring;
  assert.equal(sloppy.nodes, 4);
  assert.equal(formatFraction(sloppy.stale!), "1/6");
});
