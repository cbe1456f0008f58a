// Writes per second of the run, for charts over time: how many were
// acknowledged and how many failed in each second (by when the client learned
// the outcome), and the latency of the acknowledged ones. Counted from the
// write log, like every other figure.
import { percentile } from "../base/stats.js";
import type { WriteSecond } from "./result.js";
import { ACKED, AMBIGUOUS, REJECTED, type WriteLog } from "./write-log.js";

const round = (value: number) => Math.round(value * 10) / 10;

/** One entry per second of the run, from 0 to its end. */
export function writesPerSecond(log: WriteLog, endMs: number): WriteSecond[] {
  const seconds = Math.max(1, Math.ceil(endMs / 1000));
  const acked = new Array<number>(seconds).fill(0);
  const failed = new Array<number>(seconds).fill(0);
  const latencies: number[][] = Array.from({ length: seconds }, () => []);
  for (let id = 0; id < log.count; id++) {
    const status = log.status[id];
    if (status !== ACKED && status !== REJECTED && status !== AMBIGUOUS) continue;
    const second = Math.min(seconds - 1, Math.max(0, Math.floor(log.doneMs[id] / 1000)));
    if (status === ACKED) {
      acked[second]++;
      latencies[second].push(log.doneMs[id] - log.sendMs[id]);
    } else {
      failed[second]++;
    }
  }
  return acked.map((n, i) => {
    const sorted = latencies[i].sort((a, b) => a - b);
    return {
      atMs: i * 1000,
      acked: n,
      rejected: failed[i],
      p50Ms: sorted.length ? round(percentile(sorted, 50)) : null,
      p99Ms: sorted.length ? round(percentile(sorted, 99)) : null,
    };
  });
}
