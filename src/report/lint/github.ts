// GitHub Actions workflow commands: each finding becomes an annotation on the
// pull request's diff. Data is escaped as the runner expects (%, CR, LF), and
// property values also escape ":" and "," which delimit the properties.
import type { LintReport, Severity } from "../../lint/types.js";
import { summaryText } from "./text.js";

export function renderLintGithub(report: LintReport): string {
  const lines = report.findings.map((f) => {
    const properties = [`file=${escapeProperty(f.file.replace(/\\/g, "/"))}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(f.rule)}`].join(",");
    return `::${command(f.severity)} ${properties}::${escapeData(`${f.message}\n\nHint: ${f.hint} (see: repl-lab rules ${f.rule})`)}`;
  });
  lines.push(`repl-lab validate: ${summaryText(report)}`);
  return `${lines.join("\n")}\n`;
}

function command(severity: Severity): string {
  return severity === "info" ? "notice" : severity;
}

export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
