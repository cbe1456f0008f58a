// Evaluation: compiled expectations judged against a result (the grammar is tested in test/model/expectations.test.ts).
import { actualText } from "../../src/report/simulate/expectations.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateExpectations } from "../../src/engine/expect.js";
import { compileExpectations } from "../../src/model/expectations.js";
import type { ExpectationResult, SimulationResult } from "../../src/engine/result.js";
import { analytics, failoverResult, ledger } from "../fixtures/results/failover.js";
import { scenarioFrom } from "./helpers.js";

/** An expectation's verdict as the reports show it: the measurement in words. */
type Worded = { path: string; expected: string; actual: string; met: boolean };

/** Compiles the block as the loader does, evaluates the compiled form, and words each measurement as the reports do. */
function evaluate(expect: Record<string, unknown>, result: SimulationResult): Worded[] {
  return evaluateExpectations(compileExpectations(expect).expectations, result).map((e: ExpectationResult) => ({ path: e.path, expected: e.expected, actual: actualText(e), met: e.met }));
}

function byPath(results: Worded[]): Record<string, Worded> {
  return Object.fromEntries(results.map((r) => [r.path, r]));
}

test("evaluate: class RPO, RTO, latencies and met, in the scenario's order", () => {
  const results = evaluate(
    {
      ledger: { rpo: 0, rto: "<30s", read_rto: "<=24.1s", client_p99: ">1m", write_p50: "<2ms", write_p99: "<4ms", read_p99: ">=2.1ms", stale_reads: 0, met: true },
      analytics_rollups: { rpo: "<1s", lost_writes: ">0", stale_reads: "<10" },
    },
    failoverResult(),
  );
  assert.deepEqual(
    results.map((r) => [r.path, r.met]),
    [
      ["ledger.rpo", true],
      ["ledger.rto", true],
      ["ledger.read_rto", true],
      ["ledger.client_p99", true],
      ["ledger.write_p50", true],
      ["ledger.write_p99", false],
      ["ledger.read_p99", true],
      ["ledger.stale_reads", true],
      ["ledger.met", true],
      ["analytics_rollups.rpo", false],
      ["analytics_rollups.lost_writes", true],
      ["analytics_rollups.stale_reads", false],
    ],
  );
  const r = byPath(results);
  assert.deepEqual(r["ledger.rpo"], { path: "ledger.rpo", expected: "0", actual: "0", met: true }, "the SPEC §4 example");
  assert.equal(r["ledger.rto"].actual, "24.1s");
  assert.equal(r["ledger.read_rto"].actual, "24.1s", "24100.04 ms compares as the 24100 ms it prints as");
  assert.equal(r["ledger.write_p99"].actual, "4.8ms");
  assert.equal(r["ledger.client_p99"].actual, "1m01s", "61 s must not read as 1m");
  assert.equal(r["analytics_rollups.rpo"].actual, "1.2s (12 lost writes)");
  assert.equal(r["analytics_rollups.stale_reads"].actual, "37");
});

test("evaluate: rpo 0 also requires no lost acknowledged writes, even within a zero window", () => {
  const result = failoverResult({ classes: [ledger({ rpo: { targetMs: 0, lostAckedWrites: 3, windowMs: 0 } })] });
  for (const expected of [0, "0", "==0", "<=0", "0s"]) {
    const [r] = evaluate({ ledger: { rpo: expected } }, result);
    assert.equal(r.met, false, `rpo: ${JSON.stringify(expected)}`);
    assert.equal(r.actual, "0 (3 lost writes)");
  }
  const [loose] = evaluate({ ledger: { rpo: "<1s" } }, result);
  assert.equal(loose.met, true, "a window comparison above 0 allows losses inside the window");
});

test("evaluate: an RTO that never came is 'never': fails every <, meets > and never", () => {
  const result = failoverResult({ classes: [ledger({ rto: { targetMs: 30_000, writeMs: null, readMs: 5_000, p50ClientMs: null, p99ClientMs: null } })] });
  const r = byPath(
    evaluate({ ledger: { rto: "<30s" } }, result).concat(
      evaluate({ ledger: { rto: ">1h" } }, result).map((x) => ({ ...x, path: "gt" })),
      evaluate({ ledger: { rto: "never" } }, result).map((x) => ({ ...x, path: "never" })),
      evaluate({ ledger: { rto: "!=never", read_rto: "never" } }, result).map((x) => ({ ...x, path: `not-${x.path}` })),
    ),
  );
  assert.deepEqual(r["ledger.rto"], { path: "ledger.rto", expected: "<30s", actual: "never", met: false });
  assert.equal(r.gt.met, true);
  assert.equal(r.never.met, true);
  assert.equal(r["not-ledger.rto"].met, false);
  assert.equal(r["not-ledger.read_rto"].met, false, "reads did recover");
});

test("evaluate: latencies nobody measured fail every comparison and say so", () => {
  const result = failoverResult({ classes: [ledger({ latency: { writeP50Ms: null, writeP99Ms: null, readP50Ms: null, readP99Ms: null } })] });
  const [r] = evaluate({ ledger: { read_p50: "<1s" } }, result);
  assert.equal(r.met, false);
  assert.match(r.actual, /^n\/a/);
  const [tail] = evaluate({ ledger: { client_p99: "<1m" } }, failoverResult({ classes: [ledger({ rto: { targetMs: 1, writeMs: 1, readMs: 1, p50ClientMs: null, p99ClientMs: null } })] }));
  assert.equal(tail.met, false);
  assert.match(tail.actual, /^n\/a/);
});

test("evaluate: global expectations read the totals", () => {
  const results = byPath(
    evaluate(
      {
        split_brain: false,
        writes_lost: "<=12",
        writes_rejected: ">100",
        reads_rejected: 40,
        stale_reads: "!=0",
        conflicts: 0,
        write_unavailable: "<25s",
        writes_acked: ">=22500",
        failovers: "==1",
      },
      failoverResult(),
    ),
  );
  for (const [path, r] of Object.entries(results)) assert.equal(r.met, true, `${path}: ${r.actual}`);
  assert.equal(results.split_brain.actual, "false");
  assert.equal(results.write_unavailable.actual, "24.1s");
  assert.equal(results.writes_acked.actual, "22,500");
});

test("evaluate: split_brain as a boolean or a duration comparison", () => {
  const result = failoverResult();
  result.totals.splitBrainMs = 2_345;
  const r = evaluate({ split_brain: false }, result)[0];
  assert.deepEqual(r, { path: "split_brain", expected: "false", actual: "true (2.3s)", met: false });
  assert.equal(evaluate({ split_brain: true }, result)[0].met, true);
  assert.equal(evaluate({ split_brain: "<5s" }, result)[0].met, true);
  assert.equal(evaluate({ split_brain: "<5s" }, result)[0].actual, "2.3s");
  assert.equal(evaluate({ split_brain: 0 }, result)[0].met, false);
  assert.equal(evaluate({ split_brain: 0 }, failoverResult())[0].met, true);
});

test("evaluate: timeline events must appear in the listed order", () => {
  const result = failoverResult();
  const met = evaluate({ timeline: ["crash", "detect", "promote", "endpoint"] }, result)[0];
  assert.deepEqual(met, {
    path: "timeline",
    expected: "crash → detect → promote → endpoint",
    actual: "crash 30s → detect 39.4s → promote 40.9s → endpoint 43.9s",
    met: true,
  });
  const order = evaluate({ timeline: ["promote", "detect"] }, result)[0];
  assert.equal(order.met, false);
  assert.equal(order.actual, 'promote 40.9s; "detect" not found after promote 40.9s (it occurs earlier)');
  const missing = evaluate({ timeline: ["crash", "split_brain"] }, result)[0];
  assert.equal(missing.met, false);
  assert.equal(missing.actual, 'crash 30s; no "split_brain" event');
  const twice = evaluate({ timeline: ["promote", "promote"] }, result)[0];
  assert.equal(twice.met, false, "one promote cannot satisfy two");
});

test("evaluate: never throws — malformed values, unknown classes and fields become failed expectations", () => {
  const results = evaluate(
    { ledger: { rto: "<<30s", bogus: 1 }, nosuch: { rpo: 0 }, split_brain: "maybe", mystery: 1, timeline: "promote" } as never,
    failoverResult({ classes: [ledger(), analytics()] }),
  );
  assert.equal(results.length, 6);
  assert.ok(results.every((r) => !r.met));
  assert.match(results[0].actual, /^24\.1s \(invalid expectation: expected a duration comparison/);
  assert.match(results[1].actual, /unknown expectation "bogus"/);
  assert.match(results[2].actual, /no data class "nosuch"/);
  assert.match(results[3].actual, /invalid expectation/);
  assert.match(results[4].actual, /unknown expectation "mystery"/);
  assert.match(results[5].actual, /invalid expectation/);
});

test("evaluate: no expectations, no results", () => {
  assert.deepEqual(evaluate({}, failoverResult()), []);
});

test("the loader compiles expect: once; the engine judges that compiled form as it would the raw block", () => {
  const scenario = scenarioFrom("scenarios/bad-delete-in-deploy.yaml");
  assert.deepEqual(
    scenario.expectations.map((g) => g.key),
    Object.keys(scenario.expect),
    "one compiled group per key, in the scenario's order",
  );
  assert.ok(scenario.expectations.flatMap((g) => g.items).every((item) => item.target === "timeline" || item.check === null || item.check.ok), "a loaded scenario's expectations all parsed");
  const result = failoverResult();
  assert.deepEqual(evaluateExpectations(scenario.expectations, result), evaluateExpectations(compileExpectations(scenario.expect).expectations, result));
});
