// The Monte Carlo charts: for each class, the RPO window and the write RTO at
// the percentiles the trials summary keeps (p50, p95, p99, max), with the
// target drawn and the share of trials that met it. The summary keeps
// percentiles, not every trial's figure, so this draws those and no more.
import type { ClassResult, Percentiles } from "../../engine/result.js";
import { formatMs, formatShare } from "../shared/format.js";
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

/** The trial charts of every class that has a trials summary. */
export function renderTrialCharts(classes: readonly ClassResult[]): string {
  return classes
    .filter((c) => c.trials)
    .map((c) => {
      const t = c.trials!;
      return `<div class="trial-row">${percentileChart(c, "rpo", t.rpoMs, c.rpo.targetMs, t.rpoMetShare)}${percentileChart(c, "rto", t.rtoMs, c.rto.targetMs, t.rtoMetShare)}</div>`;
    })
    .join("\n");
}
