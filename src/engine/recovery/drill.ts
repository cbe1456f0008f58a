// Restore drills: at each drill time, restore the newest base backup on a side
// cluster and replay the archive as far as it goes, then measure how far it
// got, how recent the restored copy is, and how long it took. A drill finds a
// broken archive (a hole, or WAL no longer arriving) before an incident does.
import { Schedule } from "../backups.js";
import { archiveOf, baseSurvives, restoreTime } from "./common.js";
import type { DrillResult, RecoveryInput } from "./types.js";

/** A restore drill at time t: restore the newest base backup, replay the archive as far as it goes, measure. */
export function restoreDrill(input: RecoveryInput, t: number): DrillResult {
  const backups = input.backups;
  if (!backups || !backups.baseBackups) return { atMs: t, ok: false, restoreMs: 0, reachedAtMs: -Infinity, outcome: "no-base-backups" };
  const base = new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base).newestBefore(t, t);
  if (base === null) return { atMs: t, ok: false, restoreMs: 0, reachedAtMs: -Infinity, outcome: "no-retained-base-backup" };
  // A drill restores from what survives: no copy of the base backups, or an archive whose region is gone, fails it.
  if (!baseSurvives(input, backups.baseBackups, t)) return { atMs: t, ok: false, restoreMs: 0, reachedAtMs: -Infinity, outcome: "backups-region-lost", lost: "base-backups" };
  const archive = archiveOf(input, backups);
  if (archive.enabled && !archive.availableAt(t)) {
    return { atMs: t, ok: false, restoreMs: restoreTime(backups, 0), reachedAtMs: base, outcome: "backups-region-lost", lost: "archive" };
  }
  const archivedUntil = archive.enabled ? archive.archivedUntil(t) : base;
  const { reachedAtMs: reached, gap } = archive.replayReach(base, archivedUntil);
  const restoreMs = restoreTime(backups, input.wal.bytesAt(reached) - input.wal.bytesAt(base));
  if (gap) return { atMs: t, ok: false, restoreMs, reachedAtMs: reached, outcome: "archive-gap", gap };
  // A drill job checks the restored copy is recent too (Barman's check fails when the newest archived WAL is older
  // than last_wal_maximum_age): a replay without a hole that stops long ago means the archive is not receiving WAL,
  // and a restore now would lose everything since. Recent enough: within the tightest RPO, or within two switch
  // intervals (the segment being filled, and one more for an irregular write rate) when the archive cannot do better.
  if (archive.enabled) {
    const ageMs = t - reached;
    const twoSwitches = 2 * archive.switchIntervalMs;
    const limitMs = Math.max(input.classRpoMs, twoSwitches);
    if (ageMs > limitMs) {
      const limitBy = input.classRpoMs >= twoSwitches ? "rpo" : "archive-interval";
      return { atMs: t, ok: false, restoreMs, reachedAtMs: reached, outcome: "stale-restore-point", baseBackupAtMs: base, ageMs, limitMs, limitBy, archiveFailing: archive.failing(t) };
    }
  }
  // Archiving failing at the drill, its newest point still recent enough: the drill passes, but says so. The WAL since
  // waits on the primary, so the restore point falls further behind until archiving works again.
  const archiveFailingSinceMs = archive.enabled ? archive.failingSince(t) : null;
  if (restoreMs <= input.classRtoMs) return { atMs: t, ok: true, restoreMs, reachedAtMs: reached, outcome: "passed", baseBackupAtMs: base, archiveFailingSinceMs };
  // The backups work: every write came back. That a restore takes longer than the tightest RTO is a fact to say
  // (failover, not a restore, has to meet it), not a failed drill, or no drill of a design with a failover RTO could pass.
  return { atMs: t, ok: true, restoreMs, reachedAtMs: reached, outcome: "over-rto", baseBackupAtMs: base, rtoMs: input.classRtoMs, archiveFailingSinceMs };
}
