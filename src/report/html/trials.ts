// The Monte Carlo charts: for each class, the RPO window and the write RTO at
// their percentiles (p50, p95, p99, max), and the whole distribution as an
// empirical CDF (every trial's figure: the share of trials at or below each
// value), each with the target drawn and the share of trials that met it.
import type { ClassResult, Percentiles } from "../../engine/result.js";
import { formatCountOf, formatMs, formatShare } from "../common/format.js";
import { Plot, renderChart, tagged } from "./plot.js";
import { escapeHtml } from "./tables.js";

const LEVELS = ["p50", "p95", "p99", "max"] as const;

interface Bar {
  level: (typeof LEVELS)[number];
  ms: number;
  met: boolean;
}

function percentileChart(c: ClassResult, figure: "rpo" | "rto", p: Percentiles, targetMs: number, share: number): string {
  // A figure that never ended (an outage that never recovered) is infinite; draw it at the chart's edge.
  const finite = LEVELS.map((l) => p[l]).filter((v) => Number.isFinite(v));
  const edge = Math.max(targetMs, ...finite, 1000) * 1.1;
  const bars: Bar[] = LEVELS.map((level) => ({ level, ms: Number.isFinite(p[level]) ? p[level] : edge, met: p[level] <= targetMs }));
  const name = figure === "rpo" ? "RPO (window of lost writes)" : "write RTO";
  return `<figure class="trial-chart" data-class="${escapeHtml(c.name)}" data-figure="${figure}"><figcaption>${escapeHtml(c.name)}: ${name} — ${formatShare(share)} of trials met the ${figure.toUpperCase()} target</figcaption>${renderChart({
    chart: `trials-${figure}`,
    width: 520,
    height: 150,
    marginLeft: 50,
    marginRight: 30,
    x: { domain: [0, edge / 1000], label: `${figure.toUpperCase()} (s) →`, grid: true },
    y: { domain: [...LEVELS], label: null },
    marks: [
      Plot.barX(bars, { y: "level", x: (b: Bar) => b.ms / 1000, title: (b: Bar) => `${b.level}: ${b.ms / 1000}s`, render: tagged(bars, (b) => ({ class: `percentile ${b.met ? "met" : "missed"}`, "data-level": b.level, "data-ms": b.ms })) }),
      Plot.text(bars, { y: "level", x: (b: Bar) => b.ms / 1000, dx: 4, textAnchor: "start", text: (b: Bar) => (Number.isFinite(p[b.level]) ? formatMs(b.ms) : "never"), className: "value-label" }),
      Plot.ruleX([targetMs / 1000], { strokeWidth: 2, strokeDasharray: "5 3", render: tagged([targetMs], (t) => ({ class: "target", "data-target-ms": t })) }),
      Plot.text([targetMs / 1000], { x: (t: number) => t, frameAnchor: "top", dy: -2, dx: 4, textAnchor: "start", text: () => "target", className: "target-label" }),
    ],
  })}</figure>`;
}

interface Step {
  s: number;
  share: number;
}

/** The empirical CDF of one figure over the trials: a step at each trial's value; trials that never recovered stay above the last step. */
export function ecdfSteps(values: readonly number[]): Step[] {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = values.length;
  const steps: Step[] = [{ s: 0, share: 0 }];
  finite.forEach((v, i) => {
    if (i + 1 < finite.length && finite[i + 1] === v) return;
    steps.push({ s: v / 1000, share: (i + 1) / n });
  });
  return steps;
}

function ecdfChart(c: ClassResult, figure: "rpo" | "rto", values: readonly number[], targetMs: number): string {
  const steps = ecdfSteps(values);
  const never = values.filter((v) => !Number.isFinite(v)).length;
  const edge = Math.max(targetMs / 1000, ...steps.map((p) => p.s), 1) * 1.1;
  const atTarget = values.filter((v) => v <= targetMs).length / Math.max(1, values.length);
  const name = figure === "rpo" ? "RPO window" : "write RTO";
  const caption = `${escapeHtml(c.name)}: ${name} over ${formatCountOf(values.length, "trial")} — ${formatShare(atTarget)} at or under the target${never > 0 ? `; ${never} never recovered` : ""}`;
  return `<figure class="trial-ecdf" data-class="${escapeHtml(c.name)}" data-figure="${figure}" data-trials="${values.length}" data-share-at-target="${atTarget}"><figcaption>${caption}</figcaption>${renderChart({
    chart: `ecdf-${figure}`,
    width: 520,
    height: 170,
    marginLeft: 50,
    marginRight: 30,
    x: { domain: [0, edge], label: `${figure.toUpperCase()} (s) →`, grid: true },
    y: { domain: [0, 1], label: "↑ share of trials", grid: true, tickFormat: "%" },
    marks: [
      Plot.line([...steps, { s: edge, share: steps[steps.length - 1].share }], { x: "s", y: "share", curve: "step-after", strokeWidth: 2, className: "ecdf" }),
      Plot.ruleX([targetMs / 1000], { strokeWidth: 2, strokeDasharray: "5 3", render: tagged([targetMs], (t) => ({ class: "target", "data-target-ms": t })) }),
      Plot.ruleY([atTarget], { strokeOpacity: 0.4, strokeDasharray: "2 3" }),
      Plot.text([targetMs / 1000], { x: (t: number) => t, frameAnchor: "top", dy: -2, dx: 4, textAnchor: "start", text: () => `target: ${formatShare(atTarget)} met`, className: "target-label" }),
    ],
  })}</figure>`;
}

/** The trial charts of every class that has a trials summary. */
export function renderTrialCharts(classes: readonly ClassResult[]): string {
  return classes
    .filter((c) => c.trials)
    .map((c) => {
      const t = c.trials!;
      const percentiles = `<div class="trial-row">${percentileChart(c, "rpo", t.rpoMs, c.rpo.targetMs, t.rpoMetShare)}${percentileChart(c, "rto", t.rtoMs, c.rto.targetMs, t.rtoMetShare)}</div>`;
      const distributions = `<div class="trial-row">${ecdfChart(c, "rpo", t.samples.rpoMs, c.rpo.targetMs)}${ecdfChart(c, "rto", t.samples.rtoMs, c.rto.targetMs)}</div>`;
      return percentiles + distributions;
    })
    .join("\n");
}
