// The shapes of the settings derived from a topology (see derived.ts, which
// computes them); kept apart so that the resolved types can name them.

/** Patroni's rule for its three timings, as the file states them: loop_wait + 2 × retry_timeout ≤ ttl. */
export interface PatroniTiming {
  ttlMs: number;
  loopWaitMs: number;
  retryTimeoutMs: number;
  /**
   * loop_wait + 2 × retry_timeout: one loop's wait plus two DCS retries, the
   * longest a healthy leader may go without renewing when the DCS is flaky.
   */
  neededMs: number;
  /** ttl − neededMs: how much room the lease leaves; negative breaks the rule. */
  slackMs: number;
  /** Whether the lease survives two failed DCS attempts in a row (slackMs ≥ 0). */
  fits: boolean;
  /** When it does not: the lower loop_wait and retry_timeout Patroni runs with instead (null: as stated). */
  adjusted: { loopWaitMs: number; retryTimeoutMs: number } | null;
}

export interface DerivedDetection {
  /**
   * The longest the failover manager waits after the leader's last renewal
   * before declaring it dead: the lease ttl, or misses × heartbeat interval.
   */
  ttlMs: number;
  /** The period of the leader's liveness signal: loop_wait, or the heartbeat interval. */
  renewalPeriodMs: number;
  /** Detection after a failure, depending on when in the renewal period it strikes. */
  minMs: number;
  maxMs: number;
}

/** Where the coordinator's (the consensus store's) members live, one zone per member, and how many make a majority. */
export interface DerivedCoordinator {
  /** Empty for a managed service's control plane, which is always reachable. */
  members: string[];
  /** ⌊members / 2⌋ + 1; 0 when there are no members to lose. */
  majority: number;
  /** The members are the topology's nodes (a consensus group, a replica set that elects its own primary): a member is down when its node is. */
  nodesVote: boolean;
}

/** How the preset's system runs a failover and serves reads, as the engine reads it (the preset's rules, see presets.ts). */
export interface DerivedSystem {
  /** The failed leader, back before the failover elects anyone, may win it (Patroni, MongoDB, Raft; not Orchestrator, RDS, Aurora). */
  promotesFailedLeader: boolean;
  /** Replicas serve reads (not an RDS Multi-AZ standby). */
  replicasServeReads: boolean;
  /** The replicas share the leader's storage volume (Aurora). */
  sharedStorage: boolean;
  /** How long the service takes to create a new instance for a failed leader no replica can replace (null: never). */
  replacesFailedLeaderMs: number | null;
  /** How long a leader keeps waiting on a synchronous standby gone silent (PostgreSQL's wal_sender_timeout); null: it learns at once. */
  walSenderTimeoutMs: number | null;
  /**
   * A leader of members that vote checks its quorum once every election timeout since its election (etcd's
   * CheckQuorum), rather than as each member's answers go stale (a MongoDB primary): see the preset's consensus.
   */
  periodicQuorumCheck: boolean;
  /**
   * A member of a group whose members vote refuses its vote while it still hears the leader (etcd's CheckQuorum);
   * false for a MongoDB replica set, whose data-bearing members judge the candidate's oplog alone and whose arbiters
   * refuse while they see a healthy primary of equal or greater priority: see the preset's consensus.
   */
  stickyVotes: boolean;
  /** Rounds of requests to a majority an election of members that vote takes (PreVote or a dry run, then the vote): see the preset's consensus. */
  electionRounds: number;
}

export interface DerivedSettings {
  /** Every zone as "region/zone", regions in file order, then zones in order: the index space of zone indices. */
  zones: string[];
  /** Every region in file order: the index space of region indices. */
  regions: string[];
  /** Votes (or acknowledgements) a majority of the topology's nodes makes: ⌊nodes / 2⌋ + 1. */
  majority: number;
  /** Leaderless: a majority of the n copies of a key, ⌊n / 2⌋ + 1; null in other modes. */
  quorumMajority: number | null;
  coordinator: DerivedCoordinator;
  system: DerivedSystem;
  detection: DerivedDetection;
  /** Lease detection only (Patroni's timings); null for heartbeats. */
  patroni: PatroniTiming | null;
}
