// A lease shorter than one loop and two DCS retries: Patroni never runs such timings (it lowers loop_wait, and
// retry_timeout if it must, when it loads them), so with no fault nothing may fail over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";
import { factsOf } from "../../src/engine/result.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { Chalk } from "chalk";

test("a ttl below loop_wait runs with Patroni's lowered timings: no failover and no split brain without a fault (found by a review: a 4.5 s split brain)", () => {
  const r = simulate(shortLease());
  assert.equal(r.totals.failovers, 0);
  assert.equal(r.totals.splitBrainMs, 0);
  assert.equal(r.totals.writesLost, 0);
  assert.equal(r.classes[0].writesRejected, 0);
});

test("the run says which timings it used when Patroni lowered the file's: simulate alone would hide it", () => {
  const r = simulate(shortLease());
  const [lowered] = factsOf(r.timeline, "lease-lowered");
  assert.ok(lowered !== undefined && lowered.atMs === 0);
  // Patroni: loop_wait = ttl − 2 × retry_timeout < 1 s, so loop_wait 1 s and retry_timeout (ttl − 1) // 2 = 2 s.
  assert.deepEqual([lowered.loopWaitMs, lowered.retryTimeoutMs, lowered.givenLoopWaitMs, lowered.givenRetryTimeoutMs], [1000, 2000, 10_000, 3000]);
  assert.match(renderSimulateText(r, new Chalk({ level: 0 }), { width: 200 }), /runs with loop_wait 1s and retry_timeout 2s, as Patroni lowers them: the file's 10s and 3s break/);
});

function shortLease() {
  return scenarioText(`kind: scenario
name: short-lease
seed: 5
duration: 60s
workload: { writes: 100, reads: 100, clients: 20 }
topology:
  kind: topology
  name: short-lease
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    a: { zone: east/a, role: leader }
    b: { zone: east/b }
    c: { zone: east/c }
  replication:
    mode: leader-follower
    synchronous: { standbys: "FIRST 1 (b)", strict: true }
  failover:
    detection: { ttl: 5s, loop_wait: 10s, retry_timeout: 3s }
    fencing: lease
  data_classes:
    ledger: { rpo: 0, rto: 30s, consistency: strong }
`);
}
