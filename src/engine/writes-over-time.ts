// Writes over the run, for charts over time: how many were acknowledged and
// how many failed in each bucket of time (by when the write was sent, as the
// reads are counted: a bucket then never holds more writes than were sent in
// it, so its bar is an honest rate, and an outage starts in the bucket its
// first failed write was sent in, however long the client waited to learn it),
// and the latency of the acknowledged ones. Counted from the write log, like
// every other figure: each write is added once it is decided, and a bucket is
// closed (its percentiles taken, its latencies dropped) as soon as no write
// still undecided was sent in it. A bucket is a second, or wider for a long
// run: the series has a bounded length whatever the duration.
import { percentilesInPlace } from "../base/stats.js";
import type { WriteBucket, WritesOverTime } from "./result.js";
import { ACKED, AMBIGUOUS, REJECTED } from "./write-log.js";

const round = (value: number) => Math.round(value * 10) / 10;

/** At most this many buckets, whatever the run's duration. */
export const MAX_WRITE_BUCKETS = 720;

/** The bucket width: a whole number of seconds, the smallest that keeps the series within MAX_WRITE_BUCKETS. */
export function bucketWidthMs(endMs: number): number {
  return 1000 * Math.max(1, Math.ceil(endMs / 1000 / MAX_WRITE_BUCKETS));
}

/** One bucket per bucketWidthMs of the run, from 0 to its end, filled write by write. */
export class WriteBuckets {
  readonly bucketMs: number;
  private readonly acked: Uint32Array;
  private readonly failed: Uint32Array;
  /** The latencies of the buckets still open (null before the first and once closed), and how many each holds. */
  private readonly latencies: (Float64Array | null)[];
  private readonly latencyCount: Uint32Array;
  /** Arrays of closed buckets, reused by the next ones: a long run allocates no garbage per write. */
  private readonly spare: Float64Array[] = [];
  private readonly closed: (WriteBucket | null)[];
  /** Buckets below this index are closed. */
  private closedBelow = 0;

  constructor(endMs: number) {
    this.bucketMs = bucketWidthMs(endMs);
    const count = Math.max(1, Math.ceil(endMs / this.bucketMs));
    this.acked = new Uint32Array(count);
    this.failed = new Uint32Array(count);
    this.latencies = new Array<Float64Array | null>(count).fill(null);
    this.latencyCount = new Uint32Array(count);
    this.closed = new Array<WriteBucket | null>(count).fill(null);
  }

  /** Counts one write whose outcome is final, in the bucket it was sent in (a write still pending counts nowhere). */
  add(status: number, sendMs: number, doneMs: number): void {
    if (status !== ACKED && status !== REJECTED && status !== AMBIGUOUS) return;
    const bucket = Math.min(this.acked.length - 1, Math.max(0, Math.floor(sendMs / this.bucketMs)));
    if (bucket < this.closedBelow) throw new Error(`assertion: a write sent at ${sendMs} ms lands in bucket ${bucket}, already closed`);
    if (status === ACKED) {
      this.acked[bucket]++;
      this.addLatency(bucket, doneMs - sendMs);
    } else {
      this.failed[bucket]++;
    }
  }

  private addLatency(bucket: number, latencyMs: number): void {
    let values = this.latencies[bucket];
    const n = this.latencyCount[bucket]++;
    if (values === null) values = this.latencies[bucket] = this.spare.pop() ?? new Float64Array(1024);
    if (n === values.length) {
      const bigger = new Float64Array(values.length * 2);
      bigger.set(values);
      values = this.latencies[bucket] = bigger;
    }
    values[n] = latencyMs;
  }

  /** Closes every bucket that ends at or before `sentMs`: each write not yet added was sent then or later. The last bucket stays open until the result. */
  closeBefore(sentMs: number): void {
    const last = this.acked.length - 1;
    while (this.closedBelow < last && (this.closedBelow + 1) * this.bucketMs <= sentMs) this.close(this.closedBelow++);
  }

  private close(i: number): void {
    const values = this.latencies[i];
    const n = this.latencyCount[i];
    // The two ranks by selection, not a sort of the bucket: the same values, in linear time.
    const [p50, p99] = values === null ? [NaN, NaN] : percentilesInPlace(values, n, [50, 99]);
    if (values !== null) this.spare.push(values);
    this.latencies[i] = null;
    this.closed[i] = {
      atMs: i * this.bucketMs,
      acked: this.acked[i],
      rejected: this.failed[i],
      p50Ms: n > 0 ? round(p50) : null,
      p99Ms: n > 0 ? round(p99) : null,
    };
  }

  /** The series, once every write has been added. */
  result(): WritesOverTime {
    while (this.closedBelow < this.acked.length) this.close(this.closedBelow++);
    return { bucketMs: this.bucketMs, buckets: this.closed as WriteBucket[] };
  }
}
