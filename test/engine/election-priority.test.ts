// failover.election: `highest-lsn` (Patroni's race: the most advanced replica wins, failover_priority only breaks a
// tie) against `priority` (the preferred replica wins among those eligible, as MHA's candidate_master or an
// Orchestrator "prefer" rule does, even a little behind another).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { describeEntry } from "../../src/report/simulate/timeline.js";
import { scenarioText } from "./helpers.js";

/** Three nodes; p3 is preferred (priority 10) but 20 ms further from the leader than p2, so a little behind at the crash. */
function run(election: string) {
  return simulate(
    scenarioText(`kind: scenario
name: election-priority
duration: 40s
workload: { writes: 1000, clients: 100 }
faults:
  - { at: 10s, latency: { between: [[p1], [p3]], add: 20ms } }
  - { at: 20s, crash: p1 }
topology:
  kind: topology
  name: t
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    p1: { zone: east/a, role: leader }
    p2: { zone: east/b }
    p3: { zone: east/c, failover_priority: 10 }
  replication: { mode: leader-follower }
  failover:
    election: ${election}
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, east/b, east/c]
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 1m, rto: 1m }
`),
  );
}

function elected(r: ReturnType<typeof simulate>): { node: string; detail: string } {
  const [e] = factsOf(r.timeline, "elect");
  assert.ok(e, "an election");
  return { node: e.node, detail: describeEntry(e, r) };
}

test("election: highest-lsn promotes the most advanced replica; failover_priority only breaks ties", () => {
  assert.equal(elected(run("highest-lsn")).node, "p2");
});

test("election: priority promotes the preferred replica among the eligible ones, even a little behind (found by a review: the key was read and ignored, p2 won)", () => {
  const r = run("priority");
  const e = elected(r);
  assert.equal(e.node, "p3", e.detail);
  // What p3 lacked of p2's WAL is the price of the preference: acknowledged writes lost, and said so.
  const lost = r.classes[0].rpo.lostAckedWrites;
  assert.ok(lost > 0, `lost ${lost}`);
  assert.match(e.detail, /failover priority 10/);
  assert.match(e.detail, /behind p2/);
});
