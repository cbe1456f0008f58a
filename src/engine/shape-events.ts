// Timeline facts of the shapes without a single leader: leaderless (N/R/W
// quorums, hinted handoff) and multi-leader (cross-region shipping, conflicts).

export type ConflictPolicy = "lww" | "crdt" | "app";

export type LeaderlessEvent =
  | {
      event: "quorum-unavailable";
      w: number;
      reachable: number;
      n: number;
      sloppy: boolean;
      /** How the coordinator answers: a timeout while it has not marked the missing replicas down, UNAVAILABLE at once after. */
      answer: "timeout" | "unavailable";
    }
  /** A node down past the hint window: no more hints for it. `readRepair`: whether reads repair what it then misses. */
  | { event: "hints-dropped"; hintWindowMs: number; readRepair: boolean }
  /** The first hinted write: kept by a stand-in of a sloppy quorum, or by the coordinator itself for a replica that is down. */
  | { event: "hinted-write"; owner: string; standIn: boolean }
  /**
   * A handoff to `owner` ended. `notKept`: hints not kept for it in the absence this handoff follows (down past the
   * hint window), writes it stays behind on until each key is written again or (`readRepair`) a read repairs it.
   */
  | { event: "hints-replayed"; owner: string; from: string[]; replayed: number; owed: number; outcome: "done" | "run-ended" | "crashed"; stillWaiting: number; notKept: number; readRepair: boolean }
  | { event: "recover"; as: "leaderless"; hintsHeld: number; hintsNotKept: number }
  | { event: "not-applicable"; faultKind: string; mode: "leaderless" | "multi-leader" }
  /**
   * The first write last-write-wins dropped of each kind: overwritten by a concurrent write with a later timestamp
   * (`concurrent`), or by one made before it whose coordinator's clock ran `aheadMs` ahead of its own (`as`
   * leader: a multi-leader design's leader stamped it, and the first such drop only is noted).
   */
  | { event: "lww-dropped"; concurrent: boolean; aheadMs: number; as?: "leader" }
  /**
   * The keys of `classes` that cannot be written (read): too few of the nodes their requests go to can be reached
   * (measured from the cluster's state); recorded whenever those counts change, until every key is back.
   */
  | { event: "keys-unavailable"; classes: string[]; n: number; sloppy: boolean; totalKeys: number; writes: { needed: number; keys: number }; reads: { needed: number; keys: number } }
  | KeysAvailableEvent;

/** Every key of `classes` can be written and read again, after some could not (leaderless, or multi-leader home-region). */
export type KeysAvailableEvent = { event: "keys-available"; classes: string[]; totalKeys: number };

export type MultiLeaderEvent =
  | { event: "conflict"; policy: ConflictPolicy }
  | { event: "recover"; as: "multi-leader" }
  /** A leader lost for good: the acknowledged writes no other leader had received are gone with it. */
  | { event: "unreplicated"; writes: number }
  /** A leader down but not lost: the acknowledged writes no other leader had received wait on its disk, to ship when it is back. */
  | { event: "unshipped"; writes: number }
  /**
   * A leader receives the writes queued for it, shipped at the backlog's throughput (bytes per second), and applies
   * them at its apply rate (writes per second, each origin's stream side by side): `applyMs` for the longest stream.
   * Its origin keeps writing meanwhile (`incomingRate`, writes/s over the last seconds, the fastest origin's), and those
   * writes queue behind the backlog: the leader has caught up only after each origin's backlog over the apply rate
   * minus that origin's rate, `caughtUpMs` for the longest (Infinity: an origin writes as fast as it applies, or faster).
   */
  | { event: "catch-up"; writes: number; shipMs: number; bytesPerSecond: number; applyMs: number; applyRate: number; incomingRate: number; caughtUpMs: number }
  /**
   * The leader applies `origin`'s stream slower (`applyRate`, writes/s) than `origin` writes (`incomingRate`, its
   * writes/s over the last ten seconds), and the writes of it not applied yet grew ten seconds in a row: it falls
   * further behind by the difference every second and never catches up while the load lasts.
   */
  | { event: "apply-falling-behind"; origin: string; applyRate: number; incomingRate: number }
  /**
   * A leader is back in reach of clients of its region that write to another region's leader meanwhile
   * (routing: any): they go back to it once the endpoint routes to it again, at the proxy's `rise`-th passing
   * check (`via` proxy, `afterMs` later), or as each client's DNS cache expires (`via` dns, within `ttlMs`).
   */
  | { event: "clients-home"; clients: number; via: "proxy"; afterMs: number }
  | { event: "clients-home"; clients: number; via: "dns"; ttlMs: number; staleForMs: number; stale: number }
  /** Conflicts (pairs of concurrent writes to one key that met at a leader) found as queued writes arrived. */
  | { event: "conflicts-surface"; conflicts: number; policy: ConflictPolicy }
  /**
   * The run ends with writes still queued between leaders (a partition, or a leader down, that outlasts it): the
   * conflicts they carry are not resolved yet, so nothing is counted lost to them; `projectedLost` is what their
   * resolution would drop (`lww`) or leave as siblings (`app`) if they all arrived — projected, not measured.
   */
  | { event: "conflicts-pending"; queued: number; projectedLost: number; policy: ConflictPolicy }
  /**
   * Home-region routing: the keys of the leader regions named (their leaders too) cannot be written, their
   * clients reaching no live home leader, or cannot be read, their clients reaching no live leader at all
   * (measured from the cluster's state); recorded whenever those regions change, until every key is back.
   */
  | { event: "keys-unavailable"; classes: string[]; totalKeys: number; writes: HomeKeys; reads: HomeKeys }
  | KeysAvailableEvent;

/** Some leader regions' keys, and how many. */
export interface HomeKeys {
  keys: number;
  regions: string[];
  leaders: string[];
}
