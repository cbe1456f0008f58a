// Who chooses the standbys a commit waits for is the preset's system's rule
// (SyncSetPolicy, applied in sync-set.ts). Patroni's HA loop names a
// synchronous standby, so a strict leader just promoted waits for its first
// loop even when a replica already streams from it. MongoDB names nobody: a
// w: "majority" write is acknowledged once a majority of the members has it,
// so a new primary's majority writes come back as soon as a secondary syncs
// from it (found by a review: the mongodb preset waited for a Patroni HA loop
// that MongoDB does not have, about 2 s of every failover).
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { classBudgets } from "../../src/lint/budget.js";
import { scenarioText, threeNodeCrash } from "./helpers.js";

/** Three members in three zones, the leader crashing 30 s in (helpers.ts). */
const threeNodes = (opts: { preset: string; seed: number; replication: string; failover?: string }) => threeNodeCrash({ name: "sync-set-policy", ...opts });

const mongodb = (seed: number) => threeNodes({ preset: "mongodb", seed, replication: "{ mode: leader-follower }" });
/** The heartbeat interval, which is also the period of the engine's loop for a heartbeat-detected failover. */
const HEARTBEAT_MS = 2000;
/**
 * The measured write RTO ends at the first acknowledgement of a write sent once a client is back: the first
 * reconnected clients must send one (each of the 50 clients writes 10 a second: 100 ms apart on average) and it
 * pays its commit round trip. Well under the 2 s a heartbeat loop would add.
 */
const COMMIT_SLACK_MS = 300;

test("the presets' rules: Patroni names its synchronous standbys, MongoDB, MySQL semi-sync and Raft take whoever acknowledges", () => {
  const policy = (preset: string, replication: string) => {
    const replicationOf = scenarioText(threeNodes({ preset, seed: 1, replication })).topology.replication;
    return replicationOf.mode === "leader-follower" ? replicationOf.sync?.setPolicy : undefined;
  };
  const anyOne = '{ mode: leader-follower, synchronous: { standbys: "ANY 1 (n1, n2)" } }';
  assert.equal(policy("patroni", anyOne), "named");
  assert.equal(policy("postgres-manual", anyOne), "named");
  assert.equal(policy("mongodb", "{ mode: leader-follower }"), "whoever-acknowledges");
  assert.equal(policy("mysql-semisync", anyOne), "whoever-acknowledges");
  assert.equal(policy("etcd-raft", "{ mode: leader-follower }"), "whoever-acknowledges");
});

test("a new MongoDB primary's majority writes resume the moment a secondary syncs from it, with no HA loop to wait for", () => {
  let earlyFollows = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const result = simulate(scenarioText(mongodb(seed)));
    const [promote] = factsOf(result.timeline, "promote");
    assert.ok(promote, `seed ${seed}: a promotion`);
    const survivor = promote.node === "n1" ? "n2" : "n1";
    const follow = factsOf(result.timeline, "follow").find((f) => f.node === survivor && f.atMs >= promote.atMs)!;
    assert.ok(follow, `seed ${seed}: ${survivor} syncs from ${promote.node}`);
    // Nobody names a standby: no "none named yet" block, and the writes come back when the secondary streams.
    assert.ok(factsOf(result.timeline, "writes-blocked").every((b) => b.reason !== "none-named"), `seed ${seed}: a block waiting for a standby to be named`);
    const [unblocked] = factsOf(result.timeline, "writes-unblocked");
    assert.ok(unblocked, `seed ${seed}: majority writes resume`);
    assert.equal(unblocked.atMs, follow.atMs, `seed ${seed}: writes resume ${unblocked.atMs - promote.atMs} ms after the promotion, the secondary syncs ${follow.atMs - promote.atMs} ms after it`);
    if (follow.atMs - promote.atMs < HEARTBEAT_MS) earlyFollows++;
    // The write RTO ends when both the clients have found the new primary and a secondary acknowledges, not a loop later.
    const [reconnect] = factsOf(result.timeline, "reconnect");
    const orders = result.classes.find((c) => c.name === "orders")!;
    const backMs = result.firstFaultMs! + orders.rto.writeMs!;
    const readyMs = Math.max(follow.atMs, reconnect.atMs);
    assert.ok(backMs <= readyMs + COMMIT_SLACK_MS, `seed ${seed}: orders back at ${backMs} ms, the secondary synced at ${follow.atMs} ms and the first client reconnected at ${reconnect.atMs} ms`);
  }
  // The heartbeat that tells a secondary falls anywhere in its interval: most seeds sync before a loop would have run.
  assert.ok(earlyFollows >= 5, `only ${earlyFollows} of 10 seeds synced within a heartbeat of the promotion`);
});

test("the linter's RTO budget for MongoDB's majority has no HA-loop floor: the wait is the secondaries' restream", () => {
  const budget = classBudgets(scenarioText(mongodb(1)).topology, null).get("orders")!;
  const sync = budget.phases.find((p) => p.phase === "sync")!;
  assert.ok(sync.minMs < HEARTBEAT_MS / 10, `sync phase from ${sync.minMs} ms: ${sync.basis}`);
  assert.doesNotMatch(sync.basis, /HA loop/);
});

test("Patroni keeps its HA loop: a strict leader just promoted waits for its first loop to name a standby that already streams", () => {
  const text = threeNodes({ preset: "patroni", seed: 1, replication: '{ mode: leader-follower, synchronous: { standbys: "ANY 1 (n1, n2)", strict: true } }' });
  const result = simulate(scenarioText(text));
  const [promote] = factsOf(result.timeline, "promote");
  const survivor = promote.node === "n1" ? "n2" : "n1";
  const follow = factsOf(result.timeline, "follow").find((f) => f.node === survivor && f.atMs >= promote.atMs)!;
  const [blocked] = factsOf(result.timeline, "writes-blocked");
  assert.equal(blocked.reason, "none-named");
  const [unblocked] = factsOf(result.timeline, "writes-unblocked");
  // The replica streams within the 5 s slot retry; the first HA loop runs loop_wait (10 s) after the promotion.
  const loopWaitMs = 10_000;
  assert.ok(follow.atMs < promote.atMs + loopWaitMs, `streams ${follow.atMs - promote.atMs} ms after the promotion`);
  assert.equal(unblocked.atMs, promote.atMs + loopWaitMs, `unblocked ${unblocked.atMs - promote.atMs} ms after the promotion`);
});
