// What the simulate page shows beside the lanes: read staleness over time,
// the lint findings for the topology, archive-failure bands, and the lanes a
// partition given by zones or regions cuts off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { factsOf } from "../../../src/engine/result.js";
import { bands } from "../../../src/report/html/lanes.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { lintInputs } from "../../../src/lint/run.js";
import { runBin } from "../../cli/bin.js";
import { parsePage, run, STRICT_SYNC, xOf } from "./helpers.js";

test("read staleness: stale reads up and failed reads down in each bucket that had any, adding up to the run's totals", () => {
  const result = run("scenarios/quorum-overlap-stale.yaml");
  const doc = parsePage(renderSimulateHtml([result]));
  const bars = [...doc.querySelectorAll('svg[data-chart="reads"] .reads.stale')];
  assert.equal(bars.length, result.readsOverTime!.buckets.filter((b) => b.stale > 0).length, "a bar for each second with a stale read");
  assert.equal(bars.reduce((n, b) => n + Number(b.getAttribute("data-stale")), 0), result.totals.staleReads);
  assert.match(doc.querySelector('figure:has(svg[data-chart="reads"]) figcaption')?.textContent ?? "", /stale/);
  const zoneLoss = run("scenarios/zone-loss-az-a.yaml");
  const failed = [...parsePage(renderSimulateHtml([zoneLoss])).querySelectorAll('svg[data-chart="reads"] .reads.failed')];
  assert.equal(failed.reduce((n, b) => n + Number(b.getAttribute("data-failed")), 0), zoneLoss.totals.readsRejected);
});

test("lint findings: the page lists what validate says of the scenario's topology, at its file:line:column, and says so when nothing is found", async () => {
  const { stdout, status } = await runBin(["simulate", "scenarios/split-brain-no-fencing.yaml", "--format", "html"]);
  assert.equal(status, 0);
  const rows = [...parsePage(stdout).querySelectorAll("table.lint tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
  const validate = lintInputs(["scenarios/split-brain-no-fencing.yaml"], { today: new Date() }).run.report.findings;
  assert.deepEqual(rows.map((r) => [r[1], r[2]]), validate.map((f) => [f.rule, `${f.file}:${f.line}:${f.column}`]));
  assert.ok(rows.some((r) => r[1] === "failover-without-fencing" && r[2] === "topologies/no-fencing.yaml:19:12"));
  const clean = parsePage(renderSimulateHtml([run(STRICT_SYNC)], [[]]));
  assert.match(clean.querySelector("section.lint")?.textContent ?? "", /No lint finding/);
  assert.equal(parsePage(renderSimulateHtml([run(STRICT_SYNC)])).querySelector("section.lint"), null, "no section when the caller did not lint");
});

test("a failing WAL archive: a band on a lane of its own from the fault for its duration", () => {
  const result = run("scenarios/drill-finds-broken-archive.yaml");
  const [fault] = factsOf(result.timeline, "archive-fails");
  const doc = parsePage(renderSimulateHtml([result]));
  const svg = doc.querySelector('svg[data-chart="swimlanes"]')!;
  assert.deepEqual([...svg.querySelectorAll(".lane-label")].map((e) => e.textContent), ["pg-a", "pg-b", "pg-c", "pg-dr", "WAL archive", "clients"]);
  const band = svg.querySelector('.band.archive[data-lane="WAL archive"]')!;
  assert.equal(Number(band.getAttribute("data-start-ms")), fault.atMs);
  assert.equal(Number(band.getAttribute("data-end-ms")), fault.atMs + fault.forMs!);
  assert.ok(Math.abs(Number(band.getAttribute("x")) - xOf(svg, fault.atMs)) < 0.01);
  assert.equal(svg.querySelector(".band-label.archive")?.textContent, "WAL archive failing");
  assert.equal(parsePage(renderSimulateHtml([run(STRICT_SYNC)])).querySelector('.lane-label[data-lane="WAL archive"]'), null, "no archive lane without an archive fault");
});

test("a partition given by zones: the node lanes of the smaller side are outlined, whatever client zones each side holds", () => {
  const result = run("scenarios/leader-cut-off-from-coordinator.yaml");
  assert.deepEqual(bands(result).filter((b) => b.lanes !== null).map((b) => [b.kind, b.lanes]), [["partition", ["pg-a"]]]);
  // A side lists its nodes, then zones with clients only: four names against two, yet two nodes against one.
  const zones = { ...result, timeline: result.timeline.map((e) => (!("observed" in e) && e.event === "partition" ? { ...e, sides: [["pg-a", "us-east/d", "us-east/e", "us-east/f"], ["pg-b", "pg-c", "pg-dr"]] } : e)) };
  const cut = bands(zones).filter((b) => b.kind === "partition" && b.lanes !== null);
  assert.deepEqual(cut.map((b) => [b.label, b.lanes]), [["cut off: pg-a", ["pg-a"]]]);
  const doc = parsePage(renderSimulateHtml([zones]));
  assert.deepEqual([...doc.querySelectorAll(".band.partition[data-lane]")].map((e) => e.getAttribute("data-lane")), ["pg-a"]);
});
