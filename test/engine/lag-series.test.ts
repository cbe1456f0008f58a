// The lag series is bounded by replicas, not by the run's length, and keeps
// exactly what the reports read from it. The oracle is the whole series,
// kept beside it in the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { caughtUp, FULL_SAMPLES, LagSeries, MAX_BUCKETS } from "../../src/engine/lag-series.js";
import { Rng } from "../../src/base/rng.js";
import type { LagSample } from "../../src/engine/result.js";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioFrom } from "./helpers.js";

/** A run's worth of samples: two replicas sampled once a second, lag in bursts that drain to 0, plus irregular extra samples. */
function recorded(seconds: number, seed: number): LagSample[] {
  const rng = new Rng(seed);
  const out: LagSample[] = [];
  const lag = [0, 0];
  for (let t = 0; t < seconds; t++) {
    for (const n of [0, 1]) {
      lag[n] = rng.next() < 0.02 ? rng.int(5_000_000) : rng.next() < 0.5 ? 0 : Math.floor(lag[n] / 2);
      out.push({ atMs: t * 1000, node: `n${n}`, lagBytes: lag[n], lagMs: lag[n] === 0 ? 0 : rng.int(30_000) });
    }
    for (const n of [0, 1]) {
      if (rng.next() < 0.01) out.push({ atMs: t * 1000 + 400, node: `n${n}`, lagBytes: rng.int(9_000_000), lagMs: rng.int(60_000) });
    }
  }
  return out;
}

function record(samples: readonly LagSample[]): LagSample[] {
  const series = new LagSeries();
  for (const s of samples) series.add(s.atMs, s.node, s.lagBytes, s.lagMs);
  return series.samples();
}

/** The earliest sample with the highest value of `key`, per node. */
function peaks(samples: readonly LagSample[], key: "lagBytes" | "lagMs"): Map<string, LagSample> {
  const best = new Map<string, LagSample>();
  for (const s of samples) {
    const b = best.get(s.node);
    if (!b || s[key] > b[key]) best.set(s.node, s);
  }
  return best;
}

test("an hour of samples per node is kept whole, in the order it was recorded", () => {
  const all = recorded(FULL_SAMPLES / 2, 1);
  assert.deepEqual(record(all), all);
});

test("six hours of samples: memory bounded per node, both peaks and their moments exact, every kept sample a recorded one", () => {
  const all = recorded(6 * 3600, 2);
  const kept = record(all);
  for (const node of ["n0", "n1"]) {
    const n = kept.filter((s) => s.node === node).length;
    assert.ok(n <= 3 * MAX_BUCKETS, `${node}: ${n} samples kept of ${all.filter((s) => s.node === node).length}`);
  }
  for (const key of ["lagBytes", "lagMs"] as const) assert.deepEqual(peaks(kept, key), peaks(all, key), key);
  const recordedSet = new Set(all.map((s) => JSON.stringify(s)));
  for (const s of kept) assert.ok(recordedSet.has(JSON.stringify(s)), `kept ${JSON.stringify(s)} was never recorded`);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i].atMs >= kept[i - 1].atMs, "in time order");
});

test("the moment a replica has caught up again stays within one bucket of the truth", () => {
  const all = recorded(6 * 3600, 3);
  const kept = record(all);
  const width = 1000 * 2 ** Math.ceil(Math.log2((6 * 3600) / MAX_BUCKETS));
  for (const from of [3_700_000, 10_000_000, 20_000_000]) {
    const truth = all.find((s) => s.node === "n0" && s.atMs > from && caughtUp(s))!;
    const seen = kept.find((s) => s.node === "n0" && s.atMs > from && caughtUp(s))!;
    assert.ok(seen.atMs >= truth.atMs && seen.atMs - truth.atMs <= 2 * width, `caught up at ${truth.atMs}, kept ${seen.atMs} (bucket ${width} ms)`);
  }
});

test("a six-hour run keeps a bounded lag series (it held one sample per replica a second)", () => {
  const scenario = scenarioFrom("scenarios/leader-dies-in-az-a.yaml");
  const long = { ...scenario, durationMs: 6 * 3_600_000, workload: { ...scenario.workload, writes: 5, reads: 0 } };
  const result = simulate(long, { seed: 1 });
  // The replicas that follow the new leader to the end (the old one stops being sampled when it dies).
  const replicas = new Set(result.lag.filter((s) => s.atMs > 5 * 3_600_000).map((s) => s.node));
  assert.ok(replicas.size >= 2);
  for (const node of replicas) {
    const n = result.lag.filter((s) => s.node === node).length;
    assert.ok(n <= 3 * MAX_BUCKETS, `${node}: ${n} samples over 6 h`);
    assert.ok(n >= MAX_BUCKETS / 2, `${node}: ${n} samples still draw the run`);
  }
});
