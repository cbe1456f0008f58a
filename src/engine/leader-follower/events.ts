// Timeline facts of the leader/follower shape (and of a consensus group, which
// runs on it): failover steps, the synchronous set, replicas joining, faults on
// nodes, lag alerts. Numbers and names only; the report words them.

import type { BadStatement } from "../recovery/types.js";
import type { ConsensusUnusedKey } from "../../model/types.js";

/** Why a replica could not be promoted. */
export type Exclusion =
  | { node: string; reason: "nofailover" | "no-coordinator" }
  /**
   * Not a published synchronous standby, so it may miss acknowledged writes. degraded: it would be one, but the
   * leader had gone on without synchronous standbys (non-strict mode, MySQL's semi-sync timeout), so none is.
   */
  | { node: string; reason: "asynchronous"; degraded?: true }
  /** The leader whose failure this failover handles, back before anyone was elected: its system never promotes it (Orchestrator, RDS, Aurora). */
  | { node: string; reason: "failed-leader" }
  /** Behind the highest position the ANY-k quorum's reachable standbys show: it may miss acknowledged writes. */
  | { node: string; reason: "behind-quorum" }
  | { node: string; reason: "lag"; lagBytes: number; maximumLagBytes: number }
  /** ANY k of M: a candidate must see M − k + 1 of the listed standbys. */
  | { reason: "quorum"; count: number; voters: number; needed: number; seen: number }
  /** Raft: a majority must vote for a candidate at least as up to date as themselves. */
  | { reason: "raft"; members: number; needed: number; seen: number };

/**
 * Why the winner of an election won against the other candidates that were as eligible as itself: it was the
 * only one, it had received the most WAL, or (at the same position) a higher failover priority, or neither —
 * then the replicas race for the leader key and the first to take it wins. Under `election: priority` a higher
 * failover priority wins first.
 */
export type ElectReason =
  /** excluded: why the other replicas could not be chosen (empty when there were none, or they could not win the vote). */
  | { kind: "only-candidate"; excluded: Exclusion[] }
  | { kind: "highest-position"; runnerUp: string; runnerUpLsn: number }
  | { kind: "priority"; tiedWith: string[]; priority: number; runnerUpPriority: number }
  /** election: priority: a higher failover priority than the runner-up's won, whatever the two positions. */
  | { kind: "preferred"; runnerUp: string; runnerUpLsn: number; priority: number; runnerUpPriority: number }
  | { kind: "race"; tiedWith: string[] }
  /**
   * A Raft member: its own election timer ran out first among the members a majority would vote for. ahead: the
   * members whose logs reach further (their extra entries were never committed); level: those whose logs end where its does.
   */
  | { kind: "first-timer"; ahead: { node: string; lsn: number }[]; level: string[] };

export type LeaderFollowerEvent =
  /** The file's loop_wait and retry_timeout do not fit its ttl: the run uses what Patroni lowers them to (at t = 0). */
  | { event: "lease-lowered"; ttlMs: number; loopWaitMs: number; retryTimeoutMs: number; givenLoopWaitMs: number; givenRetryTimeoutMs: number }
  /** A consensus group ignores these failover keys (at t = 0): its members elect the leader on their own election timer (randomized up to randomizedMs more) and heartbeats. */
  | { event: "failover-unused"; keys: ConsensusUnusedKey[]; electionTimeoutMs: number; heartbeatMs: number; randomizedMs: number }
  /** demoteAtMs: when it stops taking writes, at its lease's expiry or earlier when its retries of the coordinator run out (retry_timeout). */
  /** quorumCheckEveryMs: a leader of members that vote that checks its quorum that often (etcd's CheckQuorum), stepping down at the first check past leaseExpiresMs. */
  | { event: "coordinator-lost"; coordinator: string[]; demoteAtMs: number; leaseExpiresMs: number; quorumCheckEveryMs?: number }
  | { event: "demote"; reason: "sees-leader" | "sees-leader-split-brain-over"; leader: string }
  /** unreplicatedAcked: writes it acknowledged that no other member has received (only when there are any). */
  | { event: "demote"; reason: "lease-lost"; unreplicatedAcked?: number }
  /** A leader that demoted itself finds the coordinator again with the leader key still its own: it starts read-only and renews the key. */
  | { event: "start-readonly"; reason: "holds-key" }
  /** That node's next HA loop promotes it again, on its own history (timeline: the one it led on); no election. */
  | { event: "repromote"; reason: "held-key"; timeline: number }
  /** revokedAfterMs: how long after it expired (the last renewal + ttl) the coordinator removed the key (etcd's lessor checks every 500 ms). */
  | { event: "detect"; via: "lease"; ttlMs: number; lastRenewalMs: number; revokedAfterMs: number }
  /** lateMs: the leader is up and reaches a majority, but its heartbeats take this long one way (added latency), longer than the timers ran. */
  /** campaigner: in a Raft group, the member whose own election timer ran out first; cannotWin: it reaches no majority that would vote for it, only `votes` of the `needed` (its own included). */
  | { event: "detect"; via: "heartbeat"; misses: number; intervalMs: number; randomizedMs?: number; lateMs?: number; campaigner?: string; cannotWin?: true; votes?: number; needed?: number }
  /** afterRunEnd: the operator acts only after the run's end, so no failover happens within it. */
  | { event: "page"; operatorDelayMs: number; afterRunEnd?: true }
  | { event: "fence"; via: "stonith"; fencingMs: number }
  /**
   * stillLeads: the old leader is up and still takes itself for the leader at this moment (nothing fenced it, the
   * quorum does): "cut-off" from a majority, until its CheckQuorum steps it down at stepsDownAtMs; "outvoted", up and
   * reaching a majority whose members campaign anyway (late heartbeats), until the new term reaches it.
   */
  | { event: "fence"; via: "lease"; oldLeaderUp: boolean; stillLeads?: "cut-off" | "outvoted"; stepsDownAtMs?: number; quorumCheckEveryMs?: number; unreplicatedAcked?: number }
  /** asReplica: the old leader is up, but came back as a replica (it takes no writes); nothing had to stop it. */
  | { event: "no-fence"; oldLeaderUp: boolean; asReplica?: true }
  | { event: "promote-lagging"; excluded: Exclusion[] }
  | { event: "no-candidate"; excluded: Exclusion[]; policy: "wait" | "until-candidate" }
  /** Nobody can replace the failed leader: the service creates a new instance for it, ready in readyInMs (Aurora, on its volume). */
  | { event: "instance-replacing"; readyInMs: number }
  /** That new instance is up, with every write flushed to the volume: the failover restarts it as the leader. */
  | { event: "instance-replaced" }
  | { event: "elect"; lsn: number; others: { node: string; lsn: number }[]; why: ElectReason }
  | { event: "promote-failed"; reason: "died" | "cannot-replay" }
  /** The promotion waited waitMs (beyond its own time) for the candidate to replay what it had received, at applyRate writes/s. */
  | { event: "replay-wait"; waitMs: number; applyRate: number }
  /** timeline: PostgreSQL's timeline ID (1 is the initial history, so the first promotion creates 2). */
  /** lostAckedLocal: how many of lostAcked belong to classes that commit without waiting for the synchronous standbys (commit: off or local). */
  | { event: "promote"; timeline: number; forkLsn: number; lostAcked: number; lostAckedLocal?: number }
  | { event: "stall"; forMs: number }
  | { event: "stall-end" }
  | { event: "slow"; fromRate: number; toRate: number }
  | { event: "slow-end"; rate: number }
  | { event: "promote-will-fail" }
  /** lostUnflushed: acknowledged asynchronous commits (commit: off) of a crashed leader whose WAL was not yet flushed: gone with it. */
  | { event: "crash"; cause: import("../core/events.js").CrashCause; lostUnflushed?: number }
  | { event: "recover"; as: "leader-within-lease" | "replica-racing" }
  /** noLeader: no other node was leading when it came back (the failover had not yet elected one, or the new leader was down too). */
  | { event: "recover"; as: "replica-rewind"; rejoinMs: number; noLeader?: true }
  /** A node that did not lead (or a Raft member) restarts and streams again: nothing to rewind. */
  /** awaitsElection: a Raft leader back before the others' election timers ran out, restarted as a follower. */
  /** noLeader: no other node was leading when it came back (leader/follower): it has nothing to stream from until one leads. */
  | { event: "recover"; as: "replica-restart"; rejoinMs: number; consensus: boolean; awaitsElection?: true; noLeader?: true }
  /** statement: which mistake (the report names it in the system's words: an UPDATE without WHERE, an updateMany with an empty filter). */
  | { event: "guard-blocked"; statement: BadStatement; dataClass: string }
  | { event: "bad-write"; statement: BadStatement; dataClass: string; rowsShare: number }
  | { event: "bad-write-applied"; statement: BadStatement }
  | { event: "lag-warning"; lagMs: number; lagBytes: number }
  | { event: "lag-page"; lagMs: number; lagBytes: number }
  | { event: "lag-recovered" }
  /** reads: what the replica's growing lag does to the reads of the classes that read from replicas (see fallingBehindReads). */
  | { event: "falling-behind"; applyRate: number; commitRate: number; reads: FallingBehindReads }
  | { event: "rewind"; discardedBytes: number; timeline: number }
  | { event: "follow"; leader: string; catchUpWrites: number; catchUpBytes: number }
  | { event: "rebuild-refused" }
  | { event: "rebuild"; dataSizeBytes: number; throughputBytes: number; durationMs: number }
  | { event: "rebuilt"; applyRate: number }
  /** leadsAgain: the leader promoted itself again on the key it held (session lock) rather than being elected. */
  | { event: "writes-blocked"; reason: "none-named"; streaming: number; leadsAgain?: true; noticedAfterMs?: number }
  | { event: "writes-blocked"; reason: "too-few"; connected: number; required: number; noticedAfterMs?: number }
  /** A consensus leader reaches too few members to commit: `members` with itself, of `groupSize`, `majority` needed. */
  | { event: "writes-blocked"; reason: "no-majority"; members: number; groupSize: number; majority: number; noticedAfterMs?: number }
  | { event: "degrade"; connected: number; required: number; /** Semi-sync: a commit waited this long for its acknowledgements. */ waitedMs?: number }
  | { event: "sync-restored"; standbys: string[] }
  | { event: "writes-unblocked"; standbys: string[]; blockedMs: number; majority?: boolean }
  | { event: "sync-standby"; standbys: string[]; quorum?: number; required?: number; configured?: number }
  /**
   * Commits now wait for synchronous standbys that went silent (a host crash, a partition): no connection reset
   * told the leader, which keeps them listed for up to `listedForMs` more, until its WAL sender times out
   * (wal_sender_timeout) or Patroni drops them when their member keys expire, unless they answer again first.
   */
  | { event: "silent-standby"; standbys: string[]; listedForMs: number; by: "wal-sender-timeout" | "member-key" }
  | { event: "redundancy"; up: number; replicas: number; sync: "async-only" | "none-left" | "capable"; syncCapable: number };

/**
 * A replica that falls further and further behind: classes that bound their replica reads (read-your-writes
 * sessions, max_lag) send them to the leader once it is too far behind ("bounded"); classes that read any replica
 * go on reading it, ever staler ("unbounded"); "both" when there are classes of each kind; "none" when no class
 * reads from replicas.
 */
export type FallingBehindReads = "bounded" | "unbounded" | "both" | "none";
