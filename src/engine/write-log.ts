// Every client operation's record, in growable typed arrays (no object per
// write). The history of timelines (epochs) decides at the end which
// acknowledged writes survived: RPO is measured from here, never declared.

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
    return id;
  }

  private grow(): void {
    const n = this.sendMs.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.sendMs = f64(this.sendMs);
    this.doneMs = f64(this.doneMs);
    this.appendMs = f64(this.appendMs);
    this.flushMs = f64(this.flushMs);
    this.lsn = f64(this.lsn);
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.epoch = i32(this.epoch);
    this.key = i32(this.key);
    this.client = i32(this.client);
    const cls = new Uint8Array(n);
    cls.set(this.cls);
    this.cls = cls;
    const status = new Uint8Array(n);
    status.set(this.status);
    this.status = status;
    const node = new Int16Array(n);
    node.set(this.node);
    this.node = node;
    const version = new Uint16Array(n);
    version.set(this.version);
    this.version = version;
  }
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
