// `simulate --format html`: one self-contained page per command (no script,
// no network; static SVG drawn by Observable Plot, styled by one stylesheet).
// Built from the typed results, never from text output.
import type { SimulationResult } from "../../engine/result.js";
import type { Finding as LintFinding } from "../../lint/types.js";
import { formatDuration } from "../../base/units.js";
import { formatCount, formatCountOf, formatUnavailable } from "../common/format.js";
import { lagHasGaps, lagNodes, renderLagChart, renderLatencyChart, renderReadsChart, renderWritesChart, seriesColour } from "./charts.js";
import { phasesFigure } from "./phases.js";
import { renderSwimlanes } from "./swimlane.js";
import { STYLE } from "./style.js";
import { classTable, escapeHtml, expectationsTable, lintSection, recoverySection, totalsTable, trialsTable } from "./tables.js";
import { renderTrialCharts } from "./trials.js";
import { roleWord, vocabularyOf } from "../simulate/vocabulary.js";

const ROLE_KEY: [string, string][] = [
  ["leader", "--leader"], ["sync standby", "--sync"], ["async replica", "--async"], ["catching up", "--catching"], ["rewinding", "--rewinding"],
  ["demoted", "--demoted"], ["down", "--down"], ["clients: writes failing", "--failing"],
];
/** A Raft group's roles: followers, not sync or async standbys; a diverged log is truncated, not rewound. */
const RAFT_ROLE_KEY: [string, string][] = [
  ["leader", "--leader"], ["follower", "--sync"], ["catching up", "--catching"], ["truncating log", "--rewinding"], ["demoted", "--demoted"], ["down", "--down"], ["clients: writes failing", "--failing"],
];
/** The bands' key; the archive's in the system's words ("WAL archive failing", "oplog archive failing"). */
const BAND_KEY: [string, string][] = [["crash", "--crash"], ["partition", "--partition"], ["stall", "--stall"], ["zone/region lost", "--loss"], ["split brain", "--split"], ["archive failing", "--archive"]];

const swatch = (label: string, colour: string) => `<span><span class="swatch" style="background:${colour}"></span>${escapeHtml(label)}</span>`;

/** The key to the lanes' colours and the bands (mode and preset: the run's, when one run is drawn; its roles in its system's words). */
export function legend(mode = "", preset?: string): string {
  const words = vocabularyOf({ mode, preset });
  const roles = (mode === "consensus" ? RAFT_ROLE_KEY : ROLE_KEY).map(([l, v]) => swatch(roleWord(words, l), `var(${v})`)).join("");
  const bands = BAND_KEY.map(([l, v]) => swatch(l === "archive failing" ? `${words.archive} failing` : l, `var(${v})`)).join("");
  return `<div class="legend" aria-label="legend">${roles}</div><div class="legend">${bands}<span>● a timeline entry (hover for its detail)</span></div>`;
}

/** The headline facts: the ones a reader should see before any chart. */
function facts(r: SimulationResult): string {
  const t = r.totals;
  const items: [string, boolean][] = [
    [`${formatCount(t.failovers)} failover${t.failovers === 1 ? "" : "s"}`, false],
    [t.splitBrainMs > 0 ? `split brain for ${formatDuration(t.splitBrainMs)}` : "no split brain", t.splitBrainMs > 0],
    [`${formatCount(t.writesLost)} acknowledged writes lost`, t.writesLost > 0],
    [`writes unavailable ${formatUnavailable(t, (ms) => formatDuration(ms) || "0s")}`, false],
    [r.classes.every((c) => c.met) ? "every class met its targets" : "a class missed its target", !r.classes.every((c) => c.met)],
  ];
  return `<ul class="facts">${items.map(([text, bad]) => `<li${bad ? ' class="bad"' : ""}>${escapeHtml(text)}</li>`).join("")}</ul>`;
}

function lagLegend(r: SimulationResult): string {
  const nodes = lagNodes(r);
  return nodes.length ? `<div class="legend">${nodes.map((n) => swatch(n, seriesColour(nodes, n))).join("")}</div>` : "";
}

/** The run's reads in one phrase: how many were served, stale and failed. */
function readsLine(r: SimulationResult): string {
  const t = r.totals;
  return `${formatCount(t.readsServed)} served, ${formatCount(t.staleReads)} stale, ${formatCount(t.readsRejected)} failed`;
}

function overTime(r: SimulationResult, durationMs: number): string {
  const writes = renderWritesChart(r, durationMs);
  const latency = renderLatencyChart(r, durationMs);
  const reads = renderReadsChart(r, durationMs);
  const bytes = renderLagChart(r, "bytes", durationMs);
  const secs = renderLagChart(r, "seconds", durationMs);
  const bucketMs = r.writesOverTime?.bucketMs ?? 1000;
  const averaged = bucketMs > 1000 ? ` (averaged over ${formatDuration(bucketMs)} buckets)` : "";
  const gaps = lagHasGaps(r) ? "; a gap in a line: that replica streamed from no live leader then (it was down, its leader was, or it had not yet joined the new one)" : "";
  const parts = [
    writes && `<figure><figcaption>Writes per second${averaged}, by when they were sent: acknowledged (green, up) and failed (red, down); the outage is the gap.</figcaption>${writes}</figure>`,
    latency && `<figure><figcaption>Write latency of the writes sent${bucketMs > 1000 ? ` in each ${formatDuration(bucketMs)}` : " each second"}: <span style="color:var(--p50)">p50</span> and <span style="color:var(--p99)">p99</span> (log scale).</figcaption>${latency}</figure>`,
    reads && `<figure><figcaption>Read staleness${averaged}: ${readsLine(r)}; per second, by when they were sent, reads that returned data older than the newest acknowledged write of their key (amber, up) and reads that failed (red, down).</figcaption>${reads}</figure>`,
    bytes && `<figure><figcaption>Replication lag per replica, bytes behind its leader${gaps}.</figcaption>${lagLegend(r)}${bytes}</figure>`,
    secs && `<figure><figcaption>Replication lag per replica, seconds behind; dashed: the 5 s warning and 30 s page thresholds${gaps}.</figcaption>${secs}</figure>`,
  ].filter(Boolean);
  return parts.length ? `<section><h2>Over time</h2>${parts.join("\n")}</section>` : "";
}

/** What the linter found in each run's topology, in the order of the runs (absent: no lint section). */
export type LintFindings = readonly (readonly LintFinding[])[];

/** One run's section: title, facts, swimlanes and phases, charts over time, tables (with the lint findings when given). */
export function runSection(r: SimulationResult, durationMs = r.durationMs, lint?: readonly LintFinding[]): string {
  const trials = r.classes.find((c) => c.trials)?.trials;
  return `<article class="run" data-scenario="${escapeHtml(r.scenario)}">
<h1>${escapeHtml(r.scenario)}</h1>
<p class="meta">topology ${escapeHtml(r.topology)} · ${escapeHtml(r.mode)} · seed ${r.seed} · ${formatDuration(r.durationMs)} simulated${r.firstFaultMs !== null ? ` · first fault at ${formatDuration(r.firstFaultMs) || "0s"}` : ""}</p>
${facts(r)}
${trials ? `<section><h2>Monte Carlo: ${formatCountOf(trials.n, "trial")}</h2><p class="note">Each class's percentiles (p50, p95, p99, max), then every trial's figure as a distribution (the share of trials at or under each value); the lanes below are the first trial's run (seed ${r.seed}).</p>${renderTrialCharts(r.classes)}${trialsTable(r)}</section>` : ""}
<section><h2>Who led, what failed, when</h2>${legend(r.mode, r.preset)}
<figure>${renderSwimlanes(r, durationMs)}</figure>
${phasesFigure(r, durationMs)}</section>
${overTime(r, durationMs)}
<section><h2>RPO / RTO per data class</h2>${classTable(r)}<h2>Totals</h2>${totalsTable(r)}</section>
${recoverySection(r)}
${expectationsTable(r)}
${lintSection(r, lint)}
</article>`;
}

/** The page around a body: the stylesheet, light and dark, and the footer. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head><body>
${body}
<footer class="note"><p>Made by repl-lab: a deterministic simulation; rerun with the same seed to get the same page.</p></footer>
</body></html>
`;
}

/** The report of one or more runs, each with its own time axis. */
export function renderSimulateHtml(results: readonly SimulationResult[], lint?: LintFindings): string {
  return htmlPage(results.map((r) => r.scenario).join(", "), results.map((r, i) => runSection(r, r.durationMs, lint?.[i])).join("\n"));
}

/** Runs side by side for comparison: every run drawn on the same time axis (the longest run's). */
export function renderCompareHtml(results: readonly SimulationResult[], lint?: LintFindings): string {
  const durationMs = Math.max(...results.map((r) => r.durationMs));
  const intro = `<h1>Comparing ${results.length} runs</h1><p class="meta">Every chart below shares one time axis (0 to ${formatDuration(durationMs)}), so the runs line up.</p>`;
  return htmlPage(`compare: ${results.map((r) => r.scenario).join(", ")}`, `${intro}\n${results.map((r, i) => runSection(r, durationMs, lint?.[i])).join("\n")}`);
}
