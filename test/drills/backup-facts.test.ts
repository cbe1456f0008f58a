// What a drill may say about a scenario's backups agrees with how far the
// engine's point-in-time restore reaches back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { scenarioFacts } from "../../src/drills/facts.js";
import { simulate } from "../../src/engine/simulate.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { scenarioText } from "../engine/helpers.js";

const DAY = 86_400_000;

/** A delete at 5m on payments-7d-pitr (pitr_window 7d, daily base backups) with its base backups kept `retainMs`, noticed `after` later. */
function scenario(retainMs: number, after = "1d"): ResolvedScenario {
  const s = scenarioText(`kind: scenario
name: short-retention
topology: ${process.cwd()}/topologies/payments-7d-pitr.yaml
seed: 37
duration: 10m
workload: { writes: 100, reads: 200, clients: 50 }
faults:
  - { at: 5m, bad_write: { class: orders, statement: delete, rows: 2%, noticed_after: ${after} } }
`);
  const backups = s.topology.backups!;
  return { ...s, topology: { ...s.topology, backups: { ...backups, baseBackups: { ...backups.baseBackups!, retainMs } } } };
}

test("the drills' PITR window is the reach the engine plans with, cut by base-backup retention when it is (found by a review: 'PITR window 7d' with base backups kept 3d)", () => {
  const kept30 = scenarioFacts(scenario(30 * DAY));
  assert.equal(kept30.get("backups.pitr_window"), "7 days");
  assert.match(kept30.get("backups.summary")!, /\(PITR window 7 days\)/);

  const kept3 = scenarioFacts(scenario(3 * DAY));
  assert.match(kept3.get("backups.pitr_window")!, /^2–3 days — pitr_window is 7 days, but a restore reaches back only to the oldest base backup still kept \(taken every 24 h, kept 3 days\)$/);
  assert.match(kept3.get("backups.summary")!, /PITR window 2–3 days — pitr_window is 7 days/);
  // Kept 7d, the reach is 6–7 days: at some phases of the schedule the window is cut, at none is it wider.
  assert.match(scenarioFacts(scenario(7 * DAY)).get("backups.pitr_window")!, /^6–7 days — /);

  // The engine agrees: noticed 1.9d later PITR is possible, noticed 3.5d later it is not, for want of a base backup kept that long.
  const pitr = (after: string) => simulate(scenario(3 * DAY, after)).recovery!.options.find((o) => o.method === "pitr")!;
  assert.equal(pitr("1.9d").feasible, true);
  const late = pitr("3.5d");
  assert.equal(late.feasible, false);
  assert.ok(late.reason.kind === "outside-pitr-window" && late.reason.limitedBy === "base-retention");
});
