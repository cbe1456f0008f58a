// What the simulate page shows beside the lanes: read staleness over time,
// the lint findings for the topology, archive-failure bands, and the lanes a
// partition given by zones or regions cuts off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { lintInputs } from "../../../src/lint/run.js";
import { runBin } from "../../cli/bin.js";
import { parsePage, run, STRICT_SYNC } from "./helpers.js";

test("read staleness: stale reads up and failed reads down per bucket, adding up to the run's totals", () => {
  const result = run("scenarios/quorum-overlap-stale.yaml");
  const doc = parsePage(renderSimulateHtml([result]));
  const bars = [...doc.querySelectorAll('svg[data-chart="reads"] .reads.stale')];
  assert.equal(bars.length, result.readsOverTime!.buckets.length);
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
