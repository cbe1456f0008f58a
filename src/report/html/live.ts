// `repl-lab live --format html`: the engine's run and each run on the real
// cluster as swimlanes one above the other, on one time axis, so the reader
// sees where the real failover was slower or faster than the simulated one;
// then the live-versus-simulated tables and the one-line verdict. Built from
// the live report's typed results.
import type { SimulationResult } from "../../engine/result.js";
import type { LiveReport } from "../../live/report-model.js";
import { formatDuration } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import { compareRows, phaseRows, verdictLines } from "../live/compare.js";
import { clusterLines } from "../live/text.js";
import { liveLanes } from "./live-lanes.js";
import { htmlPage, legend, runSection } from "./page.js";
import { phaseNotesHtml, renderPhases } from "./phases.js";
import { renderSwimlanes, type LaneModel } from "./swimlane.js";
import { escapeHtml, htmlTable } from "./tables.js";

/** One side's lanes and phases, in a figure that says which side it is (data-side, data-run). */
function side(result: SimulationResult, durationMs: number, caption: string, attrs: string, model?: LaneModel): string {
  const phases = renderPhases(result, durationMs);
  return `<figure class="side" ${attrs}><figcaption><strong>${escapeHtml(caption)}</strong></figcaption>${renderSwimlanes(result, durationMs, model)}${phases}${phases && phaseNotesHtml(result)}</figure>`;
}

function tables(report: LiveReport): string {
  if (report.runs.length === 0) return "";
  const heads = report.runs.map((r) => `live run ${r.run}`);
  const compare = htmlTable(["class", "measure", `simulated (p50 of ${formatCount(report.trials)})`, ...heads, "live/sim"], compareRows(report).map((row) => [row.cls, row.metric, row.simulated, ...row.live, row.ratio]), "live-compare");
  const phases = phaseRows(report);
  const phaseTable = phases.length > 0 ? htmlTable(["failover phase", `simulated (seed ${report.simulated.seed})`, ...heads], phases.map((p) => [p.phase, p.simulated, ...p.live]), "live-phases") : "";
  return `<section><h2>Live vs simulated</h2>${compare}${phaseTable}</section>`;
}

/** The live report as one self-contained page. */
export function renderLiveHtml(report: LiveReport): string {
  const sim = report.simulated;
  const durationMs = Math.max(sim.durationMs, ...report.runs.map((r) => r.result.durationMs));
  const verdict = verdictLines(report);
  const sides = [
    side(sim, durationMs, `Simulated: the engine's run (seed ${sim.seed})`, 'data-side="simulated"'),
    ...report.runs.map((run) => side(run.result, durationMs, `Live run ${run.run} of ${report.runs.length}: leader ${run.leaderBefore} → ${run.leaderAfter}`, `data-side="live" data-run="${run.run}"`, liveLanes(run))),
  ];
  const body = `<article class="live">
<h1>Live: ${escapeHtml(report.plan.scenario.name)} on a real cluster</h1>
<ul class="meta">${clusterLines(report).map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>
${verdict.length > 0 ? `<ul class="facts">${verdict.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` : ""}
<section><h2>Simulated and real, one above the other</h2><p class="note">Every chart shares one time axis (0 to ${formatDuration(durationMs)}). A live run's lanes come from what the monitor saw (etcd's leader key, Patroni's REST API) and what the writer saw; its replicas are drawn without telling sync from async.</p>${legend()}
${sides.join("\n")}</section>
${tables(report)}
</article>
<details><summary>The engine's full report (${formatCount(report.trials)} trials)</summary>${runSection(sim)}</details>`;
  return htmlPage(`live: ${report.plan.scenario.name}`, body);
}
