// One replica's view of the WAL stream it follows. Each entry is one write with
// the times it reached the replica (received = remote_write), was flushed
// (on), was replayed (remote_apply), and when each acknowledgement reaches the
// leader. A standby's startup process replays only WAL its walreceiver has
// already flushed, so each entry's replay follows its flush: remote_apply is
// never earlier, nor less durable, than on. Positions at time t are read lazily: the clock only moves forward,
// so cursors advance and fully-settled entries are dropped.

import { compactedSize } from "../base/typed.js";

export const ACK_WRITE = 0;
export const ACK_FLUSH = 1;
export const ACK_APPLY = 2;

export class ReplicaStream {
  /** Epoch of the timeline this replica follows. */
  epoch = 0;
  /** Positions already settled (before the first queued entry). */
  recvLsn = 0;
  flushLsn = 0;
  applyLsn = 0;
  /** Highest LSN whose acknowledgement (write, flush, apply) has reached the leader. */
  readonly ackLsn = new Float64Array(3);
  /** Time the oldest unapplied entry was appended on the leader (for lag in seconds). */
  private head = 0;
  private tail = 0;
  lsn = new Float64Array(256);
  appendMs = new Float64Array(256);
  recvMs = new Float64Array(256);
  flushMs = new Float64Array(256);
  applyMs = new Float64Array(256);
  /** When each acknowledgement reaches the leader: entry i's at level L is ackMs[3i + L] (one array, three columns side by side). */
  ackMs = new Float64Array(3 * 256);
  /** Monotonic cursors for new entries. */
  lastRecvMs = 0;
  lastFlushMs = 0;
  lastApplyMs = 0;
  readonly lastAck = new Float64Array(3);

  get length(): number {
    return this.tail - this.head;
  }

  push(lsn: number, appendMs: number, recvMs: number, flushMs: number, applyMs: number, ackWrite: number, ackFlush: number, ackApply: number): void {
    if (this.tail === this.lsn.length) this.compact();
    const i = this.tail++;
    this.lsn[i] = lsn;
    this.appendMs[i] = appendMs;
    this.recvMs[i] = recvMs;
    this.flushMs[i] = flushMs;
    this.applyMs[i] = applyMs;
    const acks = this.ackMs;
    acks[3 * i] = ackWrite;
    acks[3 * i + 1] = ackFlush;
    acks[3 * i + 2] = ackApply;
    this.lastRecvMs = recvMs;
    this.lastFlushMs = flushMs;
    this.lastApplyMs = applyMs;
    this.lastAck[0] = ackWrite;
    this.lastAck[1] = ackFlush;
    this.lastAck[2] = ackApply;
  }

  /** Settles entries whose every time has passed, updating the positions. */
  advance(nowMs: number): void {
    const acks = this.ackMs;
    const ackLsn = this.ackLsn;
    while (this.head < this.tail) {
      const i = this.head;
      const lsn = this.lsn[i];
      if (this.recvMs[i] <= nowMs) this.recvLsn = Math.max(this.recvLsn, lsn);
      else break;
      const flushed = this.flushMs[i] <= nowMs;
      const applyMs = this.applyMs[i];
      if (flushed) this.flushLsn = Math.max(this.flushLsn, lsn);
      if (applyMs <= nowMs) this.applyLsn = Math.max(this.applyLsn, lsn);
      let settled = flushed && (applyMs <= nowMs || applyMs === Infinity);
      // The three acknowledgements (write, flush, apply), each settled once it has arrived or never will.
      for (let level = 0, j = 3 * i; level < 3; level++, j++) {
        const ack = acks[j];
        if (ack <= nowMs) {
          if (lsn > ackLsn[level]) ackLsn[level] = lsn;
        } else if (ack !== Infinity) settled = false;
      }
      if (!settled) break;
      this.head++;
    }
  }

  /** Received / flushed / applied LSN at `nowMs` (scans the unsettled entries; they are few unless the replica lags). */
  position(nowMs: number, which: "recv" | "flush" | "apply"): number {
    this.advance(nowMs);
    if (which === "recv") return this.reached(this.recvMs, this.recvLsn, nowMs);
    return which === "flush" ? this.reached(this.flushMs, this.flushLsn, nowMs) : this.reached(this.applyMs, this.applyLsn, nowMs);
  }

  /**
   * The lowest of the received, flushed and replayed LSNs at `nowMs` (what this replica surely holds), read
   * without settling anything: the same answer as position() for each, whatever queries come later.
   */
  lowWater(nowMs: number): number {
    return Math.min(this.reached(this.recvMs, this.recvLsn, nowMs), this.reached(this.flushMs, this.flushLsn, nowMs), this.reached(this.applyMs, this.applyLsn, nowMs));
  }

  /** The highest LSN this replica holds or has on its way to it (everything pushed and not cut). */
  highestLsn(): number {
    return this.tail > this.head ? Math.max(this.recvLsn, this.lsn[this.tail - 1]) : this.recvLsn;
  }

  /** The LSN reached in one time column at `nowMs`: the settled position, or the last queued entry already past. */
  private reached(times: Float64Array, settled: number, nowMs: number): number {
    const lo = this.firstAfter(times, nowMs);
    return lo > this.head ? Math.max(settled, this.lsn[lo - 1]) : settled;
  }

  /** The first queued entry whose time in `times` is after `nowMs` (tail: none); each time column is monotonic in LSN order. */
  private firstAfter(times: Float64Array, nowMs: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= nowMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Append time (on the leader) of the oldest entry not yet applied at `nowMs`, or NaN. */
  oldestUnappliedMs(nowMs: number): number {
    const lo = this.firstAfter(this.applyMs, nowMs);
    return lo < this.tail ? this.appendMs[lo] : NaN;
  }

  /** When the acknowledgement (at `level`) covering `lsn` reaches the leader; Infinity if it never will. */
  ackTimeFor(lsn: number, level: number): number {
    if (lsn <= this.ackLsn[level]) return 0;
    // The newest entry is the common case: the write just shipped.
    const last = this.tail - 1;
    if (last >= this.head) {
      if (this.lsn[last] === lsn) return this.ackMs[3 * last + level];
      if (this.lsn[last] < lsn) return Infinity;
    }
    // Acknowledgements are cumulative: the first entry at or past `lsn` carries it.
    const lo = this.firstAtOrPast(lsn);
    if (lsn <= this.ackLsn[level]) return 0;
    return lo === this.tail ? Infinity : this.ackMs[3 * lo + level];
  }

  /** When the replay position reaches `lsn` (−Infinity: it already has; Infinity: that WAL is not on its way). */
  applyTimeFor(lsn: number): number {
    if (lsn <= this.applyLsn) return -Infinity;
    const lo = this.firstAtOrPast(lsn);
    return lo === this.tail ? Infinity : this.applyMs[lo];
  }

  /** The first queued entry at or past `lsn` (tail: none); entries are in LSN order. */
  private firstAtOrPast(lsn: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lsn[mid] < lsn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Host crash or disconnect at `atMs`: what had not arrived is lost; acks not yet delivered never will be. */
  cut(atMs: number, hostCrash: boolean): void {
    let keep = this.head;
    while (keep < this.tail && this.recvMs[keep] <= atMs) keep++;
    this.tail = keep;
    for (let i = this.head; i < this.tail; i++) {
      for (let level = 0; level < 3; level++) if (this.ackMs[3 * i + level] > atMs) this.ackMs[3 * i + level] = Infinity;
      if (hostCrash) {
        // The OS cache dies with the host: received but unflushed WAL is gone; nothing replays after the crash.
        // (Replay follows the flush, so what is dropped here had not been replayed or acknowledged as replayed.)
        if (this.flushMs[i] > atMs) {
          this.tail = i;
          break;
        }
        if (this.applyMs[i] > atMs) this.applyMs[i] = Infinity;
      }
    }
    this.lastRecvMs = Math.min(this.lastRecvMs, atMs);
    this.lastFlushMs = Math.min(this.lastFlushMs, atMs);
    this.lastAck.fill(atMs);
  }

  /** Re-times replay from `fromMs` at a new apply rate (the `slow` fault, or a restart). */
  retimeApply(fromMs: number, applyRate: number): void {
    let cursor = fromMs;
    for (let i = this.head; i < this.tail; i++) {
      if (this.applyMs[i] <= fromMs) continue;
      cursor = Math.max(cursor, this.flushMs[i]) + 1000 / applyRate;
      const delta = cursor - this.applyMs[i];
      this.applyMs[i] = cursor;
      if (Number.isFinite(this.ackMs[3 * i + 2])) this.ackMs[3 * i + 2] += delta;
    }
    this.lastApplyMs = Math.max(cursor, fromMs);
    // New entries' replay acknowledgements follow the retimed ones, not the old schedule.
    if (this.tail > this.head && Number.isFinite(this.ackMs[3 * (this.tail - 1) + 2])) this.lastAck[2] = this.ackMs[3 * (this.tail - 1) + 2];
  }

  /** Drops everything past `lsn` (pg_rewind to the fork point of a new timeline). */
  truncate(lsn: number): void {
    while (this.tail > this.head && this.lsn[this.tail - 1] > lsn) this.tail--;
    this.recvLsn = Math.min(this.recvLsn, lsn);
    this.flushLsn = Math.min(this.flushLsn, lsn);
    this.applyLsn = Math.min(this.applyLsn, lsn);
    for (let level = 0; level < 3; level++) this.ackLsn[level] = Math.min(this.ackLsn[level], lsn);
  }

  /** Replays everything received immediately (a promoted replica finishing recovery), returning when it finishes. */
  replayDoneMs(): number {
    let done = 0;
    for (let i = this.head; i < this.tail; i++) if (Number.isFinite(this.applyMs[i])) done = Math.max(done, this.applyMs[i]);
    return done;
  }

  /** Forget the queue, keeping settled positions at `lsn` (a rebuild from a base backup, or a promotion). */
  reset(lsn: number, epoch: number): void {
    this.head = this.tail = 0;
    this.recvLsn = this.flushLsn = this.applyLsn = lsn;
    this.ackLsn.fill(lsn);
    this.epoch = epoch;
    this.lastRecvMs = this.lastFlushMs = this.lastApplyMs = 0;
    this.lastAck.fill(0);
  }

  private compact(): void {
    const live = this.tail - this.head;
    const capacity = compactedSize(live, this.lsn.length);
    const move = (a: Float64Array, columns = 1): Float64Array<ArrayBuffer> => {
      const b = capacity * columns === a.length ? (a as Float64Array<ArrayBuffer>) : new Float64Array(capacity * columns);
      b.set(a.subarray(this.head * columns, this.tail * columns), 0);
      return b;
    };
    this.lsn = move(this.lsn);
    this.appendMs = move(this.appendMs);
    this.recvMs = move(this.recvMs);
    this.flushMs = move(this.flushMs);
    this.applyMs = move(this.applyMs);
    this.ackMs = move(this.ackMs, 3);
    this.head = 0;
    this.tail = live;
  }
}
