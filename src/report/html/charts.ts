// Charts over time on the swimlanes' time axis: writes acknowledged and
// failed per second, write latency p50/p99 per second, reads stale and failed
// per second (writes and reads both counted by when they were sent), and
// replication lag per replica in bytes and in seconds with the alert
// thresholds drawn.
import type { LagSample, ReadBucket, SimulationResult, WriteBucket } from "../../engine/result.js";
import { formatCount } from "../common/format.js";
import { Plot, renderChart, tagged } from "./plot.js";
import { CHART_WIDTH, MARGIN_LEFT, MARGIN_RIGHT, timeAxis } from "./swimlane.js";

/** The replication-lag alert thresholds the engine pages on: a warning at 5 s, a page at 30 s. */
export const LAG_WARNING_S = 5;
export const LAG_PAGE_S = 30;

const seconds = (ms: number) => ms / 1000;

function base(result: SimulationResult, chart: string, label: string, durationMs: number) {
  return { chart, width: CHART_WIDTH, height: 170, marginLeft: MARGIN_LEFT, marginRight: MARGIN_RIGHT, marginTop: 22, x: timeAxis(result, durationMs), y: { label, grid: true } };
}

/** Writes per second, by when they were sent: acknowledged upwards, failed downwards, so an outage shows as a gap with red below it. */
export function renderWritesChart(result: SimulationResult, durationMs = result.durationMs): string {
  const series = result.writesOverTime;
  if (!series || series.buckets.length === 0) return "";
  const data = series.buckets;
  const perSecond = (n: number) => n / (series.bucketMs / 1000);
  const x1 = (d: WriteBucket) => seconds(d.atMs);
  const x2 = (d: WriteBucket) => seconds(d.atMs + series.bucketMs);
  const title = (d: WriteBucket) => `writes sent from ${seconds(d.atMs)}s to ${seconds(d.atMs + series.bucketMs)}s: ${formatCount(d.acked)} acknowledged, ${formatCount(d.rejected)} failed`;
  return renderChart({
    ...base(result, "writes", "↑ acknowledged · ↓ failed (writes/s)", durationMs),
    marks: [
      Plot.rectY(data, { x1, x2, y: (d: WriteBucket) => perSecond(d.acked), render: tagged(data, (d) => ({ class: "acked", "data-at-ms": d.atMs })), title }),
      Plot.rectY(data, { x1, x2, y: (d: WriteBucket) => -perSecond(d.rejected), render: tagged(data, (d) => ({ class: "rejected", "data-at-ms": d.atMs })), title }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Read staleness per second, by when the reads were sent: stale reads upwards, failed reads downwards (fresh reads, usually the great majority,
 * would flatten both, so they are only in the tooltip); "" for a run without reads.
 */
export function renderReadsChart(result: SimulationResult, durationMs = result.durationMs): string {
  const series = result.readsOverTime;
  if (!series || !series.buckets.some((d) => d.served + d.failed > 0)) return "";
  const data = series.buckets;
  const perSecond = (n: number) => n / (series.bucketMs / 1000);
  const x1 = (d: ReadBucket) => seconds(d.atMs);
  const x2 = (d: ReadBucket) => seconds(d.atMs + series.bucketMs);
  // Only the buckets that had a stale or a failed read get a bar (a long run's page stays small).
  const stale = data.filter((d) => d.stale > 0);
  const failed = data.filter((d) => d.failed > 0);
  const attrs = (list: ReadBucket[], kind: string) => tagged(list, (d) => ({ class: `reads ${kind}`, "data-at-ms": d.atMs, "data-served": d.served, "data-stale": d.stale, "data-failed": d.failed }));
  const title = (d: ReadBucket) => `reads sent from ${seconds(d.atMs)}s to ${seconds(d.atMs + series.bucketMs)}s: ${formatCount(d.served)} served (${formatCount(d.stale)} stale, ${formatCount(d.served - d.stale)} fresh), ${formatCount(d.failed)} failed`;
  const top = Math.max(1, ...stale.map((d) => perSecond(d.stale)));
  const bottom = Math.max(1, ...failed.map((d) => perSecond(d.failed)));
  return renderChart({
    ...base(result, "reads", "↑ stale · ↓ failed (reads/s)", durationMs),
    y: { label: "↑ stale · ↓ failed (reads/s)", grid: true, domain: [-bottom, top], tickFormat: (v: number) => Math.abs(v).toLocaleString("en-US") },
    marks: [
      Plot.rectY(stale, { x1, x2, y: (d: ReadBucket) => perSecond(d.stale), render: attrs(stale, "stale"), title }),
      Plot.rectY(failed, { x1, x2, y: (d: ReadBucket) => -perSecond(d.failed), render: attrs(failed, "failed"), title }),
      Plot.ruleY([0]),
    ],
  });
}

/** Write latency p50 and p99 of the writes sent each second; seconds with no acknowledged write leave a gap in the lines. */
export function renderLatencyChart(result: SimulationResult, durationMs = result.durationMs): string {
  const series = result.writesOverTime;
  const data = series?.buckets ?? [];
  if (!series || !data.some((d) => d.p50Ms !== null)) return "";
  const line = (which: "p50Ms" | "p99Ms") =>
    Plot.line(data, { x: (d: WriteBucket) => seconds(d.atMs + series.bucketMs / 2), y: (d: WriteBucket) => (d[which] === null ? NaN : Math.max(0.1, d[which] as number)), className: `line ${which === "p50Ms" ? "p50" : "p99"}`, strokeWidth: 1.5 });
  return renderChart({
    ...base(result, "latency", "write latency (ms, log)", durationMs),
    y: { type: "log", label: "↑ write latency (ms)", grid: true },
    marks: [
      line("p50Ms"),
      line("p99Ms"),
    ],
  });
}

/** A colour per replica that reads on a light and on a dark background. */
export const SERIES_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];

export function seriesColour(nodes: readonly string[], node: string): string {
  return SERIES_COLOURS[nodes.indexOf(node) % SERIES_COLOURS.length];
}

/** The line a lag sample belongs to: its node, or (multi-leader) the leader and the stream it applies. */
export function lagSeriesOf(s: LagSample): string {
  return s.origin === undefined ? s.node : `${s.node} ← ${s.origin}`;
}

/** The replicas the lag charts draw, in the order they first appear. */
export function lagNodes(result: SimulationResult): string[] {
  return [...new Set(result.lag.map(lagSeriesOf))];
}

/** At most this many lag points per replica: a long run's samples are thinned to each bucket's peak. */
const MAX_LAG_POINTS = 720;

/** The lag samples, each replica's thinned to the peak (bytes and seconds) of each of at most MAX_LAG_POINTS buckets. */
export function thinLag(samples: readonly LagSample[], durationMs: number): LagSample[] {
  const bucketMs = lagBucketMs(durationMs);
  const peaks = new Map<string, LagSample>();
  for (const s of samples) {
    const atMs = Math.floor(s.atMs / bucketMs) * bucketMs;
    const key = `${lagSeriesOf(s)}@${atMs}`;
    const peak = peaks.get(key);
    if (!peak) peaks.set(key, { ...s, atMs: bucketMs === 1000 ? s.atMs : atMs });
    else {
      peak.lagBytes = Math.max(peak.lagBytes, s.lagBytes);
      peak.lagMs = Math.max(peak.lagMs, s.lagMs);
    }
  }
  return bucketMs === 1000 ? [...samples] : [...peaks.values()];
}

/** The width of thinLag's buckets for a run: a second, or wider for a long run. */
function lagBucketMs(durationMs: number): number {
  return 1000 * Math.max(1, Math.ceil(durationMs / 1000 / MAX_LAG_POINTS));
}

/**
 * One replica's samples as the line draws them: a replica is sampled only while it streams from a live leader,
 * so two samples further apart than one and a half sampling intervals enclose a stretch it followed no live leader
 * (it was down, its leader was, or it had not yet joined the new one). A point with no value (NaN) between them
 * breaks the line there: a straight line across would draw a lag that grew steadily while nobody measured it.
 * `alone` marks a sample with no neighbour on either side, which a line alone would not show.
 */
export function lagRuns(samples: readonly LagSample[], bucketMs: number): { points: (LagSample & { alone?: true })[]; gaps: number } {
  const points: (LagSample & { alone?: true })[] = [];
  const gapMs = 1.5 * bucketMs;
  let gaps = 0;
  samples.forEach((s, i) => {
    const before = i > 0 && s.atMs - samples[i - 1].atMs <= gapMs;
    const after = i < samples.length - 1 && samples[i + 1].atMs - s.atMs <= gapMs;
    if (i > 0 && !before) {
      gaps++;
      points.push({ atMs: (samples[i - 1].atMs + s.atMs) / 2, node: s.node, ...(s.origin !== undefined ? { origin: s.origin } : {}), lagBytes: NaN, lagMs: NaN });
    }
    points.push(!before && !after && samples.length > 1 ? { ...s, alone: true } : s);
  });
  return { points, gaps };
}

/** Whether any replica's lag line has a gap (the figure's caption says what one means). */
export function lagHasGaps(result: SimulationResult): boolean {
  const samples = thinLag(result.lag, result.durationMs);
  return lagNodes(result).some((n) => lagRuns(samples.filter((s) => lagSeriesOf(s) === n), lagBucketMs(result.durationMs)).gaps > 0);
}

/** Replication lag per replica, in bytes or in seconds (with the alert thresholds). */
export function renderLagChart(result: SimulationResult, unit: "bytes" | "seconds", durationMs = result.durationMs): string {
  const samples = thinLag(result.lag, result.durationMs);
  if (samples.length === 0) return "";
  const nodes = lagNodes(result);
  const runs = new Map(nodes.map((n) => [n, lagRuns(samples.filter((s) => lagSeriesOf(s) === n), lagBucketMs(result.durationMs)).points]));
  const y = unit === "bytes" ? (s: LagSample) => s.lagBytes : (s: LagSample) => s.lagMs / 1000;
  const thresholds = unit === "seconds" ? [LAG_WARNING_S, LAG_PAGE_S].filter((t) => t <= Math.max(LAG_PAGE_S, ...samples.map(y)) * 2) : [];
  const top = Math.max(1, ...samples.map(y), ...thresholds);
  return renderChart({
    ...base(result, `lag-${unit}`, unit === "bytes" ? "↑ replication lag (bytes)" : "↑ replication lag (s)", durationMs),
    y: { label: unit === "bytes" ? "↑ replication lag (bytes)" : "↑ replication lag (s)", grid: true, domain: [0, top], ...(unit === "bytes" ? { tickFormat: "s" } : {}) },
    marks: [
      Plot.ruleY(thresholds, { className: "threshold", strokeDasharray: "4 3", render: tagged(thresholds, (t) => ({ class: t === LAG_WARNING_S ? "warn" : "page", "data-threshold-s": t })) }),
      Plot.text(thresholds, { y: (t: number) => t, frameAnchor: "left", dx: 4, dy: -6, textAnchor: "start", text: (t: number) => (t === LAG_WARNING_S ? "5 s warning" : "30 s page"), className: "threshold-label" }),
      ...nodes.map((n) => Plot.line(runs.get(n)!, { x: (s: LagSample) => seconds(s.atMs), y, stroke: seriesColour(nodes, n), strokeWidth: 1.5, className: "lag-line" })),
      ...nodes.map((n) =>
        Plot.dot(runs.get(n)!.filter((s) => s.alone), { x: (s: LagSample) => seconds(s.atMs), y, fill: seriesColour(nodes, n), r: 2.5, className: "lag-alone" }),
      ),
    ],
  });
}
