// Faults applied to the leader/follower shape: crashes, recoveries, stalls,
// slow replicas, bad writes, partitions and their healing.
import type { ShapeFault } from "../core/state.js";
import { assertNever } from "../../base/assert.js";
import type { CrashCause } from "../core/events.js";
import type { ResolvedFault } from "../../model/types.js";
import { EV } from "../core.js";
import { queueEndpointChange } from "../core/clients.js";
import { LeaderFollowerState, REJOIN_DELAY_MS } from "./state.js";
import { ship, recomputePending, requestFlush, loseUnflushedWal, startWal } from "./commit.js";
import { rebuild } from "./rejoin.js";
import { lagAtMoment } from "./reads.js";
import { standbysWentSilent } from "./sync-set.js";
import { startTimer } from "./raft-timer.js";

export function fault(s: LeaderFollowerState, f: ShapeFault, now: number): void {
  const core = s.core;
  const index = (name: string) => s.nodes.findIndex((x) => x.name === name);
  switch (f.kind) {
    case "crash":
      return crashNode(s, f.nodeIndex, now, { kind: "host-failed" });
    case "recover":
      return recoverNode(s, f.nodeIndex ?? index(f.node), now);
    case "stall": {
      const n = f.nodeIndex;
      const until = now + (f.forMs ?? core.endMs);
      s.stallUntil[n] = until;
      core.note(now, f.node, { event: "stall", forMs: until - now });
      core.queue.push(until, EV.STALL_END, n);
      return;
    }
    case "slow": {
      const n = f.nodeIndex;
      const before = s.applyRate[n];
      s.applyRate[n] = f.applyRate;
      s.streams[n].retimeApply(now, f.applyRate);
      s.schedulePromotion(now);
      core.note(now, f.node, { event: "slow", fromRate: before, toRate: f.applyRate });
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.RESTORE_APPLY_RATE, n, before);
      return recomputePending(s, now);
    }
    case "promote_fails":
      s.promoteFails[f.nodeIndex] = 1;
      core.note(now, f.node, { event: "promote-will-fail" });
      return;
    case "rebuild":
      return rebuild(s, f.nodeIndex, now);
    case "bad_write":
      return badWrite(s, f, now);
    default:
      return assertNever(f, "fault kind");
  }
}

export function crashNode(s: LeaderFollowerState, n: number, now: number, why: CrashCause): void {
  const core = s.core;
  if (core.alive[n] !== 1) return;
  // How far behind the replicas were when the leader failed: the backlog a promotion will lack.
  if (n === s.official) lagAtMoment(s, now);
  core.alive[n] = 0;
  const wasLeader = s.role[n] === "leader";
  const lostUnflushed = wasLeader ? loseUnflushedWal(s, n, now) : 0;
  core.note(now, s.nodes[n].name, { event: "crash", cause: why, ...(lostUnflushed > 0 ? { lostUnflushed } : {}) });
  if (n === s.official && !s.failoverInProgress) s.failoverStartMs = now;
  s.crashedAsLeader[n] = wasLeader ? 1 : 0;
  s.role[n] = "down";
  s.connected[n] = 0;
  s.trackWriter(n, now);
  if (wasLeader) {
    for (let r = 0; r < s.nodes.length; r++) {
      if (s.following[r] !== n) continue;
      s.streams[r].cut(now, false);
      s.connected[r] = 0;
      s.retryLater(r, now);
    }
    core.failPending(n, now);
  } else {
    s.streams[n].cut(now, true);
    s.streamLostMs[n] = now;
    // The leader notices the lost standby at its next HA loop once its WAL sender or (Patroni) its member key has
    // timed out (sync-set.ts stillListed); until then FIRST n commits wait for it.
    standbysWentSilent(s, now);
  }
  recomputePending(s, now);
}

export function recoverNode(s: LeaderFollowerState, n: number, now: number): void {
  const core = s.core;
  if (core.alive[n] === 1) return;
  if (core.network.isLost(n)) return;
  core.alive[n] = 1;
  startWal(s, n, s.lsn[n], now, true);
  const consensus = core.topology.replication.mode === "consensus";
  if (consensus) s.memberUpAtMs[n] = now + s.rejoinDelayMs();
  // A Raft member back while no leader's heartbeats reach the group runs its own election timer, from when it is up.
  if (consensus && (s.failoverInProgress || s.electionTimerDrawnFor === s.renewals)) startTimer(s, n, now);
  const leaseValid = now < s.lastRenewalMs + s.core.topology.derived.detection.ttlMs;
  // A Raft member keeps its term, vote and log across a restart, never its role: a leader comes back as a
  // follower, and the others, hearing no heartbeat, campaign when their election timers run out.
  if (n === s.official && !s.failoverInProgress && consensus) return restartAsFollower(s, n, now);
  if (n === s.official && !s.failoverInProgress && leaseValid && core.reachesCoordinator(n)) {
    // Back before its lease ran out: it renews the key and leads on; its replicas' WAL receivers reconnect at
    // their next retry and a proxy marks it up again.
    s.role[n] = "leader";
    s.trackWriter(n, now);
    s.renew(now);
    core.note(now, s.nodes[n].name, { event: "recover", as: "leader-within-lease" });
    for (let r = 0; r < s.nodes.length; r++) if (s.following[r] === n && s.role[r] === "replica") s.retryLater(r, now);
    queueEndpointChange(core, n, now);
    return;
  }
  if (n === s.official && !s.failoverInProgress) {
    // Back after its lease expired: Patroni starts it as a replica and it races for the key like the others.
    core.note(now, s.nodes[n].name, { event: "recover", as: "replica-racing" });
    if (s.crashedAsLeader[n]) s.role[n] = "leader";
    s.crashedAsLeader[n] = 0;
    s.becomeReplica(n, now);
    return;
  }
  // Only a node that led can hold WAL the new timeline lacks: pg_rewind is for it. A Raft log is truncated by the leader's AppendEntries instead.
  const rejoinMs = s.rejoinDelayMs();
  const leading = !s.failoverInProgress && s.official !== n && core.alive[s.official] === 1 && s.role[s.official] === "leader";
  core.note(now, s.nodes[n].name, s.crashedAsLeader[n] === 1 && !consensus ? { event: "recover", as: "replica-rewind", rejoinMs, ...(leading ? {} : { noLeader: true as const }) } : { event: "recover", as: "replica-restart", rejoinMs, consensus, ...(leading || consensus ? {} : { noLeader: true as const }) });
  if (s.crashedAsLeader[n]) s.role[n] = "leader";
  s.crashedAsLeader[n] = 0;
  s.becomeReplica(n, now);
}

/**
 * The service's new instance for failed leader `n` is up (replaceFailedLeaderLater): on the same volume, so with
 * every write flushed to it. It stands as the failed leader back, which a failover with nobody else restarts in place.
 */
export function replaceFailedLeader(s: LeaderFollowerState, n: number, forFailoverAt: number, now: number): void {
  const core = s.core;
  // Started for an earlier failure, which ended otherwise (the old leader back, a reader promoted): void.
  if (forFailoverAt !== s.failoverStartMs || core.alive[n] === 1 || core.network.isLost(n) || n !== s.official || !s.failoverInProgress) return;
  s.replacingSince = NaN;
  core.alive[n] = 1;
  startWal(s, n, s.lsn[n], now, true);
  core.note(now, s.nodes[n].name, { event: "instance-replaced" });
  if (s.crashedAsLeader[n]) s.role[n] = "leader";
  s.crashedAsLeader[n] = 0;
  s.becomeReplica(n, now);
}

/** The Raft leader back before an election: a follower of nobody until one is held (it may stand in it). */
function restartAsFollower(s: LeaderFollowerState, n: number, now: number): void {
  // With no other member up, no follower's timer ran or runs out before it: it waits, like them, for an election.
  let others = false;
  for (let r = 0; r < s.nodes.length; r++) others ||= r !== n && s.core.alive[r] === 1;
  s.core.note(now, s.nodes[n].name, { event: "recover", as: "replica-restart", rejoinMs: s.rejoinDelayMs(), consensus: true, ...(others ? { awaitsElection: true as const } : { noLeader: true as const }) });
  s.crashedAsLeader[n] = 0;
  s.role[n] = "leader";
  s.becomeReplica(n, now);
}

export function badWrite(s: LeaderFollowerState, f: ResolvedFault & { kind: "bad_write" }, now: number): void {
  const core = s.core;
  const leader = s.official;
  if (core.alive[leader] !== 1) return;
  const statement = f.statement;
  const unqualified = f.statement === "update-all" || (f.statement === "delete" && f.rows >= 1);
  if (unqualified && core.topology.backups?.guards.unqualifiedDml === "block") {
    core.note(now, s.nodes[leader].name, { event: "guard-blocked", statement, dataClass: f.dataClass });
    core.recordBadWrite(f, now, true, null);
    return;
  }
  core.note(now, s.nodes[leader].name, { event: "bad-write", statement, dataClass: f.dataClass, rowsShare: f.rows }, s.lsn[leader]);
  const lsn = s.lsn[leader] + core.workload.writeSizeBytes;
  s.lsn[leader] = lsn;
  // The statement commits synchronously: its WAL (and any asynchronous commit before it) leaves once flushed.
  const flush = requestFlush(s, leader, now);
  let lastApply = now;
  for (let r = 0; r < s.nodes.length; r++) {
    if (s.following[r] !== leader || !s.streaming(r, leader)) continue;
    ship(s, r, leader, lsn, now, flush);
    const stream = s.streams[r];
    lastApply = Math.max(lastApply, stream.lastApplyMs);
    core.note(stream.lastApplyMs, s.nodes[r].name, { event: "bad-write-applied", statement });
  }
  core.recordBadWrite(f, now, false, lastApply - now);
}

/** At a heal: an old leader that can see the coordinator again learns it lost, demotes and rewinds. */
export function healed(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  for (let n = 0; n < s.nodes.length; n++) {
    if (n === s.official || s.role[n] !== "leader" || core.alive[n] !== 1) continue;
    if (!core.reachesCoordinator(n)) continue;
    core.note(now, s.nodes[n].name, { event: "demote", reason: "sees-leader-split-brain-over", leader: s.nodes[s.official].name });
    s.becomeReplica(n, now);
    core.failPending(n, now);
  }
  // Replicas whose stream broke reconnect (a PostgreSQL old leader rewinds and restarts first; a Raft member's log is
  // truncated by the leader's AppendEntries, with no restart).
  const consensus = core.topology.replication.mode === "consensus";
  for (let r = 0; r < s.nodes.length; r++) {
    if (!s.disconnected[r] || s.role[r] !== "replica" || core.alive[r] !== 1) continue;
    if (!core.network.reachable(r, s.official)) continue;
    s.disconnected[r] = 0;
    const rejoin = consensus ? s.nextContactMs(r, now) : now + (s.streams[r].epoch !== s.nodeEpoch[s.official] ? REJOIN_DELAY_MS : 1);
    core.queue.push(rejoin, EV.REPLICA_CONNECT, r);
  }
  recomputePending(s, now);
}

/** A partition began: streams across it break, and a leader cut off from the coordinator starts failing now. */
export function partitioned(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const leader = s.official;
  if (leader >= 0 && core.alive[leader] === 1 && !s.failoverInProgress && Number.isNaN(s.failoverStartMs) && !core.reachesCoordinator(leader)) s.failoverStartMs = now;
  for (let r = 0; r < s.nodes.length; r++) {
    const leader = s.following[r];
    if (leader >= 0 && !core.network.reachable(leader, r)) {
      s.streams[r].cut(now, false);
      // A stream already broken (its host crashed, an earlier partition) was lost then, not now: re-dating it would
      // have the leader count a dead standby as listed again, for another wal_sender_timeout or member key's ttl.
      if (Number.isNaN(s.streamLostMs[r])) s.streamLostMs[r] = now;
      s.disconnected[r] = 1;
      s.connected[r] = 0;
      s.retryLater(r, now);
    }
  }
  standbysWentSilent(s, now);
  recomputePending(s, now);
}
