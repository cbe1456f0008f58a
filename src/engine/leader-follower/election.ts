// Failover: the HA loop and lease, detection, fencing, the election (highest
// LSN, quorum and Raft vote rules) and promotion.
import type { ElectReason, Exclusion, LeaderFollowerEvent } from "./events.js";
import { timelineId } from "../write-log.js";
import { EpochWrites } from "./epoch-writes.js";
import { EV } from "../core.js";
import { queueEndpointChange } from "../core/clients.js";
import { renewalPeriodMs } from "../../base/failover-timing.js";
import { LeaderFollowerState } from "./state.js";
import { flushedLsn, recomputePending, startWal } from "./commit.js";
import { updateSyncSet, noteRedundancy, beginSyncWait, startSynchronous, awaitsNamedStandby } from "./sync-set.js";
import { readFromSharedStorage, repointSurvivors } from "./rejoin.js";
import { crashNode } from "./faults.js";
import { startTimer } from "./raft-timer.js";
import { holdsKeyDemoted, sessionLockTick, repromoted } from "./session-lock.js";
import { arbiterVotes, firstCandidateTripMs, hearsPrimary } from "./replica-set-votes.js";

/** The HA loop of the acting leader: renew the lease, keep the synchronous set, degrade or restore. */
export function haTick(s: LeaderFollowerState, node: number, loop: number, now: number): void {
  const core = s.core;
  if (now > core.endMs || loop !== s.haLoop[node]) return;
  const period = core.topology.derived.detection.renewalPeriodMs;
  if (node !== s.official) return deposedTick(s, node, now, period);
  core.queue.push(now + period, EV.HA_TICK, node, loop);
  if (holdsKeyDemoted(s, node, now)) return sessionLockTick(s, node, now);
  if (core.alive[node] !== 1 || s.role[node] !== "leader" || s.failoverInProgress) return;
  // The HA loop names a proper synchronous standby when one streams (see updateSyncSet).
  s.awaitingSyncChoice = false;
  if (core.reachesCoordinator(node) && !heartbeatInTime(s, now)) {
    // A heartbeat slowed past the followers' election timers (added latency): they campaign before it arrives.
  } else if (core.reachesCoordinator(node)) {
    s.renew(now);
    s.selfDemoteAt[node] = NaN;
    s.startedWithKeyMs[node] = NaN;
    // Renewing again: whatever cut it off (a partition that healed) did not become a failover.
    s.failoverStartMs = NaN;
  } else if (core.topology.failover.fencing !== "none" && Number.isNaN(s.selfDemoteAt[node])) {
    // It cannot renew: it must stop before its lease runs out, or another node could be promoted beside it.
    // Patroni demotes when it cannot update the leader key within retry_timeout, which its rules keep inside the ttl.
    const detection = core.topology.failover.detection;
    // Members that vote (Raft with CheckQuorum, a MongoDB primary): an election timeout after a majority last
    // answered its heartbeats, the answers to the last renewal's being a round trip on their way (s.answeredMs).
    const ttlMs = core.topology.derived.detection.ttlMs;
    const expiry = (core.topology.derived.coordinator.nodesVote ? s.answeredMs : s.lastRenewalMs) + ttlMs;
    const at = detection.kind === "lease" ? Math.min(expiry, now + detection.retryTimeoutMs) : quorumCheckAt(s, expiry);
    s.selfDemoteAt[node] = at;
    if (Number.isNaN(s.failoverStartMs)) s.failoverStartMs = failureStart(s, now);
    core.queue.push(Math.max(now, at), EV.SELF_DEMOTE, node);
    core.note(now, s.nodes[node].name, { event: "coordinator-lost", coordinator: core.topology.failover.coordinator, demoteAtMs: at, leaseExpiresMs: expiry, ...quorumCheckEvery(s) });
  }
  updateSyncSet(s, now, true);
}

/**
 * When a leader of members that vote, whose majority last answered an election timeout before `expiry`, steps down.
 * etcd's leader checks its quorum once every election timeout, counted from its election (CheckQuorum), and steps
 * down at the first check that finds no majority answered since the check before: the first check at or after
 * `expiry`, between one and two election timeouts after the last answer. A MongoDB primary marks a member down as
 * soon as it has not heard from it for the timeout, and steps down then: at `expiry`.
 */
function quorumCheckAt(s: LeaderFollowerState, expiry: number): number {
  const topology = s.core.topology;
  if (!topology.derived.coordinator.nodesVote || !topology.derived.system.periodicQuorumCheck) return expiry;
  const every = topology.derived.detection.ttlMs;
  return s.leaderKeyMs + Math.ceil((expiry - s.leaderKeyMs) / every) * every;
}

/** A leader that checks its quorum periodically (quorumCheckAt): how often, for the timeline to say. */
function quorumCheckEvery(s: LeaderFollowerState): { quorumCheckEveryMs?: number } {
  const topology = s.core.topology;
  return topology.derived.coordinator.nodesVote && topology.derived.system.periodicQuorumCheck ? { quorumCheckEveryMs: topology.derived.detection.ttlMs } : {};
}

/**
 * The HA loop of a leader that lost the key (no fencing stopped it): once it can read the coordinator it sees
 * another node holds the key and demotes itself, whenever that happens (a heal, a later promotion).
 */
export function deposedTick(s: LeaderFollowerState, node: number, now: number, period: number): void {
  const core = s.core;
  if (s.role[node] !== "leader" || core.alive[node] !== 1) return;
  // An outvoted leader of members that vote learns of the new term when the winner's vote request reaches it (stepDownOutvoted).
  const reaches = s.newTermReachesMs[node];
  if (now < reaches) return;
  s.newTermReachesMs[node] = NaN;
  if (!core.reachesCoordinator(node)) {
    core.queue.push(now + period, EV.HA_TICK, node, s.haLoop[node]);
    return;
  }
  core.note(now, s.nodes[node].name, { event: "demote", reason: "sees-leader", leader: s.nodes[s.official].name });
  s.becomeReplica(node, now);
  core.failPending(node, now);
  recomputePending(s, now);
}

/**
 * Whether the leader's heartbeat sent now reaches the followers before their election timers, restarted by the last
 * heartbeat counted, run out, in a group whose members vote (a Raft group; a MongoDB replica set, its secondaries'
 * timers running electionTimeoutMillis). A steady delay does not matter (the heartbeats arrive as often as they are
 * sent); a delay that grows by more than the timeout (added latency) leaves the followers hearing nothing for that
 * long, and they campaign against a leader that is up. Where votes are sticky (etcd) the election needs a majority
 * of followers that hear nothing (heartbeatDelayMs). In a replica set one secondary that hears nothing stands, and
 * it is the nearest of those that could win a majority's votes while the primary is up that decides
 * (firstCandidateTripMs): with none, no election can win, and the primary goes on. Where an external store elects
 * (Patroni), always true.
 */
function heartbeatInTime(s: LeaderFollowerState, now: number): boolean {
  const core = s.core;
  const detection = core.topology.failover.detection;
  if (!core.topology.derived.coordinator.nodesVote || detection.kind !== "heartbeat") return true;
  const sticky = core.topology.derived.system.stickyVotes;
  const trip = sticky ? s.heartbeatDelayMs(true) : firstCandidateTripMs(s, now, true);
  if (trip === null) return true;
  const heard = now + trip;
  const due = (sticky ? s.heardLateMs : s.heardMs) + core.topology.derived.detection.ttlMs;
  if (heard <= due) return true;
  s.lateTripMs = trip;
  const randomizedMs = detection.randomizedMs ?? 0;
  if (randomizedMs === 0) return false;
  if (s.electionTimerDrawnFor !== s.renewals) {
    // The voters' randomized timers, drawn now rather than when they start to run out (leaseCheck), since the
    // heartbeat's arrival is compared with them now.
    s.electionTimerDrawnFor = s.renewals;
    if (isRaft(s)) s.electionTimerFiresAtMs = drawTimers(s, due);
    else {
      s.electionTimerFiresAtMs = due + firstElectionTimerMs(s, randomizedMs, now);
      core.queue.push(s.electionTimerFiresAtMs, EV.LEASE_CHECK, s.official, s.renewals);
    }
  }
  if (heard < s.electionTimerFiresAtMs) {
    s.lateTripMs = NaN;
    return true;
  }
  return false;
}

export function leaseCheck(s: LeaderFollowerState, renewal: number, now: number): void {
  // After the run the HA loop stops renewing; an expiry then is an artefact of stopping, not a failure.
  if (renewal !== s.renewals || s.failoverInProgress || now > s.core.endMs) return;
  const core = s.core;
  const failover = core.topology.failover;
  const leader = s.official;
  const detection = failover.detection;
  if (detection.kind === "heartbeat" && isRaft(s)) {
    // The heartbeats stopped a timeout ago: each member's own randomized timer runs out in its turn, and the first
    // to run out campaigns (campaign). None drawn (no follower up): the failure waits for a member's timer to start.
    if (s.electionTimerDrawnFor !== renewal) {
      s.electionTimerDrawnFor = renewal;
      s.electionTimerFiresAtMs = drawTimers(s, now);
    }
    return;
  }
  if (detection.kind === "heartbeat" && (detection.randomizedMs ?? 0) > 0) {
    if (s.electionTimerDrawnFor !== renewal) {
      // The heartbeats stopped a timeout ago: now the voters' randomized timers run out, the first one first.
      s.electionTimerDrawnFor = renewal;
      s.electionTimerFiresAtMs = now + firstElectionTimerMs(s, detection.randomizedMs ?? 0, now);
      core.queue.push(s.electionTimerFiresAtMs, EV.LEASE_CHECK, leader, renewal);
      return;
    }
    // Drawn already (heartbeatInTime): the check queued for when the first timer runs out decides.
    if (now < s.electionTimerFiresAtMs) return;
  }
  const start = detect(s, now, {});
  const run = electionRunMs(s, now);
  s.electionRunMs = run.ms;
  s.voteSentAfterMs = run.voteSentAfterMs;
  s.electionStartMs = start;
  core.queue.push(start + s.electionRunMs, EV.ELECTION);
}

/**
 * The failure is detected at `now`: the detect entry and phase, the operator's page (manual failover) and the
 * fencing step. `campaign`: in a Raft group, the member whose own election timer ran out first, and whether it can
 * win. Returns when the failover goes on after the fencing step.
 */
function detect(s: LeaderFollowerState, now: number, campaign: { campaigner?: string; cannotWin?: true; votes?: number; needed?: number }): number {
  const core = s.core;
  const failover = core.topology.failover;
  const leader = s.official;
  const detection = failover.detection;
  s.failoverInProgress = true;
  core.note(
    now,
    s.nodes[leader].name,
    detection.kind === "lease"
      ? { event: "detect", via: "lease", ttlMs: detection.ttlMs, lastRenewalMs: s.lastRenewalMs, revokedAfterMs: Math.max(0, Math.round((now - s.lastRenewalMs - detection.ttlMs) * 10) / 10) }
      : { event: "detect", via: "heartbeat", misses: detection.misses, intervalMs: detection.intervalMs, ...(detection.randomizedMs ? { randomizedMs: detection.randomizedMs } : {}), ...lateHeartbeats(s), ...campaign },
  );
  core.phase("detect", detectionStart(s), now);
  let start = now;
  if (failover.mode === "manual") {
    start = now + failover.operatorDelayMs;
    core.note(now, "operator", { event: "page", operatorDelayMs: failover.operatorDelayMs, ...(start > core.endMs ? { afterRunEnd: true as const } : {}) });
    core.phase("operator", now, start);
  }
  // The fencing step runs when the failover gets to it: at once, or when the paged operator acts (the old leader
  // may be back by then). STONITH takes its own time; a lease or no fencing takes none.
  if (start > now || failover.fencing === "stonith") core.queue.push(start, EV.FENCE, leader);
  else fence(s, leader, now);
  if (failover.fencing === "stonith") start += failover.fencingMs;
  return start;
}

/** A Raft group (mode consensus): its members run their own election timers and the first whose timer runs out campaigns. */
function isRaft(s: LeaderFollowerState): boolean {
  return s.core.topology.replication.mode === "consensus";
}


/**
 * The heartbeats stopped reaching the followers, the last an election timeout before `due`: every member up or
 * restarting (not the leader while it leads) runs its own timer from there. Returns when the first runs out (NaN: no
 * member runs one).
 */
function drawTimers(s: LeaderFollowerState, due: number): number {
  const core = s.core;
  const ttlMs = core.topology.derived.detection.ttlMs;
  let first = NaN;
  for (let r = 0; r < s.nodes.length; r++) {
    if (core.alive[r] !== 1 || s.role[r] !== "replica") continue;
    const at = startTimer(s, r, due - ttlMs);
    if (!(at >= first)) first = at;
  }
  return first;
}

/**
 * A Raft member's election timer ran out (`renewal`: the heartbeats it was drawn after): it campaigns. The first
 * to run out is when the failure is detected. Its PreVote and then its vote go to the members it reaches, and a
 * member grants them only if the candidate's log is at least as up to date as its own: with a majority granting,
 * it is elected once the vote round is answered (campaignRunMs), its own rounds after its own timer; without, its
 * timer starts again and the others' timers run on.
 */
export function campaign(s: LeaderFollowerState, c: number, renewal: number, now: number): void {
  const core = s.core;
  if (renewal !== s.renewals || now !== s.timerFiresAtMs[c] || now > core.endMs) return;
  s.timerFiresAtMs[c] = NaN;
  // Down, or already leading; an election under way (it answers that candidate, whose heartbeats restart its timer).
  if (core.alive[c] !== 1 || s.role[c] !== "replica" || s.campaigner >= 0) return;
  const run = campaignRunMs(s, c, now);
  if (!s.failoverInProgress) detect(s, now, { campaigner: s.nodes[c].name, ...(run === null ? { cannotWin: true as const, votes: grantingVotes(s, c, now), needed: core.topology.derived.majority } : {}) });
  if (run === null) {
    startTimer(s, c, now);
    // Said when no member at all could win now (election notes why, once for the same reasons).
    let any = false;
    for (let r = 0; r < s.nodes.length && !any; r++) any = r !== c && campaignRunMs(s, r, now) !== null;
    if (!any) election(s, now);
    return;
  }
  s.campaigner = c;
  s.electionRunMs = run.ms;
  s.voteSentAfterMs = run.voteSentAfterMs;
  s.electionStartMs = now;
  core.queue.push(now + run.ms, EV.ELECTION);
}

/**
 * How long Raft candidate `c`'s election takes from its timer: its PreVote and then its RequestVote (the preset's
 * electionRounds), each the round trip (median one way each way, plus any added latency) to the nearest of the
 * members that would grant it (up, past their restart, reached, their log no more up to date than its own, the
 * leader still leading refusing) that make up a majority with its own vote. Null when it cannot gather one.
 */
function campaignRunMs(s: LeaderFollowerState, c: number, now: number): { ms: number; voteSentAfterMs: number } | null {
  const trips = grantingTrips(s, c, now);
  const need = s.core.topology.derived.majority - 1;
  if (trips === null || trips.length < need) return null;
  const trip = need === 0 ? 0 : trips[need - 1];
  const rounds = s.core.topology.derived.system.electionRounds;
  return { ms: Math.round(rounds * trip * 10) / 10, voteSentAfterMs: Math.round((rounds - 1) * trip * 10) / 10 };
}

/** The votes Raft member `c` could gather by campaigning now, its own included (0: it cannot campaign). */
function grantingVotes(s: LeaderFollowerState, c: number, now: number): number {
  const trips = grantingTrips(s, c, now);
  return trips === null ? 0 : trips.length + 1;
}

/** The round trips from Raft member `c` to the members that would grant it their vote now, nearest first (null: it cannot campaign). */
function grantingTrips(s: LeaderFollowerState, c: number, now: number): number[] | null {
  const core = s.core;
  const net = core.network;
  const oldEpoch = s.nodeEpoch[s.official];
  const up = (v: number) => core.alive[v] === 1 && now >= s.memberUpAtMs[v] && s.role[v] === "replica";
  if (!up(c) || s.streams[c].epoch !== oldEpoch) return null;
  const log = s.streams[c].position(now, "recv");
  const trips: number[] = [];
  for (let v = 0; v < s.nodes.length; v++) {
    if (v === c || !up(v) || !net.reachable(c, v)) continue;
    if (s.streams[v].epoch === oldEpoch && s.streams[v].position(now, "recv") > log) continue;
    trips.push(2 * (net.medianLatency(c, v) + net.addedBetween(c, v)));
  }
  return trips.sort((a, b) => a - b);
}

/**
 * Whether the old leader still takes itself for the leader when the failover passes the fencing step (a quorum
 * fences: nothing is done to it): cut off from a majority, until its CheckQuorum steps it down (at stepsDownAtMs,
 * an election timeout after a majority last answered it); or up and reaching a majority whose members campaign
 * all the same (late heartbeats), until the new term reaches it. Down, or stepped down already: nothing.
 */
function stillLeads(s: LeaderFollowerState, leader: number): { stillLeads?: "cut-off" | "outvoted"; stepsDownAtMs?: number; quorumCheckEveryMs?: number } {
  const core = s.core;
  if (core.alive[leader] !== 1 || s.role[leader] !== "leader") return {};
  if (core.reachesCoordinator(leader)) return { stillLeads: "outvoted" };
  const at = s.selfDemoteAt[leader];
  return { stillLeads: "cut-off", ...(Number.isNaN(at) ? {} : { stepsDownAtMs: at, ...quorumCheckEvery(s) }) };
}

/** A leader of members that vote, up and reaching a majority, whose heartbeats came too late (heartbeatInTime): their one-way delay. */
function lateHeartbeats(s: LeaderFollowerState): { lateMs?: number } {
  const core = s.core;
  const leader = s.official;
  if (!core.topology.derived.coordinator.nodesVote || core.alive[leader] !== 1 || s.role[leader] !== "leader" || !core.reachesCoordinator(leader)) return {};
  // A replica set: the trip to the secondary that calls the election (a secondary cut off from the primary hears nothing at all).
  const trip = core.topology.derived.system.stickyVotes ? s.heartbeatDelayMs(true) : s.lateTripMs;
  return Number.isFinite(trip) ? { lateMs: Math.round(trip * 10) / 10 } : {};
}

/**
 * How long the election takes: a Raft candidate's PreVote and then its RequestVote (a MongoDB candidate's dry run and
 * then its vote: the preset's electionRounds), each round the round trip (median one way each way, plus any added
 * latency) to the nearest of the live members it reaches that make up its majority with its own vote, for the
 * slowest-placed candidate; the old leader, which has not heard of the new term, gives none. A MongoDB
 * replica set (members that vote outside mode consensus) takes its preset's election time, or those round trips when
 * longer. Elsewhere (and when no candidate can gather a majority) the resolved election time.
 */
function electionRunMs(s: LeaderFollowerState, now: number): { ms: number; voteSentAfterMs: number } {
  const core = s.core;
  const failover = core.topology.failover;
  if (!core.topology.derived.coordinator.nodesVote) return { ms: failover.electionMs, voteSentAfterMs: 0 };
  const consensus = core.topology.replication.mode === "consensus";
  const net = core.network;
  const need = core.topology.derived.majority - 1;
  const up = (v: number) => v !== s.official && core.alive[v] === 1 && now >= s.memberUpAtMs[v];
  let slowest = -1;
  for (let c = 0; c < s.nodes.length; c++) {
    if (!up(c) || !core.reachesCoordinator(c)) continue;
    const trips: number[] = [];
    for (let v = 0; v < s.nodes.length; v++) if (v !== c && up(v) && net.reachable(c, v)) trips.push(2 * (net.medianLatency(c, v) + net.addedBetween(c, v)));
    if (trips.length < need) continue;
    trips.sort((a, b) => a - b);
    slowest = Math.max(slowest, need === 0 ? 0 : trips[need - 1]);
  }
  if (slowest < 0) return { ms: failover.electionMs, voteSentAfterMs: 0 };
  // A round of PreVote (etcd) or a dry run (MongoDB) first, then the vote: each waits for the same majority's answers.
  const rounds = core.topology.derived.system.electionRounds;
  const trip = Math.round(rounds * slowest * 10) / 10;
  const voteSentAfterMs = Math.round((rounds - 1) * slowest * 10) / 10;
  return { ms: consensus ? trip : Math.max(failover.electionMs, trip), voteSentAfterMs };
}

/**
 * The random part of the first election timer to run out: each voter that can still campaign (alive, and
 * reaching a majority of the group) drew its own in [0, randomizedMs); the earliest of k such draws is one
 * draw of the minimum of k uniforms, 1 − (1 − u)^(1/k).
 */
function firstElectionTimerMs(s: LeaderFollowerState, randomizedMs: number, now: number): number {
  const core = s.core;
  let voters = 0;
  for (let r = 0; r < s.nodes.length; r++) if (r !== s.official && core.alive[r] === 1 && core.reachesCoordinator(r)) voters++;
  const u = core.rng.next();
  return randomizedMs * (voters > 1 ? 1 - Math.pow(1 - u, 1 / voters) : u);
}

/**
 * When the failure being detected began: the crash or the partition that stopped the leader renewing. The lease
 * may have been renewed last before it (that renewal is a separate fact, on the detect entry), but detection
 * cannot begin before the fault it detects.
 */
function detectionStart(s: LeaderFollowerState): number {
  return Number.isNaN(s.failoverStartMs) ? failureStart(s, s.lastRenewalMs) : s.failoverStartMs;
}

/** The first fault since the leader's last renewal is what stopped the renewals; `otherwise` when there was none. */
function failureStart(s: LeaderFollowerState, otherwise: number): number {
  return s.core.faultTimesMs.find((t) => t >= s.lastRenewalMs) ?? otherwise;
}

/**
 * The failover's fencing step for the old leader `node`, at `now`: STONITH powers it off (taking fencingMs); a lease
 * fences by the quorum, doing nothing to it (the timeline says whether it still takes itself for the leader, and what
 * it acknowledged that no other member has); with no fencing, nothing at all. What the step finds is as of `now`.
 */
export function fence(s: LeaderFollowerState, node: number, now: number): void {
  const core = s.core;
  const failover = core.topology.failover;
  if (failover.fencing === "stonith") {
    const ms = failover.fencingMs;
    core.note(now, s.nodes[node].name, { event: "fence", via: "stonith", fencingMs: ms });
    core.phase("fence", now, now + ms);
    if (core.alive[node] === 1) crashNode(s, node, now + ms, { kind: "fenced" });
  } else if (failover.fencing === "lease") {
    const unreplicated = unreplicatedAcked(s, node, now);
    core.note(now, s.nodes[node].name, { event: "fence", via: "lease", oldLeaderUp: core.alive[node] === 1, ...stillLeads(s, node), ...(unreplicated > 0 ? { unreplicatedAcked: unreplicated } : {}) });
    core.phase("fence", now, now);
  } else {
    const up = core.alive[node] === 1;
    core.note(now, s.nodes[node].name, { event: "no-fence", oldLeaderUp: up, ...(up && s.role[node] !== "leader" ? { asReplica: true as const } : {}) });
  }
}

type Candidate = { r: number; lsn: number; lagging: boolean };

/**
 * The replicas that may race for the leader key, each marked lagging when it is not known to hold every
 * acknowledged write (not a published sync standby, or further behind than maximum_lag_on_failover), and
 * why the others were left out.
 */
function gatherCandidates(s: LeaderFollowerState, now: number, oldEpoch: number, allowed: Set<number> | null): { candidates: Candidate[]; excluded: Exclusion[]; fallback: Candidate | null } {
  const core = s.core;
  const failover = core.topology.failover;
  // Members that vote (a Raft group, a MongoDB replica set) elect whoever a majority accepts: no lag limit.
  const votes = core.topology.derived.coordinator.nodesVote;
  // The leader whose failure is being handled, back already: whether its system may promote it again.
  const { promotesFailedLeader, sharedStorage } = core.topology.derived.system;
  const storageLsn = sharedStorage ? flushedLsn(s, s.official, now) : 0;
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  let failedLeader = -1;
  for (let r = 0; r < s.nodes.length; r++) {
    if (s.role[r] !== "replica") continue;
    const name = s.nodes[r].name;
    if (core.alive[r] !== 1 || now < s.memberUpAtMs[r]) continue;
    if (s.nodes[r].nofailover || s.nodes[r].failoverPriority <= 0) {
      excluded.push({ node: name, reason: "nofailover" });
      continue;
    }
    if (s.failedCandidates.has(r)) continue;
    if (r === s.official && !promotesFailedLeader) {
      failedLeader = r;
      continue;
    }
    if (!core.reachesCoordinator(r)) {
      excluded.push({ node: name, reason: "no-coordinator" });
      continue;
    }
    // A replica set's secondary that still hears the primary (up, still primary, its heartbeats in time) does not stand.
    if (votes && !core.topology.derived.system.stickyVotes && hearsPrimary(s, r, s.lateTripMs)) continue;
    if (s.streams[r].epoch !== oldEpoch) continue;
    // A reader of a shared volume stands with what the volume holds (readFromSharedStorage), not what it replayed.
    const lsn = sharedStorage ? Math.max(s.streams[r].position(now, "recv"), storageLsn) : s.streams[r].position(now, "recv");
    // In synchronous mode only a sync standby is known to hold every acknowledged write.
    const notSync = allowed !== null && !allowed.has(r);
    // A reader of a shared volume takes over every write flushed to it (readFromSharedStorage): it never lags.
    const lagging = !sharedStorage && (notSync || (!votes && s.leaseLsn - lsn > failover.maximumLagBytes));
    if (notSync) excluded.push({ node: name, reason: "asynchronous", ...(s.dcsDegraded && s.sync?.names.includes(name) ? { degraded: true as const } : {}) });
    else if (lagging) excluded.push({ node: name, reason: "lag", lagBytes: s.leaseLsn - lsn, maximumLagBytes: failover.maximumLagBytes });
    candidates.push({ r, lsn, lagging });
  }
  // The failed leader, back: passed over while anyone else can take over (see election for the fallback).
  let fallback: Candidate | null = null;
  if (failedLeader >= 0) {
    excluded.push({ node: s.nodes[failedLeader].name, reason: "failed-leader" });
    if (core.reachesCoordinator(failedLeader) && s.streams[failedLeader].epoch === oldEpoch) fallback = { r: failedLeader, lsn: s.streams[failedLeader].position(now, "recv"), lagging: false };
  }
  return { candidates, excluded, fallback };
}

export function election(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const failover = core.topology.failover;
  const old = s.official;
  const oldEpoch = s.nodeEpoch[old];
  // The coordinator knows the sync standbys the leader last published (Patroni's /sync key), not its view of the moment.
  const votes = core.topology.derived.coordinator.nodesVote;
  // Only the last leader and the published sync standbys may race in synchronous mode; the safety of members that
  // vote (a Raft group, a MongoDB replica set) is their vote (electionQuorum), with no list and no lag limit. A leader that fell back to asynchronous commits
  // published no standby (Patroni's /sync key names the leader alone): no standby may race, and a failover
  // waits for the old leader to come back, unless lagging candidates may be promoted (an operator's manual
  // failover, Orchestrator), which loses the writes only the old leader had.
  const sharedStorage = core.topology.derived.system.sharedStorage;
  const allowed = s.sync !== null && !votes && !sharedStorage ? new Set(s.dcsDegraded ? [old] : [...s.dcsSync, old]) : null;
  const { candidates, excluded, fallback } = gatherCandidates(s, now, oldEpoch, allowed);
  // highest-lsn: the most advanced replica wins and failover_priority breaks a tie (Patroni's race). priority: the
  // preferred replica wins among the eligible ones, the position breaking a tie (MHA's candidate_master, an
  // Orchestrator "prefer" rule), at the price of what it lacks of a more advanced one's WAL.
  const priorityOf = (c: Candidate) => s.nodes[c.r].failoverPriority;
  const byLsn =
    failover.election === "priority"
      ? (x: Candidate, y: Candidate) => priorityOf(y) - priorityOf(x) || y.lsn - x.lsn || x.r - y.r
      : (x: Candidate, y: Candidate) => y.lsn - x.lsn || priorityOf(y) - priorityOf(x) || x.r - y.r;
  const quorum = sharedStorage ? null : electionQuorum(s, now, oldEpoch, allowed);
  if (quorum !== null && quorum.seen < quorum.needed) {
    for (const c of candidates) c.lagging = true;
    excluded.push(quorum.why);
  }
  // A Raft group elects the member whose campaign a majority answered (campaign), none other: not the most up to date.
  const raft = isRaft(s);
  const campaigner = s.campaigner;
  s.campaigner = -1;
  const eligible = candidates.filter((c) => !c.lagging && (quorum === null || quorum.accepts(c.lsn, c.r)) && (!raft || c.r === campaigner)).sort(byLsn);
  // A candidate behind what the quorum shows was acknowledged may miss acknowledged writes: it is lagging, for
  // lagging_candidates to decide (a vote never elects it, so members that vote leave it out).
  if (quorum !== null && !votes) {
    for (const c of candidates) {
      if (quorum.accepts(c.lsn, c.r) || c.lagging) continue;
      c.lagging = true;
      // Said only when it decides the outcome (no candidate is known to hold everything); a winner's reason says the rest.
      if (eligible.length === 0) excluded.push({ node: s.nodes[c.r].name, reason: "behind-quorum" });
    }
  }
  raceAmongEqual(s, eligible);
  let winner = eligible[0];
  let field = eligible;
  if (!winner && s.failedCandidates.size > 0) {
    // A failed promotion only moves a candidate to the back of the queue: with nobody else eligible, the next
    // HA loop tries it again (a strict-sync cluster may have no one else it is allowed to promote).
    s.failedCandidates.clear();
    core.queue.push(now + core.topology.derived.detection.renewalPeriodMs, EV.ELECTION);
    return;
  }
  if (!winner && fallback !== null) {
    // Nobody else may take over, and the failed leader is back: the service restarts it in place (RDS and Aurora
    // keep their only instance; Orchestrator finds its source alive again), with everything it had.
    winner = fallback;
    field = [fallback];
    excluded.splice(excluded.findIndex((x) => x.reason === "failed-leader"), 1);
  }
  if (!winner) {
    const lagging = candidates.filter((c) => c.lagging).sort(byLsn);
    raceAmongEqual(s, lagging);
    if (lagging.length > 0 && failover.laggingCandidates === "promote") {
      winner = lagging[0];
      field = lagging;
      core.note(now, s.nodes[winner.r].name, { event: "promote-lagging", excluded });
    } else {
      const fact: LeaderFollowerEvent = { event: "no-candidate", excluded, policy: failover.laggingCandidates === "wait" && lagging.length > 0 ? "wait" : "until-candidate" };
      // The same reasons are not repeated at every retry.
      const why = JSON.stringify(fact);
      if (why !== s.lastNoCandidate) core.note(now, "cluster", fact);
      s.lastNoCandidate = why;
      replaceFailedLeaderLater(s, old, now);
      // A Raft group tries again when a member's own timer runs out next (campaign): every live member runs one.
      if (raft) {
        for (let r = 0; r < s.nodes.length; r++) if (core.alive[r] === 1 && s.role[r] === "replica" && !(s.timerFiresAtMs[r] > now)) startTimer(s, r, now);
      } else core.queue.push(now + retryElectionMs(s), EV.ELECTION);
      return;
    }
  }
  const others = candidates.filter((c) => c.r !== winner.r).map((c) => ({ node: s.nodes[c.r].name, lsn: c.lsn }));
  const why = raft ? firstTimer(s, winner, candidates) : electReason(s, winner, field, candidates, excluded, failover.election);
  core.note(now, s.nodes[winner.r].name, { event: "elect", lsn: winner.lsn, others, why }, winner.lsn);
  core.phase("elect", now - s.electionRunMs, now);
  // The winner is promoted at once, and a promotion stops its WAL receiver first: WAL still on its way from the
  // old leader (a slow link, a stalled sender's burst) never arrives, and the promotion replays only what had.
  s.streams[winner.r].cut(now, false);
  if (sharedStorage) readFromSharedStorage(s, winner.r, old, now);
  s.leaderKeyMs = now;
  s.promotingNode = winner.r;
  s.promotionDoneMs = NaN;
  s.schedulePromotion(now);
}

/**
 * Candidates sorted best first (position, then priority, then node order). Members that vote (a Raft group, a
 * MongoDB replica set) race on their randomized election timers: the one at the front is drawn uniformly among those
 * level with the best, as the first timer to run out would be (without it the file's node order always won a tie).
 * A failover manager picks in its own order, which the node order stands for (Orchestrator sorts its candidates;
 * Patroni's replicas race for the leader key at their own HA loops, a race the node order decides here).
 */
function raceAmongEqual(s: LeaderFollowerState, sorted: Candidate[]): void {
  if (sorted.length < 2 || !s.core.topology.derived.coordinator.nodesVote || isRaft(s)) return;
  const best = sorted[0];
  let level = 1;
  while (level < sorted.length && sorted[level].lsn === best.lsn && s.nodes[sorted[level].r].failoverPriority === s.nodes[best.r].failoverPriority) level++;
  if (level < 2) return;
  const pick = s.core.rng.int(level);
  [sorted[0], sorted[pick]] = [sorted[pick], sorted[0]];
}

/**
 * When a failed election is tried again: Patroni's next HA loop; in a Raft group, the next time a member's
 * randomized election timer runs out ([T, 2T), etcd's), when it campaigns again.
 */
/**
 * A service that replaces failed instances (Aurora, which recreates its writer on the cluster volume when no reader
 * is left) starts a new one for the failed leader once nobody else can take over, unless its zone is gone: the
 * instance comes back as the failed leader (faults.ts replaceFailedLeader), which the failover then restarts in place.
 */
function replaceFailedLeaderLater(s: LeaderFollowerState, old: number, now: number): void {
  const core = s.core;
  const replaceMs = core.topology.derived.system.replacesFailedLeaderMs;
  if (replaceMs === null || core.alive[old] === 1 || core.network.isLost(old) || s.replacingSince === s.failoverStartMs) return;
  // One new instance per failure: the event names the failover it was started for, and is void after another.
  s.replacingSince = s.failoverStartMs;
  core.note(now, s.nodes[old].name, { event: "instance-replacing", readyInMs: replaceMs });
  core.queue.push(now + replaceMs, EV.REPLACE_INSTANCE, old, s.failoverStartMs);
}

function retryElectionMs(s: LeaderFollowerState): number {
  return s.core.topology.derived.detection.renewalPeriodMs;
}

/**
 * Why a Raft member won: its own election timer ran out first among the members a majority would vote for; the
 * members whose logs are more up to date than its own (their extra entries were never committed, and are truncated
 * when they follow it) and those level with it.
 */
function firstTimer(s: LeaderFollowerState, winner: Candidate, all: readonly Candidate[]): ElectReason {
  const rivals = all.filter((c) => c.r !== winner.r);
  const name = (c: Candidate) => s.nodes[c.r].name;
  return { kind: "first-timer", ahead: rivals.filter((c) => c.lsn > winner.lsn).map((c) => ({ node: name(c), lsn: c.lsn })), level: rivals.filter((c) => c.lsn === winner.lsn).map(name) };
}

/**
 * Why the winner beat the runner-up of the candidates it was chosen from (sorted as the election sorts them:
 * WAL position, then failover priority, then the race for the leader key, which node order stands in for; under
 * `election: priority`, failover priority first).
 */
export function electReason(
  s: LeaderFollowerState,
  winner: Candidate,
  field: readonly Candidate[],
  all: readonly Candidate[],
  excluded: Exclusion[],
  election: "highest-lsn" | "priority" = "highest-lsn",
): ElectReason {
  const named = (x: Exclusion) => "node" in x && x.node !== s.nodes[winner.r].name;
  const others = excluded.filter(named);
  // A replica no rule excluded that still was not in the field is behind the quorum's highest position: the winner won on position.
  const behind = all.filter((c) => c.r !== winner.r && c.lsn < winner.lsn && !others.some((x) => "node" in x && x.node === s.nodes[c.r].name)).sort((x, y) => y.lsn - x.lsn);
  const rivals = field.filter((c) => c.r !== winner.r);
  const runnerUp = rivals[0] ?? (others.length === 0 ? behind[0] : undefined);
  if (runnerUp === undefined) return { kind: "only-candidate", excluded: others };
  const priority = s.nodes[winner.r].failoverPriority;
  if (election === "priority" && priority > s.nodes[runnerUp.r].failoverPriority) {
    return { kind: "preferred", runnerUp: s.nodes[runnerUp.r].name, runnerUpLsn: runnerUp.lsn, priority, runnerUpPriority: s.nodes[runnerUp.r].failoverPriority };
  }
  if (winner.lsn > runnerUp.lsn) return { kind: "highest-position", runnerUp: s.nodes[runnerUp.r].name, runnerUpLsn: runnerUp.lsn };
  const tied = rivals.filter((c) => c.lsn === winner.lsn);
  const tiedWith = tied.map((c) => s.nodes[c.r].name);
  const runnerUpPriority = Math.max(...tied.map((c) => s.nodes[c.r].failoverPriority));
  if (priority > runnerUpPriority) return { kind: "priority", tiedWith, priority, runnerUpPriority };
  return { kind: "race", tiedWith };
}

/**
 * Who must be seen before a promotion is known to lose nothing acknowledged.
 * ANY k of M standbys (Patroni's quorum commit): an acknowledged write is on k
 * of the M, so a candidate that sees M − k + 1 of them (itself included) and
 * holds the highest LSN among them holds every acknowledged write. A
 * group whose members vote (Raft, a MongoDB replica set) needs the votes of a
 * majority of its members, and a member votes only for a candidate whose log
 * is at least as up to date as its own (a later timeline, or the same one and
 * no shorter). FIRST n names
 * its standbys, so the published sync standby needs no quorum (null).
 */
export function electionQuorum(s: LeaderFollowerState, now: number, oldEpoch: number, allowed: Set<number> | null): { seen: number; needed: number; accepts: (lsn: number, r: number) => boolean; why: Exclusion } | null {
  const core = s.core;
  const votes = core.topology.derived.coordinator.nodesVote;
  // Members that vote elect by a majority of their votes whatever the write concern: a P-S-A set acknowledging with
  // w: 1 (no synchronous set) still needs 2 of its 3 votes to elect a primary.
  if (!votes && (s.sync === null || s.sync.method !== "any" || allowed === null)) return null;
  // A Raft member still restarting neither votes nor campaigns.
  const reachable = (v: number) => core.alive[v] === 1 && now >= s.memberUpAtMs[v] && s.role[v] === "replica" && core.reachesCoordinator(v);
  if (votes) {
    const needed = core.topology.derived.majority;
    const votes = s.nodes.map((_, v) => v).filter(reachable);
    const behind = votes.map((v) => (s.streams[v].epoch < oldEpoch ? -Infinity : s.streams[v].position(now, "recv")));
    // An arbiter holds no log: it votes for any candidate, while its zone stands and it reaches a majority, unless it
    // sees a healthy primary of equal or greater priority (the old primary, still up and primary: its heartbeats
    // came too late to the secondaries, or it has not stepped down yet).
    const arbiters = core.arbiterPlaces.filter((place) => !core.network.isLost(place) && core.placeReachesCoordinator(place)).length;
    const voters = behind.length + arbiters;
    // Short of a majority, what the report owes is the most votes any live member could gather by campaigning:
    // its own and those of the members and arbiters it still reaches (the count above holds only members that
    // reach a majority, which is none once the majority is gone).
    const seen = voters >= needed ? voters : mostVotesGatherable(s, now);
    const why: Exclusion = { reason: "raft", members: s.nodes.length + core.arbiterPlaces.length, needed, seen };
    const arbiterVotesFor = (r: number) => (arbiters === 0 ? 0 : arbiterVotes(s, s.nodes[r].failoverPriority, true));
    return { seen: voters, needed, accepts: (lsn, r) => behind.filter((l) => l <= lsn).length + arbiterVotesFor(r) >= needed, why };
  }
  // The old leader back as a replica holds every write it acknowledged: seeing it settles the question (where it may
  // stand itself; where it may not, the standbys must show what was acknowledged).
  const old = s.official;
  if (core.topology.derived.system.promotesFailedLeader && reachable(old) && s.streams[old].epoch === oldEpoch) {
    const lsn = s.streams[old].position(now, "recv");
    return { seen: 1, needed: 1, accepts: (l) => l >= lsn, why: { reason: "quorum", count: s.dcsCount, voters: 1, needed: 1, seen: 1 } };
  }
  const voters = [...(allowed ?? [])].filter((v) => v !== old);
  // The count published with the voters: a lowered one (fewer standbys streamed) asks a candidate to see more of them.
  const needed = voters.length - s.dcsCount + 1;
  let seen = 0;
  let highestLsn = 0;
  for (const v of voters) {
    if (!reachable(v) || s.streams[v].epoch !== oldEpoch) continue;
    seen++;
    highestLsn = Math.max(highestLsn, s.streams[v].position(now, "recv"));
  }
  const why: Exclusion = { reason: "quorum", count: s.dcsCount, voters: voters.length, needed, seen };
  return { seen, needed, accepts: (lsn) => lsn >= highestLsn, why };
}

/**
 * The most votes a member of a voting group could gather if it campaigned now: its own vote, the votes of the
 * live members past their restart that it reaches, and those of the arbiters it reaches (an arbiter's zone
 * standing). Zero when no member is up to campaign.
 */
function mostVotesGatherable(s: LeaderFollowerState, now: number): number {
  const core = s.core;
  const net = core.network;
  const up = (v: number) => core.alive[v] === 1 && now >= s.memberUpAtMs[v];
  let most = 0;
  for (let c = 0; c < s.nodes.length; c++) {
    if (!up(c)) continue;
    let votes = 1;
    for (let v = 0; v < s.nodes.length; v++) if (v !== c && up(v) && net.reachable(c, v)) votes++;
    for (const place of core.arbiterPlaces) if (!net.isLost(place) && net.reachable(c, place)) votes++;
    most = Math.max(most, votes);
  }
  return most;
}

/**
 * The writes a leader acknowledged that no other member has received on its timeline (up or down: what a member
 * had when it went down it has when it comes back): a new leader cannot have them. 0 when it cannot be told: no
 * other member is on that timeline, or the writes past the furthest were settled already (no longer kept).
 */
function unreplicatedAcked(s: LeaderFollowerState, leader: number, now: number): number {
  const epoch = s.nodeEpoch[leader];
  let furthest = -Infinity;
  for (let r = 0; r < s.nodes.length; r++) {
    if (r !== leader && s.streams[r].epoch === epoch) furthest = Math.max(furthest, s.streams[r].position(now, "recv"));
  }
  if (furthest === -Infinity || s.epochWrites[epoch].droppedLsn > furthest) return 0;
  return s.countAckedBeyond(epoch, furthest);
}

export function selfDemote(s: LeaderFollowerState, node: number, now: number): void {
  const core = s.core;
  if (s.role[node] !== "leader" || core.alive[node] !== 1 || Number.isNaN(s.selfDemoteAt[node])) return;
  if (core.reachesCoordinator(node) && node === s.official && !s.failoverInProgress) {
    s.selfDemoteAt[node] = NaN;
    return;
  }
  s.selfDemoteAt[node] = NaN;
  const unreplicated = unreplicatedAcked(s, node, now);
  core.note(now, s.nodes[node].name, { event: "demote", reason: "lease-lost", ...(unreplicated > 0 ? { unreplicatedAcked: unreplicated } : {}) });
  s.becomeReplica(node, now);
  core.failPending(node, now);
  recomputePending(s, now);
  // A Raft leader that steps down becomes a follower with its own election timer, from now.
  if (isRaft(s) && node === s.official) startTimer(s, node, now);
}

/**
 * The promotion waited for candidate r to replay the WAL it had received (a replica applying slower than the
 * leader wrote): from the leader key until the promotion proper could start. A wait under a millisecond is
 * arithmetic, not a phase.
 */
function replayWait(s: LeaderFollowerState, r: number, promoteStartMs: number): void {
  const waitMs = promoteStartMs - s.leaderKeyMs;
  if (!(waitMs >= 1)) return;
  s.core.note(s.leaderKeyMs, s.nodes[r].name, { event: "replay-wait", waitMs, applyRate: s.applyRate[r] });
  s.core.phase("replay", s.leaderKeyMs, promoteStartMs);
}

export function promoted(s: LeaderFollowerState, r: number, now: number): void {
  // A promotion rescheduled by a change of apply rate leaves its earlier event behind.
  if (r !== s.promotingNode || now !== s.promotionDoneMs) return;
  s.promotingNode = -1;
  s.promotionDoneMs = NaN;
  if (!Number.isNaN(s.startedWithKeyMs[r])) return repromoted(s, r, now);
  const core = s.core;
  const failover = core.topology.failover;
  replayWait(s, r, now - failover.promotionMs);
  core.phase("promote", now - failover.promotionMs, now);
  if (core.alive[r] !== 1) {
    core.note(now, s.nodes[r].name, { event: "promote-failed", reason: "died" });
    core.queue.push(now + failover.electionMs, EV.ELECTION);
    return;
  }
  if (s.promoteFails[r]) {
    s.promoteFails[r] = 0;
    s.failedCandidates.add(r);
    core.note(now, s.nodes[r].name, { event: "promote-failed", reason: "cannot-replay" });
    core.queue.push(now + failover.electionMs, EV.ELECTION);
    return;
  }
  const stream = s.streams[r];
  const fork = stream.position(now, "recv");
  const oldEpoch = stream.epoch;
  const epoch = core.epochs.create(oldEpoch, fork, r, now);
  s.epochWrites.push(new EpochWrites());
  const beyond = s.countAckedBeyond(oldEpoch, fork);
  const beyondLocal = s.countAckedLocalBeyond(oldEpoch, fork);
  s.role[r] = "leader";
  s.following[r] = -1;
  startWal(s, r, fork, now, false);
  s.nodeEpoch[r] = epoch;
  s.connected[r] = 0;
  s.trackWriter(r, now);
  deposeSemiSync(s, s.official);
  keepOwnRule(s, s.official, r);
  stepDownOutvoted(s, s.official, r, now);
  s.official = r;
  s.failoverInProgress = false;
  s.failedCandidates.clear();
  s.failoverStartMs = NaN;
  s.lastNoCandidate = "";
  startSynchronous(s);
  s.endBlocked(now);
  core.failovers++;
  core.checkPromotion(r, oldEpoch, fork);
  core.note(now, s.nodes[r].name, { event: "promote", timeline: timelineId(epoch), forkLsn: fork, lostAcked: beyond, ...(beyondLocal > 0 ? { lostAckedLocal: beyondLocal } : {}) }, fork);
  // Whether two leaders now acknowledge writes is measured from the run (see measure.ts), not announced here.
  const period = core.topology.derived.detection.renewalPeriodMs;
  repointSurvivors(s, r, now);
  // A strict-sync leader is promoted with an empty /sync key: until its next HA loop names a synchronous standby
  // among those streaming, commits wait (current Patroni's placeholder) or any streaming standby releases them
  // (Patroni 3.0's synchronous_standby_names = '*'). Where nobody names standbys (MongoDB's w: "majority"), its
  // commits wait only for the members to replicate from it (see awaitsNamedStandby).
  s.awaitingSyncChoice = s.sync !== null && awaitsNamedStandby(s.sync);
  s.leadsAgain = false;
  // A new leader's commits start here: a block from now on is dated now.
  s.satisfiedMs = NaN;
  // Announced: a strict leader refuses to acknowledge from this moment, so its blocked interval starts here.
  updateSyncSet(s, now, true);
  beginSyncWait(s, now);
  s.renew(now);
  core.queue.push(now + period, EV.HA_TICK, r, ++s.haLoop[r]);
  queueEndpointChange(core, r, now);
  noteRedundancy(s, now + 1);
}

/**
 * A leader of members that vote (Raft, a MongoDB replica set) that is up and reaches a majority, outvoted all the
 * same (its heartbeats came too late): the members that elected the new leader refuse its entries from now on, so
 * it can commit nothing that needs them, and it steps down when the new term reaches it: the winner's vote request,
 * sent once its PreVote (dry-run) round was answered, a one-way trip (median plus any added latency) later. Until then it still takes
 * writes, which wait for acknowledgements that never come (a w: 1 write it acknowledges alone is lost when it
 * rejoins). Its HA loop (deposedTick) steps it down at that moment.
 */
function stepDownOutvoted(s: LeaderFollowerState, old: number, winner: number, now: number): void {
  const core = s.core;
  if (!core.topology.derived.coordinator.nodesVote || old === winner || core.alive[old] !== 1 || s.role[old] !== "leader" || !core.reachesCoordinator(old)) return;
  const net = core.network;
  const start = Number.isNaN(s.electionStartMs) ? now : s.electionStartMs;
  // The new term travels with the vote request, sent once the rounds before it (PreVote, a dry run) are answered:
  // a pre-vote leaves every term as it was.
  const reaches = start + s.voteSentAfterMs + net.medianLatency(winner, old) + net.addedBetween(winner, old);
  if (reaches > now) {
    s.newTermReachesMs[old] = reaches;
    core.queue.push(reaches, EV.HA_TICK, old, s.haLoop[old]);
    return;
  }
  core.note(now, s.nodes[old].name, { event: "demote", reason: "sees-leader", leader: s.nodes[winner].name });
  s.becomeReplica(old, now);
  core.failPending(old, now);
}

/**
 * The leader being replaced, if it still runs as a leader (nothing fenced it), keeps the commit rule it has: its
 * synchronous standbys are its own setting, and the new leader's rule (one that asks for no standby while it has
 * none, say) says nothing about them. A leader that had gone asynchronous goes on committing alone.
 */
function keepOwnRule(s: LeaderFollowerState, old: number, winner: number): void {
  if (old === winner || s.core.alive[old] !== 1 || s.role[old] !== "leader") return;
  if (s.degraded) s.deposedAsync[old] = 1;
  // Copies: the new leader's updateSyncSet replaces the arrays, but a rule kept whole must not change under it.
  s.deposedRule[old] = { ruleFirst: s.ruleFirst, syncSet: [...s.syncSet], ruleMembers: [...s.ruleMembers], ruleCount: s.ruleCount };
}

/**
 * The leader being replaced keeps its semi-sync state if it still runs as a leader (nothing fenced it): already
 * asynchronous, it goes on committing alone; a commit of its that waits for an acknowledgement keeps its deadline
 * (the check already queued for that moment now reads the deposed source's timer).
 */
function deposeSemiSync(s: LeaderFollowerState, old: number): void {
  if (s.semiSyncTimeoutMs === Infinity || s.core.alive[old] !== 1 || s.role[old] !== "leader") return;
  if (s.degraded) s.deposedAsync[old] = 1;
  else if (s.semiSyncWait !== null) {
    s.deposedDegradeAtMs[old] = s.degradeAtMs;
    s.deposedWait[old] = s.semiSyncWait;
  }
}
