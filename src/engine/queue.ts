// The event queue: a min-heap ordered by (time, insertion sequence), so events
// at the same instant run in the order they were scheduled. Events are plain
// numbers (a kind and two arguments) kept in parallel typed arrays: no closure
// or object is allocated per event in the hot loop.
//
// The heap is 4-ary (half the levels of a binary heap; the four children of a
// node sit side by side in memory), keeps each entry's key (time, sequence) in
// heap order beside the entry's slot, so a comparison reads the heap arrays
// and never follows a slot, and moves a hole instead of swapping. A slot holds
// the event's kind and arguments and is reused once the event is popped.
// (time, sequence) is unique per event, so the order events come out in is
// exactly that of any other correct priority queue on the same key.

import { grown } from "../base/typed.js";

export class EventQueue {
  /** Heap order: entry k's time, sequence and slot; the children of k are 4k+1 .. 4k+4. */
  private heapTime = new Float64Array(1024);
  private heapSeq = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  /** Per slot: the event's kind and arguments. */
  private kinds = new Int32Array(1024);
  private argA = new Float64Array(1024);
  private argB = new Float64Array(1024);
  /** Slots given back by popped events, as a stack. */
  private free = new Int32Array(1024);
  private freeCount = 0;
  private slots = 0;
  private size = 0;
  private sequence = 0;
  /** The time of the event popped last: the simulated clock. */
  private nowMs = 0;
  /** Events queued for a time already past (a checker reads these: nothing may happen before its cause). */
  readonly pastSchedules: { kind: number; atMs: number; nowMs: number }[] = [];

  get length(): number {
    return this.size;
  }

  push(time: number, kind: number, a = 0, b = 0): void {
    if (time < this.nowMs - 1e-6 && this.pastSchedules.length < 100) this.pastSchedules.push({ kind, atMs: time, nowMs: this.nowMs });
    // Nothing happens before now: a past time (recorded above for the checker) is served now.
    if (time < this.nowMs) time = this.nowMs;
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount];
    else {
      if (this.slots === this.kinds.length) this.growSlots();
      slot = this.slots++;
    }
    this.kinds[slot] = kind;
    this.argA[slot] = a;
    this.argB[slot] = b;
    if (this.size === this.heapTime.length) this.growHeap();
    const seq = this.sequence++;
    const heapTime = this.heapTime;
    const heapSeq = this.heapSeq;
    const heapSlot = this.heapSlot;
    // Sift the hole up from the end while the parent is later.
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 2;
      const pt = heapTime[parent];
      if (pt < time || (pt === time && heapSeq[parent] < seq)) break;
      heapTime[k] = pt;
      heapSeq[k] = heapSeq[parent];
      heapSlot[k] = heapSlot[parent];
      k = parent;
    }
    heapTime[k] = time;
    heapSeq[k] = seq;
    heapSlot[k] = slot;
  }

  peekTime(): number {
    return this.size === 0 ? Infinity : this.heapTime[0];
  }

  /** Removes the earliest event into `out`. */
  pop(out: { time: number; kind: number; a: number; b: number }): boolean {
    if (this.size === 0) return false;
    const heapTime = this.heapTime;
    const heapSeq = this.heapSeq;
    const heapSlot = this.heapSlot;
    const time = heapTime[0];
    // The heap hands out events in time order and push never queues one before now: the clock never runs backwards.
    if (time < this.nowMs) throw new Error(`assertion: event queue time went backwards (${time} < ${this.nowMs})`);
    this.nowMs = time;
    const slot = heapSlot[0];
    out.time = time;
    out.kind = this.kinds[slot];
    out.a = this.argA[slot];
    out.b = this.argB[slot];
    this.free[this.freeCount++] = slot;
    const size = --this.size;
    if (size > 0) {
      // Sift the last entry down from the root through the hole.
      const lastTime = heapTime[size];
      const lastSeq = heapSeq[size];
      const lastSlot = heapSlot[size];
      let k = 0;
      for (;;) {
        const first = 4 * k + 1;
        if (first >= size) break;
        // The earliest of up to four children.
        let c = first;
        let ct = heapTime[first];
        let cs = heapSeq[first];
        const end = first + 4 < size ? first + 4 : size;
        for (let j = first + 1; j < end; j++) {
          const t = heapTime[j];
          if (t < ct || (t === ct && heapSeq[j] < cs)) {
            c = j;
            ct = t;
            cs = heapSeq[j];
          }
        }
        if (lastTime < ct || (lastTime === ct && lastSeq < cs)) break;
        heapTime[k] = ct;
        heapSeq[k] = cs;
        heapSlot[k] = heapSlot[c];
        k = c;
      }
      heapTime[k] = lastTime;
      heapSeq[k] = lastSeq;
      heapSlot[k] = lastSlot;
    }
    return true;
  }

  private growHeap(): void {
    const n = this.heapTime.length * 2;
    this.heapTime = grown(this.heapTime, n);
    this.heapSeq = grown(this.heapSeq, n);
    this.heapSlot = grown(this.heapSlot, n);
  }

  private growSlots(): void {
    const n = this.kinds.length * 2;
    this.kinds = grown(this.kinds, n);
    this.argA = grown(this.argA, n);
    this.argB = grown(this.argB, n);
    this.free = grown(this.free, n);
  }
}
