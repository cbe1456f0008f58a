// Figures recomputed from a run's raw history (the write log, the timelines,
// the writer intervals), independently of the engine's own bookkeeping. The
// oracles compare these with the result; a disagreement is a bug on one side.
import type { RunHistory, WriterInterval } from "../engine/history.js";
import { ACKED, PENDING, REJECTED } from "../engine/write-log.js";

// ---------------------------------------------------------------------------
// Which acknowledged writes survived (documented semantics: RPO)

/**
 * The highest LSN of timeline `e` that belongs to the history of timeline `x`:
 * walk from x up its parents; each step up caps the LSN at the fork point where
 * the child left its parent. −1 when e is not an ancestor of x (or x itself).
 */
export function lineageCutoff(epochs: RunHistory["epochs"], e: number, x: number): number {
  let cap = Infinity;
  for (let current = x, steps = 0; current >= 0 && steps <= epochs.parent.length; current = epochs.parent[current], steps++) {
    if (current === e) return cap;
    cap = Math.min(cap, epochs.forkLsn[current]);
  }
  return -1;
}

/**
 * Acknowledged writes absent from the final timeline's history, per data class (null: the shape has no timelines,
 * or the answer needs writes from before the run). With every disk gone, `restoredBeforeMs` is the point a restore
 * from the WAL archive brings the data back to (null: no restore): the writes sent before it survive in the archive.
 */
export function lostPerClass(history: RunHistory, classCount: number, restoredBeforeMs: number | null = null): number[] | null {
  if (history.finalEpoch < 0) return null;
  const w = history.writes;
  const lost = new Array<number>(classCount).fill(0);
  const cutoffs = new Map<number, number>();
  // The final timeline decides, on a disk that still exists: when its leader's zone or region is gone for good,
  // a write survives only on a node that is not gone and holds it (every node gone: nothing survives).
  const finalLeader = history.epochs.leader[history.finalEpoch];
  const diskless = finalLeader !== undefined && history.final[finalLeader]?.lostForGood === true;
  const disks = history.final.filter((n) => !n.lostForGood && n.holds.epoch >= 0);
  const everyDiskGone = history.final.every((n) => n.lostForGood);
  // The restore's loss then reaches back before the run, which the history does not hold.
  if (everyDiskGone && restoredBeforeMs !== null && restoredBeforeMs < 0) return null;
  for (let id = 0; id < w.count; id++) {
    if (w.status[id] !== ACKED) continue;
    const e = w.epoch[id];
    let cutoff = cutoffs.get(e);
    if (cutoff === undefined) cutoffs.set(e, (cutoff = lineageCutoff(history.epochs, e, history.finalEpoch)));
    let survives = w.lsn[id] <= cutoff;
    if (survives && everyDiskGone) survives = restoredBeforeMs !== null && w.sendMs[id] < restoredBeforeMs;
    else if (survives && diskless) survives = disks.some((n) => w.lsn[id] <= Math.min(n.holds.lsn, lineageCutoff(history.epochs, e, n.holds.epoch)));
    if (!survives) lost[w.cls[id]]++;
  }
  return lost;
}

export function countByStatus(history: RunHistory, classCount: number, status: number): number[] {
  const w = history.writes;
  const counts = new Array<number>(classCount).fill(0);
  for (let id = 0; id < w.count; id++) if (w.status[id] === status) counts[w.cls[id]]++;
  return counts;
}

// ---------------------------------------------------------------------------
// Outages (documented semantics: RTO and writeUnavailableMs)

export interface Outage {
  cls: number;
  /** Send time of the failed write that opened it. */
  firstFailureMs: number;
  /** The fault it is charged to. */
  faultMs: number;
  /** Where it counts from: the fault when the fault broke a class that was serving, else the first failure. */
  startMs: number;
  /** Acknowledgement of the first write of the class sent after the failure (Infinity: never). */
  recoveredMs: number;
}

/**
 * Every write outage of every class, over the writes of clients that are not
 * in a lost zone or region. An outage opens at a failed write (before any
 * fault too), and closes at the earliest acknowledgement of a
 * write of the class sent after that failure; failed writes sent before it
 * closed belong to it. It is charged to the earliest fault after the class's
 * last acknowledged send before the outage, and counts from that fault; when
 * no fault came in between (the class kept serving until the failure: a
 * client cut off on its own, a stale DNS cache), it is charged to the latest
 * fault at or before its first failure and counts from that failure. With no
 * fault at or before it (failures under the run's own load) it is charged to none
 * (faultMs NaN) and counts from the failure, unless a fault failed that first
 * request on its way after later ones had succeeded (then nothing was out). An
 * outage of that second kind still open at the end of the run, begun less
 * than one request timeout before the end, says nothing yet and is left out.
 */
export function outages(history: RunHistory, classCount: number, faultTimesMs: number[], timeoutMs: number): Outage[] {
  const faults = [...faultTimesMs].sort((a, b) => a - b);
  const out: Outage[] = [];
  for (let cls = 0; cls < classCount; cls++) {
    const seen = classOutages(history, cls, faults).filter((o) => Number.isFinite(o.recoveredMs) || o.startMs === o.faultMs || history.endMs - o.firstFailureMs >= timeoutMs);
    out.push(...seen, ...unseenOutages(history, cls, faults, seen));
  }
  return out;
}

/**
 * While every client's zone was lost nobody sent a request, yet the class is down whenever no node could accept
 * a write: each such stretch is an outage (less what the requests' outages cover), charged like one whose first
 * failure is the stretch's start; still down at the end, it never recovered. A leader shape's node could accept
 * writes while it was a writer and not blocked on its strict standbys; a shape without writers, only until every
 * node was lost for good.
 */
function unseenOutages(history: RunHistory, cls: number, faults: number[], seen: Outage[]): Outage[] {
  const out: Outage[] = [];
  const end = history.endMs;
  const writable = (t: number): boolean => {
    if (history.finalEpoch < 0) return !(history.final.every((n) => n.lostForGood) && t >= Math.max(...history.nodeLostAtMs));
    return history.writers.some((w) => w.fromMs <= t && t < w.toMs) && !history.blocked.some((b) => b.fromMs <= t && t < b.toMs);
  };
  for (const window of history.unobserved) {
    const to = Math.min(window.toMs, end);
    const cuts = [window.fromMs, to, ...history.writers.flatMap((w) => [w.fromMs, w.toMs]), ...history.blocked.flatMap((b) => [b.fromMs, b.toMs]), ...history.nodeLostAtMs]
      .filter((t) => t >= window.fromMs && t <= to)
      .sort((a, b) => a - b);
    let downFrom = NaN;
    const close = (at: number) => {
      let from = downFrom;
      downFrom = NaN;
      for (const o of seen) if (o.startMs <= from && o.recoveredMs > from) from = o.recoveredMs;
      if (!(at > from)) return;
      const charge = charged(faults, from - 1e-6, from);
      if (charge !== null) out.push({ cls, firstFailureMs: from, ...charge, recoveredMs: at >= end ? Infinity : at });
    };
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      if (!(b > a)) continue;
      const down = !writable((a + b) / 2);
      if (down && Number.isNaN(downFrom)) downFrom = a;
      else if (!down && !Number.isNaN(downFrom)) close(a);
    }
    if (!Number.isNaN(downFrom)) close(to);
  }
  return out;
}

function classOutages(history: RunHistory, cls: number, faults: number[]): Outage[] {
  const w = history.writes;
  const ids: number[] = [];
  // A client in a lost zone or region is a dead application server: it sent nothing.
  for (let id = 0; id < w.count; id++) if (w.cls[id] === cls) ids.push(id);
  // Writes are logged in send order; earliestAckFrom[i] = the earliest acknowledgement among ids[i..].
  const earliestAckFrom = new Float64Array(ids.length + 1).fill(Infinity);
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i];
    earliestAckFrom[i] = Math.min(earliestAckFrom[i + 1], w.status[id] === ACKED ? w.doneMs[id] : Infinity);
  }
  const out: Outage[] = [];
  let lastAckedSendMs = -Infinity;
  let openUntilMs = -Infinity;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const sent = w.sendMs[id];
    if (w.status[id] === ACKED) lastAckedSendMs = sent;
    if (w.status[id] !== REJECTED || sent < openUntilMs) continue;
    let next = i + 1;
    while (next < ids.length && w.sendMs[ids[next]] <= sent) next++;
    const recovered = earliestAckFrom[next];
    const charge = charged(faults, lastAckedSendMs, sent, Math.min(w.doneMs[id], recovered), w.doneMs[id]);
    if (charge !== null) out.push({ cls, firstFailureMs: sent, ...charge, recoveredMs: recovered });
    openUntilMs = recovered;
  }
  return out;
}

/**
 * The fault an outage is charged to: the first after the last acknowledged send that struck before the first
 * failed request had failed (`causedUntil`: its failure, or the recovery if that came first), counted from the
 * fault; else the latest fault before the failed send, counted from that send.
 */
function charged(faults: number[], lastAckedSendMs: number, failureMs: number, causedUntil = failureMs, failedAtMs = failureMs): { faultMs: number; startMs: number } | null {
  const after = faults.find((f) => f > lastAckedSendMs);
  if (after !== undefined && after <= (Number.isNaN(causedUntil) ? failureMs : Math.max(failureMs, causedUntil))) return { faultMs: after, startMs: after };
  let latest = NaN;
  for (const f of faults) if (f <= failureMs) latest = f;
  if (Number.isNaN(latest) && faults.some((f) => f > failureMs && f <= (Number.isNaN(failedAtMs) ? failureMs : failedAtMs))) return null;
  return { faultMs: latest, startMs: failureMs };
}

/** A class's RTO: its longest outage (0 without one; null when one never recovered). */
export function longestOutageMs(list: Outage[], cls: number): number | null {
  let longest = 0;
  for (const o of list) {
    if (o.cls !== cls) continue;
    if (!Number.isFinite(o.recoveredMs)) return null;
    longest = Math.max(longest, o.recoveredMs - o.startMs);
  }
  return longest;
}

/** Total length of a union of intervals. */
export function unionMs(intervals: [number, number][]): number {
  return merged(intervals).reduce((total, [a, b]) => total + (b - a), 0);
}

/** A union of intervals as its disjoint stretches, in time order (intervals that touch are one stretch). */
export function merged(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * writeUnavailableMs: the union of every class's outages, from their start to
 * their recovery, within the run (an outage still open at the end, or closed
 * by an acknowledgement that arrives after it, counts up to the run's end).
 */
export function unavailableMs(list: Outage[], endMs: number): number {
  return unionMs(withinRun(list, endMs));
}

/** How many separate stretches of time writeUnavailableMs is made of. */
export function unavailableStretches(list: Outage[], endMs: number): number {
  return merged(withinRun(list, endMs)).length;
}

function withinRun(list: Outage[], endMs: number): [number, number][] {
  return list.map((o) => [o.startMs, Math.min(o.recoveredMs, Math.max(endMs, o.startMs))]);
}

// ---------------------------------------------------------------------------
// Writers (split brain and fencing)

export interface WriterOverlap {
  a: WriterInterval;
  b: WriterInterval;
  fromMs: number;
  toMs: number;
}

/** Pairs of writer intervals of different nodes that overlap in time. */
export function writerOverlaps(history: RunHistory): WriterOverlap[] {
  const out: WriterOverlap[] = [];
  const writers = history.writers;
  for (let i = 0; i < writers.length; i++) {
    for (let j = i + 1; j < writers.length; j++) {
      const a = writers[i];
      const b = writers[j];
      if (a.node === b.node) continue;
      const fromMs = Math.max(a.fromMs, b.fromMs);
      const toMs = Math.min(a.toMs, b.toMs);
      if (toMs - fromMs > 1e-6) out.push({ a, b, fromMs, toMs });
    }
  }
  return out;
}

/**
 * Split-brain time: when two nodes act as writable leaders and each acknowledges writes. One whose commits need no
 * standby does for as long as it acts as a leader. One whose commits wait for standbys does while they stream from
 * it, which the write log says without asking the engine: from one acknowledgement (at the client) of a write sent
 * to it to the next, unless a write sent to it failed strictly between the two (a deposed leader's standbys go on
 * streaming from it until they learn of the new one; a semi-sync source cut off from them acknowledges nothing,
 * and its clients time out, until it gives up waiting).
 */
export function splitBrainMs(history: RunHistory): number {
  const writers = history.writers;
  if (writers.length < 2) return 0;
  const stretchesOf = new Map<number, [number, number][]>();
  const spans = writers.map((w) => {
    if (w.acksWithoutStandbys) return [[w.fromMs, w.toMs] as [number, number]];
    if (!stretchesOf.has(w.node)) stretchesOf.set(w.node, ackStretches(history, w.node));
    return stretchesOf.get(w.node)!.map(([a, b]) => [Math.max(a, w.fromMs), Math.min(b, w.toMs)] as [number, number]).filter(([a, b]) => b > a);
  });
  const cuts = [...new Set(writers.flatMap((w) => [w.fromMs, w.toMs]).concat(spans.flat(2)).filter(Number.isFinite))].sort((a, b) => a - b);
  let total = 0;
  // Each span list is in time order: walk them along the cuts.
  const next = spans.map(() => 0);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i];
    const to = cuts[i + 1];
    if (to - from <= 0) continue;
    const mid = (from + to) / 2;
    const acking = new Set<number>();
    spans.forEach((list, k) => {
      while (next[k] < list.length && list[next[k]][1] <= mid) next[k]++;
      const s = list[next[k]];
      if (s !== undefined && s[0] <= mid && mid < s[1]) acking.add(writers[k].node);
    });
    if (acking.size >= 2) total += to - from;
  }
  return total;
}

/**
 * The stretches during which `node` acknowledged writes, in time order: acknowledgements (at the client) of writes
 * sent to it joined into one stretch unless one of those writes failed strictly between two of them.
 */
function ackStretches(history: RunHistory, node: number): [number, number][] {
  const log = history.writes;
  const acks: number[] = [];
  const failures: number[] = [];
  for (let id = 0; id < log.count; id++) {
    if (log.node[id] !== node) continue;
    if (log.status[id] === ACKED) acks.push(log.doneMs[id]);
    else if (log.status[id] !== PENDING) failures.push(log.doneMs[id]);
  }
  acks.sort((a, b) => a - b);
  failures.sort((a, b) => a - b);
  const out: [number, number][] = [];
  let f = 0;
  for (const at of acks) {
    const last = out[out.length - 1];
    while (f < failures.length && failures[f] <= (last?.[1] ?? -Infinity)) f++;
    if (last !== undefined && !(f < failures.length && failures[f] < at)) last[1] = at;
    else out.push([at, at]);
  }
  return out;
}
