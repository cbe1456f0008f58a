// A Patroni leader that demoted itself because it could not reach the coordinator (demote 'offline':
// PostgreSQL stopped, the leader key not released) leads again when the coordinator answers before the key
// expired: the key still names it, so no other node could have been promoted meanwhile.
import { EV } from "../core.js";
import { queueEndpointChange } from "../core/clients.js";
import { timelineId } from "../write-log.js";
import { LeaderFollowerState } from "./state.js";
import { startWal } from "./commit.js";
import { updateSyncSet, noteRedundancy, beginSyncWait, awaitsNamedStandby } from "./sync-set.js";

/**
 * Whether this HA loop of the key holder (alive, not leading) is Patroni's "i had the session lock" path:
 * only a lease has a key to hold (a Raft member that stepped down must win a vote instead), and the key must
 * not have expired yet (after its ttl the ordinary failover runs).
 */
export function holdsKeyDemoted(s: LeaderFollowerState, node: number, now: number): boolean {
  const core = s.core;
  const detection = core.topology.failover.detection;
  if (detection.kind !== "lease" || core.topology.replication.mode === "consensus") return false;
  if (core.alive[node] !== 1 || s.role[node] !== "replica" || s.failoverInProgress || s.promotingNode >= 0) return false;
  return now < s.lastRenewalMs + core.topology.derived.detection.ttlMs && core.reachesCoordinator(node);
}

/**
 * The key holder's HA loop once the coordinator answers again. The first loop finds PostgreSQL stopped and
 * starts it read-only, updating the key ("starting as readonly because i had the session lock"); the next loop
 * finds it running and promotes it ("promoted self to leader because i had the session lock"), which takes
 * the promotion time (pg_ctl promote). The start itself adds no time here: demote 'offline' stopped
 * PostgreSQL cleanly (a shutdown checkpoint), so it starts without crash recovery, well within the loop_wait
 * the promotion waits for anyway (the engine's only restart figure, REJOIN_DELAY_MS, includes a pg_rewind
 * that this node, still on its own timeline, does not need).
 *
 * validate's RTO budget (a failover: ttl, etcd's revoke tick, the election, the promotion) still bounds this
 * path when ttl is a multiple of loop_wait, as in Patroni's defaults: the last loop that finds the key valid
 * comes at least a loop_wait before it expires, so the promotion starts by the expiry and ends a promotion
 * time after it. With another ratio it can end up to loop_wait − (revoke tick + election) past that bound.
 */
export function sessionLockTick(s: LeaderFollowerState, node: number, now: number): void {
  const core = s.core;
  s.selfDemoteAt[node] = NaN;
  s.renew(now);
  if (Number.isNaN(s.startedWithKeyMs[node])) {
    s.startedWithKeyMs[node] = now;
    core.note(now, s.nodes[node].name, { event: "start-readonly", reason: "holds-key" });
    // The time until the HA loop learned the key was still its own, counted from the fault that cut it off.
    if (!Number.isNaN(s.failoverStartMs)) core.phase("detect", s.failoverStartMs, now);
    return;
  }
  s.promotingNode = node;
  s.leaderKeyMs = now;
  s.promotionDoneMs = NaN;
  s.schedulePromotion(now);
}

/**
 * The promotion of the key holder completed (see promoted). It stays on its epoch: no other node was promoted
 * and nothing was written anywhere else since it stopped, so no history forked, and its replicas (which never
 * stopped following the key holder) stream on without a rewind. PostgreSQL's promote does start a new
 * timeline ID here, but the engine's epoch marks a fork of the history, which the stale-read and
 * acknowledged-write bookkeeping is keyed on: a new epoch would make the replicas' streams look diverged and
 * count a failover that did not happen.
 */
export function repromoted(s: LeaderFollowerState, node: number, now: number): void {
  const core = s.core;
  const startedMs = s.startedWithKeyMs[node];
  s.startedWithKeyMs[node] = NaN;
  if (core.alive[node] !== 1 || s.role[node] !== "replica" || node !== s.official) return;
  // Its promotion step: the read-only start, the wait for the next HA loop, then pg_ctl promote.
  core.phase("promote", startedMs, now);
  s.role[node] = "leader";
  s.following[node] = -1;
  s.connected[node] = 0;
  startWal(s, node, s.lsn[node], now, true);
  s.trackWriter(node, now);
  s.failoverStartMs = NaN;
  s.endBlocked(now);
  core.note(now, s.nodes[node].name, { event: "repromote", reason: "held-key", timeline: timelineId(s.nodeEpoch[node]) });
  for (let r = 0; r < s.nodes.length; r++) if (s.following[r] === node && s.role[r] === "replica") s.retryLater(r, now);
  s.awaitingSyncChoice = s.sync !== null && awaitsNamedStandby(s.sync);
  s.leadsAgain = true;
  // Its commits start over here: a block from now on is dated now, not when its old standbys were lost.
  s.satisfiedMs = NaN;
  updateSyncSet(s, now, true);
  beginSyncWait(s, now);
  queueEndpointChange(core, node, now);
  noteRedundancy(s, now + 1);
}
