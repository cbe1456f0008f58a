import type { DrillResult, Recovery } from "./recovery.js";
import type { CoreEvent } from "./core/events.js";
import type { LeaderFollowerEvent } from "./leader-follower/events.js";
import type { LeaderlessEvent, MultiLeaderEvent } from "./shape-events.js";

// The result of one simulated run, in the documented JSON shape. The engine
// produces it; renderers (text, JSON, markdown) and expectations read it.

export interface ClassResult {
  name: string;
  rpo: { targetMs: number; lostAckedWrites: number; windowMs: number };
  /**
   * writeMs / readMs: the longest outage of the run (null: one never ended); outages: the longest write outages
   * (at most 20, in time order), each charged to a fault; outageCount: how many there were in all.
   */
  rto: { targetMs: number; writeMs: number | null; readMs: number | null; /** The client tail: over the clients the faults cut off, the median and the 99th percentile of each one's worst wait (null: never back). */
  p50ClientMs: number | null;
  p99ClientMs: number | null;
  outages?: OutageResult[]; outageCount?: number;
  /**
   * An outage still open when the run ended (writeMs / readMs null): how long it had lasted by then. Shorter than
   * the target, the RTO is not known yet (the verdict "undecided"); absent when none was open.
   */
  writeOpenMs?: number; readOpenMs?: number };
  latency: { writeP50Ms: number | null; writeP99Ms: number | null; readP50Ms: number | null; readP99Ms: number | null };
  staleReads: number;
  writesAcked: number;
  writesRejected: number;
  /** Of writesRejected, those rejected before any fault (absent when none was). */
  rejectedWithoutFault?: number;
  /**
   * A class of a mode that can refuse some keys while it serves others (leaderless; multi-leader with home-region
   * routing): the keys that could not be written or read, from the cluster's state (absent in other modes).
   */
  keyOutages?: KeyOutages;
  /** Every part below that has a figure met its target. */
  met: boolean;
  /** Each measured figure that has a target, judged on its own (absent for a live run's classes). */
  verdicts?: ClassVerdicts;
  trials?: TrialSummary;
}

/**
 * Whether each figure of a class met its target: the RPO, the write and read RTO, the RTO of the p99 client, the
 * longest partial outage of its keys against the RTO and, when the class's data needs a restore, the restore's
 * time against the RTO and the writes it cannot bring back against the RPO (no way back misses both). null: the
 * run has no such figure (no reads, no fault, no partial outage, nothing to restore).
 */
/**
 * A verdict on a time against the RTO target: "undecided" when the outage was still open at the end of a run that
 * ended before the target had elapsed since it began (service not back yet, but the target not missed yet either).
 */
export type RtoVerdict = boolean | "undecided";

export interface ClassVerdicts {
  rpo: boolean;
  writeRto: RtoVerdict;
  readRto: RtoVerdict | null;
  p99ClientRto: RtoVerdict | null;
  /**
   * Some of the class's keys could not be written (or read) while others could: the longest such stretch
   * (keyOutages' longestPartial) against the RTO target (see judgeKeyOutages in measure.ts).
   */
  keyRto: boolean | null;
  restoreRto: boolean | null;
  restoreRpo: boolean | null;
  /**
   * Before any fault (the whole run without one) no write of the class was rejected: the design carries its
   * plain load. false: writes failed with nothing broken (a replica replaying slower than remote_apply commits
   * need, a synchronous standby too far for the timeout); null: no write was sent before a fault.
   */
  noFaultRejects: boolean | null;
}

/** A class met its targets when every figure that has one met it (an undecided one has not, yet). */
export function allMet(v: ClassVerdicts): boolean {
  return Object.values(v).every((part) => part === true || part === null);
}

/** Whether any figure of the class is undecided (the run ended before its RTO target could be missed). */
export function anyUndecided(v: ClassVerdicts | undefined): boolean {
  return v !== undefined && Object.values(v).some((part) => part === "undecided");
}

/**
 * A class's partial outages, measured from the cluster's state rather than from requests (see
 * engine/key-outages.ts). Leaderless: the key ranges for which no coordinator clients can use reaches W (for
 * reads, R) of the nodes the key's requests go to. Multi-leader with home-region routing: the keys of a home
 * region whose clients reach no live home leader (for reads, no live leader at all). The RTO times the class as a
 * whole, which other keys keep serving; this says which share of its keys could not be written or read, and for
 * how long.
 */
export interface KeyOutages {
  /** The workload's keys: each class draws its keys from all of them. */
  keys: number;
  writes: KeyOutageFigures;
  reads: KeyOutageFigures;
}

export interface KeyOutageFigures {
  /** W (for reads, R): the nodes a request must reach (multi-leader: 1, a leader). */
  needed: number;
  /** The longest stretch during which the same key ranges stayed unavailable (null: none ever was). */
  longest: KeyOutageSpan | null;
  /** The longest of those that left other keys available (null: none did): what the class's RTO cannot see. */
  longestPartial: KeyOutageSpan | null;
  /** The most keys unavailable at one time, and their share of the keys. */
  peakKeys: number;
  peakShare: number;
  /** Keys unavailable at some time of the run, and their share. */
  affectedKeys: number;
  affectedShare: number;
  /** The unavailable share of the keys integrated over time (ms): 20% of the keys for 30 s is 6,000. */
  shareMs: number;
  /** The longest stretches (at most 20, in time order), each the ranges that became unavailable and available again together. */
  spans: KeyOutageSpan[];
  /** How many stretches there were in all. */
  spanCount: number;
}

export interface KeyOutageSpan {
  /** The fault it is charged to (an index into the scenario's faults): the latest at or before its start. */
  fault: number;
  startMs: number;
  /** null: still unavailable when the run ended (`ms` then runs to the end of the run). */
  endMs: number | null;
  ms: number;
  keys: number;
  share: number;
}

/** One outage of a class's writes: the fault it is charged to (index into the scenario's faults), its first failure and its end. */
export interface OutageResult {
  /** The fault it is charged to (an index into the scenario's faults); null: none, writes failed under the run's own load. */
  fault: number | null;
  faultMs: number | null;
  /** Counted from: the fault's time when it broke a serving class, else the first failure. */
  startMs: number;
  firstErrorMs: number;
  /** null: writes of the class never came back within the run. */
  recoveredMs: number | null;
  /** Its length, recoveredMs − startMs before rounding (as the RTO is), null when it never ended. */
  ms: number | null;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TrialSummary {
  n: number;
  rpoMs: Percentiles;
  rtoMs: Percentiles;
  metShare: number;
  rpoMetShare: number;
  rtoMetShare: number;
  /** Every trial's RPO window and write RTO (Infinity: never recovered), in seed order: for distributions drawn whole. */
  samples: { rpoMs: number[]; rtoMs: number[] };
}

/** Facts the measurement pass adds: restore drills (see recovery.ts) and extrapolation. */
export type MeasureEvent = { event: "restore-drill" | "restore-drill-failed"; drill: DrillResult } | { event: "extrapolated" };

/** Every kind of fact the engine records; the report words each one. */
export type TimelineFact = CoreEvent | LeaderFollowerEvent | LeaderlessEvent | MultiLeaderEvent | MeasureEvent;

/**
 * What a live run observed on a real cluster (etcd, Patroni's REST API, the writer's errors): its words come from
 * outside the engine, so they travel as text.
 */
export type ObservedFact = { event: string; observed: string };

/** When and where a fact happened: a node, a zone, or "network", "cluster", "clients"... */
export interface EntryPlace {
  atMs: number;
  node: string;
  /** The WAL position the fact is about, when there is one. */
  lsn?: number;
}

/** One timeline entry: when, where, and the fact. */
export type TimelineEntry = (TimelineFact | ObservedFact) & EntryPlace;

/** The entries recording facts of one kind, typed by it (a live cluster's observed text is left out). */
export function factsOf<K extends TimelineFact["event"]>(timeline: readonly TimelineEntry[], event: K): (Extract<TimelineFact, { event: K }> & EntryPlace)[] {
  return timeline.filter((e) => !("observed" in e) && e.event === event) as (Extract<TimelineFact, { event: K }> & EntryPlace)[];
}

export interface Totals {
  writesAcked: number;
  writesLost: number;
  writesRejected: number;
  readsRejected: number;
  staleReads: number;
  conflicts: number;
  /**
   * Multi-leader with `conflict: app` only: acknowledged writes on the losing side of a conflict, kept as siblings
   * for the application to merge (the writes last-write-wins would have dropped).
   */
  siblings?: number;
  /**
   * Multi-leader `lww` only, when writes were still queued between leaders at the end of the run: the acknowledged
   * writes last-write-wins would drop once they arrive. Projected, not measured, and not part of writesLost: the
   * run ended before those conflicts met.
   */
  writesLostProjected?: number;
  /**
   * Consensus only: requests that reached a member that does not lead and that it passed on to the leader
   * (writes, and linearizable reads served through the leader's ReadIndex), counted when passed on.
   */
  forwarded?: { writes: number; reads: number };
  splitBrainMs: number;
  writeUnavailableMs: number;
  /** How many separate stretches of time writeUnavailableMs is made of (0 without outages). */
  writeUnavailableStretches: number;
  failovers: number;
  readsServed: number;
}

/** A replica on a later timeline about to follow an older one: history would go backwards. */
export interface CommitRegression {
  node: string;
  epoch: number;
  olderEpoch: number;
}

/** An invariant the engine's own checkers found broken: a bug in repl-lab, recorded as data. */
export type Violation = (
  | { check: "outcome"; writeId: number; sentMs: number }
  | { check: "fencing"; splitBrainMs: number; fencing: string }
  | { check: "durability"; node: string; flushedLsn: number; forkLsn: number; epoch: number }
  | { check: "handoff"; node: string; replayed: number; owed: number }
  /** Monte Carlo: violations of other trials beyond the ones carried over. */
  | { check: "more-in-trials"; count: number }
) & {
  /** Monte Carlo: the trial's seed, for a violation carried over from another trial. */
  seed?: number;
};

/** What an expectation found in the run, as data; the report words it. */
export type Measured =
  | { kind: "duration"; ms: number }
  | { kind: "never" }
  /** Not back when the run ended, `openMs` into the outage: too early to judge against the target. */
  | { kind: "undecided"; openMs: number }
  | { kind: "nothing" }
  | { kind: "count"; n: number }
  | { kind: "value"; value: boolean | string }
  | { kind: "split-brain"; ms: number }
  | { kind: "rpo"; lostWrites: number; windowMs: number }
  | { kind: "no-drill" }
  | { kind: "timeline"; found: { event: string; atMs: number }[]; missing: { event: string; occursEarlier: boolean } | null }
  | { kind: "timeline-empty" }
  | { kind: "unknown-field"; field: string }
  | { kind: "no-class"; className: string }
  | { kind: "no-recovery" }
  /** The grammar's or an exception's own message: text from outside the engine. */
  | { kind: "error"; message: string }
  | { kind: "invalid"; measured: Measured; message: string };

export interface ExpectationResult {
  path: string;
  expected: string;
  measured: Measured;
  met: boolean;
  /** The run ended before the expectation could be judged (met is then false: not shown to hold). */
  undecided?: true;
  /** Monte Carlo: how many of n trials failed it, and the first seed to replay. */
  trials?: { failed: number; n: number; firstSeed: number };
}

export interface LagSample {
  atMs: number;
  /** The node that is behind. */
  node: string;
  /** Multi-leader: the leader whose stream `node` applies (each leader applies each other's stream apart). */
  origin?: string;
  lagBytes: number;
  lagMs: number;
}

export interface FailoverPhaseResult {
  phase: string;
  startMs: number;
  /** When it ended; for an ongoing phase, the run's end. */
  endMs: number;
  /** Still under way when the run ended (absent: it ended within the run). */
  ongoing?: true;
}

/** The writes sent in one bucket of time (as the reads are counted), by their outcome, for charts over time. */
export interface WriteBucket {
  /** The bucket's start; it lasts the series' bucketMs. */
  atMs: number;
  acked: number;
  /** Refused, timed out or ambiguous: the client saw an error. */
  rejected: number;
  /** Latency of the acknowledged writes sent in this bucket (null: none of them acknowledged). */
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Write outcomes in equal buckets of time: a second each, or wider for long runs so that there are at most MAX_WRITE_BUCKETS. */
export interface WritesOverTime {
  bucketMs: number;
  buckets: WriteBucket[];
}

/** The reads of one bucket of time (by when they were sent), for the read-staleness chart. */
export interface ReadBucket {
  /** The bucket's start; it lasts the series' bucketMs. */
  atMs: number;
  /** Reads answered, stale ones included. */
  served: number;
  /** Reads answered with data older than the newest acknowledged write of their key. */
  stale: number;
  /** Reads refused or timed out. */
  failed: number;
}

/** Read outcomes in the same buckets as writesOverTime: a second each, or wider for long runs. */
export interface ReadsOverTime {
  bucketMs: number;
  buckets: ReadBucket[];
}

export interface RegionLatency {
  region: string;
  writesAcked: number;
  writeP50Ms: number | null;
  writeP99Ms: number | null;
  readP50Ms: number | null;
  readP99Ms: number | null;
}

export interface SimulationResult {
  scenario: string;
  seed: number;
  topology: string;
  /** The topology's preset: whose system the run models, and so whose words the reports speak (report/simulate/vocabulary.ts). */
  preset: string;
  mode: string;
  durationMs: number;
  /** Time of the first fault, the origin of the text output's T+ times (null without faults). */
  firstFaultMs: number | null;
  classes: ClassResult[];
  timeline: TimelineEntry[];
  totals: Totals;
  /** The failover phases as they happened, for the bar chart. */
  phases: FailoverPhaseResult[];
  lag: LagSample[];
  /** Write outcomes over the run, in buckets of a second or more (absent from results that were not simulated here, e.g. a live run's). */
  writesOverTime?: WritesOverTime;
  /** Read outcomes over the run (served, stale, failed), counted as the reads happen; absent, like writesOverTime, from results not simulated here. Neither series is in the JSON output. */
  readsOverTime?: ReadsOverTime;
  /** Client latency by the clients' region. */
  regions: RegionLatency[];
  settings: Record<string, unknown>;
  expectations: ExpectationResult[];
  /** How the data comes back when replication could not save it (durability). */
  recovery?: Recovery;
  /** Invariant violations found by the checkers (empty when the run is sound). */
  violations: Violation[];
  /** Engine figures, not part of the JSON report: events run, and the most write records kept at once (absent for a live run). */
  stats: { events: number; peakLiveWrites?: number };
}
