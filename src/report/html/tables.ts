// The tables of the HTML report: RPO/RTO per data class with the verdict
// words the text report uses, the totals, the recovery options and the
// expectations. Every cell is escaped text; the words come from
// src/report/simulate/.
import type { ClassResult, SimulationResult } from "../../engine/result.js";
import type { Finding as LintFinding } from "../../lint/types.js";
import { formatDuration } from "../../base/units.js";
import { formatCount, formatMs, formatShare, formatTargetBeside, formatUnavailable, formatVersus } from "../common/format.js";
import { classMissed, classVerdictText, partMet, undecidedRtoCell } from "../simulate/class-verdict.js";
import { actualText } from "../simulate/expectations.js";
import { METHOD_NAMES } from "../simulate/recovery.js";
import { drillText, headlineText, incidentLineText, lostWritesCell, reconcileCell, optionReasonText, recoverySentences, restoreDuration, runClock } from "../simulate/recovery-words.js";
import { vocabularyOf } from "../simulate/vocabulary.js";
import { forwardedColumns, KEY_OUTAGE_MARK, keyOutageMark, keyOutageNote, rpoMeasured, rtoMet } from "../simulate/text.js";

export const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A cell: its text, and whether it is good (ok: true), bad (false), or not yet known (null: the run ended too soon). */
type Cell = string | { text: string; ok: boolean | null };

export function htmlTable(head: string[], rows: Cell[][], className = ""): string {
  const cell = (c: Cell) => (typeof c === "string" ? `<td>${escapeHtml(c)}</td>` : `<td class="${c.ok === null ? "open" : c.ok ? "ok" : "bad"}">${c.ok === null ? "?" : c.ok ? "✓" : "✗"} ${escapeHtml(c.text)}</td>`);
  const body = rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n");
  return `<table class="${className}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

const target = (ms: number) => formatDuration(ms) || "0";

export function classTable(r: SimulationResult): string {
  const rows = r.classes.map((c): Cell[] => [
    c.name,
    target(c.rpo.targetMs),
    { text: rpoMeasured(c), ok: partMet(c, "rpo") },
    formatTargetBeside(c.rto.targetMs, [c.rto.writeMs, c.rto.readMs, c.rto.p50ClientMs ?? null, c.rto.p99ClientMs]),
    rtoCell(c, "writeRto", rtoMet(c.rto.writeMs, c.rto.targetMs)),
    c.verdicts?.readRto === null ? "–" : rtoCell(c, "readRto", partMet(c, "readRto")),
    c.rto.p99ClientMs === null && partMet(c, "p99ClientRto") ? "–" : { text: `${formatVersus(c.rto.p50ClientMs ?? null, c.rto.targetMs, "never")} / ${formatVersus(c.rto.p99ClientMs, c.rto.targetMs, "never")}`, ok: partMet(c, "p99ClientRto") },
    { text: classVerdictText(c, r.recovery), ok: c.met ? true : classMissed(c) ? false : null },
  ]);
  const notes = r.classes.map((c) => keyOutageNote(c, r)).filter((n): n is string => n !== null);
  return (
    htmlTable(["class", "RPO target", "RPO (acked writes lost)", "RTO target", "write RTO", "read RTO", "client p50 / p99", "verdict"], rows, "classes") +
    notes.map((n) => `\n<p class="note">${escapeHtml(`${KEY_OUTAGE_MARK} ${n}`)}</p>`).join("")
  );
}

/** A write or read RTO cell; an outage the run ended too soon to judge reads ">5s?", neither good nor bad. */
function rtoCell(c: ClassResult, part: "writeRto" | "readRto", met: boolean): Cell {
  const open = undecidedRtoCell(c, part);
  const mark = keyOutageMark(c, part === "writeRto" ? "writes" : "reads");
  if (open !== null) return { text: open + mark, ok: null };
  return { text: formatVersus(part === "writeRto" ? c.rto.writeMs : c.rto.readMs, c.rto.targetMs, "never") + mark, ok: met };
}

export function totalsTable(r: SimulationResult): string {
  const t = r.totals;
  const forwarded = forwardedColumns(t);
  const row: Cell[] = [
    formatCount(t.writesAcked),
    { text: formatCount(t.writesLost), ok: t.writesLost === 0 },
    formatCount(t.writesRejected),
    formatCount(t.staleReads),
    { text: formatMs(t.splitBrainMs), ok: t.splitBrainMs === 0 },
    formatUnavailable(t) + (r.classes.some((c) => keyOutageMark(c, "writes") !== "") ? KEY_OUTAGE_MARK : ""),
    formatCount(t.conflicts),
    ...(t.siblings !== undefined ? [formatCount(t.siblings)] : []),
    formatCount(t.failovers),
    ...forwarded.map((c) => c.value),
  ];
  // The same figures as the text report's totals, in its order.
  const heads = ["writes acked", "writes lost", "writes rejected", "stale reads", "split brain", "writes unavailable", "conflicts", ...(t.siblings !== undefined ? ["siblings"] : []), "failovers", ...forwarded.map((c) => c.head)];
  return htmlTable(heads, [row], "totals");
}

export function recoverySection(r: SimulationResult): string {
  const rec = r.recovery;
  if (!rec) return "";
  const words = vocabularyOf(r);
  const rows = rec.options.map((o): Cell[] => [
    `${o.method === rec.method && o.feasible ? "▶ " : ""}${METHOD_NAMES[o.method]}`,
    { text: o.feasible ? "yes" : "no", ok: o.feasible },
    o.restoreMs === null ? "–" : restoreDuration(o.restoreMs),
    o.totalMs === null ? "–" : restoreDuration(o.totalMs),
    lostWritesCell(o),
    reconcileCell(o),
    optionReasonText(o.reason, words),
  ]);
  // The restore drills, as the text and Markdown list them.
  const drills = rec.drills.length > 0 ? `<ul class="drills">${rec.drills.map((d) => `<li class="${d.ok ? "ok" : "bad"}">${d.ok ? "✓" : "✗"} restore drill at ${escapeHtml(runClock(d.atMs))}: ${escapeHtml(drillText(d, words))}</li>`).join("")}</ul>` : "";
  const table = rows.length > 0 ? htmlTable(["option", "possible", "restore time", "total time", "lost writes", "to reconcile", "why"], rows, "recovery") : "";
  return `<section><h2>Recovery</h2><p><strong>${escapeHtml(headlineText(rec, words))}</strong></p><p>Incident: ${escapeHtml(incidentLineText(rec, words))}. ${escapeHtml(recoverySentences(rec, words).join(" "))}</p>${table}${drills}</section>`;
}

export function expectationsTable(r: SimulationResult): string {
  if (r.expectations.length === 0) return "";
  const rows = r.expectations.map((e): Cell[] => [{ text: e.met ? "held" : "failed", ok: e.met }, e.path, e.expected, actualText(e)]);
  return `<section><h2>Expectations</h2>${htmlTable(["", "expectation", "expected", "actual"], rows, "expectations")}</section>`;
}

export function trialsTable(r: SimulationResult): string {
  const withTrials = r.classes.filter((c) => c.trials);
  if (withTrials.length === 0) return "";
  const rows = withTrials.map((c): Cell[] => {
    const t = c.trials!;
    const ps = (p: { p50: number; p95: number; p99: number; max: number }) => [p.p50, p.p95, p.p99, p.max].map((v) => formatMs(v)).join(" / ");
    return [c.name, ps(t.rpoMs), { text: formatShare(t.rpoMetShare), ok: t.rpoMetShare === 1 }, ps(t.rtoMs), { text: formatShare(t.rtoMetShare), ok: t.rtoMetShare === 1 }, { text: formatShare(t.metShare), ok: t.metShare === 1 }];
  });
  return htmlTable(["class", "RPO p50 / p95 / p99 / max", "RPO met", "RTO p50 / p95 / p99 / max", "RTO met", "all met"], rows, "trials");
}

/** What the linter says about the run's topology (undefined: not linted, no section). */
export function lintSection(r: SimulationResult, findings: readonly LintFinding[] | undefined): string {
  if (findings === undefined) return "";
  const head = `<h2>Lint findings for topology ${escapeHtml(r.topology)}</h2>`;
  if (findings.length === 0) return `<section class="lint">${head}<p class="ok">✓ No lint finding: every rule passes for this design.</p></section>`;
  const rows = findings.map((f): Cell[] => [f.severity === "error" ? { text: f.severity, ok: false } : f.severity, f.rule, `${f.file}:${f.line}:${f.column}`, f.message, f.hint]);
  const counts = ["error", "warning", "info"].map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const summary = counts.map(([s, n]) => `${n} ${s === "info" ? "note" : s}${n === 1 ? "" : "s"}`).join(", ");
  return `<section class="lint">${head}<p>${escapeHtml(summary)}, as <code>repl-lab validate</code> reports them.</p>${htmlTable(["severity", "rule", "where", "finding", "fix"], rows, "lint")}</section>`;
}
