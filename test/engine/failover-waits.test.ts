// What a failover waits for besides its own steps: a strict leader that cannot
// acknowledge until a standby streams from it, and a candidate that must replay
// its backlog before it can be promoted. Both must show on the timeline and in
// the phases, where they happen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { classBudgets } from "../../src/lint/rules/rto-budget-exceeded.js";
import { scenarioFrom, scenarioText } from "./helpers.js";

test("a strict leader's blocked interval starts at its promotion, and no synchronous write is acknowledged inside it", () => {
  const result = simulate(scenarioFrom("scenarios/leader-dies-in-az-a.yaml"));
  const [promote] = factsOf(result.timeline, "promote");
  const [blocked] = factsOf(result.timeline, "writes-blocked");
  const [unblocked] = factsOf(result.timeline, "writes-unblocked");
  assert.equal(blocked.atMs, promote.atMs);
  assert.equal(blocked.node, promote.node);
  assert.ok(Math.abs(unblocked.blockedMs - (unblocked.atMs - promote.atMs)) < 1, `${unblocked.blockedMs} ms blocked, from ${promote.atMs} to ${unblocked.atMs}`);
  // Strict synchronous mode acknowledges nothing while blocked: the ledger's outage outlasts the block.
  const ledger = result.classes.find((c) => c.name === "ledger")!;
  assert.ok(result.firstFaultMs! + ledger.rto.writeMs! >= unblocked.atMs, `ledger back at ${result.firstFaultMs! + ledger.rto.writeMs!}, unblocked at ${unblocked.atMs}`);
});

/** pg-b applies 1,000 writes/s while the leader takes 2,000: by the crash at 20 s it is about 20 s of replay behind. */
const slowApply = `kind: scenario
name: replay-wait
seed: 3
duration: 60s
workload: { writes: 2000, reads: 100, clients: 50, write_size: 1KB }
faults:
  - { at: 20s, crash: pg-a }
topology:
  kind: topology
  name: slow-apply
  regions:
    us-east: { zones: [a, b, c] }
  nodes:
    pg-a: { zone: us-east/a, role: leader }
    pg-b: { zone: us-east/b, apply_rate: 1000 }
    pg-c: { zone: us-east/c, nofailover: true }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 1m, rto: 1m }
`;

test("a promotion that waits for its candidate's replay says so, and the phases add up to the failover's span", () => {
  const scenario = scenarioText(slowApply);
  const result = simulate(scenario);
  const [elect] = factsOf(result.timeline, "elect");
  const [wait] = factsOf(result.timeline, "replay-wait");
  const [promote] = factsOf(result.timeline, "promote");
  assert.ok(wait, "a replay-wait fact");
  assert.equal(wait.atMs, elect.atMs);
  assert.equal(wait.applyRate, 1000);
  // Physics: 20 s at 1,000 writes/s over the apply rate is 20,000 writes, 20 s of replay from the crash.
  const replayedAtMs = 20_000 + (20_000 * (2000 - 1000)) / 1000;
  const promoteMs = scenario.topology.failover.promotionMs;
  assert.ok(Math.abs(promote.atMs - promoteMs - replayedAtMs) < 1000, `promoted at ${promote.atMs}, replay done about ${replayedAtMs}`);
  assert.ok(Math.abs(elect.atMs + wait.waitMs + promoteMs - promote.atMs) < 1, "the wait fills the gap between the leader key and the promotion");
  const phases = result.phases;
  const replay = phases.find((p) => p.phase === "replay");
  assert.ok(replay && Math.abs(replay.endMs - replay.startMs - wait.waitMs) < 1);
  const span = Math.max(...phases.map((p) => p.endMs)) - Math.min(...phases.map((p) => p.startMs));
  const sum = phases.reduce((total, p) => total + (p.endMs - p.startMs), 0);
  assert.ok(Math.abs(sum - span) < 1, `phases sum to ${sum} ms, span ${span} ms`);
  // The budget, which knows the scenario's write rate, allows for the wait.
  const budget = classBudgets(scenario.topology, scenario).get("orders")!;
  const budgetReplay = budget.phases.find((p) => p.phase === "replay");
  assert.ok(budgetReplay && budgetReplay.maxMs >= wait.waitMs, `budget replay ${budgetReplay?.maxMs} ms, waited ${wait.waitMs} ms`);
  assert.ok(budget.maxMs >= result.classes[0].rto.writeMs!);
});
