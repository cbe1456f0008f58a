// `repl-lab explore --format html`: one self-contained page with the table of
// worst outcomes, then each schedule that produced one, drawn as swimlanes
// (who led, the faults as bands, the failover phases) on one time axis, with
// its story and the scenario file that replays it.
import { formatDuration } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import type { SimulationResult } from "../../engine/result.js";
import type { ExploreReport, Finding } from "../../swarm/explore.js";
import { scheduleNumber } from "../explore/json.js";
import type { SavedFile } from "../explore/text.js";
import { htmlPage, legend } from "./page.js";
import { phasesFigure } from "./phases.js";
import { renderSwimlanes } from "./swimlane.js";
import { escapeHtml } from "./tables.js";

export function findingTitle(f: Finding): string {
  if (f.kind === "split-brain") return "split brain";
  if (f.kind === "violation") return `oracle ${f.subject}`;
  return `${f.subject} ${f.kind.toUpperCase()}`;
}

function verdict(f: Finding): string {
  if (f.kind === "violation") return `<span class="bad">bug</span>`;
  if (f.kind === "split-brain") return `<span class="bad">two leaders</span>`;
  return f.broken ? `<span class="bad">broken</span>` : `<span class="ok">met</span>`;
}

function findingsTable(report: ExploreReport): string {
  const rows = report.findings
    .map((f) => `<tr data-schedule="${scheduleNumber(f)}"><td>${escapeHtml(findingTitle(f))}</td><td>${f.targetMs === null ? "–" : escapeHtml(formatDuration(f.targetMs) || "0")}</td><td>${escapeHtml(f.kind === "violation" ? (f.details ?? []).join("; ") : f.label)}</td><td>${verdict(f)}</td><td><a href="#schedule-${scheduleNumber(f)}">schedule ${scheduleNumber(f)}</a></td></tr>`)
    .join("\n");
  return `<table class="findings"><thead><tr><th>worst outcome</th><th>target</th><th>found</th><th>verdict</th><th>lanes</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** The findings grouped by the schedule that produced them, in the order of the table. */
function bySchedule(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<number, Finding[]>();
  for (const f of findings) groups.set(f.schedule, [...(groups.get(f.schedule) ?? []), f]);
  return [...groups.values()];
}

/** One schedule: what it was the worst at, its story, the files that replay it, and its lanes and phases. */
function scheduleSection(group: Finding[], pathOf: Map<Finding, string>, durationMs: number): string {
  const f = group[0];
  const result = f.result as SimulationResult;
  const files = [...new Set(group.map((g) => pathOf.get(g)).filter((p): p is string => p !== undefined))];
  return `<section class="schedule" id="schedule-${scheduleNumber(f)}" data-schedule="${scheduleNumber(f)}">
<h2>Schedule ${scheduleNumber(f)}: worst ${escapeHtml(group.map(findingTitle).join(", "))}</h2>
<p>${escapeHtml(f.story)}</p>
${files.map((p) => `<p><code>repl-lab simulate ${escapeHtml(p)}</code></p>`).join("")}
<figure>${renderSwimlanes(result, durationMs)}</figure>
${phasesFigure(result, durationMs)}
</section>`;
}

export function renderExploreHtml(report: ExploreReport, saved: SavedFile[]): string {
  const pathOf = new Map(saved.map((s) => [s.finding, s.path]));
  const groups = bySchedule(report.findings).filter((g) => g[0].result !== undefined);
  const durationMs = Math.max(1000, ...groups.map((g) => (g[0].result as SimulationResult).durationMs));
  const w = report.workload;
  const verdictLine = report.targetsBroken ? `<p class="bad">Some schedule breaks a data class's RPO or RTO target.</p>` : `<p class="ok">No schedule found breaks a data class's RPO or RTO target.</p>`;
  const found =
    report.findings.length === 0
      ? "<p>No schedule hurt this design: nothing lost, no outage, no split brain.</p>"
      : `${findingsTable(report)}\n<h2>The worst schedules, each with its lanes</h2><p class="note">Every chart shares one time axis (0 to ${formatDuration(durationMs)}).</p>${legend()}\n${groups.map((g) => scheduleSection(g, pathOf, durationMs)).join("\n")}`;
  const body = `<article class="explore">
<h1>Explore ${escapeHtml(report.topology)}</h1>
<p class="meta">${formatCount(report.schedules)} schedules from seed ${report.seed}; ${formatCount(w.writes)} writes/s from ${w.clients} clients; faults: ${escapeHtml(report.kinds.join(", "))}.</p>
${verdictLine}
${found}
</article>`;
  return htmlPage(`explore ${report.topology}`, body);
}
