// The leader/follower shape: one leader appends writes to its WAL, streams it
// to replicas, commits by the synchronous rule, and is replaced by failover
// when it dies. It runs on the shared core (clock, network, clients, metrics):
// see core.ts for the workload and client side.
import type { ResolvedFault, ResolvedNode, SyncSettings } from "../model/types.js";
import { Core, EV, type Shape } from "./core.js";
import { detectionDelayMs, renewalPeriodMs, restreamMs, slotsReadyAfterPromotionMs, WAL_RETRIEVE_RETRY_MS } from "../base/failover-timing.js";
import { fastSampler, type Sampler } from "../base/distributions.js";
import { ACK_APPLY, ACK_FLUSH, ACK_WRITE, ReplicaStream } from "./replica-stream.js";
import { ACKED } from "./write-log.js";
import type { BlockedInterval, HistorySource, NodeFinalState, WriterInterval } from "./history.js";
import { formatDuration, formatSize } from "../base/units.js";

const COMMIT_OFF = -2;
const COMMIT_LOCAL = -1;
/** Which acknowledgement a commit level waits for (or none: off, local). */
const LEVEL_INDEX: Record<string, number> = { off: COMMIT_OFF, local: COMMIT_LOCAL, remote_write: ACK_WRITE, on: ACK_FLUSH, remote_apply: ACK_APPLY };
/** Throughput of a catch-up stream after a disconnect (bytes/ms): about 100 MB/s. */
const CATCH_UP_BYTES_PER_MS = 100 * 1024;
/** Patroni restarts a crashed node and pg_rewind rejoins it in a few seconds (measured on a live cluster: ~3.5 s). */
const REJOIN_DELAY_MS = 3500;
/** etcd revokes expired leases on a 500 ms tick, so a leader key outlives its ttl by up to that (live calibration). */
const LEASE_REVOKE_TICK_MS = 500;
/** Marks a REPLICA_CONNECT event that is a WAL receiver's periodic retry. */
const RETRY = 1;

type Role = "leader" | "replica" | "down" | "rebuilding";

/** The leader/follower replication shape. */
export class LeaderFollower implements Shape, HistorySource {
  private readonly nodes: ResolvedNode[];
  private readonly role: Role[];
  private readonly streams: ReplicaStream[];
  /** Which acting leader each replica follows (−1: none). */
  private readonly following: Int16Array;
  private readonly applyRate: Float64Array;
  private readonly fsync: Sampler;
  private readonly sync: SyncSettings | null;
  private readonly syncNames: number[];
  /** Per acting leader: WAL position and group-commit state. */
  private readonly lsn: Float64Array;
  private readonly nodeEpoch: Int32Array;
  private readonly flushEnd: Float64Array;
  private readonly nextFlushEnd: Float64Array;
  private readonly stallUntil: Float64Array;
  private readonly promoteFails: Uint8Array;
  /** Per replica, the last batch's departure and sampled latencies (writes in one flush share them). */
  private readonly batchDeparture: Float64Array;
  private readonly batchLatency: Float64Array;
  private readonly batchBack: Float64Array;
  private readonly batchFsync: Float64Array;
  /** The official leader (holder of the lease in the coordinator). */
  private official: number;
  private lastRenewalMs = 0;
  private renewals = 0;
  /** The leader's LSN as last written to the coordinator (for maximum_lag_on_failover). */
  private leaseLsn = 0;
  private failoverInProgress = false;
  private failedCandidates = new Set<number>();
  private syncSet: number[] = [];
  private degraded = false;
  private blockedSinceMs = NaN;
  private degradeAtMs = NaN;
  /** The synchronous standbys as last published to the coordinator, and whether it was told the leader runs async. */
  private dcsSync: number[] = [];
  private dcsDegraded = false;
  private lastNoCandidate = "";
  /** Replicas whose stream a partition broke (they reconnect when it heals). */
  private readonly disconnected: Uint8Array;
  private readonly crashedAsLeader: Uint8Array;
  private readonly epochWrites: number[][] = [[]];
  /** Which nodes' leases are still running while they are cut off (for self-demotion). */
  private readonly selfDemoteAt: Float64Array;
  private lagAlert: Uint8Array;
  /** The lag level of each replica's previous sample (alerts need two in a row). */
  private readonly lagLevelBefore: Uint8Array;
  private fallingBehindReported: Uint8Array;
  private lagRising: Uint16Array;
  private lastLagBytes: Float64Array;
  private failoverStartMs = NaN;
  /** When the winner of the last election took the leader key. */
  private leaderKeyMs = 0;
  /** A promoted strict-sync leader whose HA loop has not yet named a synchronous standby. */
  private awaitingSyncChoice = false;
  /** Whether replica r's WAL receiver is connected (false while it rejoins, rewinds or retries). */
  private readonly connected: Uint8Array;
  /** A WAL receiver retry is queued for replica r (it retries every wal_retrieve_retry_interval until it streams). */
  private readonly retryQueued: Uint8Array;
  /** When a replica re-pointed at a new leader first streams from it (earlier retries still try the old address). */
  private readonly repointedStreamMs: Float64Array;
  /** History for the checkers: when each node became a writable leader (NaN: it is not one), and the closed stretches. */
  private readonly writerSinceMs: Float64Array;
  private readonly writerLog: WriterInterval[] = [];
  private readonly blockedLog: BlockedInterval[] = [];

  /** Per data class, the acknowledgement its commit level waits for. */
  private readonly classAckLevel: Int8Array;

  constructor(private readonly core: Core) {
    const topology = core.topology;
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" && replication.mode !== "consensus") throw new Error("assertion: leader/follower shape on another mode");
    this.nodes = topology.nodes;
    this.classAckLevel = new Int8Array(topology.dataClasses.map((c) => LEVEL_INDEX[c.commit]));
    const n = this.nodes.length;
    this.official = this.nodes.findIndex((x) => x.name === topology.leader);
    this.role = this.nodes.map((x, i) => (i === this.official ? "leader" : "replica"));
    this.streams = this.nodes.map(() => new ReplicaStream());
    this.following = new Int16Array(n).fill(this.official);
    this.following[this.official] = -1;
    this.applyRate = new Float64Array(this.nodes.map((x) => x.applyRate));
    this.fsync = fastSampler(topology.fsync);
    // A consensus group commits on a majority: the leader plus ⌊N/2⌋ of the other members, whichever answer first.
    this.sync =
      replication.mode === "leader-follower"
        ? replication.sync
        : { method: "any", count: Math.floor(n / 2), names: this.nodes.filter((_, i) => i !== this.official).map((x) => x.name), commit: "on", strict: true, managed: false, degradeAfterMs: 0, whenNone: "block" };
    this.syncNames = this.sync ? this.sync.names.map((name) => this.nodes.findIndex((x) => x.name === name)) : [];
    this.lsn = new Float64Array(n);
    this.nodeEpoch = new Int32Array(n);
    this.flushEnd = new Float64Array(n);
    this.nextFlushEnd = new Float64Array(n).fill(NaN);
    this.stallUntil = new Float64Array(n);
    this.promoteFails = new Uint8Array(n);
    this.batchDeparture = new Float64Array(n).fill(NaN);
    this.batchLatency = new Float64Array(n);
    this.batchBack = new Float64Array(n);
    this.batchFsync = new Float64Array(n);
    this.selfDemoteAt = new Float64Array(n).fill(NaN);
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
    this.writerSinceMs[this.official] = 0;
  }

  /** A node that led (or crashed) follows the official leader from its own history; it rewinds when it connects. */
  private becomeReplica(n: number, now: number): void {
    const wasLeader = this.role[n] === "leader";
    this.role[n] = "replica";
    this.connected[n] = 0;
    this.trackWriter(n, now);
    if (wasLeader) this.streams[n].reset(this.lsn[n], this.nodeEpoch[n]);
    this.following[n] = this.official;
    if (this.core.network.reachable(n, this.official)) this.core.queue.push(now + REJOIN_DELAY_MS, EV.REPLICA_CONNECT, n);
    else this.disconnected[n] = 1;
  }

  /** Opens or closes node n's stretch as a writable leader after any change of its role or health. */
  private trackWriter(n: number, now: number): void {
    const writer = this.role[n] === "leader" && this.core.alive[n] === 1;
    const since = this.writerSinceMs[n];
    if (writer && Number.isNaN(since)) this.writerSinceMs[n] = now;
    else if (!writer && !Number.isNaN(since)) {
      this.writerLog.push({ node: n, epoch: this.nodeEpoch[n], fromMs: since, toMs: now, acksWithoutStandbys: this.acksWithoutStandbys() });
      this.writerSinceMs[n] = NaN;
    }
  }

  /** Whether a leader can acknowledge some write with no standby streaming (no synchronous rule, or a class committing locally). */
  private acksWithoutStandbys(): boolean {
    return this.sync === null || this.classAckLevel.some((level) => level === COMMIT_OFF || level === COMMIT_LOCAL);
  }

  get leaderNode(): number {
    return this.official;
  }

  start(): void {
    const core = this.core;
    this.updateSyncSet(0, false);
    // The lease was renewed at a seeded phase before t=0, as in a cluster already running.
    const period = renewalPeriodMs(core.topology.failover.detection);
    const phase = core.rng.next() * period;
    this.renew(phase - period);
    core.queue.push(phase, EV.HA_TICK, this.official);
    core.queue.push(1000, EV.LAG_SAMPLE);
  }

  // -------------------------------------------------------------------------
  // Writes

  /** Whether `node` accepts writes right now. */
  acceptsWrites(node: number): boolean {
    return this.role[node] === "leader" && this.core.alive[node] === 1;
  }

  /** Appends a client write on acting leader `node` at `atMs` and schedules its outcome. */
  appendWrite(id: number, node: number, atMs: number): void {
    const core = this.core;
    const log = core.log;
    const size = core.workload.writeSizeBytes;
    const lsn = (this.lsn[node] += size);
    const epoch = this.nodeEpoch[node];
    log.lsn[id] = lsn;
    log.epoch[id] = epoch;
    log.node[id] = node;
    log.appendMs[id] = atMs;
    this.epochWrites[epoch].push(id);
    // Group commit: a flush covers everything appended before it starts.
    if (!Number.isNaN(this.nextFlushEnd[node]) && this.flushEnd[node] <= atMs) {
      this.flushEnd[node] = this.nextFlushEnd[node];
      this.nextFlushEnd[node] = NaN;
    }
    let flush: number;
    if (atMs >= this.flushEnd[node]) flush = this.flushEnd[node] = atMs + this.fsync.sample(core.rng);
    else {
      if (Number.isNaN(this.nextFlushEnd[node])) this.nextFlushEnd[node] = this.flushEnd[node] + this.fsync.sample(core.rng);
      flush = this.nextFlushEnd[node];
    }
    log.flushMs[id] = flush;
    const departure = Math.max(flush, this.stallUntil[node]);
    for (let r = 0; r < this.nodes.length; r++) {
      if (this.following[r] === node && this.streaming(r, node)) this.ship(r, node, lsn, atMs, departure);
    }
    this.scheduleOutcome(id, atMs);
  }

  /** Whether replica `r` receives `leader`'s stream right now. */
  private streaming(r: number, leader: number): boolean {
    const core = this.core;
    return (
      core.alive[r] === 1 &&
      this.role[r] === "replica" &&
      this.connected[r] === 1 &&
      core.network.reachable(leader, r) &&
      this.streams[r].epoch === this.nodeEpoch[leader]
    );
  }

  /** Computes when one write reaches replica `r`, is flushed and replayed there, and when each ack returns. */
  private ship(r: number, leader: number, lsn: number, appendMs: number, departure: number): void {
    const core = this.core;
    const stream = this.streams[r];
    if (departure !== this.batchDeparture[r]) {
      this.batchDeparture[r] = departure;
      this.batchLatency[r] = core.network.streamLatency(leader, r, departure);
      this.batchBack[r] = core.network.streamLatency(r, leader, departure + this.batchLatency[r]);
      this.batchFsync[r] = this.fsync.sample(core.rng);
    }
    const recv = Math.max(departure + this.batchLatency[r], stream.lastRecvMs);
    const flush = Math.max(recv + this.batchFsync[r], stream.lastFlushMs);
    const rate = this.applyRate[r];
    const apply = rate > 0 ? Math.max(recv, stream.lastApplyMs) + 1000 / rate : Infinity;
    const back = this.batchBack[r];
    stream.push(
      lsn,
      appendMs,
      recv,
      flush,
      apply,
      Math.max(recv + back, stream.lastAck[0]),
      Math.max(flush + back, stream.lastAck[1]),
      Math.max(apply + back, stream.lastAck[2]),
    );
  }

  /** When write `id` commits on its leader under its class's commit level and the synchronous rule (Infinity: blocked). */
  commitTime(id: number): number {
    const log = this.core.log;
    const ackLevel = this.classAckLevel[log.cls[id]];
    if (ackLevel === COMMIT_OFF) return log.appendMs[id];
    const flush = log.flushMs[id];
    const leader = log.node[id];
    // A deposed leader still waits for its standbys — which now follow someone else, so its commits hang.
    if (ackLevel === COMMIT_LOCAL || this.sync === null || (this.degraded && leader === this.official)) return flush;
    const lsn = log.lsn[id];
    const epoch = log.epoch[id];
    if (this.ruleFirst) {
      if (this.syncSet.length < this.sync.count) return Infinity;
      let t = flush;
      for (const r of this.syncSet) t = Math.max(t, this.ackOf(r, leader, epoch, lsn, ackLevel));
      return t;
    }
    // The count-th earliest acknowledgement among the rule's members, without allocating.
    const candidates = this.ruleMembers;
    const best = this.ackScratch;
    const k = this.ruleCount;
    // A group of one (ANY 0) commits on its own flush.
    if (k === 0) return flush;
    best.fill(Infinity, 0, k);
    for (let i = 0; i < candidates.length; i++) {
      const t = this.ackOf(candidates[i], leader, epoch, lsn, ackLevel);
      if (t >= best[k - 1]) continue;
      let j = k - 1;
      while (j > 0 && best[j - 1] > t) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = t;
    }
    return Math.max(flush, best[k - 1]);
  }

  /** When replica `r`'s acknowledgement of `lsn` at `level` reaches `leader` (Infinity: never). */
  private ackOf(r: number, leader: number, epoch: number, lsn: number, level: number): number {
    return this.following[r] === leader && this.streams[r].epoch === epoch ? this.streams[r].ackTimeFor(lsn, level) : Infinity;
  }

  /**
   * Schedules write id's acknowledgement (or its timeout), decided at `now`. A commit rule that is
   * satisfied only now (a standby that already flushed the write joins the synchronous set) releases
   * the waiting commit now, never in the past.
   */
  private scheduleOutcome(id: number, now: number): void {
    const core = this.core;
    const commit = Math.max(this.commitTime(id), now);
    const deadline = core.log.sendMs[id] + core.workload.timeoutMs;
    const version = ++core.log.version[id];
    if (Number.isFinite(commit)) {
      const ackAt = commit + core.network.latency(core.log.node[id], core.clientPlace[core.log.client[id]]);
      if (ackAt <= deadline) {
        core.queue.push(ackAt, EV.WRITE_ACK, id, version);
        return;
      }
    }
    core.queue.push(deadline, EV.WRITE_TIMEOUT, id, version);
  }

  /** An acknowledgement is about to be delivered: is it still true? */
  ackStillValid(id: number, atMs: number): boolean {
    const node = this.core.log.node[id];
    return this.core.alive[node] === 1 && this.commitTime(id) <= atMs;
  }

  /** Re-evaluates every undecided write after a change in who can acknowledge. */
  private recomputePending(now: number): void {
    const core = this.core;
    core.forEachPending((id) => {
      if (core.log.lsn[id] >= 0 && core.alive[core.log.node[id]] === 1) this.scheduleOutcome(id, now);
    });
  }

  // -------------------------------------------------------------------------
  // Reads

  /** The node that serves a replica read for a session whose last write is (epoch, lsn); −1: use the leader. */
  pickReplica(client: number, routing: "session" | "any" | "max_lag", maxLagBytes: number, atMs: number): number {
    const core = this.core;
    const place = core.clientPlace[client];
    const leader = this.official;
    const leaderEpoch = this.nodeEpoch[leader];
    // A session whose last write is on another timeline can only be served by the leader.
    if (routing === "session" && core.sessionEpoch[client] !== leaderEpoch) return -1;
    // Prefer a replica in the client's zone, then its region (a router does not cross regions for reads it can serve locally).
    const net = core.network;
    const nodeCount = this.nodes.length;
    let count = 0;
    let chosen = -1;
    let bestDistance = 3;
    for (let r = 0; r < nodeCount; r++) {
      const distance = net.distance[place * nodeCount + r];
      if (distance > bestDistance || core.alive[r] !== 1 || !net.reachable(place, r)) continue;
      if (routing === "any") {
        if (this.role[r] === "rebuilding") continue;
      } else {
        const stream = this.streams[r];
        if (this.role[r] !== "replica" || this.following[r] !== leader || stream.epoch !== leaderEpoch) continue;
        const needed = routing === "session" ? core.sessionLsn[client] : this.lsn[leader] - maxLagBytes;
        if (stream.applyLsn < needed && stream.position(atMs, "apply") < needed) continue;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        count = 0;
      }
      count++;
      if (core.rng.int(count) === 0) chosen = r;
    }
    return chosen;
  }

  /** Whether the latest acknowledged write (epoch, lsn) is visible on `node` at `atMs`. */
  visible(node: number, epoch: number, lsn: number, atMs: number): boolean {
    if (node === this.official && this.role[node] === "leader" && epoch === this.nodeEpoch[node]) return lsn <= this.lsn[node];
    const own = this.role[node] === "leader" ? this.nodeEpoch[node] : this.streams[node].epoch;
    const applied = this.role[node] === "leader" ? this.lsn[node] : this.streams[node].position(atMs, "apply");
    return lsn <= applied && this.core.epochs.contains(own, epoch, lsn);
  }

  // -------------------------------------------------------------------------
  // Events

  handle(kind: number, a: number, b: number, now: number): void {
    switch (kind) {
      case EV.HA_TICK:
        return this.haTick(a, now);
      case EV.LEASE_CHECK:
        return this.leaseCheck(b, now);
      case EV.ELECTION:
        return this.election(now);
      case EV.PROMOTED:
        return this.promoted(a, now);
      case EV.FENCE:
        return this.fence(a, now);
      case EV.ENDPOINT:
        return this.core.endpointSwitched(a, now);
      case EV.REPLICA_CONNECT:
        if (b === RETRY) {
          this.retryQueued[a] = 0;
          // Re-pointed at a new leader: the receiver's next attempt is already scheduled.
          if (now < this.repointedStreamMs[a]) return;
        }
        return this.replicaConnect(a, now);
      case EV.REBUILD_DONE:
        return this.rebuildDone(a, b, now);
      case EV.SELF_DEMOTE:
        return this.selfDemote(a, now);
      case EV.LAG_SAMPLE:
        return this.lagSample(now);
      case EV.RESTORE_APPLY_RATE:
        this.applyRate[a] = b;
        this.streams[a].retimeApply(now, b);
        this.core.note(now, this.nodes[a].name, "slow-end", `apply rate back to ${b}/s`);
        return this.recomputePending(now);
      case EV.STALL_END:
        if (this.core.alive[a] !== 1) return;
        this.core.note(now, this.nodes[a].name, "stall-end", "WAL sender resumes shipping");
        return;
    }
  }

  private renew(now: number): void {
    this.lastRenewalMs = now;
    this.renewals++;
    this.leaseLsn = this.lsn[this.official];
    const detection = this.core.topology.failover.detection;
    const revoke = detection.kind === "lease" ? this.core.rng.next() * LEASE_REVOKE_TICK_MS : 0;
    this.core.queue.push(now + detectionDelayMs(detection, 0) + revoke, EV.LEASE_CHECK, this.official, this.renewals);
  }

  /** The HA loop of the acting leader: renew the lease, keep the synchronous set, degrade or restore. */
  private haTick(node: number, now: number): void {
    const core = this.core;
    if (node === -2) return this.updateSyncSet(now, true);
    if (now > core.endMs) return;
    const period = renewalPeriodMs(core.topology.failover.detection);
    if (node !== this.official) return this.deposedTick(node, now, period);
    core.queue.push(now + period, EV.HA_TICK, node);
    if (core.alive[node] !== 1 || this.role[node] !== "leader" || this.failoverInProgress) return;
    // The HA loop names a proper synchronous standby when one streams (see updateSyncSet).
    this.awaitingSyncChoice = false;
    if (core.reachesCoordinator(node)) {
      this.renew(now);
      this.selfDemoteAt[node] = NaN;
    } else if (core.topology.failover.fencing !== "none" && Number.isNaN(this.selfDemoteAt[node])) {
      // It cannot renew: it must stop before its lease runs out, or another node could be promoted beside it.
      // Patroni demotes when it cannot update the leader key within retry_timeout, which its rules keep inside the ttl.
      const detection = core.topology.failover.detection;
      const expiry = this.lastRenewalMs + detectionDelayMs(detection, 0);
      const at = detection.kind === "lease" ? Math.min(expiry, now + detection.retryTimeoutMs) : expiry;
      this.selfDemoteAt[node] = at;
      if (Number.isNaN(this.failoverStartMs)) this.failoverStartMs = now;
      core.queue.push(Math.max(now, at), EV.SELF_DEMOTE, node);
      core.note(now, this.nodes[node].name, "coordinator-lost", `cannot reach the coordinator (${core.topology.failover.coordinator.join(", ")}); will demote itself when its lease expires at T${core.relative(at)}`);
    }
    this.updateSyncSet(now, true);
  }

  /**
   * The HA loop of a leader that lost the key (no fencing stopped it): once it can read the coordinator it sees
   * another node holds the key and demotes itself, whenever that happens (a heal, a later promotion).
   */
  private deposedTick(node: number, now: number, period: number): void {
    const core = this.core;
    if (this.role[node] !== "leader" || core.alive[node] !== 1) return;
    if (!core.reachesCoordinator(node)) {
      core.queue.push(now + period, EV.HA_TICK, node);
      return;
    }
    core.note(now, this.nodes[node].name, "demote", `sees ${this.nodes[this.official].name} holds the leader key: demotes itself`);
    this.becomeReplica(node, now);
    core.failPending(node, now);
    this.recomputePending(now);
  }

  /**
   * Nodes that may act as synchronous standby, in priority order: the
   * configured names, then (when the failover manager manages the set, as
   * Patroni does) any other replica not tagged nosync.
   */
  private candidateCache: number[] = [];
  /** The commit rule in force: FIRST over syncSet, or the ruleCount-th acknowledgement among ruleMembers. */
  private ruleFirst = true;
  private ruleMembers: number[] = [];
  private ruleCount = 1;
  private readonly ackScratch = new Float64Array(64);

  private syncCandidates(): number[] {
    const leader = this.official;
    // Every other member of a consensus group counts towards its majority, whoever leads.
    if (this.core.topology.replication.mode === "consensus") return this.nodes.map((_, r) => r).filter((r) => r !== leader);
    const listed = this.syncNames.filter((r) => r >= 0 && r !== leader);
    if (!this.sync?.managed) return listed;
    const extra: number[] = [];
    for (let r = 0; r < this.nodes.length; r++) if (r !== leader && !this.nodes[r].nosync && !listed.includes(r)) extra.push(r);
    return [...listed, ...extra];
  }

  /** Patroni-style: pick the synchronous standbys among those streaming; degrade (non-strict) when too few. */
  private updateSyncSet(now: number, announce: boolean): void {
    if (!this.sync) return;
    const core = this.core;
    const leader = this.official;
    // Patroni publishes a new synchronous standby in the coordinator before it uses it (and withdraws one there
    // first): a leader that cannot reach the coordinator keeps the set it has, and its commits wait on it.
    if (core.alive[leader] === 1 && !core.reachesCoordinator(leader) && this.syncSet.length > 0) {
      // Quorum commit counts acknowledgements from the standbys named in synchronous_standby_names only; one
      // that starts streaming now is not added until the coordinator has been told.
      if (!this.ruleFirst) this.ruleMembers = this.ruleMembers.filter((r) => this.syncSet.includes(r));
      this.recomputePending(now);
      return;
    }
    this.candidateCache = this.syncCandidates();
    const connected = this.candidateCache.filter((r) => this.following[r] === leader && this.streaming(r, leader) && this.lsn[leader] - this.streams[r].position(now, "recv") <= 16 * 1024 * 1024);
    const before = this.syncSet.join(",");
    this.syncSet = this.sync.method === "first" ? connected.slice(0, this.sync.count) : connected;
    // Strict mode with too few proper candidates, or right after a promotion before the HA loop has named one:
    // either nobody acknowledges (block) or, with '*', any one streaming standby does, nosync ones included.
    const wildcard = this.sync.strict && this.sync.managed && (this.awaitingSyncChoice || connected.length < this.sync.count);
    if (wildcard) {
      const streamingAny: number[] = [];
      if (this.sync.whenNone === "any-standby") {
        for (let r = 0; r < this.nodes.length; r++) if (r !== leader && this.following[r] === leader && this.streaming(r, leader)) streamingAny.push(r);
      }
      this.syncSet = streamingAny;
      this.ruleFirst = false;
      this.ruleMembers = streamingAny;
      this.ruleCount = 1;
    } else {
      this.ruleFirst = this.sync.method === "first";
      this.ruleMembers = this.candidateCache;
      this.ruleCount = this.sync.count;
    }
    const enough = wildcard ? this.syncSet.length >= 1 : connected.length >= this.sync.count;
    if (!enough && !this.degraded) {
      if (this.sync.strict) {
        if (Number.isNaN(this.blockedSinceMs) && announce) {
          this.blockedSinceMs = now;
          const why =
            connected.length >= this.sync.count
              ? `no synchronous standby named yet (the new leader's HA loop names one among the ${connected.length} streaming)`
              : `${connected.length} of ${this.sync.count} required sync standbys connected`;
          core.note(now, this.nodes[leader].name, "writes-blocked", `strict synchronous mode: ${why}; commits wait`);
        }
      } else if (this.sync.degradeAfterMs > 0 && !(now >= this.degradeAtMs)) {
        // MySQL semi-sync: a commit waits for an ack up to the timeout, then the source falls back to async.
        if (Number.isNaN(this.degradeAtMs)) {
          this.degradeAtMs = now + this.sync.degradeAfterMs;
          core.queue.push(this.degradeAtMs, EV.HA_TICK, -2);
        }
      } else {
        this.degraded = true;
        this.degradeAtMs = NaN;
        if (announce || true) core.note(now, this.nodes[leader].name, "degrade", `only ${connected.length} of ${this.sync.count} sync standbys connected: now committing asynchronously — running without its safety net`);
      }
    } else if (enough) {
      this.degradeAtMs = NaN;
      if (this.degraded) {
        this.degraded = false;
        if (announce) core.note(now, this.nodes[leader].name, "sync-restored", `synchronous replication restored (${this.syncSet.map((r) => this.nodes[r].name).join(", ")})`);
      }
      if (!Number.isNaN(this.blockedSinceMs)) {
        core.note(now, this.nodes[leader].name, "writes-unblocked", `sync standby back (${this.syncSet.map((r) => this.nodes[r].name).join(", ")}); commits resume after ${formatDuration(now - this.blockedSinceMs)}`);
        this.endBlocked(now);
      }
    }
    if (core.alive[leader] === 1 && core.reachesCoordinator(leader)) {
      if (wildcard) {
        // The /sync key keeps only published standbys that still stream as proper candidates: under '*' nobody
        // else is known to hold every acknowledged write.
        this.dcsSync = this.dcsSync.filter((r) => connected.includes(r));
        this.dcsDegraded = false;
      } else if (enough) {
        this.dcsSync = [...this.syncSet];
        this.dcsDegraded = false;
      } else if (this.degraded) {
        this.dcsSync = [];
        this.dcsDegraded = true;
      }
    }
    if (announce && this.syncSet.join(",") !== before && this.sync.method === "first" && enough && before !== "") {
      core.note(now, this.nodes[leader].name, "sync-standby", `synchronous standby now ${this.syncSet.map((r) => this.nodes[r].name).join(", ")}`);
    }
    this.recomputePending(now);
  }

  private leaseCheck(renewal: number, now: number): void {
    // After the run the HA loop stops renewing; an expiry then is an artefact of stopping, not a failure.
    if (renewal !== this.renewals || this.failoverInProgress || now > this.core.endMs) return;
    const core = this.core;
    const failover = core.topology.failover;
    const leader = this.official;
    this.failoverInProgress = true;
    const detection = failover.detection;
    const how =
      detection.kind === "lease"
        ? `leader lease expired (${formatDuration(detection.ttlMs)} ttl, last renewed at T${core.relative(this.lastRenewalMs)})`
        : `${detection.misses} heartbeats missed (every ${formatDuration(detection.intervalMs)})`;
    core.note(now, this.nodes[leader].name, "detect", how);
    core.phase("detect", Number.isNaN(this.failoverStartMs) ? this.lastRenewalMs : this.failoverStartMs, now);
    let start = now;
    if (failover.mode === "manual") {
      start = now + failover.operatorDelayMs;
      core.note(now, "operator", "page", `manual failover: an operator is paged and acts after ${formatDuration(failover.operatorDelayMs)}`);
      core.phase("operator", now, start);
    }
    if (failover.fencing === "stonith") {
      core.queue.push(start, EV.FENCE, leader);
      start += failover.fencingMs;
    } else if (failover.fencing === "lease") {
      core.note(start, this.nodes[leader].name, "fence", core.alive[leader] === 1 ? "lease expired: the old leader has demoted itself" : "lease expired: the old leader is down and cannot write");
      core.phase("fence", start, start);
    } else {
      core.note(start, this.nodes[leader].name, "no-fence", core.alive[leader] === 1 ? "no fencing: the old leader is still up and nothing stops it accepting writes" : "no fencing configured (the old leader happens to be down)");
    }
    core.queue.push(start + failover.electionMs, EV.ELECTION);
  }

  /**
   * Who must be seen before a promotion is known to lose nothing acknowledged.
   * ANY k of M standbys (Patroni's quorum commit): an acknowledged write is on k
   * of the M, so a candidate that sees M − k + 1 of them (itself included) and
   * holds the highest LSN among them holds every acknowledged write. A
   * consensus group (Raft) needs the votes of a majority of its members, and a
   * member votes only for a candidate whose log is at least as up to date as
   * its own (a later timeline, or the same one and no shorter). FIRST n names
   * its standbys, so the published sync standby needs no quorum (null).
   */
  private electionQuorum(now: number, oldEpoch: number, allowed: Set<number> | null): { seen: number; needed: number; accepts: (lsn: number) => boolean; why: string } | null {
    const core = this.core;
    const consensus = core.topology.replication.mode === "consensus";
    if (this.sync === null || (!consensus && (this.sync.method !== "any" || allowed === null))) return null;
    const reachable = (v: number) => core.alive[v] === 1 && this.role[v] === "replica" && core.reachesCoordinator(v);
    if (consensus) {
      const needed = Math.floor(this.nodes.length / 2) + 1;
      const votes = this.nodes.map((_, v) => v).filter(reachable);
      const behind = votes.map((v) => (this.streams[v].epoch < oldEpoch ? -Infinity : this.streams[v].position(now, "recv")));
      const why = `only ${votes.length} of the ${needed} votes a majority of ${this.nodes.length} members needs`;
      return { seen: votes.length, needed, accepts: (lsn) => behind.filter((l) => l <= lsn).length >= needed, why };
    }
    // The old leader back as a replica holds every write it acknowledged: seeing it settles the question.
    const old = this.official;
    if (reachable(old) && this.streams[old].epoch === oldEpoch) {
      const lsn = this.streams[old].position(now, "recv");
      return { seen: 1, needed: 1, accepts: (l) => l >= lsn, why: "" };
    }
    const voters = [...(allowed ?? [])].filter((v) => v !== old);
    const needed = voters.length - this.sync.count + 1;
    let seen = 0;
    let highestLsn = 0;
    for (const v of voters) {
      if (!reachable(v) || this.streams[v].epoch !== oldEpoch) continue;
      seen++;
      highestLsn = Math.max(highestLsn, this.streams[v].position(now, "recv"));
    }
    const why = `ANY ${this.sync.count} of ${voters.length}: a candidate must see ${needed} of the listed standbys to know it holds every acknowledged write, and sees ${seen}`;
    return { seen, needed, accepts: (lsn) => lsn >= highestLsn, why };
  }

  private fence(node: number, now: number): void {
    const core = this.core;
    const ms = core.topology.failover.fencingMs;
    core.note(now, this.nodes[node].name, "fence", `STONITH: power off the old leader (${formatDuration(ms)})`);
    core.phase("fence", now, now + ms);
    if (core.alive[node] === 1) this.crashNode(node, now + ms, "fenced");
  }

  private election(now: number): void {
    const core = this.core;
    const failover = core.topology.failover;
    const old = this.official;
    const oldEpoch = this.nodeEpoch[old];
    // The coordinator knows the sync standbys the leader last published (Patroni's /sync key), not its view of the moment.
    const consensus = core.topology.replication.mode === "consensus";
    // Only the last leader and the published sync standbys may race in synchronous mode; a Raft group's safety is
    // its vote (electionQuorum), with no list and no lag limit.
    const allowed = this.sync !== null && !this.dcsDegraded && !consensus ? new Set([...this.dcsSync, old]) : null;
    type Candidate = { r: number; lsn: number; lagging: boolean };
    const candidates: Candidate[] = [];
    const excluded: string[] = [];
    for (let r = 0; r < this.nodes.length; r++) {
      if (this.role[r] !== "replica") continue;
      const name = this.nodes[r].name;
      if (core.alive[r] !== 1) continue;
      if (this.nodes[r].nofailover || this.nodes[r].failoverPriority <= 0) {
        excluded.push(`${name} (nofailover)`);
        continue;
      }
      if (this.failedCandidates.has(r)) continue;
      if (!core.reachesCoordinator(r)) {
        excluded.push(`${name} (cannot reach the coordinator)`);
        continue;
      }
      if (this.streams[r].epoch !== oldEpoch) continue;
      const lsn = this.streams[r].position(now, "recv");
      // In synchronous mode only a sync standby is known to hold every acknowledged write.
      const notSync = allowed !== null && !allowed.has(r);
      const lagging = notSync || (!consensus && this.leaseLsn - lsn > failover.maximumLagBytes);
      if (notSync) excluded.push(`${name} (asynchronous: may miss acknowledged writes)`);
      else if (lagging) excluded.push(`${name} (lag ${formatSize(this.leaseLsn - lsn)} > maximum_lag_on_failover ${formatSize(failover.maximumLagBytes)})`);
      candidates.push({ r, lsn, lagging });
    }
    const byLsn = (x: Candidate, y: Candidate) => y.lsn - x.lsn || this.nodes[y.r].failoverPriority - this.nodes[x.r].failoverPriority || x.r - y.r;
    const quorum = this.electionQuorum(now, oldEpoch, allowed);
    if (quorum !== null && quorum.seen < quorum.needed) {
      for (const c of candidates) c.lagging = true;
      excluded.push(quorum.why);
    }
    const eligible = candidates.filter((c) => !c.lagging && (quorum === null || quorum.accepts(c.lsn))).sort(byLsn);
    let winner = eligible[0];
    if (!winner && this.failedCandidates.size > 0) {
      // A failed promotion only moves a candidate to the back of the queue: with nobody else eligible, the next
      // HA loop tries it again (a strict-sync cluster may have no one else it is allowed to promote).
      this.failedCandidates.clear();
      core.queue.push(now + renewalPeriodMs(failover.detection), EV.ELECTION);
      return;
    }
    if (!winner) {
      const lagging = candidates.filter((c) => c.lagging).sort(byLsn);
      if (lagging.length > 0 && failover.laggingCandidates === "promote") {
        winner = lagging[0];
        core.note(now, this.nodes[winner.r].name, "promote-lagging", `no replica is known to hold every acknowledged write (${excluded.join("; ")}); policy "promote": availability first, accepting the loss`);
      } else {
        const why = `no eligible replica${excluded.length ? `: ${excluded.join("; ")}` : ""} — ${failover.laggingCandidates === "wait" && lagging.length > 0 ? 'policy "wait": downtime instead of data loss' : "writes stay down until a candidate appears"}`;
        if (why !== this.lastNoCandidate) core.note(now, "cluster", "no-candidate", why);
        this.lastNoCandidate = why;
        core.queue.push(now + renewalPeriodMs(failover.detection), EV.ELECTION);
        return;
      }
    }
    const others = candidates.filter((c) => c.r !== winner.r).map((c) => `${this.nodes[c.r].name} ${formatSize(c.lsn)}`);
    core.note(now, this.nodes[winner.r].name, "elect", `elected: highest WAL position ${formatSize(winner.lsn)}${others.length ? ` (vs ${others.join(", ")})` : ""}`, winner.lsn);
    core.phase("elect", now - failover.electionMs, now);
    this.leaderKeyMs = now;
    const replayDone = this.streams[winner.r].replayDoneMs();
    const done = Math.max(now + failover.promotionMs, replayDone + failover.promotionMs * 0);
    core.queue.push(done, EV.PROMOTED, winner.r);
  }

  private promoted(r: number, now: number): void {
    const core = this.core;
    const failover = core.topology.failover;
    core.phase("promote", now - failover.promotionMs, now);
    if (core.alive[r] !== 1) {
      core.note(now, this.nodes[r].name, "promote-failed", "the candidate died during promotion; trying the next one");
      core.queue.push(now + failover.electionMs, EV.ELECTION);
      return;
    }
    if (this.promoteFails[r]) {
      this.promoteFails[r] = 0;
      this.failedCandidates.add(r);
      core.note(now, this.nodes[r].name, "promote-failed", "promotion failed (it cannot replay its WAL); falling back to the next candidate — RTO grows");
      core.queue.push(now + failover.electionMs, EV.ELECTION);
      return;
    }
    const stream = this.streams[r];
    const fork = stream.position(now, "recv");
    const oldEpoch = stream.epoch;
    const epoch = core.epochs.create(oldEpoch, fork, r, now);
    this.epochWrites.push([]);
    const beyond = this.countAckedBeyond(oldEpoch, fork);
    this.role[r] = "leader";
    this.following[r] = -1;
    this.lsn[r] = fork;
    this.nodeEpoch[r] = epoch;
    this.connected[r] = 0;
    this.trackWriter(r, now);
    this.flushEnd[r] = now;
    this.nextFlushEnd[r] = NaN;
    this.official = r;
    this.failoverInProgress = false;
    this.failedCandidates.clear();
    this.failoverStartMs = NaN;
    this.lastNoCandidate = "";
    this.degraded = false;
    this.endBlocked(now);
    core.failovers++;
    core.checkPromotion(r, oldEpoch, fork);
    core.note(
      now,
      this.nodes[r].name,
      "promote",
      `promoted: new timeline ${epoch} from LSN ${formatSize(fork)}; ${beyond === 0 ? "it has every acknowledged write" : `${beyond} acknowledged write${beyond === 1 ? "" : "s"} of the old leader are not on it (lost)`}`,
      fork,
    );
    // Whether two leaders now acknowledge writes is measured from the run (see measure.ts), not announced here.
    const period = renewalPeriodMs(failover.detection);
    this.repointSurvivors(r, now);
    // A strict-sync leader is promoted with an empty /sync key: until its next HA loop names a synchronous standby
    // among those streaming, commits wait (current Patroni's placeholder) or any streaming standby releases them
    // (Patroni 3.0's synchronous_standby_names = '*').
    this.awaitingSyncChoice = this.sync !== null && this.sync.strict && this.sync.managed;
    this.updateSyncSet(now, false);
    this.renew(now);
    core.queue.push(now + period, EV.HA_TICK, r);
    const switchAt = core.endpoint.leaderChanged(r, now);
    core.queue.push(switchAt, EV.ENDPOINT, r);
    this.noteRedundancy(now + 1);
  }

  /**
   * When the survivors stream from the new leader r (promoted at `promotedMs`), as measured on Patroni 3 with
   * PostgreSQL 15: a replica that could have been promoted sees the new leader key at once and is re-pointed by a
   * reload 30–230 ms after the key was taken; a nofailover replica first sleeps 2 s ("give somebody time to take
   * the leader lock"). The reload wakes the WAL receiver, which connects at once — but the new leader creates the
   * members' replication slots only in its first HA cycle after promotion (it polls the promotion once a second,
   * about 1.2–1.3 s). A receiver that arrives before its slot fails ("replication slot does not exist") and retries
   * one full wal_retrieve_retry_interval (5 s) after the reload. Raft followers take the new leader's first
   * heartbeat.
   */
  private repointSurvivors(r: number, promotedMs: number): void {
    const core = this.core;
    const consensus = core.topology.replication.mode === "consensus";
    const slotsReadyMs = slotsReadyAfterPromotionMs(promotedMs, core.rng.next());
    for (let x = 0; x < this.nodes.length; x++) {
      if (x === r || this.role[x] !== "replica" || core.alive[x] !== 1) continue;
      this.following[x] = r;
      this.connected[x] = 0;
      let streams: number;
      if (consensus) streams = promotedMs + core.network.medianLatency(r, x);
      else {
        const eligible = !this.nodes[x].nofailover && this.nodes[x].failoverPriority > 0;
        streams = restreamMs(this.leaderKeyMs, slotsReadyMs, eligible, core.rng.next());
      }
      streams = Math.max(streams, promotedMs);
      this.repointedStreamMs[x] = streams;
      core.queue.push(streams, EV.REPLICA_CONNECT, x);
    }
  }

  private countAckedBeyond(epoch: number, fork: number): number {
    const log = this.core.log;
    let count = 0;
    const writes = this.epochWrites[epoch];
    for (let i = writes.length - 1; i >= 0; i--) {
      const id = writes[i];
      if (log.lsn[id] <= fork) break;
      if (log.status[id] === ACKED) count++;
    }
    return count;
  }

  private noteRedundancy(now: number): void {
    const core = this.core;
    const leader = this.official;
    const replicas = this.nodes.filter((_, x) => x !== leader);
    // Up means able to follow the leader: alive, a replica, and reachable from it (not behind a partition).
    const upNode = (x: number) => core.alive[x] === 1 && this.role[x] === "replica" && core.network.reachable(leader, x);
    const up = replicas.filter((node) => upNode(node.index));
    const syncUp = this.sync ? this.syncCandidates().filter(upNode).length : 0;
    const syncText = this.sync ? (syncUp >= this.sync.count ? `${syncUp} sync-capable standby${syncUp === 1 ? "" : "s"}` : "no sync standby left") : "asynchronous only";
    core.note(now, this.nodes[leader].name, "redundancy", `${up.length} of ${replicas.length} replicas up; ${syncText}`);
  }

  private selfDemote(node: number, now: number): void {
    const core = this.core;
    if (this.role[node] !== "leader" || core.alive[node] !== 1 || Number.isNaN(this.selfDemoteAt[node])) return;
    if (core.reachesCoordinator(node) && node === this.official && !this.failoverInProgress) {
      this.selfDemoteAt[node] = NaN;
      return;
    }
    this.selfDemoteAt[node] = NaN;
    core.note(now, this.nodes[node].name, "demote", "lease lost: the old leader demotes itself to read-only (no split brain)");
    this.becomeReplica(node, now);
    core.failPending(node, now);
    this.recomputePending(now);
  }

  private replicaConnect(r: number, now: number): void {
    const core = this.core;
    const leader = this.official;
    if (core.alive[r] !== 1 || this.role[r] !== "replica" || r === leader) return;
    const stream = this.streams[r];
    const leaderEpoch = this.nodeEpoch[leader];
    if (this.connected[r] === 1 && this.following[r] === leader && stream.epoch === leaderEpoch) return;
    // The WAL receiver cannot reach a working leader: it is disconnected and retries every
    // wal_retrieve_retry_interval until it can (after a heal, a restore, or the next promotion).
    if (core.alive[leader] !== 1 || this.role[leader] !== "leader" || !core.network.reachable(leader, r)) {
      this.disconnected[r] = 1;
      this.retryLater(r, now);
      return;
    }
    if (stream.epoch > leaderEpoch) core.commitRegressions.push(`${this.nodes[r].name} on timeline ${stream.epoch} would follow the older timeline ${leaderEpoch}`);
    if (stream.epoch !== leaderEpoch) {
      const keep = core.epochs.cutoff(stream.epoch, leaderEpoch);
      const had = stream.position(now, "recv");
      const rewound = Math.min(had, Math.max(0, keep));
      if (had > rewound) core.note(now, this.nodes[r].name, "rewind", `pg_rewind: discards ${formatSize(had - rewound)} of WAL not on timeline ${leaderEpoch}`);
      stream.truncate(rewound);
      stream.reset(rewound, leaderEpoch);
    }
    this.following[r] = leader;
    const from = stream.position(now, "recv");
    // Catch up: stream everything the leader has past the replica's position.
    const writes = this.historyAfter(leaderEpoch, from);
    const latency = core.network.streamLatency(leader, r, now);
    const back = core.network.streamLatency(r, leader, now + latency);
    const size = core.workload.writeSizeBytes;
    let recv = now + latency;
    let apply = Math.max(now, stream.lastApplyMs);
    const rate = this.applyRate[r];
    for (const id of writes) {
      recv += size / CATCH_UP_BYTES_PER_MS;
      apply = rate > 0 ? Math.max(recv, apply) + 1000 / rate : Infinity;
      const flush = recv + 0.1;
      stream.push(core.log.lsn[id], core.log.appendMs[id], recv, flush, apply, recv + back, flush + back, apply + back);
    }
    this.batchDeparture[r] = NaN;
    this.connected[r] = 1;
    this.disconnected[r] = 0;
    core.note(now, this.nodes[r].name, "follow", `streams from ${this.nodes[leader].name}${writes.length ? ` (catching up ${writes.length} writes, ${formatSize(writes.length * size)})` : ""}`);
    this.updateSyncSet(now, true);
  }

  private endBlocked(now: number): void {
    if (!Number.isNaN(this.blockedSinceMs)) this.blockedLog.push({ node: this.official, fromMs: this.blockedSinceMs, toMs: now });
    this.blockedSinceMs = NaN;
  }

  // -------------------------------------------------------------------------
  // History for the checkers (HistorySource)

  writerIntervals(endMs: number): WriterInterval[] {
    const open: WriterInterval[] = [];
    for (let n = 0; n < this.nodes.length; n++) {
      const since = this.writerSinceMs[n];
      if (!Number.isNaN(since)) open.push({ node: n, epoch: this.nodeEpoch[n], fromMs: since, toMs: endMs, acksWithoutStandbys: this.acksWithoutStandbys() });
    }
    return [...this.writerLog, ...open];
  }

  blockedIntervals(endMs: number): BlockedInterval[] {
    return Number.isNaN(this.blockedSinceMs) ? [...this.blockedLog] : [...this.blockedLog, { node: this.official, fromMs: this.blockedSinceMs, toMs: endMs }];
  }

  finalStates(): NodeFinalState[] {
    const leader = this.official;
    return this.nodes.map((node, n) => ({
      name: node.name,
      alive: this.core.alive[n] === 1,
      role: this.role[n],
      following: this.following[n],
      streaming: n !== leader && this.following[n] === leader && this.streaming(n, leader),
    }));
  }

  finalEpoch(): number {
    return this.nodeEpoch[this.official];
  }

  syncSatisfied(): boolean | null {
    if (this.sync === null || !this.sync.strict) return null;
    return this.syncSet.length >= this.sync.count;
  }

  private retryLater(r: number, now: number): void {
    if (this.retryQueued[r] === 1) return;
    this.retryQueued[r] = 1;
    this.core.queue.push(now + WAL_RETRIEVE_RETRY_MS, EV.REPLICA_CONNECT, r, RETRY);
  }

  /** Write ids in the history of `epoch` with LSN above `lsn`, in LSN order. */
  private historyAfter(epoch: number, lsn: number): number[] {
    const core = this.core;
    const chain: number[] = [];
    for (let e = epoch; e >= 0; e = core.epochs.parent[e]) chain.unshift(e);
    const out: number[] = [];
    for (const e of chain) {
      const cutoff = core.epochs.cutoff(e, epoch);
      for (const id of this.epochWrites[e]) {
        const l = core.log.lsn[id];
        if (l > lsn && l <= cutoff) out.push(id);
      }
    }
    return out;
  }

  private lagSample(now: number): void {
    const core = this.core;
    if (now > core.endMs) return;
    core.queue.push(now + 1000, EV.LAG_SAMPLE);
    const leader = this.official;
    if (this.role[leader] !== "leader" || core.alive[leader] !== 1) return;
    const commitRate = core.recentWriteRate(now);
    for (let r = 0; r < this.nodes.length; r++) {
      if (r === leader || core.alive[r] !== 1 || this.role[r] !== "replica" || this.following[r] !== leader) continue;
      const stream = this.streams[r];
      if (stream.epoch !== this.nodeEpoch[leader]) continue;
      const lagBytes = Math.max(0, this.lsn[leader] - stream.position(now, "apply"));
      const oldest = stream.oldestUnappliedMs(now);
      const lagMs = Number.isNaN(oldest) ? 0 : now - oldest;
      core.recordLag(now, this.nodes[r].name, lagBytes, lagMs);
      const name = this.nodes[r].name;
      // An alert fires only when two consecutive samples agree (an alerting rule's `for:`), so a replica that
      // replays a few old writes in milliseconds after a reconnect does not page anybody.
      const measured = lagMs >= 30_000 ? 2 : lagMs >= 5_000 ? 1 : 0;
      const level = Math.min(measured, this.lagLevelBefore[r]);
      this.lagLevelBefore[r] = measured;
      if (level > this.lagAlert[r]) {
        core.note(now, name, level === 2 ? "lag-page" : "lag-warning", `replication lag ${formatDuration(lagMs)} (${formatSize(lagBytes)}) crossed the ${level === 2 ? "30s paging" : "5s warning"} threshold`);
      } else if (level === 0 && this.lagAlert[r] > 0) {
        core.note(now, name, "lag-recovered", `replication lag back under 5s`);
      }
      this.lagAlert[r] = level;
      this.lagRising[r] = lagBytes > this.lastLagBytes[r] ? this.lagRising[r] + 1 : 0;
      this.lastLagBytes[r] = lagBytes;
      if (!this.fallingBehindReported[r] && this.lagRising[r] >= 10 && this.applyRate[r] < commitRate) {
        this.fallingBehindReported[r] = 1;
        core.note(now, name, "falling-behind", `applies ${Math.round(this.applyRate[r])} writes/s but the leader commits ${Math.round(commitRate)}/s: it will never catch up; reads fall back to the leader; rebuild it or give it capacity`);
      }
    }
  }

  // -------------------------------------------------------------------------
  // Faults

  fault(f: ResolvedFault, now: number): void {
    const core = this.core;
    const index = (name: string) => this.nodes.findIndex((x) => x.name === name);
    switch (f.kind) {
      case "crash":
        return this.crashNode(index(f.node), now, "host failed");
      case "recover":
        return this.recoverNode(index(f.node), now);
      case "stall": {
        const n = index(f.node);
        const until = now + (f.forMs ?? core.endMs);
        this.stallUntil[n] = until;
        core.note(now, f.node, "stall", `WAL sender stalled for ${formatDuration(until - now)}: it still serves clients but ships nothing`);
        core.queue.push(until, EV.STALL_END, n);
        return;
      }
      case "slow": {
        const n = index(f.node);
        const before = this.applyRate[n];
        this.applyRate[n] = f.applyRate;
        this.streams[n].retimeApply(now, f.applyRate);
        core.note(now, f.node, "slow", `apply rate drops from ${before}/s to ${f.applyRate}/s`);
        if (f.forMs !== null) core.queue.push(now + f.forMs, EV.RESTORE_APPLY_RATE, n, before);
        return this.recomputePending(now);
      }
      case "promote_fails":
        this.promoteFails[index(f.node)] = 1;
        core.note(now, f.node, "promote-will-fail", "if chosen, its promotion will fail");
        return;
      case "rebuild":
        return this.rebuild(index(f.node), now);
      case "bad_write":
        return this.badWrite(f, now);
      default:
        return;
    }
  }

  crashNode(n: number, now: number, why: string): void {
    const core = this.core;
    if (core.alive[n] !== 1) return;
    core.alive[n] = 0;
    core.note(now, this.nodes[n].name, "crash", why);
    const wasLeader = this.role[n] === "leader";
    if (n === this.official && !this.failoverInProgress) this.failoverStartMs = now;
    this.crashedAsLeader[n] = wasLeader ? 1 : 0;
    this.role[n] = "down";
    this.connected[n] = 0;
    this.trackWriter(n, now);
    if (wasLeader) {
      for (let r = 0; r < this.nodes.length; r++) {
        if (this.following[r] !== n) continue;
        this.streams[r].cut(now, false);
        this.connected[r] = 0;
        this.retryLater(r, now);
      }
      core.proxyNodeDown(n, now);
      core.failPending(n, now);
    } else {
      this.streams[n].cut(now, true);
      // The leader notices the lost standby at its next HA loop (Patroni); until then FIRST n commits wait for it.
    }
    this.recomputePending(now);
  }

  private recoverNode(n: number, now: number): void {
    const core = this.core;
    if (core.alive[n] === 1) return;
    if (core.network.isLost(n)) return;
    core.alive[n] = 1;
    const detection = core.topology.failover.detection;
    const leaseValid = now < this.lastRenewalMs + detectionDelayMs(detection, 0);
    if (n === this.official && !this.failoverInProgress && leaseValid && core.reachesCoordinator(n)) {
      // Back before its lease ran out: it renews the key and leads on; its replicas' WAL receivers reconnect at
      // their next retry and a proxy marks it up again.
      this.role[n] = "leader";
      this.trackWriter(n, now);
      this.flushEnd[n] = now;
      this.renew(now);
      core.note(now, this.nodes[n].name, "recover", "restarts in place within its lease and keeps leading (no failover happened)");
      for (let r = 0; r < this.nodes.length; r++) if (this.following[r] === n && this.role[r] === "replica") this.retryLater(r, now);
      core.queue.push(core.endpoint.leaderChanged(n, now), EV.ENDPOINT, n);
      return;
    }
    if (n === this.official && !this.failoverInProgress) {
      // Back after its lease expired: Patroni starts it as a replica and it races for the key like the others.
      core.note(now, this.nodes[n].name, "recover", "host back after its lease expired: starts as a replica and joins the race for the leader key");
      if (this.crashedAsLeader[n]) this.role[n] = "leader";
      this.crashedAsLeader[n] = 0;
      this.becomeReplica(n, now);
      return;
    }
    core.note(now, this.nodes[n].name, "recover", `host back; rejoins as a replica via pg_rewind in ~${formatDuration(REJOIN_DELAY_MS)}`);
    if (this.crashedAsLeader[n]) this.role[n] = "leader";
    this.crashedAsLeader[n] = 0;
    this.becomeReplica(n, now);
  }

  private rebuild(n: number, now: number): void {
    const core = this.core;
    const restore = core.topology.backups?.restore ?? { throughputBytes: 200 * 1024 ** 2, dataSizeBytes: 100 * 1024 ** 3, walReplayBytes: 50 * 1024 ** 2 };
    const ms = (restore.dataSizeBytes / restore.throughputBytes) * 1000;
    if (n === this.official) {
      core.note(now, this.nodes[n].name, "rebuild-refused", "cannot rebuild the leader; fail over first");
      return;
    }
    if (this.role[n] !== "down") this.streams[n].cut(now, true);
    this.role[n] = "rebuilding";
    this.connected[n] = 0;
    const lsnAtStart = this.lsn[this.official];
    core.note(now, this.nodes[n].name, "rebuild", `re-seeding from a base backup: ${formatSize(restore.dataSizeBytes)} at ${formatSize(restore.throughputBytes)}/s takes ${formatDuration(ms)}`);
    core.queue.push(now + ms, EV.REBUILD_DONE, n, lsnAtStart);
    this.recomputePending(now);
  }

  private rebuildDone(n: number, lsnAtStart: number, now: number): void {
    const core = this.core;
    core.alive[n] = 1;
    this.role[n] = "replica";
    // A rebuild lands on a fresh replica with the cluster's standard apply rate.
    const replication = core.topology.replication;
    this.applyRate[n] = replication.mode === "leader-follower" ? replication.applyRate : this.nodes[n].applyRate;
    this.fallingBehindReported[n] = 0;
    this.lagRising[n] = 0;
    const leader = this.official;
    this.streams[n].reset(Math.min(lsnAtStart, this.lsn[leader]), this.nodeEpoch[leader]);
    core.note(now, this.nodes[n].name, "rebuilt", `restored from the base backup onto a fresh replica (apply rate ${this.applyRate[n]}/s); replaying the WAL written since`);
    this.replicaConnect(n, now);
    this.noteRedundancy(now);
  }

  private badWrite(f: ResolvedFault & { kind: "bad_write" }, now: number): void {
    const core = this.core;
    const leader = this.official;
    if (core.alive[leader] !== 1) return;
    const verb = f.statement === "update-all" ? "UPDATE without WHERE" : f.statement === "delete" ? "buggy DELETE" : "DROP TABLE";
    const unqualified = f.statement === "update-all" || (f.statement === "delete" && f.rows >= 1);
    if (unqualified && core.topology.backups?.guards.unqualifiedDml === "block") {
      core.note(now, this.nodes[leader].name, "guard-blocked", `the guard refused the ${verb} on ${f.dataClass}: no WHERE clause, no write`);
      core.recordBadWrite(f, now, true, null);
      return;
    }
    core.note(now, this.nodes[leader].name, "bad-write", `the ${verb} on ${f.dataClass} touches ${Math.round(f.rows * 100)}% of its rows; committed like any write`, this.lsn[leader]);
    const lsn = this.lsn[leader] + core.workload.writeSizeBytes;
    this.lsn[leader] = lsn;
    let lastApply = now;
    for (let r = 0; r < this.nodes.length; r++) {
      if (this.following[r] !== leader || !this.streaming(r, leader)) continue;
      this.ship(r, leader, lsn, now, now);
      const stream = this.streams[r];
      lastApply = Math.max(lastApply, stream.lastApplyMs);
      core.note(stream.lastApplyMs, this.nodes[r].name, "bad-write-applied", `replayed the ${verb}: the damage is now on this replica too`);
    }
    core.recordBadWrite(f, now, false, lastApply - now);
  }

  /** An acknowledged write survived when it is in the history of the final timeline. */
  survived(id: number): boolean {
    const log = this.core.log;
    return this.core.epochs.contains(this.nodeEpoch[this.official], log.epoch[id], log.lsn[id]);
  }

  /** Nodes acting as leader right now (more than one: split brain). */
  actingLeaders(): number[] {
    const out: number[] = [];
    for (let n = 0; n < this.nodes.length; n++) if (this.role[n] === "leader" && this.core.alive[n] === 1) out.push(n);
    return out;
  }

  /** At a heal: an old leader that can see the coordinator again learns it lost, demotes and rewinds. */
  healed(now: number): void {
    const core = this.core;
    for (let n = 0; n < this.nodes.length; n++) {
      if (n === this.official || this.role[n] !== "leader" || core.alive[n] !== 1) continue;
      if (!core.reachesCoordinator(n)) continue;
      core.note(now, this.nodes[n].name, "demote", `sees ${this.nodes[this.official].name} holds the leader key: demotes itself; split brain over`);
      this.becomeReplica(n, now);
      core.failPending(n, now);
    }
    // Replicas whose stream broke reconnect (an old leader rewinds first).
    for (let r = 0; r < this.nodes.length; r++) {
      if (!this.disconnected[r] || this.role[r] !== "replica" || core.alive[r] !== 1) continue;
      if (!core.network.reachable(r, this.official)) continue;
      this.disconnected[r] = 0;
      core.queue.push(now + (this.streams[r].epoch !== this.nodeEpoch[this.official] ? REJOIN_DELAY_MS : 1), EV.REPLICA_CONNECT, r);
    }
    this.recomputePending(now);
  }

  /** A partition began: streams across it break. */
  partitioned(now: number): void {
    const core = this.core;
    for (let r = 0; r < this.nodes.length; r++) {
      const leader = this.following[r];
      if (leader >= 0 && !core.network.reachable(leader, r)) {
        this.streams[r].cut(now, false);
        this.disconnected[r] = 1;
        this.connected[r] = 0;
        this.retryLater(r, now);
      }
    }
    this.recomputePending(now);
  }

  /** Latest acknowledged write visible? Used for the invariant on sync acknowledgements. */
  /** Replica r's stream (the durability checker reads what it acknowledged). */
  streamOf(r: number): ReplicaStream {
    return this.streams[r];
  }
}
