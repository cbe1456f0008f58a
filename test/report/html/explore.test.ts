// The explore page: the table of worst outcomes, then every schedule behind
// one as swimlanes on one time axis, drawn from that schedule's run (a split
// brain's band where its run's timeline puts it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { factsOf } from "../../../src/engine/result.js";
import { renderExploreHtml } from "../../../src/report/html/explore.js";
import { exploreReport, parsePage, xOf } from "./helpers.js";

test("explore --format html: each worst schedule with its own lanes, on one time axis, linked from the table", () => {
  const report = exploreReport();
  const split = report.findings.find((f) => f.kind === "split-brain");
  assert.ok(split?.result, "no-fencing splits its brain within 15 schedules");
  const doc = parsePage(renderExploreHtml(report, []));
  const schedules = [...new Set(report.findings.map((f) => f.schedule + 1))];
  const sections = [...doc.querySelectorAll("section.schedule")];
  assert.deepEqual(sections.map((s) => Number(s.getAttribute("data-schedule"))), schedules);
  for (const s of sections) assert.ok(s.querySelector('svg[data-chart="swimlanes"]'), `schedule ${s.getAttribute("data-schedule")} has lanes`);
  assert.equal(new Set(sections.map((s) => s.querySelector('svg[data-chart="swimlanes"]')!.getAttribute("data-x-domain"))).size, 1, "one time axis");
  assert.deepEqual([...doc.querySelectorAll("table.findings a")].map((a) => a.getAttribute("href")), report.findings.map((f) => `#schedule-${f.schedule + 1}`));
  const section = doc.querySelector(`section.schedule[data-schedule="${split.schedule + 1}"]`)!;
  const band = section.querySelector(".band.split-brain")!;
  const [start] = factsOf(split.result.timeline, "split-brain");
  assert.equal(Number(band.getAttribute("data-start-ms")), start.atMs);
  assert.ok(Math.abs(Number(band.getAttribute("x")) - xOf(section.querySelector('svg[data-chart="swimlanes"]')!, start.atMs)) < 0.01);
});
