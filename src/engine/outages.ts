// Outages, the one definition behind RTO, write-unavailable time and the
// per-fault story (the documented engine semantics). An outage of a data class starts at the first
// failed request of that class sent after a fault and ends when the first
// request of the class sent after that failure succeeds. It is charged to the
// fault that caused it — the earliest fault after the last request that still
// succeeded before the outage began — and counts from that fault. When no fault
// came in between (requests fail while others of the class succeed: clients cut
// off on their own, stale DNS caches, a storm of reconnects), the class was
// serving until the failure, so the outage counts from its first failed request
// and is attributed to the latest fault before it.
// RTO is the longest outage; write-unavailable time is the union of every
// class's outages.

/** One outage, attributed to fault `fault` (an index into the scenario's faults), counted from `startMs`. */
export interface Outage {
  fault: number;
  faultMs: number;
  /** The fault's time when the fault broke a serving class, else the first failure. */
  startMs: number;
  /** Send time of the first failed request. */
  firstErrorMs: number;
  /** When the first request sent after that failure succeeded (Infinity: never, within the run). */
  recoveredMs: number;
}

/** An outage as seen while scanning requests: its first failure and the last success before it. */
export interface OpenOutage {
  firstErrorMs: number;
  lastOkSendMs: number;
  recoveredMs: number;
}

/** Charges an outage to its fault (null: no fault at or before it, so nothing to charge). */
export function charge(faultTimes: readonly number[], open: OpenOutage): Outage | null {
  let latest = -1;
  for (let f = 0; f < faultTimes.length; f++) {
    const at = faultTimes[f];
    if (at > open.firstErrorMs) break;
    if (at > open.lastOkSendMs) return { fault: f, faultMs: at, startMs: at, firstErrorMs: open.firstErrorMs, recoveredMs: open.recoveredMs };
    latest = f;
  }
  if (latest < 0) return null;
  return { fault: latest, faultMs: faultTimes[latest], startMs: open.firstErrorMs, firstErrorMs: open.firstErrorMs, recoveredMs: open.recoveredMs };
}

/**
 * The write outages of one class from its requests in send order: `send[i]`,
 * `ok[i]` (acknowledged) and `done[i]` (acknowledgement time). Requests sent
 * before the first fault never open an outage.
 */
export function scanOutages(send: ArrayLike<number>, ok: ArrayLike<boolean>, done: ArrayLike<number>, firstFaultMs: number): OpenOutage[] {
  const n = send.length;
  // The earliest acknowledgement among requests i..n−1.
  const earliestAckFrom = new Float64Array(n + 1).fill(Infinity);
  for (let i = n - 1; i >= 0; i--) earliestAckFrom[i] = Math.min(earliestAckFrom[i + 1], ok[i] ? done[i] : Infinity);
  const outages: OpenOutage[] = [];
  let lastOkSendMs = -Infinity;
  let current: OpenOutage | null = null;
  for (let i = 0; i < n; i++) {
    if (current !== null && send[i] >= current.recoveredMs) current = null;
    if (ok[i]) {
      lastOkSendMs = send[i];
      continue;
    }
    if (current !== null || send[i] < firstFaultMs) continue;
    // Requests sent at the same instant as the failure do not count as "after" it.
    let j = i + 1;
    while (j < n && send[j] <= send[i]) j++;
    current = { firstErrorMs: send[i], lastOkSendMs, recoveredMs: earliestAckFrom[j] };
    outages.push(current);
  }
  return outages;
}

/** The longest outage (ms), 0 without outages, null when one never ended. */
export function longestOutageMs(outages: readonly Outage[]): number | null {
  let longest = 0;
  for (const o of outages) {
    if (!Number.isFinite(o.recoveredMs)) return null;
    longest = Math.max(longest, o.recoveredMs - o.startMs);
  }
  return longest;
}

/** Total length of the union of [startMs, recoveredMs) over the outages, unfinished ones ending at `endMs`. */
export function unionMs(outages: readonly Outage[], endMs: number): number {
  const spans = outages.map((o) => [o.startMs, Math.min(o.recoveredMs, Math.max(endMs, o.startMs))] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const [start, end] of spans) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else to = Math.max(to, end);
  }
  if (to > from) total += to - from;
  return total;
}

/** The stretches of time covered by intervals of at least two different owners. */
export function overlaps(intervals: readonly { owner: number; fromMs: number; toMs: number }[]): { fromMs: number; toMs: number; owners: number[] }[] {
  const points: [number, number, number][] = [];
  for (const iv of intervals) if (iv.toMs > iv.fromMs) points.push([iv.fromMs, 1, iv.owner], [iv.toMs, -1, iv.owner]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const open = new Map<number, number>();
  const out: { fromMs: number; toMs: number; owners: number[] }[] = [];
  let startedMs = NaN;
  for (const [at, delta, owner] of points) {
    const count = (open.get(owner) ?? 0) + delta;
    const before = open.size;
    if (count === 0) open.delete(owner);
    else open.set(owner, count);
    if (before < 2 && open.size >= 2) startedMs = at;
    else if (before >= 2 && open.size < 2) {
      if (at > startedMs) out.push({ fromMs: startedMs, toMs: at, owners: [...open.keys(), owner] });
      startedMs = NaN;
    }
  }
  return out;
}
