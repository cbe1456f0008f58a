// The live report in its three formats, from a real engine prediction and a
// hand-written live run: the side-by-side table, the ratio, the one-line
// verdict, and SPEC §4's JSON shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { runTrials } from "../../src/engine/trials.js";
import { measureRun } from "../../src/live/measure.js";
import type { LiveReport } from "../../src/live/report-model.js";
import { compareRows, median, ratio, verdictLines } from "../../src/report/live/compare.js";
import { liveJson, renderLiveJson } from "../../src/report/live/json.js";
import { renderLiveMarkdown } from "../../src/report/live/markdown.js";
import { renderLiveText } from "../../src/report/live/text.js";
import { log, plan } from "./helpers.js";

function report(runs = 1, file = "scenarios/live/leader-crash.yaml", patroni = "3.0.2"): LiveReport {
  const p = plan(file, patroni.split(".").map(Number) as [number, number, number]);
  const simulated = runTrials(p.simulated, 5, (s, o) => simulate(s, o));
  return {
    file,
    versions: { patroni, postgres: "15.18", etcd: "3.4.23" },
    plan: p,
    simulated,
    trials: 5,
    runs: Array.from({ length: runs }, (_, i) => measureRun(p, { ...log(), run: i + 1 })),
    kept: null,
    bootstrapSeconds: 14.2,
  };
}

test("median and ratio", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([1, 2, 3, 4]), 2.5);
  assert.equal(median([Infinity, 5]), 5);
  assert.equal(median([]), null);
  assert.equal(ratio(9650, 11_900), 0.81);
  assert.equal(ratio(1, 0), null);
  assert.equal(ratio(null, 1), null);
});

test("the comparison rows put the engine's p50 beside each live run, with live/sim", () => {
  const r = report(2);
  const rows = compareRows(r);
  const rto = rows.find((x) => x.metric === "RTO write")!;
  assert.deepEqual(rto.live, ["9.7s", "9.7s"]);
  const simP50 = r.simulated.classes[0].trials!.rtoMs.p50;
  assert.equal(rto.ratio, (Math.round((9650 / simP50) * 100) / 100).toFixed(2));
  const lost = rows.find((x) => x.metric === "acked writes lost")!;
  assert.deepEqual(lost.live, ["1", "1"]);
  assert.deepEqual(rows.find((x) => x.metric === "ambiguous writes")!.live, ["1", "1"]);
});

test("the verdict says what the engine predicted and what the cluster did", () => {
  const lines = verdictLines(report(1));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^orders: engine predicted RTO p50 \d+(\.\d)?s \(5 trials\), live measured 9\.7s \(1 run\): live\/sim \d\.\d\d, (within ±20%|outside ±20%: the engine is (slower|faster) than the real cluster)$/);
  assert.match(lines[1], /^orders: engine predicted 0 acknowledged writes lost \(seed 11; RPO window p50 0\), live lost 1; ambiguous 1$/);
});

test("text: the engine's usual report, the cluster as mapped, each run, the side-by-side table", () => {
  const text = renderLiveText(report(1), new Chalk({ level: 0 }), { width: 240 });
  for (const needle of [
    "Simulated: the engine's prediction (5 trials)",
    "Scenario live-leader-crash",
    "Live: live-leader-crash on a real cluster",
    "Patroni 3.0.2 · PostgreSQL 15.18 · etcd 3.4.23 · 3 nodes on 127.0.0.1 · leader pg-a · bootstrap 14.2s",
    "DCS: ttl 10s · loop_wait 2s · retry_timeout 3s",
    "sync standbys: FIRST 1 (pg-b, pg-c) → synchronous_mode on",
    "faults injected: 8s crash pg-a",
    "Run 1 of 1 (leader pg-a → pg-b)",
    "leader key expired in etcd",
    "1 ambiguous (error seen, row present)",
    "Live vs simulated",
    "live/sim",
    "failover phase",
    "engine predicted RTO p50",
  ]) {
    assert.ok(text.includes(needle), `missing: ${needle}`);
  }
});

test("text on Patroni 3.2: a 10 s lease is shown raised to 20 s in the DCS line, with an adjusted: line saying why", () => {
  const text = renderLiveText(report(1, "scenarios/live/leader-crash.yaml", "3.2.2"), new Chalk({ level: 0 }), { width: 400 });
  assert.ok(text.includes("DCS: ttl 20s · loop_wait 2s · retry_timeout 3s"), text);
  assert.match(text, /adjusted: Patroni 3\.2\.2 raises ttl 10s → 20s \(3\.2 and later hold ttl ≥ 20s, loop_wait ≥ 1s, retry_timeout ≥ 3s.*the simulation runs them too/);
  const old = renderLiveText(report(1), new Chalk({ level: 0 }), { width: 400 });
  assert.ok(old.includes("DCS: ttl 10s · loop_wait 2s · retry_timeout 3s"));
  assert.ok(!old.includes("adjusted:"));
});

test("JSON: { simulated, live: { runs } } with the simulate shape on both sides", () => {
  const value = JSON.parse(renderLiveJson(report(2))) as Record<string, any>;
  assert.deepEqual(Object.keys(value), ["simulated", "live"]);
  assert.equal(value.simulated.scenario, "live-leader-crash");
  assert.equal(value.simulated.classes[0].trials.n, 5);
  assert.equal(value.live.runs.length, 2);
  const run = value.live.runs[0];
  for (const key of ["scenario", "seed", "classes", "timeline", "totals", "settings", "expectations"]) assert.ok(key in run, key);
  assert.deepEqual(run.classes[0].rpo, { targetMs: 0, lostAckedWrites: 1, windowMs: 1 });
  assert.equal(run.classes[0].rto.writeMs, 9650);
  assert.equal(run.ambiguousWrites, 1);
  assert.equal(run.leaderAfter, "pg-b");
  assert.equal(value.live.cluster.dcs.ttl, 10);
  assert.equal(value.live.comparison.classes[0].liveRtoMedianMs, 9650);
  assert.equal(typeof value.live.comparison.verdict[0], "string");
  assert.deepEqual(liveJson(report(1)).simulated, JSON.parse(renderLiveJson(report(1))).simulated, "stable serialisation");
});

test("markdown: tables and the verdict, the engine's report folded away", () => {
  const md = renderLiveMarkdown(report(1));
  assert.match(md, /^## Live: live-leader-crash on a real cluster/);
  assert.match(md, /\| class \| measure \| simulated \(p50 of 5\) \| live run 1 \| live\/sim \|/);
  assert.match(md, /\*\*orders: engine predicted RTO p50/);
  assert.match(md, /<details><summary>Simulated: the engine's report \(5 trials\)<\/summary>/);
});
