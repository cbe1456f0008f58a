// Who calls an election in a MongoDB replica set, and who votes for it. A
// secondary stands once it has heard nothing from the primary for
// electionTimeoutMillis (its timer restarts at each heartbeat of the primary);
// one that still hears the primary does not stand. A data-bearing member
// grants its vote unless the candidate's config or term is older, its set
// name differs, its oplog is staler than the voter's own, or the voter already
// voted in the term: hearing a healthy primary is no reason to refuse. Only an
// arbiter refuses while it sees a healthy primary of equal or greater priority
// (topology_coordinator.cpp: processReplSetRequestVotes; the dry run asks the
// same). etcd's members refuse while they hear the leader (CheckQuorum): that
// rule stays in state.ts (heartbeatDelayMs), for the groups whose votes are
// sticky (the preset's consensus.stickyVotes).
import type { Core } from "../core.js";
import type { ResolvedNode } from "../../model/types.js";
import type { ReplicaStream } from "../replica-stream.js";

/** What these rules read of the leader/follower state (state.ts's LeaderFollowerState, which imports them). */
interface ReplicaSetView {
  readonly core: Core;
  readonly nodes: readonly ResolvedNode[];
  readonly role: readonly string[];
  readonly streams: readonly ReplicaStream[];
  readonly nodeEpoch: Int32Array;
  readonly memberUpAtMs: Float64Array;
  readonly official: number;
}

/** The one-way trip of the leader's heartbeat to member r: the link's median plus any added latency; Infinity when cut off. */
export function heartbeatTripMs(s: ReplicaSetView, leader: number, r: number): number {
  const net = s.core.network;
  return net.reachable(leader, r) ? net.medianLatency(leader, r) + net.addedBetween(leader, r) : Infinity;
}

/**
 * Whether the arbiter at `place` sees `leader` as a healthy primary: up, still primary, and answering the arbiter's
 * heartbeats within their timeout (electionTimeoutMillis by default): a round trip no longer than it.
 */
function arbiterSeesPrimary(s: ReplicaSetView, place: number, leader: number): boolean {
  const core = s.core;
  const net = core.network;
  if (core.alive[leader] !== 1 || s.role[leader] !== "leader" || !net.reachable(place, leader)) return false;
  return 2 * (net.medianLatency(place, leader) + net.addedBetween(place, leader)) <= core.topology.derived.detection.ttlMs;
}

/**
 * The arbiters' votes, for a candidate of priority `priority`: each arbiter whose zone stands and that reaches a
 * majority votes for any candidate (it holds no oplog to compare), unless it sees a healthy primary (the leader
 * `s.official`, when `primaryUp`) of equal or greater priority.
 */
export function arbiterVotes(s: ReplicaSetView, priority: number, primaryUp: boolean): number {
  const core = s.core;
  const leader = s.official;
  const loyal = primaryUp && s.nodes[leader].failoverPriority >= priority;
  let votes = 0;
  for (const place of core.arbiterPlaces) {
    if (core.network.isLost(place) || !core.placeReachesCoordinator(place)) continue;
    if (loyal && arbiterSeesPrimary(s, place, leader)) continue;
    votes++;
  }
  return votes;
}

/**
 * Whether secondary c would win a majority's votes if it stood now: its own, those of the live data-bearing members
 * past their restart that reach a majority and whose oplog is no more recent than its own (the members an election
 * counts, electionQuorum), and the arbiters' (arbiterVotes). The primary's vote is left out: its oplog is the newest.
 */
function couldWin(s: ReplicaSetView, c: number, now: number, primaryUp: boolean): boolean {
  const core = s.core;
  const epoch = s.nodeEpoch[s.official];
  const at = (v: number) => (s.streams[v].epoch < epoch ? -Infinity : s.streams[v].position(now, "recv"));
  const own = at(c);
  let votes = 1;
  for (let v = 0; v < s.nodes.length; v++) {
    if (v === c || s.role[v] !== "replica" || core.alive[v] !== 1 || now < s.memberUpAtMs[v] || !core.reachesCoordinator(v)) continue;
    if (at(v) <= own) votes++;
  }
  return votes + arbiterVotes(s, s.nodes[c].failoverPriority, primaryUp) >= core.topology.derived.majority;
}

/** Whether member r may stand for election at all: a live secondary past its restart, of priority above 0, reaching a majority, on the primary's timeline. */
function mayStand(s: ReplicaSetView, r: number, now: number): boolean {
  const core = s.core;
  const n = s.nodes[r];
  return (
    r !== s.official && s.role[r] === "replica" && core.alive[r] === 1 && now >= s.memberUpAtMs[r] && !n.nofailover && n.failoverPriority > 0 &&
    core.reachesCoordinator(r) && s.streams[r].epoch === s.nodeEpoch[s.official]
  );
}

/**
 * The heartbeat trip that decides when a replica set elects: the shortest among the secondaries that could win
 * if they stood (the first of their timers to run out calls the election; the others vote for it). With
 * `primaryUp`, the primary is still up and primary (its heartbeats late), and an arbiter that sees it refuses; without,
 * what follows once it stops (a crash, a cut). Null when no secondary could win.
 */
export function firstCandidateTripMs(s: ReplicaSetView, now: number, primaryUp: boolean): number | null {
  let best: number | null = null;
  for (let c = 0; c < s.nodes.length; c++) {
    if (!mayStand(s, c, now) || !couldWin(s, c, now, primaryUp)) continue;
    const trip = heartbeatTripMs(s, s.official, c);
    if (best === null || trip < best) best = trip;
  }
  return best;
}

/**
 * Whether secondary c still hears the primary, and so does not stand: the old leader is up, still primary, reaches
 * it, and its heartbeats reach it in time (shorter than `lateTripMs`, the trip found too late when the election
 * was called; NaN: none was).
 */
export function hearsPrimary(s: ReplicaSetView, c: number, lateTripMs: number): boolean {
  const core = s.core;
  const leader = s.official;
  if (c === leader || core.alive[leader] !== 1 || s.role[leader] !== "leader") return false;
  const trip = heartbeatTripMs(s, leader, c);
  return trip !== Infinity && !(trip >= lateTripMs);
}
