// The words of the recovery planner. The engine records the incident, each
// option's reason, each restore drill's outcome and the verdict as data (with
// their times, windows and write counts); this is the one place that says them
// in English, for the text, markdown and JSON reports alike. Each switch is
// exhaustive, so a new kind of fact fails to compile until it has its words.
// The words of the run's system (vocabulary.ts) name its log, its archive and
// what becomes of the writes a failover left on the old leader; without one,
// they are PostgreSQL's.
import type { AckedLoss, DrillResult, DrillsVerdict, GiveUpReason, Incident, LogicalReason, OptionReason, OtherBadWrite, Recovery, RecoveryOption, SnapshotReason, Verdict } from "../../engine/recovery.js";
import type { Window } from "../../engine/backups.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatClock, formatCount } from "../common/format.js";
import { POSTGRES_WORDS, type Vocabulary } from "./vocabulary.js";

/** A count as every report prints it: the shared formatter, thousands separators and all. */
const count = formatCount;

/**
 * How long a restore, a merge or a whole recovery takes: the reports' short form below an hour ("45.7m"), hours
 * and minutes above it ("1h03m"), where a tenth of an hour would hide minutes that decide an RTO of "1h".
 */
export function restoreDuration(ms: number): string {
  if (ms < 3_600_000 || ms >= 2 * 86_400_000) return formatDuration(ms);
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * An instant on the run's clock (0 is the run's start; backups and archive segments may come before it), read
 * like a timeline's: a gap that ends at 6h01m must not read "6h" (the one-unit short style rounds it away).
 */
export const runClock = (ms: number) => (ms < 0 ? `${formatClock(-ms)} before the run` : formatClock(ms));


/** What happened, as the report's "incident:" line says it. */
export function incidentText(incident: Incident, v: Vocabulary = POSTGRES_WORDS): string {
  switch (incident.kind) {
    case "none":
      return "none that damaged data";
    case "acked-writes-lost":
      return `no data damaged, but ${count(incident.lostWrites)} acknowledged ${incident.lostWrites === 1 ? "write" : "writes"} lost`;
    case "region-lost":
      return `${incident.region.includes("/") ? "zone" : "region"} ${incident.region} lost at ${runClock(incident.atMs)}`;
    case "bad-write":
      return `${v.statements[incident.statement]} on ${incident.dataClass} at ${runClock(incident.atMs)} (${incident.statement === "drop" ? "the whole table" : `${Math.round(incident.rowsShare * 100)}% of its rows`}), ${incident.noticedAtMs > incident.atMs ? `noticed ${formatDuration(incident.noticedAtMs - incident.atMs)} later` : "noticed at once"}`;
  }
}

/** Who took over after a region loss: a Raft group elects a member leader, MongoDB a secondary primary, PostgreSQL promotes a replica. */
function tookOverText(v: Vocabulary): string {
  if (v.family === "raft") return "a member in another region was elected leader";
  if (v.family === "mongodb") return "a secondary in another region was elected primary";
  return `a ${v.replica} in another region was promoted`;
}

/** Why an option is or is not possible: the "why" column of the options table, in the words of the run's system. */
export function optionReasonText(reason: OptionReason, v: Vocabulary = POSTGRES_WORDS): string {
  switch (reason.kind) {
    case "replica-promoted":
      return tookOverText(v);
    case "no-replica-elsewhere":
      return `no ${v.replica} outside the lost region could be ${promotedText(v)}`;
    case "replica-not-promoted":
      return reason.down
        ? `${reason.node} survives outside the lost region, down but with its disk: a person can start it again and promote it, about ${formatDuration(reason.operatorDelayMs)} after the page (the operator's delay)`
        : `${reason.node} survives outside the lost region, but nothing promoted it (${reason.nofailover ? "it is nofailover" : "no candidate was eligible"}): a person can, about ${formatDuration(reason.operatorDelayMs)} after the page (the operator's delay)`;
    case "no-archive":
      return `no ${v.archive}`;
    case "archive-region-lost":
      return "the archive's region is gone";
    case "outside-pitr-window": {
      const [ago, window] = compared(reason.agoMs, reason.windowMs);
      if (reason.limitedBy === "base-retention")
        return `${ago} ago is before the oldest base backup still kept (taken ${window} before the damage was noticed; ${formatDuration(reason.retainMs ?? 0)} retention): the ${v.log} before it expired with the older backups, so point-in-time restore reaches back only ${window} of the ${formatDuration(reason.pitrWindowMs)} PITR window`;
      return `${ago} ago is outside the ${window} PITR window`;
    }
    case "no-base-backup":
      return reason.configured ? "no retained base backup to start the replay from" : `no base backups are configured: the ${v.archive} has nothing to replay onto`;
    case "archive-gap":
      return `the archive has a gap (${runClock(reason.gap.startMs)}–${runClock(reason.gap.endMs)}) between the base backup and the target`;
    case "replay-to-gap":
      return `replay the archive from the base backup taken ${formatDuration(reason.beforeBadWriteMs)} before the bad write up to ${upToGapText(reason.reachedAtMs, reason.gap, v)})`;
    case "archive-behind":
      return `the archive does not have the ${v.log} up to the target, and ${reason.cause === "no-switch" ? "no segment switch is coming to ship it (no archive_timeout)" : reason.cause === "archiving-fails" ? "archiving fails until the end of the run, so nothing ships it" : "the archive's region is lost before it ships"}`;
    case "replay-archive":
      return `replay the archive from the base backup taken ${formatDuration(reason.beforeBadWriteMs)} before the bad write to just before it${reason.archiveWaitMs > 0 ? `, once ${reason.waitsFor === "archiving-restored" ? `archiving works again and the ${v.leader} ships the ${v.log} it held back meanwhile` : `the archive's next switch ships that ${v.log}`} (${archiveWaitText(reason.archiveWaitMs, reason.addedMs)})` : ""}`;
    case "cross-region-restore":
      if (reason.gap !== null)
        return `restore in another region from the base backup plus archived ${v.log} up to ${upToGapText(reason.archivedUntilMs, reason.gap, v)}; ${formatDuration(reason.archiveLagMs)} before the loss; ${formatSize(reason.walBytes)} of ${v.log} to replay)`;
      return `restore in another region from the base backup plus archived ${v.log} up to ${runClock(reason.archivedUntilMs)} (archive lag ${formatDuration(reason.archiveLagMs)}; ${formatSize(reason.walBytes)} of ${v.log} to replay)`;
    case "backups-in-lost-region":
      if (reason.lost === "base-backups") return `every copy of the base backups was in ${reason.region}: the ${v.archive} in ${reason.archiveRegion} has nothing to replay onto`;
      return reason.lost === "archive" ? `the ${v.archive} was in the lost region, and no base backups are configured` : `the ${v.archive} and the base backups were in the lost region`;
    default:
      return backupReasonText(reason, v);
  }
}

/** Where a replay stops at a hole in the archive, its closing parenthesis left to the caller: "5m, where its gap begins (the WAL from 5m to 6h05m is missing". */
function upToGapText(reachedAtMs: number, gap: Window, v: Vocabulary): string {
  return `${runClock(reachedAtMs)}, where its gap begins (the ${v.log} from ${runClock(gap.startMs)} to ${runClock(gap.endMs)} is missing`;
}

/** The reasons of the snapshot, logical-dump and give-up options. */
function backupReasonText(reason: SnapshotReason | LogicalReason | GiveUpReason, v: Vocabulary): string {
  switch (reason.kind) {
    case "restore-snapshot":
      return `restore the snapshot taken ${formatDuration(reason.beforeBadWriteMs)} before the bad write${reason.auditLog ? "; the audit log replays the writes made since" : ""}`;
    case "no-retained-snapshot":
      return `no base backup older than the bad write is still retained (${formatDuration(reason.retainMs)} retention)`;
    case "snapshot-region-lost":
      return "the base backups' region is gone";
    case "restore-base-backup-elsewhere":
      return `restore the copy of the base backup taken at ${runClock(reason.baseBackupAtMs)} (${formatDuration(reason.ageMs)} before the loss) alone: the ${v.archive} went with the region, so no ${v.log} can be replayed onto it`;
    case "reload-dump":
      return `reload ${reason.dataClass} from its logical dump taken ${formatDuration(reason.beforeBadWriteMs)} before the bad write: ${v.dumpReload} re-inserts its ${formatSize(reason.tableBytes)} ${v.row} by ${v.row} and rebuilds every index, at ${formatSize(reason.restoreBytesPerSecond)}/s`;
    case "no-retained-dump":
      return `no logical dump older than the bad write is retained (${formatDuration(reason.retainMs)})`;
    case "no-backups":
      return `there are no backups of any kind: every damaged row is gone (at least ${count(reason.lostWrites)} writes of this run)`;
    case "give-up":
      if (reason.since === "run-start") return `give up: no restore is possible, every damaged row is gone (at least the ${count(reason.lostWrites)} writes to them in this run)`;
      return `give up: every damaged row is gone, with at least the ${count(reason.lostWrites)} writes to them since the oldest restore point`;
  }
}

/**
 * An option's lost writes for the options table: giving up loses every damaged row whole, so its count is a
 * floor ("≥ 31,191"), never a figure to rank beside a restore's; an impossible option has none ("–").
 */
export function lostWritesCell(o: RecoveryOption): string {
  // An option that cannot be taken loses nothing because it restores nothing: "0" would read "nothing lost".
  if (!o.feasible) return "–";
  const n = o.lostWrites.toLocaleString("en-US");
  return o.method === "none" && o.reason.kind === "give-up" ? `≥ ${n}` : n;
}

/** An option's writes to reconcile for the options table: none to speak of when the option cannot be taken ("–", as its times). */
export function reconcileCell(o: RecoveryOption): string {
  return o.feasible ? o.reconcileWrites.toLocaleString("en-US") : "–";
}

/**
 * How long an option takes, said the same way for every option that restores something: the restore, the merge
 * of the damaged rows back into production when there is one, and the total.
 */
export function timeText(o: Pick<RecoveryOption, "restoreMs" | "mergeMs" | "totalMs">): string {
  if (o.restoreMs === null || o.totalMs === null) return "";
  if (!o.mergeMs) return `restore takes ${restoreDuration(o.totalMs)} in total (the restored copy becomes production: nothing to merge back)`;
  return `restore takes ${restoreDuration(o.restoreMs)}, then merging the damaged rows back into production ${restoreDuration(o.mergeMs)}: ${restoreDuration(o.totalMs)} in total`;
}

/** The chosen restore after a bad write, with its times, its loss and what is left to reconcile. */
function chosenRestoreText(o: RecoveryOption, v: Vocabulary): string {
  const loss = o.lostWrites > 0 ? `${count(o.lostWrites)} writes to the damaged rows are lost` : "nothing is lost";
  const merge = o.reconcileWrites > 0 ? `, and the merge must reconcile ${count(o.reconcileWrites)} later writes` : "";
  const how =
    o.method === "pitr" ? (o.reason.kind === "replay-to-gap" ? "point-in-time restore on a side instance, as far as the archive reaches" : "point-in-time restore to just before the bad write on a side instance") : o.method === "base-backup" ? "restore the newest snapshot older than the bad write" : "reload the table from its logical dump";
  return `${how} (${optionReasonText(o.reason, v)}); ${timeText(o)}; ${loss}${merge}`;
}

/** The quicker option the plan passed over, and what it would have cost: the comparison the options table shows, in a sentence. */
function quickerText(chosen: RecoveryOption, quicker: RecoveryOption | null): string {
  if (quicker === null || quicker.totalMs === null) return "";
  // Sooner by less than the figures show is not sooner: "sooner (51.2m)" beside "51.2m in total" contradicts itself.
  if (chosen.totalMs !== null && restoreDuration(quicker.totalMs) === restoreDuration(chosen.totalMs)) return "";
  const name = quicker.method === "pitr" ? "A point-in-time restore" : quicker.method === "base-backup" ? "The snapshot" : "The logical dump";
  const cost =
    quicker.lostWrites > chosen.lostWrites
      ? `loses ${count(quicker.lostWrites)} writes to the damaged rows`
      : `leaves ${count(quicker.reconcileWrites)} writes to reconcile`;
  return ` ${name} would be back sooner (${restoreDuration(quicker.totalMs)} in total) but ${cost}.`;
}

/** How fast the bad write reached every replica, when it did: the reason replication cannot help. */
function replicatedText(replicatedInMs: number | null): string {
  return replicatedInMs !== null ? `It reached every replica within ${formatDuration(replicatedInMs)} — replication copied the damage faithfully and cannot undo it.` : "";
}

/** Writes last-writer-wins would overwrite once the writes still queued at the end of the run arrive: projected, and said so. */
export function projectedLossText(r: Recovery): string {
  const n = r.projectedLostWrites ?? 0;
  if (n === 0) return "";
  return `Projected: the run ended with writes still queued between leaders; once they arrive, ${count(n)} more acknowledged ${n === 1 ? "write" : "writes"} would be silently overwritten by concurrent writes (last-writer-wins). Not counted as lost: within the run nothing had overwritten them.`;
}

/** The damage was noticed after the simulated run ended: the figures past its end come from the steady rate, and say so. */
export function extrapolatedText(r: Recovery): string {
  return r.extrapolated ? "(Noticed after the simulated run ends: writes after it are extrapolated at the workload's steady rate.)" : "";
}

const writes = (n: number) => `${count(n)} ${n === 1 ? "write" : "writes"}`;

/** "a WAL archive", "an oplog archive". */
const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;

/** How a replica came to lead: MongoDB's members elect a primary, the others promote one. */
const promotedText = (v: Vocabulary) => (v.family === "mongodb" ? "elected primary" : "promoted");

/** What a class that commits locally does not wait for, and its commit level, in the words of the run's system. */
function unwaitedText(v: Vocabulary): string {
  if (v.family === "mongodb") return "a majority (commit: off or local, as w: 1 writes do)";
  if (v.family === "mysql") return "a semi-sync replica's acknowledgement (commit: off or local)";
  return "the synchronous standbys (commit: off or local)";
}

/** How the old leader came to commit alone before the failover, in the words of the run's system. */
function fellBackText(v: Vocabulary): string {
  if (v.family === "mongodb") return "after too few secondaries were left for a majority and it fell back to acknowledging writes alone (non-strict)";
  if (v.family === "mysql") return "after rpl_semi_sync_source_timeout switched semi-sync off and it committed asynchronously";
  return "after its synchronous standbys were gone and it fell back to asynchronous commits (non-strict synchronous replication)";
}

/** How many acknowledged writes one cause lost and how, as a clause ("1,009 writes acknowledged by db-a never reached db-b …"). */
export function ackedLossText(l: AckedLoss, v: Vocabulary = POSTGRES_WORDS): string {
  switch (l.cause) {
    case "async-failover":
      if (v.family === "mongodb") {
        const rolledBack = l.oldLeaderLost ? "" : `: ${l.lostWrites === 1 ? "it is" : "they are"} rolled back`;
        return `${writes(l.lostWrites)} acknowledged by ${l.oldLeader} with w: 1 (without waiting for a majority) never reached ${l.newLeader} before it was ${promotedText(v)}${rolledBack}`;
      }
      return `${writes(l.lostWrites)} acknowledged by ${l.oldLeader} never reached ${l.newLeader} before it was ${promotedText(v)} (asynchronous failover)`;
    case "local-commit":
      return `${writes(l.lostWrites)} of classes that commit without waiting for ${unwaitedText(v)} ${l.lostWrites === 1 ? "was" : "were"} acknowledged by ${l.oldLeader} and never reached ${l.newLeader} before it was ${promotedText(v)} (the class's own commit level, not the failover)`;
    case "sync-fallback":
      return `${writes(l.lostWrites)} acknowledged by ${l.oldLeader} ${fellBackText(v)} never reached ${l.newLeader}`;
    case "lagging-promoted":
      return `${writes(l.lostWrites)} acknowledged by ${l.oldLeader} ${l.lostWrites === 1 ? "was" : "were"} not on ${l.newLeader}, a lagging ${v.replica} ${promotedText(v)} by policy (lagging_candidates: promote)`;
    case "split-brain":
      return `${writes(l.lostWrites)} acknowledged by ${l.oldLeader || `the old ${v.leader}`} during ${formatDuration(l.splitBrainMs)} of split brain (no fencing stopped it) ${l.lostWrites === 1 ? "was" : "were"} discarded when it rejoined`;
    case "lww-conflict":
      if (l.between === "leaders") return `${writes(l.lostWrites)} ${l.lostWrites === 1 ? "was" : "were"} silently overwritten by a concurrent write to the same key on another leader (last-writer-wins conflict)`;
      {
        const them = l.lostWrites === 1 ? "it" : "them";
        return `${writes(l.lostWrites)} ${l.lostWrites === 1 ? "was" : "were"} silently overwritten by a write to the same key that had not seen ${them} but carried a later timestamp (last-writer-wins: a concurrent write${l.clockAhead ? `, or one made before ${them} by a coordinator whose clock runs ahead` : ""})`;
      }
    case "region-unreplicated":
      return `${writes(l.lostWrites)} acknowledged by ${l.node} had not reached another region when its region was lost`;
    case "archive-lag":
      if (l.gap !== null)
        return `${writes(l.lostWrites)} acknowledged in the run lie beyond the gap in the ${v.archive} when ${l.region} was lost (the ${v.log} from ${runClock(l.gap.startMs)} to ${runClock(l.gap.endMs)} never reached it: archiving was failing, and the primary that held it stopped leading before it worked again; the replay stops at ${runClock(l.gap.startMs)}, ${formatDuration(l.archiveLagMs)} before the loss)`;
      return `${writes(l.lostWrites)} acknowledged in the run had not reached the ${v.archive} when ${l.region} was lost (the archive ${formatDuration(l.archiveLagMs)} behind)`;
    case "base-backup-age":
      return `${writes(l.lostWrites)} acknowledged in the run came after the base backup restored in another region (${formatDuration(l.ageMs)} old when ${l.region} was lost, with the ${v.archive} that held them)`;
    case "unflushed-crash":
      return `${writes(l.lostWrites)} acknowledged by ${l.node} under commit: off ${l.lostWrites === 1 ? "was" : "were"} not yet flushed to its disk when it crashed (an asynchronous commit returns before its ${v.durableLog} flush)`;
    case "unattributed":
      return `${writes(l.lostWrites)} acknowledged did not survive into the final history`;
  }
}

/** The pronouns for a count of writes: one write is "it", more are "they". */
function pronouns(n: number): { They: string; they: string; them: string; are: string; exist: string; went: string } {
  return n === 1 ? { They: "It", they: "it", them: "it", are: "is", exist: "exists", went: "went" } : { They: "They", they: "they", them: "them", are: "are", exist: "exist", went: "went" };
}

/** Whether any restore could bring one cause's writes back, and from where. */
function ackedLossRecovery(l: AckedLoss, v: Vocabulary): string {
  const p = pronouns(l.lostWrites);
  switch (l.cause) {
    case "async-failover":
    case "sync-fallback":
    case "lagging-promoted":
    case "local-commit":
      if (v.family === "mongodb" || v.family === "mysql") return leftOnOldLeaderText(l, v);
      if (l.oldLeaderLost) {
        const reachesAll = l.archive?.kind === "held" && l.archive.replay.reachableWrites >= l.lostWrites;
        const those = archiveHeld(l) === "some" || !reachesAll ? "those" : p.them;
        const known = lostLeaderArchiveText(l, "WAL archive", `a point-in-time restore of its old timeline on a side instance can recover ${those} for reconciliation by hand (restoring it in place would drop everything written since the failover)`);
        if (known !== null) return `${l.oldLeader}'s WAL was lost with it${known}`;
        return `${l.oldLeader}'s WAL was lost with it: only a WAL archive that got that far still holds ${p.them}, and restoring its old timeline in place would drop everything written since the failover — at best ${p.they} ${p.are} recovered on a side instance and re-applied by hand.`;
      }
      return `${p.They} ${p.exist} only on ${l.oldLeader}'s old timeline (in its WAL until ${v.rewinder} discards it, ${archiveClause(l, "WAL archive")}): restoring that timeline in place would drop everything written since the failover, so at best ${p.they} ${p.are} recovered on a side instance and re-applied by hand.`;
    case "split-brain":
      if (v.family === "mongodb") return `${l.oldLeader || "The old primary"} rolled ${p.them} back into its rollback files when it rejoined as a secondary: ${p.they} can be re-applied from there by hand — never automatically.`;
      if (v.family === "mysql") return `${p.They} remain only in ${l.oldLeader || "the old source"}'s binlog, as transactions the new source lacks (errant GTIDs): at best ${p.they} ${p.are} extracted with mysqlbinlog and merged by hand — never applied automatically.`;
      return `${v.rewinder === "pg_rewind" ? v.rewinder : capitalise(v.rewinder)} removed ${p.them} from ${l.oldLeader || "the old leader"}; if it archived its WAL, a point-in-time restore of its old timeline on a side instance can recover ${p.them} for a merge by hand — never in place.`;
    case "lww-conflict":
      if (l.between === "coordinators") return "A restore replays the same timestamps; the overwritten versions may still be in the replicas' commit logs or older data files until compaction drops them, to be found and merged by hand.";
      return "A restore replays the same conflict; the overwritten versions may still be in the WAL (or change stream) of the leader that accepted them, to be found and merged by hand.";
    case "region-unreplicated":
      return `${p.They} ${p.went} with the region: only ${withArticle(v.archive)} outside it could still hold ${p.them}, and restoring from it would rewind what the survivors accepted since.`;
    case "archive-lag":
      if (l.gap !== null) return `${p.They} ${p.went} with the region: the restore replays the archive only up to its gap.`;
      return `${p.They} ${p.went} with the region: the restore reaches only as far as the archive.`;
    case "base-backup-age":
      return `${p.They} ${p.went} with the region and its ${v.archive}: the base backup copied out is all that is left.`;
    case "unflushed-crash":
      return `${p.They} never reached a disk: no replica, archive or restore holds ${p.them}.`;
    case "unattributed":
      return "";
  }
}

type FailoverLoss = Extract<AckedLoss, { oldLeaderLost: boolean }>;

/** How many of a failover's lost writes the archive holds: none, some or all; "no-archive"; null when the run could not tell. */
function archiveHeld(l: FailoverLoss): "no-archive" | "none" | "some" | "all" | null {
  if (l.archive === undefined) return null;
  if (l.archive.kind === "no-archive") return "no-archive";
  if (l.archive.heldWrites <= 0) return "none";
  return l.archive.heldWrites >= l.lostWrites ? "all" : "some";
}

/** " (it was 4.3s behind)": how far the archive lagged when the old leader stopped; nothing when it had none of that timeline yet. */
function archiveBehind(l: FailoverLoss): string {
  return l.archive?.kind === "held" && l.archive.lagMs !== null ? ` (it was ${formatDuration(l.archive.lagMs)} behind)` : "";
}

/** "all of them", "it", "3 of them". */
function heldCount(l: FailoverLoss, held: "some" | "all"): string {
  if (held === "all") return l.lostWrites === 1 ? "it" : "all of them";
  return `${l.archive?.kind === "held" ? l.archive.heldWrites.toLocaleString("en-US") : ""} of them`;
}

/**
 * Why a restore reaches fewer of the lost writes than the archive holds ("no base backups are configured, so it has
 * nothing to replay onto"), or null when it reaches every one it holds.
 */
function replayShortText(l: FailoverLoss): string | null {
  if (l.archive?.kind !== "held" || l.archive.replay.stoppedBy === null) return null;
  switch (l.archive.replay.stoppedBy) {
    case "no-base-backups":
      return "no base backups are configured, so it has nothing to replay onto";
    case "base-backups-lost":
      return "every copy of the base backups was lost with its region, so it has nothing to replay onto";
    case "no-retained-base-backup":
      return "no base backup old enough is still retained, so it has nothing to replay onto";
    case "archive-gap":
      return `a replay from the newest base backup stops at its gap at ${l.archive.replay.gap !== null ? runClock(l.archive.replay.gap.startMs) : "its start"}`;
  }
}

/** The writes a restore reaches: "none of them", "all of them", "3 of them". */
function reachableCount(l: FailoverLoss): string {
  const n = l.archive?.kind === "held" ? l.archive.replay.reachableWrites : 0;
  if (n <= 0) return l.lostWrites === 1 ? "it" : "none of them";
  if (n >= l.lostWrites) return l.lostWrites === 1 ? "it" : "all of them";
  return `${n.toLocaleString("en-US")} of them`;
}

/** Where the archive stands on the lost writes, as a clause ("and in the WAL archive if it got that far" when not known). */
function archiveClause(l: FailoverLoss, archive: string): string {
  const p = pronouns(l.lostWrites);
  const held = archiveHeld(l);
  const short = replayShortText(l);
  if (held === "no-archive") return `and there is no ${archive}`;
  if ((held === "all" || held === "some") && short !== null) {
    const reached = l.archive?.kind === "held" ? l.archive.replay.reachableWrites : 0;
    return `and the ${archive} holds ${heldCount(l, held)}, though ${short}${reached > 0 ? `, reaching ${reachableCount(l)}` : ""}`;
  }
  // Inside the caller's parentheses: the lag follows a colon, not a parenthesis of its own.
  if (held === "none") return `and the ${archive} had none of ${p.them}${l.archive?.kind === "held" && l.archive.lagMs !== null ? `: it was ${formatDuration(l.archive.lagMs)} behind` : ""}`;
  if (held === "all") return `and in the ${archive}, which holds ${heldCount(l, held)}`;
  if (held === "some") return `and the ${archive} holds ${heldCount(l, held)}`;
  return `and in the ${archive} if it got that far`;
}

/** After "X's WAL was lost with it": what the archive still holds, and whether a restore on the side can reach it; "" when not known. */
function lostLeaderArchiveText(l: FailoverLoss, archive: string, rest: string): string | null {
  const p = pronouns(l.lostWrites);
  const held = archiveHeld(l);
  if (held === "no-archive") return `, and there is no ${archive}: no copy of ${p.them} is left.`;
  if (held === "none") return `, and the ${archive} had none of ${p.them}${archiveBehind(l)}: no copy of ${p.them} is left.`;
  // The archive alone is not a restore: it needs a base backup to replay onto, and a replay stops at its first hole.
  const short = replayShortText(l);
  if (held !== null && short !== null) {
    const reached = l.archive?.kind === "held" ? l.archive.replay.reachableWrites : 0;
    if (reached <= 0) return `; the ${archive} holds ${heldCount(l, held)}, but ${short}: no restore can reach ${p.them}.`;
    return `, but the ${archive} holds ${heldCount(l, held)}; ${short}, reaching ${reachableCount(l)}: ${rest}.`;
  }
  if (held !== null) return `, but the ${archive} holds ${heldCount(l, held)}: ${rest}.`;
  return null;
}

/**
 * What becomes of the writes only the old leader had, where its system keeps them: a MongoDB member rolls them
 * back into its rollback files when it rejoins; a MySQL source keeps them in its binlog as transactions the new
 * source lacks.
 */
function leftOnOldLeaderText(l: FailoverLoss, v: Vocabulary): string {
  const p = pronouns(l.lostWrites);
  const sideInstance = `at best ${p.they} ${p.are} recovered on a side instance and re-applied by hand`;
  if (l.oldLeaderLost) {
    const known = lostLeaderArchiveText(l, v.archive, `restoring it in place would drop everything written since the failover — ${sideInstance}`);
    if (known !== null) return `${l.oldLeader}'s ${v.log} was lost with it${known}`;
    return `${l.oldLeader}'s ${v.log} was lost with it: only ${withArticle(v.archive)} that got that far still holds ${p.them}, and restoring it in place would drop everything written since the failover — ${sideInstance}.`;
  }
  if (v.family === "mongodb") {
    const rollbackFiles = `out of its data and into its rollback files, from which ${p.they} can only be re-applied by hand (restoring its old oplog in place would drop everything written since the failover)`;
    if (l.oldLeaderRejoinedMs !== null) return `${l.oldLeader} did not keep ${p.them}: it rejoined as a secondary ${formatDuration(l.oldLeaderRejoinedMs)} after ${l.newLeader} was promoted and rolled ${p.them} back, ${rollbackFiles}.`;
    return `${l.oldLeader} does not keep ${p.them}: when it rejoins as a secondary (it had not by the end of the run) it rolls ${p.them} back, ${rollbackFiles}.`;
  }
  return `${p.They} ${p.exist} only in ${l.oldLeader}'s binlog, as transactions the new source never received (errant GTIDs): it cannot simply rejoin as a replica with ${p.them}, and at best ${p.they} ${p.are} extracted with mysqlbinlog and re-applied by hand.`;
}

function drillsNote(drills: DrillsVerdict, v: Vocabulary): string {
  if (drills === "none") return "";
  if (drills === "some-failed") return " The restore drill found a problem before an incident did — that is what drills are for.";
  if (drills === "passed-archive-failing") return ` The restore drill shows the backups work and how long a restore takes — but ${v.log} archiving was failing at the drill, so the newest point a restore reaches stops moving until archiving works again.`;
  return " The restore drill shows the backups work and how long a restore takes.";
}

/** The losses as sentences: what each cause lost, then whether a restore could help. */
function ackedLossesText(losses: AckedLoss[], v: Vocabulary): string {
  return losses.map((l) => `${capitalise(ackedLossText(l, v))}. ${ackedLossRecovery(l, v)}`.trim()).join(" ");
}

/** Two durations a sentence compares: short, unless rounding makes them read the same ("7d ago is outside the 7d window"), then every unit. */
function compared(a: number, b: number): [string, string] {
  const short = [formatDuration(a), formatDuration(b)] as [string, string];
  return short[0] !== short[1] || a === b ? short : [formatDuration(a, { style: "parts" }), formatDuration(b, { style: "parts" })];
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The recovery section's headline: what replication and the backups did, never "handled" when acknowledged writes are gone. */
export function headlineText(r: Recovery, words: Vocabulary = POSTGRES_WORDS): string {
  const v = r.verdict;
  if (v.kind === "acked-writes-lost" || (v.kind === "failover-handled" && v.lostWrites > 0)) {
    const losses = v.losses.filter((l) => l.lostWrites > 0);
    const what = losses.length === 1 ? ackedLossText(losses[0], words) : `${writes(v.lostWrites)} acknowledged and gone (${losses.map((l) => `${count(l.lostWrites)}: ${lossCauseName(l, words)}`).join("; ")})`;
    return `ACKNOWLEDGED WRITES LOST — ${what}; no restore puts ${pronouns(v.lostWrites).them} back in place.`;
  }
  const failed = r.drills.filter((d) => !d.ok);
  if (r.incident.kind === "none" && failed.length > 0) return `NO INCIDENT — BUT THE RESTORE DRILL FAILED: ${drillFailureHeadline(failed, words)}.`;
  const failing = r.drills.find((d) => (d.outcome === "passed" || d.outcome === "over-rto") && d.archiveFailingSinceMs !== null);
  if (r.incident.kind === "none" && failing !== undefined)
    return `NO INCIDENT — the restore drill passed, but ${words.log} archiving was failing at it: the newest point a restore reaches falls further behind until archiving works again.`;
  const slow = r.drills.find((d) => d.outcome === "over-rto");
  if (r.incident.kind === "none" && slow?.outcome === "over-rto")
    return `NO INCIDENT — the restore drill passed; a restore takes ${restoreDuration(slow.restoreMs)}, over the tightest RTO (${formatDuration(slow.rtoMs)}): failover, not the backups, has to meet it.`;
  if (r.incident.kind === "none" && r.drills.length > 0) return "NO INCIDENT — the restore drill passed.";
  if (r.verdict.kind === "promote-by-hand" && r.verdict.chosen.reason.kind === "replica-not-promoted")
    return `A PERSON MUST ${r.verdict.chosen.reason.down ? "START AND PROMOTE" : "PROMOTE"} ${r.verdict.chosen.reason.node.toUpperCase()} — the data survived outside ${r.verdict.region}, but no failover restores service on its own${r.lostWrites > 0 ? `; the ${writes(r.lostWrites)} it had not received ${r.lostWrites === 1 ? "is" : "are"} lost` : ""}.`;
  if (!r.needed && r.method === "failover" && r.writesNotBack.length > 0)
    return `NOTHING ACKNOWLEDGED WAS LOST — BUT WRITES NEVER CAME BACK (${r.writesNotBack.join(", ")}): no backup was needed, and replication did not restore service within the run.`;
  if (!r.needed && r.method === "failover") return "REPLICATION HANDLED IT — nothing acknowledged was lost and no backup was needed.";
  if (!r.needed) return "NOTHING TO RECOVER — the damage never happened.";
  if (r.method === "none") return "UNRECOVERABLE — no replica and no backup can bring this data back.";
  if (r.method === "failover") return "REPLICATION HANDLED IT, WITH LOSS.";
  // A restore: after a bad write replication had copied the damage; after a lost region no replica survived it.
  const why = r.incident.kind === "region-lost" ? `no ${words.replica} outside ${r.incident.region} could take over` : "replication had copied the damage everywhere";
  if (r.lostWrites === 0) return `ONLY THE BACKUPS SAVED THE DATA — ${why}.`;
  const missed = r.incident.kind === "region-lost" ? archiveMissText(r, words) : `${writes(r.lostWrites)} to the damaged rows`;
  return `ONLY THE BACKUPS SAVED THE DATA, WITH LOSS — ${why}, and the restore misses ${missed}.`;
}

/** What a restore after a lost region misses: the run's writes the archive lacked, and earlier ones when its point is before the run. */
function archiveMissText(r: Recovery, v: Vocabulary): string {
  const chosen = r.options.find((o) => o.method === r.method && o.feasible)?.reason;
  // The count is the run's writes only: a point before the run misses what was written before it too, said as a time.
  const before = r.targetAtMs !== null && r.targetAtMs < 0 ? runClock(-r.targetAtMs) : null;
  if (chosen?.kind === "restore-base-backup-elsewhere") {
    if (before === null) return `the ${writes(r.lostWrites)} acknowledged after the base backup it restores: the archive went with the region`;
    return `the ${writes(r.lostWrites)} acknowledged in the run before the loss, and whatever was written in the ${before} between the base backup it restores and the run: the archive went with the region`;
  }
  if (chosen?.kind === "cross-region-restore" && chosen.gap !== null) {
    const since = before === null ? `the ${writes(r.lostWrites)} acknowledged after ${runClock(chosen.gap.startMs)}` : `the ${writes(r.lostWrites)} acknowledged in the run before the loss, and whatever was written in the ${before} before the run`;
    return `${since}, where the archive's gap begins (${v.log} a primary never shipped while archiving failed): the replay cannot cross that gap`;
  }
  if (before === null) return `the ${writes(r.lostWrites)} the archive had not received`;
  return `the ${writes(r.lostWrites)} acknowledged in the run before the loss, and whatever was written in the ${before} before the run: the archive had received none of them`;
}

/** The incident line: the planned incident, and how many bad writes got through when it is the first of several. */
export function incidentLineText(r: Recovery, v: Vocabulary = POSTGRES_WORDS): string {
  const others = r.otherBadWrites?.length ?? 0;
  return `${incidentText(r.incident, v)}${others > 0 ? `; the first of ${others + 1} bad writes that got through (the ${others === 1 ? "other" : "others"} below)` : ""}`;
}

/** One bad write besides the planned one: what it was, and whether the plan's restore brings its rows back too. */
export function otherBadWriteText(o: OtherBadWrite, first: Incident, v: Vocabulary = POSTGRES_WORDS): string {
  const what = `the ${incidentText(o.incident, v)}`;
  if (o.covered) {
    const lost = o.lostWrites > 0 ? `the ${writes(o.lostWrites)} made to them between that point and it ${o.lostWrites === 1 ? "is" : "are"} lost` : "nothing made to them since is lost";
    const merge = o.reconcileWrites > 0 ? `, and the merge must reconcile ${writes(o.reconcileWrites)} more` : "";
    return `${what} — covered: the same restored copy holds its rows as they were at the restore point, before it; ${lost}${merge}, beyond the figures above`;
  }
  const why =
    o.uncoveredBecause === "nothing-restored" ? "nothing is restored to a point before it" : o.uncoveredBecause === "after-noticed" ? "it ran after the first was noticed, when the repair had begun" : `the logical dump reloads only ${first.kind === "bad-write" ? first.dataClass : "another class"}`;
  const a = o.alone;
  const alone =
    a.method === "none"
      ? `on its own nothing brings its rows back (at least ${writes(a.lostWrites)}' worth of data)`
      : `on its own, ${a.method === "pitr" ? "a point-in-time restore" : a.method === "base-backup" ? "the newest snapshot older than it" : "its logical dump"} brings its rows back${a.totalMs !== null ? ` in ${restoreDuration(a.totalMs)} in total` : ""}, ${a.lostWrites > 0 ? `losing ${writes(a.lostWrites)}` : "losing nothing"}${a.reconcileWrites > 0 ? ` with ${writes(a.reconcileWrites)} to reconcile` : ""}`;
  return `${what} — NOT covered by this plan (${why}); ${alone}`;
}

/** The bad writes besides the planned one, as a sentence after the verdict (empty when there was one). */
export function otherBadWritesText(r: Recovery, v: Vocabulary = POSTGRES_WORDS): string {
  const others = r.otherBadWrites ?? [];
  if (others.length === 0) return "";
  return `${others.length === 1 ? "Another bad write" : `${others.length} more bad writes`} got through after it: ${others.map((o) => otherBadWriteText(o, r.incident, v)).join("; ")}.`;
}

/** Acknowledged writes lost beside an incident whose verdict is about something else (a bad write): said, never dropped. */
export function otherLossesText(r: Recovery, v: Vocabulary = POSTGRES_WORDS): string {
  const kind = r.verdict.kind;
  // The restore's own loss (archive-lag) is the headline's: only the others are "besides".
  const others = r.ackedLosses.filter((l) => l.cause !== "archive-lag" && l.cause !== "base-backup-age");
  if (kind === "acked-writes-lost" || kind === "failover-handled" || kind === "promote-by-hand" || others.length === 0) return "";
  return `Besides, acknowledged writes were lost: ${ackedLossesText(others, v)}`;
}

/**
 * The sentences that follow the headline and the incident line, in order: the verdict, other bad writes, other
 * acknowledged losses, projected losses. Every format says all of them (the text report colours each its own way).
 */
export function recoverySentences(r: Recovery, v: Vocabulary = POSTGRES_WORDS): string[] {
  return [verdictText(r.verdict, r.writesNotBack, v, true), otherBadWritesText(r, v), otherLossesText(r, v), projectedLossText(r), extrapolatedText(r)].filter((t) => t !== "");
}

/** A cause in a few words, for a headline that lists several. */
function lossCauseName(l: AckedLoss, v: Vocabulary): string {
  switch (l.cause) {
    case "async-failover":
      return "asynchronous failover";
    case "local-commit":
      return v.family === "mongodb" ? "a class writing without a majority (w: 1)" : v.family === "mysql" ? "a class committing without a semi-sync acknowledgement" : "a class committing without its standbys";
    case "sync-fallback":
      return v.family === "mongodb" ? "failover after majority writes fell back to the primary alone" : v.family === "mysql" ? "failover after semi-sync fell back to asynchronous" : "failover after synchronous replication fell back to asynchronous";
    case "lagging-promoted":
      return `a lagging ${v.replica} ${promotedText(v)}`;
    case "split-brain":
      return "split brain without fencing";
    case "lww-conflict":
      return "last-writer-wins conflicts";
    case "region-unreplicated":
      return "unreplicated when the region was lost";
    case "archive-lag":
      return l.gap !== null ? `beyond a gap in the ${v.archive} when the region was lost` : "not yet archived when the region was lost";
    case "base-backup-age":
      return `written after the last base backup copied out of the lost region`;
    case "unflushed-crash":
      return "asynchronous commits not yet flushed at a crash";
    case "unattributed":
      return "other";
  }
}

/**
 * The planner's verdict as the report's summary sentences. `writesNotBack` names the classes whose writes never
 * came back within the run: replication then handled nothing, even though nothing was lost. `afterHeadline`: the text
 * follows the headline and the incident line (text, Markdown, HTML), so it does not say again what they said.
 */
export function verdictText(verdict: Verdict, writesNotBack: readonly string[] = [], v: Vocabulary = POSTGRES_WORDS, afterHeadline = false): string {
  switch (verdict.kind) {
    case "no-damage":
      if (writesNotBack.length > 0) return `No data was damaged and no acknowledged write was lost, so no backup was needed; but writes of ${writesNotBack.join(", ")} never came back within the run: replication did not restore service.${drillsNote(verdict.drills, v)}`;
      if (verdict.drills === "none") return "Replication handled this run: no data was damaged and no acknowledged write was lost, so no backup was needed.";
      return `No data was damaged in this run.${drillsNote(verdict.drills, v)}`;
    case "acked-writes-lost": {
      // Under the headline and the incident line ("no data damaged, but N acknowledged writes lost"), with one cause
      // the loss has been said already: what is left is where the writes could still be found (or that nothing holds
      // them). Standing alone (JSON's summary), the text says it all.
      const losses = verdict.losses.filter((l) => l.lostWrites > 0);
      if (afterHeadline && losses.length === 1 && ackedLossRecovery(losses[0], v) !== "") return `${ackedLossRecovery(losses[0], v)}${drillsNote(verdict.drills, v)}`;
      if (afterHeadline) return `${ackedLossesText(verdict.losses, v)}${drillsNote(verdict.drills, v)}`;
      return `No data was damaged, but acknowledged writes are gone. ${ackedLossesText(verdict.losses, v)}${drillsNote(verdict.drills, v)}`;
    }
    case "guard-refused":
      return `The guard refused the ${v.statements[verdict.statement]}: nothing was damaged, nothing to recover. Prevention beat every backup.`;
    case "bad-write-unrecoverable":
      // Giving up loses every damaged row whole: the count is a floor, "at least", as the options table's "≥" says.
      return `${replicatedText(verdict.replicatedInMs)} No backup covers it: the damaged rows of ${verdict.dataClass} are unrecoverable (at least ${count(verdict.lostWrites)} writes' worth of data). Only backups could have saved this data, and none that survived reaches back far enough.`.trim();
    case "backups-save":
      return `${replicatedText(verdict.replicatedInMs)} Only the backups save the data: ${chosenRestoreText(verdict.chosen, v)}.${quickerText(verdict.chosen, verdict.quicker)}`.trim();
    case "region-unrecoverable":
      return verdict.restore === null || (verdict.restore.kind === "backups-in-lost-region" && verdict.restore.lost !== "base-backups")
        ? `Nothing outside ${verdict.region} can bring the data back: no replica elsewhere and no backup elsewhere. The data is unrecoverable.`
        : `Nothing outside ${verdict.region} can bring the data back: no replica elsewhere, and the backups elsewhere cannot be restored (${optionReasonText(verdict.restore, v)}). The data is unrecoverable.`;
    case "failover-handled": {
      if (verdict.lostWrites === 0) {
        const backups = verdict.backupRestoreMs !== null ? ` (restoring from them would have taken ${restoreDuration(verdict.backupRestoreMs)})` : "";
        return `Replication handled the region loss: ${v.family === "raft" || v.family === "mongodb" ? `${tookOverText(v)}, with no loss` : `a ${v.replica} in another region took over with no loss`}. The cross-region backups were not needed${backups}.`;
      }
      const restore = verdict.backupRestoreMs !== null ? ` Restoring from the cross-region backups instead would have taken ${restoreDuration(verdict.backupRestoreMs)}.` : "";
      const tookOver = v.family === "raft" || v.family === "mongodb" ? capitalise(tookOverText(v)) : `A ${v.replica} in another region took over`;
      return `${tookOver}, without ${writes(verdict.lostWrites)} the clients had been told were durable (asynchronous replication across regions: RPO > 0). ${ackedLossesText(verdict.losses, v)}${restore}`;
    }
    case "cross-region-restore":
      return `No ${v.replica} survived outside ${verdict.region}: only the cross-region backups save the data — ${optionReasonText(verdict.chosen.reason, v)}; ${timeText(verdict.chosen)}.`;
    case "promote-by-hand": {
      const reason = verdict.chosen.reason;
      if (reason.kind !== "replica-not-promoted") return "";
      const loss =
        verdict.chosen.lostWrites > 0
          ? `without the ${count(verdict.chosen.lostWrites)} acknowledged ${verdict.chosen.lostWrites === 1 ? "write" : "writes"} it had not received`
          : "with what it had received when the region went";
      const backups =
        verdict.backups !== null && verdict.backups.totalMs !== null
          ? ` Restoring from the cross-region backups instead would take ${restoreDuration(verdict.backups.totalMs)} and lose ${writes(verdict.backups.lostWrites)}.`
          : "";
      const why = reason.down ? "it is down, powered off or crashed with its disk intact" : reason.nofailover ? "it is nofailover: never promoted automatically" : "no candidate was eligible";
      return `${reason.node} holds the data outside ${verdict.region}, but nothing promoted it (${why}), so writes stay down until a person ${reason.down ? "starts and promotes it" : "does"}: about ${formatDuration(reason.operatorDelayMs)} after the page (the operator's delay), ${loss}.${backups}`;
    }
  }
}

/**
 * What the worst failed drill means for a restore, for the headline: only a drill with nothing to restore says the
 * backups would not have saved you; a replay that stops early (at a gap, at the base backup when the archive is gone,
 * or at a newest point gone stale) brings the data back up to that point and loses what came after it.
 */
function drillFailureHeadline(failed: DrillResult[], v: Vocabulary): string {
  const severity = (d: DrillResult) =>
    d.outcome === "no-base-backups" || d.outcome === "no-retained-base-backup" || (d.outcome === "backups-region-lost" && d.lost === "base-backups") ? 0 : d.outcome === "backups-region-lost" ? 1 : d.outcome === "archive-gap" ? 2 : 3;
  const worst = [...failed].sort((a, b) => severity(a) - severity(b))[0];
  const since = (d: DrillResult) => formatDuration(d.atMs - d.reachedAtMs);
  switch (worst.outcome) {
    case "backups-region-lost":
      if (worst.lost === "archive") return `a restore would stop at the base backup taken ${since(worst)} before and lose everything written since`;
      return "these backups would not have saved you";
    case "archive-gap":
      return `a restore would stop at the ${v.archive}'s gap at ${runClock(worst.gap.startMs)} and lose everything written after it (${since(worst)})`;
    case "stale-restore-point":
      return `the backups restore, but only to ${runClock(worst.reachedAtMs)}, ${since(worst)} before the drill: a restore from them alone would have lost the writes since`;
    default:
      return "these backups would not have saved you";
  }
}

/** What a restore drill found, as the timeline and the recovery section say it. */
export function drillText(d: DrillResult, v: Vocabulary = POSTGRES_WORDS): string {
  switch (d.outcome) {
    case "no-base-backups":
      return "nothing to restore: no base backups are configured";
    case "no-retained-base-backup":
      return "no retained base backup";
    case "backups-region-lost":
      return d.lost === "base-backups"
        ? "drill FAILED: the base backups' region is gone, with every copy of them — there is nothing to restore until a new base backup is taken elsewhere"
        : `drill FAILED: the ${v.archive}'s region is gone — a restore stops at the base backup taken ${formatDuration(d.atMs - d.reachedAtMs)} before and loses everything written since; archive to a surviving region and take a new base backup`;
    case "archive-gap":
      return `drill FAILED: the archive has a gap from ${runClock(d.gap.startMs)} to ${runClock(d.gap.endMs)} — replay stops at the gap, so a restore today would lose everything after it (${formatDuration(d.atMs - d.reachedAtMs)}); fix the archiving and take a new base backup. Restore took ${restoreDuration(d.restoreMs)}.`;
    case "stale-restore-point": {
      const limit = d.limitBy === "rpo" ? `the tightest RPO of ${formatDuration(d.limitMs)}` : `${formatDuration(d.limitMs)}, two of the archive's switch intervals`;
      const why = d.archiveFailing
        ? `${v.log} archiving is failing: the ${v.log} since waits on the ${v.leader} and is lost with it if it goes before archiving works again`
        : `the archive is not receiving ${v.log}`;
      return `drill FAILED: the restore has no gap, but the newest point it reached is ${runClock(d.reachedAtMs)}, ${restoreDuration(d.ageMs)} before the drill — older than ${limit}; ${why}, so a restore now would lose everything since. Restore took ${restoreDuration(d.restoreMs)}.`;
    }
    case "passed":
    case "over-rto": {
      const failing =
        d.archiveFailingSinceMs !== null
          ? ` But ${v.log} archiving has been failing since ${runClock(d.archiveFailingSinceMs)}: the ${v.log} since waits on the ${v.leader} (lost with it if it goes first), and the newest point a restore reaches falls further behind until archiving works again.`
          : "";
      return `drill passed: restored the base backup taken ${formatDuration(d.atMs - d.baseBackupAtMs)} before and replayed the archive to ${runClock(d.reachedAtMs)} in ${restoreDuration(d.restoreMs)}${d.outcome === "passed" ? ", within the tightest RTO" : `, which is over the tightest RTO of ${formatDuration(d.rtoMs)} — a restore alone cannot meet it`}.${failing}`;
    }
  }
}

/** The wait for the archive's next switch: hidden behind the copy of the base backup, or what it adds to the restore. */
function archiveWaitText(waitMs: number, addedMs: number): string {
  if (addedMs <= 0) return `in ${formatDuration(waitMs)}, while the base backup is still being copied back`;
  return `a ${formatDuration(waitMs)} wait, which adds ${formatDuration(addedMs)} to the restore`;
}
