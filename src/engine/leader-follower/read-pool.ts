// The read pools: which nodes the proxy in front of the database sends reads
// to. As HAProxy does with Patroni's REST checks, the proxy checks every node
// each check interval and takes a node out of a pool after `fall` consecutive
// failed checks, back in after `rise` consecutive passes. Between the two, a
// node that died or stopped answering queries (a rebuild wipes its data
// directory) still receives its share of the reads, and they fail: at the
// client's timeout on a dead host, at once where the host refuses the
// connection; a node that came back serves again only once its checks pass.
//
// The pools, as Patroni's endpoints give them: /replica passes on a running
// replica (the pool of `reads: session`), /replica?lag=<max_lag> on a running
// replica no further behind than the budget as Patroni measures it (lagBytes:
// one pool per budget of `reads: { max_lag }`), /read-only on a running
// replica or the leader (the pool of `reads: any`). So a replica that falls
// behind serves a class's max_lag reads, staler than its budget, until `fall`
// checks have seen it, and one that caught up serves them again only after
// `rise` passes. Whether a listed replica is recent enough for a session is
// checked at each read, on the replica (pickReplica), as an application
// checking pg_last_wal_replay_lsn() does. A DNS endpoint runs no checks: reads
// go to whichever nodes answer, at once, and the application checks a budget
// at each read too.
import { EV } from "../core.js";
import type { LeaderFollowerState } from "./state.js";
import { OUT_DOWN, OUT_LAGGING, POOL_ANY, POOL_LAG } from "./read-pools.js";
import { lagMsOf } from "./lag.js";

/** Whether `node` answers queries: its server is up and running as the leader or a replica (not rebuilding). */
export function answersReads(s: LeaderFollowerState, node: number): boolean {
  return s.core.alive[node] === 1 && (s.role[node] === "leader" || s.role[node] === "replica");
}

/**
 * How far behind `node` is as Patroni's /replica?lag= check measures it (api.py, do_GET): the leader's position as
 * the replica knows it, the larger of the last_lsn the leader writes to the DCS at each HA loop (its renewal) and
 * the WAL end its WAL sender last reported (pg_stat_wal_receiver.latest_end_lsn, which Patroni reads since 4.1;
 * the sender ships WAL as it flushes, so here: what the replica received), minus what the replica replayed
 * (pg_last_wal_replay_lsn()). A replica that receives but replays slowly is seen at once; one that receives
 * nothing (a stalled sender, a cut) is seen through the DCS, up to a loop_wait late.
 */
export function lagBytes(s: LeaderFollowerState, node: number, now: number): number {
  const stream = s.streams[node];
  const applied = stream.position(now, "apply");
  return Math.max(0, Math.max(s.leaseLsn, stream.position(now, "recv")) - applied);
}

/** What the proxy's check of `node` for `pool` finds now (Patroni's /replica, /replica?lag= and /read-only). */
function passesCheck(s: LeaderFollowerState, pool: number, node: number, now: number): boolean {
  if (!answersReads(s, node)) return false;
  if (pool === POOL_ANY) return true;
  if (s.role[node] !== "replica") return false;
  if (pool < POOL_LAG) return true;
  const budget = s.readPools.budgetOf(pool);
  return lagBytes(s, node, now) <= budget.bytes && (budget.ms === Infinity || lagMsOf(s, node, now) <= budget.ms);
}

/** Starts the proxy's checks, when a data class reads from replicas through one. */
export function startReadPoolChecks(s: LeaderFollowerState): void {
  const core = s.core;
  const pools = s.readPools;
  core.readRouting.forEach((routing, cls) => {
    if (routing !== null) pools.used[pools.poolOf(routing, core.readMaxLag[cls])] = 1;
  });
  pools.init((pool, node) => passesCheck(s, pool, node, 0));
  const endpoint = core.topology.failover.endpoint;
  if (!pools.checked || endpoint.kind !== "proxy" || !pools.used.includes(1)) return;
  core.queue.push(core.endpoint.nextCheckMs(0), EV.READ_POOL_CHECK);
}

/** A round of the proxy's checks of the read pools; the next one an interval later. */
export function readPoolCheck(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const endpoint = core.topology.failover.endpoint;
  if (endpoint.kind !== "proxy" || now > core.endMs) return;
  core.queue.push(now + endpoint.checkIntervalMs, EV.READ_POOL_CHECK);
  const pools = s.readPools;
  for (const change of pools.check((pool, node) => passesCheck(s, pool, node, now), endpoint.rise, endpoint.fall)) {
    // A node that stopped answering or fell behind its pool's budget, or came back after it had: news. A leader
    // leaving the replica pools at its promotion (or a demoted one joining them) answered throughout: nothing to tell.
    const k = change.pool * s.nodes.length + change.node;
    const node = change.node;
    const why = change.listed ? 0 : !answersReads(s, node) ? OUT_DOWN : s.role[node] === "replica" ? OUT_LAGGING : 0;
    const was = pools.outFor[k];
    pools.outFor[k] = why;
    if (why === 0 && was === 0) continue;
    const lagging = why === OUT_LAGGING || (change.listed && was === OUT_LAGGING);
    const fact = {
      pool: change.pool === POOL_ANY ? "any" : "replica",
      checks: change.listed ? endpoint.rise : endpoint.fall,
      checkIntervalMs: endpoint.checkIntervalMs,
      failedReads: change.failedReads,
      ...(change.failedReads > 0 && !change.listed ? { failedSinceMs: change.failedSinceMs } : {}),
      ...(change.pool >= POOL_LAG ? budgetFacts(pools.budgetOf(change.pool)) : {}),
      ...(lagging ? { lagBytes: lagBytes(s, node, now), ...(change.pool >= POOL_LAG && pools.budgetOf(change.pool).ms < Infinity ? { lagMs: lagMsOf(s, node, now) } : {}) } : {}),
      ...(lagging && !change.listed ? { staleReads: change.staleReads, ...(change.staleReads > 0 ? { staleSinceMs: change.staleSinceMs } : {}) } : {}),
    } as const;
    core.note(now, s.nodes[node].name, change.listed ? { event: "read-pool-in", ...fact } : { event: "read-pool-out", ...fact });
  }
}

/** A pool's budget as the timeline tells it: in bytes (maxLagBytes) or in time (maxLagMs). */
function budgetFacts(budget: { bytes: number; ms: number }): { maxLagBytes: number } | { maxLagMs: number } {
  return budget.ms < Infinity ? { maxLagMs: budget.ms } : { maxLagBytes: budget.bytes };
}
