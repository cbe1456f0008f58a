// What the backups held at each moment, derived from the simulated history:
// the WAL archive (segment switches on a full 16MB segment or archive_timeout;
// while archiving fails, finished segments wait on their primary and ship when
// it works again, and a hole only where that primary stopped leading first),
// base backups on their seeded
// schedule (in steady state at t=0, back to the retention), and logical dumps.
// WAL positions come from the write log: the WAL at time t is every write
// appended by then; before t=0 and after the run it is extrapolated at the
// workload's steady rate.
import type { ResolvedBackups } from "../model/types.js";

export const SEGMENT_BYTES = 16 * 1024 * 1024;

export interface Window {
  startMs: number;
  endMs: number;
}

/** A primary's time shipping WAL, and which node it was (null: one primary all along, no leader changes). */
export interface Tenure extends Window {
  node: string | null;
}

export interface BackupCopy {
  atMs: number;
  region: string | null;
  copyTo: string | null;
}

/** The WAL history as the archive sees it: bytes written by time t. */
export class WalHistory {
  constructor(
    /** The send time of every write appended to the WAL, in send order (a write refused unappended wrote none; asked for only when the planning needs it: runs keep them only then). */
    private readonly sends: () => { all: Float64Array; count: number },
    private readonly writeSizeBytes: number,
    private readonly bytesPerMs: number,
    readonly durationMs: number,
  ) {}

  /** WAL bytes written by time t (relative to t=0; negative before it). */
  bytesAt(t: number): number {
    if (t <= 0) return t * this.bytesPerMs;
    if (t >= this.durationMs) return this.writesBefore(this.durationMs) * this.writeSizeBytes + (t - this.durationMs) * this.bytesPerMs;
    return this.writesBefore(t) * this.writeSizeBytes;
  }

  /** The workload's steady WAL rate (bytes per ms): the WAL before t=0 and after the run grows at it. */
  get steadyBytesPerMs(): number {
    return this.bytesPerMs;
  }

  /** The earliest time by which `bytes` of WAL were written (the inverse of bytesAt); Infinity when it never is. */
  timeOfBytes(bytes: number): number {
    if (bytes <= 0) return this.bytesPerMs > 0 ? bytes / this.bytesPerMs : bytes < 0 ? -Infinity : 0;
    const { all, count } = this.sends();
    // The k-th write (1-based) brings the WAL to k writes' worth; only writes sent within the run are known.
    const k = Math.ceil(bytes / this.writeSizeBytes);
    let known = count;
    while (known > 0 && all[known - 1] > this.durationMs) known--;
    if (k <= known) return all[k - 1];
    const atEnd = known * this.writeSizeBytes;
    return this.bytesPerMs > 0 ? this.durationMs + (bytes - atEnd) / this.bytesPerMs : Infinity;
  }

  private writesBefore(t: number): number {
    const { all, count } = this.sends();
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The archive: which WAL reached it by when, and where it has holes. Continuous
 * archiving ships a segment when it fills or when archive_timeout forces a
 * switch; periodic shipping every `every`. While archiving fails (an
 * `archive_fails` window), PostgreSQL's archiver retries archive_command (a few
 * quick retries, then about once a minute) and every finished segment stays in
 * the primary's pg_wal, marked .ready: none ships until the failure ends, then
 * the backlog ships in order (at once here: the engine has no upload rate). A
 * failure without an end ships nothing to the end of the run. The hole is
 * permanent only for segments whose primary stopped leading while they waited
 * and never led again: lost with its disk, or replaced by a promoted standby
 * (archive_mode = on: a standby archives none of the WAL it received, and once
 * promoted only its own new timeline).
 */
export class Archive {
  /** The failure windows, merged, in time order. */
  private readonly failures: Window[];

  constructor(
    private readonly backups: ResolvedBackups,
    private readonly wal: WalHistory,
    failures: Window[],
    /** When the archive's region was lost (the archive with it), or null. */
    readonly lostAtMs: number | null,
    /** Where in its interval the archive's clock stood at t=0, a share in [0, 1): its switches are not pinned to the run's start. */
    private readonly phase = 0,
    /**
     * When a primary was up to ship WAL (see primaryTenures), in time order; the first from before the run. Only a
     * running primary switches segments, each on its own clock from when it started.
     */
    private readonly tenures: Tenure[] = ALWAYS,
  ) {
    const merged: Window[] = [];
    for (const f of [...failures].sort((a, b) => a.startMs - b.startMs)) {
      const last = merged[merged.length - 1];
      if (last !== undefined && f.startMs <= last.endMs) last.endMs = Math.max(last.endMs, f.endMs);
      else if (f.endMs > f.startMs) merged.push({ startMs: f.startMs, endMs: f.endMs });
    }
    this.failures = merged;
  }

  get enabled(): boolean {
    return this.backups.walArchive.mode !== "none";
  }

  /**
   * The latest time whose WAL is in the archive at time t (its archive lag is t minus this): the last segment
   * switch shipped by then. While archiving fails that is the last switch before the failure began.
   */
  archivedUntil(t: number): number {
    if (!this.enabled || !Number.isFinite(this.steadyInterval)) return -Infinity;
    // Nothing ships while archiving fails: every switch since the failure began waits.
    const failing = this.failingAt(t);
    let w = failing === null ? this.switchAtOrBefore(t) : this.switchBefore(failing.startMs);
    // Earlier switches still waiting (their primary gone, or not back yet) hold nothing the archive has: look before them.
    while (w !== -Infinity && this.shippedAt(w) > t) w = this.switchBefore(w);
    return w;
  }

  /**
   * When the WAL written at time t reaches the archive: when the first switch at or after t ships (at once, or when
   * a failure of archiving ends); null when it never does (no archive, a continuous archive without archive_timeout
   * and no WAL to fill a segment, archiving failing to the end, or the segment lost with its primary).
   */
  archivedAt(t: number): number | null {
    if (!this.enabled || !Number.isFinite(this.steadyInterval)) return null;
    const at = this.switchAtOrAfter(t);
    if (!Number.isFinite(at)) return null;
    const shipped = this.shippedAt(at);
    return Number.isFinite(shipped) ? shipped : null;
  }

  /**
   * Whether the WAL written at time t waits for archiving to work again: its segment's switch (the first at or after
   * t) came while archiving was failing, so it sits on its primary until the failure ends rather than shipping at the
   * switch.
   */
  heldByFailure(t: number): boolean {
    if (!this.enabled || !Number.isFinite(this.steadyInterval)) return false;
    const at = this.switchAtOrAfter(t);
    return Number.isFinite(at) && this.failingAt(at) !== null;
  }

  /** Whether a segment switch ever comes at or after t (a continuous archive without archive_timeout may wait for ever). */
  switchComing(t: number): boolean {
    return this.enabled && Number.isFinite(this.steadyInterval) && Number.isFinite(this.switchAtOrAfter(t));
  }

  /** Whether archiving is failing at time t (an `archive_fails` window). */
  failing(t: number): boolean {
    return this.failingAt(t) !== null;
  }

  /** When the failure of archiving that time t falls in began, or null when archiving works at t. */
  failingSince(t: number): number | null {
    return this.failingAt(t)?.startMs ?? null;
  }

  /**
   * The longest the archive should lag in steady state: one switch interval (archive_timeout, the periodic
   * `every`, or a full segment at the workload's rate, whichever comes first); Infinity when no switch is due.
   */
  get switchIntervalMs(): number {
    return this.enabled ? this.steadyInterval : Infinity;
  }

  /** The failure window archiving is in at time t, or null. */
  private failingAt(t: number): Window | null {
    for (const f of this.failures) if (f.startMs <= t && t < f.endMs) return f;
    return null;
  }

  /**
   * When the segment the switch at `w` finished ships: at once, unless archiving is failing then; a waiting segment
   * ships from its primary's pg_wal when archiving works again while that node leads (this tenure or a later one
   * of the same node); Infinity when that never happens in the run.
   */
  private shippedAt(w: number): number {
    if (this.failingAt(w) === null) return w;
    const k = this.ownerOf(w);
    const node = this.tenures[k].node;
    for (let j = k; j < this.tenures.length; j++) {
      const tenure = this.tenures[j];
      if (j !== k && (node === null || tenure.node !== node)) continue;
      let at = Math.max(w, tenure.startMs);
      const failing = this.failingAt(at);
      if (failing !== null) at = failing.endMs;
      if (at < tenure.endMs) return at;
    }
    return Infinity;
  }

  /** Whether the segment of the switch at `w`, never shipped, still waits in the pg_wal of a primary running at the end (not a hole: the WAL exists). */
  private stillHeld(w: number): boolean {
    const k = this.ownerOf(w);
    const node = this.tenures[k].node;
    for (let j = k; j < this.tenures.length; j++) if ((j === k || (node !== null && this.tenures[j].node === node)) && this.tenures[j].endMs === Infinity) return true;
    return false;
  }

  /** The tenure whose primary made the switch at `w`: the first before the run, the last after it. */
  private ownerOf(w: number): number {
    const list = this.switchesTo(w);
    const owners = this.owners;
    if (w < list[0]) return 0;
    if (w > list[list.length - 1]) return owners[owners.length - 1];
    const i = this.indexIn(list, w);
    return i >= 0 ? owners[i] : 0;
  }

  /** The index of the switch at exactly `w` in the list, or −1. */
  private indexIn(list: number[], w: number): number {
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < w) lo = mid + 1;
      else hi = mid;
    }
    return list[lo] === w ? lo : -1;
  }

  /** The last switch strictly before x (−Infinity: none). */
  private switchBefore(x: number): number {
    const w = this.switchAtOrBefore(x);
    if (w < x) return w;
    const list = this.switchesTo(w);
    const i = this.indexIn(list, w);
    if (i > 0) return list[i - 1];
    // Before the first switch found and after the last, the switches are a whole interval apart.
    const interval = this.steadyInterval;
    return Number.isFinite(interval) ? this.switchAtOrBefore(w - interval / 2) : -Infinity;
  }

  private holeList: Window[] | null = null;

  /**
   * The archive's permanent holes: runs of segments that waited on a primary which stopped leading and never led
   * again before archiving worked (each from the switch before the first of them, where a replay stops, to the last).
   */
  get holes(): Window[] {
    if (this.holeList !== null) return this.holeList;
    const holes: Window[] = [];
    if (this.enabled && Number.isFinite(this.steadyInterval) && this.failures.length > 0) {
      const list = this.switchesTo(this.wal.durationMs);
      let open: Window | null = null;
      for (let i = 0; i < list.length; i++) {
        const w = list[i];
        const lost = this.failingAt(w) !== null && this.shippedAt(w) === Infinity && !this.stillHeld(w);
        if (lost && open === null) open = { startMs: i > 0 ? list[i - 1] : this.switchBefore(w), endMs: w };
        else if (lost && open !== null) open.endMs = w;
        else if (!lost && open !== null) {
          holes.push(open);
          open = null;
        }
      }
      if (open !== null) holes.push(open);
    }
    this.holeList = holes;
    return holes;
  }

  // The archive's switches. Periodic shipping runs on a clock every `every`. Continuous archiving ships a segment
  // when the WAL written since the last switch fills it (16MB, by bytes: the WAL actually written, not a rate), or
  // when archive_timeout passes first. Before t=0 and after the run the WAL grows at the workload's steady rate, so
  // the switches there are evenly spaced; in between they are found one by one from the writes' send times.

  /** The steady spacing of the switches (before t=0 and after the run): the period, or a full segment or archive_timeout, whichever comes first. */
  private get steadyInterval(): number {
    const archive = this.backups.walArchive;
    if (archive.mode === "periodic") return archive.everyMs;
    const timeout = archive.archiveTimeoutMs > 0 ? archive.archiveTimeoutMs : Infinity;
    const rate = this.wal.steadyBytesPerMs;
    return Math.min(timeout, rate > 0 ? SEGMENT_BYTES / rate : Infinity);
  }

  /** Switches found so far, in time order, from the last one at or before t=0 (the archive's clock there set by `phase`). */
  private switches: number[] | null = null;
  /** For each switch found, the tenure whose primary made it (the index in `tenures`). */
  private owners: number[] = [0];
  /** The tenure whose primary made the last switch found; `ended`: no primary ships WAL after it any more. */
  private tenure = 0;
  private ended = false;

  /**
   * The switch after one at `from`, on a clock started at `clock` (the switch itself, or a new primary's start):
   * when the segment begun at `from` is full (the WAL written since), or archive_timeout after the clock started
   * if that comes first. A promoted standby's first segment carries on the old timeline's, from its start.
   */
  private nextSwitch(from: number, clock: number): number {
    const archive = this.backups.walArchive;
    if (archive.mode === "periodic") return clock + archive.everyMs;
    const timeout = archive.archiveTimeoutMs > 0 ? clock + archive.archiveTimeoutMs : Infinity;
    return Math.min(timeout, Math.max(clock, this.wal.timeOfBytes(this.wal.bytesAt(from) + SEGMENT_BYTES)));
  }

  /**
   * Extends the switches until one is past `t` or past the run (after which they are evenly spaced), or until no
   * primary is left to ship; returns them. A switch its primary did not live to make is not made: the next primary
   * makes the next one, on its clock (PostgreSQL counts archive_timeout from the end of recovery).
   */
  private switchesTo(t: number): number[] {
    if (this.switches === null) this.switches = [0 - this.phase * this.steadyInterval];
    const list = this.switches;
    const until = Math.min(t, this.wal.durationMs);
    while (!this.ended && list[list.length - 1] <= until) {
      const last = list[list.length - 1];
      let next = this.nextSwitch(last, last);
      while (next >= this.tenures[this.tenure].endMs) {
        this.tenure++;
        if (this.tenure >= this.tenures.length) {
          this.ended = true;
          break;
        }
        next = this.nextSwitch(last, Math.max(last, this.tenures[this.tenure].startMs));
      }
      if (this.ended || !Number.isFinite(next)) break;
      list.push(next);
      this.owners.push(this.tenure);
    }
    return list;
  }

  /** The last switch at or before t (−Infinity: none). */
  private switchAtOrBefore(t: number): number {
    const interval = this.steadyInterval;
    const list = this.switchesTo(t);
    const first = list[0];
    // Before the run the WAL grew steadily: the switches there are the first one's, a whole interval apart
    // (first − k intervals, each computed the one way, so a switch found once is found again).
    if (t < first) {
      if (!Number.isFinite(interval)) return -Infinity;
      let k = Math.ceil((first - t) / interval);
      if (first - (k - 1) * interval <= t) k--;
      return first - k * interval;
    }
    const last = list[list.length - 1];
    // After the run, likewise evenly spaced from the last one found (last + j intervals), while a primary ships.
    if (t >= last) {
      if (!Number.isFinite(interval) || this.ended) return last;
      let j = Math.floor((t - last) / interval);
      if (last + (j + 1) * interval <= t) j++;
      return last + j * interval;
    }
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return list[lo];
  }

  /** The first switch at or after t (Infinity: none comes). */
  private switchAtOrAfter(t: number): number {
    const before = this.switchAtOrBefore(t);
    if (before === t) return t;
    const list = this.switchesTo(t);
    if (before === -Infinity) return list[0] >= t ? list[0] : Infinity;
    // Evenly spaced before the first switch found and after the last; found one by one in between.
    const interval = this.steadyInterval;
    if (before < list[0]) return list[0] - (Math.round((list[0] - before) / interval) - 1) * interval;
    const last = list[list.length - 1];
    if (before >= last) return this.ended ? Infinity : last + (Math.round((before - last) / interval) + 1) * interval;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= before) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }

  /** The hole that breaks a replay from `fromMs` to `toMs`, if any: the earliest, where the replay stops. */
  holeBetween(fromMs: number, toMs: number): Window | null {
    let first: Window | null = null;
    for (const hole of this.holes) if (hole.startMs < toMs && hole.endMs > fromMs && (first === null || hole.startMs < first.startMs)) first = hole;
    return first;
  }

  /**
   * How far a replay from a base backup taken at `fromMs` gets toward `toMs`: WAL replays in order, so it stops
   * where the first hole between them begins (no earlier than the base backup itself), whatever was archived after
   * the hole; with no hole it reaches `toMs`. The one rule every restore that replays the archive follows.
   */
  replayReach(fromMs: number, toMs: number): { reachedAtMs: number; gap: Window | null } {
    const hole = this.holeBetween(fromMs, toMs);
    if (hole === null) return { reachedAtMs: toMs, gap: null };
    return { reachedAtMs: Math.max(fromMs, hole.startMs), gap: { startMs: hole.startMs, endMs: hole.endMs } };
  }

  /** Whether the archive exists at time t (its region not lost). */
  availableAt(t: number): boolean {
    return this.enabled && (this.lostAtMs === null || t < this.lostAtMs);
  }
}

/** A primary shipping WAL all along (no leader changes). */
const ALWAYS: Tenure[] = [{ startMs: -Infinity, endMs: Infinity, node: null }];

/** The facts of a run's timeline that start or stop a primary (structurally, its entries). */
export interface TenureFact {
  atMs: number;
  node: string;
  event: string;
  as?: string;
}

/**
 * When a primary was up to ship WAL to the archive, from a leader-follower run's timeline: the first leader from
 * before the run until it crashes, is lost or steps down; each promoted standby (or a failed leader a service
 * restarts in place) from its promotion; a leader back from a crash within its lease, or re-promoted, from then.
 * A standby with archive_mode = on (the setting modelled; `always` is not) archives none of the WAL it receives: the
 * WAL the old leader had not shipped in its current segment reaches the archive as the new timeline's first
 * segment, at the new primary's first switch; but whole segments the old leader had finished and not shipped
 * (archiving was failing) stay only in its pg_wal, and reach the archive only if that node leads again.
 */
export function primaryTenures(timeline: readonly TenureFact[], firstLeader: string, lostForGood: ReadonlySet<string>): Tenure[] {
  const tenures: Tenure[] = [];
  let writer: string | null = firstLeader;
  let since = -Infinity;
  let stopped: string | null = null;
  const stop = (at: number) => {
    if (writer !== null) tenures.push({ startMs: since, endMs: at, node: writer });
    stopped = writer;
    writer = null;
  };
  const start = (node: string, at: number) => {
    stop(at);
    writer = node;
    since = at;
  };
  for (const e of timeline) {
    if (e.event === "promote" || e.event === "repromote") start(e.node, e.atMs);
    else if (e.event === "recover" && e.as === "leader-within-lease" && writer === null) start(e.node, e.atMs);
    else if ((e.event === "crash" || e.event === "demote") && e.node === writer) stop(e.atMs);
  }
  if (writer !== null) tenures.push({ startMs: since, endMs: Infinity, node: writer });
  // The run ended with no primary, but the last one's disk survives (crashed or stepped down, not lost): whoever
  // leads after the run ships its WAL, on a clock the run cannot know; the last one's stands in for it.
  else if (stopped !== null && !lostForGood.has(stopped)) tenures[tenures.length - 1] = { ...tenures[tenures.length - 1], endMs: Infinity };
  return tenures;
}

/** Backups on a fixed schedule with a seeded phase, retained for `retainMs`. */
export class Schedule {
  constructor(
    readonly everyMs: number,
    readonly retainMs: number,
    /** The newest backup before t=0 was taken at −phaseMs. */
    readonly phaseMs: number,
  ) {}

  /** The newest backup taken at or before t that is still retained at time `at`. */
  newestBefore(t: number, at: number): number | null {
    const k = Math.floor((t + this.phaseMs) / this.everyMs);
    const taken = k * this.everyMs - this.phaseMs;
    if (taken > t || at - taken > this.retainMs) return null;
    return taken;
  }

  /** The oldest backup still retained at time `at`. */
  oldestRetained(at: number): number {
    const k = Math.ceil((at - this.retainMs + this.phaseMs) / this.everyMs);
    return k * this.everyMs - this.phaseMs;
  }
}
