// Reads sent to a replica that stopped answering fail until the proxy drops it, while the rest of the class's reads
// are served: the class's read RTO (an outage of the whole class, closed by any client's next served read) is
// milliseconds. The timeline must say how long the failures went on (found by a review: replica-falls-behind read
// 'RTO read 6.7ms' beside 16,828 failed reads, with nothing saying they spanned 8.4 s).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { factsOf } from "../../../src/engine/result.js";
import { scenarioFrom } from "../../engine/helpers.js";

test("replica-falls-behind: the read-pool-out entry says over how long the reads sent to the rebuilding replica failed", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios", "replica-falls-behind.yaml"));
  const r = simulate(scenario);
  // pg-c left the pool of the 10MB budget long before, for its lag: the entry of the rebuild is the one whose reads failed.
  const out = factsOf(r.timeline, "read-pool-out").find((e) => e.node === "pg-c" && e.failedReads > 0)!;
  const rebuildMs = scenario.faults[0].atMs;
  assert.ok(out.failedReads > 10_000);
  // The first failed read went out at the rebuild, when the server stopped.
  assert.ok(out.failedSinceMs !== undefined && out.failedSinceMs >= rebuildMs && out.failedSinceMs < rebuildMs + 100, `since ${out.failedSinceMs}`);
  const text = describeEntry(out, { firstFaultMs: r.firstFaultMs, mode: r.mode, preset: r.preset, timeline: r.timeline });
  assert.match(text, /10,127 reads sent to it over 8\.4s failed/);
  assert.match(text, /RTO read column times only outages of a whole class/);
  // Beside a read RTO of milliseconds: the span is what a reader of the table needs.
  for (const c of r.classes) assert.ok(c.rto.readMs !== null && c.rto.readMs < 1_000);
});

test("a replica back under its lag budget but still behind is not 'caught up' (found by a review: 'caught up (3.6MB behind)')", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios", "replica-falls-behind.yaml"));
  const r = simulate(scenario);
  const back = factsOf(r.timeline, "read-pool-in").find((e) => "maxLagBytes" in e && e.maxLagBytes !== undefined);
  assert.ok(back, "a read-pool-in entry");
  const context = { firstFaultMs: r.firstFaultMs, mode: r.mode, preset: r.preset, timeline: r.timeline };
  assert.match(describeEntry({ ...back, lagBytes: 3.6 * 1024 * 1024 }, context), /^back within the 10MB budget \(3\.6MB behind\): /);
  assert.match(describeEntry({ ...back, lagBytes: 0 }, context), /^caught up: /);
});
