// What the backups held at each moment, derived from the simulated history:
// the WAL archive (segment switches on a full 16MB segment or archive_timeout,
// holes where archiving silently failed), base backups on their seeded
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

export interface BackupCopy {
  atMs: number;
  region: string | null;
  copyTo: string | null;
}

/** The WAL history as the archive sees it: bytes written by time t. */
export class WalHistory {
  constructor(
    /** Every write's send time in send order (asked for only when the planning needs it: runs keep them only then). */
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
 * switch; periodic shipping every `every`. A silent failure window loses the
 * segments shipped during it (the archiver believed it succeeded).
 */
export class Archive {
  readonly holes: Window[];

  constructor(
    private readonly backups: ResolvedBackups,
    private readonly wal: WalHistory,
    failures: Window[],
    /** When the archive's region was lost (the archive with it), or null. */
    readonly lostAtMs: number | null,
    /** Where in its interval the archive's clock stood at t=0, a share in [0, 1): its switches are not pinned to the run's start. */
    private readonly phase = 0,
  ) {
    this.holes = failures.map((f) => ({ ...f }));
  }

  get enabled(): boolean {
    return this.backups.walArchive.mode !== "none";
  }

  /** The latest time whose WAL is in the archive at time t (its archive lag is t minus this). */
  archivedUntil(t: number): number {
    if (!this.enabled) return -Infinity;
    const interval = this.intervalAt(t);
    if (!Number.isFinite(interval)) return -Infinity;
    return this.lastSwitch(t, interval);
  }

  /**
   * When the WAL written at time t reaches the archive: the first switch at or after t, at the interval of the
   * time `asOf` (when someone asks); null when no switch ever comes (no archive, or a continuous archive without
   * archive_timeout and no WAL to fill a segment).
   */
  archivedAt(t: number, asOf: number): number | null {
    if (!this.enabled) return null;
    const interval = this.intervalAt(asOf);
    if (!Number.isFinite(interval)) return null;
    return (Math.ceil(t / interval + this.phase) - this.phase) * interval;
  }

  /** How often the archive switches at time t: its period, or (continuous) a full segment or archive_timeout, whichever comes first. */
  private intervalAt(t: number): number {
    const archive = this.backups.walArchive;
    if (archive.mode === "periodic") return archive.everyMs;
    const timeout = archive.archiveTimeoutMs > 0 ? archive.archiveTimeoutMs : Infinity;
    const bytesPerSecond = this.wal.bytesAt(t) - this.wal.bytesAt(t - 1000);
    const fillMs = bytesPerSecond > 0 ? (SEGMENT_BYTES / bytesPerSecond) * 1000 : Infinity;
    return Math.min(timeout, fillMs);
  }

  /** The last switch at or before t of a clock ticking every `interval`, its phase shifted by `phase` of an interval. */
  private lastSwitch(t: number, interval: number): number {
    return (Math.floor(t / interval + this.phase) - this.phase) * interval;
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
