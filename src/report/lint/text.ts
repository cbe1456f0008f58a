// The human format of `validate`: findings grouped by file, one aligned line
// each (position, severity, rule, message) with its short hint and where the
// rule's page is underneath (the long advice too, with --verbose), a ✓ for a
// clean file, then a one-line summary (which counts the files that were bad
// input: their problems are on stderr, and they are never a ✓). Messages and
// hints word-wrap to the width with hanging indents.
import type { ChalkInstance } from "chalk";
import { DEFAULT_WIDTH, lineWidth, wrapHanging } from "../common/layout.js";
import type { Finding, LintReport, Severity } from "../../lint/types.js";

export interface TextOptions {
  /** Files that were not linted because they are bad input. */
  badFiles?: number;
  /** Show each finding's long advice under its hint. */
  verbose?: boolean;
  /** The columns to fit (default 100). */
  width?: number;
}

export function renderLintText(report: LintReport, color: ChalkInstance, options: TextOptions = {}): string {
  const blocks: string[] = [];
  for (const file of report.files) {
    const findings = report.findings.filter((f) => f.file === file);
    if (findings.length === 0) {
      blocks.push(`${color.green("✓")} ${file}`);
      continue;
    }
    const worst = findings.some((f) => f.severity === "error") ? color.red("✖") : color.yellow("⚠");
    blocks.push([`${worst} ${color.bold(file)}`, ...fileLines(findings, color, options.width ?? DEFAULT_WIDTH, options.verbose ?? false)].join("\n"));
  }
  blocks.push(summaryLine(report, color, options.badFiles ?? 0));
  return `${blocks.join("\n\n")}\n`;
}

/** With this many columns beside the rule, messages go there; with fewer, only when each fits on its line. */
const MESSAGE_MIN_WIDTH = 60;

function fileLines(findings: Finding[], color: ChalkInstance, width: number, verbose: boolean): string[] {
  const position = (f: Finding) => `${f.line}:${f.column}`;
  const positionWidth = Math.max(...findings.map((f) => position(f).length));
  const ruleWidth = Math.max(...findings.map((f) => f.rule.length));
  const indent = " ".repeat(2 + positionWidth + 2);
  const messageColumn = " ".repeat(lineWidth(indent) + 7 + 2 + ruleWidth + 2);
  const room = width - messageColumn.length;
  // Beside the rule when there is room for prose (or every message is short); else under it, at the hint's indent.
  const beside = room >= MESSAGE_MIN_WIDTH || findings.every((f) => lineWidth(f.message) <= room);
  return findings.flatMap((f) => {
    const head = `  ${color.dim(position(f).padEnd(positionWidth))}  ${paint(f.severity, f.severity.padEnd(7), color)}  ${f.rule.padEnd(ruleWidth)}`;
    const message = beside ? wrapHanging(f.message, width, `${head}  `, messageColumn) : [head.trimEnd(), ...wrapHanging(f.message, width, indent)];
    // The hint continues under its own first word, past "hint: ".
    const hint = wrapHanging(`${f.hint} (see: repl-lab rules ${f.rule})`, width, `${indent}hint: `, `${indent}      `).map((l) => indent + color.dim(l.slice(indent.length)));
    const details = verbose && f.details ? wrapHanging(f.details, width, indent).map((l) => indent + color.dim(l.slice(indent.length))) : [];
    return [...message, ...hint, ...details];
  });
}

export function paint(severity: Severity, text: string, color: ChalkInstance): string {
  return severity === "error" ? color.red(text) : severity === "warning" ? color.yellow(text) : color.blue(text);
}

/** "2 errors, 3 warnings in 4 files". */
export function summaryText(report: LintReport): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${count(report.errors, "error")}, ${count(report.warnings, "warning")} in ${count(report.files.length, "file")}`;
}

function summaryLine(report: LintReport, color: ChalkInstance, badFiles: number): string {
  const mark = report.errors > 0 || badFiles > 0 ? color.red("✖") : report.warnings > 0 ? color.yellow("⚠") : color.green("✓");
  const bad = badFiles > 0 ? `; ${badFiles} file${badFiles === 1 ? "" : "s"} not linted (bad input)` : "";
  return `${mark} ${summaryText(report)}${bad}`;
}
