// A failover step planned for after the run's end did not happen within the run: the phase it closes stops at
// the run's end, marked ongoing, and the words say the operator acts only after it (found by a review: a 5 min
// run drew a paged operator's 15 min phase to T+15m29.6s, as if the operator had acted).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { renderSimulateMarkdown } from "../../src/report/simulate/markdown.js";
import { renderSimulateHtml } from "../../src/report/html/page.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { scenarioText } from "./helpers.js";

const manual = readFileSync(join(process.cwd(), "scenarios", "manual-failover.yaml"), "utf8").replace("../topologies/", `${join(process.cwd(), "topologies")}/`);
const run = (duration: string) => simulate(scenarioText(manual.replace("duration: 25m", `duration: ${duration}`).replace(/\nexpect:[\s\S]*$/, "\n")));

test("a paged operator who acts after the run's end: the phase stops at the end, ongoing, and no phase starts after it", () => {
  const r = run("5m");
  const operator = r.phases.find((p) => p.phase === "operator");
  assert.ok(operator, "an operator phase");
  assert.equal(operator.endMs, r.durationMs);
  assert.equal(operator.ongoing, true);
  assert.ok(r.phases.every((p) => p.startMs <= r.durationMs && p.endMs <= r.durationMs), JSON.stringify(r.phases));
  const page = r.timeline.find((e) => "event" in e && e.event === "page");
  assert.ok(page && "afterRunEnd" in page && page.afterRunEnd === true);
  const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 200 });
  assert.match(text, /Failover phases \(4m from first to the run's end\)/);
  assert.match(text, /operator +T\+29\.6s .* 3m30\.4s\+/);
  assert.match(text, /acts after 15m, after the run ends: no failover happens within it/);
  assert.match(renderSimulateMarkdown(r), /\| operator \| T\+29\.6s \| 3m30\.4s\+ \|/);
  assert.match(renderSimulateHtml([r]), /data-ongoing="true"/);
  const json = simulationJson(r) as { phases: { phase: string; ongoing?: boolean }[] };
  assert.equal(json.phases.find((p) => p.phase === "operator")?.ongoing, true);
});

test("an operator who acts within the run: the phase is whole and nothing says otherwise", () => {
  const r = run("25m");
  const operator = r.phases.find((p) => p.phase === "operator");
  assert.ok(operator && operator.ongoing === undefined && operator.endMs - operator.startMs === 15 * 60_000);
  assert.doesNotMatch(renderSimulateText(r, new Chalk({ level: 0 }), { width: 200 }), /after the run ends|run's end\)/);
});
