// Reads over time, counted as they happen: every served, stale and failed
// read lands in exactly one bucket (the totals add up, for leader-follower,
// leaderless and multi-leader runs), at most 720 buckets however long the
// run, and the same buckets as the writes'.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioFrom } from "./helpers.js";

const run = (file: string, durationMs?: number) => {
  const scenario = scenarioFrom(join(process.cwd(), file));
  const s = durationMs === undefined ? scenario : { ...scenario, durationMs };
  return simulate(s, { seed: s.seed });
};

test("every read counted once: served, stale and failed per bucket add up to the totals", () => {
  for (const file of ["scenarios/replica-falls-behind.yaml", "scenarios/quorum-overlap-stale.yaml", "scenarios/multi-leader-partition-lww.yaml", "scenarios/zone-loss-az-a.yaml"]) {
    const result = run(file);
    const series = result.readsOverTime!;
    const sum = (field: "served" | "stale" | "failed") => series.buckets.reduce((n, b) => n + b[field], 0);
    assert.equal(sum("served"), result.totals.readsServed, `${file}: served`);
    assert.equal(sum("stale"), result.totals.staleReads, `${file}: stale`);
    assert.equal(sum("failed"), result.totals.readsRejected, `${file}: failed`);
    assert.ok(series.buckets.every((b) => b.stale <= b.served), `${file}: a stale read is a served one`);
    assert.equal(series.bucketMs, result.writesOverTime!.bucketMs);
    assert.equal(series.buckets.length, result.writesOverTime!.buckets.length);
  }
  assert.ok(run("scenarios/quorum-overlap-stale.yaml").totals.staleReads > 0, "one of them reads stale data");
});

test("a long run keeps at most 720 read buckets", () => {
  // 1,441 s: second-wide buckets would be twice too many, so each must be wider (3 s), not the count uncapped.
  const result = run("scenarios/replica-falls-behind.yaml", 1_441_000);
  assert.ok(result.readsOverTime!.buckets.length <= 720);
  assert.equal(result.readsOverTime!.bucketMs, 3000);
  assert.equal(result.readsOverTime!.buckets.length, Math.ceil(1_441_000 / 3000));
  assert.equal(result.readsOverTime!.buckets.reduce((n, b) => n + b.served + b.failed, 0), result.totals.readsServed + result.totals.readsRejected);
});
