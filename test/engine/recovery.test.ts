// The recovery planner records typed facts: the incident, each option's reason
// with the numbers that decide it, each restore drill's outcome and the
// verdict. These tests read those fields, never the report's English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate, simulateWithHistory } from "../../src/engine/simulate.js";
import { judge, oracleById } from "../../src/swarm/oracles.js";
import type { Recovery } from "../../src/engine/recovery.js";
import { scenarioFrom, scenarioText } from "./helpers.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { factsOf } from "../../src/engine/result.js";

function recoveryOf(name: string): Recovery {
  const recovery = simulate(scenarioFrom(join(process.cwd(), "scenarios", `${name}.yaml`))).recovery;
  assert.ok(recovery, `${name} plans a recovery`);
  return recovery;
}

const DAY = 86_400_000;

test("a delete noticed after the PITR window: the snapshot saves the data, PITR is out of its window", () => {
  const r = recoveryOf("deleted-nine-days-ago");
  assert.equal(r.incident.kind, "bad-write");
  if (r.incident.kind === "bad-write") {
    assert.equal(r.incident.statement, "delete");
    assert.equal(r.incident.dataClass, "orders");
    assert.ok(r.incident.noticedAtMs - r.incident.atMs > 7 * DAY);
  }
  const pitr = r.options.find((o) => o.method === "pitr");
  const agoMs = r.incident.kind === "bad-write" ? r.incident.noticedAtMs - r.incident.atMs : NaN;
  assert.deepEqual(pitr?.reason, { kind: "outside-pitr-window", agoMs, windowMs: 7 * DAY, pitrWindowMs: 7 * DAY, limitedBy: "pitr-window", retainMs: 30 * DAY });
  assert.equal(r.method, "base-backup");
  assert.equal(r.verdict.kind, "backups-save");
  if (r.verdict.kind === "backups-save") {
    assert.equal(r.verdict.chosen.method, "base-backup");
    assert.equal(r.verdict.chosen.reason.kind, "restore-snapshot");
    assert.ok(r.verdict.replicatedInMs !== null, "the delete reached every replica");
  }
  assert.equal(r.options.at(-1)?.reason.kind, "give-up");
});

/** A delete at 5m on payments-7d-pitr with its daily base backups kept only `retain`, noticed `after` later. */
function shortRetention(retain: string, after: string): Recovery {
  const scenario = scenarioText(`kind: scenario
name: short-retention
topology: ${process.cwd()}/topologies/payments-7d-pitr.yaml
seed: 37
duration: 10m
workload: { writes: 100, reads: 200, clients: 50 }
faults:
  - { at: 5m, bad_write: { class: orders, statement: delete, rows: 2%, noticed_after: ${after} } }
`);
  const backups = scenario.topology.backups!;
  const retainMs = { "3d": 3 * DAY, "5d": 5 * DAY }[retain]!;
  return simulate({ ...scenario, topology: { ...scenario.topology, backups: { ...backups, baseBackups: { ...backups.baseBackups!, retainMs } } } }).recovery!;
}

test("point-in-time restore reaches back no further than the oldest base backup still kept, whatever pitr_window says (found by a review: 'no retained base backup' and the 7d window, never the reach)", () => {
  // payments-7d-pitr: pitr_window 7d, daily base backups; the one before the delete at 5m was taken 4.3h before it.
  const before = shortRetention("3d", "2.5d").options.find((o) => o.method === "pitr")!;
  assert.equal(before.reason.kind, "replay-archive", "2.5d + 4.3h is within 3d: the base backup before the delete is kept");
  for (const [retain, after] of [["3d", "3.5d"], ["3d", "6d"], ["5d", "6d"]] as const) {
    const r = shortRetention(retain, after);
    const pitr = r.options.find((o) => o.method === "pitr")!;
    assert.equal(pitr.feasible, false);
    assert.equal(pitr.reason.kind, "outside-pitr-window", `${retain} retention, noticed ${after} later`);
    if (pitr.reason.kind !== "outside-pitr-window") continue;
    const retainMs = retain === "3d" ? 3 * DAY : 5 * DAY;
    assert.equal(pitr.reason.limitedBy, "base-retention");
    assert.equal(pitr.reason.pitrWindowMs, 7 * DAY);
    assert.equal(pitr.reason.retainMs, retainMs);
    // The reach is the oldest kept base backup's age: between retain − every and retain, as the lint says.
    assert.ok(pitr.reason.windowMs > retainMs - DAY && pitr.reason.windowMs <= retainMs, `reach ${pitr.reason.windowMs / DAY}d`);
    assert.ok(pitr.reason.agoMs > pitr.reason.windowMs);
  }
});

test("a logical dump of the class loses the least when it is retained, and says what its reload costs", () => {
  const r = recoveryOf("deleted-nine-days-ago-logical");
  assert.equal(r.method, "logical-backup");
  const logical = r.options.find((o) => o.method === "logical-backup");
  const snapshot = r.options.find((o) => o.method === "base-backup");
  assert.ok(logical?.feasible && snapshot?.feasible);
  assert.equal(logical.reason.kind, "reload-dump");
  if (logical.reason.kind === "reload-dump") assert.equal(logical.reason.dumpAtMs, logical.targetAtMs);
  assert.ok(logical.lostWrites < snapshot.lostWrites);
  // orders is the whole database here: reloading it row by row is slower than copying the snapshot back, and the
  // verdict names the quicker option it passed over (found by a review: "reloads one table in minutes" beside a reload as slow as the snapshot).
  assert.ok((logical.totalMs ?? 0) > (snapshot.totalMs ?? Infinity));
  assert.equal(r.verdict.kind === "backups-save" ? r.verdict.quicker : null, snapshot);
});

const GB = 1024 ** 3;
const MB = 1024 ** 2;

test("a logical dump reloads row by row: several times slower per byte than copying a base backup back, and only its table (found by a review: both at the copy's speed)", () => {
  // bad-delete-in-deploy: 500 GB at 200 MB/s; accounts is 40% of the data (200 GB), dumped daily.
  const r = recoveryOf("bad-delete-in-deploy");
  const logical = r.options.find((o) => o.method === "logical-backup")!;
  const snapshot = r.options.find((o) => o.method === "base-backup")!;
  const perByte = (o: typeof logical, bytes: number) => (o.restoreMs ?? NaN) / bytes;
  assert.ok(perByte(logical, 200 * GB) >= 3 * perByte(snapshot, 500 * GB), `logical ${logical.restoreMs} ms for 200 GB, snapshot ${snapshot.restoreMs} ms for 500 GB`);
  // The default rate, a quarter of the copy's: 200 GB at 50 MB/s.
  assert.equal(Math.round(logical.restoreMs ?? 0), Math.round(((200 * GB) / (50 * MB)) * 1000));
  assert.deepEqual(logical.reason.kind === "reload-dump" ? [logical.reason.tableBytes, logical.reason.restoreBytesPerSecond] : null, [200 * GB, 50 * MB]);
});

test("backups.logical.restore sets the reload rate: twice the rate, half the reload; the snapshot does not move", () => {
  const base = scenarioFrom(join(process.cwd(), "scenarios", "deleted-nine-days-ago-logical.yaml"));
  const withRate = (bytesPerSecond: number) => {
    const backups = base.topology.backups!;
    const r = simulate({ ...base, topology: { ...base.topology, backups: { ...backups, logical: { ...backups.logical!, restoreBytes: bytesPerSecond } } } }).recovery!;
    return { logical: r.options.find((o) => o.method === "logical-backup")!, snapshot: r.options.find((o) => o.method === "base-backup")! };
  };
  const slow = withRate(40 * MB);
  const fast = withRate(80 * MB);
  assert.ok(Math.abs((slow.logical.restoreMs ?? 0) / (fast.logical.restoreMs ?? 1) - 2) < 1e-9);
  assert.equal(slow.snapshot.restoreMs, fast.snapshot.restoreMs);
});

test("every option that restores something reports its total the same way: the restore, then the merge back into production (found by a review: the email=NULL case printed no total)", () => {
  for (const name of ["update-users-email-null", "deleted-nine-days-ago", "deleted-nine-days-ago-logical", "bad-delete-in-deploy", "region-loss-async-dr"]) {
    const r = recoveryOf(name);
    for (const o of r.options) {
      if (!o.feasible || o.restoreMs === null) {
        assert.equal(o.totalMs, null, `${name} ${o.method}: nothing restored, no total`);
        continue;
      }
      assert.ok(o.mergeMs !== null && o.mergeMs >= 0, `${name} ${o.method}: a merge time`);
      assert.equal(o.totalMs, o.restoreMs + (o.mergeMs ?? NaN), `${name} ${o.method}: total = restore + merge`);
      // After a bad write the damaged rows go back through a merge; after a lost region the restored copy is production.
      assert.equal((o.mergeMs ?? 0) > 0, r.incident.kind === "bad-write", `${name} ${o.method}: merge`);
    }
    const chosen = r.options.find((o) => o.method === r.method && o.feasible)!;
    assert.equal(r.totalMs, chosen.totalMs, name);
  }
});

test("the email=NULL recovery: a restore of tens of minutes, then the merge, 30 to 60 minutes in all", () => {
  const r = recoveryOf("update-users-email-null");
  assert.equal(r.method, "pitr");
  assert.ok(r.restoreMs! > 10 * 60_000 && r.restoreMs! < 30 * 60_000, `restore ${r.restoreMs}`);
  assert.ok(r.totalMs! > 30 * 60_000 && r.totalMs! < 60 * 60_000, `total ${r.totalMs}`);
  // The merge moves the damaged rows (all of users' 1 TB) at the topology's merge rate, 512 MB/s, plus the writes to reconcile.
  assert.ok(Math.abs(r.mergeMs! - ((1024 * GB + r.reconcileWrites * 1024) / (512 * MB)) * 1000) < 1);
});

test("with the backups' region gone, every option but giving up names the lost region", () => {
  const r = recoveryOf("backup-region-lost");
  assert.equal(r.method, "none");
  assert.deepEqual(
    r.options.map((o) => [o.method, o.feasible, o.reason.kind]),
    [
      ["pitr", false, "archive-region-lost"],
      ["base-backup", false, "snapshot-region-lost"],
      ["none", true, "give-up"],
    ],
  );
  assert.equal(r.verdict.kind, "bad-write-unrecoverable");
  if (r.verdict.kind === "bad-write-unrecoverable") assert.equal(r.verdict.lostWrites, r.lostWrites);
  // No restore point exists, so giving up counts the run's own writes and says so.
  const giveUp = r.options.at(-1)!.reason;
  assert.equal(giveUp.kind === "give-up" && giveUp.since, "run-start");
});

test("without backups the only option records how many writes are gone", () => {
  const r = recoveryOf("no-backups-bad-update");
  assert.equal(r.options.length, 1);
  const [only] = r.options;
  assert.equal(only.reason.kind, "no-backups");
  if (only.reason.kind === "no-backups") assert.equal(only.reason.lostWrites, only.lostWrites);
});

test("a guard that refuses the statement leaves nothing to recover", () => {
  const r = recoveryOf("guard-blocks-update");
  assert.equal(r.needed, false);
  assert.deepEqual(r.verdict, { kind: "guard-refused", statement: "update-all" });
  assert.deepEqual(r.options, []);
});

test("a statement the guard refused, then a DELETE it let through: the DELETE is the incident (found by a review: 'NOTHING TO RECOVER — the damage never happened' beside an 8% DELETE on every replica)", () => {
  const r = simulate(
    scenarioText(
      `kind: scenario
name: guarded-then-deleted
topology: ../topologies/payments.yaml
seed: 23
duration: 3m
workload: { writes: 300, reads: 600, clients: 100 }
faults:
  - { at: 30s, bad_write: { class: accounts, statement: update-all, noticed_after: 1m } }
  - { at: 60s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 1m } }
`,
      join(process.cwd(), "scenarios", "inline.yaml"),
    ),
  );
  const recovery = r.recovery!;
  assert.equal(recovery.needed, true);
  assert.equal(recovery.method, "pitr");
  assert.equal(recovery.incident.kind, "bad-write");
  if (recovery.incident.kind === "bad-write") {
    assert.equal(recovery.incident.statement, "delete");
    assert.equal(recovery.incident.atMs, 60_000);
  }
  assert.equal(recovery.targetAtMs, 60_000 - 1);
});

test("a lost region with a replica elsewhere: failover handles it, the cross-region restore is timed", () => {
  const r = recoveryOf("region-loss-async-dr");
  assert.equal(r.incident.kind, "region-lost");
  assert.equal(r.method, "failover");
  assert.deepEqual(r.options[0].reason, { kind: "replica-promoted" });
  const pitr = r.options[1];
  assert.equal(pitr.reason.kind, "cross-region-restore");
  if (pitr.reason.kind === "cross-region-restore" && r.incident.kind === "region-lost") {
    assert.equal(pitr.reason.archivedUntilMs + pitr.reason.archiveLagMs, r.incident.atMs);
    assert.ok(pitr.reason.walBytes >= 0);
  }
  // The promoted replica was lagging (lagging_candidates: promote), and the old leader's WAL went with its region;
  // the WAL archive in us-west was 4.3 s behind, so it holds none of the lost writes.
  const archive = { kind: "held", heldWrites: 0, lagMs: 4297.1, replay: { reachableWrites: 0, stoppedBy: null, gap: null } };
  const losses = [{ cause: "lagging-promoted", lostWrites: r.lostWrites, oldLeader: "pg-a", newLeader: "pg-dr", oldLeaderLost: true, oldLeaderRejoinedMs: null, archive }];
  assert.deepEqual(r.verdict, { kind: "failover-handled", lostWrites: r.lostWrites, losses, backupRestoreMs: pitr.restoreMs });
  assert.deepEqual(r.ackedLosses, losses);
});

test("backups that name no region sit beside the data: they go with the leader's region (found by a review: they survived it)", () => {
  const base = scenarioFrom(join(process.cwd(), "scenarios", "region-loss-async-dr.yaml"));
  const backups = base.topology.backups!;
  const unnamed = {
    ...base,
    topology: { ...base.topology, backups: { ...backups, walArchive: { ...backups.walArchive, region: null }, baseBackups: { ...backups.baseBackups!, region: null } } },
  };
  const pitr = simulate(unnamed).recovery!.options[1];
  assert.equal(pitr.feasible, false);
  assert.deepEqual(pitr.reason, { kind: "backups-in-lost-region", lost: "both" });
});

test("a drill that restores everything passes, though the restore takes longer than a failover RTO (found by a review: 'passed' and 'FAILED' at once)", () => {
  const result = simulate(
    scenarioText(`kind: scenario
name: drill-over-rto
topology: ${process.cwd()}/topologies/payments.yaml
seed: 53
duration: 2h40m
workload: { writes: 20, reads: 20, clients: 20 }
faults:
  - { at: 2h30m, restore_drill: {} }
`),
  );
  const [drill] = result.recovery!.drills;
  assert.equal(drill.outcome, "over-rto");
  assert.equal(drill.ok, true);
  assert.ok(drill.restoreMs > 30 * 60_000, "a 500 GB restore takes most of an hour");
  assert.equal(factsOf(result.timeline, "restore-drill-failed").length, 0);
});

/** payments (archive_timeout 60s, tightest RPO 0) with archiving failing from 10m for `failFor`, and a restore drill at `drillAt`. */
function drillWhileArchiving(failFor: string, drillAt: string) {
  return simulate(
    scenarioText(`kind: scenario
name: drill-while-archiving-fails
topology: ${process.cwd()}/topologies/payments.yaml
seed: 53
duration: 2h40m
workload: { writes: 20, reads: 20, clients: 20 }
faults:
  - { at: 10m, archive_fails: true, for: ${failFor} }
  - { at: ${drillAt}, restore_drill: {} }
`),
  );
}

test("a restore drill whose newest point is stale fails, though the archive has no gap (found by a review: a drill during a 2h archive failure passed, restoring to 9m at 2h)", () => {
  const during = drillWhileArchiving("2h", "2h");
  const [drill] = during.recovery!.drills;
  assert.equal(drill.outcome, "stale-restore-point");
  assert.equal(drill.ok, false);
  if (drill.outcome === "stale-restore-point") {
    assert.ok(drill.reachedAtMs < 10 * 60_000, "the last segment shipped before the failure");
    assert.equal(drill.ageMs, 2 * 3_600_000 - drill.reachedAtMs);
    assert.equal(drill.limitMs, 2 * 60_000, "two archive_timeouts: every class's RPO is tighter than the archive can be");
    assert.equal(drill.limitBy, "archive-interval");
    assert.equal(drill.archiveFailing, true);
  }
  assert.equal(factsOf(during.timeline, "restore-drill-failed").length, 1);
  // Once the failure ends the backlog ships: a drill then reaches within a switch of its own time, and passes.
  const [after] = drillWhileArchiving("1h", "2h").recovery!.drills;
  assert.equal(after.ok, true, after.outcome);
  assert.ok(2 * 3_600_000 - after.reachedAtMs <= 60_000);
});

test("a restore drill during a failure of archiving that is still inside the staleness limit passes, and records the failure (found by a review: it passed with no note)", () => {
  const [early] = drillWhileArchiving("2h", "10m40s").recovery!.drills;
  assert.equal(early.ok, true, early.outcome);
  assert.ok(early.outcome === "passed" || early.outcome === "over-rto");
  if (early.outcome === "passed" || early.outcome === "over-rto") assert.equal(early.archiveFailingSinceMs, 10 * 60_000);
  // Once archiving works again, nothing to note.
  const [after] = drillWhileArchiving("1h", "2h").recovery!.drills;
  if (after.outcome === "passed" || after.outcome === "over-rto") assert.equal(after.archiveFailingSinceMs, null);
  else assert.fail(after.outcome);
});

/** A bad write after archiving failed for five minutes from 20 s; `crash` takes the leader down during the failure (a failover promotes pg-b). */
function failedArchiveThenBadWrite(crash: boolean): Recovery {
  const scenario = scenarioText(`kind: scenario
name: gap-then-bad-write
topology: ${process.cwd()}/topologies/payments.yaml
seed: 23
duration: 12m
workload: { writes: 300, reads: 600, clients: 100 }
faults:
  - { at: 20s, archive_fails: true, for: 5m }
${crash ? "  - { at: 3m, crash: pg-a }\n" : ""}  - { at: 6m, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 5m } }
`);
  const backups = { ...scenario.topology.backups!, auditLog: false, logical: null };
  return simulate({ ...scenario, topology: { ...scenario.topology, backups } }).recovery!;
}

test("archiving that failed and came back leaves no gap: the segments waited in pg_wal and shipped, so the point-in-time restore reaches just before the bad write (found by a review: it stopped where the failure began, as if the segments were lost)", () => {
  const r = failedArchiveThenBadWrite(false);
  const pitr = r.options.find((o) => o.method === "pitr")!;
  assert.equal(r.method, "pitr");
  assert.equal(pitr.reason.kind, "replay-archive");
  assert.equal(pitr.targetAtMs, 360_000 - 1, "just before the bad write");
  assert.equal(pitr.lostWrites, 0);
  assert.ok(pitr.rpoMs! <= 1);
});

test("a failover while archiving fails leaves a gap: the old leader's finished segments never reach the archive, and the point-in-time restore stops where the gap begins", () => {
  const r = failedArchiveThenBadWrite(true);
  const pitr = r.options.find((o) => o.method === "pitr")!;
  assert.equal(r.method, "pitr");
  assert.equal(pitr.feasible, true);
  assert.equal(pitr.reason.kind, "replay-to-gap");
  if (pitr.reason.kind !== "replay-to-gap") return;
  const gap = pitr.reason.gap;
  // The gap runs from the last segment shipped before the failure (archive_timeout 60 s) to pg-a's last switch before its crash.
  assert.ok(gap.startMs <= 20_000 && gap.startMs > 20_000 - 60_000, `gap from ${gap.startMs}`);
  assert.ok(gap.endMs >= 20_000 && gap.endMs <= 180_000 && gap.endMs > 180_000 - 60_000, `gap to ${gap.endMs}`);
  assert.equal(pitr.targetAtMs, gap.startMs, "replayed up to where the gap begins");
  assert.equal(pitr.rpoMs, 360_000 - gap.startMs);
  // The damaged rows' writes between the gap and the bad write: about (360 − 20) s × 300/s × 0.4 (accounts) × 8 %, about 3,300.
  assert.ok(pitr.lostWrites > 2_500 && pitr.lostWrites < 4_500, `about 3,300 lost (got ${pitr.lostWrites})`);
});

test("a restore drill finds the archive's gap before any incident does", () => {
  const r = recoveryOf("drill-finds-broken-archive");
  assert.equal(r.incident.kind, "none");
  assert.deepEqual(r.verdict, { kind: "no-damage", drills: "some-failed" });
  const [drill] = r.drills;
  assert.equal(drill.ok, false);
  assert.equal(drill.outcome, "archive-gap");
  if (drill.outcome === "archive-gap") {
    assert.equal(drill.reachedAtMs, drill.gap.startMs, "replay stops where the gap starts");
    assert.ok(drill.gap.endMs > drill.gap.startMs);
  }
});

test("giving up never loses fewer writes than a restore would: its count reaches back to the oldest restore point (found by a review: 600 beside a snapshot's 31,191)", () => {
  for (const name of ["deleted-nine-days-ago", "deleted-nine-days-ago-logical", "update-users-email-null", "bad-delete-in-deploy"]) {
    const r = recoveryOf(name);
    const giveUp = r.options.find((o) => o.method === "none");
    assert.ok(giveUp, name);
    for (const o of r.options) if (o.feasible && o.method !== "none") assert.ok(giveUp.lostWrites >= o.lostWrites, `${name}: give up ${giveUp.lostWrites} < ${o.method} ${o.lostWrites}`);
  }
});

test("a bad write noticed before the archive shipped its WAL: the restore waits for the next switch (archive_timeout at most) instead of falling back to a snapshot that loses writes (found by a review)", () => {
  const plan = (noticedAfter: string) => {
    const scenario = scenarioText(`kind: scenario
name: noticed-early
topology: ${process.cwd()}/topologies/payments.yaml
seed: 23
duration: 8m
workload: { writes: 300, reads: 600, clients: 100 }
faults:
  - { at: 60s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: ${noticedAfter} } }
`);
    const backups = { ...scenario.topology.backups!, auditLog: false, logical: null };
    return simulate({ ...scenario, topology: { ...scenario.topology, backups } }).recovery!;
  };
  // Noticed 2 s after the bad write: its segment (16MB, about a minute of this workload's WAL) has not filled yet.
  const early = plan("2s");
  const pitr = early.options.find((o) => o.method === "pitr")!;
  assert.equal(early.method, "pitr");
  assert.equal(early.lostWrites, 0);
  assert.equal(pitr.reason.kind, "replay-archive");
  const waitMs = pitr.reason.kind === "replay-archive" ? pitr.reason.archiveWaitMs : NaN;
  assert.ok(waitMs > 0 && waitMs <= 60_000, `waits ${waitMs} ms, within archive_timeout (60 s)`);
  // The wait passes while the 500GB base backup is copied back (42.7 min): the restore takes as long as when noticed
  // later (found by a review: the wait was added to it).
  const later = plan("5m").options.find((o) => o.method === "pitr")!;
  assert.equal(later.reason.kind === "replay-archive" && later.reason.archiveWaitMs, 0);
  assert.ok(Math.abs((pitr.restoreMs ?? NaN) - (later.restoreMs ?? NaN)) < 1, `${pitr.restoreMs} ms noticed early, ${later.restoreMs} ms later`);
  assert.equal(pitr.reason.kind === "replay-archive" && pitr.reason.addedMs, 0);
  assert.equal(pitr.reason.kind === "replay-archive" && pitr.reason.waitsFor, "switch");
});

test("a replay waiting for WAL held back by a failure of archiving says so, not that the next switch ships it (found by a review: 'the archive's next switch ships it' 15 min before the failure ended)", () => {
  const scenario = scenarioText(`kind: scenario
name: bad-write-during-archive-failure
topology: ${process.cwd()}/topologies/payments-7d-pitr.yaml
seed: 53
duration: 1h
workload: { writes: 20, reads: 20, clients: 20 }
faults:
  - { at: 10m, archive_fails: true, for: 30m }
  - { at: 20m, bad_write: { class: orders, statement: delete, rows: 2%, noticed_after: 5m } }
`);
  const pitr = simulate(scenario).recovery!.options.find((o) => o.method === "pitr")!;
  assert.equal(pitr.reason.kind, "replay-archive");
  if (pitr.reason.kind !== "replay-archive") return;
  // Noticed at 25m; the failure ends at 40m, when the held-back segments ship.
  assert.equal(pitr.reason.archiveWaitMs, 15 * 60_000);
  assert.equal(pitr.reason.waitsFor, "archiving-restored");
});

test("a wait for the archive's next switch overlaps the copy of the base backup: the restore ends when the later of the two is done (found by a review: a 23.5 min wait added to a 42.7 min copy)", () => {
  const plan = (dataSize: number, archiveTimeoutMs: number) => {
    // 5 writes/s of 1KB fill a segment in 55 min: archive_timeout decides the switch.
    const scenario = scenarioText(`kind: scenario
name: noticed-early
topology: ${process.cwd()}/topologies/payments.yaml
seed: 3
duration: 3m
workload: { writes: 5, reads: 10, clients: 10 }
faults:
  - { at: 60s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 2s } }
`);
    const b = scenario.topology.backups!;
    const backups = { ...b, auditLog: false, logical: null, walArchive: { ...b.walArchive, archiveTimeoutMs }, restore: { ...b.restore, dataSizeBytes: dataSize } };
    const pitr = simulate({ ...scenario, topology: { ...scenario.topology, backups } }).recovery!.options.find((o) => o.method === "pitr")!;
    assert.equal(pitr.reason.kind, "replay-archive");
    return { pitr, reason: pitr.reason as Extract<typeof pitr.reason, { kind: "replay-archive" }>, copyMs: (dataSize / b.restore.throughputBytes) * 1000 };
  };
  const GB = 1024 ** 3;
  const MIN = 60_000;
  // 500GB copied at 200MB/s takes 42.7 min; the switch comes within the 30 min timeout: hidden behind the copy.
  const big = plan(500 * GB, 30 * MIN);
  assert.ok(big.reason.archiveWaitMs > 0 && big.reason.archiveWaitMs <= 30 * MIN);
  assert.ok(big.pitr.restoreMs! < big.copyMs + 60_000, `restore ${big.pitr.restoreMs} ms, copy ${big.copyMs} ms, wait ${big.reason.archiveWaitMs} ms`);
  assert.equal(big.reason.addedMs, 0);
  // 1GB copies in 5 s: the restore waits for the switch, then replays what it ships (seconds of WAL).
  const small = plan(1 * GB, 30 * MIN);
  assert.ok(small.reason.archiveWaitMs > 60_000);
  assert.ok(small.pitr.restoreMs! >= small.reason.archiveWaitMs && small.pitr.restoreMs! < small.reason.archiveWaitMs + 10_000, `restore ${small.pitr.restoreMs} ms, wait ${small.reason.archiveWaitMs} ms`);
  assert.ok(small.reason.addedMs > 0 && small.reason.addedMs <= small.reason.archiveWaitMs);
});

test("a lost region with the base backups copied out of it (copy_to): the cross-region restore starts from the copy (found by a review: 'backups in the lost region')", () => {
  const base = scenarioFrom(join(process.cwd(), "scenarios", "region-loss-async-dr.yaml"));
  const backups = base.topology.backups!;
  const withBase = (copyTo: string | null) =>
    simulate({ ...base, topology: { ...base.topology, backups: { ...backups, baseBackups: { ...backups.baseBackups!, region: "us-east", copyTo } } } }).recovery!.options[1];
  const copied = withBase("us-west");
  assert.equal(copied.feasible, true);
  assert.equal(copied.reason.kind, "cross-region-restore");
  assert.equal(withBase(null).feasible, false);
});

test("a restore drill after the backups' region is lost fails, and says which part is gone (found by a review: it passed from a lost region)", () => {
  const drillAfter = (lose: string, archiveRegion: string | null) => {
    const scenario = scenarioText(`kind: scenario
name: drill-after-loss
topology: ${process.cwd()}/topologies/payments-7d-pitr.yaml
seed: 59
duration: 5m
workload: { writes: 200, reads: 400, clients: 50 }
faults:
  - { at: 30s, lose: ${lose} }
  - { at: 90s, restore_drill: {} }
`);
    const backups = scenario.topology.backups!;
    const moved = { ...backups, walArchive: { ...backups.walArchive, region: archiveRegion ?? backups.walArchive.region }, baseBackups: { ...backups.baseBackups!, region: "us-east" } };
    return simulate({ ...scenario, topology: { ...scenario.topology, backups: archiveRegion === null ? backups : moved } }).recovery!.drills[0];
  };
  const baseGone = drillAfter("us-west", null);
  assert.equal(baseGone.ok, false);
  assert.deepEqual([baseGone.outcome, baseGone.outcome === "backups-region-lost" && baseGone.lost], ["backups-region-lost", "base-backups"]);
  // Base backups beside the data in us-east survive; the archive went with us-west: the restore stops at the base backup.
  const archiveGone = drillAfter("us-west", "us-west");
  assert.equal(archiveGone.ok, false);
  assert.deepEqual([archiveGone.outcome, archiveGone.outcome === "backups-region-lost" && archiveGone.lost], ["backups-region-lost", "archive"]);
});

test("the leader's region lost, and the DR replica nofailover: the way back is promoting it by hand, not the backups (found by a review: 'no replica survived outside us-east')", async () => {
  const { headlineText, verdictText } = await import("../../src/report/simulate/recovery-words.js");
  const scenario = scenarioText(
    `kind: scenario
name: region-gone
topology: ../topologies/payments.yaml
seed: 5
duration: 2m
workload: { writes: 200, reads: 400, clients: 50, zones: [us-east/a, us-west/a] }
faults:
  - { at: 30s, lose: us-east }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  const r = simulate(scenario);
  const recovery = r.recovery as Recovery;
  assert.equal(r.totals.failovers, 0, "pg-dr is nofailover: nothing promoted it");
  assert.equal(recovery.verdict.kind, "promote-by-hand");
  const [byHand, restore] = recovery.options;
  assert.equal(byHand.method, "failover");
  assert.ok(byHand.feasible && byHand.reason.kind === "replica-not-promoted" && byHand.reason.node === "pg-dr" && byHand.reason.nofailover);
  // The operator's delay (the preset's 15 minutes) is the way back; the restore is slower and loses the archive's lag.
  assert.equal(byHand.totalMs, scenario.topology.failover.operatorDelayMs);
  assert.ok(restore.method === "pitr" && restore.feasible && restore.totalMs! > byHand.totalMs! && restore.lostWrites > byHand.lostWrites, JSON.stringify(restore));
  assert.equal(recovery.method, "failover");
  assert.equal(recovery.needed, false);
  assert.match(headlineText(recovery), /^A PERSON MUST PROMOTE PG-DR — the data survived outside us-east/);
  const words = verdictText(recovery.verdict);
  assert.match(words, /pg-dr holds the data outside us-east, but nothing promoted it \(it is nofailover/);
  assert.doesNotMatch(words, /No replica survived/);
  assert.match(words, /Restoring from the cross-region backups instead would take/);
});

/** One region holds every node; the WAL archive and base backups live in another (found by a review: RPO was every write of the run). */
function everyNodeLost(options: { loseAtS: number; archiveTimeout: string; backups?: boolean; duration?: string; archiveFailsAtS?: number; loseForS?: number }): string {
  const backups = options.backups === false
    ? ""
    : `  backups:
    wal_archive: { mode: continuous, archive_timeout: ${options.archiveTimeout}, region: us-west }
    base_backups: { every: 24h, retain: 30d, region: us-west }
    pitr_window: 7d
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 50GB }
`;
  return `kind: scenario
name: every-node-lost
seed: 5
duration: ${options.duration ?? "200s"}
topology:
  kind: topology
  name: archive-only
  preset: patroni
  regions:
    us-east: { zones: [a, b, c] }
    us-west: { zones: [a] }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-east/b }
  replication: { mode: leader-follower, synchronous: { standbys: "FIRST 1 (db-b)", commit: on, strict: true } }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: us-east
    endpoint: { kind: proxy, check_interval: 1s }
${backups}  data_classes:
    orders: { rpo: 1m, rto: 1h, share: 0.7 }
    events: { rpo: 0, rto: 1h, share: 0.3 }
workload: { writes: 100, reads: 10, clients: 50, zones: [us-east/a, us-west/a] }
faults:
${options.archiveFailsAtS !== undefined ? `  - { at: ${options.archiveFailsAtS}s, archive_fails: true, for: 6h }\n` : ""}  - { at: ${options.loseAtS}s, lose: us-east${options.loseForS !== undefined ? `, for: ${options.loseForS}s` : ""} }
`;
}

test("every node's region lost, the WAL archive elsewhere: each class loses what the archive had not received (its lag), not the whole run", () => {
  for (const [loseAtS, archiveTimeout, boundS] of [[150, "60s", 60], [60, "60s", 60], [120, "60s", 60], [150, "10s", 10]] as const) {
    const r = simulate(scenarioText(everyNodeLost({ loseAtS, archiveTimeout })));
    const recovery = r.recovery!;
    assert.equal(recovery.method, "pitr");
    const lagMs = loseAtS * 1000 - recovery.targetAtMs!;
    assert.ok(lagMs > 0 && lagMs <= boundS * 1000, `lose at ${loseAtS}s, archive_timeout ${archiveTimeout}: archive lag ${lagMs} ms`);
    const lost = r.classes.map((c) => c.rpo.lostAckedWrites);
    // The classes split the restore's loss between them, and the totals agree.
    assert.equal(lost[0] + lost[1], recovery.lostWrites);
    assert.equal(r.totals.writesLost, recovery.lostWrites);
    // About the write rate times the archive's lag, by share (Poisson counts: within 5 standard deviations).
    for (const [i, share] of [0.7, 0.3].entries()) {
      const expected = 100 * share * (lagMs / 1000);
      assert.ok(Math.abs(lost[i] - expected) <= 5 * Math.sqrt(expected) + 1, `${r.classes[i].name}: ${lost[i]} lost, about ${expected.toFixed(0)} expected`);
      assert.equal(r.classes[i].rpo.windowMs, Math.round(lagMs * 10) / 10);
    }
    // The RPO verdicts follow: 1m met with a lag under a minute, 0 missed.
    assert.equal(r.classes[0].verdicts!.rpo, true);
    assert.equal(r.classes[1].verdicts!.rpo, false);
    // The recovery section gives the same writes one cause (not counted a second time): the archive's lag.
    assert.deepEqual(recovery.ackedLosses, [{ cause: "archive-lag", lostWrites: recovery.lostWrites, region: "us-east", archiveLagMs: Math.round(lagMs * 10) / 10, gap: null }]);
    // The swarm's oracle, counting from the write log, agrees.
    const { result, history } = simulateWithHistory(scenarioText(everyNodeLost({ loseAtS, archiveTimeout })));
    assert.deepEqual(judge({ scenario: scenarioText(everyNodeLost({ loseAtS, archiveTimeout })), result, history }, [oracleById("rpo-count")]).failed, []);
  }
  // Without backups nothing survives: every acknowledged write is lost.
  const bare = simulate(scenarioText(everyNodeLost({ loseAtS: 150, archiveTimeout: "60s", backups: false })));
  assert.equal(bare.totals.writesLost, bare.totals.writesAcked);
});

test("every node's region out for a while, not lost for good: its disks and backups come back, so no restore is planned and nothing is counted lost (found by a review: a restore 'needed' that lost writes, beside totals of 0 lost)", () => {
  const r = simulate(scenarioText(everyNodeLost({ loseAtS: 60, archiveTimeout: "60s", loseForS: 60 })));
  const recovery = r.recovery!;
  assert.equal(r.totals.writesLost, 0);
  assert.equal(recovery.needed, false);
  assert.equal(recovery.lostWrites, r.totals.writesLost);
  assert.equal(recovery.incident.kind, "none");
  // Lost for good, the same schedule plans the restore.
  const gone = simulate(scenarioText(everyNodeLost({ loseAtS: 60, archiveTimeout: "60s" }))).recovery!;
  assert.equal(gone.needed, true);
  assert.equal(gone.method, "pitr");
});

/** Two nodes, the WAL archive and base backups in us-west, and the faults given (found by a review: the last copy lost by a zone, or by a second region, planned no restore). */
function lastCopyLost(zones: [string, string], faults: string): string {
  return `kind: scenario
name: last-copy-lost
seed: 5
duration: 150s
topology:
  kind: topology
  name: archive-elsewhere
  preset: patroni
  regions:
    us-east: { zones: [a, b] }
    us-central: { zones: [a] }
    us-west: { zones: [a] }
  nodes:
    db-a: { zone: ${zones[0]}, role: leader }
    db-b: { zone: ${zones[1]} }
  replication: { mode: leader-follower, synchronous: { standbys: "FIRST 1 (db-b)", commit: on, strict: false } }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [us-east/b, us-central/a, us-west/a]
    endpoint: { kind: proxy, check_interval: 1s }
  backups:
    wal_archive: { mode: continuous, archive_timeout: 20s, region: us-west }
    base_backups: { every: 24h, retain: 30d, region: us-west }
    pitr_window: 7d
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 50GB }
  data_classes:
    orders: { rpo: 1m, rto: 1h }
workload: { writes: 100, reads: 10, clients: 50, zones: [us-east/b, us-west/a] }
faults:
${faults}`;
}

test("the last copy of the data lost by a zone, or by a second region after a failover: the restore from the archive elsewhere is planned against that last loss, and loses its lag, not every write (found by a review: 'failover', every acknowledged write lost)", () => {
  const cases = [
    { zones: ["us-east/a", "us-east/a"], faults: "  - { at: 60s, lose: us-east/a }\n", lastS: 60, place: "us-east/a" },
    { zones: ["us-east/a", "us-central/a"], faults: "  - { at: 40s, lose: us-east }\n  - { at: 90s, lose: us-central }\n", lastS: 90, place: "us-central" },
  ] as const;
  for (const c of cases) {
    const text = lastCopyLost([c.zones[0], c.zones[1]], c.faults);
    const r = simulate(scenarioText(text));
    const recovery = r.recovery!;
    assert.deepEqual(recovery.incident, { kind: "region-lost", region: c.place, atMs: c.lastS * 1000 }, c.place);
    assert.equal(recovery.needed, true);
    assert.equal(recovery.method, "pitr");
    // The archive switches at least every archive_timeout: the restore point is at most 20 s before the last loss.
    const lagMs = c.lastS * 1000 - recovery.targetAtMs!;
    assert.ok(lagMs > 0 && lagMs <= 20_000, `${c.place}: archive lag ${lagMs} ms`);
    assert.ok(recovery.lostWrites < r.totals.writesAcked / 2, `${c.place}: ${recovery.lostWrites} lost of ${r.totals.writesAcked}`);
    // Every figure agrees, and the swarm's oracle, counting from the write log, too.
    assert.equal(r.totals.writesLost, recovery.lostWrites);
    assert.equal(r.classes[0].rpo.lostAckedWrites, recovery.lostWrites);
    const { result, history } = simulateWithHistory(scenarioText(text));
    assert.deepEqual(judge({ scenario: scenarioText(text), result, history }, [oracleById("rpo-count")]).failed, []);
  }
  // A zone lost with a node left in another: the failover's, no restore planned.
  const survived = simulate(scenarioText(lastCopyLost(["us-east/a", "us-east/b"], "  - { at: 60s, lose: us-east/a }\n"))).recovery!;
  assert.equal(survived.needed, false);
  assert.notEqual(survived.incident.kind, "region-lost");
});

test("a bad write, then every copy of the data lost before the archive had it: the restore from the archive undoes both, and the plan counts what the totals count (found by a review: 'PITR, nothing lost' beside every write lost)", () => {
  const text = lastCopyLost(["us-east/a", "us-east/b"], "  - { at: 59s, bad_write: { class: orders, statement: delete, rows: 10%, noticed_after: 1m } }\n  - { at: 60s, lose: us-east }\n");
  const r = simulate(scenarioText(text));
  const recovery = r.recovery!;
  assert.ok(recovery.targetAtMs !== null && recovery.targetAtMs < 59_000, `the archive's reach ${recovery.targetAtMs} ms is before the bad write`);
  assert.deepEqual(recovery.incident, { kind: "region-lost", region: "us-east", atMs: 60_000 });
  assert.equal(recovery.method, "pitr");
  assert.ok(recovery.lostWrites > 0 && recovery.lostWrites < r.totals.writesAcked);
  assert.equal(r.totals.writesLost, recovery.lostWrites);
  const { result, history } = simulateWithHistory(scenarioText(text));
  assert.deepEqual(judge({ scenario: scenarioText(text), result, history }, [oracleById("rpo-count")]).failed, []);
});

test("a bad statement the guard refused, then the leader's region lost: the loss is the incident, not the refused statement (found by a review: 'nothing to recover', 0 lost, beside acknowledged writes lost in the totals)", () => {
  const r = simulate(
    scenarioText(
      `kind: scenario
name: guarded-then-lost
topology: ../topologies/payments.yaml
seed: 7
duration: 90s
workload: { writes: 300, reads: 0, clients: 40, zones: [us-east/a, us-west/a] }
faults:
  - { at: 20s, bad_write: { class: accounts, statement: update-all, noticed_after: 30s } }
  - { at: 40s, lose: us-east }
`,
      join(process.cwd(), "scenarios", "inline.yaml"),
    ),
  );
  const recovery = r.recovery!;
  assert.equal(recovery.incident.kind, "region-lost");
  assert.equal(recovery.lostWrites, r.totals.writesLost);
  assert.ok(r.totals.writesLost > 0);
});

test("every node's region lost while archiving fails: the restore reaches the last segment shipped before the failure, and every figure says so (found by a review: the restore stopped at the failure's start, WAL never shipped)", () => {
  const failAtS = 30;
  const lost = (loseAtS: number) => {
    const r = simulate(scenarioText(everyNodeLost({ loseAtS, archiveTimeout: "60s", archiveFailsAtS: failAtS })));
    const recovery = r.recovery!;
    assert.equal(recovery.method, "pitr");
    // The segments finished since the failure began waited in db-a's pg_wal, lost with it: the archive holds what it shipped before.
    const reached = recovery.targetAtMs!;
    assert.ok(reached < failAtS * 1000 && reached >= (failAtS - 60) * 1000, `lose at ${loseAtS}s: reached ${reached}`);
    const pitr = recovery.options.find((o) => o.method === "pitr")!;
    assert.equal(pitr.reason.kind, "cross-region-restore");
    if (pitr.reason.kind === "cross-region-restore") {
      assert.equal(pitr.reason.gap, null, "no hole: nothing was archived after the failure began");
      assert.equal(pitr.reason.archivedUntilMs, reached);
      assert.equal(pitr.reason.archiveLagMs, loseAtS * 1000 - reached);
    }
    assert.equal(pitr.rpoMs, loseAtS * 1000 - reached);
    // Every figure agrees: the classes, the totals, the chosen option, the cause.
    assert.equal(r.classes.reduce((n, c) => n + c.rpo.lostAckedWrites, 0), recovery.lostWrites);
    assert.equal(r.totals.writesLost, recovery.lostWrites);
    assert.equal(pitr.lostWrites, recovery.lostWrites);
    for (const c of r.classes) assert.ok(Math.abs(c.rpo.windowMs! - (loseAtS * 1000 - reached)) < 0.1, `${c.rpo.windowMs}`);
    assert.equal(recovery.ackedLosses.length, 1);
    const [loss] = recovery.ackedLosses;
    assert.equal(loss.cause, "archive-lag");
    if (loss.cause === "archive-lag") {
      assert.equal(loss.lostWrites, recovery.lostWrites);
      assert.equal(loss.gap, null);
      assert.ok(Math.abs(loss.archiveLagMs - pitr.rpoMs!) < 0.1);
    }
    // 1m RPO missed: the window reaches back before the failure.
    assert.equal(r.classes[0].verdicts!.rpo, false);
    // About 100 writes/s times the time since the last shipped segment (Poisson: within 5 standard deviations).
    const expected = (100 * (loseAtS * 1000 - Math.max(0, reached))) / 1000;
    assert.ok(Math.abs(recovery.lostWrites - expected) <= 5 * Math.sqrt(expected), `lose at ${loseAtS}s: ${recovery.lostWrites} lost, about ${expected} expected`);
    return recovery.lostWrites;
  };
  // A later loss loses more: everything since the last segment shipped.
  assert.ok(lost(150) > lost(100));
});

test("every node's region lost after archiving failed and came back: the backlog shipped when it did, so the restore loses only the usual archive lag (found by a review: it lost everything since the failure began)", () => {
  const text = everyNodeLost({ loseAtS: 600, archiveTimeout: "60s", archiveFailsAtS: 30, duration: "11m" }).replace("archive_fails: true, for: 6h", "archive_fails: true, for: 5m");
  const r = simulate(scenarioText(text));
  const recovery = r.recovery!;
  assert.equal(recovery.method, "pitr");
  const pitr = recovery.options.find((o) => o.method === "pitr")!;
  assert.equal(pitr.reason.kind, "cross-region-restore");
  if (pitr.reason.kind === "cross-region-restore") assert.equal(pitr.reason.gap, null);
  // archive_timeout 60 s: never more than a minute behind.
  assert.ok(pitr.rpoMs! <= 60_000, `archive lag ${pitr.rpoMs} ms`);
  assert.ok(recovery.lostWrites <= 100 * 60 + 5 * Math.sqrt(100 * 60), `${recovery.lostWrites} lost`);
});

test("every region lost, the restore point before the run: the run's acknowledged writes are all lost, counted the same everywhere (found by a review: 10,782 lost of 2,604 acknowledged, 10,783 in the recovery, no cause)", async () => {
  const scenario = scenarioText(
    `kind: scenario
name: payments-rpo-accounts
topology: ../topologies/payments.yaml
seed: 1341889750
duration: 103s
workload: { writes: 200, reads: 0, clients: 40, keys: 10000, zones: [us-east/a, us-east/b, us-east/c, us-west/a] }
faults:
  - { at: 13500ms, lose: us-east }
  - { at: 30500ms, lose: us-west/a }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  const r = simulate(scenario);
  const recovery = r.recovery as Recovery;
  assert.equal(recovery.method, "pitr");
  // The archive had reached no write of the run: every one acknowledged (all before 13.5 s) is gone, and no more.
  assert.ok(recovery.targetAtMs !== null && recovery.targetAtMs < 0, `restore point ${recovery.targetAtMs} ms`);
  assert.ok(r.totals.writesAcked > 0);
  assert.equal(r.totals.writesLost, r.totals.writesAcked);
  assert.equal(r.classes.reduce((n, c) => n + c.rpo.lostAckedWrites, 0), r.totals.writesLost);
  assert.equal(recovery.lostWrites, r.totals.writesLost);
  assert.equal(recovery.options.find((o) => o.method === "pitr")?.lostWrites, r.totals.writesLost);
  assert.deepEqual(recovery.ackedLosses, [{ cause: "archive-lag", lostWrites: r.totals.writesLost, region: "us-east", archiveLagMs: Math.round((13_500 - recovery.targetAtMs) * 10) / 10, gap: null }]);
  // The headline says which writes the count is, and that the restore point is before the run.
  const { headlineText } = await import("../../src/report/simulate/recovery-words.js");
  assert.match(headlineText(recovery), new RegExp(`the ${r.totals.writesLost.toLocaleString("en-US")} writes acknowledged in the run before the loss, and whatever was written in the .+ before the run`));
  // The swarm's oracle, counting from the write log, agrees.
  const { result, history } = simulateWithHistory(scenario);
  assert.deepEqual(judge({ scenario, result, history }, [oracleById("rpo-count")]).failed, []);
});

test("every node's region lost, the archive elsewhere but no base backup to replay it onto: the restore is impossible and says why, and the whole run's loss stands (found by a review: 'restore from the base backup … 0B of WAL', 44 lost, beside 'no backup elsewhere' and a recovery count of 0)", () => {
  const cases = [
    // Base backups taken daily but kept one second: none is retained when the region goes.
    { text: everyNodeLost({ loseAtS: 150, archiveTimeout: "60s" }).replace("retain: 30d", "retain: 1s"), configured: true },
    // No base backups at all: the archive alone has nothing to replay onto.
    { text: everyNodeLost({ loseAtS: 150, archiveTimeout: "60s" }).replace(/^ {4}base_backups:.*\n/m, ""), configured: false },
  ];
  for (const { text, configured } of cases) {
    const r = simulate(scenarioText(text));
    const recovery = r.recovery!;
    const pitr = recovery.options.find((o) => o.method === "pitr")!;
    assert.equal(pitr.feasible, false);
    assert.deepEqual(pitr.reason, { kind: "no-base-backup", configured });
    // An impossible restore loses nothing of its own and has no restore point: its row must not read like a plan.
    assert.equal(pitr.lostWrites, 0);
    assert.equal(pitr.targetAtMs, null);
    assert.equal(pitr.rpoMs, null);
    assert.equal(recovery.method, "none");
    assert.deepEqual(recovery.verdict, { kind: "region-unrecoverable", region: "us-east", restore: { kind: "no-base-backup", configured } });
    // Every acknowledged write is gone, and the recovery counts them as the totals do.
    assert.ok(r.totals.writesAcked > 0);
    assert.equal(r.totals.writesLost, r.totals.writesAcked);
    assert.equal(recovery.lostWrites, r.totals.writesLost);
  }
});

test("every node's region lost with the archive and the base backups in it: unrecoverable, the recovery's count is the run's acknowledged writes, not 0", () => {
  const r = simulate(scenarioText(everyNodeLost({ loseAtS: 150, archiveTimeout: "60s" }).replaceAll("region: us-west }", "region: us-east }")));
  const recovery = r.recovery!;
  assert.deepEqual(recovery.options.find((o) => o.method === "pitr")?.reason, { kind: "backups-in-lost-region", lost: "both" });
  assert.equal(recovery.method, "none");
  assert.ok(r.totals.writesLost > 0);
  assert.equal(recovery.lostWrites, r.totals.writesLost);
});

test("every node's region lost with the archive in it, but a base backup copied out: that base backup restores alone, losing what came after it (found by a review: 'unrecoverable', while validate said a restore loses only what followed the last base backup)", () => {
  // The archive in us-east, hourly base backups copied to us-west; us-east lost at 150 s.
  const text = everyNodeLost({ loseAtS: 150, archiveTimeout: "60s" })
    .replace("region: us-west }", "region: us-east }")
    .replace("base_backups: { every: 24h, retain: 30d, region: us-west }", "base_backups: { every: 1m, retain: 30d, region: us-east, copy_to: us-west }");
  const scenario = scenarioText(text);
  const r = simulate(scenario);
  const recovery = r.recovery!;
  assert.deepEqual(recovery.options.find((o) => o.method === "pitr")?.reason, { kind: "archive-region-lost" });
  assert.equal(recovery.method, "base-backup");
  assert.equal(recovery.verdict.kind, "cross-region-restore");
  const chosen = recovery.options.find((o) => o.method === "base-backup")!;
  assert.ok(chosen.feasible && chosen.reason.kind === "restore-base-backup-elsewhere");
  // The newest base backup before the loss is at most a minute old: the restore point, and the RPO window, follow it.
  const baseAtMs = chosen.targetAtMs!;
  assert.ok(baseAtMs <= 150_000 && baseAtMs > 150_000 - 60_000, `base backup at ${baseAtMs} ms`);
  assert.equal(chosen.rpoMs, 150_000 - baseAtMs);
  // A 50 GB copy at 200 MB/s, with no WAL to replay.
  assert.equal(chosen.restoreMs, (50 * 1024) / 200 * 1000);
  // What is lost is the writes acknowledged after the base backup: fewer than the run's, and counted the same in the
  // recovery, the totals, each class and the acknowledged-loss causes.
  assert.ok(r.totals.writesLost > 0 && r.totals.writesLost < r.totals.writesAcked, `${r.totals.writesLost} of ${r.totals.writesAcked}`);
  assert.equal(recovery.lostWrites, r.totals.writesLost);
  assert.deepEqual(recovery.ackedLosses.map((l) => l.cause), ["base-backup-age"]);
  for (const c of r.classes) assert.ok(c.rpo.windowMs <= 150_000 - baseAtMs + 1, `${c.name}: window ${c.rpo.windowMs}`);
  // The swarm's oracle, counting from the write log, agrees.
  const { result, history } = simulateWithHistory(scenario);
  assert.deepEqual(judge({ scenario, result, history }, [oracleById("rpo-count")]).failed, []);
});

test("several bad writes that got through: the plan is for the first, and says of every later one whether its restore covers it (found by a review: a second DELETE, recoverable alone, vanished behind 'UNRECOVERABLE' for the first)", async () => {
  const { recoveryText } = await import("../../src/report/simulate/recovery.js");
  const { simulationJson } = await import("../../src/report/simulate/json.js");
  const { Chalk } = await import("chalk");
  const run = (faults: string, topology = "payments.yaml", workload = "{ writes: 300, reads: 600, clients: 100 }", duration = "3m") =>
    simulate(scenarioText(`kind: scenario\nname: two-bad-writes\ntopology: ../topologies/${topology}\nseed: 23\nduration: ${duration}\nworkload: ${workload}\nfaults:\n${faults}`, join(process.cwd(), "scenarios", "inline.yaml")));
  // The first noticed after 30 days, past every backup; the second noticed a minute later, well inside the PITR window.
  const lost = run(
    "  - { at: 1m, bad_write: { class: orders, statement: delete, rows: 5%, noticed_after: 30d } }\n  - { at: 5m, bad_write: { class: orders, statement: delete, rows: 5%, noticed_after: 1m } }\n",
    "payments-7d-pitr.yaml",
    "{ writes: 100, reads: 100, clients: 50 }",
    "10m",
  );
  const first = lost.recovery!;
  assert.equal(first.method, "none");
  assert.equal(first.otherBadWrites?.length, 1);
  const second = first.otherBadWrites![0];
  assert.equal(second.incident.atMs, 5 * 60_000);
  assert.equal(second.covered, false);
  if (!second.covered) {
    assert.equal(second.uncoveredBecause, "nothing-restored");
    assert.equal(second.alone.method, "pitr");
  }
  const text = recoveryText(lost, new Chalk({ level: 0 })).replace(/\s+/g, " ");
  assert.match(text, /the first of 2 bad writes that got through/);
  assert.match(text, /Another bad write got through after it: the buggy DELETE on orders at 5m .* NOT covered by this plan \(nothing is restored to a point before it\); on its own, a point-in-time restore brings its rows back/);
  const json = simulationJson(lost) as { recovery: { otherBadWrites: { covered: boolean }[]; summary: string } };
  assert.equal(json.recovery.otherBadWrites[0].covered, false);
  assert.match(json.recovery.summary, /Another bad write got through/);
  // A restore to just before the first, noticed after the second ran, holds the second's rows too (another class: PITR restores them all).
  const covered = run("  - { at: 30s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 2m } }\n  - { at: 60s, bad_write: { class: ledger, statement: delete, rows: 2%, noticed_after: 1m } }\n").recovery!;
  assert.equal(covered.method, "pitr");
  assert.equal(covered.targetAtMs, 30_000 - 1);
  assert.equal(covered.otherBadWrites?.length, 1);
  const later = covered.otherBadWrites![0];
  assert.equal(later.covered, true);
  // The audit log replays the writes made to its rows between the restore point and it: nothing lost, all reconciled.
  if (later.covered) {
    assert.equal(later.lostWrites, 0);
    assert.ok(later.reconcileWrites > 0);
  }
  // One bad write alone carries no list.
  assert.equal(run("  - { at: 30s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 2m } }\n").recovery!.otherBadWrites, undefined);
});

test("a bad write noticed exactly pitr_window later is inside the window (found by a review: counted outside by the 1 ms of 'just before', and worded '7d ago is outside the 7d PITR window')", () => {
  const at = (noticed: string) =>
    simulate(
      scenarioText(
        `kind: scenario\nname: edge\ntopology: ../topologies/payments-7d-pitr.yaml\nseed: 23\nduration: 10m\nworkload: { writes: 100, reads: 100, clients: 50 }\nfaults:\n  - { at: 1m, bad_write: { class: orders, statement: delete, rows: 5%, noticed_after: ${noticed} } }\n`,
        join(process.cwd(), "scenarios", "inline.yaml"),
      ),
    ).recovery!;
  const edge = at("7d");
  const pitr = edge.options.find((o) => o.method === "pitr");
  assert.equal(pitr?.feasible, true, JSON.stringify(pitr?.reason));
  assert.equal(edge.method, "pitr");
  // A second past it is outside, and says by how much.
  const past = at("7d1s").options.find((o) => o.method === "pitr");
  assert.equal(past?.feasible, false);
  assert.equal(past?.reason.kind, "outside-pitr-window");
  if (past?.reason.kind === "outside-pitr-window") assert.equal(past.reason.agoMs, 7 * DAY + 1000);
});

test("every node's region lost with the base backups in it, the WAL archive elsewhere: the words do not say no backup survives (found by a review)", () => {
  const r = simulate(scenarioText(everyNodeLost({ loseAtS: 150, archiveTimeout: "60s" }).replace("base_backups: { every: 24h, retain: 30d, region: us-west }", "base_backups: { every: 24h, retain: 30d, region: us-east }")));
  const recovery = r.recovery!;
  const pitr = recovery.options.find((o) => o.method === "pitr")!;
  assert.deepEqual(pitr.reason, { kind: "backups-in-lost-region", lost: "base-backups", region: "us-east", archiveRegion: "us-west" });
  assert.equal(recovery.method, "none");
  const summary = (simulationJson(r) as { recovery: { summary: string } }).recovery.summary;
  assert.doesNotMatch(summary, /no backup elsewhere/);
  assert.match(summary, /the backups elsewhere cannot be restored \(every copy of the base backups was in us-east: the WAL archive in us-west has nothing to replay onto\)/);
});
