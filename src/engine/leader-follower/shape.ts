// The leader/follower replication shape as the core sees it: it dispatches
// events and queries to the rule modules of this folder.
import type { ShapeFault } from "../core/state.js";
import type { CrashCause } from "../core/events.js";
import type { LagBudget, ResolvedFault } from "../../model/types.js";
import { Core, EV, type Shape } from "../core.js";
import { renewalPeriodMs } from "../../base/failover-timing.js";
import { ReplicaStream } from "../replica-stream.js";
import type { BlockedInterval, HistorySource, NodeFinalState, WriterInterval } from "../history.js";
import { LeaderFollowerState } from "./state.js";
import { appendWrite, commitTime, ackStillValid, recomputePending, walWriterTick } from "./commit.js";
import { updateSyncSet, semiSyncTimeout, walSenderTimedOut } from "./sync-set.js";
import { replicaConnect, rebuildDone } from "./rejoin.js";
import { fault, crashNode, healed, partitioned, replaceFailedLeader } from "./faults.js";
import { haTick, leaseCheck, fence, election, selfDemote, promoted, campaign } from "./election.js";
import { settledLsn, heldLsn, releaseSettled, orphan } from "./settled.js";
import { forwardTarget, consensusReadMs } from "./forward.js";
import { answersReads, readPoolCheck, startReadPoolChecks } from "./read-pool.js";
import { pickReplica, visible, lagSample, finalStates, finalEpoch, syncSatisfied, writerIntervals, blockedIntervals, survived, actingLeaders } from "./reads.js";

export class LeaderFollower implements Shape, HistorySource {
  private readonly s: LeaderFollowerState;
  /** A consensus group serves a leader read through a quorum round (ReadIndex); PostgreSQL's leader answers locally. */
  readonly leaderRead: ((node: number, now: number, arriveMs: number) => number) | undefined;
  /** A consensus follower forwards requests to the leader it knows; a PostgreSQL replica refuses writes. */
  readonly forwardTo: ((node: number) => number) | undefined;

  constructor(core: Core) {
    this.s = new LeaderFollowerState(core);
    const s = this.s;
    const consensus = core.topology.replication.mode === "consensus";
    this.forwardTo = consensus ? (node) => forwardTarget(s, node) : undefined;
    this.leaderRead = consensus ? (node, now, arriveMs) => consensusReadMs(s, node, now, arriveMs) : undefined;
  }

  /** Whether `node` accepts writes right now. */
  acceptsWrites(node: number): boolean {
    return this.s.role[node] === "leader" && this.s.core.alive[node] === 1;
  }

  /** An acknowledgement is about to be delivered: is it still true? */
  ackStillValid(id: number, atMs: number): boolean {
    return ackStillValid(this.s, id, atMs);
  }

  /** Nodes acting as leader right now (more than one: split brain). */
  actingLeaders(): number[] {
    return actingLeaders(this.s);
  }

  /** Appends a client write on acting leader `node` at `atMs` and schedules its outcome. */
  appendWrite(id: number, node: number, atMs: number): void {
    appendWrite(this.s, id, node, atMs);
  }

  blockedIntervals(endMs: number): BlockedInterval[] {
    return blockedIntervals(this.s, endMs);
  }

  /** When write `id` commits on its leader under its class's commit level and the synchronous rule (Infinity: blocked). */
  commitTime(id: number): number {
    return commitTime(this.s, id);
  }

  crashNode(n: number, now: number, why: CrashCause): void {
    crashNode(this.s, n, now, why);
  }

  fault(f: ShapeFault, now: number): void {
    fault(this.s, f, now);
  }

  finalEpoch(): number {
    return finalEpoch(this.s);
  }

  finalStates(): NodeFinalState[] {
    return finalStates(this.s);
  }

  handle(kind: number, a: number, b: number, now: number): void {
    switch (kind) {
      case EV.HA_TICK:
        return haTick(this.s, a, b, now);
      case EV.DEGRADE_CHECK:
        return semiSyncTimeout(this.s, a, now);
      case EV.LEASE_CHECK:
        return leaseCheck(this.s, b, now);
      case EV.ELECTION:
        return election(this.s, now);
      case EV.CAMPAIGN:
        return campaign(this.s, a, b, now);
      case EV.REPLACE_INSTANCE:
        return replaceFailedLeader(this.s, a, b, now);
      case EV.WAL_SENDER_TIMEOUT:
        return walSenderTimedOut(this.s, a, now);
      case EV.PROMOTED:
        return promoted(this.s, a, now);
      case EV.FENCE:
        return fence(this.s, a, now);
      case EV.ENDPOINT:
        return this.s.core.endpointSwitched(a, now);
      case EV.REPLICA_CONNECT:
        return replicaConnect(this.s, a, now);
      case EV.REPLICA_RETRY:
        this.s.retryQueued[a] = 0;
        // Re-pointed at a new leader: the receiver's next attempt is already scheduled.
        if (now < this.s.repointedStreamMs[a]) return;
        return replicaConnect(this.s, a, now);
      case EV.REBUILD_DONE:
        return rebuildDone(this.s, a, b, now);
      case EV.SELF_DEMOTE:
        return selfDemote(this.s, a, now);
      case EV.READ_POOL_CHECK:
        return readPoolCheck(this.s, now);
      case EV.LAG_SAMPLE:
        return lagSample(this.s, now);
      case EV.RESTORE_APPLY_RATE:
        this.s.applyRate[a] = b;
        this.s.streams[a].retimeApply(now, b);
        this.s.schedulePromotion(now);
        this.s.core.note(now, this.s.nodes[a].name, { event: "slow-end", rate: b });
        return recomputePending(this.s, now);
      case EV.WAL_WRITER:
        return walWriterTick(this.s, a, now);
      case EV.STALL_END:
        if (this.s.core.alive[a] !== 1) return;
        this.s.core.note(now, this.s.nodes[a].name, { event: "stall-end" });
        return;
    }
  }

  /** At a heal: an old leader that can see the coordinator again learns it lost, demotes and rewinds. */
  healed(now: number): void {
    healed(this.s, now);
  }

  get leaderNode(): number {
    return this.s.leaderNode;
  }

  /** A partition began: streams across it break. */
  partitioned(now: number): void {
    partitioned(this.s, now);
  }

  /** The node that serves a replica read for a session whose last write is (epoch, lsn); −1: use the leader. */
  pickReplica(client: number, routing: "session" | "any" | "max_lag", budget: LagBudget, atMs: number): number {
    return pickReplica(this.s, client, routing, budget, atMs);
  }

  /** Whether `node` answers a query now (a read the proxy sends to one that does not fails at the client's timeout). */
  answersReads(node: number): boolean {
    return answersReads(this.s, node);
  }

  start(): void {
    const core = this.s.core;
    const lease = core.topology.failover.detection;
    if (lease.kind === "lease" && lease.given) {
      core.note(0, "cluster", { event: "lease-lowered", ttlMs: lease.ttlMs, loopWaitMs: lease.loopWaitMs, retryTimeoutMs: lease.retryTimeoutMs, givenLoopWaitMs: lease.given.loopWaitMs, givenRetryTimeoutMs: lease.given.retryTimeoutMs });
    }
    const replication = core.topology.replication;
    const unused = core.topology.failover.unused;
    if (replication.mode === "consensus" && unused !== undefined) {
      const randomizedMs = lease.kind === "heartbeat" ? (lease.randomizedMs ?? 0) : 0;
      core.note(0, "cluster", { event: "failover-unused", keys: unused, electionTimeoutMs: replication.electionTimeoutMs, heartbeatMs: replication.heartbeatMs, randomizedMs });
    }
    updateSyncSet(this.s, 0, false);
    // The lease was renewed at a seeded phase before t=0, as in a cluster already running.
    const period = core.topology.derived.detection.renewalPeriodMs;
    const phase = core.rng.next() * period;
    this.s.renew(phase - period);
    core.queue.push(phase, EV.HA_TICK, this.s.official);
    core.queue.push(1000, EV.LAG_SAMPLE);
    startReadPoolChecks(this.s);
  }

  /** Latest acknowledged write visible? Used for the invariant on sync acknowledgements. */
  /** Replica r's stream (the durability checker reads what it acknowledged). */
  streamOf(r: number): ReplicaStream {
    return this.s.streamOf(r);
  }

  /** The highest LSN of timeline `epoch` held by every node that still matters (−1: none): writes up to it are settled. */
  settledLsn(epoch: number, now: number): number {
    return settledLsn(this.s, epoch, now);
  }

  /** The highest LSN of timeline `epoch` any node that still matters holds (−1: none): a write above it is orphaned. */
  heldLsn(epoch: number, now: number): number {
    return heldLsn(this.s, epoch, now);
  }

  releaseSettled(settled: readonly number[]): void {
    releaseSettled(this.s, settled);
  }

  orphan(epoch: number, lsn: number, status: number): void {
    orphan(this.s, epoch, lsn, status);
  }

  /** An acknowledged write survived when it is in the history of the final timeline. */
  survived(id: number): boolean {
    return survived(this.s, id);
  }

  syncSatisfied(): boolean | null {
    return syncSatisfied(this.s);
  }

  /** Whether the latest acknowledged write (epoch, lsn) is visible on `node` at `atMs`. */
  visible(node: number, epoch: number, lsn: number, atMs: number): boolean {
    return visible(this.s, node, epoch, lsn, atMs);
  }

  // -------------------------------------------------------------------------
  // History for the checkers (HistorySource)

  writerIntervals(endMs: number): WriterInterval[] {
    return writerIntervals(this.s, endMs);
  }
}
