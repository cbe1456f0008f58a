// The typed-array Monte Carlo against a straightforward one written here from
// the WARS definition (objects per replica, sorts, the exact samplers of
// base/distributions.ts, one Rng): on the bundled latency fits and on an
// exponential case with a closed-form answer, the two agree within sampling
// error on P(consistent) at several t, on the 99.9 % point and on the read
// and write latency percentiles. Also: the result does not depend on how
// the chunks are shared out (what a worker pool would do).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sampler } from "../../src/base/distributions.js";
import { Rng } from "../../src/base/rng.js";
import { loadFile } from "../../src/model/load.js";
import type { Latency } from "../../src/model/types.js";
import {
  chunkCount,
  CHUNK_TRIALS,
  legSamplers,
  resolveLegs,
  runChunks,
  simulateVisibility,
  summarise,
  visibilityFromFile,
  withDefaults,
  type Leg,
  type TrialTimes,
  type VisibilityResult,
} from "../../src/quorum/visibility.js";

interface Sample {
  tStar: number[];
  reads: number[];
  writes: number[];
}

/** WARS by the book: per trial, per replica, four exact draws; sort for the W-th ack and the R fastest replies (ties by index). */
function reference(legs: Record<Leg, Latency>, n: number, r: number, w: number, trials: number, seed: number): Sample {
  const rng = new Rng(seed);
  const draw = { w: sampler(legs.w), a: sampler(legs.a), r: sampler(legs.r), s: sampler(legs.s) };
  const out: Sample = { tStar: [], reads: [], writes: [] };
  for (let trial = 0; trial < trials; trial++) {
    const replicas = Array.from({ length: n }, (_, index) => ({ index, W: draw.w.sample(rng), A: draw.a.sample(rng), R: draw.r.sample(rng), S: draw.s.sample(rng) }));
    const commit = replicas.map((x) => x.W + x.A).sort((x, y) => x - y)[w - 1];
    const responders = [...replicas].sort((x, y) => x.R + x.S - (y.R + y.S) || x.index - y.index).slice(0, r);
    const last = responders[r - 1];
    // Responder j has the write for a read starting t after the commit iff W_j <= commit + t + R_j.
    const wait = Math.min(...responders.map((x) => x.W - x.R - commit));
    out.tStar.push(Math.max(0, wait));
    out.reads.push(last.R + last.S);
    out.writes.push(commit);
  }
  return out;
}

const shareAtMost = (values: number[], x: number) => values.filter((v) => v <= x).length / values.length;

/** Five standard errors of the difference of two shares estimated from samples of n1 and n2. */
function tolerance(p: number, n1: number, n2: number): number {
  return 5 * Math.sqrt(Math.max(p * (1 - p), 1e-6) * (1 / n1 + 1 / n2));
}

/** The new result agrees with the reference sample: P at every t, and each percentile sits at its rank in the other sample. */
function assertAgrees(got: VisibilityResult, ref: Sample, label: string): void {
  const n1 = got.trials;
  const n2 = ref.tStar.length;
  for (const point of got.visibility) {
    const expected = shareAtMost(ref.tStar, point.tMs);
    assert.ok(Math.abs(point.consistent - expected) <= tolerance(expected, n1, n2), `${label}: P(${point.tMs} ms) = ${point.consistent}, reference ${expected}`);
  }
  const ranks: Array<[string, number[], number, number]> = [
    ["t for 99.9%", ref.tStar, got.tForP999Ms, 0.999],
    ["read p50", ref.reads, got.latencyP50Ms.read, 0.5],
    ["read p99.9", ref.reads, got.latencyP999Ms.read, 0.999],
    ["write p50", ref.writes, got.latencyP50Ms.write, 0.5],
    ["write p99.9", ref.writes, got.latencyP999Ms.write, 0.999],
  ];
  for (const [name, values, value, p] of ranks) {
    if (value === 0 && p === 0.999 && shareAtMost(values, 0) >= p) continue;
    const rank = shareAtMost(values, value);
    assert.ok(Math.abs(rank - p) <= tolerance(p, n1, n2), `${label}: ${name} ${value} sits at ${rank} of the reference sample`);
  }
}

function bundledLegs(name: string): Record<Leg, Latency> {
  const loaded = loadFile(join(process.cwd(), "scenarios", "latency", name));
  assert.equal(loaded.kind, "latency");
  if (loaded.kind !== "latency") throw new Error("not a latency file");
  const resolved = resolveLegs(loaded.latency);
  assert.ok("legs" in resolved);
  return resolved.legs;
}

const tMs = [0, 0.5, 1, 2, 5, 10, 20, 45.5, 100];

for (const [file, n, r, w] of [
  ["lnkd-disk.yaml", 3, 1, 1],
  ["lnkd-disk.yaml", 5, 2, 2],
  ["lnkd-ssd.yaml", 4, 1, 3],
  ["lnkd-ssd.yaml", 3, 2, 1],
  ["lnkd-disk.yaml", 16, 5, 7],
] as const) {
  test(`${file}, N=${n} R=${r} W=${w}: the typed-array Monte Carlo agrees with the straightforward one within sampling error`, () => {
    const legs = bundledLegs(file);
    const got = simulateVisibility(legSamplers(legs), { n, r, w, trials: n > 5 ? 100_000 : 400_000, seed: 3, tMs });
    const ref = reference(legs, n, r, w, n > 5 ? 20_000 : n > 3 ? 60_000 : 100_000, 11);
    assertAgrees(got, ref, `${file} N=${n} R=${r} W=${w}`);
  });
}

test("exponential writes, instant acks and requests, exponential replies: both match the closed form", () => {
  // N=3, R=W=1. The responder is a uniformly random replica, independent of the
  // writes, and (memorylessness) its write arrives Exp(λ) after the fastest
  // one unless it is the fastest: P(consistent at t) = 1 − (2/3)·e^(−λt). The
  // commit is the first of three Exp(λ) arrivals, Exp(3λ); the read the first
  // of three Exp(μ) replies, Exp(3μ).
  const lambda = 0.1;
  const mu = 1;
  const legs: Record<Leg, Latency> = { w: { exponential: { rate: lambda } }, a: { constant: 0 }, r: { constant: 0 }, s: { exponential: { rate: mu } } };
  const consistent = (t: number) => 1 - (2 / 3) * Math.exp(-lambda * t);
  const exponentialCdf = (rate: number) => (x: number) => 1 - Math.exp(-rate * x);
  const trials = 400_000;
  const got = simulateVisibility(legSamplers(legs), { n: 3, r: 1, w: 1, trials, seed: 5, tMs: [0, 1, 5, 20, 65] });
  const ref = reference(legs, 3, 1, 1, 100_000, 5);
  for (const [label, size, at] of [
    ["typed arrays", trials, (t: number) => got.visibility.find((p) => p.tMs === t)!.consistent],
    ["reference", 100_000, (t: number) => shareAtMost(ref.tStar, t)],
  ] as const) {
    for (const t of [0, 1, 5, 20, 65]) {
      const p = consistent(t);
      assert.ok(Math.abs(at(t) - p) <= 5 * Math.sqrt((p * (1 - p)) / size), `${label}: P(${t} ms) = ${at(t)}, closed form ${p}`);
    }
  }
  // The 99.9 % point, ln(2000/3)/λ ≈ 65 ms, and the latency percentiles, each checked at its rank in the closed form.
  const checks: Array<[string, number, (x: number) => number, number]> = [
    ["t for 99.9%", got.tForP999Ms, consistent, 0.999],
    ["write p50", got.latencyP50Ms.write, exponentialCdf(3 * lambda), 0.5],
    ["write p99.9", got.latencyP999Ms.write, exponentialCdf(3 * lambda), 0.999],
    ["read p50", got.latencyP50Ms.read, exponentialCdf(3 * mu), 0.5],
    ["read p99.9", got.latencyP999Ms.read, exponentialCdf(3 * mu), 0.999],
  ];
  for (const [name, value, cdf, p] of checks) {
    assert.ok(Math.abs(cdf(value) - p) <= 5 * Math.sqrt((p * (1 - p)) / trials), `${name} ${value}: closed-form rank ${cdf(value)}`);
  }
  assert.ok(Math.abs(got.tForP999Ms - Math.log(2000 / 3) / lambda) < 3, `t for 99.9% = ${got.tForP999Ms}`);
});

test("chunks shared out in any ranges give exactly the whole run's result (what a worker pool would do)", () => {
  const legs = bundledLegs("lnkd-disk.yaml");
  const samplers = legSamplers(legs);
  const o = withDefaults({ n: 3, r: 1, w: 1, trials: 3 * CHUNK_TRIALS + 100, seed: 17 });
  const whole = simulateVisibility(samplers, o);
  const chunks = chunkCount(o.trials);
  assert.equal(chunks, 4);
  for (const cuts of [[0, 1, 4], [0, 2, 3, 4], [0, 3, 4], [0, 1, 2, 3, 4]]) {
    const times: TrialTimes = { tStar: new Float64Array(o.trials), reads: new Float64Array(o.trials), writes: new Float64Array(o.trials) };
    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k];
      const to = cuts[k + 1];
      const first = from * CHUNK_TRIALS;
      const last = Math.min(o.trials, to * CHUNK_TRIALS);
      const part: TrialTimes = { tStar: times.tStar.subarray(first, last), reads: times.reads.subarray(first, last), writes: times.writes.subarray(first, last) };
      runChunks(samplers, o, from, to, part);
    }
    assert.deepEqual(summarise(times, o), whole, `cut at ${cuts.join(", ")}`);
  }
});

test("the first T trials of a run are the same whatever --trials asks for beyond them", () => {
  const legs = bundledLegs("lnkd-ssd.yaml");
  const small = visibilityFromFile({ w: legs.w, a: legs.a, r: legs.r, s: legs.s }, { n: 3, r: 1, w: 1, trials: CHUNK_TRIALS, seed: 2 });
  const o = withDefaults({ n: 3, r: 1, w: 1, trials: 2 * CHUNK_TRIALS, seed: 2 });
  const times: TrialTimes = { tStar: new Float64Array(o.trials), reads: new Float64Array(o.trials), writes: new Float64Array(o.trials) };
  runChunks(legSamplers(legs), o, 0, 2, times);
  const firstChunk: TrialTimes = { tStar: times.tStar.slice(0, CHUNK_TRIALS), reads: times.reads.slice(0, CHUNK_TRIALS), writes: times.writes.slice(0, CHUNK_TRIALS) };
  assert.deepEqual(summarise(firstChunk, withDefaults({ n: 3, r: 1, w: 1, trials: CHUNK_TRIALS, seed: 2 })), small);
});

test("the first T trials are the same for any larger --trials, also when T is not a whole number of chunks (found by the knob review: P(0) on LNKD-DISK was 44.7% with --trials 999 and 44.1% with 1000)", () => {
  const legs = bundledLegs("lnkd-disk.yaml");
  const samplers = legSamplers(legs);
  for (const [small, large] of [[999, 1000], [1000, 5000], [CHUNK_TRIALS + 7, 3 * CHUNK_TRIALS]]) {
    const o = withDefaults({ n: 3, r: 1, w: 1, trials: large, seed: 4 });
    const times: TrialTimes = { tStar: new Float64Array(large), reads: new Float64Array(large), writes: new Float64Array(large) };
    runChunks(samplers, o, 0, chunkCount(large), times);
    const prefix: TrialTimes = { tStar: times.tStar.slice(0, small), reads: times.reads.slice(0, small), writes: times.writes.slice(0, small) };
    const alone = simulateVisibility(samplers, { n: 3, r: 1, w: 1, trials: small, seed: 4 });
    assert.deepEqual(summarise(prefix, withDefaults({ n: 3, r: 1, w: 1, trials: small, seed: 4 })), alone, `${small} of ${large}`);
  }
});
