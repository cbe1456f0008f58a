// A consensus group elects its leader by its own election timeout and heartbeat. A failover.coordinator or
// failover.detection copied from a Patroni design loads (lint warns on the key: consensus-failover-ignored), the run
// ignores them, and the report says so at the start of the timeline, with the timers the group runs on instead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { renderSimulateJson } from "../../src/report/simulate/json.js";
import { scenarioText } from "./helpers.js";

const group = (failover: string) => `kind: scenario
name: raft-with-patroni-keys
seed: 1
duration: 30s
workload: { writes: 100, reads: 0, clients: 10 }
faults:
  - { at: 10s, crash: n1 }
topology:
  kind: topology
  name: raft-with-patroni-keys
  preset: etcd-raft
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a, role: leader }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: consensus, election_timeout: 2s, heartbeat: 200ms }
${failover}  data_classes:
    ledger: { rpo: 0, rto: 30s }
`;

const patroniKeys = "  failover:\n    detection: { ttl: 30s, loop_wait: 10s, retry_timeout: 10s }\n    coordinator: [east/a, east/b, east/c]\n";

test("a consensus group given Patroni's coordinator and lease runs on its own timers, and the timeline says the keys are not used", () => {
  const r = simulate(scenarioText(group(patroniKeys)));
  const [unused] = factsOf(r.timeline, "failover-unused");
  assert.ok(unused !== undefined, "the run notes the unused keys");
  assert.deepEqual(unused.keys, ["detection", "coordinator"]);
  assert.deepEqual([unused.atMs, unused.electionTimeoutMs, unused.heartbeatMs, unused.randomizedMs], [0, 2_000, 200, 2_000]);
  // Detected by the election timer (etcd: between 2 s and 4 s), not by the 30 s lease.
  const [detect] = factsOf(r.timeline, "detect");
  assert.ok(detect !== undefined && detect.atMs - 10_000 >= 2_000 && detect.atMs - 10_000 < 4_000 + 200, `detected ${detect?.atMs} ms`);
  const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 400 });
  assert.match(text, /failover\.detection and failover\.coordinator are not used: a consensus group's members elect the leader among themselves, timed by its election timeout \(2s, each voter's timer firing between 2s and 4s\) and heartbeat \(200ms\)/);
  assert.deepEqual(JSON.parse(renderSimulateJson([r], { array: false })).settings.failover.unused, ["detection", "coordinator"]);
});

test("a consensus group without those keys has no such line", () => {
  const r = simulate(scenarioText(group("")));
  assert.deepEqual(factsOf(r.timeline, "failover-unused"), []);
  assert.equal(JSON.parse(renderSimulateJson([r], { array: false })).settings.failover.unused, undefined);
  const only = simulate(scenarioText(group("  failover:\n    detection: { heartbeat: 1s, misses: 3 }\n")));
  assert.deepEqual(factsOf(only.timeline, "failover-unused").map((f) => f.keys), [["detection"]]);
});

test("every other key of a manager's failover block is listed as unused, in the schema's order, in the timeline and the JSON alike; the keys a group uses are not", () => {
  const manager =
    "  failover:\n    mode: manual\n    operator_delay: 5m\n    fencing: stonith\n    fencing_time: 3s\n    election: priority\n    election_time: 1s\n" +
    "    maximum_lag_on_failover: 10MB\n    lagging_candidates: promote\n    promotion: 2s\n    accept_rate: 300\n    reconnect: { max: 2s }\n";
  const keys = ["mode", "fencing", "fencing_time", "election", "election_time", "maximum_lag_on_failover", "lagging_candidates", "promotion"];
  const r = simulate(scenarioText(group(manager)));
  assert.deepEqual(factsOf(r.timeline, "failover-unused").map((f) => f.keys), [keys]);
  assert.deepEqual(JSON.parse(renderSimulateJson([r], { array: false })).settings.failover.unused, keys);
  const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 400 });
  assert.match(text, /failover\.mode, failover\.fencing, failover\.fencing_time, failover\.election, failover\.election_time, failover\.maximum_lag_on_failover, failover\.lagging_candidates and failover\.promotion are not used/);
  // Ignored indeed: no operator page, no STONITH, and the election still a vote with no promotion time.
  assert.deepEqual(factsOf(r.timeline, "page"), []);
  assert.ok(factsOf(r.timeline, "fence").every((f) => f.via !== "stonith"));
  assert.equal(factsOf(r.timeline, "elect").length, 1);
});
