// The read pools: which nodes the proxy in front of the database sends reads
// to. As HAProxy does with Patroni's REST checks, the proxy checks every node
// each check interval and takes a node out of a pool after `fall` consecutive
// failed checks, back in after `rise` consecutive passes. Between the two, a
// node that died or stopped answering queries (a rebuild wipes its data
// directory) still receives its share of the reads, and they fail: at the
// client's timeout on a dead host, at once where the host refuses the
// connection; a node that came back serves again only once its checks pass.
//
// Two pools, as Patroni's endpoints give them: /replica passes on a running
// replica (the pool of `reads: session` and `{ max_lag }`), /read-only on a
// running replica or the leader (the pool of `reads: any`). Whether a listed
// replica is recent enough for a session or a staleness budget is checked at
// each read, on the replica (pickReplica), as an application checking
// pg_last_wal_replay_lsn() does. A DNS endpoint runs no checks: reads go to
// whichever nodes answer, at once.
import { EV } from "../core.js";
import type { LeaderFollowerState } from "./state.js";
import { POOL_ANY, POOL_REPLICA } from "./read-pools.js";

/** Whether `node` answers queries: its server is up and running as the leader or a replica (not rebuilding). */
export function answersReads(s: LeaderFollowerState, node: number): boolean {
  return s.core.alive[node] === 1 && (s.role[node] === "leader" || s.role[node] === "replica");
}

/** What the proxy's check of `node` for `pool` finds now (Patroni's /replica and /read-only). */
function passesCheck(s: LeaderFollowerState, pool: number, node: number): boolean {
  if (!answersReads(s, node)) return false;
  return pool === POOL_ANY || s.role[node] === "replica";
}

/** Starts the proxy's checks, when a data class reads from replicas through one. */
export function startReadPoolChecks(s: LeaderFollowerState): void {
  const core = s.core;
  const pools = s.readPools;
  core.readRouting.forEach((routing) => {
    if (routing !== null) pools.used[routing === "any" ? POOL_ANY : POOL_REPLICA] = 1;
  });
  pools.init((pool, node) => passesCheck(s, pool, node));
  const endpoint = core.topology.failover.endpoint;
  if (!pools.checked || endpoint.kind !== "proxy" || (pools.used[0] === 0 && pools.used[1] === 0)) return;
  core.queue.push(core.endpoint.nextCheckMs(0), EV.READ_POOL_CHECK);
}

/** A round of the proxy's checks of the read pools; the next one an interval later. */
export function readPoolCheck(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const endpoint = core.topology.failover.endpoint;
  if (endpoint.kind !== "proxy" || now > core.endMs) return;
  core.queue.push(now + endpoint.checkIntervalMs, EV.READ_POOL_CHECK);
  const pools = s.readPools;
  for (const change of pools.check((pool, node) => passesCheck(s, pool, node), endpoint.rise, endpoint.fall)) {
    // A node that stopped answering, or came back after it had: news. A leader leaving the replica pool at its
    // promotion (or a demoted one joining it) answered throughout: no read failed, nothing to tell.
    const k = change.pool * s.nodes.length + change.node;
    const down = !change.listed && !answersReads(s, change.node);
    const back = change.listed && pools.outForDown[k] === 1;
    pools.outForDown[k] = down ? 1 : 0;
    if (!down && !back) continue;
    const fact = { pool: change.pool === POOL_ANY ? "any" : "replica", checks: change.listed ? endpoint.rise : endpoint.fall, checkIntervalMs: endpoint.checkIntervalMs, failedReads: change.failedReads, ...(change.failedReads > 0 && !change.listed ? { failedSinceMs: change.failedSinceMs } : {}) } as const;
    core.note(now, s.nodes[change.node].name, change.listed ? { event: "read-pool-in", ...fact } : { event: "read-pool-out", ...fact });
  }
}
