// Timeline facts of the shapes without a single leader: leaderless (N/R/W
// quorums, hinted handoff) and multi-leader (cross-region shipping, conflicts).

export type ConflictPolicy = "lww" | "crdt" | "app";

export type LeaderlessEvent =
  | { event: "quorum-unavailable"; w: number; reachable: number; n: number; sloppy: boolean }
  | { event: "hints-dropped"; hintWindowMs: number }
  /** The first hinted write: kept by a stand-in of a sloppy quorum, or by the coordinator itself for a replica that is down. */
  | { event: "hinted-write"; owner: string; standIn: boolean }
  | { event: "hints-replayed"; owner: string; from: string[]; replayed: number; owed: number; outcome: "done" | "run-ended" | "crashed"; stillWaiting: number }
  | { event: "recover"; as: "leaderless"; hintsHeld: number; hintsNotKept: number }
  | { event: "not-applicable"; faultKind: string; mode: "leaderless" | "multi-leader" }
  /**
   * The keys of `classes` that cannot be written (read): too few of the nodes their requests go to can be reached
   * (measured from the cluster's state); recorded whenever those counts change, until every key is back.
   */
  | { event: "keys-unavailable"; classes: string[]; n: number; sloppy: boolean; totalKeys: number; writes: { needed: number; keys: number }; reads: { needed: number; keys: number } }
  | { event: "keys-available"; classes: string[]; totalKeys: number };

export type MultiLeaderEvent =
  | { event: "conflict"; policy: ConflictPolicy }
  | { event: "recover"; as: "multi-leader" }
  | { event: "unreplicated"; writes: number }
  | { event: "catch-up"; writes: number; shipMs: number }
  | { event: "conflicts-surface"; writes: number; policy: ConflictPolicy };
