// Folding settled writes. A write stops mattering record by record once its
// outcome is decided and no later promotion, rewind or catch-up can need it:
// it is on the history of every node that may still be followed, promoted or
// rewound (the shape says up to which LSN of each timeline that holds). From
// then on it only counts: in each class's outage scan, in the writes-over-time
// buckets, as a survivor of its timeline, and (when recovery planning will ask)
// in the send times of the WAL. The oldest settled prefix of the write log is
// folded here and its slots reused, so memory follows the run's state.
import { OutageScan } from "./outages.js";
import type { ClientRecovery } from "./metrics.js";
import { WriteBuckets } from "./writes-over-time.js";
import { ACKED, PENDING, REJECTED, type WriteLog } from "./write-log.js";

/** Send times, kept only for runs whose recovery planning counts writes in windows of time (WAL bytes, writes to replay). */
export class SendTimes {
  /**
   * The send time of every write a leader appended to its WAL, in id (and so send) order: the WAL's volume. A write
   * refused before any leader appended it (no leader, a fenced or read-only node) wrote no WAL, and neither did one
   * whose WAL its leader lost unflushed in a crash (truncated); one appended and then abandoned with its timeline did.
   */
  all = new Float64Array(1024);
  count = 0;
  /** Acknowledged writes' send times, per class and over all classes. */
  readonly ackedByClass: number[][];
  readonly acked: number[] = [];

  constructor(classCount: number) {
    this.ackedByClass = Array.from({ length: classCount }, () => []);
  }

  add(sendMs: number, status: number, cls: number, appended: boolean): void {
    if (appended) {
      if (this.count === this.all.length) {
        const next = new Float64Array(this.all.length * 2);
        next.set(this.all);
        this.all = next;
      }
      this.all[this.count++] = sendMs;
    }
    if (status !== ACKED) return;
    this.ackedByClass[cls].push(sendMs);
    this.acked.push(sendMs);
  }
}

/** What a shape that lets writes settle answers (see Shape in core/state.ts). */
export interface SettlingShape {
  settledLsn(epoch: number, now: number): number;
  heldLsn(epoch: number, now: number): number;
  orphan(epoch: number, lsn: number, status: number): void;
}

export class SettledWrites {
  /** Writes over time, for charts (null: the run draws none). */
  readonly buckets: WriteBuckets | null;
  /** Per class, the write outages (a run without faults has them too, when writes fail under its own load). */
  readonly outages: OutageScan[];
  /** Whether the clients' recovery (the client tail) is followed: only a run with faults has one. */
  private readonly tail: boolean;
  readonly sends: SendTimes | null;
  /** Per timeline, the highest LSN of an acknowledged write folded as a survivor (the end of the run checks it). */
  readonly survivorLsn: number[] = [];
  /** Acknowledged writes that left the log held by no node that matters: the final timeline decides if they survived. */
  readonly orphans: { epoch: number; lsn: number; cls: number; sendMs: number; doneMs: number }[] = [];
  /** Per timeline, the LSN at or below which its writes were settled, and the highest any node holds (scratch for one pass; −2: not asked yet). */
  private readonly settled: number[] = [];
  private readonly held: number[] = [];

  constructor(
    endMs: number,
    classCount: number,
    firstFaultMs: number | null,
    keepSendTimes: boolean,
    series = true,
    private readonly recovery: ClientRecovery | null = null,
  ) {
    this.buckets = series ? new WriteBuckets(endMs) : null;
    // Outages are scanned with or without faults (writes failing under the run's own load are one); the client tail
    // is the faults' story only.
    this.outages = Array.from({ length: classCount }, () => new OutageScan());
    this.tail = firstFaultMs !== null;
    this.sends = keepSendTimes ? new SendTimes(classCount) : null;
  }

  /** Counts one write whose record is about to go (or, at the end of the run, every write still kept). */
  fold(log: WriteLog, id: number): void {
    const i = id & log.mask;
    const status = log.status[i];
    const sendMs = log.sendMs[i];
    this.buckets?.add(status, sendMs, log.doneMs[i]);
    if (status === ACKED || status === REJECTED) {
      this.outages[log.cls[i]].add(sendMs, status === ACKED, log.doneMs[i]);
      if (this.tail) this.recovery?.fold(log.client[i], log.cls[i], sendMs, status === ACKED, log.doneMs[i], log.connMs[i]);
    }
    // Appended: a leader gave it an LSN, and its WAL was not truncated unflushed (epoch −1: on no timeline).
    this.sends?.add(sendMs, status, log.cls[i], log.lsn[i] >= 0 && log.epoch[i] >= 0);
  }

  /**
   * Folds the oldest writes while each is decided and, if a leader appended it, either at or below its
   * timeline's settled LSN (a survivor of every future timeline) or above every LSN of it that a node that
   * matters holds (an orphan: whether it survived waits for the final timeline). Returns the new head of the
   * log; `now` is the time of the pass.
   */
  foldSettled(log: WriteLog, epochCount: number, shape: SettlingShape, now: number): number {
    const settled = this.settled;
    const held = this.held;
    for (let e = 0; e < epochCount; e++) {
      settled[e] = shape.settledLsn(e, now);
      held[e] = -2;
    }
    let id = log.head;
    for (; id < log.count; id++) {
      const i = id & log.mask;
      const status = log.status[i];
      if (status === PENDING) break;
      const lsn = log.lsn[i];
      const epoch = log.epoch[i];
      if (lsn >= 0 && epoch < 0) {
        // Its WAL was never flushed before its leader crashed (truncated: on no timeline at all).
        if (status === ACKED) this.orphans.push({ epoch, lsn, cls: log.cls[i], sendMs: log.sendMs[i], doneMs: log.doneMs[i] });
      } else if (lsn >= 0) {
        if (lsn > settled[epoch]) {
          if (held[epoch] === -2) held[epoch] = shape.heldLsn(epoch, now);
          if (lsn <= held[epoch]) break;
          shape.orphan(epoch, lsn, status);
          if (status === ACKED) this.orphans.push({ epoch, lsn, cls: log.cls[i], sendMs: log.sendMs[i], doneMs: log.doneMs[i] });
        } else if (status === ACKED && lsn > (this.survivorLsn[epoch] ?? -1)) this.survivorLsn[epoch] = lsn;
      }
      this.fold(log, id);
    }
    // Every write not folded yet was sent no earlier than the first of them (or than now, when none is left).
    this.buckets?.closeBefore(id < log.count ? log.sendMs[id & log.mask] : now);
    return id;
  }

  /** The per-timeline settled LSNs of the last pass. */
  get settledLsn(): readonly number[] {
    return this.settled;
  }
}
