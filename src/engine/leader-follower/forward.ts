// A consensus member that does not lead forwards its clients' requests to the
// leader it knows, as etcd does: a follower passes a proposal on to the leader
// (Raft's MsgProp), and serves a linearizable read by asking the leader for a
// ReadIndex and answering once its own replay has reached it. A PostgreSQL
// replica forwards nothing: it refuses writes ("read-only transaction").
import { LeaderFollowerState } from "./state.js";
import { readIndexMs } from "./reads.js";

/**
 * The leader consensus member `node` forwards a client's request to, or −1 when it cannot. The one rule of who
 * knows the leader: a follower knows the leader of the current term once that leader's log reaches it (it is
 * following it and its stream is on the leader's timeline and connected), and it can forward while it still
 * reaches it. During an election nobody knows a leader (etcd drops the proposal, the client retries); a member
 * cut off from the leader, restarting, or not yet re-pointed at a new leader cannot forward either.
 */
export function forwardTarget(s: LeaderFollowerState, node: number): number {
  const core = s.core;
  if (core.topology.replication.mode !== "consensus") return -1;
  const leader = s.official;
  if (node === leader || s.failoverInProgress || s.role[leader] !== "leader" || core.alive[leader] !== 1) return -1;
  return s.following[node] === leader && s.streaming(node, leader) ? leader : -1;
}

/** A consensus group's linearizable read arriving on `node`: the leader serves it itself, a follower through the leader. */
export function consensusReadMs(s: LeaderFollowerState, node: number, now: number, arriveMs: number): number {
  const leader = forwardTarget(s, node);
  return leader < 0 ? readIndexMs(s, node, now) : forwardedReadMs(s, node, leader, now, arriveMs);
}

/**
 * A linearizable read on follower `node` that forwards to `leader` (etcd's ReadIndex on a follower): the follower
 * asks the leader for its commit index (one trip there), the leader confirms it still leads with its round of
 * heartbeats to a majority, the answer comes back, and the follower answers once it has replayed up to that
 * index. Returns how long the follower holds the read after it arrived at `arriveMs`; NaN when the leader cannot
 * confirm, Infinity when the follower will never replay that far. The leader's log end at the read stands in
 * for its commit index: later by at most the entries still in their commit round, which a streaming follower
 * receives before the answer comes back.
 */
function forwardedReadMs(s: LeaderFollowerState, node: number, leader: number, now: number, arriveMs: number): number {
  const net = s.core.network;
  const round = readIndexMs(s, leader, now);
  if (Number.isNaN(round)) return NaN;
  const answered = arriveMs + net.latency(node, leader) + round + net.latency(leader, node);
  return Math.max(answered, s.streams[node].applyTimeFor(s.lsn[leader])) - arriveMs;
}
