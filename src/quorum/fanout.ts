// Which replicas a read asks. Dynamo's and Riak's coordinators send a read to
// every replica they can reach and return with the first R replies (WARS as
// the PBS paper defines it: `all`). Cassandra's coordinator asks only the R
// replicas its consistency level needs, the ones its dynamic snitch ranks
// best, and sends the read to one more replica when the answer is late
// (`speculative_retry`, by default when the read has waited the 99th
// percentile of the table's read latency): `r`. It then returns with the
// first R replies of the R + 1 it asked.
//
// In the WARS model every replica's legs are independent and alike, so a
// snitch's ranking (built from past latencies) says nothing about this read's
// draws: the R replicas asked are R of the reachable ones at random, and
// with the latency file's `remote:` the ones near the read's coordinator
// first (a snitch ranks a nearby replica above one across a wide-area link).
//
// Pure: no I/O, no wall clock; every draw comes from the seeded bit stream.
import { BitStream } from "./bits.js";
import { drawDelays, type DelaySampler, type DrawSource } from "./legs.js";
import { percentileSelect } from "../base/order.js";
import { Rng } from "../base/rng.js";

/** When a read that asks R asks one more replica (Cassandra's speculative_retry: NONE, ALWAYS, a percentile, a fixed delay). */
export type SpeculativeRetry = { kind: "none" } | { kind: "always" } | { kind: "percentile"; percent: number } | { kind: "fixed"; ms: number };

export type ReadFanout = { kind: "all" } | { kind: "r"; retry: SpeculativeRetry };

/** Cassandra's default table option: speculative_retry = '99p'. */
export const DEFAULT_RETRY: SpeculativeRetry = { kind: "percentile", percent: 99 };

/** Reads drawn to place a percentile threshold: its own stream, so the threshold does not depend on --trials. */
export const PILOT_READS = 65_536;

/**
 * Parses a speculative_retry value as Cassandra writes it: `NONE`, `ALWAYS`,
 * `99p` (a percentile of the read latency, 0 < p < 100) or `20ms`; null when
 * it is none of these.
 */
export function parseSpeculativeRetry(text: string): SpeculativeRetry | null {
  const value = text.trim().toLowerCase();
  if (value === "none") return { kind: "none" };
  if (value === "always") return { kind: "always" };
  const percentile = /^(\d+(?:\.\d+)?)p$/.exec(value);
  if (percentile) {
    const percent = Number(percentile[1]);
    return percent > 0 && percent < 100 ? { kind: "percentile", percent } : null;
  }
  const fixed = /^(\d+(?:\.\d+)?)ms$/.exec(value);
  return fixed ? { kind: "fixed", ms: Number(fixed[1]) } : null;
}

/** How Cassandra prints it back: NONE, ALWAYS, 99p, 20ms. */
export function formatSpeculativeRetry(retry: SpeculativeRetry): string {
  switch (retry.kind) {
    case "none":
      return "NONE";
    case "always":
      return "ALWAYS";
    case "percentile":
      return `${retry.percent}p`;
    case "fixed":
      return `${retry.ms}ms`;
  }
}

/** The read legs and what a read that asks R needs to know about the replicas. */
export interface PilotSetup {
  r: DelaySampler;
  s: DelaySampler;
  /** Replicas a read asks (R). */
  asked: number;
  /**
   * With wide-area replicas: `local` of the `total` (N) replicas are near the read's coordinator, chosen at random,
   * and the first `drawn` are reachable; the read asks the reachable near ones first, and each other replica it asks
   * takes `addMs` more on each leg. Null: every replica is near.
   */
  near: { local: number; total: number; drawn: number } | null;
  addMs: number;
  seed: number;
}

/**
 * The delay after which a read asks one more replica, in ms from the read's
 * start: 0 for ALWAYS, Infinity for NONE, the given delay, or the percentile
 * of the read's own latency without a retry (the slowest of its R replies),
 * estimated from PILOT_READS reads drawn from a stream of their own.
 */
export function retryThresholdMs(retry: SpeculativeRetry, setup: PilotSetup): number {
  if (retry.kind === "none") return Infinity;
  if (retry.kind === "always") return 0;
  if (retry.kind === "fixed") return retry.ms;
  const size = PILOT_READS * setup.asked;
  const request = new Float64Array(size);
  const response = new Float64Array(size);
  // One generator for one-at-a-time samplers (tests' scripted ones), shared by both legs as the trials' chunks share theirs.
  let rng: Rng | null = null;
  const source: DrawSource = { stream: new BitStream(setup.seed), bits: new Uint32Array(size), rng: () => (rng ??= new Rng(setup.seed)) };
  drawDelays(setup.r, source, request, size);
  drawDelays(setup.s, source, response, size);
  const latency = new Float64Array(PILOT_READS);
  const farOf = farAsked(setup);
  for (let read = 0, base = 0; read < PILOT_READS; read++, base += setup.asked) {
    const near = setup.asked - farOf();
    let slowest = 0;
    for (let i = 0; i < setup.asked; i++) {
      const reply = request[base + i] + response[base + i] + (i >= near ? 2 * setup.addMs : 0);
      if (reply > slowest) slowest = reply;
    }
    latency[read] = slowest;
  }
  return percentileSelect(latency, retry.percent * 10);
}

/**
 * How many of the R replicas a read asks are far, per pilot read: none
 * without wide-area replicas; R − local when all N are reachable; with some
 * down, R minus the near ones that are reachable, a hypergeometric count drawn
 * from a generator of its own (seeded from the pilot's seed).
 */
function farAsked(setup: PilotSetup): () => number {
  const near = setup.near;
  if (near === null) return () => 0;
  if (near.drawn >= near.total) {
    const far = Math.max(0, setup.asked - near.local);
    return () => far;
  }
  const rng = new Rng((setup.seed ^ 0x6a09e667) >>> 0);
  return () => {
    // `local` picks without replacement among `total`: the chance the next lands on a reachable one is (reachable left) / (left).
    let reachableLeft = near.drawn;
    let nearReachable = 0;
    for (let j = 0; j < near.local; j++) {
      if (rng.int(near.total - j) < reachableLeft) {
        reachableLeft--;
        nearReachable++;
      }
    }
    return Math.max(0, setup.asked - nearReachable);
  };
}

/**
 * One read of a trial that asks R replicas, from the replicas' reply times (R_i + S_i
 * from the read's start) and leads (W_i − R_i): `asked` lists the R replicas
 * asked and then the one a retry would ask (absent when none is left). The
 * retry goes out at `thresholdMs` if some reply is still missing then; the
 * read returns with the first R replies. Returns the read's latency, and
 * writes in `out[0]` the smallest lead of the replicas it returned with (a
 * retried replica's request left `thresholdMs` late, so its lead is that much
 * smaller).
 */
export function quorumRead(reply: Float64Array, lead: Float64Array, asked: Int32Array, askedFrom: number, readQuorum: number, hasExtra: boolean, thresholdMs: number, out: Float64Array): number {
  let slowest = -Infinity;
  let slowestAt = -1;
  let earliest = Infinity;
  for (let j = askedFrom; j < askedFrom + readQuorum; j++) {
    const i = asked[j];
    if (reply[i] > slowest) {
      slowest = reply[i];
      slowestAt = i;
    }
    if (lead[i] < earliest) earliest = lead[i];
  }
  if (!hasExtra || slowest <= thresholdMs) {
    out[0] = earliest;
    out[1] = 0;
    return slowest;
  }
  // A reply is late at the threshold: one more replica is asked, and the slowest of the R + 1 is not waited for.
  const extra = asked[askedFrom + readQuorum];
  const extraReply = thresholdMs + reply[extra];
  out[1] = 1;
  if (extraReply >= slowest) {
    out[0] = earliest;
    return slowest;
  }
  // The extra replaces the slowest of the first R: the read ends at the latest of the others and the extra.
  let done = extraReply;
  let kept = lead[extra] - thresholdMs;
  for (let j = askedFrom; j < askedFrom + readQuorum; j++) {
    const i = asked[j];
    if (i === slowestAt) continue;
    if (reply[i] > done) done = reply[i];
    if (lead[i] < kept) kept = lead[i];
  }
  out[0] = kept;
  return done;
}
