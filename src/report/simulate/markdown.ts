// The `simulate` report as GitHub-flavoured markdown, for PR comments and CI
// job summaries: the same content as the text report, as tables, with the
// timeline in a fenced block so its columns stay aligned.
import { violationText } from "./violations.js";
import { actualText } from "./expectations.js";
import { recoveryMarkdown } from "./recovery.js";
import { Chalk } from "chalk";
import type { ClassResult, SimulationResult } from "../../engine/result.js";
import { trialSeed } from "../../engine/trials.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatClock, formatCount, formatCountOf, formatTrialSeeds, formatMs, formatShare, formatTargetBeside, formatUnavailable, formatVersus } from "../../report/common/format.js";
import { cell, mdTable } from "../../report/common/markdown.js";
import { lagViewLabel, lagViews, phaseViews } from "./json.js";
import { phaseDurationText, phaseNotes, phaseSpanText } from "./phase-words.js";
import { classMissed, classVerdictText, partMet, undecidedRtoCell } from "./class-verdict.js";
import {
  expectationSummary,
  forwardedColumns,
  clientTailCell,
  hasClientTail,
  KEY_OUTAGE_MARK,
  keyOutageMark,
  keyOutageNote,
  otherPartsNote,
  latencyPair,
  phaseBar,
  rpoMeasured,
  rpoMet,
  rtoMet,
  runFailed,
  timeLabel,
  timelineLines,
} from "./text.js";

const plain = new Chalk({ level: 0 });

/** Inline code for a cell: GFM still splits a table cell on a pipe inside code, so it is escaped there too. */
function code(text: string): string {
  const body = text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  return `\`${body}\``;
}

/** A fence longer than any run of backticks inside, so event details cannot close it. */
function fence(lines: string[], info = "text"): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const marks = "`".repeat(Math.max(3, longest + 1));
  return `${marks}${info}\n${lines.join("\n")}\n${marks}`;
}

const ok = (met: boolean) => (met ? "✅" : "❌");

export function renderSimulateMarkdown(result: SimulationResult): string {
  const sections = [header(result), violations(result), timeline(result), phases(result), classes(result), trials(result), totals(result), recoveryMarkdown(result), lag(result), expectations(result)];
  return `${sections.filter((s) => s !== "").join("\n\n")}\n`;
}

function header(r: SimulationResult): string {
  const trialsN = r.classes.find((c) => c.trials)?.trials?.n;
  const meta = [
    `topology **${cell(r.topology)}**`,
    `mode ${cell(r.mode)}`,
    `seed ${r.seed}`,
    `duration ${formatDuration(r.durationMs)}`,
    r.firstFaultMs === null ? "no faults" : `first fault at ${formatClock(r.firstFaultMs)}`,
    ...(trialsN ? [formatCountOf(trialsN, "trial")] : []),
  ];
  const status = `${runFailed(r) ? "❌" : "✅"} ${expectationSummary(r.expectations)}${r.violations.length > 0 ? `; ${r.violations.length} invariant violation${r.violations.length === 1 ? "" : "s"}` : ""}`;
  return `### Scenario ${code(r.scenario)} — ${status}\n\n${meta.join(" · ")}`;
}

function violations(r: SimulationResult): string {
  if (r.violations.length === 0) return "";
  const lines = [
    "> [!CAUTION]",
    `> **Invariant violations (${r.violations.length})**: the simulation broke one of its own rules — a bug in repl-lab; replay with \`--seed ${r.seed}\` and report it.`,
    ">",
    ...r.violations.map((v) => `> - ${cell(violationText(v))}`),
  ];
  return lines.join("\n");
}

function timeline(r: SimulationResult): string {
  const title = r.firstFaultMs === null ? "#### Timeline (time since start)" : `#### Timeline (T = first fault, at ${formatClock(r.firstFaultMs)})`;
  if (r.timeline.length === 0) return `${title}\n\n_No events._`;
  return `${title}\n\n${fence(timelineLines(r, plain, ""))}`;
}

function phases(r: SimulationResult): string {
  const views = phaseViews(r);
  if (views.length === 0) return "";
  const origin = Math.min(...views.map((p) => p.startMs));
  const span = Math.max(...views.map((p) => p.endMs)) - origin;
  // Browsers collapse spaces in inline code, so the bar's offset is drawn with a light shade.
  const rows = views.map((p) => [cell(p.phase), timeLabel(p.startMs, r.firstFaultMs), phaseDurationText(formatMs(p.durationMs), p.ongoing), code(phaseBar(p.startMs, p.endMs, origin, span, 30, "░"))]);
  const notes = phaseNotes(r).map((note) => `\n\n${note}`).join("");
  return `#### Failover phases (${phaseSpanText(span, views)})\n\n${mdTable(["phase", "start", "duration", ""], rows, ["l", "l", "r", "l"])}${notes}`;
}

function classes(r: SimulationResult): string {
  if (r.classes.length === 0) return "";
  const tail = hasClientTail(r);
  const head = ["class", "RPO target", "RPO measured", "RTO target", "RTO write", "RTO read", ...(tail ? ["client p50 / p99"] : []), "write p50 / p99", "read p50 / p99", "met"];
  const rows = r.classes.map((c) => [
    code(c.name),
    formatMs(c.rpo.targetMs),
    `${rpoMet(c) ? "" : "❌ "}${rpoMeasured(c)}`,
    formatTargetBeside(c.rto.targetMs, [c.rto.writeMs, c.rto.readMs, ...(tail ? [c.rto.p50ClientMs, c.rto.p99ClientMs] : [])]),
    `${rtoText(c, "writeRto")}${keyOutageMark(c, "writes") && `\\${KEY_OUTAGE_MARK}`}`,
    `${c.verdicts?.readRto === null ? "–" : rtoText(c, "readRto")}${keyOutageMark(c, "reads") && `\\${KEY_OUTAGE_MARK}`}`,
    ...(tail ? [clientTailCell(c, (met, text) => `${met ? "" : "❌ "}${text}`)] : []),
    latencyPair(c.latency.writeP50Ms, c.latency.writeP99Ms),
    latencyPair(c.latency.readP50Ms, c.latency.readP99Ms),
    `${c.met ? ok(true) : classMissed(c) ? ok(false) : "❔"} ${classVerdictText(c, r.recovery)}`,
  ]);
  const notes = r.classes.map((c) => keyOutageNote(c, r)).filter((n): n is string => n !== null);
  return `#### RPO / RTO per data class\n\n${mdTable(head, rows)}${notes.map((n) => `\n\n\\${KEY_OUTAGE_MARK} ${cell(n)}`).join("")}`;
}

/** A write or read RTO cell: "❌ " before a missed figure; an outage the run ended too soon to judge, as ">5s?". */
function rtoText(c: ClassResult, part: "writeRto" | "readRto"): string {
  const open = undecidedRtoCell(c, part);
  if (open !== null) return open;
  const ms = part === "writeRto" ? c.rto.writeMs : c.rto.readMs;
  return `${rtoMet(ms, c.rto.targetMs) ? "" : "❌ "}${formatVersus(ms, c.rto.targetMs, "never")}`;
}

function trials(r: SimulationResult): string {
  const withTrials = r.classes.filter((c) => c.trials);
  if (withTrials.length === 0) return "";
  const n = withTrials[0].trials!.n;
  const head = ["class", "RPO p50", "p95", "p99", "max", "RPO met", "RTO p50", "p95", "p99", "max", "RTO met", "all met"];
  const rows = withTrials.map((c) => {
    const t = c.trials!;
    return [
      code(c.name),
      ...[t.rpoMs.p50, t.rpoMs.p95, t.rpoMs.p99, t.rpoMs.max].map((v) => formatMs(v)),
      formatShare(t.rpoMetShare),
      ...[t.rtoMs.p50, t.rtoMs.p95, t.rtoMs.p99, t.rtoMs.max].map((v) => formatMs(v)),
      formatShare(t.rtoMetShare),
      `${ok(t.metShare === 1)} ${formatShare(t.metShare)}`,
    ];
  });
  const title = `#### Monte Carlo: ${formatCountOf(n, "trial")} (${formatTrialSeeds(r.seed, trialSeed(r.seed, n - 1), n)})`;
  const note = otherPartsNote(r);
  return `${title}\n\n${mdTable(head, rows, ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"])}\n\nRTO is the write RTO; _never_ means writes did not recover within the run.${note ? ` ${cell(note)}` : ""}`;
}

function totals(r: SimulationResult): string {
  const t = r.totals;
  const siblings = t.siblings !== undefined;
  const forwarded = forwardedColumns(t);
  const head = ["writes acked", "writes lost", "writes rejected", "reads served", "reads rejected", "stale reads", "conflicts", ...(siblings ? ["siblings"] : []), "split brain", "writes unavailable", "failovers", ...forwarded.map((c) => c.head)];
  const row = [
    formatCount(t.writesAcked),
    `${t.writesLost > 0 ? "⚠️ " : ""}${formatCount(t.writesLost)}${t.writesLostProjected !== undefined ? ` (+${formatCount(t.writesLostProjected)} projected)` : ""}`,
    formatCount(t.writesRejected),
    formatCount(t.readsServed),
    formatCount(t.readsRejected),
    formatCount(t.staleReads),
    formatCount(t.conflicts),
    ...(t.siblings !== undefined ? [formatCount(t.siblings)] : []),
    `${t.splitBrainMs > 0 ? "⚠️ " : ""}${formatMs(t.splitBrainMs)}`,
    `${formatUnavailable(t)}${r.classes.some((c) => keyOutageMark(c, "writes") !== "") ? `\\${KEY_OUTAGE_MARK}` : ""}`,
    formatCount(t.failovers),
    ...forwarded.map((c) => c.value),
  ];
  return `#### Totals\n\n${mdTable(head, [row], head.map(() => "r"))}`;
}

function lag(r: SimulationResult): string {
  const views = lagViews(r);
  if (views.length === 0) return "";
  const rows = views.map((v) => [code(lagViewLabel(v)), formatSize(v.maxLagBytes), timeLabel(v.atMs, r.firstFaultMs), formatMs(v.maxLagMs), timeLabel(v.maxLagMsAtMs, r.firstFaultMs)]);
  const what = views.some((v) => v.origin !== undefined) ? "per leader ← the leader whose writes it applies" : "per node";
  return `#### Replication lag (max ${what})\n\n${mdTable([views.some((v) => v.origin !== undefined) ? "leader ← origin" : "node", "bytes behind", "bytes peak at", "time behind", "time peak at"], rows, ["l", "r", "l", "r", "l"])}`;
}

function expectations(r: SimulationResult): string {
  if (r.expectations.length === 0) return "";
  const rows = r.expectations.map((e) => [ok(e.met), code(e.path), code(e.expected), cell(actualText(e))]);
  return `#### Expectations (${expectationSummary(r.expectations)})\n\n${mdTable(["", "expectation", "expected", "actual"], rows)}`;
}
