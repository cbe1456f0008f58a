// What the WAL archive holds of the writes a failover lost (found by a review: the recovery words said "only a WAL
// archive that got that far still holds them" even when the engine knew the archive was seconds behind them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { simulate } from "../../src/engine/simulate.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { scenarioFrom, scenarioText } from "./helpers.js";

/** region-loss-async-dr with its archive shipping as `archive` says: us-east is lost, pg-dr promoted without 22 writes. */
function regionLoss(archive: string, baseBackups = "{ every: 24h, retain: 30d, region: us-west }") {
  const topology = readFileSync("topologies/two-regions-async-dr.yaml", "utf8")
    .replace("wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", `wal_archive: ${archive}`)
    .replace("base_backups: { every: 24h, retain: 30d, region: us-west }", baseBackups === "" ? "" : `base_backups: ${baseBackups}`)
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .map((l) => `  ${l}`)
    .join("\n");
  const result = simulate(
    scenarioText(`kind: scenario
name: archive-hold
seed: 47
duration: 2m
workload: { writes: 1000, reads: 1000, clients: 90, zones: [us-east/a, us-east/b, us-west/a] }
faults:
  - { at: 30s, lose: us-east }
topology:
${topology}
`),
  );
  const losses = result.recovery?.ackedLosses ?? [];
  assert.equal(losses.length, 1);
  const summary = (simulationJson(result) as { recovery: { summary: string } }).recovery.summary;
  return { loss: losses[0], summary };
}

test("an archive seconds behind the lost writes had none of them, and the words say so without hedging", () => {
  const { loss, summary } = regionLoss("{ mode: continuous, archive_timeout: 60s, region: us-west }");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.archive.heldWrites, 0);
  assert.equal(loss.archive.lagMs, 4297.1);
  assert.match(summary, /pg-a's WAL was lost with it, and the WAL archive had none of them \(it was 4\.3s behind\): no copy of them is left\./);
  assert.doesNotMatch(summary, /got that far/);
});

test("an archive that shipped part of the lost writes holds that many, for a restore on the side", () => {
  const { loss, summary } = regionLoss("{ mode: periodic, every: 20ms, region: us-west }");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.lostWrites, 22);
  assert.equal(loss.archive.heldWrites, 20);
  assert.match(summary, /but the WAL archive holds 20 of them: a point-in-time restore of its old timeline on a side instance can recover those for reconciliation by hand/);
});

test("an archive that shipped past every lost write holds all of them", () => {
  const { loss, summary } = regionLoss("{ mode: periodic, every: 10ms, region: us-west }");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.archive.heldWrites, 22);
  assert.match(summary, /but the WAL archive holds all of them: a point-in-time restore of its old timeline on a side instance can recover them/);
});

test("without an archive nothing holds the lost writes", () => {
  const { loss, summary } = regionLoss("{ mode: none }");
  assert.deepEqual("archive" in loss ? loss.archive : undefined, { kind: "no-archive" });
  assert.match(summary, /pg-a's WAL was lost with it, and there is no WAL archive: no copy of them is left\./);
});

test("a failover after a crash (no bad write, no lost region) still places the lost writes against the archive", () => {
  // async-failover-loses-writes: db-a crashes and survives; its archive (continuous, no archive_timeout, a 16MB
  // segment about every 16s at 1,000 writes/s of 1KB) had none of the second of writes its stalled sender never sent.
  const result = simulate(scenarioFrom("scenarios/async-failover-loses-writes.yaml"));
  const losses = result.recovery?.ackedLosses ?? [];
  assert.equal(losses.length, 1);
  const loss = losses[0];
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.archive.heldWrites, 0);
  const summary = (simulationJson(result) as { recovery: { summary: string } }).recovery.summary;
  assert.doesNotMatch(summary, /got that far/);
  assert.match(summary, /\(in its WAL until pg_rewind discards it, and the WAL archive had none of them: it was 7\.3s behind\)/);
});

test("an archive holding lost writes with no base backup to replay it onto recovers none of them", () => {
  const { loss, summary } = regionLoss("{ mode: periodic, every: 10ms, region: us-west }", "");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.archive.heldWrites, 22);
  assert.deepEqual(loss.archive.replay, { reachableWrites: 0, stoppedBy: "no-base-backups", gap: null });
  assert.doesNotMatch(summary, /can recover/);
  assert.match(summary, /pg-a's WAL was lost with it; the WAL archive holds all of them, but no base backups are configured, so it has nothing to replay onto: no restore can reach them\./);
});

test("an archive holding lost writes whose base backups went with the lost region recovers none of them", () => {
  const { loss, summary } = regionLoss("{ mode: periodic, every: 10ms, region: us-west }", "{ every: 24h, retain: 30d, region: us-east }");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.equal(loss.archive.heldWrites, 22);
  assert.equal(loss.archive.replay.stoppedBy, "base-backups-lost");
  assert.equal(loss.archive.replay.reachableWrites, 0);
  assert.doesNotMatch(summary, /can recover/);
  assert.match(summary, /the WAL archive holds all of them, but every copy of the base backups was lost with its region, so it has nothing to replay onto: no restore can reach them\./);
});

test("an archive holding lost writes with a base backup to replay onto says how many a restore reaches", () => {
  const { loss } = regionLoss("{ mode: periodic, every: 10ms, region: us-west }");
  assert.ok("archive" in loss && loss.archive?.kind === "held", JSON.stringify(loss));
  assert.deepEqual(loss.archive.replay, { reachableWrites: 22, stoppedBy: null, gap: null });
});
