// From what a live run recorded to a result in the shape `simulate` produces
// (the documented JSON shape), counted the same way the engine counts:
//   RTO  = from the fault to the acknowledgement of the first write sent after
//          the first error (per data class);
//   RPO  = acknowledged writes whose rows are missing on the primary after the
//          run, and the time window they span;
//   ambiguous = writes whose client saw an error but whose row exists: neither
//          lost nor cleanly rejected, reported apart.
// The failover timeline comes from the monitor's observations of etcd and
// Patroni's REST API. Pure: the same log always gives the same result.
import { formatDuration } from "../base/units.js";
import { evaluateExpectations } from "../engine/expect.js";
import type { CompiledExpectations, Expectation } from "../model/expectations.js";
import { allMet, type ClassResult, type ClassVerdicts, type FailoverPhaseResult, type SimulationResult, type TimelineEntry } from "../engine/result.js";
import { nearestRank } from "../engine/trials.js";
import type { ResolvedClass, ResolvedScenario } from "../model/types.js";
import type { LagObservation, Observation } from "./monitor.js";
import type { LivePlan } from "./plan.js";
import type { WriteRecord, WriterEvent } from "./writer.js";

export interface AppliedFault {
  atMs: number;
  kind: "crash" | "stall" | "resume" | "recover";
  node: string;
  event: string;
  detail: string;
}

export interface RunLog {
  run: number;
  durationMs: number;
  /** The node that led when the run started. */
  leaderBefore: string;
  faults: AppliedFault[];
  records: WriteRecord[];
  writerEvents: WriterEvent[];
  observations: Observation[];
  lag: LagObservation[];
  /** The rows found on the primary after the run, per class index. */
  rows: { node: string; ids: Map<number, Set<number>> };
}

export interface LiveRun {
  run: number;
  result: SimulationResult;
  /** Errors seen by clients whose rows exist after all. */
  ambiguousWrites: number;
  ambiguousByClass: Record<string, number>;
  leaderBefore: string;
  leaderAfter: string;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The fault RTO runs from: the latest injected fault at or before the first error (as the engine's faultBefore). */
function faultBefore(faults: readonly AppliedFault[], errorMs: number): number {
  const disruptive = faults.filter((f) => f.kind !== "resume" && f.kind !== "recover");
  let origin = disruptive[0]?.atMs ?? 0;
  for (const f of disruptive) if (f.atMs <= errorMs) origin = f.atMs;
  return origin;
}

/** One class's measurement, with the counts the run's totals add up. */
interface ClassMeasure {
  result: ClassResult;
  lost: number;
  acked: number;
  rejected: number;
  ambiguous: number;
}

function measureClass(cls: ResolvedClass, records: WriteRecord[], log: RunLog, firstFaultMs: number | null): ClassMeasure {
  const present = log.rows.ids.get(cls.index) ?? new Set<number>();
  const acked = records.filter((r) => r.ok);
  const errors = records.filter((r) => !r.ok);
  const lost = acked.filter((r) => !present.has(r.id));
  const ambiguous = errors.filter((r) => present.has(r.id)).length;
  const windowMs = lost.length > 0 ? Math.max(1, round(Math.max(...lost.map((r) => r.doneMs)) - Math.min(...lost.map((r) => r.doneMs)))) : 0;
  const firstError = errors.length > 0 ? Math.min(...errors.map((r) => r.doneMs)) : Infinity;
  let writeMs: number | null = 0;
  if (firstFaultMs === null || !Number.isFinite(firstError)) writeMs = 0;
  else {
    const after = acked.filter((r) => r.sendMs >= firstError);
    writeMs = after.length > 0 ? round(Math.min(...after.map((r) => r.doneMs)) - faultBefore(log.faults, firstError)) : null;
  }
  const latencies = acked.map((r) => r.doneMs - r.sendMs).sort((a, b) => a - b);
  const { p50: p50ClientMs, p99: p99ClientMs } = clientTail(records, log.faults, firstFaultMs);
  const within = (ms: number | null) => ms !== null && ms <= cls.rtoMs;
  // The parts a live run measures, judged as the engine judges them (no reads, no restore on a live cluster).
  const verdicts: ClassVerdicts = {
    rpo: cls.rpoMs === 0 ? lost.length === 0 : windowMs <= cls.rpoMs,
    writeRto: within(writeMs),
    readRto: null,
    p99ClientRto: firstFaultMs === null ? null : within(p99ClientMs),
    keyRto: null,
    noFaultRejects: null,
    restoreRto: null,
    restoreRpo: null,
  };
  const result: ClassResult = {
    name: cls.name,
    rpo: { targetMs: cls.rpoMs, lostAckedWrites: lost.length, windowMs },
    rto: { targetMs: cls.rtoMs, writeMs, readMs: null, p50ClientMs, p99ClientMs },
    latency: {
      writeP50Ms: latencies.length > 0 ? Math.round(nearestRank(latencies, 50) * 100) / 100 : null,
      writeP99Ms: latencies.length > 0 ? Math.round(nearestRank(latencies, 99) * 100) / 100 : null,
      readP50Ms: null,
      readP99Ms: null,
    },
    staleReads: 0,
    writesAcked: acked.length,
    writesRejected: errors.length - ambiguous,
    met: allMet(verdicts),
    verdicts,
  };
  return { result, lost: lost.length, acked: acked.length, rejected: errors.length - ambiguous, ambiguous };
}

export function measureRun(plan: LivePlan, log: RunLog): LiveRun {
  const scenario = plan.scenario;
  const t = scenario.topology;
  const byClass = new Map<number, WriteRecord[]>();
  for (const r of log.records) {
    if (!byClass.has(r.cls)) byClass.set(r.cls, []);
    byClass.get(r.cls)!.push(r);
  }
  const firstFaultMs = log.faults.length > 0 ? Math.min(...log.faults.map((f) => f.atMs)) : null;
  const measures = t.dataClasses.map((cls) => measureClass(cls, (byClass.get(cls.index) ?? []).slice().sort((a, b) => a.sendMs - b.sendMs), log, firstFaultMs));
  const ambiguousByClass: Record<string, number> = Object.fromEntries(t.dataClasses.map((cls, i) => [cls.name, measures[i].ambiguous]));
  const sum = (field: "lost" | "acked" | "rejected") => measures.reduce((total, m) => total + m[field], 0);
  const [lostTotal, ackedTotal, rejectedTotal] = [sum("lost"), sum("acked"), sum("rejected")];
  const classes = measures.map((m) => m.result);

  const { timeline, phases, failovers, leaderAfter } = buildTimeline(log, plan.dcs.ttl);
  const writesDown = unavailable(log.records);
  const result: SimulationResult = {
    scenario: scenario.name,
    seed: scenario.seed,
    topology: t.name,
    preset: t.preset,
    mode: t.replication.mode,
    durationMs: log.durationMs,
    firstFaultMs,
    classes,
    timeline,
    totals: {
      writesAcked: ackedTotal,
      writesLost: lostTotal,
      writesRejected: rejectedTotal,
      readsRejected: 0,
      staleReads: 0,
      conflicts: 0,
      splitBrainMs: 0,
      writeUnavailableMs: round(writesDown.ms),
      writeUnavailableStretches: writesDown.stretches,
      failovers,
      readsServed: 0,
    },
    phases,
    lag: log.lag.map((l) => ({ atMs: l.atMs, node: l.node, lagBytes: l.lagBytes, lagMs: l.lagMs })),
    regions: [],
    settings: liveSettings(plan, log),
    expectations: [],
    violations: [],
    stats: { events: log.records.length + log.observations.length },
  };
  result.expectations = evaluateExpectations(liveExpectations(scenario), result);
  return { run: log.run, result, ambiguousWrites: Object.values(ambiguousByClass).reduce((a, b) => a + b, 0), ambiguousByClass, leaderBefore: log.leaderBefore, leaderAfter: leaderAfter ?? log.rows.node };
}

/** The expectations a live run can be judged on: measured fields only (no reads, split brain, recovery or engine-only timeline names). */
export const LIVE_CLASS_FIELDS = ["rpo", "rto", "client_p99", "lost_writes", "write_p50", "write_p99", "met"] as const;
export const LIVE_GLOBAL_FIELDS = ["writes_lost", "writes_acked", "failovers", "write_unavailable"] as const;

export function liveExpectations(scenario: ResolvedScenario): CompiledExpectations {
  const measured = (item: Expectation) =>
    (item.target === "class" && (LIVE_CLASS_FIELDS as readonly string[]).includes(item.field)) || (item.target === "global" && (LIVE_GLOBAL_FIELDS as readonly string[]).includes(item.key));
  return scenario.expectations.map((group) => ({ ...group, items: group.items.filter(measured) })).filter((group) => group.items.length > 0);
}

/** For each connection cut off by the fault: from the fault to its first acknowledgement after its first error; the p50 and p99 (nearest rank). */
function clientTail(records: readonly WriteRecord[], faults: readonly AppliedFault[], firstFaultMs: number | null): { p50: number | null; p99: number | null } {
  if (firstFaultMs === null) return { p50: null, p99: null };
  const byConn = new Map<number, WriteRecord[]>();
  for (const r of records) {
    if (!byConn.has(r.conn)) byConn.set(r.conn, []);
    byConn.get(r.conn)!.push(r);
  }
  const durations: number[] = [];
  for (const list of byConn.values()) {
    const firstError = list.find((r) => !r.ok);
    if (!firstError) continue;
    const back = list.find((r) => r.ok && r.sendMs >= firstError.doneMs);
    durations.push(back ? back.doneMs - faultBefore(faults, firstError.doneMs) : Infinity);
  }
  if (durations.length === 0) return { p50: 0, p99: 0 };
  durations.sort((a, b) => a - b);
  const at = (p: number) => {
    const ms = nearestRank(durations, p);
    return Number.isFinite(ms) ? round(ms) : null;
  };
  return { p50: at(50), p99: at(99) };
}

/** Time during which writes failed: from each error not yet covered to the next acknowledgement of a write sent after it. */
export function unavailableMs(records: readonly WriteRecord[]): number {
  return unavailable(records).ms;
}

/** The time writes were unavailable (unavailableMs) and how many separate stretches it is made of. */
export function unavailable(records: readonly WriteRecord[]): { ms: number; stretches: number } {
  const errors = records.filter((r) => !r.ok).map((r) => r.doneMs).sort((a, b) => a - b);
  const acks = records.filter((r) => r.ok).sort((a, b) => a.doneMs - b.doneMs);
  let total = 0;
  let stretches = 0;
  let coveredUntil = -Infinity;
  for (const e of errors) {
    if (e <= coveredUntil) continue;
    const back = acks.find((a) => a.sendMs >= e);
    const end = back ? back.doneMs : Math.max(e, ...records.map((r) => r.doneMs));
    total += end - e;
    if (end > e) stretches++;
    coveredUntil = end;
  }
  return { ms: total, stretches };
}

interface TimelineParts {
  timeline: TimelineEntry[];
  phases: FailoverPhaseResult[];
  failovers: number;
  leaderAfter: string | null;
}

/**
 * The failover story from the observations: the fault, the leader key's expiry
 * (detect), a new holder (elect), the new holder answering GET /primary
 * (promote), the writer's first error, its reconnection to the new primary
 * (endpoint) and the first acknowledgement after the error (reconnect);
 * synchronous standby changes and rejoins.
 */
export function buildTimeline(log: RunLog, ttlSeconds: number): TimelineParts {
  const st: TimelineState = {
    entries: log.faults.map((f) => ({ atMs: f.atMs, node: f.node, event: f.event, observed: f.detail })),
    phases: [],
    crashes: log.faults.filter((f) => f.kind === "crash"),
    holder: undefined,
    lastHolder: null,
    failovers: 0,
    keyGoneAt: null,
    pendingPromotion: null,
    lastRenewal: new Map(),
    promotedAt: null,
    promotedNode: null,
  };
  let sync: string[] | null = null;
  const recovered = new Set(log.faults.filter((f) => f.kind === "recover").map((f) => f.node));
  const rejoined = new Set<string>();
  for (const o of [...log.observations].sort((a, b) => a.atMs - b.atMs)) {
    switch (o.kind) {
      case "renewed":
        st.lastRenewal.set(o.holder, o.atMs);
        break;
      case "leader-key":
        onLeaderKey(st, o.holder, o.atMs, ttlSeconds);
        break;
      case "primary":
        if (st.pendingPromotion && st.pendingPromotion.node === o.node) {
          st.entries.push({ atMs: o.atMs, node: o.node, event: "promote", observed: "promoted: answers GET /primary (read-write)" });
          st.phases.push({ phase: "promote", startMs: st.pendingPromotion.atMs, endMs: o.atMs });
          st.promotedAt = o.atMs;
          st.promotedNode = o.node;
          st.pendingPromotion = null;
        }
        break;
      case "sync": {
        const next = o.standbys;
        if (sync !== null && next.join(",") !== sync.join(",")) {
          const was = sync.length > 0 ? ` (was ${sync.join(", ")})` : "";
          const event = next.length > 0 ? "sync-standby" : "no-sync-standby";
          st.entries.push({ atMs: o.atMs, node: o.leader ?? "cluster", event, observed: next.length > 0 ? `synchronous standby: ${next.join(", ")}${was}` : `no synchronous standby${was}` });
        }
        sync = next;
        break;
      }
      case "member":
        if (recovered.has(o.node) && !rejoined.has(o.node) && (o.role === "replica" || o.role === "sync_standby") && (o.state === "running" || o.state === "streaming")) {
          const recoverAt = log.faults.find((f) => f.kind === "recover" && f.node === o.node && f.atMs <= o.atMs);
          if (recoverAt) {
            rejoined.add(o.node);
            st.entries.push({ atMs: o.atMs, node: o.node, event: "rejoin", observed: `running as a replica again, ${fmt(o.atMs - recoverAt.atMs)} after the restart (pg_rewind)` });
          }
        }
        break;
    }
  }
  writerSide(log, st);
  return finishTimeline(st);
}

/** The story so far while the observations are read in time order. */
interface TimelineState {
  entries: TimelineEntry[];
  phases: FailoverPhaseResult[];
  crashes: AppliedFault[];
  /** The leader key's holder as last seen (undefined before the first poll, null while nobody holds it). */
  holder: string | null | undefined;
  lastHolder: string | null;
  failovers: number;
  keyGoneAt: number | null;
  pendingPromotion: { node: string; atMs: number } | null;
  lastRenewal: Map<string, number>;
  promotedAt: number | null;
  promotedNode: string | null;
}

/** The leader key expired (detect), or a node took it (elect), possibly both between two polls. */
function onLeaderKey(st: TimelineState, next: string | null, atMs: number, ttlSeconds: number): void {
  if (st.holder === undefined) {
    st.holder = next;
    if (next) st.lastHolder = next;
    return;
  }
  const holder = st.holder;
  if (next === null) {
    noteDetect(st, holder, atMs, `leader key expired in etcd (ttl ${ttlSeconds}s`);
  } else {
    // The key changed hands between two polls: its expiry and the new holder's race were too quick to see apart.
    if (holder !== null && holder !== next) noteDetect(st, holder, atMs, `leader key expired and was taken within one 100 ms poll (ttl ${ttlSeconds}s`);
    if (next !== st.lastHolder) st.failovers++;
    st.entries.push({ atMs, node: next, event: "elect", observed: `took the leader key${st.lastHolder && st.lastHolder !== next ? ` (was ${st.lastHolder})` : ""}` });
    if (st.keyGoneAt !== null) st.phases.push({ phase: "elect", startMs: st.keyGoneAt, endMs: atMs });
    st.pendingPromotion = { node: next, atMs };
    st.lastHolder = next;
  }
  st.holder = next;
}

/** Detection: the key of `holder` is gone; the phase runs from the crash that caused it, when there was one. */
function noteDetect(st: TimelineState, holder: string | null, atMs: number, text: string): void {
  st.keyGoneAt = atMs;
  const crash = [...st.crashes].reverse().find((c) => c.node === holder && c.atMs <= atMs);
  const renewed = holder ? st.lastRenewal.get(holder) : undefined;
  const since = crash && renewed !== undefined && renewed <= crash.atMs ? `; last renewed ${fmt(crash.atMs - renewed)} before the crash` : "";
  st.entries.push({ atMs, node: holder ?? "etcd", event: "detect", observed: `${text}${since})` });
  if (crash) st.phases.push({ phase: "detect", startMs: crash.atMs, endMs: atMs });
}

/** The writer's side: first error, reconnection to the new primary, first acknowledgement after the error. */
function writerSide(log: RunLog, st: TimelineState): void {
  const firstError = log.writerEvents.filter((e) => e.kind === "error").sort((a, b) => a.atMs - b.atMs)[0];
  if (!firstError) return;
  st.entries.push({ atMs: firstError.atMs, node: "clients", event: "write-error", observed: `first write error (on ${firstError.node}): ${shorten(firstError.detail)}` });
  const connected = log.writerEvents.filter((e) => e.kind === "connected" && e.atMs >= firstError.atMs).sort((a, b) => a.atMs - b.atMs)[0];
  if (connected) {
    st.entries.push({ atMs: connected.atMs, node: "clients", event: "endpoint", observed: `writer connected to ${connected.node} (found through GET /primary)` });
    if (st.promotedAt !== null && st.promotedNode === connected.node && connected.atMs >= st.promotedAt) st.phases.push({ phase: "endpoint", startMs: st.promotedAt, endMs: connected.atMs });
  }
  const back = log.records.filter((r) => r.ok && r.sendMs >= firstError.atMs).sort((a, b) => a.doneMs - b.doneMs)[0];
  if (back) {
    st.entries.push({ atMs: back.doneMs, node: "clients", event: "reconnect", observed: `first write acknowledged after the error (by ${back.node})` });
    if (connected && back.doneMs >= connected.atMs && st.promotedAt !== null) st.phases.push({ phase: "reconnect", startMs: connected.atMs, endMs: back.doneMs });
  }
}

/** Entries of one instant in causal order (the fault, the clients' error, then the failover's steps), rounded. */
function finishTimeline(st: TimelineState): TimelineParts {
  const rank = ["crash", "stall", "resume", "recover", "write-error", "detect", "elect", "promote", "endpoint", "reconnect"];
  const order = (e: TimelineEntry) => (rank.includes(e.event) ? rank.indexOf(e.event) : rank.length);
  st.entries.sort((a, b) => a.atMs - b.atMs || order(a) - order(b));
  return {
    timeline: st.entries.map((e) => ({ ...e, atMs: round(e.atMs) })),
    phases: st.phases.map((p) => ({ ...p, startMs: round(p.startMs), endMs: round(p.endMs) })),
    failovers: st.failovers,
    leaderAfter: st.lastHolder,
  };
}

/** A measured interval: milliseconds below a second, else seconds with one decimal. */
function fmt(ms: number): string {
  return formatDuration(ms, { style: "seconds" });
}

function shorten(text: string): string {
  const line = text.split("\n")[0];
  return line.length > 90 ? `${line.slice(0, 87)}…` : line;
}

function liveSettings(plan: LivePlan, log: RunLog): Record<string, unknown> {
  return {
    live: true,
    run: log.run,
    dcs: plan.dcs,
    parameters: plan.parameters,
    nodes: plan.nodes.map((n) => ({ name: n.name, tags: n.tags })),
    syncMapping: plan.syncMapping,
    writer: plan.writer,
    notMeasured: "reads, stale reads, conflicts and split brain are not measured live (zero here); regions are not reproduced",
  };
}
