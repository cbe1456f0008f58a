// How the survivors of a failover come to stream from the new leader is the preset's system's rule, not
// Patroni's everywhere: PostgreSQL under Patroni re-points by a reload and waits out a missing replication slot,
// a MongoDB secondary learns of the new primary from its next heartbeat, Orchestrator relocates MySQL replicas
// under the new source as it promotes it. The engine and the linter's RTO budget read the same rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { classBudgets } from "../../src/lint/budget.js";
import { scenarioText, threeNodeCrash } from "./helpers.js";

/** Three members in three zones, the leader crashing 30 s in (helpers.ts). */
const threeNodes = (opts: { preset: string; seed: number; replication: string; failover?: string }) => threeNodeCrash({ name: "restream", ...opts });

/** A MongoDB replica set writing with w: majority (the preset fills the implicit majority, strict). */
const mongodb = (seed: number) => threeNodes({ preset: "mongodb", seed, replication: "{ mode: leader-follower }" });
const HEARTBEAT_MS = 2000;
/** A connection's own time on top of the rule (the engine's connect is 50 ms). */
const CONNECT_SLACK_MS = 100;

test("a MongoDB secondary streams from the new primary within one heartbeat interval of the promotion, and w:majority writes come back accordingly (found by a review: Patroni's slot retry was applied to MongoDB)", () => {
  const offsets: number[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const scenario = scenarioText(mongodb(seed));
    assert.deepEqual(scenario.topology.failover.restream, { kind: "heartbeat", intervalMs: HEARTBEAT_MS });
    const result = simulate(scenario);
    const [promote] = factsOf(result.timeline, "promote");
    assert.ok(promote, `seed ${seed}: a promotion`);
    const survivor = promote.node === "n1" ? "n2" : "n1";
    const follow = factsOf(result.timeline, "follow").find((f) => f.node === survivor && f.atMs >= promote.atMs);
    assert.ok(follow, `seed ${seed}: ${survivor} follows ${promote.node}`);
    const after = follow.atMs - promote.atMs;
    assert.ok(after <= HEARTBEAT_MS + CONNECT_SLACK_MS, `seed ${seed}: ${survivor} streams ${after} ms after the promotion, more than one heartbeat interval`);
    offsets.push(after);
    // The majority commit is released once the survivor streams (and the new primary's first loop named it):
    // no 5 s slot retry in between.
    const [unblocked] = factsOf(result.timeline, "writes-unblocked");
    assert.ok(unblocked && unblocked.atMs - promote.atMs <= HEARTBEAT_MS + CONNECT_SLACK_MS, `seed ${seed}: writes unblocked ${unblocked ? unblocked.atMs - promote.atMs : "never"} ms after the promotion`);
    const orders = result.classes.find((c) => c.name === "orders")!;
    assert.ok(orders.rto.writeMs !== null && result.firstFaultMs! + orders.rto.writeMs <= promote.atMs + HEARTBEAT_MS + CONNECT_SLACK_MS + 50, `seed ${seed}: orders back ${orders.rto.writeMs} ms after the crash, promoted at ${promote.atMs - result.firstFaultMs!}`);
  }
  // The heartbeat that tells a secondary falls anywhere in the interval, not at one fixed delay.
  assert.ok(new Set(offsets.map((x) => Math.round(x))).size > 1, `offsets ${offsets.join(", ")}`);
  // The linter's budget reads the same rule: the new primary's wait is at most a heartbeat (and a connect).
  const budget = classBudgets(scenarioText(mongodb(1)).topology, null).get("orders")!;
  const sync = budget.phases.find((p) => p.phase === "sync")!;
  assert.ok(sync.maxMs <= HEARTBEAT_MS + CONNECT_SLACK_MS, `sync phase up to ${sync.maxMs} ms: ${sync.basis}`);
  assert.match(sync.basis, /heartbeat/);
});

test("a MongoDB secondary's restream follows the heartbeats the file gives", () => {
  const scenario = scenarioText(threeNodes({ preset: "mongodb", seed: 1, replication: "{ mode: leader-follower }", failover: "{ detection: { heartbeat: 1s, misses: 10 } }" }));
  assert.deepEqual(scenario.topology.failover.restream, { kind: "heartbeat", intervalMs: 1000 });
});

test("MySQL replicas under Orchestrator stream from the new source as it is promoted (found by a review: Patroni's slot retry was applied to Orchestrator)", () => {
  for (let seed = 1; seed <= 4; seed++) {
    const scenario = scenarioText(threeNodes({ preset: "mysql-semisync", seed, replication: '{ mode: leader-follower, synchronous: { standbys: "ANY 1 (n1, n2)" } }' }));
    assert.deepEqual(scenario.topology.failover.restream, { kind: "relocate" });
    const result = simulate(scenario);
    const [promote] = factsOf(result.timeline, "promote");
    assert.ok(promote, `seed ${seed}: a promotion`);
    const survivor = promote.node === "n1" ? "n2" : "n1";
    const follow = factsOf(result.timeline, "follow").find((f) => f.node === survivor && f.atMs >= promote.atMs);
    assert.ok(follow, `seed ${seed}: ${survivor} follows ${promote.node}`);
    assert.ok(follow.atMs - promote.atMs <= CONNECT_SLACK_MS, `seed ${seed}: ${survivor} streams ${follow.atMs - promote.atMs} ms after the promotion`);
  }
});

test("Patroni keeps its measured rule: a replica that reaches the new leader before its slot waits out the retry interval", () => {
  const scenario = scenarioText(threeNodes({ preset: "patroni", seed: 1, replication: '{ mode: leader-follower, synchronous: { standbys: "ANY 1 (n1, n2)", strict: true } }' }));
  assert.deepEqual(scenario.topology.failover.restream, { kind: "patroni" });
  const result = simulate(scenario);
  const [promote] = factsOf(result.timeline, "promote");
  const survivor = promote.node === "n1" ? "n2" : "n1";
  const follow = factsOf(result.timeline, "follow").find((f) => f.node === survivor && f.atMs >= promote.atMs)!;
  // Re-pointed 30–230 ms after the key, before the slots exist (about 1.2 s after the promotion): the 5 s retry.
  assert.ok(follow.atMs - promote.atMs > 3000, `${survivor} streams ${follow.atMs - promote.atMs} ms after the promotion`);
});
