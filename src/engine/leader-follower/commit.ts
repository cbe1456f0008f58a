// Commit rules: when a write is acknowledged under its class's commit level and
// the synchronous rule (FIRST n, ANY k of M, a consensus majority).
import { EV } from "../core.js";
import { ACKED } from "../write-log.js";
import { keepSmallest } from "../../base/order.js";
import { LeaderFollowerState, COMMIT_OFF, COMMIT_LOCAL, WAL_WRITER_DELAY_MS } from "./state.js";

/** Appends a client write on acting leader `node` at `atMs` and schedules its outcome. */
export function appendWrite(s: LeaderFollowerState, id: number, node: number, atMs: number): void {
  const core = s.core;
  const log = core.log;
  const size = core.workload.writeSizeBytes;
  const lsn = (s.lsn[node] += size);
  const epoch = s.nodeEpoch[node];
  const i = id & log.mask;
  log.lsn[i] = lsn;
  log.epoch[i] = epoch;
  log.node[i] = node;
  log.appendMs[i] = atMs;
  if (s.classAckLevel[log.cls[i]] === COMMIT_OFF) {
    // synchronous_commit = off: the commit returns without a flush of its own. The write is durable, and
    // leaves for the replicas, at the first flush that starts after it: one already queued, or else the
    // next one a synchronous commit or the WAL writer asks for (settleAsync).
    s.epochWrites[epoch].push(id, lsn);
    const queued = queuedFlush(s, node, atMs);
    log.flushMs[i] = queued;
    if (!Number.isNaN(queued)) {
      s.nextFlushLsn[node] = lsn;
      shipToReplicas(s, node, lsn, atMs, queued);
    } else if (s.asyncPending[node]++ === 0) queueWalWriter(s, node, atMs);
  } else {
    // (Listed after the flush settles the asynchronous commits before it: they are the newest listed.)
    const flush = requestFlush(s, node, atMs);
    s.epochWrites[epoch].push(id, lsn);
    log.flushMs[i] = flush;
    shipToReplicas(s, node, lsn, atMs, flush);
    // A flush that never ends (a shared volume out of reach): the write waits, like an asynchronous commit, for the
    // next flush that ends, which makes it durable and ships it (its client has timed out by then, or not).
    if (flush === Infinity) s.asyncPending[node]++;
  }
  scheduleOutcome(s, id, atMs);
}

/**
 * A flush of node's WAL asked for at `atMs` (a synchronous commit, or the WAL writer): when it ends. Group
 * commit: a flush covers everything appended before it starts; one asked for while another runs starts when
 * that one ends, shared by everything asked for meanwhile. Flushes are cumulative by LSN, so the asynchronous
 * commits still waiting are durable with it.
 */
export function requestFlush(s: LeaderFollowerState, node: number, atMs: number): number {
  if (s.volume !== null) {
    // A shared volume's flushes are pipelined (SharedVolume.flush); the asynchronous commits still waiting go with
    // this one, unless it never ends (no quorum within reach): they wait for the next.
    const end = s.volume.flush(node, atMs, s.lsn[node], s.core.rng);
    if (s.asyncPending[node] > 0 && end !== Infinity) settleAsync(s, node, end);
    return end;
  }
  queuedFlush(s, node, atMs);
  let flush: number;
  if (atMs >= s.flushEnd[node]) {
    s.durableLsn[node] = Math.max(s.durableLsn[node], s.flushLsn[node]);
    flush = s.flushEnd[node] = atMs + s.fsync.sample(s.core.rng);
    s.flushLsn[node] = s.lsn[node];
  } else {
    if (Number.isNaN(s.nextFlushEnd[node])) s.nextFlushEnd[node] = s.flushEnd[node] + s.fsync.sample(s.core.rng);
    flush = s.nextFlushEnd[node];
    s.nextFlushLsn[node] = s.lsn[node];
  }
  if (s.asyncPending[node] > 0) settleAsync(s, node, flush);
  return flush;
}

/**
 * The end of the flush queued on node that has not started by `atMs` (NaN: none), after making a queued flush
 * that has started the one under way. Asynchronous commits wait only while none is queued.
 */
function queuedFlush(s: LeaderFollowerState, node: number, atMs: number): number {
  // Nothing waits in line for a shared volume: each flush starts when asked for.
  if (s.volume !== null) return NaN;
  if (!Number.isNaN(s.nextFlushEnd[node]) && s.flushEnd[node] <= atMs) {
    s.durableLsn[node] = Math.max(s.durableLsn[node], s.flushLsn[node]);
    s.flushEnd[node] = s.nextFlushEnd[node];
    s.flushLsn[node] = s.nextFlushLsn[node];
    s.nextFlushEnd[node] = NaN;
  }
  return s.nextFlushEnd[node];
}

/** The highest LSN of node's WAL on its disk at `atMs` (a moment no earlier than the last flush asked for). */
export function flushedLsn(s: LeaderFollowerState, node: number, atMs: number): number {
  if (s.volume !== null) return s.volume.durableLsn(node, atMs);
  let lsn = s.durableLsn[node];
  if (s.flushEnd[node] <= atMs) lsn = Math.max(lsn, s.flushLsn[node]);
  if (s.nextFlushEnd[node] <= atMs) lsn = Math.max(lsn, s.nextFlushLsn[node]);
  return lsn;
}

/**
 * The asynchronous commits waiting for a flush (the newest asyncPending writes of node's timeline) are durable
 * at `flush`, and the walsender ships them then, in LSN order, ahead of the write that asked for it.
 */
function settleAsync(s: LeaderFollowerState, node: number, flush: number): void {
  const log = s.core.log;
  const writes = s.epochWrites[s.nodeEpoch[node]];
  for (let k = s.asyncPending[node]; k > 0; k--) {
    const id = writes.idFromEnd(k);
    const i = id & log.mask;
    log.flushMs[i] = flush;
    shipToReplicas(s, node, log.lsn[i], log.appendMs[i], flush);
  }
  s.asyncPending[node] = 0;
}

/** Queues node's next WAL writer flush after `atMs` (ticks every WAL_WRITER_DELAY_MS from its start), unless one is queued. */
function queueWalWriter(s: LeaderFollowerState, node: number, atMs: number): void {
  if (s.walWriterAt[node] >= atMs) return;
  const phase = s.walWriterPhaseMs[node];
  const tick = phase + (Math.floor((atMs - phase) / WAL_WRITER_DELAY_MS) + 1) * WAL_WRITER_DELAY_MS;
  s.walWriterAt[node] = tick;
  s.core.queue.push(tick, EV.WAL_WRITER, node);
}

/** The WAL writer wakes: it flushes the asynchronous commits no synchronous one's flush has covered. */
export function walWriterTick(s: LeaderFollowerState, node: number, now: number): void {
  // A tick of an earlier start of the server (or one made redundant) has been replaced.
  if (s.walWriterAt[node] !== now) return;
  s.walWriterAt[node] = NaN;
  if (s.asyncPending[node] > 0 && s.role[node] === "leader" && s.core.alive[node] === 1) requestFlush(s, node, now);
}

/**
 * Ships one write to every replica streaming from `node`: the walsender sends it once flushed (and not while
 * stalled), at its next send when it sends on an interval (wal_sender_batch; 0, PostgreSQL 9.2 and later: as soon
 * as the flush completes); a Raft leader sends it as it appends it, while its own flush runs (shipsOnAppend).
 */
function shipToReplicas(s: LeaderFollowerState, node: number, lsn: number, appendMs: number, flush: number): void {
  // A flush that never ends (a shared volume out of reach) ships nothing: the next one that ends carries its WAL.
  if (flush === Infinity) return;
  const ready = Math.max(s.shipsOnAppend ? appendMs : flush, s.stallUntil[node]);
  const batch = s.senderBatchMs;
  const departure = batch > 0 ? Math.ceil(ready / batch) * batch : ready;
  for (let r = 0; r < s.nodes.length; r++) {
    if (s.following[r] === node && s.streaming(r, node)) ship(s, r, node, lsn, appendMs, departure);
  }
}

/**
 * A leader crashes (its host, or its server killed): crash recovery replays only the WAL on disk, so its WAL
 * ends at its last completed flush, even if it comes back as the leader. The writes past it are on no timeline
 * (epoch −1); returns how many had been acknowledged (asynchronous commits return before their flush).
 */
export function loseUnflushedWal(s: LeaderFollowerState, node: number, now: number): number {
  const log = s.core.log;
  const flushed = flushedLsn(s, node, now);
  let acked = 0;
  for (const id of s.epochWrites[s.nodeEpoch[node]].truncateAbove(flushed)) {
    const i = id & log.mask;
    log.epoch[i] = -1;
    if (log.status[i] === ACKED) acked++;
  }
  startWal(s, node, flushed, now, false);
  return acked;
}

/**
 * A node starts writing its WAL at `lsn` at `now` (a promotion, or a restart after crash recovery): nothing is
 * waiting for a flush, everything up to `lsn` is on disk, and its WAL writer ticks from now on.
 */
export function startWal(s: LeaderFollowerState, node: number, lsn: number, now: number, restarted: boolean): void {
  s.lsn[node] = lsn;
  s.durableLsn[node] = s.flushLsn[node] = lsn;
  s.flushEnd[node] = now;
  s.nextFlushEnd[node] = NaN;
  s.asyncPending[node] = 0;
  s.volume?.reset(node, lsn);
  if (restarted) {
    s.walWriterAt[node] = NaN;
    s.walWriterPhaseMs[node] = now;
  }
}

/** Computes when one write reaches replica `r`, is flushed and replayed there, and when each ack returns. */
export function ship(s: LeaderFollowerState, r: number, leader: number, lsn: number, appendMs: number, departure: number): void {
  // WAL whose flush never ends (a shared volume out of reach) never leaves: a later flush's WAL carries it.
  if (departure === Infinity) return;
  const core = s.core;
  const stream = s.streams[r];
  if (departure !== s.batchDeparture[r]) {
    s.batchDeparture[r] = departure;
    s.batchLatency[r] = core.network.streamLatency(leader, r, departure);
    s.batchBack[r] = core.network.streamLatency(r, leader, departure + s.batchLatency[r]);
    s.batchFsync[r] = s.fsync.sample(core.rng);
  }
  const recv = Math.max(departure + s.batchLatency[r], stream.lastRecvMs);
  const flush = Math.max(recv + s.batchFsync[r], stream.lastFlushMs);
  const rate = s.applyRate[r];
  // The standby's startup process replays only what its walreceiver has flushed.
  const apply = rate > 0 ? Math.max(flush, stream.lastApplyMs) + 1000 / rate : Infinity;
  const back = s.batchBack[r];
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
export function commitTime(s: LeaderFollowerState, id: number): number {
  const log = s.core.log;
  const w = id & log.mask;
  const ackLevel = s.classAckLevel[log.cls[w]];
  if (ackLevel === COMMIT_OFF) return log.appendMs[w];
  const flush = log.flushMs[w];
  const leader = log.node[w];
  // A deposed leader still waits for its standbys — which now follow someone else, so its commits hang; unless it
  // is a semi-sync source, which gives up waiting after degrade_after and then commits alone.
  if (ackLevel === COMMIT_LOCAL || s.sync === null || (leader === s.official ? s.degraded : s.deposedAsync[leader] === 1)) return flush;
  return Math.max(flush, ruleAckTime(s, leader, log.epoch[w], log.lsn[w], ackLevel));
}

/**
 * When `leader`'s `lsn` (of timeline `epoch`) has the acknowledgements at `ackLevel` that the synchronous rule in
 * force asks for (Infinity: never; −Infinity: the rule asks for none).
 */
export function ruleAckTime(s: LeaderFollowerState, leader: number, epoch: number, lsn: number, ackLevel: number): number {
  // A deposed leader still running waits by its own rule, not by the new leader's (which may ask for no standby).
  const rule = leader === s.official ? s : (s.deposedRule[leader] ?? s);
  if (rule.ruleFirst) {
    if (rule.syncSet.length < rule.ruleCount) return Infinity;
    let t = -Infinity;
    for (const r of rule.syncSet) t = Math.max(t, ackOf(s, r, leader, epoch, lsn, ackLevel));
    return t;
  }
  // The count-th earliest acknowledgement among the rule's members, without allocating.
  const candidates = rule.ruleMembers;
  const best = s.ackScratch;
  const k = rule.ruleCount;
  // A group of one (ANY 0) commits on its own flush.
  if (k === 0) return -Infinity;
  if (k === 1) {
    // The common case (ANY 1, or the quorum's fallback): the earliest acknowledgement.
    let first = Infinity;
    for (let i = 0; i < candidates.length; i++) {
      const t = ackOf(s, candidates[i], leader, epoch, lsn, ackLevel);
      if (t < first) first = t;
    }
    return first;
  }
  // (A loop, not TypedArray.fill: fill is a call into the runtime, dear on the hot path.)
  for (let j = 0; j < k; j++) best[j] = Infinity;
  for (let i = 0; i < candidates.length; i++) keepSmallest(best, k, ackOf(s, candidates[i], leader, epoch, lsn, ackLevel));
  return best[k - 1];
}

/** When replica `r`'s acknowledgement of `lsn` at `level` reaches `leader` (Infinity: never). */
export function ackOf(s: LeaderFollowerState, r: number, leader: number, epoch: number, lsn: number, level: number): number {
  return s.following[r] === leader && s.streams[r].epoch === epoch ? s.streams[r].ackTimeFor(lsn, level) : Infinity;
}

/**
 * Schedules write id's acknowledgement (or its timeout), decided at `now`. A commit rule that is
 * satisfied only now (a standby that already flushed the write joins the synchronous set) releases
 * the waiting commit now, never in the past.
 */
export function scheduleOutcome(s: LeaderFollowerState, id: number, now: number): void {
  const core = s.core;
  const log = core.log;
  const i = id & log.mask;
  // Committed already, its acknowledgement on its way: nothing that changes now can take the commit back (only
  // the leader's death can stop the acknowledgement). Working it out again would move it to now + a trip: a
  // consensus leader re-evaluates at every heartbeat, which kept pushing acknowledgements past the timeout.
  if (log.commitMs[i] <= now) {
    log.scheduledAt[i] = COMMITTED;
    return;
  }
  const commitAt = commitTime(s, id);
  const commit = Math.max(commitAt, now);
  if (commitAt - log.flushMs[i] > s.semiSyncTimeoutMs) armSemiSyncTimeout(s, id);
  const deadline = log.sendMs[i] + core.workload.timeoutMs;
  const version = ++log.version[i];
  log.scheduledAt[i] = core.generation;
  if (Number.isFinite(commit)) {
    const ackAt = commit + ackTripMs(s, i);
    if (ackAt <= deadline) {
      log.commitMs[i] = commit;
      core.queue.push(ackAt, EV.WRITE_ACK, id, version);
      return;
    }
  }
  log.commitMs[i] = NaN;
  // A write reaches the leader by its client's deadline (a later arrival times out at the deadline, sendOn), so
  // the deadline is not past here; a re-evaluation after it finds the write settled.
  core.queue.push(Math.max(now, deadline), EV.WRITE_TIMEOUT, id, version);
}

/** `scheduledAt` of a write whose commit moment passed before a re-evaluation: final, whatever changed since. */
const COMMITTED = Infinity;

/** The acknowledgement's way from the leader to the client of the write in slot `i`: through the follower that forwarded it, if one did. */
function ackTripMs(s: LeaderFollowerState, i: number): number {
  const log = s.core.log;
  const net = s.core.network;
  const client = s.core.clientPlace[log.client[i]];
  const via = log.via[i];
  return via < 0 ? net.latency(log.node[i], client) : net.latency(log.node[i], via) + net.latency(via, client);
}

/**
 * An acknowledgement is about to be delivered: is it still true? It was scheduled for when the write
 * commits; if nothing that decides commits has happened since (the core's generation is the one it was
 * scheduled at), it still is, without working it out again. A run that keeps its whole history (the
 * swarm's) works it out anyway and checks the two agree.
 */
export function ackStillValid(s: LeaderFollowerState, id: number, atMs: number): boolean {
  const core = s.core;
  const log = core.log;
  const i = id & log.mask;
  // The leader, and the follower that forwarded the write, must both be up to pass the acknowledgement on.
  if (core.alive[log.node[i]] !== 1 || (log.via[i] >= 0 && core.alive[log.via[i]] !== 1)) return false;
  if (log.scheduledAt[i] === COMMITTED) return true;
  const unchanged = log.scheduledAt[i] === core.generation;
  if (unchanged && !core.keepHistory) return true;
  const valid = commitTime(s, id) <= atMs;
  if (unchanged && !valid) throw new Error(`assertion: write ${id}'s commit moved past its acknowledgement with no event in between`);
  return valid;
}

/**
 * Re-evaluates every undecided write after a change in who can acknowledge. Only a node still leading can: one
 * that stepped down failed its undecided writes as it did (failPending), and a write it had appended but not yet
 * committed is not acknowledged by a secondary a moment later (its client's connection is closed, the commit's
 * fate unknown to it).
 */
export function recomputePending(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  core.forEachPending((id) => {
    const i = id & core.log.mask;
    const node = core.log.node[i];
    if (core.log.lsn[i] >= 0 && core.alive[node] === 1 && s.role[node] === "leader") scheduleOutcome(s, id, now);
  });
}

/**
 * MySQL semi-sync (rpl_semi_sync_source_timeout): a commit waits for its acknowledgements at most degrade_after,
 * whatever holds them up (no standby connected, a stalled sender, a slow link or standby); the first commit that
 * waits that long switches the source to asynchronous. Called for a commit that will wait longer: arms the check
 * at its deadline, unless an older commit's comes first. The timer is the source's own: a deposed source that
 * nothing stopped (its standbys now follow the new leader) runs out of time the same way and commits alone.
 */
function armSemiSyncTimeout(s: LeaderFollowerState, id: number): void {
  const log = s.core.log;
  const i = id & log.mask;
  const node = log.node[i];
  const deadline = log.flushMs[i] + s.semiSyncTimeoutMs;
  const wait = { epoch: log.epoch[i], lsn: log.lsn[i], level: s.classAckLevel[log.cls[i]] };
  if (node === s.official) {
    if (s.degraded || deadline >= s.degradeAtMs) return;
    s.degradeAtMs = deadline;
    s.semiSyncWait = wait;
  } else {
    if (s.deposedAsync[node] === 1 || s.role[node] !== "leader" || deadline >= s.deposedDegradeAtMs[node]) return;
    s.deposedDegradeAtMs[node] = deadline;
    s.deposedWait[node] = wait;
  }
  s.core.queue.push(deadline, EV.DEGRADE_CHECK, node);
}
