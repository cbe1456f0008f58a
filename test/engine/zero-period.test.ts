// A timer whose period is 0 reschedules itself at the same instant for ever. The schema refuses such periods
// (test/model/zero-periods.test.ts); should one reach the engine all the same, the run must stop at once with a
// clear message, not spin with its memory growing (found by a review: loop_wait 0, reconnect backoff 0 and a
// heartbeat of 0 each hung simulate).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { scenarioText } from "./helpers.js";

function payments(faults = "[]", writes = 0): ResolvedScenario {
  return scenarioText(`kind: scenario
name: zero-period
seed: 1
duration: 5s
workload: { writes: ${writes}, reads: 0, clients: 5 }
faults: ${faults}
topology:
  kind: topology
  name: zp
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    a: { zone: east/a, role: leader }
    b: { zone: east/b }
    c: { zone: east/c }
  replication: { mode: leader-follower }
  failover: { detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }, endpoint: { kind: proxy, check_interval: 1s } }
  data_classes:
    x: { rpo: 0, rto: 30s }
`);
}

function stopsQuickly(scenario: ResolvedScenario): void {
  const started = process.hrtime.bigint();
  assert.throws(() => simulate(scenario), /the simulated clock stopped at .*a timer with a period of 0 reached the engine/);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assert.ok(seconds < 30, `took ${seconds} s`);
}

test("a renewal period of 0 that slipped past the schema stops the run with a clear error, even with no writes at all", () => {
  const s = payments();
  const detection = s.topology.failover.detection;
  assert.equal(detection.kind, "lease");
  if (detection.kind === "lease") detection.loopWaitMs = 0;
  s.topology.derived.detection.renewalPeriodMs = 0;
  stopsQuickly(s);
});

test("a reconnect backoff of 0 (base and max) that slipped past the schema stops the run with a clear error", () => {
  const s = payments("[{ at: 1s, crash: a }]", 10);
  s.topology.failover.reconnect = { backoffMs: 0, maxMs: 0, jitter: "full" };
  stopsQuickly(s);
});

test("a valid run is not stopped by the same-instant limit", () => {
  const r = simulate(payments());
  assert.equal(r.totals.failovers, 0);
});
