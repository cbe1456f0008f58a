// The trials page draws every trial's figure as an empirical CDF: the steps
// rise by 1/n per trial, trials that never recovered stay above the last step,
// and the share at the target equals the summary's share of trials that met it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { simulate } from "../../../src/engine/simulate.js";
import { runTrials } from "../../../src/engine/trials.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { ecdfSteps } from "../../../src/report/html/trials.js";
import { scenarioFrom } from "../../engine/helpers.js";

test("ECDF steps: one rise per distinct value, 1/n per trial, never-recovered trials left out of the top", () => {
  assert.deepEqual(ecdfSteps([2000, 1000, 1000, Infinity]), [
    { s: 0, share: 0 },
    { s: 1, share: 0.5 },
    { s: 2, share: 0.75 },
  ]);
});

test("the page's distributions hold every trial and agree with the summary's shares", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios/async-failover-loses-writes.yaml"));
  const result = runTrials(scenario, 12, simulate);
  const { document } = parseHTML(renderSimulateHtml([result]));
  for (const cls of result.classes) {
    const rto = document.querySelector(`figure.trial-ecdf[data-class="${cls.name}"][data-figure="rto"]`);
    assert.ok(rto, cls.name);
    assert.equal(rto.getAttribute("data-trials"), "12");
    assert.equal(Number(rto.getAttribute("data-share-at-target")), cls.trials!.rtoMetShare);
    assert.equal(cls.trials!.samples.rtoMs.length, 12);
  }
});
