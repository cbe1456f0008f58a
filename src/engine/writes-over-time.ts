// Writes over the run, for charts over time: how many were acknowledged and
// how many failed in each bucket of time (by when the client learned the
// outcome), and the latency of the acknowledged ones. Counted from the write
// log, like every other figure. A bucket is a second, or wider for a long run:
// the series has a bounded length whatever the duration.
import { percentile } from "../base/stats.js";
import type { WritesOverTime } from "./result.js";
import { ACKED, AMBIGUOUS, REJECTED, type WriteLog } from "./write-log.js";

const round = (value: number) => Math.round(value * 10) / 10;

/** At most this many buckets, whatever the run's duration. */
export const MAX_WRITE_BUCKETS = 720;

/** The bucket width: a whole number of seconds, the smallest that keeps the series within MAX_WRITE_BUCKETS. */
export function bucketWidthMs(endMs: number): number {
  return 1000 * Math.max(1, Math.ceil(endMs / 1000 / MAX_WRITE_BUCKETS));
}

/** One bucket per bucketWidthMs of the run, from 0 to its end. */
export function writesOverTime(log: WriteLog, endMs: number): WritesOverTime {
  const bucketMs = bucketWidthMs(endMs);
  const count = Math.max(1, Math.ceil(endMs / bucketMs));
  const acked = new Array<number>(count).fill(0);
  const failed = new Array<number>(count).fill(0);
  const latencies: number[][] = Array.from({ length: count }, () => []);
  for (let id = 0; id < log.count; id++) {
    const status = log.status[id];
    if (status !== ACKED && status !== REJECTED && status !== AMBIGUOUS) continue;
    const bucket = Math.min(count - 1, Math.max(0, Math.floor(log.doneMs[id] / bucketMs)));
    if (status === ACKED) {
      acked[bucket]++;
      latencies[bucket].push(log.doneMs[id] - log.sendMs[id]);
    } else {
      failed[bucket]++;
    }
  }
  const buckets = acked.map((n, i) => {
    const sorted = latencies[i].sort((a, b) => a - b);
    return {
      atMs: i * bucketMs,
      acked: n,
      rejected: failed[i],
      p50Ms: sorted.length ? round(percentile(sorted, 50)) : null,
      p99Ms: sorted.length ? round(percentile(sorted, 99)) : null,
    };
  });
  return { bucketMs, buckets };
}
