// The resolved model: every optional key filled from the preset or the built-in
// defaults, every value in base units (milliseconds, bytes, fractions). The
// engine and the linter read only these types, never raw YAML.
import type { CommitLevel, Latency, Workload, ExpectationValue } from "./schema.js";
import type { Detection, Endpoint, Restream } from "../base/failover-timing.js";
export type { Detection, Endpoint, Restream };
import type { SyncStandbys } from "../base/units.js";
import type { CompiledExpectations } from "./expectations.js";
import type { DerivedSettings } from "./derived-types.js";

export type { CommitLevel, Latency };

export interface ResolvedNode {
  name: string;
  index: number;
  region: string;
  /** The full zone name, "region/zone". */
  zone: string;
  role: "leader" | "replica";
  nofailover: boolean;
  nosync: boolean;
  failoverPriority: number;
  applyRate: number;
}

/** A MongoDB arbiter: a member of the replica set that votes in elections and holds no data (never a leader, never a replica). */
export interface ResolvedArbiter {
  name: string;
  region: string;
  /** The full zone name, "region/zone". */
  zone: string;
}

export interface SyncSettings extends SyncStandbys {
  commit: CommitLevel;
  strict: boolean;
  /** The failover manager re-picks sync standbys among healthy replicas (Patroni); false: the static list only. */
  managed: boolean;
  /**
   * The count is "up to" (Patroni's synchronous_node_count): with fewer eligible standbys streaming, the failover
   * manager names those it has and asks for that many, down to one in strict mode (none otherwise: then the
   * leader goes asynchronous); it raises the count again as standbys come back. False: FIRST/ANY k waits for k.
   */
  lowersCount: boolean;
  /** With strict false: how long a commit waits for sync acks before the leader degrades to async. */
  degradeAfterMs: number;
  /** Strict mode with no proper sync standby named: commits wait ("block") or any streaming standby acknowledges ("any-standby", '*'). */
  whenNone: "block" | "any-standby";
  /** Whether a failover manager names the standbys a commit waits for, or whoever acknowledges counts: the preset's system's rule. */
  setPolicy: SyncSetPolicy;
}

/**
 * How the standbys a commit waits for are chosen: the rule of the preset's system, which the engine applies in
 * one place (engine/leader-follower/sync-set.ts, namesStandbys).
 * - "named": a failover manager names them at its HA loop and publishes them before they count (Patroni's
 *   synchronous_mode: synchronous_standby_names and the /sync key). A strict leader just promoted has none named
 *   until its first loop, and a standby too far behind is not named. A static list (managed: false) is named too,
 *   by whoever wrote it.
 * - "whoever-acknowledges": nobody names any. A commit waits for `count` acknowledgements from whichever
 *   candidates replicate from the leader, however far behind they are: MongoDB's w: "majority" (a majority of the
 *   voting members, the primary included, has the write in its journaled oplog), MySQL semi-sync's
 *   rpl_semi_sync_source_wait_for_replica_count, a Raft majority. A new leader's commits wait only for members to
 *   start replicating from it.
 */
export type SyncSetPolicy = "named" | "whoever-acknowledges";

export type ResolvedReplication =
  /** walSenderTimeoutMs: wal_sender_timeout, the file's or the preset's (null: a system that is not PostgreSQL keeps no silent standby). */
  | { mode: "leader-follower"; sync: SyncSettings | null; applyRate: number; batchMs: number; walSenderTimeoutMs: number | null }
  | LeaderlessReplication
  /** clockSkewMs: per node, its clock's offset (a leader stamps its writes with it; last-write-wins compares those stamps). */
  | { mode: "multi-leader"; leaders: string[]; conflict: "lww" | "crdt" | "app"; routing: "home-region" | "any"; applyRate: number; clockSkewMs: Record<string, number> }
  | { mode: "consensus"; members: string[]; electionTimeoutMs: number; heartbeatMs: number };

/** The settings of a leaderless (Dynamo-style) cluster. */
export interface LeaderlessReplication {
  mode: "leaderless";
  n: number;
  w: number;
  r: number;
  sloppyQuorum: boolean;
  hintWindowMs: number;
  readRepair: boolean;
  /**
   * Whose stale copies a read repairs (the preset's): only the replicas whose replies decided the read (Cassandra's
   * blocking repair of the replicas the consistency level contacted), or every replica that replied, late ones
   * included (Dynamo and Riak ask all N and repair each stale reply once all are in).
   */
  readRepairScope: "contacted" | "all-replies";
  conflict: "lww" | "vector-clock";
  vnodes: number;
  /** How a key's N replicas are chosen on the ring: the first N distinct nodes, or distinct zones (racks) first. */
  placement: "ring" | "rack-aware";
  clockSkewMs: Record<string, number>;
}



export interface ResolvedFailover {
  mode: "automatic" | "manual";
  operatorDelayMs: number;
  detection: Detection;
  /** Where the coordinator's (consensus store's) members are: regions or "region/zone"; a node needs a majority. */
  coordinator: string[];
  fencing: "stonith" | "lease" | "none";
  fencingMs: number;
  election: "highest-lsn" | "priority";
  electionMs: number;
  maximumLagBytes: number;
  laggingCandidates: "wait" | "promote";
  promotionMs: number;
  endpoint: Endpoint;
  reconnect: { backoffMs: number; maxMs: number; jitter: "full" | "equal" | "none" };
  acceptRate: number;
  /** How the surviving replicas come to stream from a new leader: the preset's system's rule (a heartbeat one follows the detection's heartbeats). */
  restream: Restream;
  /**
   * The keys of the file's `failover:` block a consensus group does not use: its members elect the
   * leader among themselves by their own election timeout and heartbeat, with no external store (`coordinator`),
   * no lease or heartbeat count of its own (`detection`), no operator (`mode`), no fencing step (`fencing`,
   * `fencing_time`: the quorum fences), no election rule or time (`election`, `election_time`: the members'
   * votes, a round trip), no lag rule (`maximum_lag_on_failover`, `lagging_candidates`: a member votes only for a
   * log at least as up to date as its own) and no promotion step (`promotion`); listed in the schema's order.
   * Absent when there are none (and outside mode consensus). `operator_delay` is used (a person acting when no
   * election can restore service, the region-loss recovery), as are `endpoint`, `reconnect` and `accept_rate`.
   */
  unused?: ConsensusUnusedKey[];
}

/** A `failover:` key a consensus group ignores (see ResolvedFailover.unused), as the file spells it. */
export type ConsensusUnusedKey =
  | "mode"
  | "detection"
  | "coordinator"
  | "fencing"
  | "fencing_time"
  | "election"
  | "election_time"
  | "maximum_lag_on_failover"
  | "lagging_candidates"
  | "promotion";

export interface ResolvedBackups {
  walArchive: { mode: "continuous" | "periodic" | "none"; archiveTimeoutMs: number; everyMs: number; region: string | null };
  baseBackups: { everyMs: number; retainMs: number; region: string | null; copyTo: string | null } | null;
  pitrWindowMs: number;
  /** mergeBytes: extracting the damaged rows from the restored copy and merging them back into production (bytes/s). */
  restore: { throughputBytes: number; walReplayBytes: number; dataSizeBytes: number; mergeBytes: number };
  detectionMs: number;
  /** `automated`: a scheduled job runs the drill and alerts on failure; the file need not carry its date. */
  drill: { everyMs: number; last: string | null; automated: boolean } | null;
  /** restoreBytes: how fast pg_restore reloads a dump (bytes/s), rows re-inserted and indexes rebuilt. */
  logical: { classes: string[]; everyMs: number; retainMs: number; restoreBytes: number } | null;
  auditLog: boolean;
  guards: { unqualifiedDml: "block" | "allow" };
}

export type ReadRouting = { kind: "leader" } | { kind: "session" } | { kind: "any" } | { kind: "max_lag"; bytes: number } | { kind: "max_lag"; ms: number };
/** A staleness budget: how far behind a replica may be, in bytes of WAL or in time (Infinity: not bounded that way). */
export interface LagBudget {
  bytes: number;
  ms: number;
}


export interface ResolvedClass {
  name: string;
  index: number;
  rpoMs: number;
  rtoMs: number;
  share: number;
  consistency: "strong" | "read-your-writes" | "eventual";
  commit: CommitLevel;
  reads: ReadRouting;
  r: number | null;
  w: number | null;
}

export interface ResolvedTopology {
  name: string;
  description: string | null;
  preset: string;
  regions: Record<string, string[]>;
  network: { sameZone: Latency; crossZone: Latency; crossRegion: Latency };
  nodes: ResolvedNode[];
  /** Voting members that hold no data (MongoDB arbiters); not among `nodes`. Empty for every other system. */
  arbiters: ResolvedArbiter[];
  /** The initial leader (leader/follower), or null in leaderless and multi-leader modes. */
  leader: string | null;
  replication: ResolvedReplication;
  fsync: Latency;
  failover: ResolvedFailover;
  /** null when the topology has no `backups:` block at all. */
  backups: ResolvedBackups | null;
  dataClasses: ResolvedClass[];
  ignore: string[];
  /** Settings computed from the ones above (majorities, detection timing), once, by the loader. */
  derived: DerivedSettings;
}

/**
 * A scheduled fault, discriminated on `kind`. Beside each name the loader
 * stores its index: a node's into topology.nodes, a zone's into
 * topology.derived.zones, a region's into topology.derived.regions, so that
 * the engine never looks a name up again.
 */
export type ResolvedFault =
  | { atMs: number; kind: "crash"; node: string; nodeIndex: number; forMs: number | null }
  /**
   * The index is optional here only because the engine synthesises recover
   * events at the end of a crash or a loss from the name alone; the loader
   * always sets it.
   */
  | { atMs: number; kind: "recover"; node: string; nodeIndex?: number }
  /** `sides` lists the nodes on each side; `zones` the zones ("region/zone") each side covers, which places clients. */
  | { atMs: number; kind: "partition"; sides: string[][]; sideIndices: number[][]; zones: string[][]; zoneIndices: number[][]; forMs: number | null }
  | { atMs: number; kind: "heal" }
  | { atMs: number; kind: "stall"; node: string; nodeIndex: number; forMs: number | null }
  | { atMs: number; kind: "slow"; node: string; nodeIndex: number; applyRate: number; forMs: number | null }
  /** `zones`: the zones each side covers (as a partition's), whose clients and coordinator members the delay reaches too. */
  | { atMs: number; kind: "latency"; between: [string[], string[]]; betweenIndices: [number[], number[]]; zones: [string[], string[]]; addMs: number; forMs: number | null }
  /**
   * `target` is a zone or a region; `regionIndex` is its region. The indices
   * are optional only because tests build loss faults by hand; the loader
   * always sets them.
   */
  | { atMs: number; kind: "lose"; target: string; nodes: string[]; zones: string[]; nodeIndices?: number[]; zoneIndices?: number[]; regionIndex?: number; forMs: number | null }
  | { atMs: number; kind: "bad_write"; dataClass: string; classIndex: number; statement: "update-all" | "delete" | "drop"; rows: number; noticedAfterMs: number }
  | { atMs: number; kind: "archive_fails"; forMs: number | null }
  | { atMs: number; kind: "promote_fails"; node: string; nodeIndex: number }
  | { atMs: number; kind: "rebuild"; node: string; nodeIndex: number }
  | { atMs: number; kind: "restore_drill" };

/** The kinds of fault, for exhaustive switches. */
export type FaultKind = ResolvedFault["kind"];

export interface ResolvedWorkload {
  writes: number;
  reads: number;
  clients: number;
  keys: number;
  writeSizeBytes: number;
  timeoutMs: number;
  zones: string[];
}

export interface ResolvedScenario {
  name: string;
  description: string | null;
  file: string;
  topologyFile: string | null;
  topology: ResolvedTopology;
  /** The run's seed: the file's `seed:`, else SCENARIO_DEFAULTS.seed; `--seed` replaces it through withSeed (scenario.ts). */
  seed: number;
  durationMs: number;
  workload: ResolvedWorkload;
  faults: ResolvedFault[];
  /** The `expect:` block as written (for display, and for callers that filter it by key). */
  expect: Record<string, ExpectationValue>;
  /** The same block read once by the loader: what the engine evaluates after every run. */
  expectations: CompiledExpectations;
  ignore: string[];
}

export type { Workload };
