// A Raft member's own randomized election timer (etcd: an election timeout drawn between T and 2T): when it runs
// out, the member campaigns (EV.CAMPAIGN, handled by the election). Its own module so that the faults that restart
// a member and the election that re-arms one share it without importing each other.
import { EV } from "../core.js";
import type { LeaderFollowerState } from "./state.js";

/**
 * A Raft member's own election timer starts: it runs out the election timeout after `fromMs` (its last heartbeat,
 * its own campaign, its step-down), and never sooner than an election timeout after the member is up again (a
 * restarted member's timer starts when it is), plus its own draw in [0, randomizedMs) (etcd: [T, 2T)).
 */
export function startTimer(s: LeaderFollowerState, r: number, fromMs: number): number {
  const core = s.core;
  const ttlMs = core.topology.derived.detection.ttlMs;
  const detection = core.topology.failover.detection;
  const randomizedMs = detection.kind === "heartbeat" ? (detection.randomizedMs ?? 0) : 0;
  const at = Math.max(fromMs, s.memberUpAtMs[r]) + ttlMs + randomizedMs * core.rng.next();
  s.timerFiresAtMs[r] = at;
  core.queue.push(at, EV.CAMPAIGN, r, s.renewals);
  return at;
}
