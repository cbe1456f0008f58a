// The live page from a recorded live run (the leader crashes at 8 s and pg-b
// takes over; no cluster needed): the engine's lanes and the real run's lanes
// one above the other on one time axis, the real run's roles and bands from
// what the monitor observed, and the live-versus-simulated tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { measureRun } from "../../../src/live/measure.js";
import { renderLiveHtml } from "../../../src/report/html/live.js";
import { liveLanes } from "../../../src/report/html/live-lanes.js";
import { log, plan } from "../../live/helpers.js";
import { liveReport, parsePage, xOf } from "./helpers.js";

test("a live run's lanes: pg-a leads until the crash, pg-b from its promotion, the clients fail from the first error to the first acknowledgement after it", () => {
  const run = liveReport().runs[0];
  const model = liveLanes(run);
  assert.deepEqual(model.lanes, ["pg-a", "pg-b", "pg-c", "clients"]);
  const of = (lane: string) => model.segments.filter((s) => s.lane === lane).map((s) => [s.role, s.startMs, s.endMs]);
  assert.deepEqual(of("pg-a"), [["leader", 0, 8000], ["down", 8000, 30_000]]);
  assert.deepEqual(of("pg-b"), [["replica", 0, 17_420], ["leader", 17_420, 30_000]]);
  assert.deepEqual(of("clients"), [["endpoint", 0, 17_450], ["endpoint", 17_450, 30_000], ["writes failing", 8002, 17_650]]);
  assert.deepEqual(model.bands.map((b) => [b.kind, b.lanes, b.startMs, b.endMs]), [["crash", ["pg-a"], 8000, 30_000]]);
});

test("a stalled leader that another node replaced comes back demoted, under a stall band from the stall to the resume", () => {
  const p = plan();
  const run = measureRun(p, {
    ...log(),
    faults: [
      { atMs: 8000, kind: "stall", node: "pg-a", event: "stall", detail: "SIGSTOP" },
      { atMs: 25_000, kind: "resume", node: "pg-a", event: "resume", detail: "SIGCONT" },
    ],
  });
  const model = liveLanes(run);
  const roles = model.segments.filter((s) => s.lane === "pg-a").map((s) => s.role);
  assert.deepEqual(roles, ["leader", "stalled", "demoted"]);
  assert.deepEqual(model.bands.map((b) => [b.kind, b.startMs, b.endMs]), [["stall", 8000, 25_000]]);
});

test("the live page: simulated lanes above each live run's, on one time axis, with the comparison tables", () => {
  const report = liveReport();
  const html = renderLiveHtml(report);
  assert.doesNotMatch(html, /<script/i);
  const doc = parsePage(html);
  const sides = [...doc.querySelectorAll("figure.side")];
  assert.deepEqual(sides.map((f) => f.getAttribute("data-side")), ["simulated", "live"]);
  const domains = sides.map((f) => f.querySelector('svg[data-chart="swimlanes"]')!.getAttribute("data-x-domain"));
  assert.deepEqual(domains, ["0,30", "0,30"]);
  const live = sides[1];
  const labels = [...live.querySelectorAll(".lane-label")].map((e) => e.textContent);
  assert.deepEqual(labels.slice(0, 4), ["pg-a", "pg-b", "pg-c", "clients"]);
  const down = live.querySelector('.segment[data-lane="pg-a"][data-role="down"]')!;
  assert.equal(down.getAttribute("data-start-ms"), "8000");
  const svg = live.querySelector('svg[data-chart="swimlanes"]')!;
  assert.ok(Math.abs(Number(down.getAttribute("x")) - xOf(svg, 8000)) < 0.01, "the crash is drawn where the run says");
  const promote = report.runs[0].result.phases.find((p) => p.phase === "promote")!;
  assert.equal(live.querySelector('rect.phase[data-phase="promote"]')?.getAttribute("data-start-ms"), String(promote.startMs));
  assert.ok(doc.querySelector("table.live-compare"));
  assert.match(doc.querySelector("table.live-phases")?.textContent ?? "", /detect/);
  assert.match(html, /engine predicted RTO p50/);
});
