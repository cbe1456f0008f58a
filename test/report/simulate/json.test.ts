import { test } from "node:test";
import assert from "node:assert/strict";
import { lagViews, renderSimulateJson, simulationJson } from "../../../src/report/simulate/json.js";
import { roundMs } from "../../../src/report/common/format.js";
import { runTrials } from "../../../src/engine/trials.js";
import type { ResolvedScenario } from "../../../src/model/types.js";
import { analytics, failoverResult, ledger, quietResult } from "../../fixtures/results/failover.js";

const SPEC_TOP = ["scenario", "seed", "classes", "timeline", "totals", "settings", "expectations"];
const SPEC_TOTALS = ["writesAcked", "writesLost", "writesRejected", "readsRejected", "staleReads", "conflicts", "splitBrainMs", "writeUnavailableMs"];

function parse(text: string): any {
  return JSON.parse(text);
}

test("JSON: the SPEC §4 fields, exactly named, plus documented extras", () => {
  const doc = parse(renderSimulateJson([failoverResult({ expectations: [{ path: "ledger.rpo", expected: "0", measured: { kind: "count", n: 0 }, met: true }] })], { array: false }));
  for (const key of SPEC_TOP) assert.ok(key in doc, `missing ${key}`);
  assert.deepEqual(Object.keys(doc), [
    "scenario",
    "seed",
    "topology",
    "mode",
    "durationMs",
    "firstFaultMs",
    "classes",
    "timeline",
    "phases",
    "totals",
    "lag",
    "regions",
    "lagSeries",
    "settings",
    "expectations",
    "violations",
  ]);
  assert.equal(doc.scenario, "leader-dies-in-az-a");
  assert.equal(doc.seed, 42);
  const [ledgerJson] = doc.classes;
  assert.deepEqual(Object.keys(ledgerJson).slice(0, 5), ["name", "rpo", "rto", "latency", "met"]);
  assert.deepEqual(ledgerJson.rpo, { targetMs: 0, lostAckedWrites: 0, windowMs: 0 });
  assert.deepEqual(ledgerJson.rto, { targetMs: 30000, writeMs: 24100, readMs: 24100, p50ClientMs: 40000, p99ClientMs: 61000 });
  assert.deepEqual(ledgerJson.latency, { writeP50Ms: 1.4, writeP99Ms: 4.8, readP50Ms: 0.6, readP99Ms: 2.1 });
  assert.equal(ledgerJson.met, true);
  assert.equal("trials" in ledgerJson, false, "trials only with --trials");
  for (const key of SPEC_TOTALS) assert.equal(typeof doc.totals[key], "number", key);
  assert.deepEqual(doc.timeline[1], { atMs: 30000, node: "pg-a", event: "crash", detail: "host failed; 3 WAL messages in flight lost" });
  assert.equal(doc.timeline[4].lsn, 3809056, "structured LSNs pass through");
  assert.deepEqual(doc.expectations, [{ path: "ledger.rpo", expected: "0", actual: "0", met: true }]);
  assert.deepEqual(doc.settings, { failover: { detection: { ttlMs: 10000 }, fencing: "stonith" } });
  assert.deepEqual(doc.violations, []);
});

test("JSON: floats rounded to 0.1 ms, null RTO stays null", () => {
  const doc = parse(
    renderSimulateJson([failoverResult({ classes: [analytics({ rto: { targetMs: 3_600_000, writeMs: null, readMs: 0.04, p50ClientMs: null, p99ClientMs: null } })] })], {
      array: false,
    }),
  );
  assert.equal(doc.classes[0].rpo.windowMs, 1234.6);
  assert.equal(doc.classes[0].rto.writeMs, null);
  assert.equal(doc.classes[0].rto.readMs, 0);
  assert.equal(doc.totals.writeUnavailableMs, 24100);
  assert.equal(roundMs(-0.01), 0);
  assert.ok(!Object.is(roundMs(-0.01), -0), "no -0");
  assert.equal(roundMs(Infinity), null);
});

test("JSON: phases, lag summary, no-fault runs", () => {
  const doc = parse(renderSimulateJson([failoverResult()], { array: false }));
  assert.deepEqual(doc.phases[0], { phase: "detect", startMs: 30000, endMs: 39400, durationMs: 9400 });
  assert.deepEqual(doc.lag, [
    // Bytes and time behind each peak at their own moment: pg-c was furthest behind in bytes at 28s, in time at 29.5s.
    { node: "pg-b", maxLagBytes: 4096, maxLagMs: 1.2, atMs: 10000, maxLagMsAtMs: 29000 },
    { node: "pg-c", maxLagBytes: 2097152, maxLagMs: 1700, atMs: 28000, maxLagMsAtMs: 29500 },
  ]);
  const quiet = parse(renderSimulateJson([quietResult()], { array: false }));
  assert.equal(quiet.firstFaultMs, null);
  assert.deepEqual(quiet.phases, []);
  assert.deepEqual(quiet.lag, []);
  assert.deepEqual(lagViews(quietResult()), []);
});

test("JSON: with trials, each class carries {n, rpoMs, rtoMs, metShare}; never-recovered percentiles are null", () => {
  const scenario = { seed: 42, expect: {}, expectations: [] } as unknown as ResolvedScenario;
  const result = runTrials(scenario, 3, (_s, { seed }) =>
    failoverResult({ seed, classes: [ledger({ rto: { targetMs: 30_000, writeMs: seed === 44 ? null : 20_000 + seed, readMs: 1, p50ClientMs: null, p99ClientMs: null } })] }),
  );
  const doc = parse(renderSimulateJson([result], { array: false }));
  assert.deepEqual(doc.classes[0].trials, {
    n: 3,
    rpoMs: { p50: 0, p95: 0, p99: 0, max: 0 },
    rtoMs: { p50: 20043, p95: null, p99: null, max: null },
    metShare: 1,
    rpoMetShare: 1,
    rtoMetShare: 0.6667,
  });
});

test("JSON: an array when several files were given, one object otherwise; newline-terminated", () => {
  const one = renderSimulateJson([failoverResult()], { array: false });
  const many = renderSimulateJson([failoverResult(), quietResult()], { array: true });
  assert.ok(one.endsWith("}\n"));
  assert.ok(!Array.isArray(parse(one)));
  assert.deepEqual(
    parse(many).map((d: { scenario: string }) => d.scenario),
    ["leader-dies-in-az-a", "steady-state"],
  );
  assert.ok(Array.isArray(parse(renderSimulateJson([failoverResult()], { array: true }))));
});

test("JSON: byte-for-byte deterministic", () => {
  assert.equal(renderSimulateJson([failoverResult()], { array: false }), renderSimulateJson([failoverResult()], { array: false }));
  assert.deepEqual(simulationJson(failoverResult()), simulationJson(failoverResult()));
});
