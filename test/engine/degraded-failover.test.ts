// Patroni's non-strict synchronous mode after the leader fell back to asynchronous commits: its /sync key names
// the leader alone, so when that leader dies no standby is promoted ("When the primary fails in this mode no
// standby will be promoted"); writes stop until it is back. Only a policy that promotes lagging replicas
// (lagging_candidates: promote) fails over, losing the writes only the old leader had.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

const topology = readFileSync(join(process.cwd(), "topologies/payments-nonstrict.yaml"), "utf8");

function run(policy: "wait" | "promote") {
  const text = topology.replace(/^(\s+)lagging_candidates: \w+/m, `$1lagging_candidates: ${policy}`);
  assert.match(text, new RegExp(`^\\s+lagging_candidates: ${policy}`, "m"));
  const topo = text.replace(/^kind: topology\n/m, "").replace(/^/gm, "  ");
  return simulate(
    scenarioText(`kind: scenario
name: degraded-then-leader-dies
seed: 7
duration: 90s
workload: { writes: 400, clients: 50 }
faults:
  - { at: 20s, crash: pg-b }
  - { at: 20s, crash: pg-c }
  - { at: 40s, crash: pg-a }
topology:
  kind: topology
${topo}`),
  );
}

test("non-strict sync, degraded, then the leader dies: Patroni's default promotes no standby and loses nothing (found by a review: pg-dr was promoted and 21 writes lost)", () => {
  const r = run("wait");
  assert.ok(r.timeline.some((e) => e.event === "degrade" && e.node === "pg-a"), "the leader fell back to async first");
  assert.equal(r.totals.failovers, 0);
  assert.ok(!r.timeline.some((e) => e.event === "promote" || e.event === "elect"));
  assert.ok(r.timeline.some((e) => e.event === "no-candidate"));
  assert.equal(r.totals.writesLost, 0);
  assert.equal(r.classes.find((c) => c.name === "ledger")!.rto.writeMs, null, "writes stay down while the old leader is");
});

test("non-strict sync, degraded, then the leader dies: promoting lagging replicas fails over and loses the writes only the leader had", () => {
  const r = run("promote");
  assert.equal(r.totals.failovers, 1);
  assert.ok(r.timeline.some((e) => e.event === "promote-lagging" && e.node === "pg-dr"));
  assert.ok(r.totals.writesLost > 0);
});
