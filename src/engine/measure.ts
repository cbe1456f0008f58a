// From a finished run to its result: RPO from the writes that did not survive
// into the final timeline, RTO from the first acknowledgement after the first
// error, latencies, totals, and the invariant checks. Nothing is declared:
// every number here is counted from the simulated history.
import type { ResolvedScenario } from "../model/types.js";
import type { Core } from "./core.js";
import type { ReconnectRound } from "./core/state.js";
import { evaluateExpectations } from "./expect.js";
import { percentile } from "../base/stats.js";
import { allMet, type ClassResult, type ClassVerdicts, type RtoVerdict, type KeyOutages, type OutageResult, type SimulationResult, type Totals } from "./result.js";
import { ACKED, PENDING } from "./write-log.js";
import type { SendTimes } from "./settle.js";
import { primaryTenures, Schedule, WalHistory, type Archive, type Window } from "./backups.js";
import { archiveOf, baseSurvives } from "./recovery/common.js";
import { planRecovery, type Recovery } from "./recovery.js";
import { fencesAcknowledgements } from "../base/fencing.js";
import type { AckedLoss, RecoveryInput, ReplayStop } from "./recovery/types.js";
import { ackedLossCauses } from "./loss-causes.js";
import { Rng } from "../base/rng.js";
import { charge, NO_FAULT, longestOutageMs, overlaps, undecided, union, unobservedOutages, type Outage } from "./outages.js";
import type { HistorySource } from "./history.js";
import { judgedKeyOutage, keyOutageResult, type KeyOutageSource } from "./key-outages.js";

const round = (value: number) => Math.round(value * 10) / 10;

export function measure(core: Core, scenario: ResolvedScenario, seed: number, series = true): SimulationResult {
  const topology = scenario.topology;
  const lostWrites = lostAckedWrites(core, topology.dataClasses.length);
  const { lost } = lostWrites;
  // The writes still kept join the settled ones in the aggregates every figure below is counted from.
  for (let id = core.log.head; id < core.log.count; id++) core.settled.fold(core.log, id);
  core.recovery.finish(Float64Array.from(core.conn, (node, c) => (node >= 0 ? core.connectedMs[c] : NaN)), core.endMs, core.workload.timeoutMs);

  const fault = core.firstFaultMs;
  const faultTimes = scenario.faults.map((f) => f.atMs);
  const writeOutages = classWriteOutages(core, faultTimes);
  const readOutages = core.classes.map((m) => m.readOutages.map((o) => charge(faultTimes, o)).filter((o): o is Outage => o !== null && !undecided(o, core.endMs, core.workload.timeoutMs)));
  noteLoadOutages(core, topology.dataClasses.map((c) => c.name), writeOutages, readOutages);
  const classes = classResults(core, scenario, lostWrites, writeOutages, readOutages);
  addKeyOutages(core, classes, faultTimes);

  const splitBrainMs = noteSplitBrains(core, topology);
  const pending = notePendingConflicts(core, scenario);
  const unavailable = union(writeOutages.flat(), core.endMs);
  const totals: Totals = {
    writesAcked: sum(core.classes.map((m) => m.writesAcked)),
    writesLost: sum(lost),
    writesRejected: sum(core.classes.map((m) => m.writesRejected)),
    readsRejected: sum(core.classes.map((m) => m.readsRejected)),
    staleReads: sum(core.classes.map((m) => m.staleReads)),
    conflicts: core.shape.conflicts ?? 0,
    ...(core.shape.siblings !== undefined ? { siblings: core.shape.siblings } : {}),
    ...(pending !== null && pending.projectedLost > 0 ? { writesLostProjected: pending.projectedLost } : {}),
    ...(core.shape.forwardTo !== undefined ? { forwarded: { writes: core.forwardedWrites, reads: core.forwardedReads } } : {}),
    splitBrainMs: round(splitBrainMs),
    writeUnavailableMs: round(unavailable.ms),
    writeUnavailableStretches: unavailable.stretches,
    failovers: core.failovers,
    readsServed: sum(core.classes.map((m) => m.readsServed)),
  };
  addReconnectPhases(core);
  const writesNotBack = classes.filter((c) => c.rto.writeMs === null).map((c) => c.name);
  const recovery = scenario.faults.length > 0 ? recoveryOf(core, scenario, seed, totals, writesNotBack) : undefined;
  if (recovery) {
    if (totals.writesLostProjected !== undefined) recovery.projectedLostWrites = totals.writesLostProjected;
    judgeRestores(classes, recovery);
    lossAfterRestore(core, scenario, classes, totals, recovery, lostWrites.offTimeline ?? []);
  }

  const result: SimulationResult = {
    scenario: scenario.name,
    seed,
    topology: topology.name,
    preset: topology.preset,
    mode: topology.replication.mode,
    durationMs: scenario.durationMs,
    firstFaultMs: fault,
    classes,
    timeline: [...core.timeline].sort((a, b) => a.atMs - b.atMs || 0),
    totals,
    phases: core.phases,
    lag: core.lag.samples(),
    ...(series && core.settled.buckets !== null && core.reads !== null ? { writesOverTime: core.settled.buckets.result(), readsOverTime: core.reads.result() } : {}),
    regions: regionResults(core),
    settings: settings(scenario),
    ...(recovery ? { recovery } : {}),
    expectations: [],
    violations: core.violations,
    stats: { events: core.events, peakLiveWrites: core.log.peakLive },
  };
  result.expectations = evaluateExpectations(scenario.expectations, result);
  return result;
}

/**
 * Multi-leader: writes still queued between leaders when the run ends carry conflicts the run did not resolve.
 * The timeline says so at the end of the run, with what resolving them would lose (projected).
 */
function notePendingConflicts(core: Core, scenario: ResolvedScenario): { queued: number; projectedLost: number } | null {
  const replication = scenario.topology.replication;
  const pending = core.shape.pendingAtEnd?.() ?? null;
  if (pending === null || replication.mode !== "multi-leader") return null;
  core.note(core.endMs, "cluster", { event: "conflicts-pending", queued: pending.queued, projectedLost: pending.projectedLost, policy: replication.conflict });
  return pending;
}

/**
 * Per class: acknowledged writes missing from the final history, and the span of their acknowledgements.
 * A settled write is on every history that could follow (checked here); an orphaned one (held by no node that
 * mattered) survived only if the final timeline still has it; the writes still kept are judged one by one.
 * The window is how far back from the moment of their loss the lost writes reach. With timelines it is the span
 * of each timeline's lost writes: a timeline loses its tail at the failover that forks from it, so two failovers
 * minutes apart are two losses of seconds each, not one of minutes. A shape that knows when each write was lost
 * (multi-leader: when LWW dropped it, or its leader was lost) gives each write's age at its loss: scattered
 * conflicts lose writes a replication delay old, a partition's up to its length.
 */
function lostAckedWrites(core: Core, classCount: number): LostWrites {
  const log = core.log;
  const lost = new Array<number>(classCount).fill(0);
  const spans = Array.from({ length: classCount }, () => new Map<number, { first: number; last: number }>());
  const lostAt = core.shape.lostAtMs?.bind(core.shape);
  const ages = new Array<number>(classCount).fill(0);
  const add = (cls: number, epoch: number, doneMs: number, id = -1) => {
    lost[cls]++;
    // A write whose moment of loss the shape cannot tell joins its timeline's span instead.
    const at = lostAt !== undefined && id >= 0 ? lostAt(id) : NaN;
    if (Number.isFinite(at)) {
      ages[cls] = Math.max(ages[cls], at - doneMs);
      return;
    }
    const span = spans[cls].get(epoch);
    if (span === undefined) spans[cls].set(epoch, { first: doneMs, last: doneMs });
    else {
      span.first = Math.min(span.first, doneMs);
      span.last = Math.max(span.last, doneMs);
    }
  };
  checkSurvivors(core);
  const final = (core.shape as Partial<HistorySource>).finalEpoch?.() ?? -1;
  const everyNodeGone = core.lostForGood.every((gone) => gone === 1);
  const offTimeline: { cls: number; sendMs: number }[] = [];
  for (const o of core.settled.orphans) {
    if (core.epochs.contains(final, o.epoch, o.lsn)) continue;
    add(o.cls, o.epoch, o.doneMs);
    if (everyNodeGone) offTimeline.push({ cls: o.cls, sendMs: o.sendMs });
  }
  for (let id = log.head; id < log.count; id++) {
    const i = id & log.mask;
    const status = log.status[i];
    if (status === ACKED) {
      if (!core.shape.survived(id)) add(log.cls[i], log.epoch[i], log.doneMs[i], id);
      if (everyNodeGone && final >= 0 && !core.epochs.contains(final, log.epoch[i], log.lsn[i])) offTimeline.push({ cls: log.cls[i], sendMs: log.sendMs[i] });
    } else if (status === PENDING) {
      core.violations.push({ check: "outcome", writeId: id, sentMs: round(log.sendMs[i]) });
    }
  }
  // Every node's zone or region gone for good: no disk holds anything, whatever the timelines say. Every
  // acknowledged write is lost, unless a restore from backups elsewhere brings some back (lossAfterRestore).
  if (everyNodeGone) {
    return { lost: core.classes.map((m) => m.writesAcked), windowMs: core.classes.map((m) => (m.writesAcked > 0 ? m.lastAckMs - m.firstAckMs : 0)), offTimeline };
  }
  const windowMs = spans.map((byEpoch, cls) => Math.max(ages[cls], ...[...byEpoch.values()].map((s) => s.last - s.first)));
  return { lost, windowMs };
}

/** The settled acknowledged writes are in the final timeline's history: a bug in settling would lose them silently. */
function checkSurvivors(core: Core): void {
  const survivors = core.settled.survivorLsn;
  if (survivors.length === 0) return;
  const final = (core.shape as Partial<HistorySource>).finalEpoch?.() ?? -1;
  survivors.forEach((lsn, epoch) => {
    if (!core.epochs.contains(final, epoch, lsn)) throw new Error(`assertion: write at LSN ${lsn} of timeline ${epoch} was settled as safe, but the final timeline ${final} lacks it`);
  });
}

interface LostWrites {
  lost: number[];
  /** Per class, the longest span of one timeline's lost writes. */
  windowMs: number[];
  /** With every node gone: the acknowledged writes not on the final timeline's history (a restore cannot bring them back either). */
  offTimeline?: { cls: number; sendMs: number }[];
}

/** How long the longest outage still open at `endMs` had lasted by then (null: none was open). */
function openAtEndMs(outages: readonly Outage[], endMs: number): number | null {
  let open: number | null = null;
  for (const o of outages) if (!Number.isFinite(o.recoveredMs)) open = Math.max(open ?? 0, endMs - o.startMs);
  return open;
}

/** Each class's RPO, RTO, latencies and verdict, from its measurements and outages. */
function classResults(core: Core, scenario: ResolvedScenario, writes: LostWrites, writeOutages: Outage[][], classReadOutages: Outage[][]): ClassResult[] {
  const { lost } = writes;
  return scenario.topology.dataClasses.map((cls, i) => {
    const m = core.classes[i];
    const [writeP50, writeP99] = m.writeLatency.percentiles([50, 99]);
    const [readP50, readP99] = m.readLatency.percentiles([50, 99]);
    const windowMs = lost[i] > 0 ? Math.max(1, round(writes.windowMs[i])) : 0;
    const longest = (outages: Outage[]): number | null => {
      const ms = longestOutageMs(outages);
      return ms === null ? null : round(ms);
    };
    const writeMs = longest(writeOutages[i]);
    const readOutages = classReadOutages[i];
    const readMs = m.readsServed + m.readsRejected === 0 ? null : longest(readOutages);
    // The users the lost application servers served wait out an outage nobody was left to see, like any client.
    const unseen = writeOutages[i].filter((o) => o.unobserved);
    const tail = clientTail(core, scenario, i);
    const p50ClientMs = unseen.length === 0 ? tail.p50 : worstOf(tail.p50, longestOutageMs(unseen));
    const p99ClientMs = unseen.length === 0 ? tail.p99 : worstOf(tail.p99, longestOutageMs(unseen));
    const within = (ms: number | null) => ms !== null && ms <= cls.rtoMs;
    const writeOpenMs = openAtEndMs(writeOutages[i], core.endMs);
    const readOpenMs = openAtEndMs(readOutages, core.endMs);
    // An outage still open at the end, younger than the target, after outages all within it: not known yet. Unless
    // every node is lost for good: nothing in the cluster can bring it back (the restore's own verdict judges that).
    const cannotReturn = core.lostForGood.length > 0 && core.lostForGood.every((gone) => gone === 1);
    const rtoVerdict = (ms: number | null, outages: Outage[], openMs: number | null): RtoVerdict =>
      ms === null && !cannotReturn && openMs !== null && openMs < cls.rtoMs && outages.every((o) => !Number.isFinite(o.recoveredMs) || o.recoveredMs - o.startMs <= cls.rtoMs) ? "undecided" : within(ms);
    const writeRto = rtoVerdict(writeMs, writeOutages[i], writeOpenMs);
    const verdicts: ClassVerdicts = {
      rpo: cls.rpoMs === 0 ? lost[i] === 0 : windowMs <= cls.rpoMs,
      writeRto,
      // No reads: no read RTO. A null with reads is an outage that never ended.
      readRto: m.readsServed + m.readsRejected === 0 ? null : rtoVerdict(readMs, readOutages, readOpenMs),
      // Without a fault nobody was cut off; with one, a null p99 is a tail that never came back (or, while the
      // writes' own RTO is undecided, one that could not be back yet).
      p99ClientRto: core.firstFaultMs === null ? null : p99ClientMs === null && writeRto === "undecided" ? "undecided" : within(p99ClientMs),
      keyRto: null,
      restoreRto: null,
      restoreRpo: null,
      noFaultRejects: m.writesBeforeFault === 0 ? null : m.rejectedBeforeFault === 0,
    };
    return {
      name: cls.name,
      rpo: { targetMs: cls.rpoMs, lostAckedWrites: lost[i], windowMs },
      rto: {
        targetMs: cls.rtoMs,
        writeMs,
        readMs,
        p50ClientMs,
        p99ClientMs,
        outages: longestOutages(writeOutages[i]).map(outageRecord),
        outageCount: writeOutages[i].length,
        ...(writeMs === null && writeOpenMs !== null ? { writeOpenMs: round(writeOpenMs) } : {}),
        ...(readMs === null && readOpenMs !== null ? { readOpenMs: round(readOpenMs) } : {}),
      },
      latency: { writeP50Ms: roundOrNull(writeP50), writeP99Ms: roundOrNull(writeP99), readP50Ms: roundOrNull(readP50), readP99Ms: roundOrNull(readP99) },
      staleReads: m.staleReads,
      writesAcked: m.writesAcked,
      writesRejected: m.writesRejected,
      ...(m.rejectedBeforeFault > 0 ? { rejectedWithoutFault: m.rejectedBeforeFault } : {}),
      met: allMet(verdicts),
      verdicts,
    };
  });
}

/**
 * A class whose data needs a restore (the bad write damaged it; a lost region took every copy) is back only
 * when the restore is done, and only with what the restore brings back: its time joins the class's verdict
 * against the RTO, the writes it cannot recover against the RPO. No way back misses both.
 */
export function judgeRestores(classes: ClassResult[], recovery: Recovery): void {
  const incident = recovery.incident;
  if (!recovery.needed) return;
  const chosen = recovery.options.find((o) => o.method === recovery.method && o.feasible);
  const possible = recovery.method !== "none" && recovery.totalMs !== null;
  for (const c of classes) {
    const damaged = incident.kind === "region-lost" || (incident.kind === "bad-write" && incident.dataClass === c.name);
    if (!damaged || !c.verdicts) continue;
    const rpoMs = chosen?.rpoMs ?? null;
    // The damaged rows are back when the merge is done, not when the restore is: the total is what the RTO measures.
    c.verdicts.restoreRto = possible && (recovery.totalMs ?? Infinity) <= c.rto.targetMs;
    c.verdicts.restoreRpo = possible && (recovery.lostWrites === 0 || (c.rpo.targetMs > 0 && rpoMs !== null && rpoMs <= c.rpo.targetMs));
    c.met = allMet(c.verdicts);
  }
}

/**
 * Every node's region gone for good, and a restore in another region is the way back: what survives is the
 * backups, so each class loses the acknowledged writes after the restore's point (the archive's lag), not its
 * whole history (the figure the recovery section gives, split by class; the point is the archive's reach, or the base
 * backup restored alone when the archive went with the region) and, before that point, those an
 * earlier failover had already dropped from the timeline the archive follows. Without a restore every
 * acknowledged write stays lost (lostAckedWrites). Only writes acknowledged in the run count: a restore point
 * before the run start loses earlier writes too, which the run never saw. The run's acknowledged losses are
 * then the restore's (cause archive-lag, or base-backup-age; the option's count) and those the failovers had dropped.
 */
function lossAfterRestore(core: Core, scenario: ResolvedScenario, classes: ClassResult[], totals: Totals, recovery: Recovery, offTimeline: { cls: number; sendMs: number }[]): void {
  if (!core.lostForGood.every((gone) => gone === 1)) return;
  if (recovery.incident.kind !== "region-lost" || (recovery.method !== "pitr" && recovery.method !== "base-backup") || recovery.targetAtMs === null) return;
  const classIndex = new Map(scenario.topology.dataClasses.map((c, i) => [c.name, i]));
  const classWrites = writesCounter(core, scenario, classIndex);
  const from = recovery.targetAtMs;
  const to = recovery.incident.atMs;
  let dropped = 0;
  classes.forEach((c, i) => {
    const droppedHere = offTimeline.filter((w) => w.cls === i && w.sendMs < from).length;
    dropped += droppedHere;
    const lost = Math.max(0, classWrites(c.name, Math.max(0, from), to)) + droppedHere;
    c.rpo.lostAckedWrites = lost;
    c.rpo.windowMs = lost > 0 ? Math.max(1, round(to - from)) : 0;
    if (c.verdicts) {
      c.verdicts.rpo = c.rpo.targetMs === 0 ? lost === 0 : c.rpo.windowMs <= c.rpo.targetMs;
      c.met = allMet(c.verdicts);
    }
  });
  totals.writesLost = sum(classes.map((c) => c.rpo.lostAckedWrites));
  const restoreLost = totals.writesLost - dropped;
  const region = recovery.incident.region;
  const reason = recovery.options.find((o) => o.method === recovery.method && o.feasible)?.reason;
  const gap = reason?.kind === "cross-region-restore" ? reason.gap : null;
  const restoreLoss: AckedLoss =
    recovery.method === "base-backup" ? { cause: "base-backup-age", lostWrites: restoreLost, region, ageMs: round(to - from) } : { cause: "archive-lag", lostWrites: restoreLost, region, archiveLagMs: round(to - from), gap };
  const archiveLag: AckedLoss[] = restoreLost > 0 ? [restoreLoss] : [];
  const earlier = dropped > 0 ? ackedLossCauses({ mode: scenario.topology.replication.mode, timeline: sortedTimeline(core), totals: { ...totals, writesLost: dropped } }) : [];
  recovery.ackedLosses = [...archiveLag, ...earlier];
}

/**
 * A class's partial outages (the keys that could not be written or read while others could), from the shape's
 * record of the cluster's state, their verdict, and their story on the timeline. Only the modes that can refuse
 * some keys while serving others keep such a record: leaderless, and multi-leader with home-region routing.
 */
function addKeyOutages(core: Core, classes: ClassResult[], faultTimes: number[]): void {
  const source = (core.shape as Partial<{ keyOutages: KeyOutageSource }>).keyOutages;
  if (source === undefined) return;
  classes.forEach((c, i) => {
    c.keyOutages = keyOutageResult(source, i, core.endMs, faultTimes, core.workload.keys);
    if (!c.verdicts) return;
    c.verdicts.keyRto = keyRtoMet(c.keyOutages, c.rto.targetMs, c.verdicts.readRto !== null);
    c.met = allMet(c.verdicts);
  });
  for (const { atMs, fact } of source.facts(classes.map((c) => c.name), core.endMs)) core.note(atMs, "cluster", fact);
}

/**
 * Whether the longest partial outage of a class's keys stayed within its RTO target (null: there was none). The
 * class's RTO ends at its first acknowledgement on any key, so it cannot see a key range out for minutes while the
 * others are served; for the users of those keys that is an outage as long as the range's, whatever their share,
 * and missing the RTO for them is missing it. Reads count as writes do when the class has reads (the read RTO is
 * part of the verdict too: a user whose keys cannot be read is as cut off as one who cannot write them); a class
 * without reads has no one a range that cannot be read fails. A stretch still open when the run ends counts for as
 * long as it lasted: past the target it missed; within it nothing is decided yet, so it does not miss.
 */
function keyRtoMet(k: KeyOutages, targetMs: number, hasReads: boolean): boolean | null {
  const judged = judgedKeyOutage(k, hasReads);
  return judged === null ? null : judged.span.ms <= targetMs;
}

/** Notes every stretch during which two nodes would each acknowledge a write; returns their total time. */
function noteSplitBrains(core: Core, topology: ResolvedScenario["topology"]): number {
  const brains = splitBrains(core);
  const splitBrainMs = brains.reduce((total, b) => total + (b.toMs - b.fromMs), 0);
  for (const b of brains) {
    const names = b.owners.map((n) => topology.nodes[n].name).join(" and ");
    core.note(b.fromMs, names, { event: "split-brain" });
    if (b.toMs < core.endMs) core.note(b.toMs, names, { event: "split-brain-end", durationMs: b.toMs - b.fromMs });
  }
  if (splitBrainMs > 0 && fencesAcknowledgements(topology.replication.mode, topology.failover.fencing, topology.dataClasses)) {
    core.violations.push({ check: "fencing", splitBrainMs: round(splitBrainMs), fencing: topology.failover.fencing });
  }
  return splitBrainMs;
}

/** Latency by the clients' region. */
function regionResults(core: Core): SimulationResult["regions"] {
  return core.regionNames
      .map((region, i) => {
        const [writeP50, writeP99] = core.regionWrites[i].percentiles([50, 99]);
        const [readP50, readP99] = core.regionReads[i].percentiles([50, 99]);
        return { region, writesAcked: core.regionWrites[i].count, writeP50Ms: roundOrNull(writeP50), writeP99Ms: roundOrNull(writeP99), readP50Ms: roundOrNull(readP50), readP99Ms: roundOrNull(readP99) };
      })
      .filter((r) => r.writesAcked > 0 || r.readP50Ms !== null);
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The p99 over the clients of their worst wait for writes of class `cls`, from the fault that broke them to their recovery (never: null). */
/** The longer of two waits (null: one never ended). */
function worstOf(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : round(Math.max(a, b));
}

/** The client tail of class `cls`: over the clients cut off, the median and p99 of each one's worst wait (null: never back). */
function clientTail(core: Core, scenario: ResolvedScenario, cls: number): { p50: number | null; p99: number | null } {
  if (core.firstFaultMs === null) return { p50: null, p99: null };
  const durations: number[] = [];
  const classCount = scenario.topology.dataClasses.length;
  const worst = core.recovery.worstWaitMs;
  for (let entry = cls; entry < worst.length; entry += classCount) if (!Number.isNaN(worst[entry])) durations.push(worst[entry]);
  // Nobody was cut off: every client's recovery took no time at all.
  if (durations.length === 0) return { p50: 0, p99: 0 };
  durations.sort((a, b) => a - b);
  const at = (p: number) => {
    const ms = percentile(durations, p);
    return Number.isFinite(ms) ? round(ms) : null;
  };
  return { p50: at(50), p99: at(99) };
}

/** Outages listed per class in the JSON (RTO and the union use all of them). */
const MAX_OUTAGES_LISTED = 20;

/** The longest MAX_OUTAGES_LISTED outages (one never ended first), in time order: the RTO's is always among them. */
function longestOutages(outages: readonly Outage[]): Outage[] {
  if (outages.length <= MAX_OUTAGES_LISTED) return [...outages];
  const length = (o: Outage) => o.recoveredMs - o.startMs;
  const kept = new Set([...outages].sort((a, b) => length(b) - length(a) || a.startMs - b.startMs).slice(0, MAX_OUTAGES_LISTED));
  return outages.filter((o) => kept.has(o));
}

/** Each class's write outages, scanned from the write log in send order and charged to their faults. */
function classWriteOutages(core: Core, faultTimes: number[]): Outage[][] {
  const scans = core.settled.outages;
  const down = core.unobserved.length > 0 ? unwritable(core) : [];
  return scans.map((scan) => {
    const seen = scan.outages.map((o) => charge(faultTimes, o)).filter((o): o is Outage => o !== null && !undecided(o, core.endMs, core.workload.timeoutMs));
    const unseen = unobservedOutages(faultTimes, core.unobserved, down, seen, core.endMs);
    return unseen.length === 0 ? seen : [...seen, ...unseen].sort((a, b) => a.startMs - b.startMs);
  });
}

/**
 * The stretches during which no node could accept a write, for the outages nobody was left to see: a leader and
 * follower cluster has none while a leader takes writes and its strict synchronous commits are not stuck waiting
 * for standbys; a shape that keeps no such record is known to have none only once every node is gone for good.
 */
function unwritable(core: Core): { fromMs: number; toMs: number }[] {
  const source = core.shape as Partial<HistorySource>;
  if (source.writerIntervals === undefined || source.blockedIntervals === undefined) {
    const gone = core.lostForGood.every((g) => g === 1) ? Math.max(...core.lostAtMs) : NaN;
    return Number.isFinite(gone) ? [{ fromMs: gone, toMs: Infinity }] : [];
  }
  // Sweep the edges in time order, counting the writers and the blocked stretches under way: writable while some
  // writer is and nothing is blocked.
  const edges: [number, number, number][] = [];
  for (const w of source.writerIntervals(core.endMs)) if (w.toMs > w.fromMs) edges.push([w.fromMs, 1, 0], [w.toMs, -1, 0]);
  for (const b of source.blockedIntervals(core.endMs)) if (b.toMs > b.fromMs) edges.push([b.fromMs, 0, 1], [b.toMs, 0, -1]);
  edges.sort((a, b) => a[0] - b[0]);
  const down: { fromMs: number; toMs: number }[] = [];
  let writers = 0;
  let blocked = 0;
  let downFrom = -Infinity;
  for (let i = 0; i < edges.length; ) {
    const at = edges[i][0];
    const wasWritable = writers > 0 && blocked === 0;
    for (; i < edges.length && edges[i][0] === at; i++) [writers, blocked] = [writers + edges[i][1], blocked + edges[i][2]];
    const writable = writers > 0 && blocked === 0;
    if (wasWritable && !writable) downFrom = at;
    else if (!wasWritable && writable) down.push({ fromMs: downFrom, toMs: at });
  }
  if (!(writers > 0 && blocked === 0)) down.push({ fromMs: downFrom, toMs: Infinity });
  return down;
}

/**
 * The outages charged to no fault get a timeline entry each class and kind of request, at the first one's start:
 * without it the RTO table would show an outage the timeline never mentions. Only the classes with requests of
 * that kind have outages of it.
 */
function noteLoadOutages(core: Core, classNames: string[], writeOutages: Outage[][], readOutages: Outage[][]): void {
  const note = (event: "writes-failing" | "reads-failing", dataClass: string, outages: Outage[]) => {
    const own = outages.filter((o) => o.fault === NO_FAULT);
    if (own.length === 0) return;
    const longest = longestOutageMs(own);
    core.note(Math.min(...own.map((o) => o.startMs)), "clients", { event, dataClass, outages: own.length, longestMs: longest === null ? null : round(longest) });
  };
  classNames.forEach((name, i) => {
    note("writes-failing", name, writeOutages[i]);
    note("reads-failing", name, readOutages[i]);
  });
}

function outageRecord(o: Outage): OutageResult {
  const ended = Number.isFinite(o.recoveredMs);
  return { fault: o.fault === NO_FAULT ? null : o.fault, faultMs: o.fault === NO_FAULT ? null : round(o.faultMs), startMs: round(o.startMs), firstErrorMs: round(o.firstErrorMs), recoveredMs: ended ? round(o.recoveredMs) : null, ms: ended ? round(o.recoveredMs - o.startMs) : null };
}

/**
 * Split brain: stretches during which two nodes would each acknowledge a write
 * sent to them. A writable leader that can commit without standbys (no
 * synchronous rule, or a class committing locally) would acknowledge for as
 * long as it accepts writes; one bound to standbys only while it demonstrably
 * acknowledged: its stretches of acknowledgements inside its time as a writer,
 * less the gaps in which a write sent to it failed instead (a semi-sync source
 * cut off from its replicas acknowledges nothing until it gives up waiting).
 */
function splitBrains(core: Core): { fromMs: number; toMs: number; owners: number[] }[] {
  const source = core.shape as Partial<HistorySource>;
  if (source.writerIntervals === undefined) return [];
  const acking = source.writerIntervals(core.endMs).flatMap((w) => {
    if (w.acksWithoutStandbys) return [{ owner: w.node, fromMs: w.fromMs, toMs: w.toMs }];
    return (core.ackStretches[w.node] ?? []).map((a) => ({ owner: w.node, fromMs: Math.max(w.fromMs, a.fromMs), toMs: Math.min(w.toMs, a.toMs) })).filter((a) => a.toMs > a.fromMs);
  });
  return overlaps(acking);
}

/**
 * A reconnect phase ends when 99% of the clients that reconnected after an endpoint switch are back: one per
 * switch, each counting the returns until the next one (a second failover's clients come back to another leader).
 */
function addReconnectPhases(core: Core): void {
  const rounds = core.reconnectTimes();
  for (const round of rounds) addReconnectPhase(core, round);
  // In time order, a first failover's reconnect phase before the second failover's detection (a stable sort).
  if (rounds.length > 1) core.phases.sort((a, b) => a.startMs - b.startMs);
}

function addReconnectPhase(core: Core, { switchMs, times, waiting, attempts, timedOut }: ReconnectRound): void {
  if (times.length === 0) return;
  // Only the returns within the run count: the engine runs past its end only to decide the requests in flight,
  // and clients still coming back then would make "99% are back" a claim about a time the run does not cover.
  const sorted = times.filter((t) => t <= core.endMs).sort((a, b) => a - b);
  if (sorted.length === 0) return;
  // The clients still without a connection at the end (waiting) have not reconnected yet: they count, as never back.
  const p99All = waiting > 0 ? percentile([...sorted, ...new Array<number>(waiting).fill(Infinity)], 99) : percentile(sorted, 99);
  const p99 = Number.isFinite(p99All) ? p99All : percentile(sorted, 99);
  core.phase("reconnect", switchMs, p99);
  core.note(sorted[0], "clients", { event: "reconnect" });
  // Clients still coming back after the end, or not at all: the run cannot tell when 99% of them were back.
  if (sorted.length < times.length || !Number.isFinite(p99All)) return;
  const jitter = core.topology.failover.reconnect.jitter;
  core.note(p99, "clients", { event: "reconnected", clients: times.length + waiting, acceptRate: core.topology.failover.acceptRate, jitter, attempts, timedOut });
}

/**
 * Counts a class's acknowledged writes ("*": every class) sent in [from, to): from the run's log inside it,
 * extrapolated at the workload's steady rate before 0 and after the run.
 */
function writesCounter(core: Core, scenario: ResolvedScenario, classIndex: Map<string, number>): (name: string, from: number, to: number) => number {
  const topology = scenario.topology;
  const duration = scenario.durationMs;
  // Acknowledged writes' send times per class (sorted, as sends are), for counting writes in a window.
  const countIn = (times: number[], from: number, to: number) => lowerBound(times, to) - lowerBound(times, from);
  return (name, from, to) => {
    const sends = sendTimes(core);
    const times = name === "*" ? sends.acked : sends.ackedByClass[classIndex.get(name) ?? 0];
    const share = name === "*" ? 1 : (topology.dataClasses[classIndex.get(name) ?? 0]?.share ?? 0);
    const perMs = (scenario.workload.writes / 1000) * share;
    const inside = countIn(times, Math.max(0, from), Math.min(duration, to));
    const before = Math.max(0, Math.min(0, to) - from);
    const after = Math.max(0, to - Math.max(duration, from));
    return inside + Math.round((Number.isFinite(before) ? before : 0) * perMs + after * perMs);
  };
}

/** Plans recovery from the run's history and writes its story into the timeline. */
function recoveryOf(core: Core, scenario: ResolvedScenario, seed: number, totals: Totals, writesNotBack: string[]): Recovery {
  const topology = scenario.topology;
  const duration = scenario.durationMs;
  const classIndex = new Map(topology.dataClasses.map((c, i) => [c.name, i]));
  const classWrites = writesCounter(core, scenario, classIndex);
  const backups = topology.backups;
  const phaseRng = new Rng((seed ^ 0x0bac) >>> 0);
  const phases = {
    base: backups?.baseBackups ? phaseRng.next() * backups.baseBackups.everyMs : 0,
    logical: backups?.logical ? phaseRng.next() * backups.logical.everyMs : 0,
    // The archive switches segments on its own clock, in steady state at t=0 like the backups.
    archive: backups ? phaseRng.next() : 0,
  };
  const leader = core.shape.leaderNode;
  const final = finalLoss(core);
  const input: RecoveryInput = {
    backups,
    wal: new WalHistory(() => sendTimes(core), scenario.workload.writeSizeBytes, (scenario.workload.writes / 1000) * scenario.workload.writeSizeBytes, duration),
    classWrites,
    archiveFailures: core.archiveFailures,
    // Only a running primary ships WAL: a leader's tenure starts and ends with the run's promotions and crashes.
    primaryTenures:
      topology.replication.mode === "leader-follower" && topology.leader
        ? primaryTenures(sortedTimeline(core), topology.leader, new Set(topology.nodes.filter((_, i) => core.lostForGood[i] === 1).map((n) => n.name)))
        : [{ startMs: -Infinity, endMs: Infinity, node: null }],
    lostRegions: core.lostRegions,
    phases,
    badWrites: core.badWrites.map((b) => ({
      atMs: b.atMs,
      dataClass: b.fault.dataClass,
      classShare: topology.dataClasses[classIndex.get(b.fault.dataClass) ?? 0]?.share ?? 0,
      statement: b.fault.statement,
      rows: b.fault.rows,
      noticedAtMs: b.atMs + b.fault.noticedAfterMs,
      blockedByGuard: b.blocked,
      replicatedInMs: b.replicatedInMs,
    })),
    writeSizeBytes: scenario.workload.writeSizeBytes,
    regionLosses: core.lostRegions.map((l) => {
      const last = l === final;
      return {
        region: l.region,
        atMs: l.atMs,
        final: last,
        failoverLostWrites: totals.writesLost,
        failedOver: !last && core.failovers > 0 && leader >= 0 && topology.nodes[leader].region !== l.region,
        leaderRegionLost: l.leaderRegionLost,
        survivor: last ? null : survivingReplica(core, l.region),
        operatorDelayMs: topology.failover.operatorDelayMs,
      };
    }),
    drillTimes: core.drillTimes,
    ackedLosses: [],
    durationMs: duration,
    classRtoMs: Math.min(...topology.dataClasses.map((c) => c.rtoMs)),
    classRpoMs: Math.min(...topology.dataClasses.map((c) => c.rpoMs)),
    writesNotBack,
    dataRegion: (topology.nodes.find((n) => n.name === topology.leader) ?? topology.nodes[0]).region,
  };
  const archived = archiveHold(core, backups && backups.walArchive.mode !== "none" ? archiveOf(input, backups) : null, input);
  input.ackedLosses = ackedLossCauses({ mode: topology.replication.mode, timeline: sortedTimeline(core), totals, archived });
  const recovery = planRecovery(input);
  for (const drill of recovery.drills) core.note(drill.atMs, "backups", { event: drill.ok ? "restore-drill" : "restore-drill-failed", drill });
  if (recovery.extrapolated) {
    core.note(duration, "planner", { event: "extrapolated" });
  }
  return recovery;
}

/**
 * Of the writes a promotion lost (the old leader's timeline beyond the fork, acknowledged before the promotion),
 * how many the WAL archive holds: those sent up to the last segment it had received when the old leader stopped
 * leading (its tenure's end, as a cross-region restore reads the archive at the loss). Nothing is kept per write:
 * the lost writes are counted where the run already keeps them (its orphans and unsettled log). No archive, or one
 * lost with its region by the end of the run, holds none; a run that kept no send times cannot place the writes
 * against the archive's segments (undefined).
 */
function archiveHold(core: Core, archive: Archive | null, input: RecoveryInput): NonNullable<Parameters<typeof ackedLossCauses>[0]["archived"]> {
  return ({ timeline, forkLsn, promotedAtMs, oldLeader }) => {
    if (archive === null || !archive.availableAt(core.endMs)) return { kind: "no-archive" };
    if (core.settled.sends === null) return undefined;
    const oldEpoch = core.epochs.parent[timeline - 1] ?? -1;
    const tenure = [...input.primaryTenures].reverse().find((t) => t.node === oldLeader && t.startMs < promotedAtMs);
    const stoppedMs = Math.min(promotedAtMs, tenure?.endMs ?? promotedAtMs);
    const until = archive.archivedUntil(stoppedMs);
    const replay = replayOfArchive(core, archive, input, until);
    let held = 0;
    let reachable = 0;
    const count = (epoch: number, lsn: number, sendMs: number) => {
      if (epoch === oldEpoch && lsn > forkLsn && sendMs < promotedAtMs && sendMs <= until) {
        held++;
        if (sendMs <= replay.reachedAtMs) reachable++;
      }
    };
    for (const o of core.settled.orphans) count(o.epoch, o.lsn, o.sendMs);
    const log = core.log;
    for (let id = log.head; id < log.count; id++) {
      const i = id & log.mask;
      if (log.status[i] === ACKED) count(log.epoch[i], log.lsn[i], log.sendMs[i]);
    }
    return {
      kind: "held",
      heldWrites: held,
      lagMs: Number.isFinite(until) ? round(Math.max(0, stoppedMs - until)) : null,
      replay: { reachableWrites: reachable, stoppedBy: reachable < held ? replay.stoppedBy : null, gap: reachable < held ? replay.gap : null },
    };
  };
}

/**
 * How far a point-in-time restore on a side instance at the end of the run replays the archive toward `until` (its
 * newest point on the old timeline): from the newest base backup taken by then that survives and is still retained,
 * up to the first hole after it (the rule every restore follows, Archive.replayReach). Without one, nowhere.
 */
function replayOfArchive(core: Core, archive: Archive, input: RecoveryInput, until: number): { reachedAtMs: number; stoppedBy: ReplayStop | null; gap: Window | null } {
  const nowhere = (stoppedBy: ReplayStop) => ({ reachedAtMs: -Infinity, stoppedBy, gap: null });
  const base = input.backups?.baseBackups ?? null;
  if (base === null) return nowhere("no-base-backups");
  if (!baseSurvives(input, base, core.endMs)) return nowhere("base-backups-lost");
  if (!Number.isFinite(until)) return nowhere("no-retained-base-backup");
  const taken = new Schedule(base.everyMs, base.retainMs, input.phases.base).newestBefore(until, core.endMs);
  if (taken === null) return nowhere("no-retained-base-backup");
  const { reachedAtMs, gap } = archive.replayReach(taken, until);
  return { reachedAtMs, stoppedBy: gap !== null ? "archive-gap" : null, gap };
}

/**
 * With every node lost for good, the loss a restore is measured against: the last one that took the leader (the node
 * writing the WAL and shipping it to the archive, so the archive holds nothing written after it), else the last one
 * that took a node. Null while any node survives.
 */
function finalLoss(core: Core): Core["lostRegions"][number] | null {
  if (!core.lostForGood.every((gone) => gone === 1)) return null;
  const nodes = core.topology.nodes;
  const tookNode = (l: Core["lostRegions"][number]) => nodes.some((n, i) => (n.zone === l.region || n.region === l.region) && core.lostAtMs[i] === l.atMs);
  let last: Core["lostRegions"][number] | null = null;
  for (const l of core.lostRegions) if (l.leaderRegionLost && tookNode(l)) last = l;
  if (last === null) for (const l of core.lostRegions) if (tookNode(l)) last = l;
  return last;
}

const sortedTimeline = (core: Core) => [...core.timeline].sort((a, b) => a.atMs - b.atMs);

/** The run's send times: kept whenever a fault that plans recovery from them is in the scenario. */
function sendTimes(core: Core): SendTimes {
  if (core.settled.sends === null) throw new Error("assertion: recovery planning needs send times the run did not keep");
  return core.settled.sends;
}

function lowerBound(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function settings(scenario: ResolvedScenario): Record<string, unknown> {
  const t = scenario.topology;
  return {
    preset: t.preset,
    nodes: t.nodes.map((n) => ({ name: n.name, zone: n.zone, role: n.role, nofailover: n.nofailover, applyRate: n.applyRate })),
    // A MongoDB replica set's arbiters vote and hold no data, so they are not among the nodes; empty elsewhere.
    arbiters: t.arbiters.map((a) => ({ name: a.name, zone: a.zone })),
    replication: t.replication,
    network: t.network,
    fsync: t.fsync,
    failover: t.failover,
    backups: t.backups,
    dataClasses: t.dataClasses,
    workload: scenario.workload,
    durationMs: scenario.durationMs,
  };
}

/**
 * A node outside a lost region still up at the end that could be promoted by hand: a replica of a
 * leader/follower or consensus group (the first listed, preferring one that may fail over), or null.
 */
function survivingReplica(core: Core, region: string): { node: string; nofailover: boolean; down: boolean } | null {
  const mode = core.topology.replication.mode;
  if (mode !== "leader-follower" && mode !== "consensus") return null;
  // A node outside the region that is down but not lost (powered off by STONITH, crashed and not restarted) still
  // has its disk: it is a survivor too, after the running ones.
  const kept = core.topology.nodes.map((n, i) => ({ n, up: core.alive[i] === 1 })).filter(({ n }, i) => n.region !== region && core.lostForGood[i] !== 1);
  const chosen = kept.find((k) => k.up && !k.n.nofailover) ?? kept.find((k) => k.up) ?? kept.find((k) => !k.n.nofailover) ?? kept[0];
  return chosen === undefined ? null : { node: chosen.n.name, nofailover: chosen.n.nofailover, down: !chosen.up };
}
