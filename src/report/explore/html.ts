// `repl-lab explore --format html`: one self-contained page (no scripts, no
// external assets) with the table of worst outcomes and each one's story.
import { formatDuration } from "../../base/units.js";
import type { ExploreReport, Finding } from "../../swarm/explore.js";
import type { SavedFile } from "./text.js";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function title(f: Finding): string {
  if (f.kind === "split-brain") return "split brain";
  if (f.kind === "violation") return `oracle ${f.subject}`;
  return `${f.subject} ${f.kind.toUpperCase()}`;
}

function verdict(f: Finding): string {
  if (f.kind === "violation") return `<span class="bad">bug</span>`;
  if (f.kind === "split-brain") return `<span class="bad">two leaders</span>`;
  return f.broken ? `<span class="bad">broken</span>` : `<span class="ok">met</span>`;
}

export function renderExploreHtml(report: ExploreReport, saved: SavedFile[]): string {
  const pathOf = new Map(saved.map((s) => [s.finding, s.path]));
  const rows = report.findings
    .map((f) => `<tr><td>${escape(title(f))}</td><td>${f.targetMs === null ? "–" : escape(formatDuration(f.targetMs) || "0")}</td><td>${escape(f.kind === "violation" ? (f.details ?? []).join("; ") : f.label)}</td><td>${verdict(f)}</td></tr>`)
    .join("\n");
  const stories = report.findings
    .map((f) => `<li><strong>${escape(title(f))}</strong>: ${escape(f.story)}${pathOf.has(f) ? `<br><code>repl-lab simulate ${escape(pathOf.get(f) as string)}</code>` : ""}</li>`)
    .join("\n");
  const w = report.workload;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>explore ${escape(report.topology)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}code{background:#f4f4f4;padding:0 .2rem}</style>
</head><body>
<h1>Explore ${escape(report.topology)}</h1>
<p>${report.schedules} schedules from seed ${report.seed}; ${w.writes} writes/s from ${w.clients} clients; faults: ${escape(report.kinds.join(", "))}.</p>
${report.findings.length === 0 ? "<p>No schedule hurt this design: nothing lost, no outage, no split brain.</p>" : `<table><thead><tr><th>worst outcome</th><th>target</th><th>found</th><th>verdict</th></tr></thead><tbody>\n${rows}\n</tbody></table>\n<ol>\n${stories}\n</ol>`}
<p>${report.targetsBroken ? `<span class="bad">Some schedule breaks a data class's RPO or RTO target.</span>` : `<span class="ok">No schedule found breaks a data class's RPO or RTO target.</span>`}</p>
</body></html>
`;
}
