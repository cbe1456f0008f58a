// What a run leaves behind for checkers that must not trust the engine's own
// bookkeeping: the raw write log, the timelines (epochs), the intervals during
// which each node acted as a writable leader, and the state of every node when
// the run ended. The swarm's oracles (src/swarm) judge safety, liveness and
// accounting from these facts alone, and recompute the figures of the result.
import type { CommitRegression } from "./result.js";
export type { CommitRegression };
import type { Core } from "./core.js";

/** One stretch of time during which `node` acted as a leader that accepts writes (alive, leader role). */
export interface WriterInterval {
  node: number;
  /** The timeline (epoch) the node wrote on. */
  epoch: number;
  fromMs: number;
  /** End of the stretch (the run's end when it never stopped). */
  toMs: number;
  /** Whether the node could acknowledge a write of at least one data class during the stretch
   * under its commit rule, ignoring how many standbys were streaming (static: sync off, or a class with commit local/off). */
  acksWithoutStandbys: boolean;
}

/** A stretch during which the official leader's strict synchronous commits waited for standbys. */
export interface BlockedInterval {
  node: number;
  fromMs: number;
  toMs: number;
}

export interface NodeFinalState {
  name: string;
  alive: boolean;
  /** "leader" | "replica" | "down" | "rebuilding" (leader/follower); shapes without roles report "member". */
  role: string;
  /** The node this one streams from (−1: none or not applicable). */
  following: number;
  /** Whether it receives the current leader's stream on the leader's timeline right now. */
  streaming: boolean;
  /** Its zone or region is gone for good, and its disk with it. */
  lostForGood: boolean;
  /** What its disk holds: the timeline it is on and the LSN reached or on its way (epoch −1: not applicable). */
  holds: { epoch: number; lsn: number };
}

export interface RunHistory {
  nodeNames: string[];
  endMs: number;
  /** The write log, shared with the engine (read only): ids 0..count−1. */
  writes: {
    count: number;
    sendMs: Float64Array;
    doneMs: Float64Array;
    status: Uint8Array;
    cls: Uint8Array;
    key: Int32Array;
    epoch: Int32Array;
    lsn: Float64Array;
    node: Int16Array;
  };
  /** The stretches during which every client's zone was lost (toMs Infinity: until the end): no request was sent then. */
  unobserved: { fromMs: number; toMs: number }[];
  /** When each node was lost for good with its zone or region (NaN: never). */
  nodeLostAtMs: number[];
  /** Timelines: parent, fork LSN (what the new leader had), the node that led it, when it started. */
  epochs: { parent: number[]; forkLsn: number[]; leader: number[]; startMs: number[] };
  /** The timeline of the official leader when the run ended (−1 for shapes without one). */
  finalEpoch: number;
  writers: WriterInterval[];
  blocked: BlockedInterval[];
  final: NodeFinalState[];
  /** Whether, at the end, the official leader has the synchronous standbys its strict rule needs (null: not applicable). */
  syncSatisfied: boolean | null;
  /** Events scheduled at a time already past when they were queued (a back-dated acknowledgement is a bug). */
  pastSchedules: { kind: number; atMs: number; nowMs: number }[];
  /** Per timeline, the highest commit LSN seen so far; a drop is recorded here. */
  commitRegressions: CommitRegression[];
}

/** Shapes that can describe their state for the history implement this. */
export interface HistorySource {
  writerIntervals(endMs: number): WriterInterval[];
  blockedIntervals(endMs: number): BlockedInterval[];
  finalStates(): NodeFinalState[];
  finalEpoch(): number;
  syncSatisfied(): boolean | null;
}

export function captureHistory(core: Core): RunHistory {
  const log = core.log;
  // Only a run that kept every write (keepHistory) has the whole log, each write at its own id.
  if (log.head !== 0 || log.count > log.mask + 1) throw new Error("assertion: the history of a run that settled its writes is gone");
  const shape = core.shape as unknown as Partial<HistorySource>;
  const end = core.endMs;
  return {
    nodeNames: core.topology.nodes.map((n) => n.name),
    endMs: end,
    writes: {
      count: log.count,
      sendMs: log.sendMs,
      doneMs: log.doneMs,
      status: log.status,
      cls: log.cls,
      key: log.key,
      epoch: log.epoch,
      lsn: log.lsn,
      node: log.node,
    },
    unobserved: core.unobserved.map((w) => ({ ...w })),
    nodeLostAtMs: [...core.lostAtMs],
    epochs: { parent: core.epochs.parent, forkLsn: core.epochs.forkLsn, leader: core.epochs.leader, startMs: core.epochs.startMs },
    finalEpoch: shape.finalEpoch ? shape.finalEpoch() : -1,
    writers: shape.writerIntervals ? shape.writerIntervals(end) : [],
    blocked: shape.blockedIntervals ? shape.blockedIntervals(end) : [],
    final: shape.finalStates ? shape.finalStates() : core.topology.nodes.map((n, i) => ({ name: n.name, alive: core.alive[i] === 1, role: "member", following: -1, streaming: false, lostForGood: core.lostForGood[i] === 1, holds: { epoch: -1, lsn: -1 } })),
    syncSatisfied: shape.syncSatisfied ? shape.syncSatisfied() : null,
    pastSchedules: core.queue.pastSchedules,
    commitRegressions: core.commitRegressions,
  };
}
