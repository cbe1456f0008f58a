// A leader that fails and comes back while the failover that replaces it is
// still under way (detected, maybe fenced, nobody elected yet). Orchestrator
// recovers *from* the dead source and never promotes it; RDS Multi-AZ fails
// over to its standby and Aurora to a reader. Patroni's old leader, restarted
// as a replica, races for the key like any other (the preset decides:
// promotesFailedLeader). Found by a review: a recovered RDS primary that was
// being powered off by STONITH won the election ("first to take the leader
// key") and was promoted again; Orchestrator picked the dead source it was
// recovering from.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import type { PresetName } from "../../src/model/presets.js";
import { scenarioText, starterScenario } from "./helpers.js";

const CRASH_AT_MS = 20_000;

function run(preset: PresetName, leader: string, faults: string[], seed: number) {
  const list = [`{ at: ${CRASH_AT_MS}ms, crash: ${leader} }`, ...faults].join(", ");
  return simulate(scenarioText(starterScenario(preset, { name: "failed-leader-back", seed, duration: "3m", workload: "{ writes: 200, reads: 200, clients: 100 }", faults: `[${list}]` })));
}

for (const [preset, leader] of [
  ["rds-multi-az", "db-a"],
  ["aurora", "aurora-a"],
  ["mysql-semisync", "db-a"],
] as const) {
  test(`${preset}: the failed leader, back before the election, is not the one promoted`, () => {
    for (let seed = 1; seed <= 3; seed++) {
      // When this seed's failover detects the crash and elects: the recovery lands between the two.
      const plain = run(preset, leader, [], seed);
      const [detect] = factsOf(plain.timeline, "detect");
      const [elect] = factsOf(plain.timeline, "elect");
      assert.ok(detect && elect && elect.atMs > detect.atMs + 2, `seed ${seed}: a failover with time between detection and election`);
      const backAt = Math.round((detect.atMs + elect.atMs) / 2);
      const result = run(preset, leader, [`{ at: ${backAt}ms, recover: ${leader} }`], seed);
      const promotions = factsOf(result.timeline, "promote");
      assert.ok(promotions.length >= 1, `seed ${seed}: a promotion`);
      assert.notEqual(promotions[0].node, leader, `seed ${seed}: ${leader} was promoted again`);
      const [chosen] = factsOf(result.timeline, "elect");
      assert.ok(
        chosen.why.kind === "only-candidate" ? chosen.why.excluded.some((x) => "node" in x && x.node === leader && x.reason === "failed-leader") : true,
        `seed ${seed}: the election says why ${leader} could not stand`,
      );
      for (const cls of result.classes) assert.equal(cls.rpo.lostAckedWrites, plain.classes.find((c) => c.name === cls.name)!.rpo.lostAckedWrites, `${cls.name}: the recovery changes no loss`);
    }
  });
}

test("patroni: the old leader, restarted as a replica before the election, may still stand in the race for the key", () => {
  // Patroni's former leader is a replica like the others once restarted, and holds everything it wrote: nothing excludes it.
  let checked = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const plain = run("patroni", "pg-a", [], seed);
    const [detect] = factsOf(plain.timeline, "detect");
    const [elect] = factsOf(plain.timeline, "elect");
    if (!detect || !elect || elect.atMs - detect.atMs < 2) continue;
    const result = run("patroni", "pg-a", [`{ at: ${Math.round((detect.atMs + elect.atMs) / 2)}ms, recover: pg-a }`], seed);
    const excluded = [...factsOf(result.timeline, "elect"), ...factsOf(result.timeline, "no-candidate")].flatMap((e) => ("excluded" in e ? e.excluded : e.why.kind === "only-candidate" ? e.why.excluded : []));
    assert.ok(excluded.every((x) => x.reason !== "failed-leader"), `seed ${seed}: Patroni excludes nobody for having led`);
    checked++;
  }
  assert.ok(checked >= 3, `${checked} seeds had a failover to check`);
});

test("rds-multi-az: with its standby down too, the failed primary back before the election is restarted in place, not waited on for ever", () => {
  // Found by a review: with nobody else to promote, the failed primary was passed over for good and writes never came back.
  const alone = run("rds-multi-az", "db-a", ["{ at: 10s, crash: db-b }"], 1);
  assert.equal(factsOf(alone.timeline, "elect").length, 0, "without the primary back, nobody can take over");
  const [detect] = factsOf(alone.timeline, "detect");
  const back = run("rds-multi-az", "db-a", ["{ at: 10s, crash: db-b }", `{ at: ${detect.atMs + 1000}ms, recover: db-a }`], 1);
  const [elect] = factsOf(back.timeline, "elect");
  assert.equal(elect?.node, "db-a", "the only instance left is restarted in place");
  const orders = back.classes.find((c) => c.name === "orders")!;
  assert.ok(orders.rto.writeMs !== null, "writes come back");
  assert.equal(orders.rpo.lostAckedWrites, 0);
});
