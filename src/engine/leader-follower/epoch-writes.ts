// One timeline's writes in LSN order (the order its leader appended them), as
// write ids with their LSNs: what a lagging replica has not replayed, what a
// rejoining one must catch up on, what a promotion leaves behind. Only the
// writes above the timeline's settled LSN are kept: every node that may still
// read this list holds the ones below, so the list follows the replication
// backlog, not the run's length. A write no such node holds (the unreplicated
// tail of a leader that died for good) outlives its record in the write log:
// the list keeps its outcome, which a later promotion still counts.
import type { WriteLog } from "../write-log.js";
import { compactedSize, moved } from "../../base/typed.js";

const LIVE = 0xff;

export class EpochWrites {
  private ids = new Int32Array(256);
  private lsns = new Float64Array(256);
  /** LIVE: read the write's status from the log; else the status of a write whose record is gone. */
  private statuses = new Uint8Array(256);
  private head = 0;
  private tail = 0;
  /** The highest LSN dropped (−1: none). Nothing at or below it may be asked for again. */
  droppedLsn = -1;

  get length(): number {
    return this.tail - this.head;
  }

  push(id: number, lsn: number): void {
    if (this.tail === this.ids.length) this.compact();
    this.ids[this.tail] = id;
    this.lsns[this.tail] = lsn;
    this.statuses[this.tail++] = LIVE;
  }

  /** The write ids with LSN in (`above`, `upTo`], in LSN order (each still in the log: a catch-up reads them). */
  between(log: WriteLog, above: number, upTo: number): number[] {
    if (Math.min(this.droppedLsn, upTo) > above) throw new Error(`assertion: writes up to LSN ${this.droppedLsn} were settled, but a replica at ${above} needs them`);
    const out: number[] = [];
    for (let k = this.lowerBound(above); k < this.tail && this.lsns[k] <= upTo; k++) {
      if (this.statuses[k] !== LIVE) throw new Error(`assertion: the write at LSN ${this.lsns[k]} was held by no node, yet a replica catches up on it`);
      out.push(this.ids[k]);
    }
    return out;
  }

  /** The first write with an LSN above `lsn` (−1: none). */
  firstAfter(lsn: number): number {
    if (this.droppedLsn > lsn) throw new Error(`assertion: writes up to LSN ${this.droppedLsn} were settled, but a replica at ${lsn} is behind them`);
    const k = this.lowerBound(lsn);
    if (k === this.tail) return -1;
    if (this.statuses[k] !== LIVE) throw new Error(`assertion: the write at LSN ${this.lsns[k]} was held by no node, yet a replica is measured against it`);
    return this.ids[k];
  }

  /** Counts the writes with an LSN above `lsn` whose outcome is `status`, from the newest back. */
  countAbove(log: WriteLog, lsn: number, status: number): number {
    return this.countAboveWhere(log, lsn, status, null);
  }

  /** As countAbove, counting only the writes still in the log whose class passes `classOk` (null: every write). */
  countAboveWhere(log: WriteLog, lsn: number, status: number, classOk: ((cls: number) => boolean) | null): number {
    if (this.droppedLsn > lsn) throw new Error(`assertion: writes up to LSN ${this.droppedLsn} were settled, but a fork at ${lsn} loses them`);
    let count = 0;
    for (let k = this.tail - 1; k >= this.head && this.lsns[k] > lsn; k--) {
      const settled = this.statuses[k];
      if (classOk !== null && (settled !== LIVE || !classOk(log.cls[this.ids[k] & log.mask]))) continue;
      if ((settled === LIVE ? log.status[this.ids[k] & log.mask] : settled) === status) count++;
    }
    return count;
  }

  /** The id of the k-th newest write (1: the last appended); it is still in the log. */
  idFromEnd(k: number): number {
    return this.ids[this.tail - k];
  }

  /**
   * Removes the writes above `lsn` from the end (a crashed leader's WAL past its last flush: not on any
   * history) and returns their ids, each still in the log (its leader held it, so it was neither settled nor
   * orphaned).
   */
  truncateAbove(lsn: number): number[] {
    const out: number[] = [];
    while (this.tail > this.head && this.lsns[this.tail - 1] > lsn) {
      this.tail--;
      if (this.statuses[this.tail] !== LIVE) throw new Error(`assertion: the write at LSN ${this.lsns[this.tail]} left the log while its leader held it`);
      out.push(this.ids[this.tail]);
    }
    return out;
  }

  /** Drops the writes at or below `lsn` from the front (they are settled on every history that matters). */
  dropThrough(lsn: number): void {
    while (this.head < this.tail && this.lsns[this.head] <= lsn) {
      if (this.lsns[this.head] > this.droppedLsn) this.droppedLsn = this.lsns[this.head];
      this.head++;
    }
  }

  /** The write at `lsn` leaves the log with its final outcome `status` (no node that matters holds it). */
  orphan(lsn: number, status: number): void {
    // LSNs are whole bytes: the first entry above lsn − ½ is the one at lsn, if any.
    const k = this.lowerBound(lsn - 0.5);
    if (k === this.tail || this.lsns[k] !== lsn) throw new Error(`assertion: no write at LSN ${lsn} on this timeline`);
    this.statuses[k] = status;
  }

  /** The first entry with an LSN above `lsn`. */
  private lowerBound(lsn: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lsns[mid] <= lsn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const live = this.tail - this.head;
    const size = compactedSize(live, this.ids.length);
    this.ids = moved(this.ids, this.head, this.tail, size);
    this.lsns = moved(this.lsns, this.head, this.tail, size);
    this.statuses = moved(this.statuses, this.head, this.tail, size);
    this.head = 0;
    this.tail = live;
  }
}
