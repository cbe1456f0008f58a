// `rpo-zero-promotes-lagging` and what `simulate` measures must agree: when the
// rule speaks, a partition that cuts the leader and its synchronous standby off
// from the coordinator's majority gets a replica without every acknowledged
// write promoted, and an RPO-0 class loses writes; with `lagging_candidates:
// wait` (the rule's fix) the rule is silent and nothing acknowledged is lost.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadText } from "../../src/model/load.js";
import { lintAll } from "../../src/lint/run.js";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

/** Leader p and its one synchronous standby s in east/a and east/b; c (east/c) is tagged nosync. */
const design = (policy: "promote" | "wait", sync = '"FIRST 1 (s)", commit: on, strict: true') => `kind: scenario
name: cut-off-${policy}
seed: 3
duration: 60s
workload: { writes: 400, reads: 0, clients: 90, zones: [east/a, east/c] }
faults:
  - { at: 20s, partition: [[east/a, east/b], [east/c, west, central]], for: 30s }
topology:
  kind: topology
  name: cut-off
  preset: patroni
  regions:
    east: { zones: [a, b, c] }
    west: { zones: [a] }
    central: { zones: [a] }
  nodes:
    p: { zone: east/a, role: leader }
    s: { zone: east/b }
    c: { zone: east/c, nosync: true }
  replication:
    mode: leader-follower
    synchronous: { standbys: ${sync} }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/c, west/a, central/a]
    fencing: lease
    lagging_candidates: ${policy}
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 0, rto: 1m }
`;

const ruleFires = (text: string) =>
  lintAll([loadText("cut-off.yaml", text)], { today: new Date("2026-11-26T00:00:00Z") }).report.findings.some((f) => f.rule === "rpo-zero-promotes-lagging");

test("lagging_candidates: promote on an RPO-0 class: the rule speaks, and the promoted nosync replica lacks acknowledged writes", () => {
  const text = design("promote");
  assert.ok(ruleFires(text));
  const result = simulate(scenarioText(text));
  const promoted = result.timeline.find((f) => f.event === "promote-lagging");
  assert.equal(promoted?.node, "c");
  assert.ok(result.classes[0].rpo.lostAckedWrites > 0, `lost ${result.classes[0].rpo.lostAckedWrites}`);
});

test("lagging_candidates: wait: the rule is silent, and nothing acknowledged is lost", () => {
  const text = design("wait");
  assert.ok(!ruleFires(text));
  const result = simulate(scenarioText(text));
  assert.equal(result.timeline.find((f) => f.event === "promote-lagging"), undefined);
  assert.equal(result.classes[0].rpo.lostAckedWrites, 0);
});
