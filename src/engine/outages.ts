// Outages, the one definition behind RTO, write-unavailable time and the
// per-fault story (the documented engine semantics). An outage of a data class starts at the first
// failed request of that class sent after a fault and ends when the first
// request of the class sent after that failure succeeds. It is charged to the
// fault that caused it — the earliest fault after the last request that still
// succeeded before the outage began, and no later than the moment its first
// failed request failed (a write sent a moment before a crash, that the crash
// kept from committing, is that crash's) — and counts from that fault. When no fault
// came in between (requests fail while others of the class succeed: clients cut
// off on their own, stale DNS caches, a storm of reconnects), the class was
// serving until the failure, so the outage counts from its first failed request
// and is attributed to the latest fault before it. Requests that fail before any
// fault (a design that cannot carry its plain load: a synchronous standby that
// replays slower than remote_apply commits need) are an outage too, charged to no
// fault (NO_FAULT) and counted from the first failed request: what broke the
// writes is the run's own load, and the RTO and write-unavailable time say so.
// RTO is the longest outage; write-unavailable time is the union of every
// class's outages. One outage is left out: one still open at the end of the
// run that began while the class was serving, less than a request timeout
// before the end (`undecided`).

/** The `fault` of an outage no fault caused: requests failed before any fault, under the run's own load. */
export const NO_FAULT = -1;

/** One outage, attributed to fault `fault` (an index into the scenario's faults, or NO_FAULT), counted from `startMs`. */
export interface Outage {
  fault: number;
  /** The fault's time (NaN for NO_FAULT). */
  faultMs: number;
  /** The fault's time when the fault broke a serving class, else the first failure. */
  startMs: number;
  /** Send time of the first failed request. */
  firstErrorMs: number;
  /** When the first request sent after that failure succeeded (Infinity: never, within the run). */
  recoveredMs: number;
  /** Judged from the cluster while no client was left to send a request (unobservedOutages). */
  unobserved?: true;
}

/** An outage as seen while scanning requests: its first failure and the last success before it. */
export interface OpenOutage {
  /** Send time of the first failed request. */
  firstErrorMs: number;
  /** When that request failed (its timeout, or the error coming back). */
  firstErrorDoneMs: number;
  lastOkSendMs: number;
  recoveredMs: number;
}

/**
 * Charges an outage to its fault (NO_FAULT, counted from its first failure, when no fault came at or before it; null
 * when a fault failed its first request after the class had recovered: no outage). A fault can have
 * caused it when it came after the class's last success and before the first failed request had failed: one
 * that struck while that request was on its way (sent just before a crash) counts. It must also come before the
 * outage ended (a fault after the recovery caused nothing in it).
 */
export function charge(faultTimes: readonly number[], open: OpenOutage): Outage | null {
  // (A request still undecided at the end has no failure time: its send stands in.)
  const failedMs = Number.isNaN(open.firstErrorDoneMs) ? open.firstErrorMs : open.firstErrorDoneMs;
  const causedUntil = Math.max(open.firstErrorMs, Math.min(failedMs, open.recoveredMs));
  let latest = -1;
  for (let f = 0; f < faultTimes.length; f++) {
    const at = faultTimes[f];
    if (at > causedUntil) break;
    if (at > open.lastOkSendMs) return { fault: f, faultMs: at, startMs: at, firstErrorMs: open.firstErrorMs, recoveredMs: open.recoveredMs };
    latest = f;
  }
  if (latest < 0) {
    // A request sent before any fault that a fault failed while it was on its way, when later requests of the class
    // had already succeeded before that fault: the class was serving, the failure is the fault's, and nothing was out.
    if (faultTimes.some((at) => at > open.firstErrorMs && at <= failedMs)) return null;
    return { fault: NO_FAULT, faultMs: NaN, startMs: open.firstErrorMs, firstErrorMs: open.firstErrorMs, recoveredMs: open.recoveredMs };
  }
  return { fault: latest, faultMs: faultTimes[latest], startMs: open.firstErrorMs, firstErrorMs: open.firstErrorMs, recoveredMs: open.recoveredMs };
}

/**
 * The write outages of one class from its requests in send order, fed one at
 * a time (`add`): its send time, whether it was acknowledged, and when. An
 * outage's recovery is the earliest acknowledgement among the requests sent
 * after its first failure (strictly later: requests sent at the same instant
 * do not count as "after" it); a request sent at or after that moment ends it.
 * Every request sent later is acknowledged no earlier than it was sent, so the
 * earliest acknowledgement seen so far is already the final one by then: the
 * scan keeps no request, only the outage under way. A request that fails before
 * any fault opens one like any other (charge gives it NO_FAULT).
 */
export class OutageScan {
  readonly outages: OpenOutage[] = [];
  private lastOkSendMs = -Infinity;
  private current: OpenOutage | null = null;

  add(sendMs: number, ok: boolean, doneMs: number): void {
    const current = this.current;
    if (current !== null) {
      if (sendMs >= current.recoveredMs) this.current = null;
      else if (ok && sendMs > current.firstErrorMs && doneMs < current.recoveredMs) current.recoveredMs = doneMs;
    }
    if (ok) {
      this.lastOkSendMs = sendMs;
      return;
    }
    if (this.current !== null) return;
    this.current = { firstErrorMs: sendMs, firstErrorDoneMs: doneMs, lastOkSendMs: this.lastOkSendMs, recoveredMs: Infinity };
    this.outages.push(this.current);
  }
}

/**
 * Whether an outage is too young at the end of the run to say anything: still
 * open, begun while the class was serving (no fault since its last success,
 * so it counts from its first failure), less than one request timeout before
 * the end. Failures while other requests of the class succeed (clients cut off
 * on their own) open and close outages all along; the run then ends with one
 * open by chance whenever its last request was one of theirs, and no request
 * came after it that could have closed it. Counting it as never ended would
 * make the RTO "never" or not by the luck of that last request, flipping with
 * the run's length. A class that stopped serving for longer than a timeout
 * before the end, or that a fault broke, still counts as never recovered.
 */
export function undecided(o: Outage, endMs: number, timeoutMs: number): boolean {
  return !Number.isFinite(o.recoveredMs) && (o.fault === NO_FAULT || o.startMs > o.faultMs) && endMs - o.firstErrorMs < timeoutMs;
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
  return union(outages, endMs).ms;
}

/**
 * The union of the outages (as unionMs) and how many separate stretches of time it is made of: one long
 * outage, or many short ones (clients failing on their own while the class kept serving) that add up.
 */
export function union(outages: readonly Outage[], endMs: number): { ms: number; stretches: number } {
  const spans = outages.map((o) => [o.startMs, Math.min(o.recoveredMs, Math.max(endMs, o.startMs))] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let stretches = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const [start, end] of spans) {
    if (start > to) {
      if (to > from) {
        total += to - from;
        stretches++;
      }
      from = start;
      to = end;
    } else to = Math.max(to, end);
  }
  if (to > from) {
    total += to - from;
    stretches++;
  }
  return { ms: total, stretches };
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

/**
 * The outages nobody was left to see: while every client's zone was lost (`unobserved`), no request tells whether
 * the service could take writes, yet a service with no node able to accept them is down whoever is left to notice.
 * Each stretch of `down` (no node could accept writes) inside an unobserved one becomes an outage, less what the
 * requests' own outages (`seen`) already cover; charged like any other, it counts from the fault that began it.
 * A stretch still down when the run ends never recovered; one that ends because clients came back ends there
 * (their requests tell the rest).
 */
export function unobservedOutages(
  faultTimes: readonly number[],
  unobserved: readonly { fromMs: number; toMs: number }[],
  down: readonly { fromMs: number; toMs: number }[],
  seen: readonly Outage[],
  endMs: number,
): Outage[] {
  const out: Outage[] = [];
  for (const w of unobserved) {
    const wEnd = Math.min(w.toMs, endMs);
    for (const d of down) {
      let from = Math.max(w.fromMs, d.fromMs);
      const to = Math.min(wEnd, d.toMs);
      if (!(to > from)) continue;
      // What the requests' outages already cover is theirs.
      for (const o of [...seen].sort((a, b) => a.startMs - b.startMs)) if (o.startMs <= from && o.recoveredMs > from) from = o.recoveredMs;
      if (!(to > from)) continue;
      const open = charge(faultTimes, { firstErrorMs: from, firstErrorDoneMs: from, lastOkSendMs: from - 1e-6, recoveredMs: to >= endMs ? Infinity : to });
      if (open !== null) out.push({ ...open, unobserved: true });
    }
  }
  return out;
}
