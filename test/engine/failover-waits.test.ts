// What a failover waits for besides its own steps: a strict leader that cannot
// acknowledge until a standby streams from it, and a candidate that must replay
// its backlog before it can be promoted. Both must show on the timeline and in
// the phases, where they happen, so that the phases span the outage they explain.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { classBudgets } from "../../src/lint/budget.js";
import { bundledScenarioFiles, scenarioFrom, scenarioText } from "./helpers.js";
import { join } from "node:path";
import type { ResolvedClass, ResolvedScenario } from "../../src/model/types.js";
import type { ClassResult } from "../../src/engine/result.js";
import { SYNC_NAME_MAX_LAG_BYTES } from "../../src/engine/leader-follower/sync-set.js";
import { CATCH_UP_BYTES_PER_MS } from "../../src/engine/leader-follower/state.js";

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
  // The wait is a phase of its own, from the promotion to the standby's naming, beside the endpoint switch.
  assert.deepEqual(result.phases.filter((p) => p.phase === "sync").map((p) => [p.startMs, p.endMs]), [[promote.atMs, unblocked.atMs]]);
});

/** Whether a class's commits wait for other members: a synchronous rule (or a consensus majority), and a commit level above local. */
function waitsForOthers(scenario: ResolvedScenario, cls: ResolvedClass): boolean {
  const replication = scenario.topology.replication;
  const bound = replication.mode === "consensus" || (replication.mode === "leader-follower" && replication.sync !== null);
  return bound && cls.commit !== "off" && cls.commit !== "local";
}

/**
 * The commit that ends an outage after every phase is over still takes its own time: the standby just named may
 * be up to SYNC_NAME_MAX_LAG_BYTES behind (no further one is named), received at the catch-up rate, and then the
 * commit's ordinary round trip (the class's median write latency).
 */
function lastCommitMs(c: ClassResult): number {
  return SYNC_NAME_MAX_LAG_BYTES / CATCH_UP_BYTES_PER_MS + (c.latency.writeP50Ms ?? 0);
}

test("every bundled failover's phases span the outage of each class that waits for a standby, and no such class is back before its sync phase ends", () => {
  let outages = 0;
  for (const file of bundledScenarioFiles(undefined, ["cross-region", "live"])) {
    const scenario = scenarioFrom(join("scenarios", file));
    const result = simulate(scenario);
    if (result.phases.length === 0) continue;
    // The phases start at the failure the failover handled (detect counts from that fault, not the last renewal).
    const start = Math.min(...result.phases.map((p) => p.startMs));
    const end = Math.max(...result.phases.map((p) => p.endMs));
    const waits = result.phases.filter((p) => p.phase === "sync");
    for (const cls of scenario.topology.dataClasses.filter((x) => waitsForOthers(scenario, x))) {
      const c = result.classes[cls.index];
      // An outage open when that failure hit ends with an acknowledgement: once every phase is over, only that
      // write's own commit is left. It may have begun at an earlier fault (a stalled WAL sender blocks synchronous
      // commits before the crash): the part from the failure on is what the phases explain, and for an outage the
      // failure began itself, that part is its whole length.
      for (const o of (c.rto.outages ?? []).filter((x) => x.startMs <= start && x.recoveredMs !== null && x.recoveredMs > start)) {
        outages++;
        const fromFailure = o.recoveredMs! - start;
        assert.ok(fromFailure <= end - start + lastCommitMs(c), `${file} ${c.name}: write outage ${o.ms} ms (${fromFailure} ms from the failure), phases span ${end - start} ms`);
        // While the promoted leader waits, none of these commits is acknowledged: an outage open when the wait
        // began lasts until it ends (phase times are rounded to 0.1 ms).
        for (const w of waits.filter((x) => o.startMs <= x.startMs && o.recoveredMs! > x.startMs)) {
          assert.ok(o.recoveredMs! >= w.endMs - 0.1, `${file} ${c.name}: back at ${o.recoveredMs}, inside the sync phase ${w.startMs}–${w.endMs}`);
        }
      }
    }
  }
  assert.ok(outages >= 10, `${outages} outages checked`);
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
