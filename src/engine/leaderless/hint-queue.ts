// The hints one node keeps for one destination, in memory bounded by the keys,
// not by the length of the outage.
//
// Cassandra writes one hint per write to a down replica and replays them all,
// oldest first, each through the throttle: a 3-hour outage at 1,000 writes a
// second leaves millions of them (it caps that only by the hint window, and
// since 4.1 optionally by `max_hints_size_per_host`, unlimited by default).
// What the replica ends up holding of a key is the newest of its hints (the
// replica applies each by the same version rule), so only that one needs its
// version kept; the others still cost their time on the wire. So the queue
// keeps at most one entry per key: the hint that wins, at the place of the
// newest hint for that key (where the full queue would send the winning
// version), and, on each entry, `cost`, the number of hint messages the full
// queue sends up to and including it. A superseded hint leaves its messages
// to the entry after it (or to `tailDead`, the messages after the last entry),
// so the sender still sends one message per hint stored and every version
// lands when the full queue would have landed it. What is not kept is the
// older versions' passing visit: the full queue lands a key's older version
// first, then the newer one at its own place; here the replica holds what it
// had before until the newer one lands.
//
// Three parts, in the order the hints go:
// - arriving: hints whose write has not reached the holder yet, in store
//   order (a crash of the holder loses those); they join the entries once it
//   has them, so an entry is never a hint the holder may still lose;
// - entries: a linked list over typed arrays, a map from key to its entry;
// - in flight: messages sent and not yet landed on the destination. One is
//   taken off only once it lands; if the destination crashes first, those
//   still on the way go back to the front, in order (Cassandra deletes a hint
//   only once the destination acknowledges it, and retries the rest once the
//   node is seen up again).
import { compactedSize, grown, moved } from "../../base/typed.js";

/** Hints a holder has been sent but not yet landed on, in store order. */
class Arriving {
  key = new Int32Array(16);
  id = new Float64Array(16);
  storedMs = new Float64Array(16);
  head = 0;
  tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(key: number, id: number, storedMs: number): void {
    if (this.tail === this.key.length) this.makeRoom();
    const i = this.tail++;
    this.key[i] = key;
    this.id[i] = id;
    this.storedMs[i] = storedMs;
  }

  /** Drops the hints of write `id` still on their way at `now` (their sender crashed); returns how many. */
  dropVersion(id: number, now: number): number {
    return this.dropWhere((i) => this.id[i] === id && this.storedMs[i] > now);
  }

  /** Keeps the hints that have reached the holder by `now`, in order; returns how many were not. */
  dropUnlanded(now: number): number {
    return this.dropWhere((i) => this.storedMs[i] > now);
  }

  /** Removes the entries `drop` picks (by index), keeping the others in order; returns how many went. */
  private dropWhere(drop: (i: number) => boolean): number {
    let to = this.head;
    for (let i = this.head; i < this.tail; i++) {
      if (drop(i)) continue;
      this.key[to] = this.key[i];
      this.id[to] = this.id[i];
      this.storedMs[to] = this.storedMs[i];
      to++;
    }
    const dropped = this.tail - to;
    this.tail = to;
    return dropped;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    const size = compactedSize(live, this.key.length);
    this.key = moved(this.key, this.head, this.tail, size);
    this.id = moved(this.id, this.head, this.tail, size);
    this.storedMs = moved(this.storedMs, this.head, this.tail, size);
    this.head = 0;
    this.tail = live;
  }
}

/** Messages on their way to the destination, in send order: when each lands, and its entry (−1: a superseded hint's). */
class InFlight {
  landsAt = new Float64Array(16);
  slot = new Int32Array(16);
  head = 0;
  tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(slot: number, landsAt: number): void {
    if (this.tail === this.slot.length) {
      const live = this.length;
      const size = compactedSize(live, this.slot.length);
      this.landsAt = moved(this.landsAt, this.head, this.tail, size);
      this.slot = moved(this.slot, this.head, this.tail, size);
      this.head = 0;
      this.tail = live;
    }
    this.landsAt[this.tail] = landsAt;
    this.slot[this.tail++] = slot;
  }

  /** The latest landing of those in flight (−Infinity: none). */
  get last(): number {
    let last = -Infinity;
    for (let i = this.head; i < this.tail; i++) last = Math.max(last, this.landsAt[i]);
    return last;
  }
}

/** Whether version a supersedes version b on the replica. */
export type Newer = (a: number, b: number) => boolean;

export class HintQueue {
  private key = new Int32Array(16);
  private id = new Float64Array(16);
  private cost = new Int32Array(16);
  private prev = new Int32Array(16);
  private next = new Int32Array(16);
  /** Slots in use (entries queued or in flight); freed slots are chained through `next` from `free`. */
  private used = 0;
  private free = -1;
  private slots = 0;
  private first = -1;
  private last = -1;
  /** The queued entry of each key (at most one; an entry sent and put back may sit beside a newer one). */
  private readonly byKey = new Map<number, number>();
  /** Messages of superseded hints after the last entry. */
  private tailDead = 0;
  /** Messages not yet sent that have reached the holder: the entries' costs plus `tailDead`. */
  private queued = 0;
  private readonly arriving = new Arriving();
  private readonly flight = new InFlight();
  /** The most entries held at once (queued, in flight or arriving): what the memory follows. */
  peakEntries = 0;

  constructor(private readonly newer: Newer) {}

  /** Messages not yet sent, arriving ones included. */
  get pending(): number {
    return this.queued + this.arriving.length;
  }

  /** Messages sent and not yet landed. */
  get inFlight(): number {
    return this.flight.length;
  }

  /** Entries held now, each a key and a version (hints arriving count one each). */
  get entries(): number {
    return this.used + this.arriving.length;
  }

  /** A message can go now (arriving hints go only once they have reached the holder). */
  get ready(): boolean {
    return this.queued > 0;
  }

  /** The latest landing of the messages in flight (−Infinity: none). */
  get lastLanding(): number {
    return this.flight.last;
  }

  /** A hint of write `id` to `key`, on the holder from `storedMs`; `now` is the present. */
  add(key: number, id: number, storedMs: number, now: number): void {
    this.arriving.push(key, id, storedMs);
    this.admit(now);
    this.peakEntries = Math.max(this.peakEntries, this.entries);
  }

  /** Arriving hints that have reached the holder by `now` join the entries, in store order, up to the first that has not. */
  admit(now: number): void {
    const a = this.arriving;
    while (a.head < a.tail && a.storedMs[a.head] <= now) {
      this.enqueue(a.key[a.head], a.id[a.head]);
      a.head++;
    }
  }

  /** The hint of write `id` had not reached the holder at `now` and never will (its coordinator crashed); returns how many went. */
  dropSent(id: number, now: number): number {
    const dropped = this.arriving.dropVersion(id, now);
    this.admit(now);
    return dropped;
  }

  /** The holder crashed at `now`: hints it had not received yet are lost; returns how many. */
  dropUnlanded(now: number): number {
    const dropped = this.arriving.dropUnlanded(now);
    this.admit(now);
    return dropped;
  }

  /** Takes the next message to send: an entry's slot (its version goes), or −1 for a superseded hint's message. */
  take(): number {
    this.queued--;
    const e = this.first;
    if (e < 0) {
      this.tailDead--;
      return -1;
    }
    if (this.cost[e] > 1) {
      this.cost[e]--;
      return -1;
    }
    this.unlink(e);
    if (this.byKey.get(this.key[e]) === e) this.byKey.delete(this.key[e]);
    return e;
  }

  keyOf(slot: number): number {
    return this.key[slot];
  }

  idOf(slot: number): number {
    return this.id[slot];
  }

  /** The message just taken (`slot`, or −1) lands on the destination at `landsAt`. */
  fly(slot: number, landsAt: number): void {
    this.flight.push(slot, landsAt);
  }

  /** Takes off the messages landed by `now` (only those ahead of the first still on its way, unless `all`); returns how many. */
  landed(now: number, all: boolean): number {
    const f = this.flight;
    if (!all) {
      let count = 0;
      while (f.head < f.tail && f.landsAt[f.head] <= now) {
        this.release(f.slot[f.head++]);
        count++;
      }
      return count;
    }
    return this.sortOut(now, (slot) => this.release(slot), () => undefined);
  }

  /** The destination crashed at `now`: messages landed are taken off (their count returned), the others go back to the front. */
  recall(now: number): number {
    const back: number[] = [];
    const landed = this.sortOut(now, (slot) => this.release(slot), (slot) => back.push(slot));
    this.requeue(back);
    return landed;
  }

  /** Splits the messages in flight into landed by `now` (`landed`) and not (`onWay`), in send order; empties the list. */
  private sortOut(now: number, landed: (slot: number) => void, onWay: (slot: number) => void): number {
    const f = this.flight;
    let count = 0;
    let to = f.head;
    for (let i = f.head; i < f.tail; i++) {
      if (f.landsAt[i] <= now) {
        landed(f.slot[i]);
        count++;
        continue;
      }
      onWay(f.slot[i]);
      f.landsAt[to] = f.landsAt[i];
      f.slot[to++] = f.slot[i];
    }
    f.tail = to;
    return count;
  }

  /**
   * Puts messages that did not land back at the front, in their send order: each entry with the superseded
   * messages sent just before it, and those sent after the last of them onto the first entry still queued.
   */
  private requeue(back: number[]): void {
    this.flight.head = this.flight.tail = 0;
    this.queued += back.length;
    let dead = 0;
    const entries: number[] = [];
    for (const slot of back) {
      if (slot < 0) {
        dead++;
        continue;
      }
      this.cost[slot] = dead + 1;
      dead = 0;
      entries.push(slot);
    }
    if (this.first >= 0) this.cost[this.first] += dead;
    else this.tailDead += dead;
    for (let k = entries.length - 1; k >= 0; k--) {
      const e = entries[k];
      this.linkFirst(e);
      if (!this.byKey.has(this.key[e])) this.byKey.set(this.key[e], e);
    }
  }

  /** A hint that has reached the holder: a new entry, or it supersedes its key's entry, or it is superseded. */
  private enqueue(key: number, id: number): void {
    this.queued++;
    const held = this.byKey.get(key);
    if (held === undefined) {
      this.byKey.set(key, this.append(this.allocate(key), id));
      return;
    }
    if (!this.newer(id, this.id[held])) {
      this.tailDead++;
      return;
    }
    // The held entry's messages stay where they were: the next entry (or the tail) sends them.
    const after = this.next[held];
    if (after >= 0) this.cost[after] += this.cost[held];
    else this.tailDead += this.cost[held];
    this.unlink(held);
    this.append(held, id);
  }

  /** Links `slot` last with version `id`, carrying the superseded messages queued before it. */
  private append(slot: number, id: number): number {
    this.id[slot] = id;
    this.cost[slot] = 1 + this.tailDead;
    this.tailDead = 0;
    this.prev[slot] = this.last;
    this.next[slot] = -1;
    if (this.last >= 0) this.next[this.last] = slot;
    else this.first = slot;
    this.last = slot;
    return slot;
  }

  private linkFirst(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.first;
    if (this.first >= 0) this.prev[this.first] = slot;
    else this.last = slot;
    this.first = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot];
    const n = this.next[slot];
    if (p >= 0) this.next[p] = n;
    else this.first = n;
    if (n >= 0) this.prev[n] = p;
    else this.last = p;
  }

  private allocate(key: number): number {
    let slot = this.free;
    if (slot >= 0) this.free = this.next[slot];
    else {
      if (this.slots === this.key.length) this.grow();
      slot = this.slots++;
    }
    this.used++;
    this.key[slot] = key;
    return slot;
  }

  /** A message landed: its entry's slot (if it carried one) is free again. */
  private release(slot: number): void {
    if (slot < 0) return;
    this.used--;
    this.next[slot] = this.free;
    this.free = slot;
  }

  private grow(): void {
    const size = this.key.length * 2;
    this.key = grown(this.key, size);
    this.id = grown(this.id, size);
    this.cost = grown(this.cost, size);
    this.prev = grown(this.prev, size);
    this.next = grown(this.next, size);
  }
}
