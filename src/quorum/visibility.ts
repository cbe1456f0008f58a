// t-visibility by Monte Carlo, after the WARS model of Probabilistically
// Bounded Staleness (Bailis et al., VLDB 2012). For each trial and each of the
// N replicas draw four one-way delays: W (write request to the replica), A
// (its ack), R (read request) and S (read response). Then
//   - the write commits at wt = the W-th smallest W_i + A_i;
//   - a read that starts t ms after the commit reaches replica i at
//     wt + t + R_i, and replica i has the write iff W_i <= wt + t + R_i;
//   - the read is sent to all N replicas (as Dynamo's and Riak's coordinators
//     send it; Cassandra's asks only as many as its consistency level needs,
//     which this does not model) and returns with the first R responses: the
//     R replicas with the smallest R_i + S_i (ties go to the lower index);
//   - the read is consistent iff one of those responders had the write.
// A trial is therefore consistent for every t >= t* = max(0, min over the
// responders of (W_j − R_j) − wt). Keeping t* per trial gives the exact
// empirical P(consistent at t) for any t, and its 99.9th percentile is the
// smallest t with P >= 0.999 for the sample, with no grid search.
//
// With K of the N unreachable (`down`: replicas down with no stand-in taking
// their place), a coordinator sends to the others only, as a Dynamo-style one
// does once its failure detector marks the K down: each trial draws the N − K
// reachable replicas, the write commits at the W-th of their acks and the read
// returns with the first R of their replies. W or R above N − K is a blocked operation, with nothing to
// simulate (the caller checks; here it is an assertion).
//
// With `remote` (the latency file's wide-area replicas, the paper's WAN
// scenario), each trial also picks, apart for the write and for the read, the
// `local` replicas near that operation's coordinator; the others' two legs of
// the operation take `add` ms more. The near ones are `local` of all N: which
// replicas are down does not depend on where the coordinator is, so with K
// down an operation has fewer near replicas whenever a down one was among them
// (a stand-in takes a down replica's place, near or far).
//
// A million trials in typed arrays: the trials run in chunks of CHUNK_TRIALS,
// each with its own generator seeded from (seed, chunk index), so a chunk's
// draws do not depend on the chunks before it (a result is the same however
// the chunks are shared out, and the first T trials of a run are the same for
// any larger --trials). Within a chunk each leg is drawn for every trial and
// replica into one reused buffer (legs.ts), then the order statistics are
// taken in place; nothing is allocated per trial.
//
// Pure: no I/O, no wall clock; every draw comes from the seeded Rng.
import { Rng } from "../base/rng.js";
import { LIMITS, type LatencyFileInput } from "../model/schema.js";
import type { Latency } from "../model/types.js";
import { BitStream } from "./bits.js";
import { drawDelays, legSampler, type DelaySampler, type DrawSource } from "./legs.js";
import { countAtMostEach, percentileSelect, percentilesSelect, selectKthIn } from "../base/order.js";
import { quorumRead, retryThresholdMs, type ReadFanout } from "./fanout.js";

export type { DelaySampler } from "./legs.js";
export { percentileSorted, selectKth } from "../base/order.js";

export const DEFAULT_T_MS: readonly number[] = [0, 1, 5, 10, 50, 100];
export const DEFAULT_TRIALS = 100_000;
export const DEFAULT_SEED = 1;
/** Upper limits: trials per run, and trials × N (replica draws per leg), so no input can run for minutes. */
export const VISIBILITY_LIMITS = { trials: 1_000_000, replicaDraws: 10_000_000, tValues: 50 } as const;

export type Leg = "w" | "a" | "r" | "s";
export const LEGS: readonly Leg[] = ["w", "a", "r", "s"];

export type LegSamplers = Record<Leg, DelaySampler>;

/**
 * Replicas in other datacenters (the PBS paper's WAN scenario): for each
 * operation, `local` of the replicas drawn, chosen at random (apart for the
 * write and for the read), are near its coordinator; each of the others takes
 * `add` ms more on both legs of that operation (w and a, or r and s).
 */
export interface RemoteReplicas {
  local: number;
  add: number;
}

export interface VisibilityOptions {
  n: number;
  r: number;
  w: number;
  /** Replicas of the N that no request reaches (down, with no stand-in); each trial draws the other N − down. */
  down?: number;
  trials?: number;
  seed?: number;
  /** The read start times to report (ms after the write commits). */
  tMs?: readonly number[];
  /** Wide-area replicas (the latency file's `remote:`), `local` of all N near each coordinator; null or absent: every replica takes the legs as drawn. */
  remote?: RemoteReplicas | null;
  /** Which replicas a read asks: all of them (WARS, Dynamo, Riak; the default) or R and a speculative retry (Cassandra). */
  fanout?: ReadFanout;
}

export interface VisibilityPoint {
  tMs: number;
  /** Share of trials in which a read starting tMs after the commit returned the write. */
  consistent: number;
}

export interface VisibilityResult {
  trials: number;
  /** Replicas drawn per trial: N − down. */
  replicas: number;
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
  /** A read that asks R replicas (fanout `r`): when it asks one more (ms after it starts; null: never), and the share of reads that did. */
  retry: { thresholdMs: number | null; share: number } | null;
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

/** Inverse-CDF buffer samplers for the four legs (legs.ts: tabulated inside, exact in the tails). */
export function legSamplers(legs: Record<Leg, Latency>): LegSamplers {
  return { w: legSampler(legs.w), a: legSampler(legs.a), r: legSampler(legs.r), s: legSampler(legs.s) };
}

function checkOptions(o: Required<VisibilityOptions>): void {
  const ok = (v: number, lo: number, hi: number) => Number.isSafeInteger(v) && v >= lo && v <= hi;
  if (!ok(o.n, 1, LIMITS.quorumN) || !ok(o.r, 1, o.n) || !ok(o.w, 1, o.n)) throw new Error(`visibility: expected 1 <= R, W <= N <= ${LIMITS.quorumN}; got N=${o.n} R=${o.r} W=${o.w}`);
  if (!ok(o.down, 0, o.n - Math.max(o.r, o.w))) throw new Error(`visibility: with ${o.down} of N=${o.n} down, R=${o.r} or W=${o.w} is blocked`);
  if (!ok(o.trials, 1, VISIBILITY_LIMITS.trials) || o.trials * o.n > VISIBILITY_LIMITS.replicaDraws) throw new Error(`visibility: ${o.trials} trials × N=${o.n} is over the limit`);
  if (!ok(o.seed, 0, LIMITS.seed)) throw new Error(`visibility: seed ${o.seed} out of range`);
  if (o.tMs.length > VISIBILITY_LIMITS.tValues || o.tMs.some((t) => !(Number.isFinite(t) && t >= 0))) throw new Error("visibility: t values must be finite and >= 0");
  if (o.remote !== null && !(ok(o.remote.local, 1, LIMITS.quorumN) && Number.isFinite(o.remote.add) && o.remote.add >= 0)) throw new Error("visibility: remote needs 1 <= local <= 64 and add >= 0");
  const retry = o.fanout.kind === "r" ? o.fanout.retry : null;
  if (retry?.kind === "fixed" && !(Number.isFinite(retry.ms) && retry.ms >= 0)) throw new Error("visibility: a speculative retry delay must be finite and >= 0");
  if (retry?.kind === "percentile" && !(retry.percent > 0 && retry.percent < 100)) throw new Error("visibility: a speculative retry percentile must be between 0 and 100");
}

/** Trials per chunk: each chunk draws from its own generator, so this size is part of what a seed means. */
export const CHUNK_TRIALS = 4096;

/**
 * The seed of chunk `chunk` of a run with `seed`: the chunk index added to a
 * hash of the seed, hashed again (splitmix32's finaliser, a bijection), so
 * neighbouring chunks and neighbouring seeds get unrelated streams.
 */
export function chunkSeed(seed: number, chunk: number): number {
  return mix32((mix32(seed) + chunk) | 0);
}

function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Per-trial outputs of a run (or of a range of its chunks): t*, the read's and the write's latency, and whether the read asked one more replica. */
export interface TrialTimes {
  tStar: Float64Array;
  reads: Float64Array;
  writes: Float64Array;
  retried?: Uint8Array;
  /** Set by runChunks for a fanout `r`: when a read asks one more replica (Infinity: never). */
  retryMs?: number;
}

/** Runs the WARS Monte Carlo with the given samplers (tests inject deterministic ones). */
export function simulateVisibility(samplers: LegSamplers, options: VisibilityOptions): VisibilityResult {
  const o = withDefaults(options);
  const times: TrialTimes = { tStar: new Float64Array(o.trials), reads: new Float64Array(o.trials), writes: new Float64Array(o.trials), retried: new Uint8Array(o.trials) };
  runChunks(samplers, o, 0, chunkCount(o.trials), times);
  return summarise(times, o);
}

/** The options with their defaults, checked. */
export function withDefaults(options: VisibilityOptions): Required<VisibilityOptions> {
  const o: Required<VisibilityOptions> = { down: 0, trials: DEFAULT_TRIALS, seed: DEFAULT_SEED, tMs: DEFAULT_T_MS, remote: null, fanout: { kind: "all" }, ...options };
  checkOptions(o);
  return o;
}

export function chunkCount(trials: number): number {
  return Math.ceil(trials / CHUNK_TRIALS);
}

/**
 * Runs chunks from..to-1 of the run, writing trial (chunk·CHUNK_TRIALS + k)'s
 * times at index chunk·CHUNK_TRIALS + k − from·CHUNK_TRIALS of `out`.
 */
export function runChunks(samplers: LegSamplers, o: Required<VisibilityOptions>, from: number, to: number, out: TrialTimes): void {
  const n = o.n - o.down;
  const size = CHUNK_TRIALS * n;
  // One buffer per leg and a per-replica scratch, reused by every chunk.
  const legs = { w: new Float64Array(size), a: new Float64Array(size), r: new Float64Array(size), s: new Float64Array(size) };
  const scratch = new Float64Array(n);
  const bits = new Uint32Array(size);
  // With remote replicas: which are local to each trial's write and read (`local` draws each, among all N), and scratch to pick them.
  const remote = o.remote !== null && o.remote.local < o.n ? o.remote : null;
  const picks = remote === null ? null : new Uint32Array(CHUNK_TRIALS * 2 * remote.local);
  const order = new Int32Array(o.n);
  const near = new Uint8Array(n);
  const reads = readPlan(samplers, o, n, remote);
  if (reads !== null) out.retryMs = reads.thresholdMs;
  for (let chunk = from; chunk < to; chunk++) {
    const first = chunk * CHUNK_TRIALS;
    const count = Math.min(CHUNK_TRIALS, o.trials - first);
    const seed = chunkSeed(o.seed, chunk);
    // One-at-a-time samplers (tests' scripted ones) get a generator of their own, seeded apart from the bit stream.
    let rng: Rng | null = null;
    const source: DrawSource = { stream: new BitStream(seed), bits, rng: () => (rng ??= new Rng(mix32(seed))) };
    // Every leg draws a whole chunk's worth, even in a short last chunk: leg a's draws then start at the same place
    // in the stream whatever the count, so trial k gets the same delays for any --trials that includes it.
    for (const leg of LEGS) drawDelays(samplers[leg], source, legs[leg], size);
    if (remote !== null) {
      source.stream.fill(picks!, picks!.length);
      addRemote(legs, count, n, o.n, remote, picks!, order, near, reads);
    }
    trialsOfChunk(legs, count, o, scratch, out, first - from * CHUNK_TRIALS, reads);
  }
}

/** A read that asks R replicas (fanout `r`): per trial, the replicas it asks (R, then the one a retry asks), and when it retries. */
interface QuorumReads {
  asked: Int32Array;
  /** Entries of `asked` per trial: R, plus one when a replica is left for a retry. */
  stride: number;
  hasExtra: boolean;
  thresholdMs: number;
  result: Float64Array;
}

/**
 * The chunk of the seed space the retry threshold's pilot reads draw from: past any real run's last chunk
 * (VISIBILITY_LIMITS.trials / CHUNK_TRIALS), so the pilot shares no draws with the trials.
 */
const PILOT_CHUNK = 1 << 20;

/** The plan of fanout `r`'s reads (null for `all`): without remote replicas, trial k asks its replicas 0..R (all alike). */
function readPlan(samplers: LegSamplers, o: Required<VisibilityOptions>, n: number, remote: RemoteReplicas | null): QuorumReads | null {
  if (o.fanout.kind !== "r") return null;
  const hasExtra = n > o.r;
  const stride = o.r + (hasExtra ? 1 : 0);
  const asked = new Int32Array(CHUNK_TRIALS * stride);
  for (let trial = 0; trial < CHUNK_TRIALS; trial++) for (let j = 0; j < stride; j++) asked[trial * stride + j] = trial * n + j;
  // The R asked are the near ones first (a snitch ranks them best): of the `local` near ones (among all N) those drawn.
  const near = remote === null ? null : { local: remote.local, total: o.n, drawn: n };
  const thresholdMs = hasExtra ? retryThresholdMs(o.fanout.retry, { r: samplers.r, s: samplers.s, asked: o.r, near, addMs: remote?.add ?? 0, seed: chunkSeed(o.seed, PILOT_CHUNK) }) : Infinity;
  return { asked, stride, hasExtra, thresholdMs, result: new Float64Array(2) };
}

/**
 * Adds the wide-area delay: per trial, the write's `local` near replicas are a
 * uniform random subset of all `total` (N) replicas (a partial Fisher-Yates
 * shuffle driven by `picks`), of which those among the `n` drawn (0..n-1; the
 * others are down) are near; every other drawn replica's w and a take `add`
 * more. Then the same, with the next draws, for the read's r and s.
 */
function addRemote(legs: Record<Leg, Float64Array>, count: number, n: number, total: number, remote: RemoteReplicas, picks: Uint32Array, order: Int32Array, near: Uint8Array, reads: QuorumReads | null): void {
  const { local, add } = remote;
  const operations = [[legs.w, legs.a], [legs.r, legs.s]] as const;
  let p = 0;
  for (let trial = 0, base = 0; trial < count; trial++, base += n) {
    for (const [first, second] of operations) {
      for (let i = 0; i < total; i++) order[i] = i;
      for (let i = 0; i < n; i++) near[i] = 0;
      for (let j = 0; j < local; j++) {
        const k = j + Math.floor(picks[p++] * UNIT_32 * (total - j));
        const chosen = order[k];
        order[k] = order[j];
        order[j] = chosen;
        if (chosen < n) near[chosen] = 1;
      }
      for (let i = 0; i < n; i++) {
        if (near[i] === 1) continue;
        first[base + i] += add;
        second[base + i] += add;
      }
    }
    // The read's near replicas lead `order`: a read that asks R asks the drawn ones among them first, then the other drawn.
    if (reads !== null) {
      let m = 0;
      for (let j = 0; j < total && m < reads.stride; j++) if (order[j] < n) reads.asked[trial * reads.stride + m++] = base + order[j];
    }
  }
}

/** 2^-32: a 32-bit draw as a fraction of [0, 1). */
const UNIT_32 = 2 ** -32;

/** The order statistics of `count` trials whose legs are drawn; writes their times at `at`. Overwrites the legs. */
function trialsOfChunk(legs: Record<Leg, Float64Array>, count: number, o: Required<VisibilityOptions>, scratch: Float64Array, out: TrialTimes, at: number, plan: QuorumReads | null): void {
  const { w: writeQuorum, r: readQuorum } = o;
  const n = o.n - o.down;
  const { w: lead, a: ack, r: request, s: response } = legs;
  const draws = count * n;
  // In place: a becomes the replica's ack time W_i + A_i, s its read latency
  // R_i + S_i, and w its lead W_i − R_i (the write reaches it W_i − R_i after
  // the read request leaves, so a read starting t after the commit finds the
  // write there iff W_i − R_i − wt <= t).
  for (let k = 0; k < draws; k++) {
    ack[k] += lead[k];
    response[k] += request[k];
    lead[k] -= request[k];
  }
  const { tStar, reads, writes } = out;
  for (let trial = 0, base = 0; trial < count; trial++, base += n) {
    let commit = ack[base];
    if (writeQuorum === 1) for (let i = base + 1; i < base + n; i++) commit = ack[i] < commit ? ack[i] : commit;
    else commit = kthSmallest(ack, base, n, writeQuorum - 1, scratch);
    let readDone: number;
    let earliest: number;
    if (plan !== null) {
      readDone = quorumRead(response, lead, plan.asked, trial * plan.stride, readQuorum, plan.hasExtra, plan.thresholdMs, plan.result);
      earliest = plan.result[0];
      if (out.retried) out.retried[at + trial] = plan.result[1];
    } else if (readQuorum === 1) {
      // One responder: the first replica with the fastest reply.
      let best = base;
      for (let i = base + 1; i < base + n; i++) if (response[i] < response[best]) best = i;
      readDone = response[best];
      earliest = lead[best];
    } else {
      readDone = kthSmallest(response, base, n, readQuorum - 1, scratch);
      earliest = smallestLead(response, lead, base, n, readQuorum, readDone);
    }
    const wait = earliest - commit;
    tStar[at + trial] = wait > 0 ? wait : 0;
    reads[at + trial] = readDone;
    writes[at + trial] = commit;
  }
}

/** The smallest lead among the R responders: every replica strictly faster than the R-th reply, then ties by index. */
function smallestLead(response: Float64Array, lead: Float64Array, base: number, n: number, readQuorum: number, readDone: number): number {
  let ties = readQuorum;
  for (let i = base; i < base + n; i++) if (response[i] < readDone) ties--;
  let earliest = Infinity;
  for (let i = base; i < base + n; i++) {
    const latency = response[i];
    if ((latency < readDone || (latency === readDone && ties-- > 0)) && lead[i] < earliest) earliest = lead[i];
  }
  return earliest;
}

/** Above this many replicas a quickselect beats an insertion sort for the k-th reply. */
const INSERTION_MAX = 12;

/** The k-th smallest (0-based) of values[base..base+n): a scan for the minimum or maximum, else a copy sorted (small N) or selected. */
function kthSmallest(values: Float64Array, base: number, n: number, k: number, scratch: Float64Array): number {
  if (k === 0 || k === n - 1) {
    let best = values[base];
    if (k === 0) for (let i = base + 1; i < base + n; i++) best = values[i] < best ? values[i] : best;
    else for (let i = base + 1; i < base + n; i++) best = values[i] > best ? values[i] : best;
    return best;
  }
  if (n > INSERTION_MAX) {
    for (let i = 0; i < n; i++) scratch[i] = values[base + i];
    return selectKthIn(scratch, k, 0, n - 1);
  }
  for (let i = 0; i < n; i++) {
    const v = values[base + i];
    let j = i - 1;
    while (j >= 0 && scratch[j] > v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  return scratch[k];
}

/** The per-trial times as the visibility curve, its percentiles and the quorum latencies (the arrays' order is lost). */
export function summarise(times: TrialTimes, o: Required<VisibilityOptions>): VisibilityResult {
  const { tStar, reads, writes } = times;
  const trials = o.trials;
  // Selection, not a sort: order statistics of a million values each, then one counting pass for every t asked.
  const tForP999Ms = percentileSelect(tStar, 999);
  const grid: number[] = [];
  if (tForP999Ms > 0) {
    const end = tForP999Ms * 1.25;
    for (let k = 0; k < CURVE_POINTS; k++) grid.push((end * k) / (CURVE_POINTS - 1));
  }
  const queries = [...o.tMs, 0, ...grid];
  const counts = countAtMostEach(tStar, queries);
  const point = (index: number): VisibilityPoint => ({ tMs: queries[index], consistent: counts[index] / trials });
  const [readP50, readP999] = percentilesSelect(reads, [500, 999]);
  const [writeP50, writeP999] = percentilesSelect(writes, [500, 999]);
  return {
    trials,
    replicas: o.n - o.down,
    seed: o.seed,
    visibility: o.tMs.map((_, i) => point(i)),
    consistentAtCommit: point(o.tMs.length).consistent,
    tForP999Ms,
    latencyP999Ms: { read: readP999, write: writeP999 },
    latencyP50Ms: { read: readP50, write: writeP50 },
    curve: grid.map((_, k) => point(o.tMs.length + 1 + k)),
    retry: o.fanout.kind === "r" ? { thresholdMs: times.retryMs === undefined || times.retryMs === Infinity ? null : times.retryMs, share: retriedShare(times, trials) } : null,
  };
}

function retriedShare(times: TrialTimes, trials: number): number {
  if (!times.retried) return 0;
  let retried = 0;
  for (let k = 0; k < trials; k++) retried += times.retried[k];
  return retried / trials;
}

/** The same from a latency file (its legs and `remote:`); throws if a `same:` chain loops (the CLI checks first, with a position). */
export function visibilityFromFile(file: Pick<LatencyFileInput, Leg | "remote">, options: VisibilityOptions): VisibilityResult {
  const resolved = resolveLegs(file);
  if ("cycle" in resolved) throw new Error(`latency leg ${resolved.cycle}: its "same:" references loop`);
  return simulateVisibility(legSamplers(resolved.legs), { remote: file.remote ?? null, ...options });
}
