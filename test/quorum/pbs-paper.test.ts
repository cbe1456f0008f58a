// The PBS paper's published numbers for its production latency fits,
// reproduced from the bundled latency files (scenarios/latency/lnkd-ssd.yaml,
// lnkd-disk.yaml, ymmr.yaml, wan.yaml), which hold the paper's fits (Bailis et al.,
// "Probabilistically Bounded Staleness for Practical Partial Quorums", VLDB
// 2012: Table 3 for the fits; Table 4 and §5.4–5.6 for the results). The
// synthetic exponential sweep of §5.3 is checked exactly in wars-oracle.test.ts.
//
// The paper's precision, and so the tolerances here. Its numbers are Monte
// Carlo estimates too, from the authors' simulator (published with the
// paper's sources):
//   - Table 4's t (99.9 % consistent reads) is the first t of a grid whose own
//     fresh 50,000-trial estimate of P(consistent) reached 0.999 (the caption:
//     "for 50,000 reads and writes"). So the check is that our P at the
//     paper's t is 0.999 within 5 standard errors of the two samples'
//     difference, sqrt(0.999 · 0.001 · (1/50,000 + 1/T)) ≈ 1.5e-4 each. (The
//     t itself is a poor target: the curves are flat there, one standard
//     error of P moves LNKD-DISK's t by several ms and YMMR's by tens, and
//     taking the first of many noisy crossings biases the paper's t low.)
//   - L_r and L_w (99.9th percentiles of read and write latency) come from 1M
//     trials, printed to 0.01 ms: the paper's value must sit at rank 0.999 of
//     our sample within 5 standard errors (1M and T trials) once the printed
//     rounding (±0.005 ms) is allowed for.
//   - The percentages in the text (97.4 %, 43.9 %, 92.5 %, 89.3 %, 57.5 %,
//     21.1 %) come from the figures' runs, 100,000 trials per t, printed to
//     0.1 %; the medians and the LNKD fits' 99.9th percentiles in the text
//     from a 10,000-trial latency run.
// Every check is five standard errors wide; with some 90 checks the chance of
// any false alarm is about 5e-5. Our P at the paper's t comes out below 0.999
// in every row (by 0.9 to 2.5 standard errors here), as the paper's first-crossing
// rule predicts.
//
// Not reproduced: the text says that for LNKD-SSD with R=2, W=1 "across 10M
// writes we did not observe staleness". WARS with that fit gives about 0.06%
// stale reads at the commit (a straightforward simulation of the model,
// wars-reference.test.ts, agrees), reaching 99.9999% only about 1.5 ms later;
// Table 4's entry for it (99.9% at t = 0) does hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadFile } from "../../src/model/load.js";
import { chunkCount, legSamplers, resolveLegs, runChunks, withDefaults, type LegSamplers, type RemoteReplicas, type TrialTimes } from "../../src/quorum/visibility.js";

const TRIALS = 500_000;

interface Fit {
  legs: LegSamplers;
  /** The file's wide-area replicas (WAN), or null. */
  remote: RemoteReplicas | null;
}

function fit(name: string): Fit {
  const loaded = loadFile(join(process.cwd(), "scenarios", "latency", name));
  assert.equal(loaded.kind, "latency");
  if (loaded.kind !== "latency") throw new Error("not a latency file");
  const resolved = resolveLegs(loaded.latency);
  assert.ok("legs" in resolved);
  return { legs: legSamplers(resolved.legs), remote: loaded.latency.remote ?? null };
}

interface Sample {
  /** Ascending per-trial t*, read latency and write latency. */
  tStar: Float64Array;
  reads: Float64Array;
  writes: Float64Array;
}

function sample(f: Fit, n: number, r: number, w: number, trials = TRIALS): Sample {
  const o = withDefaults({ n, r, w, trials, seed: 2012, remote: f.remote });
  const times: TrialTimes = { tStar: new Float64Array(trials), reads: new Float64Array(trials), writes: new Float64Array(trials) };
  runChunks(f.legs, o, 0, chunkCount(trials), times);
  return { tStar: times.tStar.sort(), reads: times.reads.sort(), writes: times.writes.sort() };
}

/** Share of the ascending sample at or below x. */
function shareAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** Five standard errors of the difference between two estimates of a share p from samples of n1 and n2. */
function fiveSe(p: number, n1: number, n2: number): number {
  return 5 * Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
}

/** P(consistent at t) of our sample against the paper's `expected`, estimated from `paperTrials` and printed to ±`rounding`. */
function assertShare(s: Sample, t: number, expected: number, paperTrials: number, rounding: number, label: string): void {
  const got = shareAtMost(s.tStar, t);
  const slack = fiveSe(expected, paperTrials, s.tStar.length) + rounding;
  assert.ok(Math.abs(got - expected) <= slack, `${label}: P(${t} ms) = ${got.toFixed(5)}, the paper ${expected} (±${slack.toFixed(5)})`);
}

/** A percentile the paper printed to ±`rounding` ms sits at rank p of our sample, within sampling error. */
function assertRank(sorted: Float64Array, value: number, p: number, paperTrials: number, rounding: number, label: string): void {
  const low = shareAtMost(sorted, value - rounding);
  const high = shareAtMost(sorted, value + rounding);
  const off = p < low ? low - p : p > high ? p - high : 0;
  const slack = fiveSe(p, paperTrials, sorted.length);
  assert.ok(off <= slack, `${label}: the paper's ${value} ms sits at rank ${low.toFixed(5)}–${high.toFixed(5)} of our sample, ${p} expected (±${slack.toFixed(5)})`);
}

// Table 4: N = 3; 99.9th percentile read latency L_r and write latency L_w (ms), and t for 99.9 % consistent reads (ms).
const TABLE_4: Array<{ file: string; rows: Array<[r: number, w: number, lr: number, lw: number, t: number]> }> = [
  {
    file: "lnkd-ssd.yaml",
    rows: [
      [1, 1, 0.66, 0.66, 1.85],
      [1, 2, 0.66, 1.63, 1.79],
      [2, 1, 1.63, 0.65, 0],
      [2, 2, 1.62, 1.64, 0],
      [3, 1, 4.14, 0.65, 0],
      [1, 3, 0.65, 4.09, 0],
    ],
  },
  {
    file: "lnkd-disk.yaml",
    rows: [
      [1, 1, 0.66, 10.99, 45.5],
      [1, 2, 0.65, 20.97, 43.3],
      [2, 1, 1.63, 10.9, 13.6],
      [2, 2, 1.64, 20.96, 0],
      [3, 1, 4.12, 10.89, 0],
      [1, 3, 0.65, 112.65, 0],
    ],
  },
  {
    // The WAN scenario: LNKD-DISK's legs within a datacenter, one replica near each operation's coordinator, 75 ms
    // more each way to the others (the latency file's remote:). This column is in the VLDB paper's Table 4, not in the
    // later CACM version's.
    file: "wan.yaml",
    rows: [
      [1, 1, 3.4, 55.12, 113],
      [1, 2, 3.4, 167.64, 0],
      [2, 1, 151.3, 56.36, 30.2],
      [2, 2, 151.31, 167.72, 0],
      [3, 1, 153.86, 55.19, 0],
      [1, 3, 3.44, 241.55, 0],
    ],
  },
  {
    file: "ymmr.yaml",
    rows: [
      [1, 1, 5.58, 10.83, 1364],
      [1, 2, 5.61, 427.12, 1352],
      [2, 1, 32.6, 10.73, 202],
      [2, 2, 33.18, 428.11, 0],
      [3, 1, 219.27, 10.79, 0],
      [1, 3, 5.63, 1870.86, 0],
    ],
  },
];

for (const { file, rows } of TABLE_4) {
  test(`PBS paper, Table 4, ${file}: L_r, L_w and the 99.9% t-visibility for N=3 and each R, W`, () => {
    const f = fit(file);
    for (const [r, w, lr, lw, t] of rows) {
      const label = `${file} R=${r} W=${w}`;
      const s = sample(f, 3, r, w);
      assertRank(s.reads, lr, 0.999, 1_000_000, 0.005, `${label} L_r`);
      assertRank(s.writes, lw, 0.999, 1_000_000, 0.005, `${label} L_w`);
      if (t === 0) {
        // R + W > N, or (LNKD-SSD, R=2 W=1) no stale read in the paper's 10M: at least 99.9% at once.
        assert.ok(shareAtMost(s.tStar, 0) >= 0.999, `${label}: P(0) = ${shareAtMost(s.tStar, 0)}`);
        if (r + w > 3) assert.equal(shareAtMost(s.tStar, 0), 1, `${label}: R + W > N`);
      } else {
        assertShare(s, t, 0.999, 50_000, 0, label);
      }
    }
  });
}

test("PBS paper, §5.5: consistency at the commit and soon after, N=3, R=W=1 (LNKD-SSD 97.4%, ≥ 99.999% by 5 ms; LNKD-DISK 43.9%, 92.5% at 10 ms; YMMR 89.3%; WAN 33%)", () => {
  const ssd = sample(fit("lnkd-ssd.yaml"), 3, 1, 1);
  assertShare(ssd, 0, 0.974, 100_000, 0.0005, "LNKD-SSD");
  // "over a 99.999% probability of consistent reads after five milliseconds": one-sided.
  assert.ok(shareAtMost(ssd.tStar, 5) >= 0.99999 - fiveSe(0.99999, 100_000, TRIALS), `LNKD-SSD P(5 ms) = ${shareAtMost(ssd.tStar, 5)}`);
  // Operation latencies: median 0.489 ms, write p99.9 0.657 ms (a 10,000-trial latency run).
  assertRank(ssd.reads, 0.489, 0.5, 10_000, 0.0005, "LNKD-SSD read p50");
  assertRank(ssd.writes, 0.489, 0.5, 10_000, 0.0005, "LNKD-SSD write p50");
  assertRank(ssd.writes, 0.657, 0.999, 10_000, 0.0005, "LNKD-SSD write p99.9");
  const disk = sample(fit("lnkd-disk.yaml"), 3, 1, 1);
  assertShare(disk, 0, 0.439, 100_000, 0.0005, "LNKD-DISK");
  assertShare(disk, 10, 0.925, 100_000, 0.0005, "LNKD-DISK");
  assertRank(disk.writes, 1.5, 0.5, 10_000, 0.005, "LNKD-DISK write p50");
  assertRank(disk.writes, 10.47, 0.999, 10_000, 0.005, "LNKD-DISK write p99.9");
  const ymmr = sample(fit("ymmr.yaml"), 3, 1, 1);
  assertShare(ymmr, 0, 0.893, 100_000, 0.0005, "YMMR");
  // WAN: "33% chance immediately after commit", printed to 1%.
  const wan = sample(fit("wan.yaml"), 3, 1, 1);
  assertShare(wan, 0, 0.33, 100_000, 0.005, "WAN");
});

test("PBS paper, §5.6: LNKD-DISK with R=W=1 and N = 2 or 10 (57.5% and 21.1% at the commit; 99.9% at 45.3 and 53.7 ms)", () => {
  const disk = fit("lnkd-disk.yaml");
  const two = sample(disk, 2, 1, 1);
  assertShare(two, 0, 0.575, 100_000, 0.0005, "N=2");
  assertShare(two, 45.3, 0.999, 100_000, 0, "N=2");
  const ten = sample(disk, 10, 1, 1);
  assertShare(ten, 0, 0.211, 100_000, 0.0005, "N=10");
  assertShare(ten, 53.7, 0.999, 100_000, 0, "N=10");
});

test("YMMR's write shape: the table's 3.35 misses the paper's own 89.3% at the commit, the simulator's 3.5 (the bundled file) meets it", () => {
  const loaded = loadFile(join(process.cwd(), "scenarios", "latency", "ymmr.yaml"));
  if (loaded.kind !== "latency") throw new Error("not a latency file");
  const printed = structuredClone(loaded.latency);
  const mix = (printed.w as { mix: Array<{ pareto?: { shape: number } }> }).mix;
  assert.equal(mix[0].pareto?.shape, 3.5);
  mix[0].pareto!.shape = 3.35;
  const resolved = resolveLegs(printed);
  assert.ok("legs" in resolved);
  const s = sample({ legs: legSamplers(resolved.legs), remote: null }, 3, 1, 1);
  // More than 3 standard errors below the paper's figure even after its rounding (about 4.5); its write p99.9 of
  // 10.83 ms also sits lower in this sample (about 2 standard errors), where 3.5 puts it within 1.
  const p0 = shareAtMost(s.tStar, 0);
  assert.ok(0.893 - 0.0005 - p0 > (3 / 5) * fiveSe(0.893, 100_000, TRIALS), `3.35: P(0) = ${p0}`);
});
