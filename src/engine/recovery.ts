// Planning recovery from what the simulated history left behind. For damage
// replication cannot undo (a bad write every replica applied) or data it
// could not save (a lost region), the planner weighs every way back —
// point-in-time restore, the newest base backup, a logical dump, nothing —
// each with its data loss and restore time, and picks the best. Restore drills
// replay the same machinery on a side cluster and report what they find.
import type { ResolvedBackups } from "../model/types.js";
import { formatDuration, formatSize } from "../base/units.js";
import { Archive, Schedule, WalHistory, type Window } from "./backups.js";

export type RecoveryMethod = "failover" | "pitr" | "base-backup" | "logical-backup" | "none";

export interface RecoveryOption {
  method: RecoveryMethod;
  feasible: boolean;
  /** Why it is or is not possible, in words. */
  reason: string;
  targetAtMs: number | null;
  restoreMs: number | null;
  lostWrites: number;
  reconcileWrites: number;
  rpoMs: number | null;
}

export interface DrillResult {
  atMs: number;
  ok: boolean;
  restoreMs: number;
  reachedAtMs: number;
  detail: string;
}

export interface Recovery {
  needed: boolean;
  method: RecoveryMethod;
  incident: string;
  targetAtMs: number | null;
  restoreMs: number | null;
  lostWrites: number;
  reconcileWrites: number;
  /** True when the planning reached past the simulated run and used the workload's steady rate. */
  extrapolated: boolean;
  options: RecoveryOption[];
  drills: DrillResult[];
  summary: string;
}

export interface BadWrite {
  atMs: number;
  dataClass: string;
  classShare: number;
  statement: "update-all" | "delete" | "drop";
  rows: number;
  noticedAtMs: number;
  blockedByGuard: boolean;
  /** How long until every replica had applied it (ms), or null when none did. */
  replicatedInMs: number | null;
}

export interface RegionLoss {
  region: string;
  atMs: number;
  /** Acknowledged writes the failover lost (measured by the engine), and whether a failover restored service. */
  failoverLostWrites: number;
  failedOver: boolean;
  leaderRegionLost: boolean;
}

export interface RecoveryInput {
  backups: ResolvedBackups | null;
  wal: WalHistory;
  /** Writes per ms of one class (for counting writes in a window, extrapolated where the run did not reach). */
  classWrites: (dataClass: string, fromMs: number, toMs: number) => number;
  archiveFailures: Window[];
  lostRegions: { region: string; atMs: number }[];
  phases: { base: number; logical: number };
  badWrites: BadWrite[];
  regionLosses: RegionLoss[];
  drillTimes: number[];
  durationMs: number;
  classRtoMs: number;
}

export function planRecovery(input: RecoveryInput): Recovery {
  const drills = input.drillTimes.map((t) => restoreDrill(input, t));
  const bad = input.badWrites[0];
  if (bad) return withDrills(planBadWrite(input, bad), drills);
  const loss = input.regionLosses.find((l) => l.leaderRegionLost);
  if (loss) return withDrills(planRegionLoss(input, loss), drills);
  return noRestore({
    needed: false,
    method: "failover",
    incident: "none that damaged data",
    drills,
    summary:
      drills.length === 0
        ? "Replication handled this run: no data was damaged, so no backup was needed."
        : `No data was damaged in this run. ${drills.some((d) => !d.ok) ? "The restore drill found a problem before an incident did — that is what drills are for." : "The restore drill shows the backups work and how long a restore takes."}`,
  });
}

/** An outcome with no restore to run: nothing to target, time or reconcile. */
function noRestore(r: Pick<Recovery, "needed" | "method" | "incident" | "summary"> & Partial<Pick<Recovery, "options" | "drills">>): Recovery {
  return { targetAtMs: null, restoreMs: null, lostWrites: 0, reconcileWrites: 0, extrapolated: false, options: [], drills: [], ...r };
}

function withDrills(recovery: Recovery, drills: DrillResult[]): Recovery {
  return { ...recovery, drills };
}

/** Restore time: copy the base backup, then replay the WAL from it to the target. */
function restoreTime(backups: ResolvedBackups, walBytes: number, dataBytes = backups.restore.dataSizeBytes): number {
  return (dataBytes / backups.restore.throughputBytes) * 1000 + (Math.max(0, walBytes) / backups.restore.walReplayBytes) * 1000;
}

function regionLostBy(input: RecoveryInput, region: string | null, at: number): boolean {
  return region !== null && input.lostRegions.some((l) => l.region === region && l.atMs <= at);
}

function planBadWrite(input: RecoveryInput, bad: BadWrite): Recovery {
  const verb = bad.statement === "update-all" ? "UPDATE without WHERE" : bad.statement === "delete" ? "buggy DELETE" : "DROP TABLE";
  const incident = `${verb} on ${bad.dataClass} at ${formatDuration(bad.atMs)} (${Math.round(bad.rows * 100)}% of its rows), noticed ${formatDuration(bad.noticedAtMs - bad.atMs)} later`;
  if (bad.blockedByGuard) {
    return noRestore({ needed: false, method: "none", incident, summary: `The guard refused the ${verb}: nothing was damaged, nothing to recover. Prevention beat every backup.` });
  }
  const backups = input.backups;
  const P = bad.noticedAtMs;
  const T = bad.atMs;
  const extrapolated = P > input.durationMs;
  // The damaged rows: the bad statement's share of the class.
  const damaged = (from: number, to: number) => Math.round(input.classWrites(bad.dataClass, from, to) * bad.rows);
  const afterT = damaged(T, P);
  const options: RecoveryOption[] = [];
  const target = T - 1;

  if (!backups) {
    options.push({ method: "none", feasible: true, reason: `there are no backups of any kind: every damaged row is gone (at least ${damaged(0, T).toLocaleString("en-US")} writes of this run)`, targetAtMs: null, restoreMs: null, lostWrites: damaged(0, T), reconcileWrites: 0, rpoMs: null });
  } else {
    const archive = new Archive(backups, input.wal, input.archiveFailures, lostAt(input, backups.walArchive.region));
    const base = backups.baseBackups ? new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base) : null;
    const baseUsable = (b: number | null) =>
      b !== null && backups.baseBackups !== null && !(regionLostBy(input, backups.baseBackups.region, P) && (backups.baseBackups.copyTo === null || regionLostBy(input, backups.baseBackups.copyTo, P)));

    // 1. PITR to just before T on a side instance, then forward-merge.
    {
      const from = base?.newestBefore(target, P) ?? null;
      let reason: string;
      let feasible = false;
      if (!archive.enabled) reason = "no WAL archive";
      else if (!archive.availableAt(P)) reason = "the archive's region is gone";
      else if (P - target > backups.pitrWindowMs) reason = `${formatDuration(P - T)} ago is outside the ${formatDuration(backups.pitrWindowMs)} PITR window`;
      else if (!baseUsable(from)) reason = "no retained base backup to start the replay from";
      else {
        const hole = archive.holeBetween(from!, target);
        if (hole) reason = `the archive has a gap (${formatDuration(hole.startMs)}–${formatDuration(hole.endMs)}) between the base backup and the target`;
        else if (archive.archivedUntil(P) < target) reason = "the archive has not caught up to the target yet";
        else {
          feasible = true;
          reason = `replay the archive from the base backup of ${formatDuration(from!)} to just before the bad write`;
        }
      }
      const wal = from !== null ? input.wal.bytesAt(target) - input.wal.bytesAt(from) : 0;
      options.push({
        method: "pitr",
        feasible,
        reason,
        targetAtMs: target,
        restoreMs: feasible ? restoreTime(backups, wal) : null,
        lostWrites: 0,
        reconcileWrites: feasible ? afterT : 0,
        rpoMs: feasible ? 0 : null,
      });
    }

    // 2. The newest base backup older than T (writes between it and T are lost unless the audit log replays them).
    if (base) {
      const b = base.newestBefore(target, P);
      const usable = baseUsable(b);
      const between = usable ? damaged(b!, T) : 0;
      options.push({
        method: "base-backup",
        feasible: usable,
        reason: usable
          ? `restore the snapshot of ${formatDuration(b!)} (${formatDuration(T - b!)} before the bad write)${backups.auditLog ? "; the audit log replays the writes made since" : ""}`
          : b === null
            ? `no base backup older than the bad write is still retained (${formatDuration(backups.baseBackups!.retainMs)} retention)`
            : "the base backups' region is gone",
        targetAtMs: usable ? b : null,
        restoreMs: usable ? restoreTime(backups, 0) : null,
        lostWrites: usable && !backups.auditLog ? between : 0,
        reconcileWrites: usable ? afterT + (backups.auditLog ? between : 0) : 0,
        rpoMs: usable ? (backups.auditLog ? 0 : T - b!) : null,
      });
    }

    // 3. A logical dump of the class: one table, restored quickly, reaching past the PITR window.
    if (backups.logical && backups.logical.classes.includes(bad.dataClass)) {
      const dumps = new Schedule(backups.logical.everyMs, backups.logical.retainMs, input.phases.logical);
      const d = dumps.newestBefore(target, P);
      const between = d !== null ? damaged(d, T) : 0;
      options.push({
        method: "logical-backup",
        feasible: d !== null,
        reason: d !== null ? `reload ${bad.dataClass} from its logical dump of ${formatDuration(d)}` : `no logical dump older than the bad write is retained (${formatDuration(backups.logical.retainMs)})`,
        targetAtMs: d,
        restoreMs: d !== null ? restoreTime(backups, 0, backups.restore.dataSizeBytes * bad.classShare) : null,
        lostWrites: d !== null && !backups.auditLog ? between : 0,
        reconcileWrites: d !== null ? afterT + (backups.auditLog ? between : 0) : 0,
        rpoMs: d !== null ? (backups.auditLog ? 0 : T - d) : null,
      });
    }
    options.push({ method: "none", feasible: true, reason: `give up: every damaged row is gone (at least ${damaged(0, T).toLocaleString("en-US")} writes of this run)`, targetAtMs: null, restoreMs: null, lostWrites: damaged(0, T), reconcileWrites: 0, rpoMs: null });
  }

  // Giving up is the last resort; otherwise the least data lost, then the least to reconcile, then the fastest restore.
  const ranked = options
    .filter((o) => o.feasible && o.method !== "none")
    .sort((a, b) => a.lostWrites - b.lostWrites || a.reconcileWrites - b.reconcileWrites || (a.restoreMs ?? Infinity) - (b.restoreMs ?? Infinity));
  const best = ranked[0] ?? options[options.length - 1];
  const replicated = bad.replicatedInMs !== null ? `It reached every replica within ${formatDuration(bad.replicatedInMs)} — replication copied the damage faithfully and cannot undo it.` : "";
  const summary =
    best.method === "none"
      ? `${replicated} No backup covers it: the damaged rows of ${bad.dataClass} are unrecoverable (${best.lostWrites.toLocaleString("en-US")} writes' worth of data). Only backups could have saved this data, and none that survived reaches back far enough.`
      : `${replicated} Only the backups save the data: ${describeOption(best)}.`;
  return {
    needed: true,
    method: best.method,
    incident,
    targetAtMs: best.targetAtMs,
    restoreMs: best.restoreMs,
    lostWrites: best.lostWrites,
    reconcileWrites: best.reconcileWrites,
    extrapolated,
    options,
    drills: [],
    summary: summary.trim(),
  };
}

function describeOption(o: RecoveryOption): string {
  const time = o.restoreMs !== null ? `restore takes ${formatDuration(o.restoreMs)}` : "";
  const loss = o.lostWrites > 0 ? `, ${o.lostWrites.toLocaleString("en-US")} writes to the damaged rows are lost` : ", nothing is lost";
  const merge = o.reconcileWrites > 0 ? `, then ${o.reconcileWrites.toLocaleString("en-US")} later writes must be reconciled` : "";
  const how = o.method === "pitr" ? "point-in-time restore to just before the bad write on a side instance" : o.method === "base-backup" ? "restore the newest snapshot older than the bad write" : "reload the table from its logical dump";
  return `${how} (${o.reason}); ${time}${loss}${merge}`;
}

function lostAt(input: RecoveryInput, region: string | null): number | null {
  if (region === null) return null;
  const lost = input.lostRegions.find((l) => l.region === region);
  return lost ? lost.atMs : null;
}

function planRegionLoss(input: RecoveryInput, loss: RegionLoss): Recovery {
  const backups = input.backups;
  const options: RecoveryOption[] = [];
  const incident = `region ${loss.region} lost at ${formatDuration(loss.atMs)}`;
  options.push({
    method: "failover",
    feasible: loss.failedOver,
    reason: loss.failedOver ? "a replica in another region was promoted" : "no replica outside the lost region could be promoted",
    targetAtMs: loss.atMs,
    restoreMs: null,
    lostWrites: loss.failoverLostWrites,
    reconcileWrites: 0,
    rpoMs: null,
  });
  if (backups && backups.walArchive.mode !== "none") {
    const archive = new Archive(backups, input.wal, input.archiveFailures, lostAt(input, backups.walArchive.region));
    const ok = archive.availableAt(loss.atMs + 1) && backups.baseBackups !== null && !regionLostBy(input, backups.baseBackups.region, loss.atMs + 1);
    const archivedUntil = archive.archivedUntil(loss.atMs);
    const base = backups.baseBackups ? new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base).newestBefore(archivedUntil, loss.atMs) : null;
    const lost = ok ? Math.max(0, input.classWrites("*", archivedUntil, loss.atMs)) : 0;
    const wal = base !== null ? input.wal.bytesAt(archivedUntil) - input.wal.bytesAt(base) : 0;
    options.push({
      method: "pitr",
      feasible: ok && base !== null,
      reason: ok
        ? `restore in another region from the base backup plus archived WAL up to ${formatDuration(archivedUntil)} (archive lag ${formatDuration(loss.atMs - archivedUntil)}; ${formatSize(Math.max(0, wal))} of WAL to replay)`
        : "the archive or the base backups were in the lost region",
      targetAtMs: archivedUntil,
      restoreMs: ok && base !== null ? restoreTime(backups, wal) : null,
      lostWrites: lost,
      reconcileWrites: 0,
      rpoMs: ok ? loss.atMs - archivedUntil : null,
    });
  }
  const feasible = options.filter((o) => o.feasible);
  const best = feasible.find((o) => o.method === "failover") ?? feasible[0];
  if (best === undefined) {
    return noRestore({
      needed: true,
      method: "none",
      incident,
      options,
      summary: `Nothing outside ${loss.region} can bring the data back: no replica elsewhere and no backup elsewhere. The data is unrecoverable.`,
    });
  }
  const summary =
    best.method === "failover"
      ? `Replication handled the region loss: a replica in another region took over${best.lostWrites > 0 ? `, losing ${best.lostWrites} acknowledged writes that had not crossed the region boundary (asynchronous replication: RPO > 0)` : " with no loss"}. The cross-region backups were not needed${options[1]?.feasible ? ` (restoring from them would have taken ${formatDuration(options[1].restoreMs ?? 0)})` : ""}.`
      : `No replica survived outside ${loss.region}: only the cross-region backups save the data — ${best.reason}; restore takes ${formatDuration(best.restoreMs ?? 0)}.`;
  return {
    needed: best.method !== "failover",
    method: best.method,
    incident,
    targetAtMs: best.targetAtMs,
    restoreMs: best.restoreMs,
    lostWrites: best.lostWrites,
    reconcileWrites: 0,
    extrapolated: false,
    options,
    drills: [],
    summary,
  };
}

/** A restore drill at time t: restore the newest base backup, replay the archive as far as it goes, measure. */
function restoreDrill(input: RecoveryInput, t: number): DrillResult {
  const backups = input.backups;
  if (!backups || !backups.baseBackups) {
    return { atMs: t, ok: false, restoreMs: 0, reachedAtMs: -Infinity, detail: "nothing to restore: no base backups are configured" };
  }
  const base = new Schedule(backups.baseBackups.everyMs, backups.baseBackups.retainMs, input.phases.base).newestBefore(t, t);
  if (base === null) return { atMs: t, ok: false, restoreMs: 0, reachedAtMs: -Infinity, detail: "no retained base backup" };
  const archive = new Archive(backups, input.wal, input.archiveFailures, lostAt(input, backups.walArchive.region));
  const archivedUntil = archive.availableAt(t) ? archive.archivedUntil(t) : base;
  const hole = archive.holeBetween(base, archivedUntil);
  const reached = hole ? hole.startMs : archivedUntil;
  const restoreMs = restoreTime(backups, input.wal.bytesAt(reached) - input.wal.bytesAt(base));
  const meetsRto = restoreMs <= input.classRtoMs;
  if (hole) {
    return {
      atMs: t,
      ok: false,
      restoreMs,
      reachedAtMs: reached,
      detail: `drill FAILED: the archive has a gap from ${formatDuration(hole.startMs)} to ${formatDuration(hole.endMs)} — replay stops at the gap, so a restore today would lose everything after it (${formatDuration(t - reached)}); fix the archiving and take a new base backup. Restore took ${formatDuration(restoreMs)}.`,
    };
  }
  return {
    atMs: t,
    ok: meetsRto,
    restoreMs,
    reachedAtMs: reached,
    detail: `drill passed: restored the base backup of ${formatDuration(base)} and replayed the archive to ${formatDuration(reached)} in ${formatDuration(restoreMs)}${meetsRto ? ", within the tightest RTO" : `, which is over the tightest RTO of ${formatDuration(input.classRtoMs)} — a restore alone cannot meet it`}.`,
  };
}
