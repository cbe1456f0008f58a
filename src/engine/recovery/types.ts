// What the recovery planner decides, as data: the incident, every way back it
// weighed with the reason it is or is not possible, the restore drills'
// outcomes and the verdict. Each carries the numbers behind it (times,
// windows, retentions, gaps, write counts) and no words: the report is the
// one place that says them in English.
import type { ResolvedBackups } from "../../model/types.js";
import type { Tenure, WalHistory, Window } from "../backups.js";

export type RecoveryMethod = "failover" | "pitr" | "base-backup" | "logical-backup" | "none";

/** The statement that damaged the data. */
export type BadStatement = "update-all" | "delete" | "drop";

/** What happened to the data: a bad write every replica applied, a lost region, acknowledged writes that did not survive, or nothing. */
export type Incident =
  | { kind: "bad-write"; statement: BadStatement; dataClass: string; atMs: number; rowsShare: number; noticedAtMs: number }
  | { kind: "region-lost"; region: string; atMs: number }
  | { kind: "acked-writes-lost"; lostWrites: number }
  | { kind: "none" };

/**
 * Why acknowledged writes did not survive the run, and how many each cause took. The causes are told apart by
 * the facts of the run: a promotion that did not have everything the old leader acknowledged (asynchronous
 * replication, a synchronous leader that had fallen back to asynchronous commits, or a lagging replica promoted
 * by policy), writes an unfenced old leader acknowledged beside the new one, writes last-writer-wins dropped,
 * and writes a lost region took with it.
 */
export type AckedLoss =
  /**
   * oldLeaderLost: the old leader went for good with its zone or region, and its WAL with it. oldLeaderRejoinedMs:
   * how long after the promotion the old leader rejoined within the run, discarding what the new leader lacks (its
   * rewind or rollback), or null when it had not by the end.
   */
  /** local-commit: writes of classes whose commit level does not wait for the standbys (commit: off or local), lost although the rule has them. */
  /**
   * archive: what the WAL archive holds of the lost writes (they sit on the old leader's timeline, beyond the fork);
   * absent when the run cannot tell (it kept no send times to place them against the archive's segments).
   */
  | { cause: "async-failover" | "sync-fallback" | "lagging-promoted" | "local-commit"; lostWrites: number; oldLeader: string; newLeader: string; oldLeaderLost: boolean; oldLeaderRejoinedMs: number | null; archive?: ArchiveHold }
  | { cause: "split-brain"; lostWrites: number; oldLeader: string; splitBrainMs: number }
  /** lww-conflict: `between` the leaders of a multi-leader design or the coordinators of a leaderless one; `clockAhead`: some were dropped for an earlier write stamped by a clock running ahead. */
  | { cause: "lww-conflict"; lostWrites: number; between: "leaders" | "coordinators"; clockAhead: boolean }
  | { cause: "region-unreplicated"; lostWrites: number; node: string }
  /** archive-lag: acknowledged after the point a cross-region restore reaches (the archive `archiveLagMs` behind when `region` was lost; `gap`: the hole in the archive the replay stops at, if any). */
  | { cause: "archive-lag"; lostWrites: number; region: string; archiveLagMs: number; gap: Window | null }
  /** base-backup-age: acknowledged after the base backup a cross-region restore falls back to when the archive went with `region` (`ageMs` old then). */
  | { cause: "base-backup-age"; lostWrites: number; region: string; ageMs: number }
  /** unflushed-crash: asynchronous commits (commit: off) acknowledged by `node` before their WAL flush, gone when it crashed. */
  | { cause: "unflushed-crash"; lostWrites: number; node: string }
  | { cause: "unattributed"; lostWrites: number };

/**
 * Where the WAL archive stands on the writes a failover lost: it holds `heldWrites` of them, having been `lagMs`
 * behind when the old leader stopped (null: it had nothing of that timeline yet); or there is no archive to hold
 * any (none configured, or lost with its region). `replay`: how many of them a point-in-time restore on a side
 * instance reaches, from the newest base backup taken by the archive's newest point that survives and is still
 * retained at the end of the run, replaying the archive up to its first hole; `stoppedBy` says why it reaches
 * fewer than the archive holds (no base backups configured, none retained old enough, every copy lost with its
 * region, or a hole in the archive, `gap`, before them), null when it reaches every one.
 */
export type ArchiveHold =
  | { kind: "held"; heldWrites: number; lagMs: number | null; replay: { reachableWrites: number; stoppedBy: ReplayStop | null; gap: Window | null } }
  | { kind: "no-archive" };

/** What stops a replay of the archive short of the writes it holds. */
export type ReplayStop = "no-base-backups" | "no-retained-base-backup" | "base-backups-lost" | "archive-gap";

/** Why a failover is or is not possible after a region loss. */
export type FailoverReason =
  | { kind: "replica-promoted" }
  | { kind: "no-replica-elsewhere" }
  /** A replica outside the lost region survived, but nothing promoted it in the run (nofailover, or no eligible candidate): a person can, after `operatorDelayMs`. */
  | { kind: "replica-not-promoted"; node: string; nofailover: boolean; operatorDelayMs: number; down: boolean };

/** Why a point-in-time restore is or is not possible. */
export type PitrReason =
  | { kind: "no-archive" }
  | { kind: "archive-region-lost" }
  /**
   * The target is older than point-in-time restore reaches back (`windowMs` before the damage was noticed): the
   * smaller of pitr_window and the age of the oldest base backup still kept (`limitedBy` says which; the WAL older
   * than that base backup expired with the backups before it, and `retainMs` is their retention, or null without
   * base backups).
   */
  | { kind: "outside-pitr-window"; agoMs: number; windowMs: number; pitrWindowMs: number; limitedBy: "pitr-window" | "base-retention"; retainMs: number | null }
  /** configured: base backups exist in the design, but none usable (expired, or every copy's region lost). */
  | { kind: "no-base-backup"; configured: boolean }
  | { kind: "archive-gap"; gap: Window }
  /** A gap between the base backup and the target: the replay stops where the gap starts (`reachedAtMs`). */
  | { kind: "replay-to-gap"; baseBackupAtMs: number; beforeBadWriteMs: number; gap: Window; reachedAtMs: number }
  /**
   * The archive lacks the target's WAL and nothing ships it: no switch is coming (no archive_timeout and too little
   * WAL to fill a segment), archiving fails to the end of the run, or the archive's region is lost before it ships.
   */
  | { kind: "archive-behind"; cause: "no-switch" | "archiving-fails" | "archive-lost" }
  /**
   * archiveWaitMs: noticed before the archive had the target's WAL, the wait for its next switch (0 when it had it);
   * addedMs: what that wait adds to the restore (0 when it passes while the base backup is copied back);
   * waitsFor: what ships it — the archive's next segment switch, or the end of an archive_fails window (the segment
   * switched while archiving failed and waits on the primary until it works again).
   */
  | { kind: "replay-archive"; baseBackupAtMs: number; beforeBadWriteMs: number; archiveWaitMs: number; addedMs: number; waitsFor: "switch" | "archiving-restored" }
  /** archivedUntilMs: the point the replay reaches, `archiveLagMs` before the loss; `gap`: the hole in the archive it stops at, if any. */
  | { kind: "cross-region-restore"; archivedUntilMs: number; archiveLagMs: number; walBytes: number; gap: Window | null }
  /**
   * The backups a restore needs went with the lost region: the archive and every copy of the base backups ("both"),
   * the archive where no base backups are configured ("archive"), or every copy of the base backups while the
   * archive survives in `archiveRegion` with nothing to replay onto ("base-backups"; `region`: the one lost).
   */
  | { kind: "backups-in-lost-region"; lost: "both" | "archive" }
  | { kind: "backups-in-lost-region"; lost: "base-backups"; region: string; archiveRegion: string };

/** Why restoring the newest base backup is or is not possible. */
export type SnapshotReason =
  | { kind: "restore-snapshot"; snapshotAtMs: number; beforeBadWriteMs: number; auditLog: boolean }
  | { kind: "no-retained-snapshot"; retainMs: number }
  | { kind: "snapshot-region-lost" }
  /** A lost region took the WAL archive but a copy of a base backup survives elsewhere: restore it alone, losing everything after it. */
  | { kind: "restore-base-backup-elsewhere"; baseBackupAtMs: number; ageMs: number };

/** Why reloading a logical dump is or is not possible. */
export type LogicalReason =
  /** tableBytes: the class's table the dump reloads, at restoreBytesPerSecond (the logical restore rate). */
  | { kind: "reload-dump"; dataClass: string; dumpAtMs: number; beforeBadWriteMs: number; tableBytes: number; restoreBytesPerSecond: number }
  | { kind: "no-retained-dump"; retainMs: number };

/** Doing nothing: there are no backups at all, or none of them reaches back. */
export type GiveUpReason =
  | { kind: "no-backups"; lostWrites: number }
  /** since: the lost writes are counted from the oldest restore point, or from the run's start when no restore is possible. */
  | { kind: "give-up"; lostWrites: number; since: "restore-point" | "run-start" };

export type OptionReason = FailoverReason | PitrReason | SnapshotReason | LogicalReason | GiveUpReason;

export interface RecoveryOption {
  method: RecoveryMethod;
  feasible: boolean;
  /** Why it is or is not possible, with the numbers that decide it. */
  reason: OptionReason;
  targetAtMs: number | null;
  /** Restoring the copy the option brings back: a base backup copied and the WAL replayed, or a dump reloaded. */
  restoreMs: number | null;
  /** Then extracting the damaged rows from it and merging them back into production with the writes made since (0 when the restored copy becomes production). */
  mergeMs: number | null;
  /** The whole way back: the restore, then the merge (null when nothing is restored). */
  totalMs: number | null;
  lostWrites: number;
  reconcileWrites: number;
  rpoMs: number | null;
}

/** What a restore drill found; `ok` is true only for "passed". */
export type DrillOutcome =
  | { outcome: "no-base-backups" }
  | { outcome: "no-retained-base-backup" }
  /** The region holding the base backups (and any copy), or the WAL archive, was lost before the drill. */
  | { outcome: "backups-region-lost"; lost: "base-backups" | "archive" }
  | { outcome: "archive-gap"; gap: Window }
  /**
   * The replay had no hole, but the newest point it reached is `ageMs` old at the drill, past `limitMs`: the
   * tightest class RPO, or two of the archive's switch intervals when that is longer (`limitBy` says which), the
   * oldest the archive's newest WAL should ever be. `archiveFailing`: archiving was failing at the drill (the WAL
   * since waits on the primary, and goes with it if it is lost before it ships).
   */
  | { outcome: "stale-restore-point"; baseBackupAtMs: number; ageMs: number; limitMs: number; limitBy: "rpo" | "archive-interval"; archiveFailing: boolean }
  /**
   * archiveFailingSinceMs: archiving was failing at the drill (since then), though its newest point was still recent
   * enough; null when archiving worked. The drill passes, and its point falls further behind until archiving works.
   */
  | { outcome: "passed"; baseBackupAtMs: number; archiveFailingSinceMs: number | null }
  | { outcome: "over-rto"; baseBackupAtMs: number; rtoMs: number; archiveFailingSinceMs: number | null };

export type DrillResult = {
  atMs: number;
  ok: boolean;
  restoreMs: number;
  reachedAtMs: number;
} & DrillOutcome;

/** How the restore drills of a run went, for a verdict that mentions them. */
export type DrillsVerdict = "none" | "all-passed" | "passed-archive-failing" | "some-failed";

/** The planner's conclusion, from which the report composes its summary. */
export type Verdict =
  | { kind: "no-damage"; drills: DrillsVerdict }
  /** Nothing was damaged, but acknowledged writes are gone: no restore puts them back (see AckedLoss for why). */
  | { kind: "acked-writes-lost"; lostWrites: number; losses: AckedLoss[]; drills: DrillsVerdict }
  | { kind: "guard-refused"; statement: BadStatement }
  | { kind: "bad-write-unrecoverable"; dataClass: string; lostWrites: number; replicatedInMs: number | null }
  /** quicker: an option back sooner in total than the chosen one, passed over because it loses or leaves more to reconcile (null when none is). */
  | { kind: "backups-save"; chosen: RecoveryOption; quicker: RecoveryOption | null; replicatedInMs: number | null }
  /** restore: why the restore in another region is impossible (null when there is no WAL archive to restore from). */
  | { kind: "region-unrecoverable"; region: string; restore: OptionReason | null }
  | { kind: "failover-handled"; lostWrites: number; losses: AckedLoss[]; backupRestoreMs: number | null }
  /** The data survived on a replica nothing promoted: a person promotes it (the way back), or the backups (slower, and what they lose). */
  | { kind: "promote-by-hand"; region: string; chosen: RecoveryOption; backups: RecoveryOption | null }
  | { kind: "cross-region-restore"; region: string; chosen: RecoveryOption };

export interface Recovery {
  needed: boolean;
  method: RecoveryMethod;
  incident: Incident;
  targetAtMs: number | null;
  restoreMs: number | null;
  /** The chosen option's merge and total (see RecoveryOption). */
  mergeMs: number | null;
  totalMs: number | null;
  lostWrites: number;
  reconcileWrites: number;
  /** True when the planning reached past the simulated run and used the workload's steady rate. */
  extrapolated: boolean;
  options: RecoveryOption[];
  drills: DrillResult[];
  verdict: Verdict;
  /** Acknowledged writes the run lost, by cause (empty when none was lost). */
  ackedLosses: AckedLoss[];
  /**
   * Multi-leader `lww`: the acknowledged writes last-write-wins would overwrite once the writes still queued
   * between leaders at the end of the run arrive (see Totals.writesLostProjected). Projected, not in lostWrites.
   */
  projectedLostWrites?: number;
  /**
   * The other bad writes that got through, besides the one the plan is for (the earliest), in time order; absent
   * when there was one. Each says whether the chosen restore brings its rows back too, and how it would be
   * recovered on its own when it does not.
   */
  otherBadWrites?: OtherBadWrite[];
  /** The classes whose writes had not come back when the run ended: nothing to restore is not the same as service restored. */
  writesNotBack: string[];
}

/**
 * A bad write besides the one planned. covered: the chosen restore brings its rows back too — its restore point is
 * before it, the copy it restores holds its class (a point-in-time restore or a base backup holds every class, a
 * logical dump only its own), and it ran before the damage was noticed. Its rows then come back as they were at
 * that restore point: `lostWrites` are the writes made to them between the restore point and it (none when the
 * audit log replays them), `reconcileWrites` the ones the merge must reconcile, beside the plan's own figures.
 * Not covered (`uncoveredBecause`), `alone` is the way back it would take on its own.
 */
export type OtherBadWrite = { incident: Incident & { kind: "bad-write" } } & (
  | { covered: true; lostWrites: number; reconcileWrites: number }
  | { covered: false; uncoveredBecause: "nothing-restored" | "after-noticed" | "other-class"; alone: Pick<RecoveryOption, "method" | "lostWrites" | "reconcileWrites" | "totalMs"> }
);

export interface BadWrite {
  atMs: number;
  dataClass: string;
  classShare: number;
  statement: BadStatement;
  rows: number;
  noticedAtMs: number;
  blockedByGuard: boolean;
  /** How long until every replica had applied it (ms), or null when none did. */
  replicatedInMs: number | null;
}

export interface RegionLoss {
  /** The region lost, or the zone ("region/zone"). */
  region: string;
  atMs: number;
  /**
   * Every node was lost for good by the end of the run, and this is the last loss that took the leader (the node
   * writing the WAL and shipping it to the archive): no disk holds the data any more, whatever an earlier loss's
   * failover did, so only the backups elsewhere can bring it back, with what the archive had received by this loss.
   */
  final: boolean;
  /** Acknowledged writes the failover lost (measured by the engine), and whether a failover restored service. */
  failoverLostWrites: number;
  failedOver: boolean;
  leaderRegionLost: boolean;
  /** With no failover: a replica outside the region that is alive at the end (the one holding the most), and the operator's delay. */
  /** A replica outside the region whose disk survived; down: not running at the end (powered off, crashed), so a person starts it first. */
  survivor: { node: string; nofailover: boolean; down: boolean } | null;
  operatorDelayMs: number;
}

export interface RecoveryInput {
  backups: ResolvedBackups | null;
  wal: WalHistory;
  /** Writes per ms of one class (for counting writes in a window, extrapolated where the run did not reach). */
  classWrites: (dataClass: string, fromMs: number, toMs: number) => number;
  archiveFailures: Window[];
  /** When a primary was up to ship WAL to the archive, in time order (see primaryTenures). */
  primaryTenures: Tenure[];
  lostRegions: { region: string; atMs: number }[];
  /** Seeded schedule phases: base backups' and logical dumps' offsets (ms), and the archive's switches' as a share of their interval. */
  phases: { base: number; logical: number; archive: number };
  badWrites: BadWrite[];
  /** The size of one write (bytes): the later writes a merge reconciles are this big each. */
  writeSizeBytes: number;
  regionLosses: RegionLoss[];
  drillTimes: number[];
  /** Acknowledged writes the run lost, by cause. */
  ackedLosses: AckedLoss[];
  durationMs: number;
  classRtoMs: number;
  /** The tightest RPO target of the data classes (ms): a restore drill's newest point may be no older than it (or than the archive's own lag). */
  classRpoMs: number;
  /** The classes whose writes had not come back when the run ended (write RTO "never"). */
  writesNotBack: string[];
  /** Where backups that name no region sit: beside the data, in the leader's region at the start. */
  dataRegion: string;
}
