// Replica reads behind a proxy go to the nodes its health checks list
// (src/engine/leader-follower/read-pool.ts): a replica that dies keeps its share
// of the reads until `fall` checks in a row fail, and those reads fail; one that
// comes back serves again after `rise` passes. Behind DNS, reads go to whichever
// nodes answer at once. The expectations are worked out from the proxy's
// settings, not read back from the engine's bookkeeping.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

const CRASH_MS = 20_000;
const BACK_MS = 40_000;

/** Four nodes in four zones, a class reading from any node, replica n2 down from 20 s to 40 s. */
function replicaCrash(seed: number, endpoint: string): string {
  return `kind: scenario
name: read-pool
seed: ${seed}
duration: 60s
workload: { writes: 200, reads: 4000, clients: 100, timeout: 1s }
faults:
  - { at: ${CRASH_MS / 1000}s, crash: n2, for: ${(BACK_MS - CRASH_MS) / 1000}s }
topology:
  kind: topology
  name: read-pool
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
    feed: { rpo: 1m, rto: 5m, reads: any }
`;
}

const PROXY = "{ kind: proxy, check_interval: 3s, rise: 2, fall: 3 }";

test("a replica that dies keeps receiving reads, which fail, until the proxy's third failed check; it serves again two passes after it is back", () => {
  for (const seed of [1, 2, 3]) {
    const result = simulate(scenarioText(replicaCrash(seed, PROXY)));
    const out = factsOf(result.timeline, "read-pool-out").filter((f) => f.node === "n2");
    const back = factsOf(result.timeline, "read-pool-in").filter((f) => f.node === "n2");
    assert.equal(out.length, 1, `seed ${seed}: n2 leaves the pool once`);
    assert.equal(back.length, 1, `seed ${seed}: n2 rejoins the pool once`);
    // Checks every 3 s at some phase: the first failing one comes within 3 s of the crash, the third 6 s after it.
    const outAfter = out[0].atMs - CRASH_MS;
    assert.ok(outAfter > 6000 && outAfter <= 9000, `seed ${seed}: out ${outAfter} ms after the crash (3 failed checks, every 3 s)`);
    const backAfter = back[0].atMs - BACK_MS;
    assert.ok(backAfter > 3000 && backAfter <= 6000, `seed ${seed}: back in ${backAfter} ms after the restart (2 passes, every 3 s)`);
    // Clients in zone c prefer n2 (same zone); the others spread over the nodes of their own zone. The pool hands
    // n2 the reads of zone c's clients (a quarter of 4,000 reads/s) while it is listed and dead.
    const expected = 4000 * 0.25 * (outAfter / 1000);
    const failed = out[0].failedReads;
    assert.ok(Math.abs(failed - expected) < 0.15 * expected, `seed ${seed}: ${failed} reads failed on n2, about ${Math.round(expected)} expected`);
    // Every rejected read of the run is one of those: nothing else failed.
    assert.equal(result.totals.readsRejected, failed, `seed ${seed}: rejected reads`);
  }
});

test("behind DNS there are no checks: reads leave a dead replica at once and none fails", () => {
  const result = simulate(scenarioText(replicaCrash(1, "{ kind: dns, ttl: 30s }")));
  assert.equal(result.totals.readsRejected, 0);
  assert.equal(factsOf(result.timeline, "read-pool-out").length, 0);
});

test("the failed reads of a replica that dies grow with the proxy's fall: 3 checks against 1", () => {
  const failedWith = (fall: number) => simulate(scenarioText(replicaCrash(4, `{ kind: proxy, check_interval: 3s, rise: 2, fall: ${fall} }`))).totals.readsRejected;
  const three = failedWith(3);
  const one = failedWith(1);
  // fall 1: out at the first check after the crash (0-3 s, 1.5 s on average); fall 3: 6 s later.
  assert.ok(three > 2.5 * one, `fall 3: ${three} failed reads; fall 1: ${one}`);
});
