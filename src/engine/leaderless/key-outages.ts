// Partial outages of a leaderless class, measured from the replicas' state.
//
// A leaderless class is rarely down as a whole: when the nodes that are down
// hold all but a few of some keys' replicas, those keys cannot be written (or
// read) while every other key can. The class's RTO cannot show it: an outage
// of the class ends at the acknowledgement of its first write sent after the
// first error, and writes to other keys succeed within milliseconds. Scanning
// requests key range by key range instead makes the figure depend on traffic
// (a range with few writes closes its outage late, or never within the run),
// and a client cut off from its coordinator fails on whatever key it picked.
//
// So the figure here comes from state, the way the engine's coordinators
// decide (PreferenceList.targets): a key range is unwritable while no
// coordinator that clients can use reaches W of the nodes its requests go to
// (its natural replicas that are up and reachable; under a sloppy quorum, up
// to N healthy nodes, stand-ins included), and unreadable likewise with R.
// A coordinator clients can use is a live node that some client place not in
// a lost zone reaches (with none left, every live node: a lost zone's clients
// are dead application servers). A client stuck on a dead coordinator, or a
// request that timed out, is the class RTO's business, not the range's. The
// state changes only when a node goes down or comes back, or a partition
// starts or heals, so it is evaluated then: no request density, no scan, and
// a stretch ends exactly when the replicas are back.
//
// Ranges are grouped by replica set (the token ranges whose N natural
// replicas are the same nodes stand or fall together), and weighed by the
// workload's keys in them: every key is counted up to KEYS_COUNTED keys, an
// even sample of that many stands for a larger key space (keys are hashed
// onto the ring, so the sample's share is within about a tenth of a
// percentage point of the whole's).
// Memory: per replica set a few numbers per W or R in use; per change of
// state, one entry per W or R; stretches aggregated by (start, end).
import type { CoreState } from "../core/state.js";
import type { Ring } from "../ring.js";
import type { KeyOutageFigures, KeyOutageSpan, KeyOutages, TimelineFact } from "../result.js";

/** Keys weighed one by one up to this many; past it, an even sample of this many keys. */
export const KEYS_COUNTED = 1 << 20;

/** A stretch of time during which some key ranges were unavailable, all from `startMs` to `endMs`. */
export interface KeyStretch {
  startMs: number;
  /** NaN: still unavailable when the run ended. */
  endMs: number;
  /** Keys in those ranges (a sample's count scaled to the key space past KEYS_COUNTED keys). */
  keys: number;
}

/** One W or R some class uses: which replica sets have fewer reachable nodes than it, since when, and for how many keys. */
class Threshold {
  /** Per replica set: when its current unavailable stretch began (NaN: available). */
  readonly since: Float64Array;
  /** Per replica set: available again at this instant (final once time moves on, unless it goes again at the same instant); NaN: none. */
  readonly closedAt: Float64Array;
  /** Per replica set: unavailable at some time of the run. */
  readonly ever: Uint8Array;
  /** Ended (or still open) stretches, keyed by start and end: ranges that went and came back together are one stretch. */
  readonly stretches = new Map<string, KeyStretch>();
  /** Keys unavailable from `lastMs` on (not yet known to last). */
  keys = 0;
  /** The keys unavailable over time, as it lasted: keys[i] from atMs[i] until atMs[i + 1] (or the end). */
  readonly atMs: number[] = [0];
  readonly keysAt: number[] = [0];

  constructor(
    readonly needed: number,
    sets: number,
  ) {
    this.since = new Float64Array(sets).fill(NaN);
    this.closedAt = new Float64Array(sets).fill(NaN);
    this.ever = new Uint8Array(sets);
  }
}

export class KeyOutageTracker {
  /** Per token: its replica set. Per replica set: its N natural replicas (sets × n). */
  private readonly setOfToken: Int32Array;
  private readonly members: Int16Array;
  private readonly sets: number;
  /** Per replica set: the most nodes any usable coordinator reaches for it. */
  private readonly best: Int16Array;
  /** Per replica set: its keys (null until some range is first unavailable). */
  private weights: Float64Array | null = null;
  private readonly thresholds: Threshold[];
  /** Per class: the index in `thresholds` of its W and of its R. */
  private readonly writeOf: number[];
  private readonly readOf: number[];
  /** The distinct places clients are in. */
  private readonly clientPlaces: number[];
  /** The time of the latest update (state from then on is not yet known to last). */
  private lastMs = 0;

  constructor(
    private readonly core: CoreState,
    private readonly ring: Ring,
    private readonly n: number,
    private readonly sloppy: boolean,
    classW: ArrayLike<number>,
    classR: ArrayLike<number>,
  ) {
    const tokens = ring.tokenCount;
    const replicas = new Int16Array(tokens * n);
    ring.rangeReplicas(replicas);
    this.setOfToken = new Int32Array(tokens);
    const byName = new Map<string, number>();
    const members: number[] = [];
    for (let t = 0; t < tokens; t++) {
      const set = Array.from(replicas.subarray(t * n, (t + 1) * n)).sort((a, b) => a - b);
      const name = set.join(",");
      let index = byName.get(name);
      if (index === undefined) {
        index = byName.size;
        byName.set(name, index);
        members.push(...set);
      }
      this.setOfToken[t] = index;
    }
    this.sets = byName.size;
    this.members = Int16Array.from(members);
    this.best = new Int16Array(this.sets).fill(n);
    const needed = [...new Set([...Array.from(classW), ...Array.from(classR)])].sort((a, b) => a - b);
    this.thresholds = needed.map((q) => new Threshold(q, this.sets));
    this.writeOf = Array.from(classW, (w) => needed.indexOf(w));
    this.readOf = Array.from(classR, (r) => needed.indexOf(r));
    this.clientPlaces = [...new Set(core.clientPlace)].sort((a, b) => a - b);
  }

  /**
   * The cluster changed at `now` (a node went down or came back, a partition started or healed): evaluates
   * every replica set again. `lostTarget` names a zone or region being lost whose clients' places the network
   * does not mark yet (its nodes go down first). Changes after the end of the run are not measured.
   */
  update(now: number, lostTarget: string | null = null): void {
    if (now > this.core.endMs) return;
    if (now > this.lastMs) this.advance(now);
    this.evaluate(lostTarget);
    for (const t of this.thresholds) this.apply(t, now);
  }

  /** The state since `lastMs` lasted until `now`: it joins each threshold's history, and the ranges back since then are final. */
  private advance(now: number): void {
    for (const t of this.thresholds) {
      if (t.keys !== t.keysAt[t.keysAt.length - 1]) {
        t.atMs.push(this.lastMs);
        t.keysAt.push(t.keys);
      }
      for (let s = 0; s < this.sets; s++) if (!Number.isNaN(t.closedAt[s])) this.close(t, s);
    }
    this.lastMs = now;
  }

  /** Ends replica set `s`'s stretch at its closing time (a stretch that began at that same instant lasted nothing). */
  private close(t: Threshold, s: number): void {
    const start = t.since[s];
    const end = t.closedAt[s];
    if (end > start) this.record(t, s, start, end);
    t.since[s] = NaN;
    t.closedAt[s] = NaN;
  }

  private record(t: Threshold, s: number, startMs: number, endMs: number): void {
    const key = `${startMs}|${endMs}`;
    const stretch = t.stretches.get(key);
    const keys = this.weights![s];
    if (stretch) stretch.keys += keys;
    else t.stretches.set(key, { startMs, endMs, keys });
    t.ever[s] = 1;
  }

  /** Marks which replica sets are below the threshold now, and the keys they hold. */
  private apply(t: Threshold, now: number): void {
    let keys = 0;
    for (let s = 0; s < this.sets; s++) {
      const down = this.best[s] < t.needed;
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

  /** For every replica set, the most nodes a coordinator that clients can use reaches for its keys. */
  private evaluate(lostTarget: string | null): void {
    const core = this.core;
    const network = core.network;
    const nodes = core.alive.length;
    const usable = this.clientPlaces.filter((p) => !network.isLost(p) && (lostTarget === null || (network.zoneOf(p) !== lostTarget && network.regionOf(p) !== lostTarget)));
    // What each usable coordinator reaches, once per distinct view (one when nothing is partitioned).
    const views = new Map<string, Uint8Array>();
    for (let x = 0; x < nodes; x++) {
      if (core.alive[x] !== 1) continue;
      if (usable.length > 0 && !usable.some((p) => network.reachable(p, x))) continue;
      const view = new Uint8Array(nodes);
      for (let y = 0; y < nodes; y++) view[y] = core.alive[y] === 1 && network.reachable(x, y) ? 1 : 0;
      views.set(view.join(""), view);
    }
    const best = this.best;
    best.fill(0);
    const n = this.n;
    for (const view of views.values()) {
      if (this.sloppy) {
        // Up to N healthy nodes it reaches, whichever: its natural replicas, then stand-ins further round the ring.
        let healthy = 0;
        for (let y = 0; y < nodes; y++) healthy += view[y];
        const count = Math.min(n, healthy);
        for (let s = 0; s < this.sets; s++) if (count > best[s]) best[s] = count;
        continue;
      }
      const members = this.members;
      for (let s = 0; s < this.sets; s++) {
        let count = 0;
        for (let i = s * n; i < (s + 1) * n; i++) if (members[i] >= 0 && view[members[i]] === 1) count++;
        if (count > best[s]) best[s] = count;
      }
    }
  }

  /** Keys per replica set: every key up to KEYS_COUNTED, else an even sample scaled to the key space. */
  private weigh(): Float64Array {
    const keys = this.core.workload.keys;
    const weights = new Float64Array(this.sets);
    const counted = Math.min(keys, KEYS_COUNTED);
    const scale = keys / counted;
    for (let i = 0; i < counted; i++) {
      const key = counted === keys ? i : Math.floor((i * keys) / counted);
      weights[this.setOfToken[this.ring.tokenOf(key)]] += scale;
    }
    return weights;
  }

  /** The figures of one class at the end of the run (`endMs`): its writes' and its reads'. */
  figures(cls: number, endMs: number): { writes: ThresholdFigures; reads: ThresholdFigures } {
    this.finish(endMs);
    return { writes: this.figuresOf(this.thresholds[this.writeOf[cls]], endMs), reads: this.figuresOf(this.thresholds[this.readOf[cls]], endMs) };
  }

  /**
   * The timeline's story, for the classes named (in the scenario's order): one fact each time the keys that
   * cannot be written or read change, per group of classes with the same W and R, until every key is back.
   */
  facts(classNames: readonly string[], endMs: number): { atMs: number; fact: TimelineFact }[] {
    this.finish(endMs);
    const groups = new Map<string, number[]>();
    classNames.forEach((_, cls) => {
      const key = `${this.writeOf[cls]}/${this.readOf[cls]}`;
      const list = groups.get(key);
      if (list) list.push(cls);
      else groups.set(key, [cls]);
    });
    const totalKeys = this.core.workload.keys;
    const out: { atMs: number; fact: TimelineFact }[] = [];
    for (const members of groups.values()) {
      const classes = members.map((cls) => classNames[cls]);
      const writes = this.thresholds[this.writeOf[members[0]]];
      const reads = this.thresholds[this.readOf[members[0]]];
      const times = [...new Set([...writes.atMs, ...reads.atMs])].sort((a, b) => a - b);
      let before = "0/0";
      for (const atMs of times) {
        const w = Math.round(valueAt(writes, atMs));
        const r = Math.round(valueAt(reads, atMs));
        const now = `${w}/${r}`;
        if (now === before) continue;
        before = now;
        out.push({
          atMs,
          fact:
            w === 0 && r === 0
              ? { event: "keys-available", classes, totalKeys }
              : { event: "keys-unavailable", classes, n: this.n, sloppy: this.sloppy, totalKeys, writes: { needed: writes.needed, keys: w }, reads: { needed: reads.needed, keys: r } },
        });
      }
    }
    return out;
  }

  private finished = false;

  /** Ends the measurement: the last state lasted to the end, and the stretches still open stay open. */
  private finish(endMs: number): void {
    if (this.finished) return;
    this.finished = true;
    if (endMs > this.lastMs) this.advance(endMs);
    for (const t of this.thresholds) {
      for (let s = 0; s < this.sets; s++) {
        if (!Number.isNaN(t.closedAt[s])) this.close(t, s);
        else if (!Number.isNaN(t.since[s]) && endMs > t.since[s]) this.record(t, s, t.since[s], NaN);
      }
    }
  }

  private figuresOf(t: Threshold, endMs: number): ThresholdFigures {
    let affected = 0;
    if (this.weights !== null) for (let s = 0; s < this.sets; s++) if (t.ever[s]) affected += this.weights[s];
    let keyMs = 0;
    let peak = 0;
    for (let i = 0; i < t.atMs.length; i++) {
      const until = i + 1 < t.atMs.length ? t.atMs[i + 1] : endMs;
      keyMs += t.keysAt[i] * Math.max(0, until - t.atMs[i]);
      peak = Math.max(peak, t.keysAt[i]);
    }
    return {
      needed: t.needed,
      stretches: [...t.stretches.values()].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs),
      series: t.atMs.map((atMs, i) => ({ atMs, keys: t.keysAt[i] })),
      peakKeys: peak,
      affectedKeys: affected,
      keyMs,
    };
  }
}

/** What the tracker measured for one W or R. */
export interface ThresholdFigures {
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

/** The keys a threshold's history has unavailable at `atMs`. */
function valueAt(t: Threshold, atMs: number): number {
  let keys = 0;
  for (let i = 0; i < t.atMs.length && t.atMs[i] <= atMs; i++) keys = t.keysAt[i];
  return keys;
}

/** Spans listed per figure (the longest; spanCount counts them all). */
const MAX_SPANS_LISTED = 20;

/**
 * One class's figures as the result gives them: stretches charged to the latest fault at or before their start
 * (the state changes only at faults, so that is the fault that made the ranges unavailable, or the last of those
 * at the same instant), milliseconds to 0.1, shares of the workload's keys.
 */
export function keyOutageResult(tracker: KeyOutageTracker, cls: number, endMs: number, faultTimesMs: readonly number[], totalKeys: number): KeyOutages {
  const { writes, reads } = tracker.figures(cls, endMs);
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
    peakKeys,
    peakShare: share(peakKeys),
    affectedKeys,
    affectedShare: share(affectedKeys),
    shareMs: round(totalKeys === 0 ? 0 : f.keyMs / totalKeys),
    spans: spans.filter((s) => listed.has(s)),
    spanCount: spans.length,
  };
}
