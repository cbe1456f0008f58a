// Planning the way back from a bad write every replica applied: replication
// copied the damage faithfully, so only a backup older than the write can
// bring the rows back. Every kind of backup is weighed with its data loss,
// the writes to reconcile afterwards, its restore time, and the total with the
// merge of the damaged rows back into production.
import type { ResolvedBackups } from "../../model/types.js";
import { type Archive, Schedule } from "../backups.js";
import { archiveOf, baseSurvives, mergeTime, noRestore, reloadTime, replayTime, restoreTime } from "./common.js";
import type { BadWrite, Incident, OtherBadWrite, PitrReason, Recovery, RecoveryInput, RecoveryOption, SnapshotReason, Verdict } from "./types.js";

/** What every option of one bad write is measured against. */
interface Damage {
  input: RecoveryInput;
  bad: BadWrite;
  /** When the bad write ran, when it was noticed, and the restore target just before it. */
  atMs: number;
  noticedMs: number;
  targetMs: number;
  /** The damaged rows written in a window: the bad statement's share of the class's writes. */
  damaged: (fromMs: number, toMs: number) => number;
  /** Writes to the damaged rows after the bad write, which any restore must reconcile. */
  afterWrites: number;
  /** The class's table (its share of the data) and the damaged rows in it, in bytes. */
  tableBytes: number;
  damagedBytes: number;
}

/** With backups, the context also knows the archive and the base backups' schedule. */
interface BackedUp extends Damage {
  backups: ResolvedBackups;
  archive: Archive;
  base: Schedule | null;
}

function incidentOf(bad: BadWrite): Incident & { kind: "bad-write" } {
  return { kind: "bad-write", statement: bad.statement, dataClass: bad.dataClass, atMs: bad.atMs, rowsShare: bad.rows, noticedAtMs: bad.noticedAtMs };
}

/**
 * A later bad write beside the plan for the first: a restore to a point before the first brings the later one's
 * rows back too, from the same copy, when that copy holds its class and it ran before the damage was noticed (a
 * later one hits production after the repair began); otherwise it needs its own way back, planned alone.
 */
export function otherBadWrite(input: RecoveryInput, plan: Recovery, first: BadWrite, bad: BadWrite): OtherBadWrite {
  const incident = incidentOf(bad);
  const chosen = plan.options.find((o) => o.method === plan.method && o.feasible);
  const target = chosen === undefined || chosen.method === "none" ? null : chosen.targetAtMs;
  const uncoveredBecause =
    chosen === undefined || target === null || target >= bad.atMs
      ? "nothing-restored"
      : bad.atMs >= first.noticedAtMs
        ? "after-noticed"
        : chosen.method === "logical-backup" && bad.dataClass !== first.dataClass
          ? "other-class"
          : null;
  if (uncoveredBecause !== null || target === null) {
    const alone = planBadWrite(input, bad);
    return { incident, covered: false, uncoveredBecause: uncoveredBecause ?? "nothing-restored", alone: { method: alone.method, lostWrites: alone.lostWrites, reconcileWrites: alone.reconcileWrites, totalMs: alone.totalMs } };
  }
  // Its rows come back as they were at the restore point: the writes to them since, up to it, are lost unless the
  // audit log replays them; the ones after it, up to the repair, the merge reconciles, as for the first.
  const damaged = (from: number, to: number) => Math.round(input.classWrites(bad.dataClass, from, to) * bad.rows);
  const between = damaged(target, bad.atMs);
  const after = damaged(bad.atMs, first.noticedAtMs);
  const audit = input.backups?.auditLog ?? false;
  return { incident, covered: true, lostWrites: audit ? 0 : between, reconcileWrites: after + (audit ? between : 0) };
}

export function planBadWrite(input: RecoveryInput, bad: BadWrite): Recovery {
  const incident: Incident = incidentOf(bad);
  if (bad.blockedByGuard) return noRestore({ needed: false, method: "none", incident, verdict: { kind: "guard-refused", statement: bad.statement } });
  const damaged = (from: number, to: number) => Math.round(input.classWrites(bad.dataClass, from, to) * bad.rows);
  const tableBytes = (input.backups?.restore.dataSizeBytes ?? 0) * bad.classShare;
  const damage: Damage = {
    input,
    bad,
    atMs: bad.atMs,
    noticedMs: bad.noticedAtMs,
    targetMs: bad.atMs - 1,
    damaged,
    afterWrites: damaged(bad.atMs, bad.noticedAtMs),
    tableBytes,
    damagedBytes: tableBytes * bad.rows,
  };
  const options = input.backups ? backupOptions(damage, input.backups) : [noBackupsOption(damage)];
  const best = bestOption(options);
  const verdict: Verdict =
    best.method === "none"
      ? { kind: "bad-write-unrecoverable", dataClass: bad.dataClass, lostWrites: best.lostWrites, replicatedInMs: bad.replicatedInMs }
      : { kind: "backups-save", chosen: best, quicker: quickerThan(best, options), replicatedInMs: bad.replicatedInMs };
  return {
    needed: true,
    method: best.method,
    incident,
    targetAtMs: best.targetAtMs,
    restoreMs: best.restoreMs,
    mergeMs: best.mergeMs,
    totalMs: best.totalMs,
    lostWrites: best.lostWrites,
    reconcileWrites: best.reconcileWrites,
    extrapolated: bad.noticedAtMs > input.durationMs,
    options,
    drills: [],
    verdict,
    ackedLosses: [],
    writesNotBack: input.writesNotBack,
  };
}

/** Giving up is the last resort; otherwise the least data lost, then the least to reconcile, then the quickest way back in total. */
function bestOption(options: RecoveryOption[]): RecoveryOption {
  const ranked = options
    .filter((o) => o.feasible && o.method !== "none")
    .sort((a, b) => a.lostWrites - b.lostWrites || a.reconcileWrites - b.reconcileWrites || (a.totalMs ?? Infinity) - (b.totalMs ?? Infinity));
  return ranked[0] ?? options[options.length - 1];
}

/** The quickest way back in total, when it is quicker than the chosen one (which it lost to on data or reconciling). */
function quickerThan(chosen: RecoveryOption, options: RecoveryOption[]): RecoveryOption | null {
  const restores = options.filter((o) => o.feasible && o.method !== "none" && o.totalMs !== null);
  const quickest = restores.reduce<RecoveryOption | null>((q, o) => (q === null || (o.totalMs as number) < (q.totalMs as number) ? o : q), null);
  return quickest !== null && quickest !== chosen && (quickest.totalMs as number) < (chosen.totalMs ?? Infinity) ? quickest : null;
}

function noBackupsOption(d: Damage): RecoveryOption {
  const lostWrites = d.damaged(0, d.atMs);
  return { method: "none", feasible: true, reason: { kind: "no-backups", lostWrites }, targetAtMs: null, ...NOT_RESTORED, lostWrites, reconcileWrites: 0, rpoMs: null };
}

/** Every way back the configured backups offer, in a fixed order, ending with giving up. */
function backupOptions(damage: Damage, backups: ResolvedBackups): RecoveryOption[] {
  const { input } = damage;
  const archive = archiveOf(input, backups);
  const base = backups.baseBackups ? new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base) : null;
  const d: BackedUp = { ...damage, backups, archive, base };
  const options = [pitrOption(d)];
  if (base) options.push(snapshotOption(d, base));
  const logical = logicalOption(d);
  if (logical) options.push(logical);
  // Giving up loses every damaged row whole: at least what any restore would have brought back, so its count reaches
  // back as far as the oldest restore point (before the run, the class's writes are extrapolated like theirs).
  // With no restore point at all, the count is the run's own writes to those rows.
  const points = options.filter((o) => o.feasible && o.targetAtMs !== null).map((o) => o.targetAtMs as number);
  const lostWrites = d.damaged(Math.min(0, ...points), d.atMs);
  const reason = { kind: "give-up", lostWrites, since: points.length > 0 ? "restore-point" : "run-start" } as const;
  options.push({ method: "none", feasible: true, reason, targetAtMs: null, ...NOT_RESTORED, lostWrites, reconcileWrites: 0, rpoMs: null });
  return options;
}

/** An option that restores nothing takes no time to restore, merge or in total. */
const NOT_RESTORED = { restoreMs: null, mergeMs: null, totalMs: null } as const;

/**
 * An option's times: its restore, then the merge that every restore after a bad write ends with — the damaged
 * rows extracted from the restored copy and written back into production, with the later writes to reconcile
 * (each a write's size) — and the two together.
 */
function timed(d: BackedUp, restoreMs: number, reconcileWrites: number): Pick<RecoveryOption, "restoreMs" | "mergeMs" | "totalMs"> {
  const mergeMs = mergeTime(d.backups, d.damagedBytes + reconcileWrites * d.input.writeSizeBytes);
  return { restoreMs, mergeMs, totalMs: restoreMs + mergeMs };
}

/** A base backup can be restored when it exists and a copy of it survives in some region. */
function baseUsable(d: BackedUp, b: number | null): b is number {
  const bb = d.backups.baseBackups;
  return b !== null && bb !== null && baseSurvives(d.input, bb, d.noticedMs);
}

/** 1. PITR to just before the bad write on a side instance, then forward-merge. */
function pitrOption(d: BackedUp): RecoveryOption {
  const from = d.base?.newestBefore(d.targetMs, d.noticedMs) ?? null;
  const reason = pitrReason(d, from);
  if (reason.kind === "replay-to-gap") return pitrToGap(d, reason);
  const feasible = reason.kind === "replay-archive";
  if (!feasible) return { method: "pitr", feasible, reason, targetAtMs: d.targetMs, ...NOT_RESTORED, lostWrites: 0, reconcileWrites: 0, rpoMs: null };
  const wal = from !== null ? d.input.wal.bytesAt(d.targetMs) - d.input.wal.bytesAt(from) : 0;
  // Noticed before the archive had the target's WAL, the replay waits for the next switch (it cannot replay what is not there yet).
  const addedMs = reason.kind === "replay-archive" ? reason.addedMs : 0;
  return {
    method: "pitr",
    feasible,
    reason,
    targetAtMs: d.targetMs,
    ...timed(d, restoreTime(d.backups, wal) + addedMs, d.afterWrites),
    lostWrites: 0,
    reconcileWrites: d.afterWrites,
    rpoMs: 0,
  };
}

/**
 * PITR that stops at a gap in the archive: the damaged rows' writes between the gap's start and the bad write
 * are lost, as with a snapshot that old (the audit log replays them when there is one).
 */
function pitrToGap(d: BackedUp, reason: PitrReason & { kind: "replay-to-gap" }): RecoveryOption {
  const reached = reason.reachedAtMs;
  const between = d.damaged(reached, d.atMs);
  const audit = d.backups.auditLog;
  const reconcileWrites = d.afterWrites + (audit ? between : 0);
  return {
    method: "pitr",
    feasible: true,
    reason,
    targetAtMs: reached,
    ...timed(d, restoreTime(d.backups, d.input.wal.bytesAt(reached) - d.input.wal.bytesAt(reason.baseBackupAtMs)), reconcileWrites),
    lostWrites: audit ? 0 : between,
    reconcileWrites,
    rpoMs: d.atMs - reached,
  };
}

/** The first obstacle to replaying the archive up to the target, or the replay itself. */
function pitrReason(d: BackedUp, from: number | null): PitrReason {
  const { archive, backups } = d;
  if (!archive.enabled) return { kind: "no-archive" };
  if (!archive.availableAt(d.noticedMs)) return { kind: "archive-region-lost" };
  // PITR reaches back no further than pitr_window, nor than the oldest base backup still kept: a replay needs one
  // taken before its target, and the WAL older than the oldest one expires with the backups before it (pgBackRest,
  // Barman and WAL-G expire archived WAL with the backup it belongs to).
  const oldestBaseAgoMs = d.base !== null ? d.noticedMs - d.base.oldestRetained(d.noticedMs) : Infinity;
  const windowMs = Math.min(backups.pitrWindowMs, oldestBaseAgoMs);
  // A window of 7d restores to any point within the last 7 days, its edge included. "Just before the bad write" is
  // recovery_target_time at its commit with recovery_target_inclusive = false: the point to reach is the bad write's
  // own time (targetMs, 1 ms before it, only orders the replay), so its age decides, as the words say it.
  const agoMs = d.noticedMs - d.atMs;
  if (agoMs > windowMs) {
    const limitedBy = oldestBaseAgoMs < backups.pitrWindowMs ? "base-retention" : "pitr-window";
    return { kind: "outside-pitr-window", agoMs, windowMs, pitrWindowMs: backups.pitrWindowMs, limitedBy, retainMs: backups.baseBackups?.retainMs ?? null };
  }
  if (!baseUsable(d, from)) return { kind: "no-base-backup", configured: backups.baseBackups !== null };
  const { reachedAtMs, gap } = archive.replayReach(from, d.targetMs);
  if (gap) return { kind: "replay-to-gap", baseBackupAtMs: from, beforeBadWriteMs: d.atMs - from, gap, reachedAtMs };
  const replay = { kind: "replay-archive", baseBackupAtMs: from, beforeBadWriteMs: d.atMs - from } as const;
  if (archive.archivedUntil(d.noticedMs) >= d.targetMs) return { ...replay, archiveWaitMs: 0, addedMs: 0, waitsFor: "switch" };
  // Not archived yet: production still has that WAL and ships it at the archive's next switch (archive_timeout or a
  // full segment at the latest), or when archiving works again if it is failing then, so the restore waits for it — unless no switch is coming, or the archive is gone by then.
  const shipped = archive.archivedAt(d.targetMs);
  if (shipped === null) return { kind: "archive-behind", cause: archive.switchComing(d.targetMs) ? "archiving-fails" : "no-switch" };
  if (!archive.availableAt(shipped)) return { kind: "archive-behind", cause: "archive-lost" };
  // The base backup is copied back and the WAL already archived replayed meanwhile: only the replay of what the switch
  // ships has to follow it, so the wait lengthens the restore only when it outlasts the rest.
  const archiveWaitMs = Math.max(0, shipped - d.noticedMs);
  const wal = d.input.wal;
  const restoreMs = restoreTime(backups, wal.bytesAt(d.targetMs) - wal.bytesAt(from));
  const tailMs = replayTime(backups, wal.bytesAt(d.targetMs) - wal.bytesAt(Math.max(from, archive.archivedUntil(d.noticedMs))));
  const waitsFor = archive.heldByFailure(d.targetMs) ? "archiving-restored" : "switch";
  return { ...replay, archiveWaitMs, addedMs: Math.max(0, archiveWaitMs + tailMs - restoreMs), waitsFor };
}

/** 2. The newest base backup older than the bad write (writes between it and the bad write are lost unless the audit log replays them). */
function snapshotOption(d: BackedUp, base: Schedule): RecoveryOption {
  const b = base.newestBefore(d.targetMs, d.noticedMs);
  const audit = d.backups.auditLog;
  if (!baseUsable(d, b)) {
    const reason: SnapshotReason = b === null ? { kind: "no-retained-snapshot", retainMs: base.retainMs } : { kind: "snapshot-region-lost" };
    return { method: "base-backup", feasible: false, reason, targetAtMs: null, ...NOT_RESTORED, lostWrites: 0, reconcileWrites: 0, rpoMs: null };
  }
  const between = d.damaged(b, d.atMs);
  const reconcileWrites = d.afterWrites + (audit ? between : 0);
  return {
    method: "base-backup",
    feasible: true,
    reason: { kind: "restore-snapshot", snapshotAtMs: b, beforeBadWriteMs: d.atMs - b, auditLog: audit },
    targetAtMs: b,
    ...timed(d, restoreTime(d.backups, 0), reconcileWrites),
    lostWrites: audit ? 0 : between,
    reconcileWrites,
    rpoMs: audit ? 0 : d.atMs - b,
  };
}

/**
 * 3. A logical dump of the class, reaching past the PITR window: pg_restore reloads that one table (its share of
 * the data, not the whole cluster) onto a side instance, re-inserting every row and rebuilding every index and
 * constraint at the logical rate — several times slower per byte than copying a base backup back.
 */
function logicalOption(d: BackedUp): RecoveryOption | null {
  const logical = d.backups.logical;
  if (!logical || !logical.classes.includes(d.bad.dataClass)) return null;
  const dump = new Schedule(logical.everyMs, logical.retainMs, d.input.phases.logical).newestBefore(d.targetMs, d.noticedMs);
  if (dump === null) {
    return { method: "logical-backup", feasible: false, reason: { kind: "no-retained-dump", retainMs: logical.retainMs }, targetAtMs: null, ...NOT_RESTORED, lostWrites: 0, reconcileWrites: 0, rpoMs: null };
  }
  const audit = d.backups.auditLog;
  const between = d.damaged(dump, d.atMs);
  const reconcileWrites = d.afterWrites + (audit ? between : 0);
  return {
    method: "logical-backup",
    feasible: true,
    reason: { kind: "reload-dump", dataClass: d.bad.dataClass, dumpAtMs: dump, beforeBadWriteMs: d.atMs - dump, tableBytes: d.tableBytes, restoreBytesPerSecond: logical.restoreBytes },
    targetAtMs: dump,
    ...timed(d, reloadTime(logical, d.tableBytes), reconcileWrites),
    lostWrites: audit ? 0 : between,
    reconcileWrites,
    rpoMs: audit ? 0 : d.atMs - dump,
  };
}
