// A class with reads: { max_lag } behind a proxy reads through Patroni's /replica?lag=<max_lag> check
// (src/engine/leader-follower/read-pool.ts): the proxy checks each replica every check interval, and a replica
// that falls behind keeps its share of those reads, staler than the budget, until `fall` checks in a row have
// found it too far behind; it serves them again after `rise` passes once it has caught up. The expectations are
// worked out from the proxy's settings and the writes' rate, not read back from the engine's bookkeeping.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

const SLOW_MS = 20_000;
const SLOW_FOR_MS = 20_000;

/**
 * Four nodes in four zones, 500 writes/s of 1KB, a class reading with a 1MB budget; replica n2 replays only 100
 * writes/s from 20 s to 40 s, so it falls 400KB further behind each second and passes the budget some 2.5 s in.
 */
function slowReplica(seed: number, endpoint: string, slow = true): string {
  return `kind: scenario
name: read-pool-lag
seed: ${seed}
duration: 70s
workload: { writes: 500, reads: 4000, clients: 100, timeout: 1s, write_size: 1KB }
faults:
${slow ? `  - { at: ${SLOW_MS / 1000}s, slow: n2, apply_rate: 100, for: ${SLOW_FOR_MS / 1000}s }` : "  []"}
topology:
  kind: topology
  name: read-pool-lag
  preset: patroni
  regions: { east: { zones: [a, b, c, d] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
    n3: { zone: east/d }
  replication: { mode: leader-follower }
  failover:
    endpoint: ${endpoint}
  data_classes:
    feed: { rpo: 1m, rto: 5m, reads: { max_lag: 1MB } }
`.replace("faults:\n  []", "faults: []");
}

const proxy = (interval: number, fall = 3, rise = 2) => `{ kind: proxy, check_interval: ${interval}s, rise: ${rise}, fall: ${fall} }`;

/** The stretch over which n2 served reads staler than the budget before the proxy took it out (ms), and the run. */
function staleWindow(seed: number, endpoint: string) {
  const result = simulate(scenarioText(slowReplica(seed, endpoint)));
  const out = factsOf(result.timeline, "read-pool-out").filter((f) => f.node === "n2");
  const back = factsOf(result.timeline, "read-pool-in").filter((f) => f.node === "n2");
  return { result, out, back };
}

test("a replica falling behind serves max_lag reads staler than the budget until the proxy's third failed check", () => {
  for (const seed of [1, 2, 3]) {
    const { out, back } = staleWindow(seed, proxy(3));
    assert.equal(out.length, 1, `seed ${seed}: n2 leaves the max_lag pool once`);
    const f = out[0];
    assert.equal(f.maxLagBytes, 1024 * 1024);
    assert.equal(f.checks, 3);
    assert.ok(f.lagBytes !== undefined && f.lagBytes > 1024 * 1024, `seed ${seed}: the check found it past the budget (${f.lagBytes})`);
    assert.ok(f.staleReads !== undefined && f.staleReads > 0 && f.staleSinceMs !== undefined, `seed ${seed}: stale reads were served`);
    // Past the budget 2.5 s after the slowdown; the first failing check comes within one interval, the third two
    // intervals after it: 6-9 s of stale reads (Patroni sees a replica that receives but replays slowly at once).
    const window = f.atMs - f.staleSinceMs!;
    assert.ok(window > 6000 - 300 && window <= 9000 + 300, `seed ${seed}: ${window} ms of reads beyond the budget (3 failed checks, every 3 s)`);
    assert.ok(Math.abs(f.staleSinceMs! - (SLOW_MS + 2600)) < 500, `seed ${seed}: stale from ${f.staleSinceMs} ms, about 2.6 s into the slowdown`);
    // Clients in zone c read from n2 (same zone), and a third of zone a's (the leader's zone, no replica there): a
    // third of 4,000 reads/s over the window.
    const expected = (4000 / 3) * (window / 1000);
    assert.ok(Math.abs(f.staleReads! - expected) < 0.2 * expected, `seed ${seed}: ${f.staleReads} stale reads, about ${Math.round(expected)} expected`);
    // It comes back only once it has caught up, after two passes.
    assert.equal(back.length, 1, `seed ${seed}: n2 rejoins once`);
    assert.ok(back[0].atMs > SLOW_MS + SLOW_FOR_MS, `seed ${seed}: back at ${back[0].atMs} ms, after the slowdown ended`);
    assert.ok(back[0].lagBytes !== undefined && back[0].lagBytes <= 1024 * 1024);
  }
});

test("doubling check_interval doubles the stretch of reads beyond the budget", () => {
  let short = 0;
  let long = 0;
  for (const seed of [1, 2, 3, 4]) {
    short += staleWindow(seed, proxy(2)).out.map((f) => f.atMs - f.staleSinceMs!)[0];
    long += staleWindow(seed, proxy(4)).out.map((f) => f.atMs - f.staleSinceMs!)[0];
  }
  // fall 3: 2-3 intervals after the budget is passed: 4-6 s at 2 s, 8-12 s at 4 s.
  assert.ok(long > 1.6 * short && long < 2.4 * short, `check_interval 4s: ${long / 4} ms on average; 2s: ${short / 4} ms`);
});

test("with fall 1 the replica is out at the first failed check", () => {
  for (const seed of [1, 2]) {
    const f = staleWindow(seed, proxy(3, 1)).out[0];
    const window = f.atMs - f.staleSinceMs!;
    assert.ok(window > 0 && window <= 3300, `seed ${seed}: ${window} ms (one check, every 3 s)`);
  }
});

test("with no lag no replica leaves the max_lag pool and every read is served", () => {
  const result = simulate(scenarioText(slowReplica(1, proxy(3), false)));
  assert.equal(factsOf(result.timeline, "read-pool-out").length, 0);
  assert.equal(factsOf(result.timeline, "read-pool-in").length, 0);
  assert.equal(result.totals.readsRejected, 0);
});

/** As slowReplica, but the leader's WAL sender ships nothing from 20 s for 30 s (the replicas receive nothing). */
function stalledSender(seed: number, loopWait: number): string {
  return slowReplica(seed, proxy(1))
    .replace(/ {2}- \{ at: 20s, slow: n2.*\n/, "  - { at: 20s, stall: n0, for: 30s }\n")
    .replace("  failover:\n", `  failover:\n    detection: { ttl: 30s, loop_wait: ${loopWait}s, retry_timeout: 10s }\n`);
}

test("a replica that receives nothing is seen through the leader's position in the DCS, up to a loop_wait late", () => {
  const windows = (loopWait: number) =>
    [1, 2, 3, 4].map((seed) => {
      const result = simulate(scenarioText(stalledSender(seed, loopWait)));
      const out = factsOf(result.timeline, "read-pool-out").find((f) => f.node === "n2");
      assert.ok(out !== undefined && out.staleSinceMs !== undefined, `seed ${seed}, loop_wait ${loopWait}s: n2 leaves the pool`);
      return out.atMs - out.staleSinceMs;
    });
  // Past the budget about 2 s into the stall; the DCS shows it at the leader's next HA loop (within loop_wait),
  // then three failed checks a second apart: 2-3 s plus up to loop_wait.
  for (const [loopWait, ws] of [[2, windows(2)], [10, windows(10)]] as const) {
    for (const w of ws) assert.ok(w > 2000 - 300 && w <= loopWait * 1000 + 3000 + 300, `loop_wait ${loopWait}s: ${w} ms of reads beyond the budget`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(windows(10)) > mean(windows(2)) + 1500, `loop_wait 10s: ${mean(windows(10))} ms on average; 2s: ${mean(windows(2))} ms`);
});
