// Predict drills get their truth from the engine: every bundled predict drill
// is run here, its field resolved on the real result, and the right and a
// wrong answer graded. A stubbed result proves the answer is not stored in
// the drill: change the engine's number and the verdict follows it.
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { describe, test } from "node:test";
import type { SimulationResult } from "../../src/engine/result.js";
import { findDrill } from "../../src/drills/catalog.js";
import { gradeAnswer } from "../../src/drills/grade.js";
import { renderFeedback } from "../../src/report/drill/feedback.js";
import { predictChoices, resolveField, runScenario, truthOf } from "../../src/drills/predict.js";
import type { DrillOf } from "../../src/drills/types.js";
import { catalog } from "./helpers.js";

const plain = new Chalk({ level: 0 });

/** Only the fields the drills read; cast, so the stub survives new fields in the engine's result. */
function stubResult(overrides: Partial<SimulationResult["totals"]>, ledgerLost = 0): SimulationResult {
  const stub = {
    scenario: "stub",
    seed: 1,
    topology: "t",
    mode: "leader-follower",
    durationMs: 1000,
    firstFaultMs: 0,
    classes: [
      {
        name: "ledger",
        rpo: { targetMs: 0, lostAckedWrites: ledgerLost, windowMs: 0 },
        rto: { targetMs: 30_000, writeMs: 12_000, readMs: null, p99ClientMs: null },
        latency: { writeP50Ms: 1, writeP99Ms: 2, readP50Ms: null, readP99Ms: null },
        staleReads: 0,
        writesAcked: 10,
        writesRejected: 0,
        met: true,
      },
    ],
    timeline: [
      { atMs: 0, node: "a", event: "crash", detail: "" },
      { atMs: 120_000, node: "c", event: "lag-page", detail: "" },
    ],
    totals: { writesAcked: 10, writesLost: 0, writesRejected: 0, readsRejected: 0, staleReads: 0, conflicts: 0, splitBrainMs: 0, writeUnavailableMs: 0, failovers: 1, readsServed: 0, ...overrides },
    phases: [],
    lag: [],
    settings: {},
    expectations: [],
    violations: [],
    stats: { events: 0 },
  };
  return stub as unknown as SimulationResult;
}

/** The answer text that is right for a value, and one that is wrong. */
function answers(drill: DrillOf<"predict">, value: number): { right: string; wrong: string } {
  if (drill.answer.form === "number") return { right: String(value), wrong: String(value * 10 + 1000) };
  if (drill.answer.form === "yes-no") {
    const { op, value: bound } = drill.answer.claim;
    const holds = op === ">" ? value > bound : op === ">=" ? value >= bound : op === "<" ? value < bound : op === "<=" ? value <= bound : value === bound;
    return holds ? { right: "yes", wrong: "no" } : { right: "no", wrong: "yes" };
  }
  const buckets = drill.answer.buckets;
  let index = buckets.findIndex((b) => b.below !== undefined && value < b.below);
  if (index < 0) index = buckets.length - 1;
  return { right: "abcdefgh"[index], wrong: "abcdefgh"[(index + 1) % buckets.length] };
}

describe("field paths", () => {
  const result = stubResult({ splitBrainMs: 35_000 }, 7);
  test("selectors by name, by key=value and by index", () => {
    assert.equal(resolveField(result, "totals.splitBrainMs"), 35_000);
    assert.equal(resolveField(result, "classes[ledger].rpo.lostAckedWrites"), 7);
    assert.equal(resolveField(result, "classes[0].rto.writeMs"), 12_000);
    assert.equal(resolveField(result, "timeline[event=lag-page].atMs"), 120_000);
  });
  test("a path that does not resolve to a number is an error, never a silent 0", () => {
    assert.throws(() => resolveField(result, "classes[orders].rpo.lostAckedWrites"), /no element \[orders\]/);
    assert.throws(() => resolveField(result, "classes[ledger].rto.readMs"), /not a number/);
    assert.throws(() => resolveField(result, "totals.nothing"), /not a number/);
  });
});

describe("the truth follows the engine, not the drill file", () => {
  const resolved = findDrill(catalog(), "predict-split-brain-loss");
  test("with writes lost, yes is right; with none, no is right", () => {
    const lost = { result: stubResult({ writesLost: 50 }), runMs: 1 };
    const none = { result: stubResult({ writesLost: 0 }), runMs: 1 };
    assert.equal(gradeAnswer(resolved, "yes", { run: () => lost }).passed, true);
    assert.equal(gradeAnswer(resolved, "yes", { run: () => none }).passed, false);
    assert.equal(gradeAnswer(resolved, "no", { run: () => none }).passed, true);
    assert.equal(gradeAnswer(resolved, "no", { run: () => none }).truth?.value, 0);
  });
});

describe("every bundled predict drill, run through the engine", () => {
  const predicts = catalog().drills.filter((d): d is DrillOf<"predict"> => d.kind === "predict");
  test("there are predict drills for at least eight scenarios", () => {
    assert.ok(new Set(predicts.map((d) => d.scenario)).size >= 8);
  });
  for (const drill of predicts) {
    test(`${drill.id}: ${drill.scenario} → ${drill.field}`, () => {
      const run = runScenario(drill.scenario);
      assert.deepEqual(run.result.violations, [], "the engine's invariant checkers are clean");
      const value = truthOf(drill, run.result);
      assert.ok(Number.isFinite(value));
      const { right, wrong } = answers(drill, value);
      const graded = gradeAnswer(findDrill(catalog(), drill.id), right);
      assert.equal(graded.passed, true, `${right} should be right for ${value}`);
      assert.equal(graded.truth?.value, value);
      assert.equal(graded.truth?.seed, run.result.seed);
      assert.equal(gradeAnswer(findDrill(catalog(), drill.id), wrong).passed, false);
      if (drill.answer.form !== "number") assert.ok(predictChoices(drill).length >= 2);
    });
    // Found by a review: `drill predict-cross-region-latency --answer d` crashed ("Invalid count value") on a run with no events.
    test(`${drill.id}: the feedback prints, with the engine's timeline or a line saying it has none`, () => {
      const run = runScenario(drill.scenario);
      const resolved = findDrill(catalog(), drill.id);
      const graded = gradeAnswer(resolved, answers(drill, truthOf(drill, run.result)).right);
      for (const width of [100, undefined]) {
        const text = renderFeedback(graded, { drill: resolved.drill, result: run.result, width }, plain);
        assert.match(text, /What the engine saw/);
        if (run.result.timeline.length === 0) assert.match(text, /\(no events: nothing failed in this run/);
        else assert.match(text, new RegExp(run.result.timeline[0].event));
      }
    });
  }
});
