// Which writes of a timeline can no longer matter record by record. A write
// on the history of every node that may still be followed, promoted, rewound
// or caught up is settled: a promotion forks at what its candidate received, a
// rejoining replica catches up from what it holds, a lagging one is measured
// from what it replayed, all at or above the lowest of those positions, so
// every future timeline keeps the write. A write that none of those nodes holds
// (the unreplicated tail of a leader that died for good) is orphaned: nobody
// will replay it, and whether it survived depends only on the final timeline.
// A dead node that no later fault can bring back holds nothing anyone will ask
// for — unless it is the official leader: if nothing changes any more, its
// timeline is the final one, which decides what survived.
import type { LeaderFollowerState } from "./state.js";
import { flushedLsn } from "./commit.js";

/** Whether node n may still be followed, promoted, rewound or caught up after `now`, or its timeline end the run. */
function matters(s: LeaderFollowerState, n: number, now: number): boolean {
  return n === s.official || s.core.alive[n] === 1 || s.role[n] === "rebuilding" || now < s.core.reviveUntilMs;
}

/** A leader (or a leader that crashed, which rejoins from its own WAL) holds what it appended; a replica what its stream holds. */
export function leads(s: LeaderFollowerState, n: number): boolean {
  return s.role[n] === "leader" || (s.role[n] === "down" && s.crashedAsLeader[n] === 1);
}

/** The highest LSN of timeline `epoch` held by every node that still matters at `now` (−1: none). */
export function settledLsn(s: LeaderFollowerState, epoch: number, now: number): number {
  const epochs = s.core.epochs;
  let low = Infinity;
  for (let n = 0; n < s.nodes.length; n++) {
    if (!matters(s, n, now)) continue;
    const own = leads(s, n) ? s.nodeEpoch[n] : s.streams[n].epoch;
    // A leader surely holds only what it has flushed: a crash loses the rest.
    const held = leads(s, n) ? flushedLsn(s, n, now) : s.streams[n].lowWater(now);
    // cutoff is −1 when `epoch` is not on the node's lineage: none of its writes are on that node's history.
    low = Math.min(low, epochs.cutoff(epoch, own), held);
    if (low < 0) return -1;
  }
  return low === Infinity ? -1 : low;
}

/**
 * The highest LSN of timeline `epoch` that any node that still matters holds or is receiving (−1: none). With
 * `onDisk`, what is on a disk that still exists: every node whose zone or region is not gone for good, down or
 * not (a node STONITH powered off, or one that crashed and stayed down, keeps its disk: powered on, it has
 * what it held), and none whose zone or region is gone (the official leader's timeline is the final one when
 * no failover followed, but its disk went with the region).
 */
export function heldLsn(s: LeaderFollowerState, epoch: number, now: number, onDisk = false): number {
  const epochs = s.core.epochs;
  let high = -1;
  for (let n = 0; n < s.nodes.length; n++) {
    if (onDisk ? s.core.lostForGood[n] === 1 : !matters(s, n, now)) continue;
    const own = leads(s, n) ? s.nodeEpoch[n] : s.streams[n].epoch;
    const held = leads(s, n) ? s.lsn[n] : s.streams[n].highestLsn();
    high = Math.max(high, Math.min(epochs.cutoff(epoch, own), held));
  }
  return high;
}

/** Drops from each timeline's list of writes those at or below its settled LSN. */
export function releaseSettled(s: LeaderFollowerState, settled: readonly number[]): void {
  for (let e = 0; e < settled.length && e < s.epochWrites.length; e++) s.epochWrites[e].dropThrough(settled[e]);
}

/** The write at (`epoch`, `lsn`) leaves the write log, held by no node that matters, with its final outcome. */
export function orphan(s: LeaderFollowerState, epoch: number, lsn: number, status: number): void {
  s.epochWrites[epoch].orphan(lsn, status);
}
