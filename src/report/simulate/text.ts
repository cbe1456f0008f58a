// The text report of `simulate`: the failure story top to bottom (header,
// timeline relative to the first fault, failover phases, RPO/RTO per data
// class, totals, lag, expectation verdicts, invariant violations). Pure: takes
// a result, a chalk instance (level 0 for plain text) and the width to lay the
// text out in, and returns a string no line of which is wider (tables narrow
// into compact or stacked forms, long lines wrap under their own indent).
import { violationText } from "./violations.js";
import { actualText } from "./expectations.js";
import { describeEntry, keyShareText } from "./timeline.js";
import { recoveryText } from "./recovery.js";
import type { ChalkInstance } from "chalk";
import { renderTable, type Column } from "../../report/common/table.js";
import { DEFAULT_LAYOUT, fitLines, lineWidth, packParts, wrapHanging, type TextLayout } from "../../report/common/layout.js";
import type { ClassResult, ExpectationResult, KeyOutageFigures, KeyOutageSpan, SimulationResult, Totals } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { trialSeed } from "../../engine/trials.js";
import { formatClock, formatCount, formatCountOf, formatTrialSeeds, formatMs, formatShare, formatTargetBeside, formatUnavailable, formatVersus, roundMs } from "../../report/common/format.js";
import { lagViewLabel, lagViews, phaseViews } from "./json.js";
import { phaseDurationText, phaseNotes, phaseSpanText } from "./phase-words.js";
import { classMissed, classVerdictText, partMet, undecidedRtoCell } from "./class-verdict.js";

/** The timeline is capped so a runaway engine cannot flood a terminal; --json has every entry. */
export const TIMELINE_MAX_LINES = 500;
const BAR_WIDTH = 40;

// ---------------------------------------------------------------------------
// Helpers shared with the markdown and live reports

/** `T+9.4s` / `T-2s` relative to the first fault, or the time since the start when there was no fault. */
export function timeLabel(atMs: number, firstFaultMs: number | null): string {
  if (firstFaultMs === null) return formatClock(atMs);
  const delta = (roundMs(atMs) ?? 0) - (roundMs(firstFaultMs) ?? 0);
  return `T${delta < 0 ? "-" : "+"}${formatClock(delta)}`;
}

export function rpoMet(c: ClassResult): boolean {
  return c.rpo.lostAckedWrites === 0 || (c.rpo.targetMs > 0 && c.rpo.windowMs <= c.rpo.targetMs);
}

export function rtoMet(ms: number | null, targetMs: number): boolean {
  return ms !== null && ms <= targetMs;
}

export function rpoMeasured(c: ClassResult): string {
  if (c.rpo.lostAckedWrites === 0) return "0 lost";
  return `${formatCount(c.rpo.lostAckedWrites)} lost · ${formatMs(c.rpo.windowMs)} window`;
}

export function latencyPair(p50: number | null, p99: number | null): string {
  return p50 === null && p99 === null ? "–" : `${formatMs(p50)} / ${formatMs(p99)}`;
}

/** The mark on an RTO cell whose class had keys that could not be written (read) while others could: see the note under the table. */
export const KEY_OUTAGE_MARK = "*";

/**
 * A class whose keys could not all be written or read (leaderless, or multi-leader with home-region routing): how
 * many, for how long and when (the longest stretch that left other keys available), beside what the RTO measures,
 * and whether that missed the RTO. null when no stretch left other keys available (every key at once is an outage
 * of the whole class, which the RTO already times).
 */
export function keyOutageNote(c: ClassResult, r: SimulationResult): string | null {
  const k = c.keyOutages;
  if (!k) return null;
  const writes = k.writes.longestPartial;
  const reads = k.reads.longestPartial;
  if (writes === null && reads === null) return null;
  const keys = (n: number) => `${keyShareText(n, k.keys)} of its keys (${formatCount(n)} of ${formatCount(k.keys)})`;
  const stretch = (s: KeyOutageSpan) =>
    `for ${formatMs(s.ms)}${s.endMs === null ? "+" : ""} (${timeLabel(s.startMs, r.firstFaultMs)} to ${s.endMs === null ? "the end of the run" : timeLabel(s.endMs, r.firstFaultMs)})`;
  const same = writes !== null && reads !== null && writes.startMs === reads.startMs && writes.endMs === reads.endMs && writes.keys === reads.keys;
  const at = (f: KeyOutageFigures, s: KeyOutageSpan) => (f.peakKeys > s.keys ? `; ${keyShareText(f.peakKeys, k.keys)} at the worst moment` : "");
  const why = keyOutageCause(r.mode, k.writes.needed, k.reads.needed);
  const parts: string[] = [];
  if (same) parts.push(`${keys(writes.keys)} could not be written or read ${stretch(writes)}, ${why.both}${at(k.writes, writes)}`);
  else {
    if (writes !== null) parts.push(`${keys(writes.keys)} could not be written ${stretch(writes)}, ${why.writes}${at(k.writes, writes)}`);
    if (reads !== null) parts.push(`${keys(reads.keys)} could not be read ${stretch(reads)}, ${why.reads}${at(k.reads, reads)}`);
  }
  const target = c.verdicts?.keyRto === false ? ` That is longer than its RTO target of ${formatMs(c.rto.targetMs)}: the class missed its RTO for those keys.` : "";
  // The RTO times the class as a whole: when other keys kept being written, it is far shorter than the keys' stretch.
  const rto =
    c.rto.writeMs !== null && writes !== null && c.rto.writeMs < writes.ms
      ? ` RTO write ${formatMs(c.rto.writeMs)}, like the writes-unavailable total (${formatMs(r.totals.writeUnavailableMs)}), counts outages of whole classes: from a failed write to the next acknowledged one, on any key.`
      : "";
  return `${c.name}: ${parts.join("; ")}.${target}${rto}`;
}

/** Why a mode's keys could not be written (read): too few nodes for a quorum, or (multi-leader) no home leader in reach. */
function keyOutageCause(mode: string, w: number, r: number): { writes: string; reads: string; both: string } {
  if (mode === "multi-leader") {
    const none = "no leader at all being up and in their clients' reach";
    return { writes: "their home leader being down or out of their clients' reach (home-region routing writes them nowhere else)", reads: none, both: none };
  }
  const reaching = (needs: string) => `fewer than ${needs} nodes being reachable for them`;
  return { writes: reaching(`W=${w}`), reads: reaching(`R=${r}`), both: reaching(w === r ? `W=R=${w}` : `W=${w} (R=${r})`) };
}

/** KEY_OUTAGE_MARK for a class's write (read) RTO cell when its note tells of keys that could not be written (read); else "". */
export function keyOutageMark(c: ClassResult, kind: "writes" | "reads"): string {
  return c.keyOutages?.[kind].longestPartial ? KEY_OUTAGE_MARK : "";
}

/**
 * The client tail's cell: the median cut-off client's wait, then the p99 judged against the RTO target
 * ("–" with no figure and nothing missed, "never" for a tail that never came back).
 */
export function clientTailCell(c: ClassResult, mark: (ok: boolean, text: string) => string): string {
  const met = partMet(c, "p99ClientRto");
  const nullWord = met ? "–" : "never";
  if (c.rto.p99ClientMs === null && met) return "–";
  const p50 = formatVersus(c.rto.p50ClientMs ?? null, c.rto.targetMs, nullWord);
  return `${p50} / ${mark(met, formatVersus(c.rto.p99ClientMs, c.rto.targetMs, nullWord))}`;
}

export function hasClientTail(result: SimulationResult): boolean {
  // A tail that never came back has no figure but still decides the verdict: the column shows it as "never".
  return result.classes.some((c) => c.rto.p99ClientMs !== null || c.verdicts?.p99ClientRto === false);
}

/** A Gantt bar: the phase's place and length on a common scale, so gaps and overlaps show. */
export function phaseBar(startMs: number, endMs: number, originMs: number, spanMs: number, width = BAR_WIDTH, blank = " "): string {
  if (spanMs <= 0) return "█";
  const from = Math.min(width - 1, Math.floor(((startMs - originMs) / spanMs) * width));
  const length = endMs > startMs ? Math.max(1, Math.round(((endMs - startMs) / spanMs) * width)) : 0;
  const body = length === 0 ? "▏" : "█".repeat(Math.min(length, width - from));
  return blank.repeat(Math.max(0, from)) + body;
}

export function expectationSummary(expectations: readonly ExpectationResult[]): string {
  const n = expectations.length;
  const undecided = expectations.filter((e) => e.undecided).length;
  const failed = expectations.filter((e) => !e.met && !e.undecided).length;
  if (n === 0) return "no expectations to check";
  // An undecided expectation is not met (the run exits 1), but it is not said to have failed either.
  const open = undecided === 0 ? "" : `${undecided} undecided (the run ended too soon)`;
  if (n === 1) return failed === 0 ? (undecided ? `1 expectation ${open}` : "1 expectation met") : "1 expectation failed";
  if (failed === 0) return undecided === 0 ? `all ${n} expectations met` : `${open} of ${n} expectations, the others met`;
  return `${failed} of ${n} expectations failed${undecided ? `, ${open}` : ""}`;
}

/** An RTO cell: the figure against the target, or for an outage the run ended too soon to judge, "> its age so far?". */
function rtoCell(c: ClassResult, part: "writeRto" | "readRto", chalk: ChalkInstance): string {
  const open = undecidedRtoCell(c, part);
  if (open !== null) return chalk.yellow(open);
  const ms = part === "writeRto" ? c.rto.writeMs : c.rto.readMs;
  const text = formatVersus(ms, c.rto.targetMs, "never");
  return rtoMet(ms, c.rto.targetMs) ? text : chalk.red(text);
}

/** Whether the run should exit 1: a failed expectation or a broken invariant. */
export function runFailed(result: SimulationResult): boolean {
  return result.violations.length > 0 || result.expectations.some((e) => !e.met);
}

function trialsOf(result: SimulationResult) {
  return result.classes.find((c) => c.trials)?.trials ?? null;
}

// ---------------------------------------------------------------------------
// Sections

export function renderSimulateText(result: SimulationResult, chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const { width } = layout;
  const sections = [
    header(result, chalk, width),
    violationsSection(result, chalk, width),
    timelineSection(result, chalk, width),
    phasesSection(result, chalk, width),
    classesSection(result, chalk, width),
    trialsSection(result, chalk, width),
    totalsSection(result, chalk, width),
    recoveryText(result, chalk, layout),
    lagSection(result, chalk),
    expectationsSection(result, chalk, width),
    verdict(result, chalk),
  ];
  // The sections lay out their own columns; any prose line still too wide wraps under its indent.
  return `${fitLines(sections.filter((s) => s !== "").join("\n\n"), width)}\n`;
}

function header(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  const trials = trialsOf(r);
  const meta = [
    `topology ${r.topology}`,
    `mode ${r.mode}`,
    `seed ${r.seed}`,
    `duration ${formatDuration(r.durationMs)}`,
    r.firstFaultMs === null ? "no faults" : `first fault at ${formatClock(r.firstFaultMs)}`,
    ...(trials ? [formatCountOf(trials.n, "trial")] : []),
  ];
  return [chalk.bold(`Scenario ${r.scenario}`), ...packParts(meta, width).map((l) => chalk.dim(l))].join("\n");
}

const BAD_EVENT = /crash|lost|lose|loss|fail|partition|split|stall|reject|down|unavailable|violat|diverge|rewind|corrupt/i;
const SLOW_EVENT = /detect|fence|elect|timeout|expire|lag|slow|wait|degrade|stale/i;
const GOOD_EVENT = /promot|recover|reconnect|endpoint|heal|rejoin|restore|ack|resume|caught|leader/i;

function eventColor(event: string, chalk: ChalkInstance): (text: string) => string {
  if (BAD_EVENT.test(event)) return chalk.red;
  if (SLOW_EVENT.test(event)) return chalk.yellow;
  if (GOOD_EVENT.test(event)) return chalk.green;
  return (text) => text;
}

function timelineSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  const title =
    r.firstFaultMs === null ? "Timeline (time since start)" : `Timeline (T = first fault, at ${formatClock(r.firstFaultMs)} into the run)`;
  if (r.timeline.length === 0) return `${chalk.bold(title)}\n  ${chalk.dim("(no events)")}`;
  return `${chalk.bold(title)}\n${timelineLines(r, chalk, "  ", width).join("\n")}`;
}

/** Below this many columns beside the event, an entry's detail goes on the lines under it. */
const DETAIL_MIN_WIDTH = 30;

/**
 * The timeline as aligned lines (time, node, event, detail); also the markdown
 * report's fenced block (at no width limit). A detail too long for the line
 * word-wraps under the detail column.
 */
export function timelineLines(
  r: SimulationResult,
  chalk: ChalkInstance,
  indent = "  ",
  width = Infinity,
  options: { max?: number; more?: (hidden: number) => string } = {},
): string[] {
  const shown = r.timeline.slice(0, options.max ?? TIMELINE_MAX_LINES);
  if (shown.length === 0) return [];
  const times = shown.map((e) => timeLabel(e.atMs, r.firstFaultMs));
  const timeWidth = Math.max(...times.map((t) => t.length));
  const nodeWidth = Math.max(1, ...shown.map((e) => e.node.length));
  const eventWidth = Math.max(...shown.map((e) => e.event.length));
  const detailColumn = lineWidth(indent) + timeWidth + nodeWidth + eventWidth + 6;
  const beside = width - detailColumn >= DETAIL_MIN_WIDTH;
  const under = `${indent}${" ".repeat(timeWidth + 2)}`;
  const lines = shown.flatMap((e, i) => {
    const paint = eventColor(e.event, chalk);
    const head = `${indent}${times[i].padEnd(timeWidth)}  ${e.node.padEnd(nodeWidth)}  ${paint(e.event.padEnd(eventWidth))}`;
    const detail = describeEntry(e, r);
    if (width === Infinity) return [`${head}  ${detail}`.trimEnd()];
    if (beside) return wrapHanging(detail, width, `${head}  `, " ".repeat(detailColumn));
    return [head.trimEnd(), ...wrapHanging(detail, width, `${under}  `)];
  });
  const hidden = r.timeline.length - shown.length;
  if (hidden > 0) lines.push(options.more ? options.more(hidden) : `${indent}… ${formatCount(hidden)} more entries (--json has them all)`);
  return lines;
}

function phasesSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  const phases = phaseViews(r);
  if (phases.length === 0) return "";
  const origin = Math.min(...phases.map((p) => p.startMs));
  const end = Math.max(...phases.map((p) => p.endMs));
  const nameWidth = Math.max(...phases.map((p) => p.phase.length));
  const starts = phases.map((p) => timeLabel(p.startMs, r.firstFaultMs));
  const startWidth = Math.max(...starts.map((s) => s.length));
  // The bar shrinks to what the width leaves beside the name, start and duration columns.
  const barWidth = Math.max(10, Math.min(BAR_WIDTH, width - (2 + nameWidth + 2 + startWidth + 2 + 2 + 7)));
  const lines = phases.map((p, i) => {
    const bar = phaseBar(p.startMs, p.endMs, origin, end - origin, barWidth).padEnd(barWidth);
    return `  ${p.phase.padEnd(nameWidth)}  ${starts[i].padEnd(startWidth)}  ${chalk.cyan(bar)}  ${phaseDurationText(formatMs(p.durationMs), p.ongoing).padStart(7)}`;
  });
  const notes = phaseNotes(r).flatMap((note) => wrapHanging(note, width, "  "));
  return `${chalk.bold(`Failover phases (${phaseSpanText(end - origin, phases)})`)}\n${[...lines, ...notes].join("\n")}`;
}

/** The RPO/RTO table's columns: full headers, the compact table's two-line ones, and which may wrap. */
function classColumns(tail: boolean): Column[] {
  return [
    { head: "class" },
    { head: "RPO target", short: "RPO\ntarget" },
    { head: "RPO measured", short: "RPO\nmeasured", wrap: true },
    { head: "RTO target", short: "RTO\ntarget" },
    { head: "RTO write", short: "RTO\nwrite" },
    { head: "RTO read", short: "RTO\nread" },
    ...(tail ? [{ head: "client p50/p99", short: "client\np50/p99" }] : []),
    { head: "write p50/p99", short: "write\np50/p99" },
    { head: "verdict", wrap: true, keep: true },
  ];
}

function classesSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  if (r.classes.length === 0) return "";
  const tail = hasClientTail(r);
  const rows: string[][] = [];
  for (const c of r.classes) {
    const okOrBad = (ok: boolean, text: string) => (ok ? text : chalk.red(text));
    rows.push([
      c.name,
      formatMs(c.rpo.targetMs),
      okOrBad(rpoMet(c), rpoMeasured(c)),
      formatTargetBeside(c.rto.targetMs, [c.rto.writeMs, c.rto.readMs, ...(tail ? [c.rto.p50ClientMs, c.rto.p99ClientMs] : [])]),
      rtoCell(c, "writeRto", chalk) + keyOutageMark(c, "writes"),
      (c.verdicts?.readRto === null ? "–" : rtoCell(c, "readRto", chalk)) + keyOutageMark(c, "reads"),
      ...(tail ? [clientTailCell(c, okOrBad)] : []),
      latencyPair(c.latency.writeP50Ms, c.latency.writeP99Ms),
      c.met ? chalk.green("met") : (classMissed(c) ? chalk.red : chalk.yellow)(classVerdictText(c, r.recovery)),
    ]);
  }
  const notes = r.classes.map((c) => keyOutageNote(c, r)).filter((n): n is string => n !== null);
  const noteLines = notes.flatMap((n) => wrapHanging(n, width, `  ${KEY_OUTAGE_MARK} `, "    "));
  return `${chalk.bold("RPO / RTO per data class")}\n${renderTable({ columns: classColumns(tail), rows, rowNoun: "class" }, width, chalk)}${noteLines.length > 0 ? `\n${noteLines.join("\n")}` : ""}`;
}

/** The Monte Carlo table's columns; a percentile's label names its measure in the stacked form. */
const TRIAL_COLUMNS: Column[] = [
  { head: "class" },
  ...(["RPO", "RTO"] as const).flatMap((m) => [
    { head: `${m} p50` },
    { head: "p95", label: `${m} p95` },
    { head: "p99", label: `${m} p99` },
    { head: "max", label: `${m} max` },
    { head: `${m} met` },
  ]),
  { head: "all met", keep: true },
];

function trialsSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  const first = trialsOf(r);
  if (!first) return "";
  const share = (s: number) => (s === 1 ? chalk.green(formatShare(s)) : chalk.red(formatShare(s)));
  const rows: string[][] = [];
  for (const c of r.classes) {
    const tr = c.trials;
    if (!tr) continue;
    rows.push([
      c.name,
      formatMs(tr.rpoMs.p50),
      formatMs(tr.rpoMs.p95),
      formatMs(tr.rpoMs.p99),
      formatMs(tr.rpoMs.max),
      share(tr.rpoMetShare),
      formatMs(tr.rtoMs.p50),
      formatMs(tr.rtoMs.p95),
      formatMs(tr.rtoMs.p99),
      formatMs(tr.rtoMs.max),
      share(tr.rtoMetShare),
      share(tr.metShare),
    ]);
  }
  const seeds = formatTrialSeeds(r.seed, trialSeed(r.seed, first.n - 1), first.n);
  const title = `Monte Carlo: ${formatCountOf(first.n, "trial")} (${seeds}; RTO is the write RTO, "never" = did not recover)`;
  const note = otherPartsNote(r);
  return `${wrapHanging(title, width).map((l) => chalk.bold(l)).join("\n")}\n${renderTable({ columns: TRIAL_COLUMNS, rows, rowNoun: "class" }, width, chalk)}${note ? `\n${wrapHanging(note, width, "  ", "  ").join("\n")}` : ""}`;
}

/**
 * When some class met its RPO and write RTO in more trials than all its targets, what else "all met" counts (the
 * read RTO, the p99 client, its keys, a restore), so the columns beside it cannot read as the whole verdict; else "".
 */
export function otherPartsNote(r: SimulationResult): string {
  const short = r.classes.filter((c) => c.trials && c.trials.metShare < Math.min(c.trials.rpoMetShare, c.trials.rtoMetShare)).map((c) => c.name);
  if (short.length === 0) return "";
  return `All met also counts the read RTO, the p99 client, keys out while others were served, and any restore, against the targets: ${short.join(", ")} missed one of those in some trials (the class table shows the first trial's verdict).`;
}

/** Writes last-write-wins would drop once the writes still queued at the end of the run arrive: projected, said so. */
function projectedPart(projected: number | undefined, chalk: ChalkInstance): string[] {
  return projected === undefined ? [] : [chalk.yellow(`${formatCount(projected)} more projected lost once queued writes arrive`)];
}

function totalsSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  const t = r.totals;
  const bad = (n: number, text: string) => (n > 0 ? chalk.red(text) : text);
  const lines = [
    ["writes ", `${formatCount(t.writesAcked)} acked`, bad(t.writesLost, `${formatCount(t.writesLost)} lost`), ...projectedPart(t.writesLostProjected, chalk), `${formatCount(t.writesRejected)} rejected`, ...forwardedPart(t.forwarded?.writes)],
    ["reads  ", `${formatCount(t.readsServed)} served`, `${formatCount(t.readsRejected)} rejected`, bad(t.staleReads, `${formatCount(t.staleReads)} stale`), ...forwardedPart(t.forwarded?.reads)],
    [
      `split brain ${bad(t.splitBrainMs, formatMs(t.splitBrainMs))}`,
      `writes unavailable ${formatUnavailable(t)}${r.classes.some((c) => keyOutageMark(c, "writes") !== "") ? KEY_OUTAGE_MARK : ""}`,
      `conflicts ${formatCount(t.conflicts)}`,
      ...(t.siblings !== undefined ? [`siblings ${formatCount(t.siblings)}`] : []),
      `failovers ${formatCount(t.failovers)}`,
    ],
  ];
  // A line that wraps continues under its first figure ("writes  " is the label).
  const packed = lines.flatMap(([label, ...parts]) =>
    label.endsWith(" ") ? packParts(parts, width, `  ${label} `, " ".repeat(label.length + 3)) : packParts([label, ...parts], width, "  ", "    "),
  );
  return `${chalk.bold("Totals")}\n${packed.join("\n")}`;
}

/** A consensus follower's requests passed on to the leader, when there were any. */
function forwardedPart(count: number | undefined): string[] {
  return count ? [`${formatCount(count)} via a follower`] : [];
}

/** The totals' columns for requests forwarded by consensus followers (the tables' form of forwardedPart): none when nothing was forwarded. */
export function forwardedColumns(t: Totals): { head: string; value: string }[] {
  const f = t.forwarded;
  if (f === undefined || f.writes + f.reads === 0) return [];
  return [
    { head: "writes via a follower", value: formatCount(f.writes) },
    { head: "reads via a follower", value: formatCount(f.reads) },
  ];
}

function lagSection(r: SimulationResult, chalk: ChalkInstance): string {
  const views = lagViews(r);
  if (views.length === 0) return "";
  const labels = views.map(lagViewLabel);
  const nodeWidth = Math.max(...labels.map((l) => l.length));
  const sizes = views.map((v) => formatSize(v.maxLagBytes));
  const sizeWidth = Math.max(...sizes.map((s) => s.length));
  const bytesAt = views.map((v) => `at ${timeLabel(v.atMs, r.firstFaultMs)}`);
  const bytesAtWidth = Math.max(...bytesAt.map((s) => s.length));
  const lines = views.map(
    (v, i) =>
      `  ${labels[i].padEnd(nodeWidth)}  ${sizes[i].padStart(sizeWidth)} ${chalk.dim(bytesAt[i].padEnd(bytesAtWidth))}  ${formatMs(v.maxLagMs).padStart(7)} ${chalk.dim(`at ${timeLabel(v.maxLagMsAtMs, r.firstFaultMs)}`)}`,
  );
  const what = views.some((v) => v.origin !== undefined) ? "per leader ← the leader whose writes it applies" : "per node";
  return `${chalk.bold(`Replication lag (max ${what}: bytes behind, time behind, each at its own peak)`)}\n${lines.join("\n")}`;
}

function expectationsSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  if (r.expectations.length === 0) return "";
  const pathWidth = Math.max(...r.expectations.map((e) => e.path.length));
  const parts = r.expectations.map((e) => ({
    mark: e.met ? chalk.green("✓") : e.undecided ? chalk.yellow("?") : chalk.red("✗"),
    path: e.path,
    expected: e.expected,
    actual: e.met ? actualText(e) : e.undecided ? chalk.yellow(actualText(e)) : chalk.red(actualText(e)),
  }));
  // The "actual" column lines up over the expectations that fit on one line; a long one does not push it off the screen.
  const oneLine = parts.filter((e) => lineWidth(`  ✓ ${e.path.padEnd(pathWidth)}  expected ${e.expected}  actual ${e.actual}`) <= width);
  const expectedWidth = Math.max(0, ...oneLine.map((e) => e.expected.length));
  // An expectation too wide for its line says what was expected, then what happened, each wrapped under the "expected" column.
  const column = 4 + pathWidth + 2 <= width / 2 ? 4 + pathWidth + 2 : 6;
  const hang = " ".repeat(column);
  const lines = parts.flatMap((e) => {
    const line = `  ${e.mark} ${e.path.padEnd(pathWidth)}  expected ${e.expected.padEnd(expectedWidth)}  actual ${e.actual}`;
    if (lineWidth(line) <= width) return [line];
    const head = `  ${e.mark} ${e.path.padEnd(pathWidth)}  `;
    const expected = column === 6 ? [`  ${e.mark} ${e.path}`, ...wrapHanging(`expected ${e.expected}`, width, hang)] : wrapHanging(`expected ${e.expected}`, width, head, hang);
    return [...expected, ...wrapHanging(`actual ${e.actual}`, width, hang)];
  });
  return `${chalk.bold(`Expectations (${expectationSummary(r.expectations)})`)}\n${lines.join("\n")}`;
}

function violationsSection(r: SimulationResult, chalk: ChalkInstance, width: number): string {
  if (r.violations.length === 0) return "";
  const title = `INVARIANT VIOLATIONS (${r.violations.length}): the simulation broke one of its own rules — a bug in repl-lab; replay with --seed ${r.seed} and report it`;
  const lines = [...wrapHanging(title, width).map((l) => chalk.red.bold(l)), ...r.violations.flatMap((v) => wrapHanging(violationText(v), width, "  ✗ ", "    ").map((l) => chalk.red(l)))];
  return lines.join("\n");
}

function verdict(r: SimulationResult, chalk: ChalkInstance): string {
  const parts = [expectationSummary(r.expectations)];
  if (r.violations.length > 0) parts.push(`${r.violations.length} invariant violation${r.violations.length === 1 ? "" : "s"}`);
  const text = parts.join("; ");
  return runFailed(r) ? chalk.red.bold(`✗ ${text}`) : chalk.green.bold(`✓ ${text}`);
}
