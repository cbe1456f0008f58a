// Presets: the defaults of real systems (their documentation and source, and
// timings measured on a live Patroni cluster). A topology without `preset:` gets `patroni`, the material's example;
// every explicit key in a file overrides its preset.
import type { Endpoint, Latency, ResolvedFailover, Detection, LeaderlessReplication, SyncSetPolicy } from "./types.js";
import type { presetNames, CommitLevel } from "./schema.js";

export type PresetName = (typeof presetNames)[number];

export interface Preset {
  /** One line for `repl-lab init --preset` and the README. */
  summary: string;
  /** Which release the numbers mimic. */
  version: string;
  failover: ResolvedFailover;
  applyRate: number;
  commit: CommitLevel;
  strict: boolean;
  degradeAfterMs: number;
  /** The failover manager re-picks synchronous standbys among healthy replicas (Patroni's synchronous_mode). */
  managedSync: boolean;
  /**
   * A managed set's count is an upper bound the manager lowers while fewer standbys are eligible (Patroni's
   * synchronous_node_count); false: the count is always waited for (MySQL's wait_for_replica_count, a majority).
   */
  lowersSyncCount: boolean;
  /** Fill `synchronous:` when a topology leaves it out: a majority of the other nodes (MongoDB w:majority). */
  implicitSync: "none" | "majority";
  /**
   * Whether a failover manager names the synchronous standbys (Patroni) or any member's acknowledgement counts
   * (MongoDB's majority, MySQL semi-sync): see SyncSetPolicy.
   */
  syncSetPolicy: SyncSetPolicy;
  /** The leaderless settings a file may leave to the preset (the resolved settings' fields of the same names). */
  leaderless: Pick<LeaderlessReplication, "n" | "w" | "r" | "sloppyQuorum" | "hintWindowMs" | "readRepair" | "readRepairScope" | "conflict" | "placement">;
  /**
   * Consensus: the election timeout and heartbeat, and how far each voter's election timer is randomized past
   * the timeout, as a share of it: the timer is drawn uniformly from [T, T × (1 + electionTimerSpread)]. Raft as
   * etcd runs it draws from [T, 2T) (1); MongoDB adds an offset of at most 15% of electionTimeoutMillis
   * (replElectionTimeoutOffsetLimitFraction 0.15).
   *
   * periodicQuorumCheck: how a leader cut off from a majority notices it. etcd's leader (CheckQuorum) checks once
   * every election timeout, counted from its election, whether a majority answered it since the check before, and
   * steps down at the first check that finds none: between one and two election timeouts after the last answer
   * (raft.go: tickHeartbeat, MsgCheckQuorum). A MongoDB primary marks each member down once it has not heard from it
   * for electionTimeoutMillis and steps down as soon as it sees no majority: one election timeout after the last
   * answer.
   *
   * stickyVotes: whether a voter that has heard from the leader within an election timeout refuses its vote. etcd
   * with CheckQuorum ignores a vote request while its leader is in lease (raft.go: inLease), so an election needs a
   * majority of members whose timers ran out. A MongoDB data-bearing member grants its vote unless the candidate's
   * config or term is older, its set name differs, its oplog is staler than the voter's, or the voter already voted
   * in the term; only an arbiter refuses while it sees a healthy primary of equal or greater priority
   * (topology_coordinator.cpp: processReplSetRequestVotes, the dry run included).
   *
   * electionRounds: how many rounds of requests to a majority an election takes, each the candidate's round trip to
   * the member that completes its majority. etcd runs PreVote (on by default since etcd 3.5): the candidate first
   * asks whether a majority would grant its vote, without raising its term, and only then asks for the votes. A
   * MongoDB candidate likewise runs a dry-run election (replSetRequestVotes with dryRun) before the real one.
   */
  consensus: { electionTimeoutMs: number; heartbeatMs: number; electionTimerSpread: number; periodicQuorumCheck: boolean; stickyVotes: boolean; electionRounds: number };
  /**
   * Who decides which node may lead, and so what a node must reach to keep leading or to be elected:
   * `store`, an external consensus store on the zones `failover.coordinator` lists (etcd under Patroni, Orchestrator's
   * raft); `members`, the data nodes themselves by majority vote (a MongoDB replica set, a Raft group); `managed`, a
   * cloud control plane in every zone of the region (Aurora, RDS Multi-AZ), always reachable.
   */
  electedBy: "store" | "members" | "managed";
  /**
   * Whether the failed leader, back (restarted, its host up again) before the failover that replaces it has
   * elected anyone, may win that election: Patroni's old leader races for the key like any replica, and a Raft
   * member or a MongoDB member that restarts votes and stands again; Orchestrator recovers *from* the dead
   * source and never promotes it, and RDS Multi-AZ and Aurora fail over to the standby or a reader.
   */
  promotesFailedLeader: boolean;
  /**
   * Whether a replica serves reads (a class's `reads: session | any | max_lag`). An RDS Multi-AZ instance's standby
   * is not readable: it is there only for failover, and every read goes to the primary.
   */
  replicasServeReads: boolean;
  /**
   * The replicas share the leader's storage (Aurora: one volume, six copies across three zones, written by a quorum
   * whatever the reader instances do). A reader promoted takes over the volume as it is, with every write the old
   * writer flushed to it, however far behind its own replay was: no candidate lags, and none misses an acknowledged write.
   */
  sharedStorage: boolean;
  /**
   * How long the service takes to create a new instance for a failed leader nobody can replace (null: it does not;
   * the leader stays down until a `recover`). Aurora recreates a cluster's writer on the same volume, with every write
   * flushed to it, when no reader is left to promote (its documentation: up to about 10 minutes).
   */
  replacesFailedLeaderMs: number | null;
  /**
   * How long the leader keeps counting on a synchronous standby that went silent without closing its connection (a
   * host crash, a partition: no reset reaches the leader), or null when it learns at once. PostgreSQL's WAL sender
   * stays in pg_stat_replication, and a FIRST/ANY rule keeps waiting for it, until wal_sender_timeout (60 s) passes
   * without a reply; Patroni, which names only members it finds in the DCS, drops one sooner when its member key
   * expires (ttl after its last HA loop) because it died or lost the DCS too.
   */
  walSenderTimeoutMs: number | null;
}

/** A voter's randomized election timer: the timeout plus a uniform extra of up to this much (ms). */
export function electionTimerExtraMs(preset: Pick<Preset, "consensus">, electionTimeoutMs: number): number {
  return Math.round(electionTimeoutMs * preset.consensus.electionTimerSpread);
}

export const DEFAULT_NETWORK: { sameZone: Latency; crossZone: Latency; crossRegion: Latency } = {
  sameZone: { median: 0.2, p99: 1 },
  crossZone: { median: 0.5, p99: 2 },
  crossRegion: { median: 35, p99: 80 },
};
export const DEFAULT_FSYNC: Latency = { median: 0.2, p99: 2 };

const s = 1000;
const day = 86_400 * s;

const patroniDetection: Detection = { kind: "lease", ttlMs: 30 * s, loopWaitMs: 10 * s, retryTimeoutMs: 10 * s };
/** Patroni's documented HAProxy example checks /primary every 3 s and marks a server up after 2 passes. */
const haproxy: Endpoint = { kind: "proxy", checkIntervalMs: 3 * s, checkTimeoutMs: 1 * s, rise: 2, fall: 3 };

const baseFailover: ResolvedFailover = {
  mode: "automatic",
  operatorDelayMs: 15 * 60 * s,
  detection: patroniDetection,
  coordinator: [],
  fencing: "lease",
  fencingMs: 0,
  election: "highest-lsn",
  electionMs: 200,
  maximumLagBytes: 1024 * 1024,
  laggingCandidates: "wait",
  // Promotion and the first write on the new leader took about 0.1 s on the live cluster (scenarios/live/README.md).
  promotionMs: 100,
  endpoint: haproxy,
  reconnect: { backoffMs: 100, maxMs: 5 * s, jitter: "full" },
  acceptRate: 500,
  // Patroni re-points a replica by a reload; its WAL receiver waits out wal_retrieve_retry_interval when the new
  // leader has not created its slot yet (measured on the live cluster, see restreamMs).
  restream: { kind: "patroni" },
};

const defaultLeaderless = { n: 3, w: 2, r: 2, sloppyQuorum: false, hintWindowMs: 3 * 3600 * s, readRepair: true, readRepairScope: "all-replies" as const, conflict: "lww" as const, placement: "ring" as const };
const etcd = { electionTimeoutMs: 1000, heartbeatMs: 100, electionTimerSpread: 1, periodicQuorumCheck: true, stickyVotes: true, electionRounds: 2 };
/** MongoDB: electionTimeoutMillis 10 s, heartbeats every 2 s, and a random offset of at most 15% of the timeout. */
const mongodbElection = { electionTimeoutMs: 10 * s, heartbeatMs: 2 * s, electionTimerSpread: 0.15, periodicQuorumCheck: false, stickyVotes: false, electionRounds: 2 };

export const PRESETS: Record<PresetName, Preset> = {
  patroni: {
    summary: "Patroni + etcd managing PostgreSQL: leader lease ttl 30s / loop_wait 10s / retry_timeout 10s, HAProxy on /primary",
    electedBy: "store",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: 60 * s,
    version: "Patroni 4.x defaults (patroni/config.py), PostgreSQL 15+",
    failover: baseFailover,
    applyRate: 20_000,
    commit: "on",
    strict: false,
    degradeAfterMs: 0,
    managedSync: true,
    lowersSyncCount: true,
    implicitSync: "none",
    syncSetPolicy: "named",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
  "postgres-manual": {
    summary: "Plain PostgreSQL streaming replication; a human promotes after a page (15 min), DNS with a 60s TTL",
    electedBy: "store",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: 60 * s,
    version: "PostgreSQL 15+",
    failover: {
      ...baseFailover,
      mode: "manual",
      detection: { kind: "heartbeat", intervalMs: 10 * s, misses: 3 },
      fencing: "none",
      endpoint: { kind: "dns", ttlMs: 60 * s, staleShare: 0.05, staleForMs: 5 * 60 * s },
      promotionMs: 3 * s,
    },
    applyRate: 20_000,
    commit: "on",
    strict: true,
    degradeAfterMs: 0,
    managedSync: false,
    lowersSyncCount: false,
    implicitSync: "none",
    syncSetPolicy: "named",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
  "mysql-semisync": {
    summary: "MySQL semi-sync (AFTER_SYNC, falls back to async after 10s without an ack) with Orchestrator and ProxySQL",
    electedBy: "store",
    promotesFailedLeader: false,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "MySQL 8.4, Orchestrator 3.2",
    failover: {
      ...baseFailover,
      detection: { kind: "heartbeat", intervalMs: 1 * s, misses: 5 },
      fencing: "none",
      electionMs: 1 * s,
      // Orchestrator promotes the most advanced replica however far behind it is (FailMasterPromotionOnLagMinutes
      // is 0, off, by default): the writes committed after semi-sync fell back to async are lost, not waited for.
      laggingCandidates: "promote",
      promotionMs: 3 * s,
      endpoint: { kind: "proxy", checkIntervalMs: 1 * s, checkTimeoutMs: 500, rise: 1, fall: 3 },
      // Orchestrator's recovery relocates the replicas under the new source as part of promoting it (no slots, no retry).
      restream: { kind: "relocate" },
    },
    applyRate: 15_000,
    commit: "remote_write",
    strict: false,
    degradeAfterMs: 10 * s,
    managedSync: true,
    lowersSyncCount: false,
    implicitSync: "none",
    // The source takes the acknowledgement of any connected semi-sync replica (rpl_semi_sync_source_wait_for_replica_count of them).
    syncSetPolicy: "whoever-acknowledges",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
  mongodb: {
    summary: "MongoDB replica set: heartbeats every 2s, electionTimeoutMillis 10s, w:majority, drivers rediscover the primary",
    electedBy: "members",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "MongoDB 5.0+",
    failover: {
      ...baseFailover,
      detection: { kind: "heartbeat", intervalMs: mongodbElection.heartbeatMs, misses: 5, randomizedMs: electionTimerExtraMs({ consensus: mongodbElection }, mongodbElection.electionTimeoutMs) },
      electionMs: 1 * s,
      promotionMs: 500,
      // No proxy stands in front of a replica set: drivers find the primary by server discovery and monitoring.
      // A driver checks each member every heartbeatFrequencyMS (10 s) while all is well, but an operation that
      // meets a "not primary" or network error marks that server Unknown and asks for an immediate check, and
      // while an operation waits for a primary the driver re-checks no more often than minHeartbeatFrequencyMS
      // (500 ms). A check every 500 ms that finds the new primary on its first pass times that the same way, so the
      // endpoint stays of kind proxy and only the reports say it in the drivers' words. (A 4.4+ server's streaming
      // hello may tell a driver sooner, within a round trip: this is the slower bound.)
      endpoint: { kind: "proxy", checkIntervalMs: 500, checkTimeoutMs: 500, rise: 1, fall: 3 },
      // A secondary learns of the new primary from its next heartbeat and syncs from it at once (no slots, no retry).
      restream: { kind: "heartbeat", intervalMs: mongodbElection.heartbeatMs },
    },
    applyRate: 20_000,
    commit: "on",
    strict: true,
    degradeAfterMs: 0,
    managedSync: true,
    lowersSyncCount: false,
    implicitSync: "majority",
    // w: "majority" names no standby: a write is acknowledged once a majority of the voting members (the primary
    // counts) has it in its journaled oplog, whichever they are. A new primary's majority writes wait only for
    // secondaries to sync from it (failover.restream above), not for a manager's loop to name one.
    syncSetPolicy: "whoever-acknowledges",
    leaderless: defaultLeaderless,
    consensus: mongodbElection,
  },
  cassandra: {
    summary: "Cassandra in one data centre: RF 3, QUORUM reads and writes (LOCAL_QUORUM there), hinted handoff (max_hint_window 3h), blocking read repair",
    electedBy: "store",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "Cassandra 4.x/5.x",
    failover: baseFailover,
    applyRate: 50_000,
    commit: "local",
    strict: false,
    degradeAfterMs: 0,
    managedSync: false,
    lowersSyncCount: false,
    implicitSync: "none",
    syncSetPolicy: "named",
    // NetworkTopologyStrategy with racks (a snitch that maps each zone to a rack): a key's replicas go to distinct racks first.
    leaderless: { n: 3, w: 2, r: 2, sloppyQuorum: false, hintWindowMs: 3 * 3600 * s, readRepair: true, readRepairScope: "contacted", conflict: "lww", placement: "rack-aware" },
    consensus: etcd,
  },
  dynamo: {
    summary: "Dynamo (SOSP 2007): N=3, R=2, W=2, sloppy quorum with hinted handoff, vector clocks",
    electedBy: "store",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "Dynamo paper, 2007",
    failover: baseFailover,
    applyRate: 50_000,
    commit: "local",
    strict: false,
    degradeAfterMs: 0,
    managedSync: false,
    lowersSyncCount: false,
    implicitSync: "none",
    syncSetPolicy: "named",
    leaderless: { n: 3, w: 2, r: 2, sloppyQuorum: true, hintWindowMs: 3 * 3600 * s, readRepair: true, readRepairScope: "all-replies", conflict: "vector-clock", placement: "ring" },
    consensus: etcd,
  },
  aurora: {
    summary: "Aurora PostgreSQL/MySQL with a replica: quorum storage (no acknowledged write lost), failover usually under 30-60s",
    electedBy: "managed",
    promotesFailedLeader: false,
    replicasServeReads: true,
    sharedStorage: true,
    replacesFailedLeaderMs: 10 * 60 * s,
    walSenderTimeoutMs: null,
    version: "Aurora, 2026 documentation",
    failover: {
      ...baseFailover,
      detection: { kind: "heartbeat", intervalMs: 2 * s, misses: 5 },
      fencing: "stonith",
      fencingMs: 1 * s,
      electionMs: 1 * s,
      promotionMs: 10 * s,
      endpoint: { kind: "dns", ttlMs: 5 * s, staleShare: 0.02, staleForMs: 30 * s },
    },
    applyRate: 100_000,
    commit: "on",
    strict: false,
    degradeAfterMs: 0,
    managedSync: true,
    lowersSyncCount: false,
    // A commit waits for the shared volume's write quorum (sharedStorage: 4 of 6 copies across 3 zones), never for
    // the readers, which replay the redo stream asynchronously: losing or slowing them never stops the writer.
    implicitSync: "none",
    syncSetPolicy: "named",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
  "rds-multi-az": {
    summary: "RDS Multi-AZ instance: one synchronous standby, failover typically 60-120s, DNS endpoint",
    electedBy: "managed",
    promotesFailedLeader: false,
    replicasServeReads: false,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "Amazon RDS, 2026 documentation",
    failover: {
      ...baseFailover,
      detection: { kind: "heartbeat", intervalMs: 5 * s, misses: 6 },
      fencing: "stonith",
      fencingMs: 5 * s,
      electionMs: 1 * s,
      promotionMs: 30 * s,
      endpoint: { kind: "dns", ttlMs: 5 * s, staleShare: 0.02, staleForMs: 60 * s },
    },
    applyRate: 20_000,
    commit: "on",
    // RDS keeps the primary writing while it replaces a lost standby.
    strict: false,
    degradeAfterMs: 0,
    managedSync: true,
    lowersSyncCount: false,
    implicitSync: "majority",
    syncSetPolicy: "named",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
  "etcd-raft": {
    summary: "Raft as etcd runs it: heartbeat 100ms, election timeout 1s, clients that reach any member",
    electedBy: "members",
    promotesFailedLeader: true,
    replicasServeReads: true,
    sharedStorage: false,
    replacesFailedLeaderMs: null,
    walSenderTimeoutMs: null,
    version: "etcd 3.4+",
    failover: {
      ...baseFailover,
      detection: { kind: "heartbeat", intervalMs: 100, misses: 10 },
      fencing: "lease",
      electionMs: 100,
      promotionMs: 0,
      // etcd's client (clientv3) holds connections to the members and retries another at once, and any member
      // passes a proposal on to the leader: no proxy's health checks in the way. Checks every 100 ms that mark a
      // member up on one pass stand for that.
      endpoint: { kind: "proxy", checkIntervalMs: 100, checkTimeoutMs: 100, rise: 1, fall: 1 },
      // Followers take the new leader's first heartbeat (AppendEntries) and follow it: no slots, no reload.
      restream: { kind: "heartbeat", intervalMs: etcd.heartbeatMs },
    },
    applyRate: 20_000,
    commit: "on",
    strict: true,
    degradeAfterMs: 0,
    managedSync: true,
    lowersSyncCount: false,
    implicitSync: "majority",
    // A Raft entry commits once a majority has it in its log, whichever members they are.
    syncSetPolicy: "whoever-acknowledges",
    leaderless: defaultLeaderless,
    consensus: etcd,
  },
};

export const DEFAULT_PRESET: PresetName = "patroni";

/**
 * The built-in defaults that no preset varies: every key a topology may leave
 * out and that its preset does not decide. The resolver reads its fallbacks
 * from here and from the preset, never from a literal of its own.
 */
export const TOPOLOGY_DEFAULTS = {
  node: { role: "replica" as const, nofailover: false, nosync: false, failoverPriority: 1 },
  sync: { whenNone: "block" as const },
  leaderFollower: { batchMs: 0 },
  leaderless: { vnodes: 16 },
  multiLeader: { conflict: "lww" as const, routing: "any" as const },
  failover: {
    /** loop_wait and retry_timeout for a `ttl:` lease under a preset that detects by heartbeats: Patroni's. */
    lease: { loopWaitMs: patroniDetection.loopWaitMs, retryTimeoutMs: patroniDetection.retryTimeoutMs },
    /** An endpoint switched to DNS under a preset whose endpoint is a proxy. */
    dns: { ttlMs: 60 * s, staleShare: 0, staleForMs: 0 },
    /** An endpoint switched to a proxy under a preset whose endpoint is DNS. */
    proxy: { checkIntervalMs: 1 * s, checkTimeoutMs: 1 * s, rise: 1, fall: 3 },
    /** Power-off time when `fencing: stonith` is chosen under a preset that does not fence by STONITH. */
    stonithFencingMs: 2 * s,
  },
  /** The cross-region median a consensus election's round trip uses when a latency gives no median. */
  crossRegionMedianMs: 35,
  backups: {
    archiveTimeoutMs: 60 * s,
    periodicEveryMs: 300 * s,
    /** With a WAL archive; without one there is no point-in-time restore at all. */
    pitrWindowMs: 7 * day,
    restore: { throughputBytes: 200 * 1024 ** 2, walReplayBytes: 50 * 1024 ** 2, dataSizeBytes: 100 * 1024 ** 3 },
    detectionMs: 0,
    drillEveryMs: 30 * day,
    logical: { everyMs: day, retainMs: 90 * day },
    /**
     * Rows written through SQL against files copied: a logical restore (pg_restore, even with -j) re-inserts every
     * row and rebuilds every index and constraint, and a merge writes rows back into a live table; both default to
     * this fraction of the physical restore throughput.
     */
    sqlShareOfCopy: 0.25,
    auditLog: false,
    unqualifiedDml: "allow" as const,
  },
  dataClass: { consistency: "eventual" as const },
};

/** The built-in defaults of a scenario's optional keys. */
export const SCENARIO_DEFAULTS = {
  seed: 1,
  workload: { reads: 0, clients: 100, keys: 10_000, writeSizeBytes: 1024, timeoutMs: 1000 },
  badWrite: { rows: 1 },
};

/** The preset a resolved topology names (the built-in default when it names none the engine knows). */
export function presetOf(topology: { preset: string }): Preset {
  return (PRESETS as Record<string, Preset | undefined>)[topology.preset] ?? PRESETS[DEFAULT_PRESET];
}
