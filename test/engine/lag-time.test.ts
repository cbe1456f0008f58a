// Time behind, as PostgreSQL's now() − pg_last_xact_replay_timestamp() reads
// it: a replica cut off by a partition receives nothing, so its replay falls
// one more second behind every second, even though nothing is in flight. The
// byte lag and the time lag of one sample must tell the same story.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioFrom } from "./helpers.js";

const ROOT = process.cwd();

test("a replica cut off from its leader falls behind in time, second by second", () => {
  const scenario = scenarioFrom(join(ROOT, "scenarios/split-brain-no-fencing.yaml"));
  const result = simulate(scenario, { seed: scenario.seed });
  const cut = result.firstFaultMs!;
  const during = result.lag.filter((l) => l.node === "pg-b" && l.atMs > cut + 500 && l.lagBytes > 0);
  assert.ok(during.length > 0, "pg-b is sampled while cut off");
  for (const sample of during.filter((l) => l.atMs < cut + 4000)) {
    // At least the time since the partition began (a write just before it may be older still).
    assert.ok(sample.lagMs >= sample.atMs - cut - 50, `at ${sample.atMs} ms: ${sample.lagMs} ms behind with ${sample.lagBytes} bytes`);
  }
});

test("a replica that keeps up is a few milliseconds behind, never seconds", () => {
  const scenario = scenarioFrom(join(ROOT, "scenarios/leader-dies-in-az-a.yaml"));
  const result = simulate(scenario, { seed: scenario.seed });
  const before = result.lag.filter((l) => l.atMs < result.firstFaultMs!);
  assert.ok(before.length > 0);
  for (const sample of before) assert.ok(sample.lagMs < 200, `${sample.node} at ${sample.atMs}: ${sample.lagMs} ms`);
});

test("the lag series holds the moments that matter between its once-a-second samples: the backlog when the leader fails, and when a replica starts to catch up (found by a review)", () => {
  const r = simulate(scenarioFrom("scenarios/async-failover-loses-writes.yaml"));
  const peak = (node: string) => Math.max(...r.lag.filter((l) => l.node === node).map((l) => l.lagBytes));
  const lost = r.totals.writesLost;
  const size = 1024;
  // The promoted replica lacked `lost` writes of 1 KB: it was at least that far behind when the leader crashed.
  assert.ok(peak("db-b") >= lost * size * 0.95, `db-b peak ${peak("db-b")} bytes, ${lost} writes lost`);
});
