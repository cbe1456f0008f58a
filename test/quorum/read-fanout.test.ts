// A read that asks only R replicas (Cassandra's), with and without a
// speculative retry, checked against exact answers derived from the model's
// definition without the Monte Carlo's code, and against what must hold
// whatever the legs.
//
// ── The oracle (family E of wars-oracle.test.ts, another read side) ─────────
// W_i ~ Exp(λ), A ≡ a, R and S any. As there, the W replicas that acked first
// (B) are a uniformly random W-subset, the commit c and the pending replicas'
// write delays are independent of the read side, and a pending replica j
// lacks the write at c + t + R_j with probability g(c)·e^(−λt)·e^(−λR_j);
// with A ≡ a, E[g(c)^R] = e^(−λRa). What changes is Q, the replicas the read
// returns with:
//   - NONE: Q is the R replicas asked, a fixed set independent of everything
//     else, so E[Π_{j∈Q} e^(−λR_j)] = E[e^(−λR)]^R, and with R ~ Exp(ρ)
//     E[e^(−λR)] = ρ / (ρ + λ);
//   - ALWAYS: R + 1 replicas are asked at once and Q is the R of them with the
//     smallest R_i + S_i: WARS's read side over N' = R + 1 replicas, which for
//     R ~ Exp(ρ) and S ≡ s0 is (Rényi) Π_{i=1..R} 1 / (1 + λ(R−i+1)/(ρ(N'−i+1))).
// In both, Q is a uniformly random R-subset, so P(Q ∩ B = ∅) = C(N−W, R)/C(N, R),
// and P_stale(t) = C(N−W, R)/C(N, R) · e^(−λRa) · K · e^(−λRt).
// Tolerance: 5 standard errors of a binomial share plus the samplers' 1e-5.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Latency } from "../../src/model/types.js";
import { visibilityFromFile, type Leg } from "../../src/quorum/visibility.js";
import { parseSpeculativeRetry, type ReadFanout } from "../../src/quorum/fanout.js";

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

function tolerance(p: number, trials: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / trials) + 1e-5;
}

const lambda = 0.3;
const rho = 2;
const a = 1;
const s0 = 0.5;
const file: Record<Leg, Latency> = { w: { exponential: { rate: lambda } }, a: { constant: a }, r: { exponential: { rate: rho } }, s: { constant: s0 } };

function staleExact(n: number, r: number, w: number, k: number, t: number): number {
  return (choose(n - w, r) / choose(n, r)) * Math.exp(-lambda * r * a) * k * Math.exp(-lambda * r * t);
}

const asked = (r: number) => Math.pow(rho / (rho + lambda), r);
const fastestOfOneMore = (r: number) => {
  let k = 1;
  for (let i = 1; i <= r; i++) k /= 1 + (lambda * (r - i + 1)) / (rho * (r + 1 - i + 1));
  return k;
};

const cases: [string, ReadFanout, (r: number) => number][] = [
  ["NONE: the R replicas asked", { kind: "r", retry: { kind: "none" } }, asked],
  ["ALWAYS: the first R replies of R + 1", { kind: "r", retry: { kind: "always" } }, fastestOfOneMore],
];

for (const [name, fanout, readFactor] of cases) {
  test(`exact oracle, a read that asks R (${name}), N = 3 and 5, every R, W`, () => {
    const trials = 200_000;
    for (const n of [3, 5]) {
      for (let r = 1; r <= n; r++) {
        for (let w = 1; w <= n; w++) {
          const ts = [0, 1, 4];
          const v = visibilityFromFile(file, { n, r, w, trials, seed: 5 + n * 11 + r * 3 + w, tMs: ts, fanout });
          for (const point of v.visibility) {
            const p = 1 - staleExact(n, r, w, readFactor(r), point.tMs);
            if (r + w > n) assert.equal(point.consistent, 1, `N=${n} R=${r} W=${w}: R + W > N is consistent in every trial`);
            else assert.ok(Math.abs(point.consistent - p) <= tolerance(p, trials), `N=${n} R=${r} W=${w} t=${point.tMs}: ${point.consistent}, exact ${p.toFixed(6)}`);
          }
        }
      }
    }
  });
}

test("the same legs read by WARS (all replicas, first R replies) are staler: its responders are the replicas the read reached first", () => {
  const trials = 200_000;
  for (const [n, r, w] of [[3, 1, 1], [5, 2, 2], [5, 1, 3]]) {
    const wars = visibilityFromFile(file, { n, r, w, trials, seed: 3, tMs: [0] });
    const cassandra = visibilityFromFile(file, { n, r, w, trials, seed: 3, tMs: [0], fanout: { kind: "r", retry: { kind: "none" } } });
    assert.ok(cassandra.consistentAtCommit > wars.consistentAtCommit + 3 * tolerance(wars.consistentAtCommit, trials), `N=${n} R=${r} W=${w}: ${cassandra.consistentAtCommit} vs WARS ${wars.consistentAtCommit}`);
  }
});

test("speculative retry: NONE never asks another, ALWAYS always, 99p about 1% of reads; earlier retries make the read's tail shorter", () => {
  const trials = 100_000;
  const run = (retry: string) => visibilityFromFile(file, { n: 3, r: 2, w: 1, trials, seed: 9, tMs: [0], fanout: { kind: "r", retry: parseSpeculativeRetry(retry)! } });
  const none = run("NONE");
  const always = run("ALWAYS");
  const p99 = run("99p");
  const p50 = run("50p");
  assert.deepEqual(none.retry, { thresholdMs: null, share: 0 });
  assert.deepEqual(always.retry, { thresholdMs: 0, share: 1 });
  // The threshold is the 99th percentile of the slowest of two replies, so about 1% of reads are still waiting then.
  assert.ok(Math.abs(p99.retry!.share - 0.01) < 0.002, `99p retried ${p99.retry!.share}`);
  assert.ok(Math.abs(p50.retry!.share - 0.5) < 0.01, `50p retried ${p50.retry!.share}`);
  // Without a retry the read waits for the slower of two replies: with R ~ Exp(2) + 0.5 that is 0.5 + the max of two Exp(2),
  // whose median solves (1 − e^(−2x))² = 1/2.
  const medianOfMax = -Math.log(1 - Math.SQRT1_2) / rho + s0;
  assert.ok(Math.abs(none.latencyP50Ms.read - medianOfMax) < 0.01, `median read ${none.latencyP50Ms.read}, exact ${medianOfMax}`);
  assert.ok(always.latencyP999Ms.read < p50.latencyP999Ms.read && p50.latencyP999Ms.read < p99.latencyP999Ms.read && p99.latencyP999Ms.read < none.latencyP999Ms.read);
  // A retry made after 20 ms is never needed by reads that all end well before.
  const late = visibilityFromFile(file, { n: 3, r: 2, w: 1, trials, seed: 9, tMs: [0], fanout: { kind: "r", retry: { kind: "fixed", ms: 20 } } });
  assert.equal(late.retry!.thresholdMs, 20);
  assert.ok(late.retry!.share < 1e-3);
});

test("no replica left to retry on (R = N): nothing is retried and the read waits for every reply", () => {
  const v = visibilityFromFile(file, { n: 3, r: 3, w: 1, trials: 20_000, seed: 4, tMs: [0], fanout: { kind: "r", retry: { kind: "always" } } });
  assert.deepEqual(v.retry, { thresholdMs: null, share: 0 });
  assert.equal(v.consistentAtCommit, 1);
});

test("wide-area replicas: a read asks the near ones first, so with R <= local no reply crosses the wide-area link", () => {
  const constant: Record<Leg, Latency> = { w: { constant: 1 }, a: { constant: 1 }, r: { constant: 1 }, s: { constant: 1 } };
  const near = visibilityFromFile({ ...constant, remote: { local: 2, add: 75 } }, { n: 5, r: 2, w: 1, trials: 8192, seed: 1, tMs: [0], fanout: { kind: "r", retry: { kind: "none" } } });
  assert.equal(near.latencyP999Ms.read, 2);
  // R = 3 with two near replicas: every read asks one far replica and waits for it (2 + 2·75).
  const far = visibilityFromFile({ ...constant, remote: { local: 2, add: 75 } }, { n: 5, r: 3, w: 1, trials: 8192, seed: 1, tMs: [0], fanout: { kind: "r", retry: { kind: "none" } } });
  assert.equal(far.latencyP50Ms.read, 152);
});

test("--trials only adds trials with a percentile retry: the threshold comes from reads of its own", () => {
  const fanout: ReadFanout = { kind: "r", retry: { kind: "percentile", percent: 99 } };
  const small = visibilityFromFile(file, { n: 3, r: 1, w: 1, trials: 4096, seed: 2, tMs: [0, 1], fanout });
  const large = visibilityFromFile(file, { n: 3, r: 1, w: 1, trials: 3 * 4096, seed: 2, tMs: [0, 1], fanout });
  assert.equal(small.retry!.thresholdMs, large.retry!.thresholdMs);
});

test("speculative_retry values as Cassandra writes them", () => {
  assert.deepEqual(parseSpeculativeRetry("NONE"), { kind: "none" });
  assert.deepEqual(parseSpeculativeRetry("always"), { kind: "always" });
  assert.deepEqual(parseSpeculativeRetry("99p"), { kind: "percentile", percent: 99 });
  assert.deepEqual(parseSpeculativeRetry("99.9p"), { kind: "percentile", percent: 99.9 });
  assert.deepEqual(parseSpeculativeRetry("20ms"), { kind: "fixed", ms: 20 });
  for (const bad of ["0p", "100p", "p99", "20", "-5ms", "fast", ""]) assert.equal(parseSpeculativeRetry(bad), null, bad);
});
