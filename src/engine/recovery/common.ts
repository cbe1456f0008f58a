// Helpers every recovery plan shares: how long a restore takes, which regions
// (and the backups in them) are gone, and the shape of an outcome with no
// restore to run.
import type { ResolvedBackups } from "../../model/types.js";
import { Archive } from "../backups.js";
import type { Recovery, RecoveryInput } from "./types.js";

/** An outcome with no restore to run: nothing to target, time or reconcile. */
export function noRestore(r: Pick<Recovery, "needed" | "method" | "incident" | "verdict"> & Partial<Pick<Recovery, "options" | "drills" | "ackedLosses">>): Recovery {
  return { targetAtMs: null, restoreMs: null, mergeMs: null, totalMs: null, lostWrites: 0, reconcileWrites: 0, extrapolated: false, options: [], drills: [], ackedLosses: [], writesNotBack: [], ...r };
}

/** Restore time: copy the base backup, then replay the WAL from it to the target. */
export function restoreTime(backups: ResolvedBackups, walBytes: number): number {
  return (backups.restore.dataSizeBytes / backups.restore.throughputBytes) * 1000 + replayTime(backups, walBytes);
}

/** Replaying archived WAL (single-threaded, at the WAL replay rate). */
export function replayTime(backups: ResolvedBackups, walBytes: number): number {
  return (Math.max(0, walBytes) / backups.restore.walReplayBytes) * 1000;
}

/** Reloading a logical dump: pg_restore re-inserts the rows and rebuilds every index and constraint, at the logical rate. */
export function reloadTime(logical: NonNullable<ResolvedBackups["logical"]>, dumpBytes: number): number {
  return (Math.max(0, dumpBytes) / logical.restoreBytes) * 1000;
}

/** Extracting rows from the restored copy and merging them back into production: bytes written through SQL at the merge rate. */
export function mergeTime(backups: ResolvedBackups, bytes: number): number {
  return (Math.max(0, bytes) / backups.restore.mergeBytes) * 1000;
}

/** The region a backup or archive sits in: the one it names, else beside the data (RecoveryInput.dataRegion). */
export function storedIn(input: RecoveryInput, region: string | null): string {
  return region ?? input.dataRegion;
}

/** Whether a copy of the base backups survives at time `at`: in their own region, or in the one they are copied to. */
export function baseSurvives(input: RecoveryInput, baseBackups: NonNullable<ResolvedBackups["baseBackups"]>, at: number): boolean {
  return !regionLostBy(input, storedIn(input, baseBackups.region), at) || (baseBackups.copyTo !== null && !regionLostBy(input, baseBackups.copyTo, at));
}

export function regionLostBy(input: RecoveryInput, region: string | null, at: number): boolean {
  return region !== null && input.lostRegions.some((l) => l.region === region && l.atMs <= at);
}

/** When a region was lost (and whatever was stored in it), or null when it never was. */
export function lostAt(input: RecoveryInput, region: string | null): number | null {
  if (region === null) return null;
  const lost = input.lostRegions.find((l) => l.region === region);
  return lost ? lost.atMs : null;
}

/** The WAL archive of a run: its switches on each primary's clock, its holes, and whether its region survives. */
export function archiveOf(input: RecoveryInput, backups: ResolvedBackups): Archive {
  return new Archive(backups, input.wal, input.archiveFailures, lostAt(input, storedIn(input, backups.walArchive.region)), input.phases.archive, input.primaryTenures);
}
