// A Patroni leader cut off from the coordinator demotes itself when its retries run out (retry_timeout) but
// keeps the leader key until the key's ttl expires. When the coordinator answers again before that, the key
// still names it: its next HA loop starts PostgreSQL read-only and renews the key, the loop after promotes it
// ("because i had the session lock"). No election, no other node promoted. A cut longer than the ttl lets the
// key expire and the replicas elect a new leader, as before.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate, simulateWithHistory } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { judge, oracleById } from "../../src/swarm/oracles.js";
import { scenarioText } from "./helpers.js";

// The payments cluster's settings: ttl 10 s, loop_wait 2 s, retry_timeout 3 s, promotion 1 s, strict synchronous.
const TTL_MS = 10_000;
const LOOP_MS = 2_000;
const RETRY_MS = 3_000;
const PROMOTION_MS = 1_000;
const FAULT_MS = 20_000;

function cutOff(forS: number, seed: number): string {
  return `kind: scenario
name: cut-off
topology: ${process.cwd()}/topologies/payments-three-site-etcd.yaml
seed: ${seed}
duration: 60s
workload: { writes: 300, reads: 300, clients: 60, zones: [us-east/a, us-east/b, us-east/c] }
faults:
  - { at: ${FAULT_MS / 1000}s, partition: [[us-east/a], [us-east/b, us-east/c, us-west]], for: ${forS}s }
`;
}

const SEEDS = [1, 2, 3, 4, 5];

test("a leader cut off from the coordinator for longer than retry_timeout but shorter than the ttl leads again without an election (Patroni's session lock)", () => {
  const healMs = FAULT_MS + 5_000;
  for (const seed of SEEDS) {
    const r = simulate(scenarioText(cutOff(5, seed)));
    const facts = r.timeline.filter((e) => e.atMs >= FAULT_MS);
    const demote = facts.find((e) => e.event === "demote");
    assert.ok(demote && demote.node === "pg-a", `seed ${seed}: pg-a demotes itself`);
    // It demotes when its retries run out: within retry_timeout of its first HA loop after the cut.
    assert.ok(demote.atMs <= FAULT_MS + LOOP_MS + RETRY_MS, `seed ${seed}: demoted at ${demote.atMs}`);
    assert.deepEqual(facts.filter((e) => e.event === "elect" || e.event === "promote" || e.event === "detect"), [], `seed ${seed}: no lease expiry, no election, no promotion`);
    const again = facts.find((e) => e.event === "repromote");
    assert.ok(again && again.node === "pg-a", `seed ${seed}: pg-a leads again`);
    // The first HA loop after the heal (within loop_wait) starts it read-only, the next one promotes it.
    assert.ok(again.atMs > healMs && again.atMs <= healMs + 2 * LOOP_MS + PROMOTION_MS, `seed ${seed}: promoted again at ${again.atMs}`);
    assert.equal(r.totals.failovers, 0);
    assert.equal(r.totals.writesLost, 0, `seed ${seed}: no acknowledged write lost`);
    assert.equal(r.totals.splitBrainMs, 0);
    // Writes are back when it leads again and, strict synchronous, once its next HA loop names a standby that
    // streams again (the replicas' WAL receivers retry every 5 s: reached by then). A failover would have
    // waited for the ttl, then the election and the promotion of another node.
    const bound = healMs - FAULT_MS + 2 * LOOP_MS + PROMOTION_MS + LOOP_MS + 100;
    for (const c of r.classes) assert.ok(c.rto.writeMs !== null && c.rto.writeMs <= bound, `seed ${seed}: ${c.name} write RTO ${c.rto.writeMs} ≤ ${bound}`);
  }
});

test("a leader cut off for longer than the ttl still fails over: the key expires and another node is elected", () => {
  for (const seed of SEEDS) {
    const r = simulate(scenarioText(cutOff(15, seed)));
    const facts = r.timeline.filter((e) => e.atMs >= FAULT_MS);
    assert.deepEqual(facts.filter((e) => e.event === "start-readonly" || e.event === "repromote"), [], `seed ${seed}: the key expired: no session lock to reuse`);
    const detect = facts.find((e) => e.event === "detect");
    assert.ok(detect && detect.atMs <= FAULT_MS + TTL_MS + 500, `seed ${seed}: the lease expires within the ttl (plus etcd's revoke tick)`);
    const promote = facts.find((e) => e.event === "promote");
    assert.ok(promote && promote.node !== "pg-a", `seed ${seed}: another node is promoted`);
    assert.equal(r.totals.failovers, 1);
    assert.equal(r.totals.writesLost, 0);
  }
});

test("no two writers either way: the swarm's single-writer oracle over the write history", () => {
  for (const forS of [5, 9, 15]) {
    for (const seed of SEEDS) {
      const scenario = scenarioText(cutOff(forS, seed));
      const { result, history } = simulateWithHistory(scenario);
      assert.deepEqual(judge({ scenario, result, history }, [oracleById("single-writer")]).failed, [], `cut ${forS}s, seed ${seed}`);
    }
  }
});

test("a leader that leads again waits for its synchronous standby as any promoted leader does: the blocked fact says it leads again, and the wait is a phase", () => {
  for (const seed of SEEDS) {
    const r = simulate(scenarioText(cutOff(5, seed)));
    const again = factsOf(r.timeline, "repromote")[0];
    const blocked = factsOf(r.timeline, "writes-blocked").find((e) => e.atMs >= again.atMs);
    assert.ok(blocked && blocked.reason === "none-named" && blocked.leadsAgain === true, `seed ${seed}: ${JSON.stringify(blocked)}`);
    const unblocked = factsOf(r.timeline, "writes-unblocked").find((e) => e.atMs >= again.atMs)!;
    assert.deepEqual(r.phases.filter((p) => p.phase === "sync").map((p) => [p.startMs, p.endMs]), [[again.atMs, unblocked.atMs]], `seed ${seed}`);
  }
  // An elected leader is a new one: its fact carries no such mark.
  const elected = simulate(scenarioText(cutOff(15, 1)));
  const blocked = factsOf(elected.timeline, "writes-blocked").find((e) => e.atMs >= FAULT_MS);
  assert.ok(blocked && blocked.reason === "none-named" && blocked.leadsAgain === undefined);
});
