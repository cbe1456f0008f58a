// Managed services keep writing when replicas go (found by a review of the presets against the real systems:
// the rds-multi-az and aurora presets were strict, so a lost standby or both readers stopped writes for good).
// RDS Multi-AZ keeps the primary writing while it replaces a lost standby; Aurora commits to its storage quorum,
// which does not depend on the reader instances.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { PRESETS } from "../../src/model/presets.js";
import { scenarioText } from "./helpers.js";

function run(preset: string, nodes: string, zones: string, faults: string) {
  return simulate(
    scenarioText(`kind: scenario
name: managed
seed: 5
duration: 3m
workload: { writes: 200, clients: 50 }
faults:
${faults}
topology:
  kind: topology
  name: managed
  preset: ${preset}
  regions: { us-east: { zones: [${zones}] } }
  nodes:
${nodes}
  replication: { mode: leader-follower }
  data_classes:
    orders: { rpo: 0, rto: 2m, share: 1 }
`),
  );
}

test("rds-multi-az: the standby's loss does not stop the primary's writes", () => {
  const r = run("rds-multi-az", "    db-a: { zone: us-east/a, role: leader }\n    db-b: { zone: us-east/b }", "a, b", "  - { at: 30s, crash: db-b }");
  const orders = r.classes[0];
  assert.ok(orders.rto.writeMs !== null, "writes come back");
  assert.ok(!r.timeline.some((e) => e.event === "writes-blocked"));
});

test("rds-multi-az: after a failover the new primary writes without a standby", () => {
  const r = run("rds-multi-az", "    db-a: { zone: us-east/a, role: leader }\n    db-b: { zone: us-east/b }", "a, b", "  - { at: 30s, crash: db-a }");
  assert.equal(r.totals.failovers, 1);
  assert.ok(r.classes[0].rto.writeMs !== null && r.classes[0].rto.writeMs < 120_000, `RTO ${r.classes[0].rto.writeMs}`);
  assert.equal(r.totals.writesLost, 0);
});

test("aurora: losing both readers does not stop the writer", () => {
  const nodes = "    aurora-a: { zone: us-east/a, role: leader }\n    aurora-b: { zone: us-east/b }\n    aurora-c: { zone: us-east/c }";
  const r = run("aurora", nodes, "a, b, c", "  - { at: 30s, crash: aurora-b }\n  - { at: 30s, crash: aurora-c }");
  assert.ok(r.classes[0].rto.writeMs !== null && r.classes[0].rto.writeMs < 5_000, `RTO ${r.classes[0].rto.writeMs}`);
});

test("etcd-raft: clients reach any member, no proxy's checks of several seconds in the way", () => {
  const endpoint = PRESETS["etcd-raft"].failover.endpoint;
  assert.equal(endpoint.kind, "proxy");
  if (endpoint.kind === "proxy") assert.ok(endpoint.checkIntervalMs * endpoint.rise <= 500, JSON.stringify(endpoint));
});
