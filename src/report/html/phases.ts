// The failover phases (detect, fence, elect, promote, endpoint, reconnect) as
// labelled spans on the swimlanes' time axis, one row per phase so that a
// phase of a few milliseconds still has its name.
import type { FailoverPhaseResult, SimulationResult } from "../../engine/result.js";
import { formatDuration } from "../../base/units.js";
import { timeLabel } from "../simulate/text.js";
import { Plot, renderChart, tagged } from "./plot.js";
import { CHART_WIDTH, laneLabels, MARGIN_LEFT, MARGIN_RIGHT, timeAxis } from "./swimlane.js";
import { phaseDurationText, phaseNotes } from "../simulate/phase-words.js";
import { escapeHtml } from "./tables.js";

const seconds = (ms: number) => ms / 1000;
const lasted = (p: FailoverPhaseResult) => phaseDurationText(formatDuration(p.endMs - p.startMs) || "0s", p.ongoing);

/** The phases chart in its figure, captioned, with what a phase not plain from its name is ("" when no failover happened). */
export function phasesFigure(result: SimulationResult, durationMs = result.durationMs): string {
  const chart = renderPhases(result, durationMs);
  if (chart === "") return "";
  return `<figure><figcaption>Failover phases on the same time axis.</figcaption>${chart}${phaseNotesHtml(result)}</figure>`;
}

/** The notes on the run's phases as paragraphs ("" when none needs one). */
export function phaseNotesHtml(result: SimulationResult): string {
  return phaseNotes(result).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("");
}

/** The phases chart of one run as SVG text ("" when no failover happened). */
export function renderPhases(result: SimulationResult, durationMs = result.durationMs): string {
  const phases = result.phases;
  if (phases.length === 0) return "";
  const rows = phases.map((p, i) => `${i + 1}. ${p.phase}`);
  const row = (p: FailoverPhaseResult) => rows[phases.indexOf(p)];
  const attrs = (p: FailoverPhaseResult) => ({ class: "phase", "data-phase": p.phase, "data-start-ms": p.startMs, "data-end-ms": p.endMs, ...(p.ongoing ? { "data-ongoing": "true" } : {}) });
  return renderChart({
    chart: "phases",
    width: CHART_WIDTH,
    height: 40 + rows.length * 24,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: 6,
    x: timeAxis(result, durationMs),
    y: { domain: rows, axis: null, padding: 0.15 },
    marks: [
      laneLabels(rows),
      Plot.barX(phases, {
        y: row,
        x1: (p: FailoverPhaseResult) => seconds(p.startMs),
        x2: (p: FailoverPhaseResult) => seconds(Math.max(p.endMs, p.startMs)),
        title: (p: FailoverPhaseResult) => `${p.phase}: ${timeLabel(p.startMs, result.firstFaultMs)} to ${timeLabel(p.endMs, result.firstFaultMs)} (${lasted(p)})`,
        render: tagged(phases, attrs),
      }),
      Plot.tickX(phases, { y: row, x: (p: FailoverPhaseResult) => seconds(p.startMs), render: tagged(phases, (p) => ({ class: "phase-start", "data-phase": p.phase })) }),
      Plot.text(phases, { y: row, x: (p: FailoverPhaseResult) => seconds(p.endMs), dx: 6, textAnchor: "start", text: lasted, render: tagged(phases, (p) => ({ class: "phase-label", "data-phase": p.phase })) }),
    ],
  });
}
