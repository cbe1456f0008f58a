// Planning the way back from a lost region that held the leader: a replica
// elsewhere can take over (replication handles it, perhaps with loss), and
// backups stored in another region are the fallback when no replica can.
import { Schedule } from "../backups.js";
import { archiveOf, baseSurvives, noRestore, restoreTime, storedIn } from "./common.js";
import type { Incident, PitrReason, Recovery, RecoveryInput, RecoveryOption, RegionLoss, Verdict } from "./types.js";

export function planRegionLoss(input: RecoveryInput, loss: RegionLoss): Recovery {
  const incident: Incident = { kind: "region-lost", region: loss.region, atMs: loss.atMs };
  const options = [failoverOption(loss), ...crossRegionOptions(input, loss)];
  const pitr = options.find((o) => o.method === "pitr") ?? null;
  const feasible = options.filter((o) => o.feasible);
  const best = feasible.find((o) => o.method === "failover") ?? feasible[0];
  if (best === undefined) {
    // Every acknowledged write the run lost stays lost (and the data before the run with it): the same count as the failover row's.
    const verdict: Verdict = { kind: "region-unrecoverable", region: loss.region, restore: pitr ? pitr.reason : null };
    return { ...noRestore({ needed: true, method: "none", incident, options, verdict }), lostWrites: loss.failoverLostWrites };
  }
  // The restore from the backups elsewhere, when one is possible: beside a failover, what it would have taken.
  const backups = options.find((o) => o.method !== "failover" && o.feasible) ?? null;
  const verdict: Verdict =
    best.method !== "failover"
      ? { kind: "cross-region-restore", region: loss.region, chosen: best }
      : best.reason.kind === "replica-not-promoted"
        ? { kind: "promote-by-hand", region: loss.region, chosen: best, backups }
        : { kind: "failover-handled", lostWrites: best.lostWrites, losses: input.ackedLosses, backupRestoreMs: backups ? (backups.restoreMs ?? 0) : null };
  return {
    needed: best.method !== "failover",
    method: best.method,
    incident,
    targetAtMs: best.targetAtMs,
    restoreMs: best.restoreMs,
    mergeMs: best.mergeMs,
    totalMs: best.totalMs,
    lostWrites: best.lostWrites,
    reconcileWrites: 0,
    extrapolated: false,
    options,
    drills: [],
    verdict,
    ackedLosses: input.ackedLosses,
    writesNotBack: input.writesNotBack,
  };
}

/**
 * The way back through a replica outside the region: the failover the run made, or, when nothing promoted the
 * replica that survived (a nofailover DR replica, or no candidate eligible), its promotion by a person after
 * the operator's delay, with the acknowledged writes it had not received lost either way.
 */
function failoverOption(loss: RegionLoss): RecoveryOption {
  const byHand = !loss.failedOver && loss.survivor !== null;
  return {
    method: "failover",
    feasible: loss.failedOver || byHand,
    reason: loss.failedOver
      ? { kind: "replica-promoted" }
      : byHand
        ? { kind: "replica-not-promoted", node: loss.survivor!.node, nofailover: loss.survivor!.nofailover, operatorDelayMs: loss.operatorDelayMs, down: loss.survivor!.down }
        : { kind: "no-replica-elsewhere" },
    targetAtMs: loss.atMs,
    restoreMs: null,
    mergeMs: null,
    totalMs: byHand ? loss.operatorDelayMs : null,
    lostWrites: loss.failoverLostWrites,
    reconcileWrites: 0,
    rpoMs: null,
  };
}

/**
 * A restore in another region from the base backup and the archived WAL, when a WAL archive exists at all; and,
 * when the archive went with the region but a copy of a base backup did not, that base backup restored alone.
 */
function crossRegionOptions(input: RecoveryInput, loss: RegionLoss): RecoveryOption[] {
  const pitr = crossRegionPitr(input, loss);
  const alone = pitr !== null && pitr.reason.kind === "archive-region-lost" ? baseBackupAlone(input, loss) : null;
  return [...(pitr ? [pitr] : []), ...(alone ? [alone] : [])];
}

/**
 * The archive is gone with the region, but a base backup was copied out: restoring it brings the data back as it was
 * when the backup was taken, and everything written since is lost (there is no WAL to replay onto it).
 */
function baseBackupAlone(input: RecoveryInput, loss: RegionLoss): RecoveryOption | null {
  const backups = input.backups;
  const base = backups?.baseBackups ?? null;
  if (!backups || base === null || !baseSurvives(input, base, loss.atMs + 1)) return null;
  const taken = new Schedule(base.everyMs, base.retainMs, input.phases.base).newestBefore(loss.atMs, loss.atMs);
  if (taken === null) return null;
  const restoreMs = restoreTime(backups, 0);
  return {
    method: "base-backup",
    feasible: true,
    reason: { kind: "restore-base-backup-elsewhere", baseBackupAtMs: taken, ageMs: loss.atMs - taken },
    targetAtMs: taken,
    restoreMs,
    mergeMs: 0,
    totalMs: restoreMs,
    lostWrites: Math.max(0, input.classWrites("*", Math.max(0, taken), loss.atMs)),
    reconcileWrites: 0,
    rpoMs: loss.atMs - taken,
  };
}

/** A restore in another region from the base backup and the archived WAL, when a WAL archive exists at all. */
function crossRegionPitr(input: RecoveryInput, loss: RegionLoss): RecoveryOption | null {
  const backups = input.backups;
  if (!backups || backups.walArchive.mode === "none") return null;
  const archive = archiveOf(input, backups);
  const archivedUntil = archive.archivedUntil(loss.atMs);
  const base = backups.baseBackups ? new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base).newestBefore(archivedUntil, loss.atMs) : null;
  // The first obstacle: the archive's region lost, no base backups at all, every copy of them lost (their own
  // region and copy_to), or none retained that is older than what the archive holds. The archive alone has
  // nothing to replay onto.
  const blocked: PitrReason | null = !archive.availableAt(loss.atMs + 1)
    ? backups.baseBackups !== null && baseSurvives(input, backups.baseBackups, loss.atMs + 1)
      ? { kind: "archive-region-lost" }
      : { kind: "backups-in-lost-region", lost: backups.baseBackups === null ? "archive" : "both" }
    : backups.baseBackups === null
      ? { kind: "no-base-backup", configured: false }
      : !baseSurvives(input, backups.baseBackups, loss.atMs + 1)
        ? { kind: "backups-in-lost-region", lost: "base-backups", region: loss.region, archiveRegion: storedIn(input, backups.walArchive.region) }
        : base === null
          ? { kind: "no-base-backup", configured: true }
          : null;
  if (blocked !== null || base === null) {
    return { method: "pitr", feasible: false, reason: blocked ?? { kind: "no-base-backup", configured: true }, targetAtMs: null, restoreMs: null, mergeMs: null, totalMs: null, lostWrites: 0, reconcileWrites: 0, rpoMs: null };
  }
  // The replay stops at the first hole after the base backup (segments a primary never shipped while archiving failed), however much was archived after it.
  const { reachedAtMs: reached, gap } = archive.replayReach(base, archivedUntil);
  // Acknowledged writes of the run only: a restore point before the run start also misses what was written
  // before it, which the run never saw acknowledged (the report says how far back the point is).
  const lost = Math.max(0, input.classWrites("*", Math.max(0, reached), loss.atMs));
  const wal = input.wal.bytesAt(reached) - input.wal.bytesAt(base);
  const restoreMs = restoreTime(backups, wal);
  return {
    method: "pitr",
    feasible: true,
    reason: { kind: "cross-region-restore", archivedUntilMs: reached, archiveLagMs: loss.atMs - reached, walBytes: Math.max(0, wal), gap },
    targetAtMs: reached,
    restoreMs,
    // The restored cluster becomes production: there is nothing to merge back, and the restore is the whole way back.
    mergeMs: 0,
    totalMs: restoreMs,
    lostWrites: lost,
    reconcileWrites: 0,
    rpoMs: loss.atMs - reached,
  };
}
