// The human format of `validate`: findings grouped by file, one aligned line
// each (position, severity, rule, message) with its short hint and where the
// rule's page is underneath (the long advice too, with --verbose), a ✓ for a
// clean file, then a one-line summary (which counts the files that were bad
// input: their problems are on stderr, and they are never a ✓).
import type { ChalkInstance } from "chalk";
import type { Finding, LintReport, Severity } from "../../lint/types.js";

export interface TextOptions {
  /** Files that were not linted because they are bad input. */
  badFiles?: number;
  /** Show each finding's long advice under its hint. */
  verbose?: boolean;
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
    blocks.push([`${worst} ${color.bold(file)}`, ...fileLines(findings, color, options.verbose ?? false)].join("\n"));
  }
  blocks.push(summaryLine(report, color, options.badFiles ?? 0));
  return `${blocks.join("\n\n")}\n`;
}

function fileLines(findings: Finding[], color: ChalkInstance, verbose: boolean): string[] {
  const position = (f: Finding) => `${f.line}:${f.column}`;
  const positionWidth = Math.max(...findings.map((f) => position(f).length));
  const ruleWidth = Math.max(...findings.map((f) => f.rule.length));
  const indent = " ".repeat(2 + positionWidth + 2);
  return findings.flatMap((f) => [
    `  ${color.dim(position(f).padEnd(positionWidth))}  ${paint(f.severity, f.severity.padEnd(7), color)}  ${f.rule.padEnd(ruleWidth)}  ${f.message}`,
    `${indent}${color.dim(`hint: ${f.hint} (see: repl-lab rules ${f.rule})`)}`,
    ...(verbose && f.details ? [`${indent}${color.dim(f.details)}`] : []),
  ]);
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
