// From a resolved scenario to what `repl-lab live` will run on a real Patroni +
// etcd + PostgreSQL cluster: which scenarios can be mapped at all (and why not),
// Patroni's DCS settings from the topology, the tags of each node, the order the
// nodes start in, the workload the writer runs, and which faults are injected
// and which are listed and skipped. Pure: no processes, no files, no clock —
// the unit tests read every decision here.
import { deriveSettings } from "../model/derived.js";
import type { CommitLevel, ResolvedFault, ResolvedNode, ResolvedScenario } from "../model/types.js";
import { formatDuration, formatSize } from "../base/units.js";
import { detectionRange, patroniRuns, PATRONI_FLOORS_MS } from "../base/failover-timing.js";

/** Limits of the live mode: two cores and a few hundred MB must carry the whole cluster. */
export const LIVE_LIMITS = {
  nodes: 5,
  durationMs: 10 * 60_000,
  runs: 20,
  /** Total inserts per second the writer attempts. */
  writesPerSecond: 2_000,
  /** Writer connections in all. */
  connections: 16,
  connectionsPerClass: 4,
} as const;

/** The installed Patroni's version, [major, minor, patch]; quorum commit (`synchronous_mode: quorum`) arrived in 4.0. */
export type Version = [number, number, number];

export interface LiveEnvironment {
  patroniVersion: Version;
}

export interface DcsSettings {
  ttl: number;
  loop_wait: number;
  retry_timeout: number;
  maximum_lag_on_failover: number;
  synchronous_mode: boolean | "quorum";
  synchronous_mode_strict: boolean;
  synchronous_node_count: number;
}

export interface LiveNodePlan {
  name: string;
  /** The topology's initial leader: bootstrapped first, and put back in charge between runs. */
  leader: boolean;
  tags: { nofailover: boolean; nosync: boolean };
}

export interface WriterClassPlan {
  name: string;
  index: number;
  /** synchronous_commit of this class's sessions (PostgreSQL allows it per transaction). */
  commit: CommitLevel;
  writesPerSecond: number;
  connections: number;
}

export interface WriterPlan {
  classes: WriterClassPlan[];
  /** A write unanswered after this long is given up (counted as an error; its row may still appear: ambiguous). */
  timeoutMs: number;
  /** How often a client that lost its primary asks the nodes' REST APIs for the new one. */
  probeIntervalMs: number;
}

export type LiveFault =
  | { atMs: number; kind: "crash"; node: string }
  | { atMs: number; kind: "stall"; node: string; forMs: number | null }
  | { atMs: number; kind: "resume"; node: string }
  | { atMs: number; kind: "recover"; node: string };

export interface SkippedFault {
  atMs: number;
  kind: string;
  target: string;
  reason: string;
}

export interface LivePlan {
  scenario: ResolvedScenario;
  /** The scenario the engine simulates for the comparison: the faults injected live, the timings as mapped. */
  simulated: ResolvedScenario;
  leader: string;
  /** In start order: the leader, then the named synchronous standbys, then the others. */
  nodes: LiveNodePlan[];
  dcs: DcsSettings;
  /** PostgreSQL parameters the topology decides (besides the fixed ones the cluster always uses). */
  parameters: Record<string, string>;
  writer: WriterPlan;
  faults: LiveFault[];
  skipped: SkippedFault[];
  /** How the synchronous standbys are chosen, in words (null: asynchronous replication). */
  syncMapping: string | null;
  /** Settings changed to fit Patroni's rules, each with why. */
  adjustments: string[];
  /** What the live cluster does not reproduce, said plainly. */
  notes: string[];
}

export type PlanOutcome = { ok: true; plan: LivePlan } | { ok: false; reasons: string[] };

const sec = (ms: number) => formatDuration(ms);

/** Patroni's timing keys are whole seconds. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** The file's loop_wait and retry_timeout, when Patroni lowers them to fit its ttl (the resolved lease holds what it runs). */
function loweredByPatroni(detection: { ttlMs: number; loopWaitMs: number; retryTimeoutMs: number; given?: { loopWaitMs: number; retryTimeoutMs: number } }): string[] {
  const given = detection.given;
  if (!given) return [];
  const before = `loop_wait ${sec(given.loopWaitMs)} + 2 × retry_timeout ${sec(given.retryTimeoutMs)} = ${sec(given.loopWaitMs + 2 * given.retryTimeoutMs)} > ttl ${sec(detection.ttlMs)}`;
  return [`Patroni requires loop_wait + 2 × retry_timeout ≤ ttl (${before}): it lowers them to loop_wait ${sec(detection.loopWaitMs)}, retry_timeout ${sec(detection.retryTimeoutMs)}`];
}

/**
 * ttl / loop_wait / retry_timeout in Patroni's whole seconds, respecting its
 * rule loop_wait + 2 × retry_timeout ≤ ttl. Returns null when no setting fits.
 */
export function patroniTimings(ttlMs: number, loopWaitMs: number, retryTimeoutMs: number): { ttl: number; loop_wait: number; retry_timeout: number; adjustments: string[] } | null {
  const adjustments: string[] = [];
  const ttl = wholeSeconds(ttlMs);
  let loop = wholeSeconds(loopWaitMs);
  let retry = wholeSeconds(retryTimeoutMs);
  const rounded: string[] = [];
  if (ttl * 1000 !== ttlMs) rounded.push(`ttl ${sec(ttlMs)} → ${ttl}s`);
  if (loop * 1000 !== loopWaitMs) rounded.push(`loop_wait ${sec(loopWaitMs)} → ${loop}s`);
  if (retry * 1000 !== retryTimeoutMs) rounded.push(`retry_timeout ${sec(retryTimeoutMs)} → ${retry}s`);
  if (rounded.length > 0) adjustments.push(`Patroni takes whole seconds: ${rounded.join(", ")}`);
  if (loop + 2 * retry > ttl) {
    const before = `loop_wait ${loop}s + 2 × retry_timeout ${retry}s = ${loop + 2 * retry}s > ttl ${ttl}s`;
    retry = Math.max(1, Math.floor((ttl - loop) / 2));
    if (loop + 2 * retry > ttl) loop = Math.max(1, ttl - 2 * retry);
    if (loop + 2 * retry > ttl) return null;
    adjustments.push(`Patroni requires loop_wait + 2 × retry_timeout ≤ ttl (${before}): using loop_wait ${loop}s, retry_timeout ${retry}s`);
  }
  return { ttl, loop_wait: loop, retry_timeout: retry, adjustments };
}

/** Patroni 3.2 and later raise a ttl, loop_wait or retry_timeout under its floor when they load the configuration. */
export function hasTimingFloors(v: Version): boolean {
  return versionAtLeast(v, 3, 2);
}

type LeaseDetection = { ttlMs: number; loopWaitMs: number; retryTimeoutMs: number; given?: { loopWaitMs: number; retryTimeoutMs: number } };

/**
 * The timings written to patroni.yml and simulated beside the cluster, with why each differs from the file's.
 * Before 3.2: the file's timings in whole seconds, held to loop_wait + 2 × retry_timeout ≤ ttl (null when nothing
 * fits). From 3.2: the same whole seconds, raised to Patroni's floors (ttl 20 s, loop_wait 1 s, retry_timeout 3 s)
 * and only then held to the rule, as that release does when it loads them; the plan writes those values so the
 * cluster and the simulation run the same lease.
 */
export function liveTimings(detection: LeaseDetection, version: Version): { ttl: number; loop_wait: number; retry_timeout: number; adjustments: string[] } | null {
  if (!hasTimingFloors(version)) {
    const timings = patroniTimings(detection.ttlMs, detection.loopWaitMs, detection.retryTimeoutMs);
    return timings && { ...timings, adjustments: [...loweredByPatroni(detection), ...timings.adjustments] };
  }
  const stated = { ttlMs: detection.ttlMs, ...(detection.given ?? { loopWaitMs: detection.loopWaitMs, retryTimeoutMs: detection.retryTimeoutMs }) };
  const written = { ttl: wholeSeconds(stated.ttlMs), loop_wait: wholeSeconds(stated.loopWaitMs), retry_timeout: wholeSeconds(stated.retryTimeoutMs) };
  const adjustments: string[] = [];
  const rounded: string[] = [];
  if (written.ttl * 1000 !== stated.ttlMs) rounded.push(`ttl ${sec(stated.ttlMs)} → ${written.ttl}s`);
  if (written.loop_wait * 1000 !== stated.loopWaitMs) rounded.push(`loop_wait ${sec(stated.loopWaitMs)} → ${written.loop_wait}s`);
  if (written.retry_timeout * 1000 !== stated.retryTimeoutMs) rounded.push(`retry_timeout ${sec(stated.retryTimeoutMs)} → ${written.retry_timeout}s`);
  if (rounded.length > 0) adjustments.push(`Patroni takes whole seconds: ${rounded.join(", ")}`);
  const runs = patroniRuns(written.ttl * 1000, written.loop_wait * 1000, written.retry_timeout * 1000);
  const v = formatVersion(version);
  const floors = `ttl ≥ ${sec(PATRONI_FLOORS_MS.ttlMs)}, loop_wait ≥ ${sec(PATRONI_FLOORS_MS.loopWaitMs)}, retry_timeout ≥ ${sec(PATRONI_FLOORS_MS.retryTimeoutMs)}`;
  if (runs.changed.length > 0) {
    // The raised value of each (loop_wait and retry_timeout before the rule below may lower them again).
    const after = { ttl: runs.ttlMs, loop_wait: runs.floored.loopWaitMs, retry_timeout: runs.floored.retryTimeoutMs };
    const raised = runs.changed.map((name) => `${name} ${written[name]}s → ${sec(after[name])}`);
    const file = { kind: "lease" as const, ttlMs: written.ttl * 1000, loopWaitMs: written.loop_wait * 1000, retryTimeoutMs: written.retry_timeout * 1000 };
    const current = { kind: "lease" as const, ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs };
    const was = detectionRange(file);
    const now = detectionRange(current);
    adjustments.push(
      `Patroni ${v} raises ${raised.join(", ")} (3.2 and later hold ${floors} and raise a smaller value when they load the configuration): ` +
        `patroni.yml states the raised values and the simulation runs them too, so a dead leader is detected ${sec(now.minMs)}–${sec(now.maxMs)} after it fails on both sides, not ${sec(was.minMs)}–${sec(was.maxMs)} as the file's timings give on Patroni 3.1 and earlier`,
    );
  }
  if (runs.loopWaitMs !== runs.floored.loopWaitMs || runs.retryTimeoutMs !== runs.floored.retryTimeoutMs) {
    const before = `loop_wait ${sec(runs.floored.loopWaitMs)} + 2 × retry_timeout ${sec(runs.floored.retryTimeoutMs)} = ${sec(runs.floored.loopWaitMs + 2 * runs.floored.retryTimeoutMs)} > ttl ${sec(runs.ttlMs)}`;
    adjustments.push(`Patroni requires loop_wait + 2 × retry_timeout ≤ ttl (${before}): it lowers them to loop_wait ${sec(runs.loopWaitMs)}, retry_timeout ${sec(runs.retryTimeoutMs)}`);
  }
  return { ttl: runs.ttlMs / 1000, loop_wait: runs.loopWaitMs / 1000, retry_timeout: runs.retryTimeoutMs / 1000, adjustments };
}

function versionAtLeast(v: Version, major: number, minor = 0): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

export function formatVersion(v: Version): string {
  return v.join(".");
}

/** Why the topology cannot run on a loopback Patroni cluster (empty: it can). */
export function refusals(scenario: ResolvedScenario, env?: LiveEnvironment): string[] {
  const t = scenario.topology;
  const reasons: string[] = [];
  const mode = t.replication.mode;
  if (mode === "leaderless") reasons.push(`replication mode "leaderless" (Dynamo-style quorums) has no PostgreSQL + Patroni equivalent; the live mode runs one leader with streaming replicas — use \`repl-lab simulate\` or \`repl-lab quorum\``);
  if (mode === "multi-leader") reasons.push(`replication mode "multi-leader" (several writable leaders with conflict resolution) has no PostgreSQL + Patroni equivalent — use \`repl-lab simulate\``);
  if (mode === "consensus") reasons.push(`replication mode "consensus" (a Raft/Paxos group committing on a majority) is not what Patroni does — use \`repl-lab simulate\``);
  if (mode !== "leader-follower") return reasons;
  // A MongoDB replica set's arbiter is the whole point of such a design, and nothing on Patroni stands for it: the
  // one reason, not the heartbeats and the rest that follow from its preset.
  if (t.arbiters.length > 0) {
    const names = t.arbiters.map((a) => a.name).join(", ");
    return [
      `${t.arbiters.length === 1 ? "the arbiter" : "the arbiters"} ${names} (a MongoDB member that votes and holds no data): a replica set with an arbiter (such as primary-secondary-arbiter, P-S-A) cannot run on Patroni, whose leader etcd elects and which has no voting member without data — use \`repl-lab simulate\``,
    ];
  }
  if (t.nodes.length > LIVE_LIMITS.nodes) reasons.push(`${t.nodes.length} nodes: the live mode starts at most ${LIVE_LIMITS.nodes} PostgreSQL nodes on one machine`);
  if (t.nodes.length < 2) reasons.push("one node: there is nothing to fail over to");
  if (t.leader === null) reasons.push("the topology names no leader (role: leader)");
  const detection = t.failover.detection;
  if (detection.kind !== "lease") {
    reasons.push(`failure detection by heartbeats (every ${sec(detection.intervalMs)}, ${detection.misses} misses) is not how Patroni detects a failure; Patroni uses a leader lease (detection: { ttl, loop_wait, retry_timeout })`);
  } else if (liveTimings(detection, env?.patroniVersion ?? [3, 0, 0]) === null) {
    reasons.push(`detection ttl ${sec(detection.ttlMs)} is too short for Patroni: it needs loop_wait + 2 × retry_timeout ≤ ttl with whole seconds of at least 1`);
  }
  if (t.failover.mode === "manual") reasons.push(`manual failover (a human promotes after ${sec(t.failover.operatorDelayMs)}) cannot be reproduced: Patroni fails over automatically`);
  if (scenario.durationMs > LIVE_LIMITS.durationMs) reasons.push(`duration ${sec(scenario.durationMs)}: a live run lasts at most ${sec(LIVE_LIMITS.durationMs)}`);
  reasons.push(...regionRefusals(scenario));
  return reasons;
}

/**
 * Loopback has no 35 ms between regions. A node whose latency to the leader
 * decides commits or failover (a possible synchronous standby or failover
 * candidate in another region) would make the live numbers a different
 * system's; a remote node that is neither (async, nosync, nofailover) only gets
 * a note.
 */
function regionRefusals(scenario: ResolvedScenario): string[] {
  const t = scenario.topology;
  const leader = t.nodes.find((n) => n.name === t.leader);
  if (!leader) return [];
  const remote = t.nodes.filter((n) => n.region !== leader.region);
  const out: string[] = [];
  for (const node of remote) {
    const roles: string[] = [];
    if (isSyncCandidate(scenario, node)) roles.push("may be a synchronous standby");
    if (!node.nofailover && node.failoverPriority > 0) roles.push("may be promoted");
    if (roles.length === 0) continue;
    out.push(
      `${node.name} is in region ${node.region}, ${t.network.crossRegion ? describeLatency(t.network.crossRegion) : "another region"} from the leader in ${leader.region}, and ${roles.join(" and ")}: loopback cannot reproduce cross-region latency, so its commits and failover would be measured on the wrong network (tag it nofailover and nosync, or move it to ${leader.region})`,
    );
  }
  return out;
}

function describeLatency(latency: unknown): string {
  const l = latency as Record<string, unknown>;
  if (typeof l.median === "number") return `${l.median} ms one way (median)`;
  const inner = (l.lognormal ?? l) as Record<string, unknown>;
  if (typeof inner.median === "number") return `${inner.median} ms one way (median)`;
  if (typeof l.constant === "number") return `${l.constant} ms one way`;
  return "a WAN link away";
}

function syncOf(scenario: ResolvedScenario) {
  const r = scenario.topology.replication;
  return r.mode === "leader-follower" ? r.sync : null;
}

/** Whether Patroni may pick this node as a synchronous standby (managed: any replica not tagged nosync; static: the listed ones). */
export function isSyncCandidate(scenario: ResolvedScenario, node: ResolvedNode): boolean {
  const sync = syncOf(scenario);
  if (!sync) return false;
  return sync.managed ? !node.nosync : sync.names.includes(node.name);
}

export function planLive(scenario: ResolvedScenario, env: LiveEnvironment): PlanOutcome {
  const reasons = refusals(scenario, env);
  if (reasons.length > 0) return { ok: false, reasons };
  const t = scenario.topology;
  const detection = t.failover.detection;
  if (detection.kind !== "lease" || t.leader === null) throw new Error("assertion: refusals() let through a topology without a lease or a leader");
  const timings = liveTimings(detection, env.patroniVersion)!;
  const adjustments = [...timings.adjustments];
  const notes: string[] = [];
  const sync = syncOf(scenario);

  const nodes = startOrder(scenario).map((node) => ({
    name: node.name,
    leader: node.name === t.leader,
    tags: { nofailover: node.nofailover || node.failoverPriority <= 0, nosync: sync ? !isSyncCandidate(scenario, node) : false },
  }));

  let syncMode: DcsSettings["synchronous_mode"] = false;
  let syncMapping: string | null = null;
  if (sync) {
    const list = `${sync.method.toUpperCase()} ${sync.count} (${sync.names.join(", ")})`;
    const nosync = nodes.filter((n) => n.tags.nosync && !n.leader).map((n) => n.name);
    const pool = sync.managed ? `among the replicas not tagged nosync${nosync.length > 0 ? ` (nosync: ${nosync.join(", ")})` : ""}` : `among the listed standbys only (every other node is tagged nosync)`;
    if (sync.method === "any" && versionAtLeast(env.patroniVersion, 4)) {
      syncMode = "quorum";
      syncMapping = `${list} → Patroni ${formatVersion(env.patroniVersion)} quorum commit: synchronous_mode quorum, synchronous_node_count ${sync.count}, ${pool}`;
    } else {
      syncMode = true;
      const why =
        sync.method === "any"
          ? `the topology asks for ANY ${sync.count} (a quorum), but Patroni ${formatVersion(env.patroniVersion)} has no quorum mode (it arrived in 4.0): mapped to FIRST ${sync.count} — `
          : "";
      syncMapping = `${list} → ${why}synchronous_mode on, synchronous_node_count ${sync.count}: Patroni ${formatVersion(env.patroniVersion)} picks its ${sync.count === 1 ? "synchronous standby" : `${sync.count} synchronous standbys`} itself (FIRST ${sync.count}) ${pool}; ${sync.names.length > 0 ? `${sync.names.join(", ")} ${sync.names.length === 1 ? "starts" : "start"} first so ${sync.names.length === 1 ? "it is" : "they are"} picked first, and after a failover Patroni re-picks by WAL position, not by the list order` : "it re-picks by WAL position after a failover"}`;
    }
    if (!sync.strict && sync.degradeAfterMs > 0) {
      notes.push(`degrade_after ${sec(sync.degradeAfterMs)} (a semi-sync timeout) has no Patroni equivalent: without strict mode Patroni drops a missing synchronous standby at its next HA cycle`);
    }
  }

  const dcs = dcsSettings(t.failover.maximumLagBytes, timings, sync, syncMode);
  const parameters: Record<string, string> = { synchronous_commit: sync ? sync.commit : "on" };
  // wal_sender_timeout (the file's, or PostgreSQL's default) is PostgreSQL's own setting: the real cluster runs with it.
  if (t.replication.mode === "leader-follower" && t.replication.walSenderTimeoutMs !== null) parameters.wal_sender_timeout = `${Math.round(t.replication.walSenderTimeoutMs)}ms`;

  const writer = writerPlan(scenario, notes);
  const { faults, skipped } = mapFaults(scenario);
  if (faults.length === 0) {
    const why = scenario.faults.length === 0 ? "the scenario has no faults" : `none of its faults can be injected live (${skipped.map((s) => `${s.kind}: ${s.reason}`).join("; ")})`;
    return { ok: false, reasons: [`nothing to measure live: ${why}`] };
  }
  notes.push(...environmentNotes(scenario));

  const simulated = simulatedScenario(scenario, env, timings, skipped, notes);
  return { ok: true, plan: { scenario, simulated, leader: t.leader, nodes, dcs, parameters, writer, faults, skipped, syncMapping, adjustments, notes } };
}

/** The cluster-wide settings Patroni keeps in the DCS. */
function dcsSettings(maximumLagBytes: number, timings: { ttl: number; loop_wait: number; retry_timeout: number }, sync: ReturnType<typeof syncOf>, syncMode: DcsSettings["synchronous_mode"]): DcsSettings {
  return {
    ttl: timings.ttl,
    loop_wait: timings.loop_wait,
    retry_timeout: timings.retry_timeout,
    maximum_lag_on_failover: Math.round(maximumLagBytes),
    synchronous_mode: syncMode,
    synchronous_mode_strict: sync ? sync.strict : false,
    synchronous_node_count: sync ? sync.count : 1,
  };
}

/**
 * The scenario the engine runs beside the live cluster: the cluster's rounded timings, only the faults that are
 * injected, and Patroni 3.0's '*' when strict mode has no synchronous standby (it sets synchronous_standby_names
 * = '*' then, so any streaming standby, nosync ones included, acknowledges; later releases use a placeholder that
 * matches nobody). The derived settings are computed again from the changed settings.
 */
function simulatedScenario(scenario: ResolvedScenario, env: LiveEnvironment, timings: { ttl: number; loop_wait: number; retry_timeout: number }, skipped: SkippedFault[], notes: string[]): ResolvedScenario {
  const t = scenario.topology;
  const sync = syncOf(scenario);
  const replication = t.replication;
  const star = sync !== null && sync.strict && replication.mode === "leader-follower" && replication.sync !== null && !versionAtLeast(env.patroniVersion, 3, 1);
  if (star && sync.whenNone !== "any-standby") notes.push(`Patroni ${formatVersion(env.patroniVersion)} uses synchronous_standby_names = '*' when strict mode has no synchronous standby: the simulation follows it (when_none: any-standby)`);
  const simulatedReplication = star && replication.mode === "leader-follower" && replication.sync !== null ? { ...replication, sync: { ...replication.sync, whenNone: "any-standby" as const } } : replication;
  const failover = { ...t.failover, detection: { kind: "lease" as const, ttlMs: timings.ttl * 1000, loopWaitMs: timings.loop_wait * 1000, retryTimeoutMs: timings.retry_timeout * 1000 } };
  const topology = { ...t, replication: simulatedReplication, failover };
  return {
    ...scenario,
    faults: scenario.faults.filter((f) => !skipped.some((s) => s.atMs === f.atMs && s.kind === f.kind && s.target === faultTarget(f))),
    topology: { ...topology, derived: deriveSettings(topology) },
  };
}

/** The leader, then the named synchronous standbys in order (so Patroni picks them first), then the rest in file order. */
export function startOrder(scenario: ResolvedScenario): ResolvedNode[] {
  const t = scenario.topology;
  const sync = syncOf(scenario);
  const rank = (n: ResolvedNode) => (n.name === t.leader ? -1 : sync && sync.names.includes(n.name) ? sync.names.indexOf(n.name) : 1000 + n.index);
  return [...t.nodes].sort((a, b) => rank(a) - rank(b));
}

function writerPlan(scenario: ResolvedScenario, notes: string[]): WriterPlan {
  const w = scenario.workload;
  const t = scenario.topology;
  let total = w.writes;
  if (total > LIVE_LIMITS.writesPerSecond) {
    notes.push(`the workload's ${w.writes.toLocaleString("en-US")} writes/s are capped at ${LIVE_LIMITS.writesPerSecond.toLocaleString("en-US")}/s (two cores carry the whole cluster)`);
    total = LIVE_LIMITS.writesPerSecond;
  }
  const classes = t.dataClasses.filter((c) => c.share > 0);
  const budget = Math.min(LIVE_LIMITS.connections, Math.max(classes.length, Math.min(w.clients, LIVE_LIMITS.connections)));
  const perClass = Math.max(1, Math.min(LIVE_LIMITS.connectionsPerClass, Math.floor(budget / Math.max(1, classes.length))));
  const plan: WriterClassPlan[] = classes.map((c) => ({ name: c.name, index: c.index, commit: c.commit, writesPerSecond: total * c.share, connections: perClass }));
  const connections = plan.reduce((s, c) => s + c.connections, 0);
  notes.push(
    `workload: ${Math.round(total).toLocaleString("en-US")} inserts/s over ${connections} connections (${perClass} per data class, each class with its own synchronous_commit) stand in for ${w.clients.toLocaleString("en-US")} clients; reads (${w.reads.toLocaleString("en-US")}/s) are not run live`,
  );
  const probe = Math.max(50, Math.min(1000, t.failover.reconnect.backoffMs));
  return { classes: plan, timeoutMs: w.timeoutMs, probeIntervalMs: probe };
}

function faultTarget(f: ResolvedFault): string {
  switch (f.kind) {
    case "crash":
    case "recover":
    case "stall":
    case "slow":
    case "promote_fails":
    case "rebuild":
      return f.node;
    case "lose":
      return f.target;
    case "partition":
      return f.sides.map((s) => s.join("+")).join(" | ");
    case "latency":
      return f.between.map((s) => s.join("+")).join(" ↔ ");
    case "bad_write":
      return f.dataClass;
    default:
      return "";
  }
}

const SKIP_REASONS: Record<string, string> = {
  partition: "network partitions need separate network namespaces or firewall rules per node; every node here shares one loopback interface",
  heal: "ends a partition, which is not injected",
  latency: "added latency would need netem on the loopback interface, which slows every process on this machine, the writer included",
  slow: "a replica's apply rate cannot be throttled safely on a real PostgreSQL",
  lose: "losing a zone or region also cuts off its clients; on one machine only the nodes could be killed, which is a different fault (write it as crash faults)",
  bad_write: "a bad statement and its recovery from backups are simulated (`repl-lab simulate`): the live cluster has no backups",
  archive_fails: "the live cluster does not archive WAL",
  promote_fails: "a real promotion cannot be made to fail on purpose without patching PostgreSQL",
  rebuild: "re-seeding a replica from a base backup is not scripted live",
  restore_drill: "restore drills are simulated: the live cluster has no backups",
};

/**
 * The faults the live mode injects, in time order, with their ends expanded
 * (a crash `for` a while becomes a crash and a recover; a stall becomes a
 * stall and a resume), and the faults it skips, each with the reason.
 */
export function mapFaults(scenario: ResolvedScenario): { faults: LiveFault[]; skipped: SkippedFault[] } {
  const faults: LiveFault[] = [];
  const skipped: SkippedFault[] = [];
  const end = scenario.durationMs;
  const down = new Set<string>();
  const sorted = [...scenario.faults].sort((a, b) => a.atMs - b.atMs);
  const pending: LiveFault[] = [];
  const flushUntil = (atMs: number) => {
    pending.sort((a, b) => a.atMs - b.atMs);
    while (pending.length > 0 && pending[0].atMs <= atMs) {
      const f = pending.shift()!;
      if (f.kind === "recover") down.delete(f.node);
      faults.push(f);
    }
  };
  for (const f of sorted) {
    flushUntil(f.atMs);
    const skip = (reason: string) => skipped.push({ atMs: f.atMs, kind: f.kind, target: faultTarget(f), reason });
    switch (f.kind) {
      case "crash":
        if (down.has(f.node)) {
          skip(`${f.node} is already down`);
          break;
        }
        down.add(f.node);
        faults.push({ atMs: f.atMs, kind: "crash", node: f.node });
        if (f.forMs !== null && f.atMs + f.forMs < end) pending.push({ atMs: f.atMs + f.forMs, kind: "recover", node: f.node });
        break;
      case "recover":
        if (!down.has(f.node)) {
          skip(`${f.node} is not down at that time (only a crashed node is restarted)`);
          break;
        }
        down.delete(f.node);
        faults.push({ atMs: f.atMs, kind: "recover", node: f.node });
        break;
      case "stall":
        if (down.has(f.node)) {
          skip(`${f.node} is down at that time`);
          break;
        }
        faults.push({ atMs: f.atMs, kind: "stall", node: f.node, forMs: f.forMs });
        pending.push({ atMs: f.forMs !== null ? Math.min(end, f.atMs + f.forMs) : end, kind: "resume", node: f.node });
        break;
      default:
        skip(SKIP_REASONS[f.kind] ?? "no live equivalent");
    }
  }
  flushUntil(Infinity);
  return { faults, skipped };
}

function environmentNotes(scenario: ResolvedScenario): string[] {
  const t = scenario.topology;
  const notes: string[] = [];
  const leader = t.nodes.find((n) => n.name === t.leader)!;
  const remote = t.nodes.filter((n) => n.region !== leader.region);
  if (remote.length > 0) {
    notes.push(`${remote.map((n) => n.name).join(", ")} (${[...new Set(remote.map((n) => n.region))].join(", ")}) run${remote.length === 1 ? "s" : ""} on loopback without the cross-region latency; neither a possible synchronous standby nor a failover candidate, so RTO and RPO do not depend on it`);
  }
  notes.push("network latency between zones and the topology's fsync times are not reproduced: loopback round trips take about 0.05 ms and the disk is this machine's");
  notes.push("etcd: one member on loopback (the coordinator), not touched by the node faults");
  const endpoint = t.failover.endpoint;
  notes.push(
    `endpoint: ${endpoint.kind === "dns" ? `DNS with a ${sec(endpoint.ttlMs)} TTL` : `a proxy checking every ${sec(endpoint.checkIntervalMs)}`} is not run; after an error the writer asks every node's REST API (GET /primary) every ${sec(Math.max(50, Math.min(1000, t.failover.reconnect.backoffMs)))} and checks pg_is_in_recovery() on connect`,
  );
  if (t.failover.fencing === "none") notes.push(`fencing: none cannot be reproduced: Patroni always fences by its lease (a leader that cannot renew it demotes itself)`);
  if (t.nodes.some((n) => n.failoverPriority > 0 && n.failoverPriority !== 1)) notes.push("failover_priority is not passed to Patroni (only ≤ 0, which means nofailover)");
  notes.push(`maximum_lag_on_failover ${formatSize(t.failover.maximumLagBytes)}, promotion, election and reconnection are Patroni's and PostgreSQL's own: measured, not configured`);
  return notes;
}
