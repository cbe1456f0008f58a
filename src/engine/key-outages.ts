// Partial outages of a class's keys, measured from the cluster's state: the
// bookkeeping the modes that can refuse some keys while serving others share
// (leaderless quorums over a ring, multi-leader with home-region routing).
//
// Such a mode splits its key space into ranges that stand or fall together
// (a ring's replica sets, a region's home keys) and names what a request
// needs (a W, an R, a reachable home leader). Whenever the cluster's state
// changes (a node goes down or comes back, a partition starts or heals) it
// tells this record which ranges each requirement leaves unavailable; the
// record keeps each range's stretches, the keys unavailable over time, and
// turns them into the result's figures. No request density, no scan: a
// stretch ends exactly when the range is back.
//
// Memory: per range a few numbers per requirement; per change of state, one
// entry per requirement; stretches aggregated by (start, end).
import type { KeyOutageFigures, KeyOutageSpan, KeyOutages, TimelineFact } from "./result.js";

/** A stretch of time during which some key ranges were unavailable, all from `startMs` to `endMs`. */
export interface KeyStretch {
  startMs: number;
  /** NaN: still unavailable when the run ended. */
  endMs: number;
  /** Keys in those ranges (a sample's count scaled to the key space, for a ring weighed from a sample). */
  keys: number;
}

/** What the record measured for one requirement. */
export interface ThresholdFigures {
  /** The nodes a request must reach (W, R; 1 for a home leader). */
  needed: number;
  /** In time order. */
  stretches: KeyStretch[];
  /** Keys unavailable over time, from 0 ms: each entry lasted until the next (the last until the end). */
  series: { atMs: number; keys: number }[];
  /** The most keys unavailable at once (for any time longer than an instant). */
  peakKeys: number;
  /** Keys unavailable at some time of the run. */
  affectedKeys: number;
  /** Keys × ms unavailable: the integral of the unavailable keys over the run. */
  keyMs: number;
}

/** A mode's partial outages, as the measurement pass reads them. */
export interface KeyOutageSource {
  /** The figures of one class at the end of the run (`endMs`): its writes' and its reads'. */
  figures(cls: number, endMs: number): { writes: ThresholdFigures; reads: ThresholdFigures };
  /** The timeline's story for the classes named (in the scenario's order): when keys went and came back. */
  facts(classNames: readonly string[], endMs: number): { atMs: number; fact: TimelineFact }[];
}

/** The state of one requirement at one time: the keys it left unavailable, and which ranges. */
export interface RequirementState {
  keys: number;
  down: Uint8Array;
}

/** One requirement: which ranges it leaves unavailable, since when, and for how many keys. */
class Requirement {
  /** Per range: when its current unavailable stretch began (NaN: available). */
  readonly since: Float64Array;
  /** Per range: available again at this instant (final once time moves on, unless it goes again at the same instant); NaN: none. */
  readonly closedAt: Float64Array;
  /** Per range: unavailable at some time of the run. */
  readonly ever: Uint8Array;
  /** Per range: unavailable from `lastMs` on (not yet known to last). */
  readonly down: Uint8Array;
  /** Ended (or still open) stretches, keyed by start and end: ranges that went and came back together are one stretch. */
  readonly stretches = new Map<string, KeyStretch>();
  /** Keys unavailable from `lastMs` on. */
  keys = 0;
  /** The state over time, as it lasted: history[i] from atMs[i] until atMs[i + 1] (or the end). */
  readonly atMs: number[] = [0];
  readonly history: RequirementState[];

  constructor(ranges: number) {
    this.since = new Float64Array(ranges).fill(NaN);
    this.closedAt = new Float64Array(ranges).fill(NaN);
    this.ever = new Uint8Array(ranges);
    this.down = new Uint8Array(ranges);
    this.history = [{ keys: 0, down: new Uint8Array(ranges) }];
  }
}

export class KeyRangeRecord {
  private readonly requirements: Requirement[];
  /** Per range: its keys (null until some range is first unavailable). */
  private weights: Float64Array | null = null;
  /** The time of the latest update (state from then on is not yet known to last). */
  private lastMs = 0;
  private finished = false;

  /**
   * `weigh` gives each range's keys (called once, when a range first goes); changes after `endMs` (the end of the
   * run) are not measured.
   */
  constructor(
    private readonly ranges: number,
    requirements: number,
    private readonly weigh: () => Float64Array,
    private readonly endMs: number,
  ) {
    this.requirements = Array.from({ length: requirements }, () => new Requirement(ranges));
  }

  /** The cluster changed at `now`: `down(r, s)` says whether requirement r leaves range s unavailable from now on. */
  update(now: number, down: (requirement: number, range: number) => boolean): void {
    if (now > this.endMs) return;
    if (now > this.lastMs) this.advance(now);
    this.requirements.forEach((t, r) => this.apply(t, now, (s) => down(r, s)));
  }

  /** The state since `lastMs` lasted until `now`: it joins each requirement's history, and the ranges back since then are final. */
  private advance(now: number): void {
    for (const t of this.requirements) {
      const last = t.history[t.history.length - 1];
      if (!sameRanges(t.down, last.down)) {
        t.atMs.push(this.lastMs);
        t.history.push({ keys: t.keys, down: t.down.slice() });
      }
      for (let s = 0; s < this.ranges; s++) if (!Number.isNaN(t.closedAt[s])) this.close(t, s);
    }
    this.lastMs = now;
  }

  /** Ends range `s`'s stretch at its closing time (a stretch that began at that same instant lasted nothing). */
  private close(t: Requirement, s: number): void {
    const start = t.since[s];
    const end = t.closedAt[s];
    if (end > start) this.record(t, s, start, end);
    t.since[s] = NaN;
    t.closedAt[s] = NaN;
  }

  private record(t: Requirement, s: number, startMs: number, endMs: number): void {
    const key = `${startMs}|${endMs}`;
    const stretch = t.stretches.get(key);
    const keys = this.weights![s];
    if (stretch) stretch.keys += keys;
    else t.stretches.set(key, { startMs, endMs, keys });
    t.ever[s] = 1;
  }

  /** Marks which ranges are unavailable now, and the keys they hold. */
  private apply(t: Requirement, now: number, isDown: (range: number) => boolean): void {
    let keys = 0;
    for (let s = 0; s < this.ranges; s++) {
      const down = isDown(s);
      t.down[s] = down ? 1 : 0;
      if (down) {
        if (this.weights === null) this.weights = this.weigh();
        keys += this.weights[s];
        if (Number.isNaN(t.since[s])) t.since[s] = now;
        else t.closedAt[s] = NaN; // back and gone again at the same instant: one stretch
      } else if (!Number.isNaN(t.since[s]) && Number.isNaN(t.closedAt[s])) {
        t.closedAt[s] = now;
      }
    }
    t.keys = keys;
  }

  /** Ends the measurement: the last state lasted to the end, and the stretches still open stay open. */
  finish(endMs: number): void {
    if (this.finished) return;
    this.finished = true;
    if (endMs > this.lastMs) this.advance(endMs);
    for (const t of this.requirements) {
      for (let s = 0; s < this.ranges; s++) {
        if (!Number.isNaN(t.closedAt[s])) this.close(t, s);
        else if (!Number.isNaN(t.since[s]) && endMs > t.since[s]) this.record(t, s, t.since[s], NaN);
      }
    }
  }

  /** The figures of requirement `r`, which needs `needed` nodes, at the end of the run. */
  figures(r: number, needed: number, endMs: number): ThresholdFigures {
    this.finish(endMs);
    const t = this.requirements[r];
    let affected = 0;
    if (this.weights !== null) for (let s = 0; s < this.ranges; s++) if (t.ever[s]) affected += this.weights[s];
    let keyMs = 0;
    let peak = 0;
    for (let i = 0; i < t.atMs.length; i++) {
      const until = i + 1 < t.atMs.length ? t.atMs[i + 1] : endMs;
      keyMs += t.history[i].keys * Math.max(0, until - t.atMs[i]);
      peak = Math.max(peak, t.history[i].keys);
    }
    return {
      needed,
      stretches: [...t.stretches.values()].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs),
      series: t.atMs.map((atMs, i) => ({ atMs, keys: t.history[i].keys })),
      peakKeys: peak,
      affectedKeys: affected,
      keyMs,
    };
  }

  /**
   * The states of a class's write and read requirements at each time either changed (from 0 ms), for the
   * timeline's story.
   */
  changes(writes: number, reads: number, endMs: number): { atMs: number; writes: RequirementState; reads: RequirementState }[] {
    this.finish(endMs);
    const w = this.requirements[writes];
    const r = this.requirements[reads];
    const times = [...new Set([...w.atMs, ...r.atMs])].sort((a, b) => a - b);
    return times.map((atMs) => ({ atMs, writes: stateAt(w, atMs), reads: stateAt(r, atMs) }));
  }
}

function sameRanges(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A requirement's state at `atMs`. */
function stateAt(t: Requirement, atMs: number): RequirementState {
  let state = t.history[0];
  for (let i = 0; i < t.atMs.length && t.atMs[i] <= atMs; i++) state = t.history[i];
  return state;
}

/**
 * Groups classes that share a write and a read requirement (in the scenario's order), for one timeline story per
 * group: `of(cls)` names a class's pair.
 */
export function classGroups(classNames: readonly string[], of: (cls: number) => [number, number]): { classes: string[]; writes: number; reads: number }[] {
  const groups = new Map<string, { classes: string[]; writes: number; reads: number }>();
  classNames.forEach((name, cls) => {
    const [writes, reads] = of(cls);
    const key = `${writes}/${reads}`;
    const group = groups.get(key);
    if (group) group.classes.push(name);
    else groups.set(key, { classes: [name], writes, reads });
  });
  return [...groups.values()];
}

/**
 * The partial outage a class's key RTO judges: the longest stretch that left other keys available, of its writes
 * or, when the class has reads, of its reads (the writes' among equals); null: there was none.
 */
export function judgedKeyOutage(k: KeyOutages, hasReads: boolean): { span: KeyOutageSpan; kind: "writes" | "reads" } | null {
  const w = k.writes.longestPartial;
  const r = hasReads ? k.reads.longestPartial : null;
  if (r !== null && (w === null || r.ms > w.ms)) return { span: r, kind: "reads" };
  return w === null ? null : { span: w, kind: "writes" };
}

/** Spans listed per figure (the longest; spanCount counts them all). */
const MAX_SPANS_LISTED = 20;

/**
 * One class's figures as the result gives them: stretches charged to the latest fault at or before their start
 * (the state changes only at faults, so that is the fault that made the ranges unavailable, or the last of those
 * at the same instant), milliseconds to 0.1, shares of the workload's keys.
 */
export function keyOutageResult(source: KeyOutageSource, cls: number, endMs: number, faultTimesMs: readonly number[], totalKeys: number): KeyOutages {
  const { writes, reads } = source.figures(cls, endMs);
  return { keys: totalKeys, writes: figuresResult(writes, endMs, faultTimesMs, totalKeys), reads: figuresResult(reads, endMs, faultTimesMs, totalKeys) };
}

const round = (value: number) => Math.round(value * 10) / 10;

function figuresResult(f: ThresholdFigures, endMs: number, faultTimesMs: readonly number[], totalKeys: number): KeyOutageFigures {
  const share = (keys: number) => (totalKeys === 0 ? 0 : keys / totalKeys);
  const spans: KeyOutageSpan[] = f.stretches.map((s) => {
    const ended = !Number.isNaN(s.endMs);
    let fault = 0;
    for (let i = 0; i < faultTimesMs.length; i++) if (faultTimesMs[i] <= s.startMs && faultTimesMs[i] >= faultTimesMs[fault]) fault = i;
    const keys = Math.round(s.keys);
    return { fault, startMs: round(s.startMs), endMs: ended ? round(s.endMs) : null, ms: round((ended ? s.endMs : endMs) - s.startMs), keys, share: share(keys) };
  });
  // The longest first (more keys first among equals, then the earlier): the first is the longest stretch.
  const byLength = [...spans].sort((a, b) => b.ms - a.ms || b.keys - a.keys || a.startMs - b.startMs);
  const listed = new Set(byLength.slice(0, MAX_SPANS_LISTED));
  const peakKeys = Math.round(f.peakKeys);
  const affectedKeys = Math.round(f.affectedKeys);
  return {
    needed: f.needed,
    longest: byLength[0] ?? null,
    // Every key at once is an outage of the whole class, which the class's RTO times from its requests.
    longestPartial: byLength.find((s) => s.keys < totalKeys) ?? null,
    peakKeys,
    peakShare: share(peakKeys),
    affectedKeys,
    affectedShare: share(affectedKeys),
    shareMs: round(totalKeys === 0 ? 0 : f.keyMs / totalKeys),
    spans: spans.filter((s) => listed.has(s)),
    spanCount: spans.length,
  };
}
