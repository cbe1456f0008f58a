// How far behind a replica is in time: what the lag samples and alerts report, and what a staleness budget in
// time (reads: { max_staleness }) bounds.
import type { LeaderFollowerState } from "./state.js";

/**
 * How far behind in time a replica's replay is: now minus when the leader
 * wrote the oldest WAL the replica has not replayed (PostgreSQL's
 * now() − pg_last_xact_replay_timestamp() while it is behind). That WAL may be
 * on its way (in the stream) or not sent at all (a replica cut off by a
 * partition receives nothing, yet falls further behind every second).
 */
export function timeBehind(s: LeaderFollowerState, leader: number, oldestInStream: number, applied: number, now: number): number {
  if (applied >= s.lsn[leader]) return 0;
  const log = s.core.log;
  // The leader's writes of its timeline are in LSN order: the first one past the replay position.
  const first = s.epochWrites[s.nodeEpoch[leader]].firstAfter(applied);
  const firstUnreplayed = first >= 0 ? log.appendMs[first & log.mask] : NaN;
  const oldest = Number.isNaN(oldestInStream) ? firstUnreplayed : Number.isNaN(firstUnreplayed) ? oldestInStream : Math.min(oldestInStream, firstUnreplayed);
  return Number.isNaN(oldest) ? 0 : Math.max(0, now - oldest);
}

/**
 * How far behind in time `node`'s replay is at `atMs` (timeBehind; Infinity: not on the leader's timeline): what
 * a budget in time bounds, as MySQL's Seconds_Behind_Source (ProxySQL's max_replication_lag) and a MongoDB
 * driver's staleness estimate (maxStalenessSeconds) measure a replica.
 */
export function lagMsOf(s: LeaderFollowerState, node: number, atMs: number): number {
  const leader = s.official;
  if (node === leader) return 0;
  const stream = s.streams[node];
  if (s.role[leader] !== "leader" || stream.epoch !== s.nodeEpoch[leader]) return Infinity;
  return timeBehind(s, leader, stream.oldestUnappliedMs(atMs), stream.position(atMs, "apply"), atMs);
}
