// The swimlane chart: one lane per node and one for the clients, each node's
// role over time, faults and split brain as bands, every timeline entry as a
// dot whose tooltip is the entry's full sentence; and below it, on the same
// time axis, the failover phases as labelled spans.
import type { SimulationResult, TimelineEntry } from "../../engine/result.js";
import { describeEntry } from "../simulate/timeline.js";
import { timeLabel } from "../simulate/text.js";
import { archiveLane, bands, laneNodes, roleSegments, type Band, type Segment } from "./lanes.js";
import { Plot, renderChart, tagged } from "./plot.js";
import { roleWord, vocabularyOf } from "../simulate/vocabulary.js";

export const CLIENTS_LANE = "clients";
export const CHART_WIDTH = 1100;
export const MARGIN_LEFT = 120;
export const MARGIN_RIGHT = 20;
const LANE_HEIGHT = 34;

const seconds = (ms: number) => ms / 1000;

/** The x scale every chart of one run shares: seconds from the start of the run. */
export function timeAxis(result: SimulationResult, durationMs = result.durationMs): Record<string, unknown> {
  return { domain: [0, seconds(durationMs)], label: "seconds since the run started", labelAnchor: "right", grid: true };
}

/** The lane an entry belongs on: its node's, or the first node it names ("pg-b and pg-a"), the archive's for the backups' entries, else the clients'. */
export function laneOf(entry: TimelineEntry, lanes: readonly string[], archive: string): string {
  if (lanes.includes(entry.node)) return entry.node;
  if (entry.node === "backups" && lanes.includes(archive)) return archive;
  const first = entry.node.split(" and ")[0];
  return lanes.includes(first) ? first : CLIENTS_LANE;
}

/** The clients' lane: which node the endpoint sends them to, and (on top) when some class's writes were failing. */
export function clientSegments(result: SimulationResult): Segment[] {
  return [...endpointSegments(result), ...failingSegments(result)];
}

function endpointSegments(result: SimulationResult): Segment[] {
  const leader = laneNodes(result).find((n) => n.role === "leader");
  if (!leader || result.mode !== "leader-follower") return [];
  const moves = result.timeline.flatMap((e) => ("observed" in e || e.event !== "endpoint" ? [] : [{ atMs: e.atMs, target: e.target }]));
  const stops = [{ atMs: 0, target: leader.name }, ...moves];
  return stops.map((m, i) => ({ lane: CLIENTS_LANE, role: "endpoint" as const, label: `→ ${m.target}`, startMs: m.atMs, endMs: i + 1 < stops.length ? stops[i + 1].atMs : result.durationMs })).filter((s) => s.endMs > s.startMs);
}

function failingSegments(result: SimulationResult): Segment[] {
  const outages = result.classes.flatMap((c) => c.rto.outages ?? []).map((o) => ({ startMs: o.startMs, endMs: o.recoveredMs ?? result.durationMs }));
  outages.sort((a, b) => a.startMs - b.startMs);
  const merged: { startMs: number; endMs: number }[] = [];
  for (const o of outages) {
    const last = merged[merged.length - 1];
    // Outages a second apart read as one gap at this scale.
    if (last && o.startMs <= last.endMs + 1000) last.endMs = Math.max(last.endMs, o.endMs);
    else merged.push({ ...o });
  }
  return merged.map((o) => ({ lane: CLIENTS_LANE, role: "writes failing" as const, startMs: o.startMs, endMs: o.endMs }));
}

function bandMarks(all: Band[], result: SimulationResult, lanes: string[]): Plot.Markish[] {
  const context = { firstFaultMs: result.firstFaultMs, mode: result.mode, preset: result.preset, timeline: result.timeline };
  const whole = all.filter((b) => b.lanes === null);
  // A side may name zones or regions rather than nodes: only the lanes drawn get a band.
  const perLane = all.filter((b) => b.lanes !== null).flatMap((b) => (b.lanes ?? []).filter((lane) => lanes.includes(lane)).map((lane) => ({ ...b, lane })));
  const attrs = (b: Band) => ({ class: `band ${b.kind}`, "data-band": b.kind, "data-start-ms": b.startMs, "data-end-ms": b.endMs, "data-label": b.label });
  const title = (b: Band) => `${b.label} (${timeLabel(b.startMs, result.firstFaultMs)} to ${timeLabel(b.endMs, result.firstFaultMs)})\n${describeEntry(b.entry, context)}`;
  return [
    Plot.rectX(whole, { x1: (b: Band) => seconds(b.startMs), x2: (b: Band) => seconds(b.endMs), title, render: tagged(whole, attrs) }),
    Plot.barX(perLane, { y: "lane", x1: (b: Band) => seconds(b.startMs), x2: (b: Band) => seconds(b.endMs), title, render: tagged(perLane, (b) => ({ ...attrs(b), "data-lane": b.lane })) }),
    // A band on a lane of its own (the log archive) says what it is on the lane.
    Plot.text(perLane.filter((b) => b.kind === "archive"), { y: "lane", x: (b: Band) => seconds(b.startMs), dx: 5, textAnchor: "start", text: "label", render: tagged(perLane.filter((b) => b.kind === "archive"), (b) => ({ class: `band-label ${b.kind}`, "data-band": b.kind })) }),
    // Split brain's label on the row next to the chart, every other fault's on the row above it.
    bandLabels(whole.filter((b) => b.kind === "split-brain"), -4),
    bandLabels(whole.filter((b) => b.kind !== "split-brain"), -20),
  ];
}

function bandLabels(list: Band[], dy: number): Plot.Markish {
  return Plot.text(list, {
    x: (b: Band) => seconds((b.startMs + b.endMs) / 2),
    frameAnchor: "top",
    dy,
    lineAnchor: "bottom",
    text: (b: Band) => (b.kind === "split-brain" ? "⚠ SPLIT BRAIN: two leaders" : b.label),
    render: tagged(list, (b) => ({ class: `band-label ${b.kind}`, "data-band": b.kind })),
  });
}

function segmentMarks(segments: Segment[], result: SimulationResult): Plot.Markish[] {
  const attrs = (s: Segment) => ({ class: `segment role-${s.role.replace(/ /g, "-")}`, "data-lane": s.lane, "data-role": s.role, "data-start-ms": s.startMs, "data-end-ms": s.endMs });
  const wide = segments.filter((s) => s.endMs - s.startMs >= result.durationMs * 0.07);
  const words = vocabularyOf(result);
  const word = (s: Segment) => s.label ?? roleWord(words, s.role);
  return [
    Plot.barX(segments, { y: "lane", x1: (s: Segment) => seconds(s.startMs), x2: (s: Segment) => seconds(s.endMs), insetTop: 7, insetBottom: 7, title: (s: Segment) => `${s.lane}: ${word(s)} from ${timeLabel(s.startMs, result.firstFaultMs)} to ${timeLabel(s.endMs, result.firstFaultMs)}${s.note ? ` (${s.note})` : ""}`, render: tagged(segments, attrs) }),
    Plot.text(wide, { y: "lane", x: (s: Segment) => seconds(s.startMs), dx: 5, textAnchor: "start", text: word, render: tagged(wide, (s) => ({ class: `segment-label role-${s.role.replace(/ /g, "-")}` })) }),
  ];
}

function entryMarks(result: SimulationResult, lanes: string[]): Plot.Markish[] {
  const context = { firstFaultMs: result.firstFaultMs, mode: result.mode, preset: result.preset, timeline: result.timeline };
  const entries = result.timeline.slice(0, 2000);
  return [
    Plot.dot(entries, {
      y: (e: TimelineEntry) => laneOf(e, lanes, archiveLane(result)),
      x: (e: TimelineEntry) => seconds(e.atMs),
      r: 3.5,
      title: (e: TimelineEntry) => `${timeLabel(e.atMs, result.firstFaultMs)} ${e.node}: ${describeEntry(e, context)}`,
      render: tagged(entries, (e) => ({ class: "entry", "data-event": e.event, "data-at-ms": e.atMs, "data-node": e.node })),
    }),
  ];
}

/** Each lane's name at its left, as a label the tests can find (data-lane). */
export function laneLabels(lanes: string[]): Plot.Markish {
  return Plot.text(lanes, { y: (l: string) => l, frameAnchor: "left", dx: -10, textAnchor: "end", fontSize: 13, render: tagged(lanes, (lane) => ({ class: "lane-label", "data-lane": lane })) });
}

/** What a swimlane chart draws: its lanes (top to bottom), the role segments on them, and the bands over them. */
export interface LaneModel {
  lanes: string[];
  segments: Segment[];
  bands: Band[];
}

/** A simulated run's lanes: one per node in the topology's order, then the clients'. */
export function simulatedLanes(result: SimulationResult): LaneModel {
  const all = bands(result);
  const archive = all.some((b) => b.kind === "archive") ? [archiveLane(result)] : [];
  return { lanes: [...laneNodes(result).map((n) => n.name), ...archive, CLIENTS_LANE], segments: [...roleSegments(result), ...clientSegments(result)], bands: all };
}

/** The swimlane chart of one run as SVG text (a simulated run's lanes unless a model is given, e.g. a live run's). */
export function renderSwimlanes(result: SimulationResult, durationMs = result.durationMs, model: LaneModel = simulatedLanes(result)): string {
  const { lanes, segments } = model;
  return renderChart({
    chart: "swimlanes",
    width: CHART_WIDTH,
    height: 70 + lanes.length * LANE_HEIGHT,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: 44,
    x: timeAxis(result, durationMs),
    y: { domain: lanes, label: null, axis: null, padding: 0.1 },
    marks: [...bandMarks(model.bands, result, lanes), ...segmentMarks(segments, result), ...entryMarks(result, lanes), laneLabels(lanes)],
  });
}
