// The event queue: a binary min-heap ordered by (time, insertion sequence), so
// events at the same instant run in the order they were scheduled. Events are
// plain numbers (a kind and two arguments) kept in parallel typed arrays: no
// closure or object is allocated per event in the hot loop.

import { grown } from "../base/typed.js";

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private kinds = new Int32Array(1024);
  private argA = new Float64Array(1024);
  private argB = new Float64Array(1024);
  private heap = new Int32Array(1024);
  private free: number[] = [];
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
    time = Math.max(time, this.nowMs);
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.slots === this.times.length) this.grow();
      slot = this.slots++;
    }
    this.times[slot] = time;
    this.seqs[slot] = this.sequence++;
    this.kinds[slot] = kind;
    this.argA[slot] = a;
    this.argB[slot] = b;
    if (this.size === this.heap.length) this.heap = grown(this.heap, this.heap.length * 2);
    let i = this.size++;
    this.heap[i] = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTime(): number {
    return this.size === 0 ? Infinity : this.times[this.heap[0]];
  }

  /** Removes the earliest event; read it with the returned slot before the next push. */
  pop(out: { time: number; kind: number; a: number; b: number }): boolean {
    if (this.size === 0) return false;
    const slot = this.heap[0];
    out.time = this.times[slot];
    // The heap hands out events in time order and push never queues one before now: the clock never runs backwards.
    if (out.time < this.nowMs) throw new Error(`assertion: event queue time went backwards (${out.time} < ${this.nowMs})`);
    this.nowMs = out.time;
    out.kind = this.kinds[slot];
    out.a = this.argA[slot];
    out.b = this.argB[slot];
    this.free.push(slot);
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size];
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.size && this.less(this.heap[left], this.heap[smallest])) smallest = left;
        if (right < this.size && this.less(this.heap[right], this.heap[smallest])) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return true;
  }

  private less(x: number, y: number): boolean {
    const tx = this.times[x];
    const ty = this.times[y];
    return tx < ty || (tx === ty && this.seqs[x] < this.seqs[y]);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i];
    this.heap[i] = this.heap[j];
    this.heap[j] = t;
  }

  private grow(): void {
    const n = this.times.length * 2;
    this.times = grown(this.times, n);
    this.seqs = grown(this.seqs, n);
    this.argA = grown(this.argA, n);
    this.argB = grown(this.argB, n);
    this.kinds = grown(this.kinds, n);
  }

}
