import { test } from "node:test";
import { violationText } from "../../src/report/simulate/violations.js";
import { actualText } from "../../src/report/simulate/expectations.js";
import assert from "node:assert/strict";
import type { SimulationResult } from "../../src/engine/result.js";
import { classSample, nearestRank, percentiles, runTrials, summarizeClass, summarizeTrials, trialAccumulator, trialSeed } from "../../src/engine/trials.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { compileExpectations } from "../../src/model/expectations.js";
import { failoverResult, ledger } from "../fixtures/results/failover.js";

/** runTrials reads only the seed and the compiled expectations from the scenario. */
function scenario(seed: number, expect: ResolvedScenario["expect"] = {}): ResolvedScenario {
  return { seed, expect, expectations: compileExpectations(expect).expectations } as ResolvedScenario;
}

/** A fake engine: the write RTO grows with the seed; seed 50 never recovers; seed 45 loses writes. */
function fakeSimulate(s: ResolvedScenario, { seed }: { seed: number }): SimulationResult {
  const writeMs = seed === 50 ? null : 20_000 + (seed - s.seed) * 1_000;
  const lost = seed === 45 ? 4 : 0;
  return failoverResult({
    seed,
    classes: [
      ledger({
        rto: { targetMs: 30_000, writeMs, readMs: 1_000, p50ClientMs: null, p99ClientMs: null },
        rpo: { targetMs: 0, lostAckedWrites: lost, windowMs: lost ? 800 : 0 },
        met: writeMs !== null && writeMs <= 30_000 && lost === 0,
      }),
    ],
    violations: seed === 47 ? [{ check: "durability" as const, node: "pg-b", flushedLsn: 4096, forkLsn: 2048, epoch: 2 }] : [],
  });
}

test("nearestRank: the smallest value with at least p% at or below it", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(nearestRank(hundred, 50), 50);
  assert.equal(nearestRank(hundred, 95), 95);
  assert.equal(nearestRank(hundred, 99), 99);
  assert.equal(nearestRank(hundred, 100), 100);
  assert.equal(nearestRank([15, 20, 35, 40, 50], 30), 20, "the textbook example: rank ceil(0.3 × 5) = 2");
  assert.equal(nearestRank([15, 20, 35, 40, 50], 40), 20);
  assert.equal(nearestRank([15, 20, 35, 40, 50], 50), 35);
  assert.equal(nearestRank([7], 99), 7);
  assert.equal(nearestRank([1, 2], 0), 1);
  assert.equal(nearestRank([], 50), 0);
});

test("percentiles: unsorted input, Infinity (never recovered) sorts last", () => {
  const values = [5, 1, Infinity, 3, 2, 4, 9, 8, 7, 6];
  assert.deepEqual(percentiles(values), { p50: 5, p95: Infinity, p99: Infinity, max: Infinity });
  const twenty = Array.from({ length: 20 }, (_, i) => (i === 7 ? Infinity : i));
  assert.deepEqual(percentiles(twenty), { p50: 10, p95: 19, p99: Infinity, max: Infinity });
  assert.deepEqual(percentiles([]), { p50: 0, p95: 0, p99: 0, max: 0 });
});

test("classSample: RPO met without lost writes or within a non-zero target; RTO met when writes came back in time", () => {
  assert.deepEqual(classSample(ledger()), { rpoWindowMs: 0, rtoWriteMs: 24_100, met: true, rpoMet: true, rtoMet: true });
  const lossy = classSample(ledger({ rpo: { targetMs: 0, lostAckedWrites: 2, windowMs: 0 } }));
  assert.equal(lossy.rpoMet, false, "rpo 0 with lost writes in a zero window is still a loss");
  const tolerated = classSample(ledger({ rpo: { targetMs: 60_000, lostAckedWrites: 2, windowMs: 59_000 } }));
  assert.equal(tolerated.rpoMet, true);
  const never = classSample(ledger({ rto: { targetMs: 30_000, writeMs: null, readMs: null, p50ClientMs: null, p99ClientMs: null } }));
  assert.equal(never.rtoMet, false);
  assert.equal(never.rtoWriteMs, null);
});

test("summarizeClass: shares and percentiles", () => {
  const summary = summarizeClass([
    { rpoWindowMs: 0, rtoWriteMs: 10, met: true, rpoMet: true, rtoMet: true },
    { rpoWindowMs: 100, rtoWriteMs: null, met: false, rpoMet: false, rtoMet: false },
    { rpoWindowMs: 0, rtoWriteMs: 30, met: false, rpoMet: true, rtoMet: false },
    { rpoWindowMs: 0, rtoWriteMs: 20, met: true, rpoMet: true, rtoMet: true },
  ]);
  assert.deepEqual(summary, {
    n: 4,
    rpoMs: { p50: 0, p95: 100, p99: 100, max: 100 },
    rtoMs: { p50: 20, p95: Infinity, p99: Infinity, max: Infinity },
    metShare: 0.5,
    rpoMetShare: 0.75,
    rtoMetShare: 0.5,
    samples: { rpoMs: [0, 100, 0, 0], rtoMs: [10, Infinity, 30, 20] },
  });
});

test("summarizeTrials: per class over results in hand", () => {
  const results = [42, 43, 44].map((seed) => fakeSimulate(scenario(42), { seed }));
  const summaries = summarizeTrials(results);
  assert.deepEqual([...summaries.keys()], ["ledger"]);
  assert.deepEqual(summaries.get("ledger")!.rtoMs, { p50: 21_000, p95: 22_000, p99: 22_000, max: 22_000 });
});

test("runTrials: seeds seed..seed+N-1, progress after each, the base seed's result with trials", () => {
  const seen: number[] = [];
  const progress: [number, number][] = [];
  const result = runTrials(
    scenario(42),
    20,
    (s, o) => {
      seen.push(o.seed);
      return fakeSimulate(s, o);
    },
    (done, total) => progress.push([done, total]),
  );
  assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => 42 + i));
  assert.deepEqual(progress, Array.from({ length: 20 }, (_, i) => [i + 1, 20]));
  assert.equal(result.seed, 42, "the report shows the base seed's run");
  assert.equal(result.timeline.length, failoverResult().timeline.length);
  const t = result.classes[0].trials!;
  assert.equal(t.n, 20);
  // RTOs 20..39 s except seed 50 (never): sorted 20..27, 29..39, ∞.
  assert.deepEqual(t.rtoMs, { p50: 30_000, p95: 39_000, p99: Infinity, max: Infinity });
  assert.deepEqual(t.rpoMs, { p50: 0, p95: 0, p99: 800, max: 800 });
  assert.equal(t.rtoMetShare, 10 / 20, "20..30 s except the 'never' of seed 50 → seeds 42..52 minus 50");
  assert.equal(t.rpoMetShare, 19 / 20);
  assert.equal(t.metShare, 9 / 20);
});

test("runTrials: an expectation holds only if it held in every trial; the actual names a seed to replay", () => {
  const result = runTrials(scenario(42, { ledger: { rto: "<35s", rpo: 0 }, failovers: 1 }), 20, fakeSimulate);
  assert.deepEqual(result.expectations.map((e) => ({ path: e.path, expected: e.expected, actual: actualText(e), met: e.met })), [
    { path: "ledger.rto", expected: "<35s", actual: "20s; failed in 6/20 trials (first: seed 50)", met: false },
    { path: "ledger.rpo", expected: "0", actual: "0; failed in 1/20 trials (first: seed 45)", met: false },
    { path: "failovers", expected: "1", actual: "1", met: true },
  ]);
});

test("runTrials: violations from other trials carry their seed", () => {
  const result = runTrials(scenario(42), 10, fakeSimulate);
  assert.deepEqual(result.violations.map(violationText), ["seed 47: durability: pg-b acknowledged WAL up to 4096 as flushed but was promoted at 2048 on timeline 3"]);
});

test("runTrials: one trial is the plain run plus a summary; bad n is a programming error", () => {
  const result = runTrials(scenario(7, { ledger: { rto: "<35s" } }), 1, fakeSimulate);
  assert.equal(result.classes[0].trials!.n, 1);
  assert.equal(actualText(result.expectations[0]), "20s");
  assert.throws(() => runTrials(scenario(1), 0, fakeSimulate), RangeError);
  assert.throws(() => runTrials(scenario(1), 1.5, fakeSimulate), RangeError);
});

test("runTrials: deterministic, and seeds wrap within 32 bits", () => {
  const a = JSON.stringify(runTrials(scenario(42), 15, fakeSimulate));
  const b = JSON.stringify(runTrials(scenario(42), 15, fakeSimulate));
  assert.equal(a, b);
  assert.equal(trialSeed(2 ** 32 - 1, 0), 2 ** 32 - 1);
  assert.equal(trialSeed(2 ** 32 - 1, 1), 0);
  const seen: number[] = [];
  runTrials(scenario(2 ** 32 - 2), 3, (s, o) => (seen.push(o.seed), fakeSimulate(s, o)));
  assert.deepEqual(seen, [2 ** 32 - 2, 2 ** 32 - 1, 0]);
});

test("trialAccumulator: refuses too many or too few results", () => {
  const acc = trialAccumulator(scenario(1), 1);
  assert.throws(() => acc.finish(), RangeError);
  acc.add(fakeSimulate(scenario(1), { seed: acc.nextSeed() }));
  assert.throws(() => acc.add(fakeSimulate(scenario(1), { seed: 2 })), RangeError);
  assert.equal(acc.finish().classes[0].trials!.n, 1);
});
