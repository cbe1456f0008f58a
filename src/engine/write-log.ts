// Every client operation's record, in typed arrays (no object per write),
// kept only while it can still matter. Write ids grow for the whole run and
// stay stable; a record lives in the slot `id & mask` of a ring. Once the
// oldest writes are decided and on every node's history that could still be
// promoted, followed or rewound, their records are folded into fixed-size
// aggregates (src/engine/settle.ts) and their slots reused: memory follows the
// state of the run (writes in flight, unreplicated, inside a fault's window),
// not its length. The ring grows only while something old is unsettled.
// A run whose history must be kept whole (the swarm's oracles read it) never
// releases, and then `log.X[id]` is the record of write `id` itself.
// The history of timelines (epochs) decides at the end which acknowledged
// writes survived: RPO is measured from it, never declared.

export const PENDING = 0;
export const ACKED = 1;
export const REJECTED = 2;
/** The client saw an error or a timeout, but the write may exist (PostgreSQL's "ambiguous commit"). */
export const AMBIGUOUS = 3;

type Typed = Float64Array | Int32Array | Int16Array | Uint8Array | Uint16Array;

/** A ring of twice the size holding the same live ids [head, count), each at its new slot `id & (size − 1)`. */
function regrown<T extends Typed>(array: T, head: number, count: number, size: number): T {
  const next = new (array.constructor as new (length: number) => T)(size);
  const oldMask = array.length - 1;
  const newMask = size - 1;
  let id = head;
  while (id < count) {
    const from = id & oldMask;
    const to = id & newMask;
    const run = Math.min(count - id, array.length - from, size - to);
    next.set(array.subarray(from, from + run), to);
    id += run;
  }
  return next;
}

/** Writes between two passes of the settler when the ring is not full (it also runs whenever it fills). */
const SETTLE_EVERY = 4096;

export class WriteLog {
  /** Writes made so far: the next write's id. */
  count = 0;
  /** The oldest write whose record is still kept; every id below it is settled and folded. */
  head = 0;
  /** `id & mask` is write id's slot in every array below (capacity − 1; capacity is a power of two). */
  mask = 1023;
  /** The most records kept at once over the run (the high-water mark of live writes). */
  peakLive = 0;
  /** Folds the settled prefix at time `now` (null: the history is kept whole). */
  settler: ((now: number) => void) | null = null;
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
  /** The consensus member that forwarded it to the leader `node` (−1: the client sent it to the leader itself); its acknowledgement goes back that way. */
  via = new Int16Array(1024);
  status = new Uint8Array(1024);
  /** Bumped whenever the write's outcome is rescheduled; stale events carry an old version. */
  version = new Uint16Array(1024);
  /** The core's generation when the write's outcome was last scheduled (an outcome scheduled since nothing changed still holds). */
  scheduledAt = new Float64Array(1024);
  /**
   * When the write commits on its leader, as its scheduled acknowledgement has it (NaN: no acknowledgement is
   * scheduled). A commit moment that has passed is final: later changes to who acknowledges cannot take it back.
   */
  commitMs = new Float64Array(1024);
  /** When the connection the client sent it on was made (0: the client's first, at the start). */
  connMs = new Float64Array(1024);

  /** Grows the ring once to hold `capacity` writes (a run that keeps every write: the expected count), instead of doubling repeatedly. */
  reserve(capacity: number): void {
    while (this.sendMs.length < capacity) this.grow();
  }

  /** Whether write `id`'s record is still kept (a settled write's events are stale: it was decided long ago). */
  live(id: number): boolean {
    return id >= this.head;
  }

  add(sendMs: number, cls: number, key: number, client: number): number {
    if (this.count - this.head === this.sendMs.length || (this.count & (SETTLE_EVERY - 1)) === 0) this.makeRoom(sendMs);
    const id = this.count++;
    const i = id & this.mask;
    this.sendMs[i] = sendMs;
    this.doneMs[i] = NaN;
    this.appendMs[i] = NaN;
    this.flushMs[i] = NaN;
    this.lsn[i] = -1;
    this.epoch[i] = -1;
    this.cls[i] = cls;
    this.key[i] = key;
    this.client[i] = client;
    this.node[i] = -1;
    this.via[i] = -1;
    this.status[i] = PENDING;
    this.version[i] = 0;
    this.scheduledAt[i] = -1;
    this.commitMs[i] = NaN;
    this.connMs[i] = 0;
    if (this.count - this.head > this.peakLive) this.peakLive = this.count - this.head;
    return id;
  }

  /**
   * Settles what it can; grows a full ring that settling leaves more than three quarters full (so that the next
   * pass is a quarter of the ring away: constant work per write), or a full ring that never settles.
   */
  private makeRoom(now: number): void {
    const full = this.count - this.head === this.sendMs.length;
    if (this.settler !== null) this.settler(now);
    if (full && (this.count - this.head) * 4 > this.sendMs.length * 3) this.grow();
  }

  private grow(): void {
    const n = this.sendMs.length * 2;
    const move = <T extends Typed>(a: T): T => regrown(a, this.head, this.count, n);
    this.sendMs = move(this.sendMs);
    this.doneMs = move(this.doneMs);
    this.appendMs = move(this.appendMs);
    this.flushMs = move(this.flushMs);
    this.lsn = move(this.lsn);
    this.epoch = move(this.epoch);
    this.key = move(this.key);
    this.client = move(this.client);
    this.cls = move(this.cls);
    this.status = move(this.status);
    this.node = move(this.node);
    this.via = move(this.via);
    this.version = move(this.version);
    this.scheduledAt = move(this.scheduledAt);
    this.commitMs = move(this.commitMs);
    this.connMs = move(this.connMs);
    this.mask = n - 1;
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
