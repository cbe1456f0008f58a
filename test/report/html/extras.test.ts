// What the simulate page shows beside the lanes: read staleness over time,
// the lint findings for the topology, archive-failure bands, and the lanes a
// partition given by zones or regions cuts off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { parsePage, run } from "./helpers.js";

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
