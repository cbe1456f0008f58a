import type { Recovery } from "./recovery.js";

// The result of one simulated run, in the documented JSON shape. The engine
// produces it; renderers (text, JSON, markdown) and expectations read it.

export interface ClassResult {
  name: string;
  rpo: { targetMs: number; lostAckedWrites: number; windowMs: number };
  /** writeMs / readMs: the longest outage of the run (null: one never ended); outages: the write outages, each charged to a fault. */
  rto: { targetMs: number; writeMs: number | null; readMs: number | null; p99ClientMs: number | null; outages?: OutageResult[] };
  latency: { writeP50Ms: number | null; writeP99Ms: number | null; readP50Ms: number | null; readP99Ms: number | null };
  staleReads: number;
  writesAcked: number;
  writesRejected: number;
  met: boolean;
  trials?: TrialSummary;
}

/** One outage of a class's writes: the fault it is charged to (index into the scenario's faults), its first failure and its end. */
export interface OutageResult {
  fault: number;
  faultMs: number;
  /** Counted from: the fault's time when it broke a serving class, else the first failure. */
  startMs: number;
  firstErrorMs: number;
  /** null: writes of the class never came back within the run. */
  recoveredMs: number | null;
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
}

export interface TimelineEntry {
  atMs: number;
  node: string;
  event: string;
  detail: string;
  /** Optional structured data (LSNs, lag) for renderers. */
  lsn?: number;
}

export interface Totals {
  writesAcked: number;
  writesLost: number;
  writesRejected: number;
  readsRejected: number;
  staleReads: number;
  conflicts: number;
  splitBrainMs: number;
  writeUnavailableMs: number;
  failovers: number;
  readsServed: number;
}

export interface ExpectationResult {
  path: string;
  expected: string;
  actual: string;
  met: boolean;
}

export interface LagSample {
  atMs: number;
  node: string;
  lagBytes: number;
  lagMs: number;
}

export interface FailoverPhaseResult {
  phase: string;
  startMs: number;
  endMs: number;
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
  /** Client latency by the clients' region. */
  regions: RegionLatency[];
  settings: Record<string, unknown>;
  expectations: ExpectationResult[];
  /** How the data comes back when replication could not save it (durability). */
  recovery?: Recovery;
  /** Invariant violations found by the checkers (empty when the run is sound). */
  violations: string[];
  stats: { events: number };
}
