// The swarm's oracles: judges of one run that read the raw history (never the
// result's own figures) and then hold the result to what they found.
// - safety: what the design guarantees never happens (a lost acknowledged
//   write, a stale quorum read, two fenced writers, time running backwards);
// - liveness: once every fault has healed, and the run went on long enough,
//   the cluster is whole again and takes writes;
// - accounting: the result's RPO, RTO, unavailability, split-brain time and
//   failovers equal the figures recomputed from the history (the documented engine semantics).
// An oracle returns null when it does not apply to the run, else its findings
// (empty: it held).
import { violationText } from "../report/simulate/violations.js";
import type { RunHistory } from "../engine/history.js";
import { factsOf, type SimulationResult } from "../engine/result.js";
import { ACKED, PENDING, REJECTED, timelineId } from "../engine/write-log.js";
import type { ResolvedScenario } from "../model/types.js";
import { countByStatus, longestOutageMs, lostPerClass, outages, splitBrainMs, unavailableMs, unavailableStretches, writerOverlaps, type Outage } from "./facts.js";
import { durability, fenced, freshReads, healedAtMs, recoveryBoundMs } from "./guarantees.js";

export type OracleKind = "safety" | "liveness" | "accounting";

export interface OracleContext {
  scenario: ResolvedScenario;
  result: SimulationResult;
  history: RunHistory;
}

export interface Oracle {
  id: string;
  kind: OracleKind;
  /** One line for the README and the runner's summary. */
  description: string;
  check(context: OracleContext): string[] | null;
}

export interface Verdict {
  oracle: string;
  kind: OracleKind;
  findings: string[];
}

/** Results are rounded to 0.1 ms; a figure may differ from the exact one by half of that, plus float noise. */
const TOLERANCE_MS = 0.11;
/** After the recovery bound, at least this share of the writes sent must be acknowledged. */
export const RESUMED_SHARE = 0.99;
/** Fewer writes than this after the bound say too little to judge. */
const RESUMED_MIN_WRITES = 20;

const ms = (value: number | null) => (value === null ? "null" : `${Math.round(value * 10) / 10}ms`);
const close = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE_MS + 1e-9 * Math.max(Math.abs(a), Math.abs(b));
const hasTimelines = (c: OracleContext) => c.history.finalEpoch >= 0;
const classes = (c: OracleContext) => c.scenario.topology.dataClasses;

// ---------------------------------------------------------------------------
// Safety

const noLostAck: Oracle = {
  id: "no-lost-ack",
  kind: "safety",
  description: "no acknowledged write is lost where the design guarantees it (strict sync + fencing, a consensus majority, a strict quorum)",
  check(c) {
    const guaranteed = classes(c).map((_, i) => durability(c.scenario, i));
    if (!guaranteed.some((g) => g.holds)) return null;
    const lost = lostPerClass(c.history, classes(c).length, restoredBeforeMs(c.result)) ?? c.result.classes.map((r) => r.rpo.lostAckedWrites);
    return classes(c).flatMap((k, i) => (guaranteed[i].holds && lost[i] > 0 ? [`${k.name}: ${lost[i]} acknowledged writes lost although ${guaranteed[i].why}`] : []));
  },
};

const noStaleRead: Oracle = {
  id: "no-stale-read",
  kind: "safety",
  description: "a strict leaderless quorum with R + W > N never returns a stale read",
  check(c) {
    const guaranteed = classes(c).map((_, i) => freshReads(c.scenario, i));
    if (!guaranteed.some((g) => g.holds)) return null;
    return c.result.classes.flatMap((r, i) => (guaranteed[i].holds && r.staleReads > 0 ? [`${r.name}: ${r.staleReads} stale reads although ${guaranteed[i].why}`] : []));
  },
};

const singleWriter: Oracle = {
  id: "single-writer",
  kind: "safety",
  description: "under stonith or lease fencing, no two nodes act as writable leaders at the same time; in a consensus group, no two acknowledge writes at once",
  check(c) {
    const guarantee = fenced(c.scenario);
    if (!guarantee.holds) return null;
    // Raft fences by its quorum, not by stopping the old leader: one that has not yet heard of the new term still takes
    // writes, and must commit none of them. Its acknowledgements are what may not overlap the new leader's.
    if (c.scenario.topology.replication.mode === "consensus") {
      const ms = splitBrainMs(c.history);
      return ms > 0 ? [`two members acknowledged writes at once for ${Math.round(ms * 10) / 10}ms under ${guarantee.why}`] : [];
    }
    const names = c.history.nodeNames;
    return writerOverlaps(c.history)
      .slice(0, 3)
      .map((o) => `${names[o.a.node]} (timeline ${timelineId(o.a.epoch)}) and ${names[o.b.node]} (timeline ${timelineId(o.b.epoch)}) both writable from ${ms(o.fromMs)} to ${ms(o.toMs)} under ${guarantee.why}`);
  },
};

const monotonic: Oracle = {
  id: "monotonic",
  kind: "safety",
  description: "commit positions and timelines never go backwards",
  check(c) {
    const { parent, startMs } = c.history.epochs;
    const findings = c.history.commitRegressions.map((x) => `${x.node} on timeline ${timelineId(x.epoch)} would follow the older timeline ${timelineId(x.olderEpoch)}`);
    for (let e = 1; e < parent.length; e++) {
      if (!(parent[e] >= 0 && parent[e] < e)) findings.push(`timeline ${timelineId(e)} has parent ${parent[e] >= 0 ? `timeline ${timelineId(parent[e])}` : "none"}`);
      if (startMs[e] < startMs[e - 1]) findings.push(`timeline ${timelineId(e)} starts at ${ms(startMs[e])}, before timeline ${timelineId(e - 1)} (${ms(startMs[e - 1])})`);
    }
    return findings;
  },
};

const noPastSchedule: Oracle = {
  id: "no-past-schedule",
  kind: "safety",
  description: "no event is scheduled at a time already past (nothing happens before its cause)",
  check: (c) => c.history.pastSchedules.slice(0, 3).map((p) => `event kind ${p.kind} scheduled for ${ms(p.atMs)} at ${ms(p.nowMs)}`),
};

const everyWriteDecided: Oracle = {
  id: "every-write-decided",
  kind: "safety",
  description: "every write ends acknowledged or rejected; none is left pending",
  check(c) {
    const w = c.history.writes;
    let pending = 0;
    let first = -1;
    for (let id = 0; id < w.count; id++) {
      if (w.status[id] !== PENDING) continue;
      if (pending++ === 0) first = id;
    }
    return pending === 0 ? [] : [`${pending} writes pending at the end (first: write ${first}, sent at ${ms(w.sendMs[first])})`];
  },
};

const engineCheckers: Oracle = {
  id: "engine-checkers",
  kind: "safety",
  description: "the engine's own invariant checkers stay silent",
  check: (c) => c.result.violations.slice(0, 3).map(violationText),
};

// ---------------------------------------------------------------------------
// Liveness

interface Settled {
  healedMs: number;
  boundMs: number;
}

/**
 * Liveness applies when every fault heals, every node comes back, and the run
 * lasts the recovery bound past the last heal. A node STONITH powered off
 * stays off in this engine (nothing in the schedule brings it back), so a
 * run that ends with one is a smaller cluster by design: no liveness promise.
 */
export function settled(context: Pick<OracleContext, "scenario" | "result" | "history">): Settled | null {
  const { scenario } = context;
  const healedMs = healedAtMs(scenario);
  if (healedMs === null || fencedForGood(context).length > 0 || staticSyncListExhausted(context)) return null;
  const boundMs = recoveryBoundMs(scenario);
  return scenario.durationMs - healedMs >= boundMs ? { healedMs, boundMs } : null;
}

/**
 * A strict static synchronous list (plain PostgreSQL, no failover manager re-picking standbys) that names too
 * few standbys besides the leader of the end: by design its commits can never be acknowledged again.
 */
function staticSyncListExhausted(context: Pick<OracleContext, "scenario" | "history">): boolean {
  const replication = context.scenario.topology.replication;
  if (replication.mode !== "leader-follower" || replication.sync === null || !replication.sync.strict || replication.sync.managed) return false;
  const leader = context.history.final.find((n) => n.alive && n.role === "leader")?.name;
  if (leader === undefined) return false;
  return replication.sync.names.filter((name) => name !== leader).length < replication.sync.count;
}

/** Nodes down at the end whose last crash was the fence. */
function fencedForGood(context: Pick<OracleContext, "result" | "history">): string[] {
  return context.history.final
    .filter((n) => !n.alive)
    .map((n) => n.name)
    .filter((name) => factsOf(context.result.timeline, "crash").filter((e) => e.node === name).at(-1)?.cause.kind === "fenced");
}

const replicasStream: Oracle = {
  id: "replicas-stream",
  kind: "liveness",
  description: "after every fault heals: one live leader, and every other live node streams from it",
  check(c) {
    if (!hasTimelines(c) || settled(c) === null) return null;
    const final = c.history.final;
    const leaders = final.filter((n) => n.alive && n.role === "leader");
    if (leaders.length !== 1) return [`${leaders.length} live leaders at the end (${leaders.map((n) => n.name).join(", ") || "none"})`];
    return final.filter((n) => n.alive && n.role !== "leader" && !n.streaming).map((n) => `${n.name} (${n.role}) does not stream from ${leaders[0].name} at the end`);
  },
};

const syncRestored: Oracle = {
  id: "sync-restored",
  kind: "liveness",
  description: "after every fault heals, strict synchronous replication has its standbys again",
  check(c) {
    if (settled(c) === null || c.history.syncSatisfied === null) return null;
    return c.history.syncSatisfied ? [] : ["the leader ends without the synchronous standbys its strict rule needs"];
  },
};

const writesResume: Oracle = {
  id: "writes-resume",
  kind: "liveness",
  description: `after every fault heals and the recovery bound passes, at least ${RESUMED_SHARE * 100}% of writes are acknowledged (or, on links slow enough to time some writes out before any fault, within a point of that share)`,
  check(c) {
    const s = settled(c);
    if (s === null) return null;
    const from = s.healedMs + s.boundMs;
    const to = c.scenario.durationMs - c.scenario.workload.timeoutMs;
    const { sent, acked } = ackedBetween(c.history, from, to);
    if (sent < RESUMED_MIN_WRITES) return null;
    // A heavy-tailed link times some writes out in steady state too: recovery means back to the share before any fault.
    const before = ackedBetween(c.history, 0, (c.scenario.faults[0]?.atMs ?? 0) - c.scenario.workload.timeoutMs);
    const share = before.sent >= RESUMED_MIN_WRITES ? Math.min(RESUMED_SHARE, before.acked / before.sent - 0.01) : RESUMED_SHARE;
    return acked >= share * sent ? [] : [`only ${acked} of ${sent} writes sent between ${ms(from)} and ${ms(to)} were acknowledged (last fault healed at ${ms(s.healedMs)}, bound ${ms(s.boundMs)})`];
  },
};

function ackedBetween(history: OracleContext["history"], fromMs: number, toMs: number): { sent: number; acked: number } {
  const w = history.writes;
  let sent = 0;
  let acked = 0;
  for (let id = 0; id < w.count; id++) {
    if (w.sendMs[id] < fromMs || w.sendMs[id] > toMs) continue;
    sent++;
    if (w.status[id] === ACKED) acked++;
  }
  return { sent, acked };
}

// ---------------------------------------------------------------------------
// Accounting

/** With every disk gone and a restore from the backups elsewhere as the way back (the archive, or a base backup alone), the point it restores to (else null). */
function restoredBeforeMs(result: SimulationResult): number | null {
  const r = result.recovery;
  return r !== undefined && r.incident.kind === "region-lost" && (r.method === "pitr" || r.method === "base-backup") ? r.targetAtMs : null;
}

const rpoCount: Oracle = {
  id: "rpo-count",
  kind: "accounting",
  description: "RPO: per class, the acknowledged writes missing from the final timeline equal lostAckedWrites, and their sum writesLost",
  check(c) {
    const lost = lostPerClass(c.history, classes(c).length, restoredBeforeMs(c.result));
    const reported = c.result.classes.map((r) => r.rpo.lostAckedWrites);
    const findings = lost === null ? [] : classes(c).flatMap((k, i) => (lost[i] !== reported[i] ? [`${k.name}: ${lost[i]} acknowledged writes missing from the final timeline, result says ${reported[i]}`] : []));
    const total = (lost ?? reported).reduce((a, b) => a + b, 0);
    if (total !== c.result.totals.writesLost) findings.push(`writesLost is ${c.result.totals.writesLost}, the classes' lost writes add up to ${total}`);
    return findings;
  },
};

const outcomeCounts: Oracle = {
  id: "outcome-counts",
  kind: "accounting",
  description: "acknowledged and rejected writes per class and in total equal the write log's",
  check(c) {
    const n = classes(c).length;
    const acked = countByStatus(c.history, n, ACKED);
    const rejected = countByStatus(c.history, n, REJECTED);
    const findings = c.result.classes.flatMap((r, i) => [
      ...(r.writesAcked !== acked[i] ? [`${r.name}: writesAcked ${r.writesAcked}, the log has ${acked[i]}`] : []),
      ...(r.writesRejected !== rejected[i] ? [`${r.name}: writesRejected ${r.writesRejected}, the log has ${rejected[i]}`] : []),
    ]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    if (c.result.totals.writesAcked !== sum(acked)) findings.push(`totals.writesAcked ${c.result.totals.writesAcked}, the log has ${sum(acked)}`);
    if (c.result.totals.writesRejected !== sum(rejected)) findings.push(`totals.writesRejected ${c.result.totals.writesRejected}, the log has ${sum(rejected)}`);
    return findings;
  },
};

function runOutages(c: OracleContext): Outage[] {
  return outages(c.history, classes(c).length, c.scenario.faults.map((f) => f.atMs), c.scenario.workload.timeoutMs);
}

const rto: Oracle = {
  id: "rto",
  kind: "accounting",
  description: "RTO: per class, the longest outage (from the fault that broke a serving class, else the first failure, to the first acknowledgement of a write sent after the failure) equals rto.writeMs",
  check(c) {
    const list = runOutages(c);
    return c.result.classes.flatMap((r, i) => {
      const expected = longestOutageMs(list, i);
      const actual = r.rto.writeMs;
      const agree = expected === null || actual === null ? expected === actual : close(expected, actual);
      return agree ? [] : [`${r.name}: longest outage ${ms(expected)}${describeLongest(list, i)}, result says ${ms(actual)}`];
    });
  },
};

function describeLongest(list: Outage[], cls: number): string {
  const mine = list.filter((o) => o.cls === cls);
  if (mine.length === 0) return " (no outage)";
  const worst = mine.reduce((a, b) => (b.recoveredMs - b.startMs > a.recoveredMs - a.startMs ? b : a));
  return ` (fault at ${ms(worst.faultMs)}, counted from ${ms(worst.startMs)}, first failure ${ms(worst.firstFailureMs)}, recovered ${ms(Number.isFinite(worst.recoveredMs) ? worst.recoveredMs : null)}; ${mine.length} outage${mine.length === 1 ? "" : "s"})`;
}

const unavailable: Oracle = {
  id: "unavailable",
  kind: "accounting",
  description: "writeUnavailableMs equals the union of every class's outages, made of writeUnavailableStretches separate stretches",
  check(c) {
    const expected = unavailableMs(runOutages(c), c.history.endMs);
    const actual = c.result.totals.writeUnavailableMs;
    const stretches = unavailableStretches(runOutages(c), c.history.endMs);
    return [
      ...(close(expected, actual) ? [] : [`union of outages ${ms(expected)}, writeUnavailableMs ${ms(actual)}`]),
      ...(stretches === c.result.totals.writeUnavailableStretches ? [] : [`the outages make ${stretches} separate stretches, writeUnavailableStretches ${c.result.totals.writeUnavailableStretches}`]),
    ];
  },
};

const splitBrainTime: Oracle = {
  id: "split-brain-time",
  kind: "accounting",
  description: "splitBrainMs equals the time two writable leaders could each acknowledge a write",
  check(c) {
    if (!hasTimelines(c)) return null;
    const expected = splitBrainMs(c.history);
    const actual = c.result.totals.splitBrainMs;
    return close(expected, actual) ? [] : [`writer intervals give ${ms(expected)} of split brain, splitBrainMs ${ms(actual)}`];
  },
};

const splitBrainTimeline: Oracle = {
  id: "split-brain-timeline",
  kind: "accounting",
  description: 'the timeline has a "split-brain" entry exactly when splitBrainMs > 0',
  check(c) {
    const entry = c.result.timeline.some((e) => e.event === "split-brain");
    const time = c.result.totals.splitBrainMs;
    return entry === time > 0 ? [] : [entry ? `the timeline shows a split brain but splitBrainMs is 0` : `splitBrainMs is ${ms(time)} but the timeline has no split-brain entry`];
  },
};

const failovers: Oracle = {
  id: "failovers",
  kind: "accounting",
  description: "failovers equals the number of promotions (timelines − 1)",
  check(c) {
    if (!hasTimelines(c)) return null;
    const promotions = c.history.epochs.parent.length - 1;
    return promotions === c.result.totals.failovers ? [] : [`${promotions} promotions in the history, failovers ${c.result.totals.failovers}`];
  },
};

export const ORACLES: readonly Oracle[] = [
  noLostAck,
  noStaleRead,
  singleWriter,
  monotonic,
  noPastSchedule,
  everyWriteDecided,
  engineCheckers,
  replicasStream,
  syncRestored,
  writesResume,
  rpoCount,
  outcomeCounts,
  rto,
  unavailable,
  splitBrainTime,
  splitBrainTimeline,
  failovers,
];

export function oracleById(id: string): Oracle {
  const oracle = ORACLES.find((o) => o.id === id);
  if (!oracle) throw new Error(`assertion: unknown oracle ${id}`);
  return oracle;
}

export interface Judgement {
  /** Oracles that applied to the run. */
  applied: string[];
  /** Those that found something. */
  failed: Verdict[];
}

export function judge(context: OracleContext, oracles: readonly Oracle[] = ORACLES): Judgement {
  const applied: string[] = [];
  const failed: Verdict[] = [];
  for (const oracle of oracles) {
    const findings = oracle.check(context);
    if (findings === null) continue;
    applied.push(oracle.id);
    if (findings.length > 0) failed.push({ oracle: oracle.id, kind: oracle.kind, findings });
  }
  return { applied, failed };
}
