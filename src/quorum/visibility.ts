// t-visibility by Monte Carlo, after the WARS model of Probabilistically
// Bounded Staleness (Bailis et al., VLDB 2012). For each trial and each of the
// N replicas draw four one-way delays: W (write request to the replica), A
// (its ack), R (read request) and S (read response). Then
//   - the write commits at wt = the W-th smallest W_i + A_i;
//   - a read that starts t ms after the commit reaches replica i at
//     wt + t + R_i, and replica i has the write iff W_i <= wt + t + R_i;
//   - the read returns with the first R responses: the R replicas with the
//     smallest R_i + S_i (ties go to the lower replica index);
//   - the read is consistent iff one of those responders had the write.
// A trial is therefore consistent for every t >= t* = max(0, min over the
// responders of (W_j − R_j) − wt). Keeping t* per trial gives the exact
// empirical P(consistent at t) for any t, and its 99.9th percentile is the
// smallest t with P >= 0.999 for the sample, with no grid search.
//
// Pure: no I/O, no wall clock; every draw comes from the seeded Rng.
import { sampler as distributionSampler } from "../base/distributions.js";
import { Rng } from "../base/rng.js";
import { LIMITS, type LatencyFileInput } from "../model/schema.js";
import type { Latency } from "../model/types.js";

export const DEFAULT_T_MS: readonly number[] = [0, 1, 5, 10, 50, 100];
export const DEFAULT_TRIALS = 100_000;
export const DEFAULT_SEED = 1;
/** Upper limits: trials per run, and trials × N (replica draws per leg), so no input can run for minutes. */
export const VISIBILITY_LIMITS = { trials: 1_000_000, replicaDraws: 10_000_000, tValues: 50 } as const;

export type Leg = "w" | "a" | "r" | "s";
export const LEGS: readonly Leg[] = ["w", "a", "r", "s"];

/** Anything that draws one delay (ms) from the seeded generator. */
export interface DelaySampler {
  sample(rng: Rng): number;
}

export type LegSamplers = Record<Leg, DelaySampler>;

export interface VisibilityOptions {
  n: number;
  r: number;
  w: number;
  trials?: number;
  seed?: number;
  /** The read start times to report (ms after the write commits). */
  tMs?: readonly number[];
}

export interface VisibilityPoint {
  tMs: number;
  /** Share of trials in which a read starting tMs after the commit returned the write. */
  consistent: number;
}

export interface VisibilityResult {
  trials: number;
  seed: number;
  visibility: VisibilityPoint[];
  /** P(consistent) for a read starting the moment the write commits (t = 0). */
  consistentAtCommit: number;
  /** The smallest t with P(consistent) >= 0.999 in this sample (0 when R + W > N). */
  tForP999Ms: number;
  /** 99.9th percentiles: read = R-th fastest R_i + S_i, write = wt. */
  latencyP999Ms: { read: number; write: number };
  /** Medians of the same, for context. */
  latencyP50Ms: { read: number; write: number };
  /** P(consistent) on an even grid from 0 to a little past tForP999Ms, for plots (empty when it is 0). */
  curve: VisibilityPoint[];
}

/** Points on the plotting grid. */
export const CURVE_POINTS = 48;

/**
 * Resolves `{ same: leg }` references to the distribution they name. Returns
 * the resolved legs, or the first leg whose chain of references loops.
 */
export function resolveLegs(file: Pick<LatencyFileInput, Leg>): { legs: Record<Leg, Latency> } | { cycle: Leg } {
  const legs = {} as Record<Leg, Latency>;
  for (const leg of LEGS) {
    let current: Leg = leg;
    const seen = new Set<Leg>();
    for (;;) {
      const value = file[current] as Latency | { same: Leg };
      if (!(typeof value === "object" && value !== null && "same" in value)) {
        legs[leg] = value as Latency;
        break;
      }
      if (seen.has(current)) return { cycle: leg };
      seen.add(current);
      current = value.same;
    }
  }
  return { legs };
}

/** Exact samplers for the four legs (not the engine's tabulated ones: the 99.9th percentile lives in the tail). */
export function legSamplers(legs: Record<Leg, Latency>): LegSamplers {
  return { w: distributionSampler(legs.w), a: distributionSampler(legs.a), r: distributionSampler(legs.r), s: distributionSampler(legs.s) };
}

/** Nearest-rank percentile of an ascending array: the smallest value with at least p of the sample at or below it. */
export function percentileSorted(sorted: Float64Array, perMille: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((n * perMille) / 1000));
  return sorted[Math.min(n, rank) - 1];
}

/**
 * The k-th smallest value (0-based) of the first `length` values, by
 * quickselect in place (Hoare partition, median-of-three pivot): O(n), where a
 * sort is O(n log n). The array's order is lost.
 */
export function selectKth(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Nearest-rank percentile (as percentileSorted) of an unsorted array, by selection. */
function percentileSelect(values: Float64Array, perMille: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((n * perMille) / 1000));
  return selectKth(values, Math.min(n, rank) - 1);
}

/** How many values of an ascending array are <= x. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In-place insertion sort of the first `length` values: N <= 64, and no allocation per trial. */
function sortPrefix(values: Float64Array, length: number): void {
  for (let i = 1; i < length; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

function checkOptions(o: Required<VisibilityOptions>): void {
  const ok = (v: number, lo: number, hi: number) => Number.isSafeInteger(v) && v >= lo && v <= hi;
  if (!ok(o.n, 1, LIMITS.quorumN) || !ok(o.r, 1, o.n) || !ok(o.w, 1, o.n)) throw new Error(`visibility: expected 1 <= R, W <= N <= ${LIMITS.quorumN}; got N=${o.n} R=${o.r} W=${o.w}`);
  if (!ok(o.trials, 1, VISIBILITY_LIMITS.trials) || o.trials * o.n > VISIBILITY_LIMITS.replicaDraws) throw new Error(`visibility: ${o.trials} trials × N=${o.n} is over the limit`);
  if (!ok(o.seed, 0, LIMITS.seed)) throw new Error(`visibility: seed ${o.seed} out of range`);
  if (o.tMs.length > VISIBILITY_LIMITS.tValues || o.tMs.some((t) => !(Number.isFinite(t) && t >= 0))) throw new Error("visibility: t values must be finite and >= 0");
}

/** Runs the WARS Monte Carlo with the given samplers (tests inject deterministic ones). */
export function simulateVisibility(samplers: LegSamplers, options: VisibilityOptions): VisibilityResult {
  const o: Required<VisibilityOptions> = { trials: DEFAULT_TRIALS, seed: DEFAULT_SEED, tMs: DEFAULT_T_MS, ...options };
  checkOptions(o);
  const { n, r: readQuorum, w: writeQuorum, trials } = o;
  const rng = new Rng(o.seed);
  // Per-replica scratch, reused by every trial.
  const writeArrival = new Float64Array(n);
  const readRequest = new Float64Array(n);
  const readLatency = new Float64Array(n);
  const scratch = new Float64Array(n);
  // Per-trial outputs.
  const tStar = new Float64Array(trials);
  const reads = new Float64Array(trials);
  const writes = new Float64Array(trials);
  const { w: ws, a: as, r: rs, s: ss } = samplers;

  for (let trial = 0; trial < trials; trial++) {
    for (let i = 0; i < n; i++) {
      const wi = ws.sample(rng);
      const ai = as.sample(rng);
      const ri = rs.sample(rng);
      const si = ss.sample(rng);
      writeArrival[i] = wi;
      scratch[i] = wi + ai;
      readRequest[i] = ri;
      readLatency[i] = ri + si;
    }
    sortPrefix(scratch, n);
    const commit = scratch[writeQuorum - 1];
    for (let i = 0; i < n; i++) scratch[i] = readLatency[i];
    sortPrefix(scratch, n);
    const readDone = scratch[readQuorum - 1];
    // The responders: every replica strictly faster than the R-th reply, then ties by index.
    let ties = readQuorum;
    for (let i = 0; i < n; i++) if (readLatency[i] < readDone) ties--;
    let earliest = Infinity;
    for (let i = 0; i < n; i++) {
      const lat = readLatency[i];
      if (lat < readDone || (lat === readDone && ties-- > 0)) {
        const needed = writeArrival[i] - readRequest[i] - commit;
        if (needed < earliest) earliest = needed;
      }
    }
    tStar[trial] = earliest > 0 ? earliest : 0;
    reads[trial] = readDone;
    writes[trial] = commit;
  }

  return summarise(tStar, reads, writes, o);
}

/** The per-trial times, sorted, as the visibility curve, its percentiles and the quorum latencies. */
function summarise(tStar: Float64Array, reads: Float64Array, writes: Float64Array, o: Required<VisibilityOptions>): VisibilityResult {
  const trials = o.trials;
  tStar.sort();
  const at = (t: number): VisibilityPoint => ({ tMs: t, consistent: countAtMost(tStar, t) / trials });
  const tForP999Ms = percentileSorted(tStar, 999);
  const curve: VisibilityPoint[] = [];
  if (tForP999Ms > 0) {
    const end = tForP999Ms * 1.25;
    for (let k = 0; k < CURVE_POINTS; k++) curve.push(at((end * k) / (CURVE_POINTS - 1)));
  }
  return {
    trials,
    seed: o.seed,
    visibility: o.tMs.map(at),
    consistentAtCommit: at(0).consistent,
    tForP999Ms,
    // Selection, not a sort: two order statistics of a million values each.
    latencyP999Ms: { read: percentileSelect(reads, 999), write: percentileSelect(writes, 999) },
    latencyP50Ms: { read: percentileSelect(reads, 500), write: percentileSelect(writes, 500) },
    curve,
  };
}

/** The same from a latency file; throws if a `same:` chain loops (the CLI checks first, with a position). */
export function visibilityFromFile(file: Pick<LatencyFileInput, Leg>, options: VisibilityOptions): VisibilityResult {
  const resolved = resolveLegs(file);
  if ("cycle" in resolved) throw new Error(`latency leg ${resolved.cycle}: its "same:" references loop`);
  return simulateVisibility(legSamplers(resolved.legs), options);
}
