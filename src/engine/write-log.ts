// Every client operation's record, in growable typed arrays (no object per
// write). The history of timelines (epochs) decides at the end which
// acknowledged writes survived: RPO is measured from here, never declared.

import { grown } from "../base/typed.js";

export const PENDING = 0;
export const ACKED = 1;
export const REJECTED = 2;
/** The client saw an error or a timeout, but the write may exist (PostgreSQL's "ambiguous commit"). */
export const AMBIGUOUS = 3;

export class WriteLog {
  count = 0;
  sendMs = new Float64Array(1024);
  doneMs = new Float64Array(1024);
  /** When the leader appended it, and when its WAL was flushed locally. */
  appendMs = new Float64Array(1024);
  flushMs = new Float64Array(1024);
  lsn = new Float64Array(1024);
  epoch = new Int32Array(1024);
  cls = new Uint8Array(1024);
  key = new Int32Array(1024);
  client = new Int32Array(1024);
  node = new Int16Array(1024);
  status = new Uint8Array(1024);
  /** Bumped whenever the write's outcome is rescheduled; stale events carry an old version. */
  version = new Uint16Array(1024);
  /** 1 when the client sent it from a lost zone or region: a dead application server, not a user of the service. */
  clientLost = new Uint8Array(1024);

  /** Grows the arrays once to hold `capacity` writes (the expected count), instead of doubling repeatedly. */
  reserve(capacity: number): void {
    while (this.sendMs.length < capacity) this.grow();
  }

  add(sendMs: number, cls: number, key: number, client: number): number {
    if (this.count === this.sendMs.length) this.grow();
    const id = this.count++;
    this.sendMs[id] = sendMs;
    this.doneMs[id] = NaN;
    this.appendMs[id] = NaN;
    this.flushMs[id] = NaN;
    this.lsn[id] = -1;
    this.epoch[id] = -1;
    this.cls[id] = cls;
    this.key[id] = key;
    this.client[id] = client;
    this.node[id] = -1;
    this.status[id] = PENDING;
    this.version[id] = 0;
    this.clientLost[id] = 0;
    return id;
  }

  private grow(): void {
    const n = this.sendMs.length * 2;
    this.sendMs = grown(this.sendMs, n);
    this.doneMs = grown(this.doneMs, n);
    this.appendMs = grown(this.appendMs, n);
    this.flushMs = grown(this.flushMs, n);
    this.lsn = grown(this.lsn, n);
    this.epoch = grown(this.epoch, n);
    this.key = grown(this.key, n);
    this.client = grown(this.client, n);
    this.cls = grown(this.cls, n);
    this.status = grown(this.status, n);
    this.node = grown(this.node, n);
    this.version = grown(this.version, n);
    this.clientLost = grown(this.clientLost, n);
  }

}

/**
 * PostgreSQL's timeline ID of an epoch: the initial history is timeline 1 and
 * each promotion starts the next, so the first promotion creates timeline 2.
 */
export function timelineId(epoch: number): number {
  return epoch + 1;
}

/**
 * Timelines. Epoch 0 is the initial leader's; each promotion starts a new
 * epoch that continues its parent's history up to the fork LSN (what the new
 * leader had received). A write (epoch e, lsn L) is in the history of epoch x
 * when e is x, or e is an ancestor of x and L is at most the LSN where x's
 * lineage left e.
 */
export class Epochs {
  readonly parent: number[] = [-1];
  readonly forkLsn: number[] = [Infinity];
  readonly leader: number[] = [];
  readonly startMs: number[] = [0];

  constructor(initialLeader: number) {
    this.leader.push(initialLeader);
  }

  get latest(): number {
    return this.parent.length - 1;
  }

  create(parent: number, forkLsn: number, leader: number, atMs: number): number {
    this.parent.push(parent);
    this.forkLsn.push(forkLsn);
    this.leader.push(leader);
    this.startMs.push(atMs);
    return this.parent.length - 1;
  }

  /** The highest LSN of epoch `e` that belongs to the history of epoch `x` (−1 when e is not in x's lineage). */
  cutoff(e: number, x: number): number {
    let limit = Infinity;
    let current = x;
    while (current >= 0) {
      if (current === e) return limit;
      limit = Math.min(limit, this.forkLsn[current]);
      current = this.parent[current];
    }
    return -1;
  }

  contains(x: number, e: number, lsn: number): boolean {
    return lsn <= this.cutoff(e, x);
  }
}
