// What a design promises under a fault schedule, stated conservatively: an
// oracle may only demand what the design guarantees. Each function says why a
// guarantee holds or not, so a report can explain an oracle it skipped.
import { detectionRange, endpointRange, renewalPeriodMs, staleClientDelayMs } from "../base/failover-timing.js";
import type { ResolvedFault, ResolvedScenario } from "../model/types.js";
import { fencesAcknowledgements } from "../base/fencing.js";

export interface Guarantee {
  holds: boolean;
  /** Why it holds, or the first reason it does not. */
  why: string;
}

const no = (why: string): Guarantee => ({ holds: false, why });
const yes = (why: string): Guarantee => ({ holds: true, why });

/** Nodes whose disk is destroyed: a zone or region lost without `for`. (A crashed host keeps its disk in this engine.) */
export function destroyedNodes(scenario: ResolvedScenario): string[] {
  return [...new Set(scenario.faults.flatMap((f) => (f.kind === "lose" && f.forMs === null ? f.nodes : [])))];
}

const majority = (n: number) => Math.floor(n / 2) + 1;

/**
 * Whether no acknowledged write of class `cls` may be lost.
 * - leader/follower: strict synchronous replication (FIRST/ANY k), a commit
 *   level that waits for the standby's flush (on, remote_apply), fencing that
 *   stops the old leader (stonith, lease), a failover that never promotes a
 *   replica known to lag (lagging_candidates: wait), and no node destroyed nor
 *   rebuilt: each acknowledged write is then on the leader and k standbys
 *   (at least one, when Patroni lowers k to the standbys it has), and only a
 *   standby holding every acknowledged write may be promoted;
 * - consensus: the class commits on a majority and at most N − majority
 *   members are destroyed, so a majority copy survives every election;
 * - leaderless: a strict quorum with R + W > N, vector clocks (last-write-wins
 *   drops the loser of two concurrent writes, and with clock skew a newer
 *   write, by design) and no node destroyed;
 * - multi-leader: never (replication between leaders is asynchronous).
 */
export function durability(scenario: ResolvedScenario, cls: number): Guarantee {
  const topology = scenario.topology;
  const replication = topology.replication;
  const klass = topology.dataClasses[cls];
  const destroyed = destroyedNodes(scenario);
  if (scenario.faults.some((f) => f.kind === "rebuild")) return no("a replica is rebuilt from a backup");
  switch (replication.mode) {
    case "leader-follower": {
      const sync = replication.sync;
      if (sync === null) return no("asynchronous replication");
      if (!sync.strict) return no("synchronous replication degrades to async (strict: false)");
      if (klass.commit !== "on" && klass.commit !== "remote_apply") return no(`commit ${klass.commit} does not wait for a standby's flush`);
      if (topology.failover.fencing === "none") return no("no fencing");
      if (topology.failover.laggingCandidates === "promote") return no('lagging_candidates: promote accepts loss');
      if (destroyed.length > 0) return no(`${destroyed.join(", ")} destroyed (lose without for)`);
      return yes(`strict ${sync.method.toUpperCase()} ${sync.count}, commit ${klass.commit}, ${topology.failover.fencing} fencing`);
    }
    case "consensus": {
      const n = topology.nodes.length;
      if (klass.commit !== "on" && klass.commit !== "remote_apply") return no(`commit ${klass.commit} does not wait for a majority`);
      if (destroyed.length > n - majority(n)) return no(`${destroyed.length} of ${n} members destroyed: no majority copy is guaranteed`);
      return yes(`majority commit, ${destroyed.length} of ${n} members destroyed`);
    }
    case "leaderless":
      // Two writes to one key can always overlap in time, and last-write-wins silently drops the older-stamped one.
      if (replication.conflict === "lww") return no("last-write-wins drops the loser of concurrent writes");
      return quorumGuarantee(scenario, cls, destroyed);
    case "multi-leader":
      return no("asynchronous replication between leaders");
  }
}

function quorumGuarantee(scenario: ResolvedScenario, cls: number, destroyed: string[]): Guarantee {
  const replication = scenario.topology.replication;
  if (replication.mode !== "leaderless") throw new Error("assertion: quorum guarantee of a non-leaderless design");
  const klass = scenario.topology.dataClasses[cls];
  const r = klass.r ?? replication.r;
  const w = klass.w ?? replication.w;
  if (replication.sloppyQuorum) return no("sloppy quorum");
  if (r + w <= replication.n) return no(`R ${r} + W ${w} <= N ${replication.n}`);
  if (w > replication.n || r > replication.n) return no(`R or W above N ${replication.n}`);
  if (Object.values(replication.clockSkewMs).some((ms) => ms !== 0)) return no("clock skew under last-write-wins");
  if (destroyed.length > 0) return no(`${destroyed.join(", ")} destroyed (lose without for)`);
  return yes(`strict quorum R ${r} + W ${w} > N ${replication.n}`);
}

/** Leaderless strict quorums with R + W > N return the latest acknowledged write: no stale read. */
export function freshReads(scenario: ResolvedScenario, cls: number): Guarantee {
  if (scenario.topology.replication.mode !== "leaderless") return no("only leaderless quorums are checked for stale reads");
  return quorumGuarantee(scenario, cls, []);
}

/** Fencing (stonith or lease; a consensus group's leader steps down) keeps a deposed leader from writing. */
export function fenced(scenario: ResolvedScenario): Guarantee {
  const mode = scenario.topology.replication.mode;
  if (mode !== "leader-follower" && mode !== "consensus") return no(`${mode} has no single writer`);
  const topology = scenario.topology;
  const fencing = topology.failover.fencing;
  if (mode === "consensus") {
    return fencesAcknowledgements(mode, fencing, topology.dataClasses) ? yes("the quorum (majority commit)") : no("a class commits below the quorum (commit: local or off)");
  }
  return fencing === "none" ? no("no fencing") : yes(`${fencing} fencing`);
}

// ---------------------------------------------------------------------------
// Liveness: when every fault heals

/** Whether a fault ends on its own (`for`) or through a later recover/heal; one-shot faults count as ended. */
function ends(fault: ResolvedFault, later: ResolvedFault[]): boolean {
  switch (fault.kind) {
    case "crash":
      return fault.forMs !== null || later.some((f) => f.kind === "recover" && f.node === fault.node && f.atMs >= fault.atMs);
    case "partition":
      return fault.forMs !== null || later.some((f) => f.kind === "heal" && f.atMs >= fault.atMs);
    case "lose":
    case "stall":
    case "slow":
    case "latency":
    case "archive_fails":
      return fault.forMs !== null;
    case "rebuild":
      return false;
    default:
      return true;
  }
}

/** When the last fault ends, or null when some fault never does (liveness is then not promised). */
export function healedAtMs(scenario: ResolvedScenario): number | null {
  const faults = scenario.faults;
  let last = 0;
  for (const f of faults) {
    if (!ends(f, faults)) return null;
    last = Math.max(last, f.atMs + ("forMs" in f && f.forMs !== null ? f.forMs : 0));
  }
  return last;
}

// Engine constants this bound leans on (measured on a live cluster), restated here on purpose:
// the oracle must not read the engine's own numbers.
const LEASE_REVOKE_TICK_MS = 500;
const REJOIN_MS = 3500;
const WAL_RETRY_MS = 5000;
const MARGIN = 1.5;
const SLACK_MS = 5000;

/**
 * How long after the last heal a healthy cluster must be back to normal: a
 * whole failover (detection, HA loop, operator, fencing, election, promotion
 * for each candidate that may fail), a rejoin with pg_rewind and the WAL
 * receiver's retry, the catch-up of the backlog at the slowest apply rate,
 * the endpoint switch with its stale DNS tail, and the clients' reconnection
 * through the accept queue — times a margin.
 */
export function recoveryBoundMs(scenario: ResolvedScenario): number {
  const topology = scenario.topology;
  const failover = topology.failover;
  const workload = scenario.workload;
  const promoteFails = scenario.faults.filter((f) => f.kind === "promote_fails").length;
  const failoverMs =
    detectionRange(failover.detection).maxMs +
    LEASE_REVOKE_TICK_MS +
    renewalPeriodMs(failover.detection) +
    (failover.mode === "manual" ? failover.operatorDelayMs : 0) +
    failover.fencingMs +
    (1 + promoteFails) * (failover.electionMs + failover.promotionMs + renewalPeriodMs(failover.detection));
  const rejoinMs = REJOIN_MS + 2 * WAL_RETRY_MS;
  const endpointMs = endpointRange(failover.endpoint).maxMs + staleClientDelayMs(failover.endpoint) + proxyFallMs(scenario) + failover.reconnect.maxMs + workload.timeoutMs;
  const stormMs = failover.acceptRate > 0 ? (workload.clients / failover.acceptRate) * 1000 : 0;
  return (failoverMs + rejoinMs + catchUpMs(scenario) + endpointMs + stormMs) * MARGIN + SLACK_MS;
}

function proxyFallMs(scenario: ResolvedScenario): number {
  const endpoint = scenario.topology.failover.endpoint;
  return endpoint.kind === "proxy" ? endpoint.fall * endpoint.checkIntervalMs + endpoint.checkTimeoutMs : 0;
}

/** The backlog a replica can build while the faults last, replayed at what its apply rate leaves over the workload. */
function catchUpMs(scenario: ResolvedScenario): number {
  const faults = scenario.faults;
  if (faults.length === 0) return 0;
  const spanMs = (healedAtMs(scenario) ?? scenario.durationMs) - faults[0].atMs;
  const slowest = Math.min(...scenario.topology.nodes.map((n) => n.applyRate));
  const backlog = (scenario.workload.writes * spanMs) / 1000;
  const spare = slowest - scenario.workload.writes;
  return spare > 0 ? (backlog / spare) * 1000 : Infinity;
}
