// The recovery planner's facts in words: the report composes every sentence
// from the typed data, so the same fact always reads the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { DrillResult, RecoveryOption } from "../../src/engine/recovery.js";
import { drillText, incidentText, optionReasonText, verdictText } from "../../src/report/simulate/recovery-words.js";

const MIN = 60_000;

test("an incident reads as the statement, the class, when and how much", () => {
  assert.equal(incidentText({ kind: "none" }), "none that damaged data");
  assert.equal(incidentText({ kind: "region-lost", region: "us-east", atMs: 30_000 }), "region us-east lost at 30s");
  assert.equal(incidentText({ kind: "acked-writes-lost", lostWrites: 1 }), "no data damaged, but 1 acknowledged write lost");
  assert.match(incidentText({ kind: "bad-write", statement: "delete", dataClass: "orders", atMs: MIN, rowsShare: 0.25, noticedAtMs: 3 * MIN }), /^buggy DELETE on orders at .+ \(25% of its rows\), noticed .+ later$/);
  assert.match(incidentText({ kind: "bad-write", statement: "drop", dataClass: "orders", atMs: MIN, rowsShare: 1, noticedAtMs: 3 * MIN }), /^DROP TABLE on orders at .+ \(the whole table\), noticed .+ later$/);
});

test("an option's reason carries its numbers into the sentence", () => {
  assert.equal(optionReasonText({ kind: "no-archive" }), "no WAL archive");
  assert.match(optionReasonText({ kind: "give-up", lostWrites: 12_345, since: "restore-point" }), /at least the 12,345 writes to them since the oldest restore point/);
  // With no restore point at all, the count is named for what it is (found by a review: "since the oldest restore point" when there was none).
  assert.match(optionReasonText({ kind: "give-up", lostWrites: 905, since: "run-start" }), /no restore is possible, .*at least the 905 writes to them in this run/);
  assert.match(optionReasonText({ kind: "archive-gap", gap: { startMs: MIN, endMs: 2 * MIN } }), /the archive has a gap \(.+–.+\) between the base backup and the target/);
});

test("the verdict names the chosen restore with its loss and what is left to reconcile", () => {
  const chosen: RecoveryOption = { method: "pitr", feasible: true, reason: { kind: "replay-archive", baseBackupAtMs: 0, beforeBadWriteMs: MIN, archiveWaitMs: 0, addedMs: 0, waitsFor: "switch" }, targetAtMs: MIN, restoreMs: MIN, mergeMs: 2 * MIN, totalMs: 3 * MIN, lostWrites: 0, reconcileWrites: 1_500, rpoMs: 0 };
  const text = verdictText({ kind: "backups-save", chosen, quicker: null, replicatedInMs: null });
  assert.match(text, /^Only the backups save the data: point-in-time restore .*; restore takes 1m, then merging the damaged rows back into production 2m: 3m in total; nothing is lost, and the merge must reconcile 1,500 later writes\.$/);
  assert.equal(verdictText({ kind: "no-damage", drills: "none" }), "Replication handled this run: no data was damaged and no acknowledged write was lost, so no backup was needed.");
});

test("a drill over the RTO still restored, and says by how much it missed", () => {
  const drill: DrillResult = { atMs: 10 * MIN, ok: false, restoreMs: 5 * MIN, reachedAtMs: 9 * MIN, outcome: "over-rto", baseBackupAtMs: 0, rtoMs: MIN, archiveFailingSinceMs: null };
  assert.match(drillText(drill), /^drill passed: .*, which is over the tightest RTO of .+ — a restore alone cannot meet it\.$/);
});

test("a backup taken before the run is named by its age at the bad write, never by a negative time", () => {
  const H = 60 * MIN;
  const reasons = [
    optionReasonText({ kind: "restore-snapshot", snapshotAtMs: -4 * H, beforeBadWriteMs: 4 * H + 5 * MIN, auditLog: false }),
    optionReasonText({ kind: "replay-archive", baseBackupAtMs: -4 * H, beforeBadWriteMs: 4 * H + 5 * MIN, archiveWaitMs: 0, addedMs: 0, waitsFor: "switch" }),
    optionReasonText({ kind: "reload-dump", dataClass: "orders", dumpAtMs: -30 * MIN, beforeBadWriteMs: 35 * MIN, tableBytes: 1024 ** 3, restoreBytesPerSecond: 50 * 1024 ** 2 }),
    optionReasonText({ kind: "replay-to-gap", baseBackupAtMs: -4 * H, beforeBadWriteMs: 4 * H + 5 * MIN, gap: { startMs: -H, endMs: 2 * MIN }, reachedAtMs: -H }),
  ];
  for (const text of reasons) {
    assert.doesNotMatch(text, /-\d/, text);
    assert.match(text, /taken .+ before the bad write/, text);
  }
  assert.match(reasons[3], /up to 1h00m before the run, where its gap begins/);
});

test("a run whose writes never came back is not 'handled' in the summary either (found by a review: the headline said so, the sentence under it did not)", () => {
  const text = verdictText({ kind: "no-damage", drills: "none" }, ["orders"]);
  assert.doesNotMatch(text, /handled/i);
  assert.match(text, /writes of orders never came back within the run: replication did not restore service/);
});

test("one lost write is 'it', not 'them' (found by a review)", () => {
  const one = verdictText({ kind: "acked-writes-lost", lostWrites: 1, drills: "none", losses: [{ cause: "async-failover", lostWrites: 1, oldLeader: "pg-a", newLeader: "pg-b", oldLeaderLost: false, oldLeaderRejoinedMs: null }] } as never);
  assert.match(one, /It exists only on pg-a's old timeline/);
  assert.match(one, /at best it is recovered/);
  assert.doesNotMatch(one, /\bthey\b|\bthem\b/i);
});

test("a drill that reached back before the run says so, never a negative time (found by a review: 'replayed the archive to -7.1h')", () => {
  const drill: DrillResult = { atMs: 90_000, ok: true, restoreMs: 5 * MIN, reachedAtMs: -2 * 60 * MIN, outcome: "passed", baseBackupAtMs: -7 * 60 * MIN, archiveFailingSinceMs: null };
  assert.match(drillText(drill), /replayed the archive to 2h00m before the run in/);
  assert.doesNotMatch(drillText(drill), /-\d/);
});

test("recovery times above an hour keep their minutes, so a total just over an RTO of 1h never reads as 1h (found by a review: 'sooner (1h)' beside '1h')", async () => {
  const { restoreDuration } = await import("../../src/report/simulate/recovery-words.js");
  assert.equal(restoreDuration(45.7 * MIN), "45.7m");
  assert.equal(restoreDuration(62.9 * MIN), "1h03m");
  assert.equal(restoreDuration(60.2 * MIN), "1h00m");
  assert.equal(restoreDuration(68.27 * MIN), "1h08m");
});

test("a bad write noticed at once says so; a PITR without base backups says none are configured", () => {
  assert.match(incidentText({ kind: "bad-write", statement: "delete", dataClass: "orders", atMs: MIN, rowsShare: 0.1, noticedAtMs: MIN }), /\(10% of its rows\), noticed at once$/);
  assert.equal(optionReasonText({ kind: "no-base-backup", configured: false }), "no base backups are configured: the WAL archive has nothing to replay onto");
  assert.equal(optionReasonText({ kind: "no-base-backup", configured: true }), "no retained base backup to start the replay from");
});

test("instants on the run's clock keep their minutes past an hour (found by a review: a gap from 1m to 6h01m read 'from 1m to 6h')", () => {
  const HOUR = 60 * MIN;
  const gap = { startMs: MIN, endMs: 6 * HOUR + MIN };
  assert.match(optionReasonText({ kind: "replay-to-gap", baseBackupAtMs: -8 * HOUR, beforeBadWriteMs: 8 * HOUR, gap, reachedAtMs: MIN }), /the WAL from 1m to 6h01m is missing/);
  assert.match(optionReasonText({ kind: "archive-gap", gap }), /\(1m–6h01m\)/);
  assert.equal(incidentText({ kind: "region-lost", region: "us-east", atMs: 2 * HOUR + 30_000 }), "region us-east lost at 2h00m30s");
  // Before the run, the same clock: 1h30m, not 1.5h.
  assert.match(optionReasonText({ kind: "archive-gap", gap: { startMs: -(HOUR + 30 * MIN), endMs: MIN } }), /\(1h30m before the run–1m\)/);
});

test("under the headline a one-cause loss is not told three times; JSON's summary, standing alone, still tells it (found by a review: headline, incident line and verdict each said the same 2 writes)", async () => {
  const { simulate } = await import("../../src/engine/simulate.js");
  const { loadFile } = await import("../../src/model/load.js");
  const { recoveryText } = await import("../../src/report/simulate/recovery.js");
  const { simulationJson } = await import("../../src/report/simulate/json.js");
  const { Chalk } = await import("chalk");
  const loaded = loadFile("scenarios/leader-dies-in-az-a.yaml");
  assert.equal(loaded.kind, "scenario");
  const scenario = (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
  const result = simulate(scenario);
  assert.equal(result.recovery?.verdict.kind, "acked-writes-lost");
  const recovery = recoveryText(result, new Chalk({ level: 0 }));
  assert.equal(recovery.match(/were not yet flushed/g)?.length, 1, recovery);
  assert.equal(recovery.match(/[Nn]o data (was )?damaged/g)?.length, 1, recovery);
  assert.match(recovery, /They never reached a disk: no replica, archive or restore holds them\./);
  const summary = (simulationJson(result) as { recovery: { summary: string } }).recovery.summary;
  assert.match(summary, /^No data was damaged, but acknowledged writes are gone\. 2 writes acknowledged by pg-a under commit: off were not yet flushed/);
});

test("a stale restore point is a failed drill that says how old the point is, against what, and why", () => {
  const base = { atMs: 7_200_000, ok: false, restoreMs: 2_570_981, reachedAtMs: 540_000, outcome: "stale-restore-point", baseBackupAtMs: -34_920_000, ageMs: 6_660_000, limitMs: 120_000 } as const;
  const failing = drillText({ ...base, limitBy: "archive-interval", archiveFailing: true });
  assert.match(failing, /^drill FAILED: the restore has no gap, but the newest point it reached is 9m, 1h51m before the drill — older than 2m, two of the archive's switch intervals; WAL archiving is failing/);
  assert.match(drillText({ ...base, limitMs: 3_600_000, limitBy: "rpo", archiveFailing: false }), /older than the tightest RPO of 1h; the archive is not receiving WAL/);
});

test("a replay waiting for WAL says what ships it: the next switch, or archiving working again", () => {
  const wait = { kind: "replay-archive", baseBackupAtMs: 0, beforeBadWriteMs: 8 * 60 * MIN, archiveWaitMs: 15 * MIN, addedMs: 0 } as const;
  assert.match(optionReasonText({ ...wait, waitsFor: "switch" }), /, once the archive's next switch ships that WAL \(in 15m, while the base backup is still being copied back\)$/);
  const held = optionReasonText({ ...wait, waitsFor: "archiving-restored" });
  assert.match(held, /, once archiving works again and the leader ships the WAL it held back meanwhile \(in 15m, while the base backup is still being copied back\)$/);
  assert.doesNotMatch(held, /next switch/);
});

test("a failed drill's headline says what a restore would lose; only a drill with nothing to restore says the backups would not have saved you (found by a review: a newest point 16m stale read as useless backups)", async () => {
  const { headlineText } = await import("../../src/report/simulate/recovery-words.js");
  const { noRestore } = await import("../../src/engine/recovery/common.js");
  const H = 60 * MIN;
  const headline = (...drills: DrillResult[]) => headlineText(noRestore({ needed: false, method: "failover", incident: { kind: "none" }, verdict: { kind: "no-damage", drills: "some-failed" }, drills }));
  const stale: DrillResult = { atMs: 25 * MIN, ok: false, restoreMs: 43 * MIN, reachedAtMs: 9 * MIN, outcome: "stale-restore-point", baseBackupAtMs: -7 * H, ageMs: 16 * MIN, limitMs: 2 * MIN, limitBy: "archive-interval", archiveFailing: true };
  const gap: DrillResult = { atMs: 150 * MIN, ok: false, restoreMs: 43 * MIN, reachedAtMs: 9 * MIN, outcome: "archive-gap", gap: { startMs: 9 * MIN, endMs: 59 * MIN } };
  const archiveLost: DrillResult = { atMs: 60 * MIN, ok: false, restoreMs: 43 * MIN, reachedAtMs: -7 * H, outcome: "backups-region-lost", lost: "archive" };
  const baseLost: DrillResult = { atMs: 60 * MIN, ok: false, restoreMs: 0, reachedAtMs: -Infinity, outcome: "backups-region-lost", lost: "base-backups" };
  assert.equal(headline(stale), "NO INCIDENT — BUT THE RESTORE DRILL FAILED: the backups restore, but only to 9m, 16m before the drill: a restore from them alone would have lost the writes since.");
  assert.equal(headline(gap), "NO INCIDENT — BUT THE RESTORE DRILL FAILED: a restore would stop at the WAL archive's gap at 9m and lose everything written after it (2.4h).");
  assert.match(headline(archiveLost), /a restore would stop at the base backup taken 8h before and lose everything written since\.$/);
  assert.match(headline(baseLost), /these backups would not have saved you\.$/);
  // The worst failure speaks for them all.
  assert.match(headline(stale, baseLost), /these backups would not have saved you\.$/);
  assert.match(headline(stale, gap), /gap at 9m/);
});

test("a drill that passed while archiving was failing says so in its line, the headline and the summary (found by a review: it passed with no note)", async () => {
  const { headlineText } = await import("../../src/report/simulate/recovery-words.js");
  const { noRestore } = await import("../../src/engine/recovery/common.js");
  const drill: DrillResult = { atMs: 10 * MIN + 40_000, ok: true, restoreMs: 43 * MIN, reachedAtMs: 9 * MIN, outcome: "over-rto", baseBackupAtMs: -7 * 60 * MIN, rtoMs: 30_000, archiveFailingSinceMs: 10 * MIN };
  assert.match(drillText(drill), /^drill passed: .* But WAL archiving has been failing since 10m: the WAL since waits on the leader \(lost with it if it goes first\), and the newest point a restore reaches falls further behind until archiving works again\.$/);
  const r = noRestore({ needed: false, method: "failover", incident: { kind: "none" }, verdict: { kind: "no-damage", drills: "passed-archive-failing" }, drills: [drill] });
  assert.match(headlineText(r), /^NO INCIDENT — the restore drill passed, but WAL archiving was failing at it/);
  assert.match(verdictText(r.verdict), /but WAL archiving was failing at the drill/);
  assert.doesNotMatch(drillText({ ...drill, archiveFailingSinceMs: null }), /failing/);
});

test("an option quicker by less than the figures show is not called sooner (found by a review: 'The snapshot would be back sooner (51.2m in total)' beside the chosen restore's '51.2m in total')", () => {
  const chosen: RecoveryOption = { method: "pitr", feasible: true, reason: { kind: "replay-archive", baseBackupAtMs: 0, beforeBadWriteMs: MIN, archiveWaitMs: 0, addedMs: 0, waitsFor: "switch" }, targetAtMs: MIN, restoreMs: 42.7 * MIN, mergeMs: 8.5 * MIN, totalMs: 51.2 * MIN, lostWrites: 0, reconcileWrites: 60, rpoMs: 0 };
  const snapshot: RecoveryOption = { ...chosen, method: "base-backup", reason: { kind: "restore-snapshot", snapshotAtMs: 0, beforeBadWriteMs: MIN, auditLog: false }, restoreMs: 42.7 * MIN - 600, totalMs: 51.2 * MIN - 600, lostWrites: 1_514 };
  const text = verdictText({ kind: "backups-save", chosen, quicker: snapshot, replicatedInMs: null });
  assert.doesNotMatch(text, /sooner/, text);
  // Sooner by what the figures show, it is said.
  assert.match(verdictText({ kind: "backups-save", chosen, quicker: { ...snapshot, totalMs: 48.2 * MIN }, replicatedInMs: null }), /The snapshot would be back sooner \(48\.2m in total\) but loses 1,514 writes to the damaged rows\.$/);
});

test("a base backup restored alone from before the run says its loss reaches back before the run, as the archive's restore does (found by a review: '119,513 writes acknowledged after the base backup' for a backup 12.8h old, the run's 2m of writes only)", async () => {
  const { headlineText } = await import("../../src/report/simulate/recovery-words.js");
  const H = 60 * MIN;
  const restore = (takenMs: number): RecoveryOption => ({
    method: "base-backup",
    feasible: true,
    reason: { kind: "restore-base-backup-elsewhere", baseBackupAtMs: takenMs, ageMs: 2 * MIN - takenMs },
    targetAtMs: takenMs,
    restoreMs: 42.7 * MIN,
    mergeMs: 0,
    totalMs: 42.7 * MIN,
    lostWrites: 119_513,
    reconcileWrites: 0,
    rpoMs: 2 * MIN - takenMs,
  });
  const recovery = (chosen: RecoveryOption) => ({
    needed: true,
    method: "base-backup" as const,
    incident: { kind: "region-lost" as const, region: "us-east", atMs: 2 * MIN },
    targetAtMs: chosen.targetAtMs,
    restoreMs: chosen.restoreMs,
    mergeMs: 0,
    totalMs: chosen.totalMs,
    lostWrites: chosen.lostWrites,
    reconcileWrites: 0,
    extrapolated: false,
    options: [chosen],
    drills: [],
    verdict: { kind: "cross-region-restore" as const, region: "us-east", chosen },
    ackedLosses: [],
    writesNotBack: [],
  });
  const before = headlineText(recovery(restore(-12.8 * H)));
  assert.match(before, /the restore misses the 119,513 writes acknowledged in the run before the loss, and whatever was written in the 12h48m between the base backup it restores and the run: the archive went with the region\.$/);
  assert.doesNotMatch(before, /writes acknowledged after the base backup/);
  // A base backup taken within the run: the run's writes since it are the whole loss.
  assert.match(headlineText(recovery(restore(30_000))), /the restore misses the 119,513 writes acknowledged after the base backup it restores: the archive went with the region\.$/);
});

test("a bad write just outside the PITR window never reads as the window's own length (found by a review: '7d ago is outside the 7d PITR window' for a DELETE noticed 7d1h later)", () => {
  const H = 60 * MIN;
  const D = 24 * H;
  const outside = { kind: "outside-pitr-window", agoMs: 7 * D + H, windowMs: 7 * D, pitrWindowMs: 7 * D, limitedBy: "pitr-window", retainMs: 30 * D } as const;
  assert.equal(optionReasonText(outside), "7d1h ago is outside the 7d PITR window");
  // Far enough apart, the short form stays.
  assert.equal(optionReasonText({ ...outside, agoMs: 9 * D }), "9d ago is outside the 7d PITR window");
  const retained = { ...outside, agoMs: 4 * D + 5 * H, windowMs: 4 * D + 4 * H, limitedBy: "base-retention", retainMs: 5 * D } as const;
  assert.match(optionReasonText(retained), /^4d5h ago is before the oldest base backup still kept \(taken 4d4h before the damage was noticed; 5d retention\).* reaches back only 4d4h of the 7d PITR window$/);
});

test("an impossible option loses nothing because it restores nothing: its lost writes and writes to reconcile read '–', and null in JSON (found by a review: '0' lost writes beside 'no' read like 'nothing lost')", async () => {
  const { lostWritesCell, reconcileCell } = await import("../../src/report/simulate/recovery-words.js");
  const { simulate } = await import("../../src/engine/simulate.js");
  const { loadFile } = await import("../../src/model/load.js");
  const { recoveryText } = await import("../../src/report/simulate/recovery.js");
  const { simulationJson } = await import("../../src/report/simulate/json.js");
  const { Chalk } = await import("chalk");
  const impossible: RecoveryOption = { method: "pitr", feasible: false, reason: { kind: "no-archive" }, targetAtMs: MIN, restoreMs: null, mergeMs: null, totalMs: null, lostWrites: 0, reconcileWrites: 0, rpoMs: null };
  assert.equal(lostWritesCell(impossible), "–");
  assert.equal(reconcileCell(impossible), "–");
  // A possible option that loses nothing still says 0.
  assert.equal(lostWritesCell({ ...impossible, feasible: true }), "0");
  const loaded = loadFile("scenarios/deleted-nine-days-ago.yaml");
  assert.equal(loaded.kind, "scenario");
  const result = simulate((loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario);
  const text = recoveryText(result, new Chalk({ level: 0 }), { width: 200 });
  const pitrRow = text.split("\n").find((l) => l.includes("point-in-time restore") && l.includes(" no "));
  assert.ok(pitrRow, text);
  assert.doesNotMatch(pitrRow, /│ 0 /, pitrRow);
  assert.match(pitrRow, /│ – +│ – +│/, pitrRow);
  const options = (simulationJson(result) as { recovery: { options: { method: string; feasible: boolean; lostWrites: number | null; reconcileWrites: number | null }[] } }).recovery.options;
  const pitr = options.find((o) => o.method === "pitr");
  assert.equal(pitr?.feasible, false);
  assert.equal(pitr?.lostWrites, null);
  assert.equal(pitr?.reconcileWrites, null);
});

test("an unrecoverable bad write's count is a floor in the summary as in the table (found by a review: '(905 writes' worth of data)' beside '≥ 905')", () => {
  const text = verdictText({ kind: "bad-write-unrecoverable", dataClass: "orders", lostWrites: 905, replicatedInMs: null });
  assert.match(text, /the damaged rows of orders are unrecoverable \(at least 905 writes' worth of data\)/);
});
