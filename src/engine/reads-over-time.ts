// Reads over the run, for charts over time: how many were served fresh, served
// stale and failed in each bucket of time (by when the read was sent, the
// moment the engine decides it). Reads leave no log to count afterwards, as
// writes do, so they are counted into fixed buckets as they happen: one call
// per read, a few array increments. The buckets are the writes' (a second, or
// wider for a long run), so both series share one time axis.
import type { ReadsOverTime } from "./result.js";
import { bucketWidthMs } from "./writes-over-time.js";

export class ReadCounter {
  readonly bucketMs: number;
  private readonly served: Uint32Array;
  private readonly stale: Uint32Array;
  private readonly failed: Uint32Array;
  /** Per data class: its stale reads when the previous read was counted (a stale read is counted just before its outcome). */
  private readonly staleSeen: Float64Array;

  constructor(endMs: number, classes: number) {
    this.bucketMs = bucketWidthMs(endMs);
    const count = Math.max(1, Math.ceil(endMs / this.bucketMs));
    this.served = new Uint32Array(count);
    this.stale = new Uint32Array(count);
    this.failed = new Uint32Array(count);
    this.staleSeen = new Float64Array(classes);
  }

  /** One read of class `cls` sent at `sentMs`: served (`ok`) or failed; `staleTotal` is the class's stale reads so far. */
  count(cls: number, sentMs: number, ok: boolean, staleTotal: number): void {
    const bucket = Math.min(this.served.length - 1, Math.max(0, Math.floor(sentMs / this.bucketMs)));
    if (!ok) {
      this.failed[bucket]++;
      return;
    }
    this.served[bucket]++;
    if (staleTotal !== this.staleSeen[cls]) {
      this.stale[bucket] += staleTotal - this.staleSeen[cls];
      this.staleSeen[cls] = staleTotal;
    }
  }

  result(): ReadsOverTime {
    const buckets = Array.from(this.served, (served, i) => ({ atMs: i * this.bucketMs, served, stale: this.stale[i], failed: this.failed[i] }));
    return { bucketMs: this.bucketMs, buckets };
  }
}
