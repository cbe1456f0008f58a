// The WARS Monte Carlo: exact answers where the model allows them (constant
// and scripted latencies, R + W > N), monotonicity in t and determinism. The
// exact oracle is in wars-oracle.test.ts, the PBS paper's published figures in
// pbs-paper.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Rng } from "../../src/base/rng.js";
import {
  percentileSorted,
  resolveLegs,
  simulateVisibility,
  visibilityFromFile,
  type DelaySampler,
  type LegSamplers,
} from "../../src/quorum/visibility.js";

/** A "distribution" that hands replica i (in draw order) the i-th value, trial after trial. */
function scripted(values: number[]): DelaySampler {
  let i = 0;
  return { sample: (_rng: Rng) => values[i++ % values.length] };
}

function constant(value: number): DelaySampler {
  return { sample: () => value };
}

const ssdMix = { mix: [{ weight: 0.9122, pareto: { scale: 0.235, shape: 10 } }, { weight: 0.0878, exponential: { rate: 1.66 } }] };
const ssd = { w: ssdMix, a: { same: "w" as const }, r: { same: "w" as const }, s: { same: "w" as const } };

test("constant latencies: every replica gets the write before the commit, so P = 1 for every t, R and W", () => {
  for (const [n, r, w] of [[3, 1, 1], [5, 1, 2], [5, 2, 2], [1, 1, 1]]) {
    const legs: LegSamplers = { w: constant(4), a: constant(1), r: constant(2), s: constant(3) };
    const v = simulateVisibility(legs, { n, r, w, trials: 100, tMs: [0, 0.5, 10] });
    assert.deepEqual(v.visibility.map((p) => p.consistent), [1, 1, 1], `N=${n} R=${r} W=${w}`);
    assert.equal(v.tForP999Ms, 0);
    assert.deepEqual(v.latencyP999Ms, { read: 5, write: 5 });
    assert.deepEqual(v.curve, []);
  }
});

test("scripted latencies: the read's only responder gets the write 20 ms after the commit — P is exactly 0 before, 1 from then on", () => {
  // Replica 0 acks at once (commit at 0); replica 2 answers reads fastest but receives the write at 20 ms.
  const legs: LegSamplers = { w: scripted([0, 10, 20]), a: constant(0), r: constant(0), s: scripted([2, 1, 0]) };
  const v = simulateVisibility(legs, { n: 3, r: 1, w: 1, trials: 50, tMs: [0, 19.999, 20, 25] });
  assert.deepEqual(v.visibility.map((p) => p.consistent), [0, 0, 1, 1]);
  assert.equal(v.tForP999Ms, 20);
  assert.equal(v.consistentAtCommit, 0);
  assert.deepEqual(v.latencyP999Ms, { read: 0, write: 0 });
  // With R = 2 the responders are replicas 2 and 1; replica 1 has the write at 10 ms.
  const r2 = simulateVisibility({ w: scripted([0, 10, 20]), a: constant(0), r: constant(0), s: scripted([2, 1, 0]) }, { n: 3, r: 2, w: 1, trials: 50, tMs: [9, 10] });
  assert.deepEqual(r2.visibility.map((p) => p.consistent), [0, 1]);
  assert.equal(r2.tForP999Ms, 10);
  assert.equal(r2.latencyP999Ms.read, 1);
});

test("scripted latencies: the read request's own delay counts — R_i later means the replica has more time", () => {
  // Responder replica 2 gets the write at 20 ms but the read request reaches it 5 ms after it leaves: t* = 15.
  const legs: LegSamplers = { w: scripted([0, 10, 20]), a: constant(0), r: scripted([0, 0, 5]), s: scripted([9, 9, 0]) };
  const v = simulateVisibility(legs, { n: 3, r: 1, w: 1, trials: 10, tMs: [14.9, 15] });
  assert.deepEqual(v.visibility.map((p) => p.consistent), [0, 1]);
  assert.equal(v.tForP999Ms, 15);
});

test("ties between responders go to the lower replica index", () => {
  // All reads answer at the same time; replica 0 (has the write at once) wins the tie for R = 1.
  const legs: LegSamplers = { w: scripted([0, 30, 30]), a: constant(0), r: constant(1), s: constant(1) };
  const v = simulateVisibility(legs, { n: 3, r: 1, w: 1, trials: 10, tMs: [0] });
  assert.equal(v.visibility[0].consistent, 1);
});

test("R + W > N: P(consistent) is 1 for every t, whatever the latencies", () => {
  for (const [n, r, w] of [[3, 2, 2], [3, 1, 3], [5, 3, 3], [5, 4, 2]]) {
    const v = visibilityFromFile(ssd, { n, r, w, trials: 5_000, tMs: [0, 0.1, 1] });
    assert.deepEqual(v.visibility.map((p) => p.consistent), [1, 1, 1], `N=${n} R=${r} W=${w}`);
    assert.equal(v.tForP999Ms, 0);
  }
});

test("P(consistent) never decreases with t, and reaches 0.999 at tForP999Ms exactly", () => {
  const ts = Array.from({ length: 50 }, (_, i) => i * 0.05);
  const v = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 20_000, tMs: ts });
  for (let i = 1; i < v.visibility.length; i++) assert.ok(v.visibility[i].consistent >= v.visibility[i - 1].consistent);
  const at = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 20_000, tMs: [v.tForP999Ms, v.tForP999Ms * (1 - 1e-9)] });
  assert.ok(at.visibility[0].consistent >= 0.999, "at the 99.9% point");
  assert.ok(at.visibility[1].consistent < 0.999, "just before it");
  for (let i = 1; i < v.curve.length; i++) assert.ok(v.curve[i].consistent >= v.curve[i - 1].consistent);
});

test("deterministic for a seed; another seed gives another sample", () => {
  const a = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 5_000, seed: 7 });
  const b = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 5_000, seed: 7 });
  const c = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 5_000, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.seed, 7);
});

test("percentileSorted is nearest-rank", () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
  assert.equal(percentileSorted(sorted, 999), 999);
  assert.equal(percentileSorted(sorted, 500), 500);
  assert.equal(percentileSorted(Float64Array.from([3]), 999), 3);
});

test("resolveLegs follows same: chains and refuses loops", () => {
  const resolved = resolveLegs({ w: { constant: 1 }, a: { same: "w" }, r: { same: "a" }, s: { constant: 2 } });
  assert.ok("legs" in resolved);
  assert.deepEqual(resolved.legs.r, { constant: 1 });
  const loop = resolveLegs({ w: { same: "a" }, a: { same: "w" }, r: { constant: 1 }, s: { constant: 1 } });
  assert.deepEqual(loop, { cycle: "w" });
});

// The PBS paper's published figures for its latency fits: pbs-paper.test.ts.

test("input limits are assertions here (the CLI reports them as usage errors)", () => {
  const legs: LegSamplers = { w: constant(1), a: constant(1), r: constant(1), s: constant(1) };
  assert.throws(() => simulateVisibility(legs, { n: 3, r: 4, w: 1 }));
  assert.throws(() => simulateVisibility(legs, { n: 64, r: 1, w: 1, trials: 1_000_000 }));
  assert.throws(() => simulateVisibility(legs, { n: 3, r: 1, w: 1, tMs: [-1] }));
});

test("K down: each trial draws only the N − K live replicas, so the run is the same as N − K replicas with nothing down (review)", () => {
  const five = visibilityFromFile(ssd, { n: 5, r: 1, w: 2, down: 2, trials: 5_000, seed: 3, tMs: [0, 0.5, 1] });
  const three = visibilityFromFile(ssd, { n: 3, r: 1, w: 2, trials: 5_000, seed: 3, tMs: [0, 0.5, 1] });
  assert.deepEqual(five, three);
  assert.equal(five.replicas, 3);
  // One live replica takes the write and answers the read: consistent at once, whatever the latencies.
  const one = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, down: 2, trials: 5_000, tMs: [0] });
  assert.equal(one.visibility[0].consistent, 1);
  assert.equal(one.tForP999Ms, 0);
  // Fewer replicas to choose from: the fastest ack and the fastest reply come later.
  const all = visibilityFromFile(ssd, { n: 3, r: 1, w: 1, trials: 5_000, tMs: [0] });
  assert.ok(one.latencyP50Ms.write > all.latencyP50Ms.write && one.latencyP50Ms.read > all.latencyP50Ms.read);
});

test("K down with W or R above N − K: blocked, nothing to simulate (an assertion here; the CLI reports it)", () => {
  assert.throws(() => visibilityFromFile(ssd, { n: 3, r: 2, w: 2, down: 2 }), /blocked/);
  assert.throws(() => visibilityFromFile(ssd, { n: 5, r: 4, w: 2, down: 3 }), /blocked/);
});
