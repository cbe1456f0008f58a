// The leader/follower shape's state: one leader appends writes to its WAL and
// streams it to replicas. Every rule of the shape reads and changes this state
// through the functions beside it (commit, sync-set, rejoin, faults, election,
// reads); shape.ts dispatches the core's events to them.
import { LIMITS } from "../../base/limits.js";
import { Rng } from "../../base/rng.js";
import type { LagBudget, ResolvedNode, SyncSettings } from "../../model/types.js";
import { lagBudgetOf } from "../core/state.js";
import { Core, EV } from "../core.js";
import { WAL_RETRIEVE_RETRY_MS, revokeDelayMs } from "../../base/failover-timing.js";
import { SharedVolume } from "./storage.js";
import { fastSampler, type Sampler } from "../../base/distributions.js";
import { ACK_APPLY, ACK_FLUSH, ACK_WRITE, ReplicaStream } from "../replica-stream.js";
import { ACKED } from "../write-log.js";
import { EpochWrites } from "./epoch-writes.js";
import { ReadPools } from "./read-pools.js";
import type { BlockedInterval, WriterInterval } from "../history.js";
import { firstCandidateTripMs } from "./replica-set-votes.js";

export const COMMIT_OFF = -2;
export const COMMIT_LOCAL = -1;
/** Which acknowledgement a commit level waits for (or none: off, local). */
export const LEVEL_INDEX: Record<string, number> = { off: COMMIT_OFF, local: COMMIT_LOCAL, remote_write: ACK_WRITE, on: ACK_FLUSH, remote_apply: ACK_APPLY };
/**
 * PostgreSQL's WAL writer wakes every wal_writer_delay (default 200 ms) and flushes the WAL written so far: the
 * flush that makes an asynchronous commit (synchronous_commit = off) durable when no later synchronous commit's
 * flush covers it first. It ticks from the moment the node's server started: a restart in the run, or for a
 * server already running at t = 0 a moment in steady state, a seeded phase within one delay before it (so a crash
 * falls anywhere in the writer's cycle, not at the same point of it for every seed).
 */
export const WAL_WRITER_DELAY_MS = 200;
/** Salt of the stream the WAL writers' starting phases are drawn from (its own, so no other draw moves). */
const WAL_WRITER_PHASE_SALT = 0x3a17e5;

/**
 * When each node's WAL writer last ticked at or before t = 0 under `seed` (ms, in (−WAL_WRITER_DELAY_MS, 0]): a
 * server running in steady state when the run starts, its cycle at a seeded phase. Ticks fall at this plus
 * multiples of the delay until the node restarts.
 */
export function walWriterStartPhasesMs(seed: number, nodes: number): Float64Array {
  const phases = new Rng((seed ^ WAL_WRITER_PHASE_SALT) >>> 0);
  const out = new Float64Array(nodes);
  for (let i = 0; i < nodes; i++) out[i] = -phases.next() * WAL_WRITER_DELAY_MS;
  return out;
}
/** Salt of the stream the Patroni members' HA loop phases are drawn from (its own, so no other draw moves). */
const MEMBER_LOOP_PHASE_SALT = 0x5e11d0;

/**
 * Where each node's own HA loop stands in its cycle under `seed`, a share of loop_wait in [0, 1): every Patroni
 * member refreshes its member key in the DCS at its own loops, which are not in step with the leader's.
 */
export function memberLoopPhases(seed: number, nodes: number): Float64Array {
  const phases = new Rng((seed ^ MEMBER_LOOP_PHASE_SALT) >>> 0);
  const out = new Float64Array(nodes);
  for (let i = 0; i < nodes; i++) out[i] = phases.next();
  return out;
}

/** Throughput of a catch-up stream after a disconnect (bytes/ms): about 100 MB/s. */
export const CATCH_UP_BYTES_PER_MS = 100 * 1024;
/** Patroni restarts a crashed node and pg_rewind rejoins it in a few seconds (measured on a live cluster: ~3.5 s). */
export const REJOIN_DELAY_MS = 3500;
/** A Raft member (etcd) restarts and catches up from the leader's log through AppendEntries: no rewind, about a second to start. */
export const RAFT_RESTART_MS = 1000;

export type Role = "leader" | "replica" | "down" | "rebuilding";

/** A commit rule (see LeaderFollowerState.ruleFirst): FIRST over syncSet, or the ruleCount-th acknowledgement among ruleMembers. */
export interface CommitRule {
  readonly ruleFirst: boolean;
  readonly syncSet: number[];
  readonly ruleMembers: number[];
  readonly ruleCount: number;
}

/** A write's place on a timeline and the acknowledgement level its commit waits for. */
export interface SyncPoint {
  epoch: number;
  lsn: number;
  level: number;
}

export class LeaderFollowerState implements CommitRule {
  readonly nodes: ResolvedNode[];
  readonly role: Role[];
  readonly streams: ReplicaStream[];
  /** Which acting leader each replica follows (−1: none). */
  readonly following: Int16Array;
  readonly applyRate: Float64Array;
  readonly fsync: Sampler;
  /** A shared quorum volume (Aurora): the writer's flushes go to it (null: each node flushes its own disk). */
  readonly volume: SharedVolume | null = null;
  readonly sync: SyncSettings | null;
  readonly syncNames: number[];
  /** Per acting leader: WAL position and group-commit state. */
  readonly lsn: Float64Array;
  readonly nodeEpoch: Int32Array;
  /** The flush under way (or the last one): when it ends and the LSN it covers. */
  readonly flushEnd: Float64Array;
  readonly flushLsn: Float64Array;
  /** The flush queued behind it (NaN: none), starting when it ends, and the LSN it covers so far. */
  readonly nextFlushEnd: Float64Array;
  readonly nextFlushLsn: Float64Array;
  /** The LSN on disk through flushes already over (see flushedLsn). */
  readonly durableLsn: Float64Array;
  /** How many asynchronous commits (commit: off) at the end of the node's WAL wait for a flush. */
  readonly asyncPending: Int32Array;
  /** The WAL writer's next queued tick (NaN: none), and the moment its ticks count from (the server's start). */
  readonly walWriterAt: Float64Array;
  readonly walWriterPhaseMs: Float64Array;
  /** Where each node's own HA loop stands in its cycle (a share of loop_wait): when it refreshes its member key. */
  readonly memberLoopPhase: Float64Array;
  readonly stallUntil: Float64Array;
  /** The WAL sender's send interval (wal_sender_batch), ms: 0 ships each flush as it completes. */
  readonly senderBatchMs: number;
  /**
   * When the leader's new log entries leave for the followers: at their append, in parallel with its own flush
   * (a Raft leader: etcd's raft loop sends a Ready's messages to the followers, then saves its entries to its WAL;
   * the Raft thesis, §10.2.1), or once its own flush has ended (PostgreSQL's walsender sends only WAL flushed
   * locally, and so do the other leader/follower systems modelled). A Raft commit then costs about
   * max(leader flush, round trip + follower flush), not their sum; the client still waits for the leader's own
   * flush (commitTime), as etcd applies an entry only once its own WAL holds it.
   */
  readonly shipsOnAppend: boolean;
  readonly promoteFails: Uint8Array;
  /** Per replica, the last batch's departure and sampled latencies (writes in one flush share them). */
  readonly batchDeparture: Float64Array;
  readonly batchLatency: Float64Array;
  readonly batchBack: Float64Array;
  readonly batchFsync: Float64Array;
  /** The official leader (holder of the lease in the coordinator). */
  official: number;
  lastRenewalMs = 0;
  renewals = 0;
  /** The leader's LSN as last written to the coordinator (for maximum_lag_on_failover). */
  leaseLsn = 0;
  failoverInProgress = false;
  failedCandidates = new Set<number>();
  syncSet: number[] = [];
  degraded = false;
  blockedSinceMs = NaN;
  /**
   * Semi-sync (non-strict with degrade_after): how long a commit may wait for its acknowledgements (Infinity: no
   * limit), when the oldest commit known to wait longer runs out of time (NaN: none), and which write that is.
   */
  readonly semiSyncTimeoutMs: number;
  degradeAtMs = NaN;
  semiSyncWait: SyncPoint | null = null;
  /** The leader's newest write when it went asynchronous: a standby that acknowledges it has caught up. */
  degradedAt: SyncPoint | null = null;
  /**
   * A deposed semi-sync source that still runs as a leader (nothing fenced it) keeps its own timer: its standbys
   * now follow someone else, so its commits wait degrade_after and then it commits alone. Per node: whether it
   * went asynchronous, when its oldest waiting commit runs out of time (NaN: none) and which write that is.
   */
  readonly deposedAsync: Uint8Array;
  readonly deposedDegradeAtMs: Float64Array;
  readonly deposedWait: (SyncPoint | null)[];
  /**
   * Per node: the commit rule it had when it was deposed, if it still runs as a leader (nothing fenced it). Its
   * synchronous_standby_names are its own, not the new leader's: it keeps waiting for the standbys it named (which
   * now follow someone else), whatever the new leader's rule asks for, until it leads again. Null: never deposed.
   */
  readonly deposedRule: (CommitRule | null)[];
  /** The synchronous standbys as last published to the coordinator, and whether it was told the leader runs async. */
  dcsSync: number[] = [];
  /** How many of them a commit waited for when they were published (a lowered count: fewer than asked for). */
  dcsCount = 0;
  /** When each replica's stream last broke (a crash, a partition, a rebuild); NaN once it streams again. */
  readonly streamLostMs: Float64Array;
  /** The last moment the acting leader's commit rule had every standby it needed (NaN: not since it leads), and that leader. */
  satisfiedMs = NaN;
  satisfiedLeader = -1;
  /** The silent standbys the timeline last said commits wait for, each with when it went silent (standbysWentSilent). */
  silentNoted = "";
  dcsDegraded = false;
  lastNoCandidate = "";
  /** The failover (by its start) for which a new instance is being created for the failed leader (replaceFailedLeaderLater; NaN: none). */
  replacingSince = NaN;
  /** Replicas whose stream a partition broke (they reconnect when it heals). */
  readonly disconnected: Uint8Array;
  readonly crashedAsLeader: Uint8Array;
  /** Per timeline, its writes above the settled LSN, in LSN order. */
  readonly epochWrites: EpochWrites[] = [new EpochWrites()];
  /** Which nodes' leases are still running while they are cut off (for self-demotion). */
  readonly selfDemoteAt: Float64Array;
  /** When a demoted key holder started read-only, waiting for its next HA loop to promote it (see session-lock.ts); NaN otherwise. */
  readonly startedWithKeyMs: Float64Array;
  /** A Raft member that came back votes and campaigns only once it has restarted (0: up all along). */
  readonly memberUpAtMs: Float64Array;
  /**
   * Each node runs one HA loop. Its ticks carry the loop's number; a promotion starts a new loop, and a tick of an
   * older loop of the same node (one still queued from an earlier term) ends there instead of running beside it.
   */
  readonly haLoop: Uint32Array;
  lagAlert: Uint8Array;
  /** The lag level of each replica's previous sample (alerts need two in a row). */
  readonly lagLevelBefore: Uint8Array;
  fallingBehindReported: Uint8Array;
  lagRising: Uint16Array;
  lastLagBytes: Float64Array;
  failoverStartMs = NaN;
  /** When the winner of the last election took the leader key. */
  leaderKeyMs = 0;
  /** The elected candidate's promotion under way: who, and when it completes (its replay done, at the earliest). */
  promotingNode = -1;
  promotionDoneMs = NaN;
  /** A promoted strict-sync leader whose HA loop has not yet named a synchronous standby. */
  awaitingSyncChoice = false;
  /** The acting leader was promoted again on the leader key it still held (session lock), not elected. */
  leadsAgain = false;
  /**
   * When the last promoted leader began to wait for a synchronous standby before acknowledging synchronous
   * commits (NaN: it is not waiting): the failover's sync phase, which runs beside the endpoint switch.
   */
  syncWaitSinceMs = NaN;
  /** Whether replica r's WAL receiver is connected (false while it rejoins, rewinds or retries). */
  readonly connected: Uint8Array;
  /** A WAL receiver retry is queued for replica r (it retries every wal_retrieve_retry_interval until it streams). */
  readonly retryQueued: Uint8Array;
  /** When a replica re-pointed at a new leader first streams from it (earlier retries still try the old address). */
  readonly repointedStreamMs: Float64Array;
  /** History for the checkers: when each node became a writable leader (NaN: it is not one), and the closed stretches. */
  readonly writerSinceMs: Float64Array;
  readonly writerLog: WriterInterval[] = [];
  readonly blockedLog: BlockedInterval[] = [];

  /** Per data class, the acknowledgement its commit level waits for. */
  readonly classAckLevel: Int8Array;

  constructor(readonly core: Core) {
    const topology = core.topology;
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" && replication.mode !== "consensus") throw new Error("assertion: leader/follower shape on another mode");
    this.nodes = topology.nodes;
    this.classAckLevel = new Int8Array(topology.dataClasses.map((c) => LEVEL_INDEX[c.commit]));
    const n = this.nodes.length;
    // Node indices live in Int16Arrays and a commit rule's acknowledgements in a scratch array of the node limit.
    if (n > LIMITS.nodes) throw new Error(`assertion: ${n} nodes exceed the limit of ${LIMITS.nodes} the model enforces`);
    this.official = this.nodes.findIndex((x) => x.name === topology.leader);
    this.role = this.nodes.map((x, i) => (i === this.official ? "leader" : "replica"));
    // One pool per distinct staleness budget among the classes (reads: { max_lag }).
    const budgets: LagBudget[] = [];
    for (const c of topology.dataClasses) {
      const r = lagBudgetOf(c.reads);
      if (c.reads.kind === "max_lag" && !budgets.some((b) => b.bytes === r.bytes && b.ms === r.ms)) budgets.push(r);
    }
    this.readPools = new ReadPools(n, topology.failover.endpoint.kind === "proxy", budgets);
    this.streams = this.nodes.map(() => new ReplicaStream());
    this.following = new Int16Array(n).fill(this.official);
    this.following[this.official] = -1;
    this.applyRate = new Float64Array(this.nodes.map((x) => x.applyRate));
    this.senderBatchMs = replication.mode === "leader-follower" ? replication.batchMs : 0;
    this.shipsOnAppend = replication.mode === "consensus";
    this.fsync = fastSampler(topology.fsync);
    if (topology.derived.system.sharedStorage) {
      // The volume lives in the first writer's region, its zone first; a later writer reaches the same copies.
      const zone = this.nodes[this.official].zone;
      const region = zone.split("/")[0];
      const zones = [zone, ...topology.regions[region].map((z) => `${region}/${z}`).filter((z) => z !== zone)];
      this.volume = new SharedVolume(core.network, this.fsync, zones);
    }
    // A consensus group commits on a majority: the leader plus ⌊N/2⌋ of the other members, whichever answer first.
    this.sync =
      replication.mode === "leader-follower"
        ? replication.sync
        : { method: "any", count: Math.floor(n / 2), names: this.nodes.filter((_, i) => i !== this.official).map((x) => x.name), commit: "on", strict: true, managed: false, lowersCount: false, degradeAfterMs: 0, whenNone: "block", setPolicy: "whoever-acknowledges" };
    this.semiSyncTimeoutMs = this.sync && !this.sync.strict && this.sync.degradeAfterMs > 0 ? this.sync.degradeAfterMs : Infinity;
    this.dcsCount = this.sync ? this.sync.count : 0;
    this.streamLostMs = new Float64Array(n).fill(NaN);
    this.syncNames = this.sync ? this.sync.names.map((name) => this.nodes.findIndex((x) => x.name === name)) : [];
    this.lsn = new Float64Array(n);
    this.nodeEpoch = new Int32Array(n);
    this.flushEnd = new Float64Array(n);
    this.flushLsn = new Float64Array(n);
    this.nextFlushEnd = new Float64Array(n).fill(NaN);
    this.nextFlushLsn = new Float64Array(n);
    this.durableLsn = new Float64Array(n);
    this.asyncPending = new Int32Array(n);
    this.walWriterAt = new Float64Array(n).fill(NaN);
    this.walWriterPhaseMs = walWriterStartPhasesMs(core.seed, n);
    this.memberLoopPhase = memberLoopPhases(core.seed, n);
    this.stallUntil = new Float64Array(n);
    this.promoteFails = new Uint8Array(n);
    this.batchDeparture = new Float64Array(n).fill(NaN);
    this.batchLatency = new Float64Array(n);
    this.batchBack = new Float64Array(n);
    this.batchFsync = new Float64Array(n);
    this.selfDemoteAt = new Float64Array(n).fill(NaN);
    this.newTermReachesMs = new Float64Array(n).fill(NaN);
    this.startedWithKeyMs = new Float64Array(n).fill(NaN);
    this.memberUpAtMs = new Float64Array(n);
    this.timerFiresAtMs = new Float64Array(n).fill(NaN);
    this.haLoop = new Uint32Array(n);
    this.lagAlert = new Uint8Array(n);
    this.lagLevelBefore = new Uint8Array(n);
    this.fallingBehindReported = new Uint8Array(n);
    this.lagRising = new Uint16Array(n);
    this.lastLagBytes = new Float64Array(n);
    this.disconnected = new Uint8Array(n);
    this.crashedAsLeader = new Uint8Array(n);
    this.connected = new Uint8Array(n).fill(1);
    this.connected[this.official] = 0;
    this.retryQueued = new Uint8Array(n);
    this.repointedStreamMs = new Float64Array(n);
    this.writerSinceMs = new Float64Array(n).fill(NaN);
    this.deposedAsync = new Uint8Array(n);
    this.deposedDegradeAtMs = new Float64Array(n).fill(NaN);
    this.deposedWait = new Array<SyncPoint | null>(n).fill(null);
    this.deposedRule = new Array<CommitRule | null>(n).fill(null);
    this.writerSinceMs[this.official] = 0;
  }

  /** How long a recovered node takes to stream again: PostgreSQL under Patroni restarts (and rewinds a node that led), a Raft member only restarts. */
  rejoinDelayMs(): number {
    return this.core.topology.replication.mode === "consensus" ? RAFT_RESTART_MS : REJOIN_DELAY_MS;
  }

  /** A node that led (or crashed) follows the official leader from its own history; it rewinds when it connects. */
  becomeReplica(n: number, now: number): void {
    const wasLeader = this.role[n] === "leader";
    this.role[n] = "replica";
    this.newTermReachesMs[n] = NaN;
    this.connected[n] = 0;
    this.trackWriter(n, now);
    if (wasLeader) this.streams[n].reset(this.lsn[n], this.nodeEpoch[n]);
    this.following[n] = this.official;
    // A Raft member that steps down restarts nothing: it follows once it hears the leader.
    const rejoin = this.core.topology.replication.mode === "consensus" ? this.nextContactMs(n, now) : now + REJOIN_DELAY_MS;
    if (this.core.network.reachable(n, this.official)) this.core.queue.push(rejoin, EV.REPLICA_CONNECT, n);
    else this.disconnected[n] = 1;
  }

  /**
   * When follower r, ready from `from`, next hears from its leader. A PostgreSQL WAL receiver that lost its
   * stream tries again after wal_retrieve_retry_interval (5 s). A Raft follower does not connect: the leader
   * sends every follower AppendEntries at each heartbeat (its first as soon as it wins), so the follower hears
   * it at the leader's first heartbeat once the follower is up (a restarting member: memberUpAtMs), plus a
   * network trip.
   */
  nextContactMs(r: number, from: number): number {
    const replication = this.core.topology.replication;
    if (replication.mode !== "consensus") return from + WAL_RETRIEVE_RETRY_MS;
    from = Math.max(from, this.memberUpAtMs[r]);
    const beats = Math.max(0, Math.ceil((from - this.leaderKeyMs) / replication.heartbeatMs));
    return this.leaderKeyMs + beats * replication.heartbeatMs + this.core.network.medianLatency(this.official, r);
  }

  /**
   * Opens or closes node n's stretch as a writable leader after any change of its role or health. A stretch that
   * closes (a crash, a demotion, a Raft step-down) is a node that stops answering a proxy's check as the primary.
   */
  trackWriter(n: number, now: number): void {
    const writer = this.role[n] === "leader" && this.core.alive[n] === 1;
    const since = this.writerSinceMs[n];
    if (writer && Number.isNaN(since)) this.writerSinceMs[n] = now;
    else if (!writer && !Number.isNaN(since)) {
      // A leader that stops leading while it waits for a standby ends its wait there.
      if (n === this.official) this.endSyncWait(now);
      this.writerLog.push({ node: n, epoch: this.nodeEpoch[n], fromMs: since, toMs: now, acksWithoutStandbys: this.acksWithoutStandbys() });
      this.writerSinceMs[n] = NaN;
      this.core.proxyNodeDown(n, now);
      // Whatever a deposed semi-sync source had switched to ends with its stretch as a leader.
      this.deposedAsync[n] = 0;
      this.deposedDegradeAtMs[n] = NaN;
      this.deposedWait[n] = null;
      // (Its rule stays: a commit it took before it stopped, still waiting, waits by that rule, not the new leader's.)
    }
  }

  /** Whether a leader can acknowledge some write with no standby streaming (no synchronous rule, or a class committing locally). */
  acksWithoutStandbys(): boolean {
    return this.sync === null || this.classAckLevel.some((level) => level === COMMIT_OFF || level === COMMIT_LOCAL);
  }

  get leaderNode(): number {
    return this.official;
  }

  /** Whether replica `r` receives `leader`'s stream right now. */
  streaming(r: number, leader: number): boolean {
    const core = this.core;
    return (
      core.alive[r] === 1 &&
      this.role[r] === "replica" &&
      this.connected[r] === 1 &&
      core.network.reachable(leader, r) &&
      this.streams[r].epoch === this.nodeEpoch[leader]
    );
  }

  /** The renewal whose voters' randomized election timers are already drawn (heartbeat detection with randomizedMs). */
  electionTimerDrawnFor = -1;
  /** When the first of those drawn timers runs out (valid for electionTimerDrawnFor). */
  electionTimerFiresAtMs = NaN;
  /**
   * A Raft group (mode consensus): when each member's own randomized election timer runs out once the heartbeats
   * stopped (NaN: none running; its CAMPAIGN event carries the renewal it was drawn after).
   */
  readonly timerFiresAtMs: Float64Array;
  /** A Raft group: the member whose campaign a majority answered, elected at the ELECTION event under way (−1: none). */
  campaigner = -1;
  /**
   * Members that vote (a Raft group, a MongoDB replica set): when the last heartbeat counted (renew) reached the
   * followers whose timers decide an election (heartbeatDelayMs).
   */
  heardMs = 0;
  /**
   * Members whose votes are sticky (etcd): when the last heartbeat counted reached the follower that decides whether
   * late heartbeats can elect anyone (heartbeatDelayMs(true)).
   */
  heardLateMs = 0;
  /**
   * A replica set whose primary's heartbeats came too late (heartbeatInTime): the one-way trip found too late, that
   * of the secondary that calls the election; the secondaries whose heartbeats take less still hear the primary and
   * do not stand. NaN while the heartbeats arrive in time.
   */
  lateTripMs = NaN;
  /** Members that vote: when the answers of a majority to the last heartbeat counted reach the leader (renew). */
  answeredMs = 0;
  /** How long the election under way takes (its ELECTION event came that long after the detection). */
  electionRunMs = 0;
  /** How long after the election under way started its candidate sent the vote request itself, the new term with it (after PreVote or a dry run). */
  voteSentAfterMs = 0;
  /** When the election under way started: the candidate sent its vote requests, carrying the new term. */
  electionStartMs = NaN;
  /**
   * Per node: when the new term reaches an old leader that the members outvoted while it was up and reached them
   * (late heartbeats): until then it still takes itself for the leader; then it steps down. NaN: none pending.
   */
  readonly newTermReachesMs: Float64Array;

  renew(now: number): void {
    this.lastRenewalMs = now;
    this.renewals++;
    this.leaseLsn = this.lsn[this.official];
    const detection = this.core.topology.failover.detection;
    // Only a lease draws the revoke tick (heartbeat runs keep their random sequence).
    const revoke = detection.kind === "lease" ? revokeDelayMs(detection, this.core.rng.next()) : 0;
    // A voting member's election timer (a Raft follower's, a MongoDB secondary's) restarts when a heartbeat reaches
    // it, a one-way trip after the leader sent it.
    const derived = this.core.topology.derived;
    const delayMs = derived.coordinator.nodesVote ? this.heartbeatDelayMs() : 0;
    // In a replica set the first secondary whose timer runs out calls the election and the others vote for it (their
    // votes are not sticky): the timer that decides is the nearest one's that could win once the primary is gone.
    const first = derived.coordinator.nodesVote && !derived.system.stickyVotes ? firstCandidateTripMs(this, now, false) : null;
    this.heardMs = now + (first !== null && first !== Infinity ? first : delayMs);
    this.heardLateMs = derived.coordinator.nodesVote && derived.system.stickyVotes ? now + this.heartbeatDelayMs(true) : this.heardMs;
    this.lateTripMs = NaN;
    // And the answers of that majority are back at the leader one more trip later (its CheckQuorum counts them).
    this.answeredMs = now + 2 * delayMs;
    this.core.queue.push(this.heardMs + this.core.topology.derived.detection.ttlMs + revoke, EV.LEASE_CHECK, this.official, this.renewals);
  }

  /**
   * How long a leader's heartbeat takes to silence an election, in a group whose members vote (Raft, a MongoDB
   * replica set, whose primary and secondaries heartbeat each other every 2 s): the link's median one way, plus any
   * added latency, to the follower that completes a majority of followers. Where votes are sticky (etcd runs with
   * CheckQuorum) a follower that has heard from the leader within its election timeout refuses its vote, so a
   * candidate needs a majority of the members whose timers ran out, leader left out: 2 of 2 followers of 3 members,
   * 3 of 4 of 5. Followers down or cut off do not count; with fewer followers left than that, the furthest one (no
   * election can win anyway). A replica set's secondaries vote whether they hear the primary or not
   * (replica-set-votes.ts decides its elections); there this trip times only the primary's view of its majority.
   *
   * `late`: the trip that decides whether heartbeats slowed down (added latency) while the leader is up can elect
   * anyone. A follower still hearing the leader refuses its vote, so a majority of the members must hear nothing:
   * the majority-th slowest follower, not the majority-th fastest. With one follower of three slowed, the other still
   * hears the leader and refuses: no election, as etcd with CheckQuorum and PreVote.
   */
  heartbeatDelayMs(late = false): number {
    const core = this.core;
    const leader = this.official;
    const delays: number[] = [];
    for (let r = 0; r < this.nodes.length; r++) {
      if (r === leader || core.alive[r] !== 1 || !core.network.reachable(leader, r)) continue;
      delays.push(core.network.medianLatency(leader, r) + core.network.addedBetween(leader, r));
    }
    if (delays.length === 0) return 0;
    delays.sort((a, b) => a - b);
    const majority = core.topology.derived.majority;
    return late ? delays[Math.max(0, delays.length - majority)] : delays[Math.min(majority, delays.length) - 1];
  }

  /**
   * Nodes that may act as synchronous standby, in priority order: the
   * configured names, then (when the failover manager manages the set, as
   * Patroni does) any other replica not tagged nosync.
   */
  candidateCache: number[] = [];
  /** The commit rule in force: FIRST over syncSet, or the ruleCount-th acknowledgement among ruleMembers. */
  ruleFirst = true;
  /** Strict mode with no proper candidate (or no standby named yet): any one streaming standby, or none, acknowledges. */
  ruleWildcard = false;
  ruleMembers: number[] = [];
  ruleCount = 1;
  /** The k earliest acknowledgements of one commit rule: k ≤ the standbys, so the node limit bounds it. */
  readonly ackScratch = new Float64Array(LIMITS.nodes);
  /** The fastest heartbeat round trips of a ReadIndex round, for readIndexMs. */
  readonly readScratch = new Float64Array(LIMITS.nodes);
  /** Which nodes the proxy sends replica reads to (read-pool.ts). */
  readonly readPools: ReadPools;

  countAckedBeyond(epoch: number, fork: number): number {
    return this.epochWrites[epoch].countAbove(this.core.log, fork, ACKED);
  }

  /** Of those, the writes of classes that commit without waiting for the synchronous rule (0 without one: then every commit is local). */
  countAckedLocalBeyond(epoch: number, fork: number): number {
    if (this.sync === null) return 0;
    return this.epochWrites[epoch].countAboveWhere(this.core.log, fork, ACKED, (cls) => this.classAckLevel[cls] === COMMIT_OFF || this.classAckLevel[cls] === COMMIT_LOCAL);
  }

  /** The wait for a synchronous standby is over (one is named, the leader degraded, or it stopped leading): its phase. */
  endSyncWait(now: number): void {
    if (Number.isNaN(this.syncWaitSinceMs)) return;
    this.core.phase("sync", this.syncWaitSinceMs, now);
    this.syncWaitSinceMs = NaN;
  }

  endBlocked(now: number): void {
    if (!Number.isNaN(this.blockedSinceMs)) this.blockedLog.push({ node: this.official, fromMs: this.blockedSinceMs, toMs: now });
    this.blockedSinceMs = NaN;
  }

  retryLater(r: number, now: number): void {
    if (this.retryQueued[r] === 1) return;
    this.retryQueued[r] = 1;
    // At least a millisecond on: a contact that just failed is not retried in the same instant.
    this.core.queue.push(Math.max(now + 1, this.nextContactMs(r, now)), EV.REPLICA_RETRY, r);
  }

  /** Write ids in the history of `epoch` with LSN above `lsn`, in LSN order. */
  historyAfter(epoch: number, lsn: number): number[] {
    const core = this.core;
    const chain: number[] = [];
    for (let e = epoch; e >= 0; e = core.epochs.parent[e]) chain.unshift(e);
    const out: number[] = [];
    for (const e of chain) {
      for (const id of this.epochWrites[e].between(core.log, lsn, core.epochs.cutoff(e, epoch))) out.push(id);
    }
    return out;
  }

  /** Latest acknowledged write visible? Used for the invariant on sync acknowledgements. */
  /** Replica r's stream (the durability checker reads what it acknowledged). */
  streamOf(r: number): ReplicaStream {
    return this.streams[r];
  }

  /**
   * (Re)schedules the promotion under way: it completes promotion time after the election, but not before the
   * candidate has replayed every write it received. A change of its apply rate moves that moment; the event for
   * the old moment is then ignored (see promoted).
   */
  schedulePromotion(now: number): void {
    const r = this.promotingNode;
    if (r < 0) return;
    const done = Math.max(this.leaderKeyMs + this.core.topology.failover.promotionMs, this.streams[r].replayDoneMs(), now);
    if (done === this.promotionDoneMs) return;
    this.promotionDoneMs = done;
    this.core.queue.push(done, EV.PROMOTED, r);
  }
}
