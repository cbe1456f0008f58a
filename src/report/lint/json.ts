// The documented JSON: `validate --format json` prints exactly these keys, in
// this order; `details` (the long advice behind the short hint) is added when
// there is one.
import type { LintReport } from "../../lint/types.js";

export function renderLintJson(report: LintReport): string {
  const out = {
    files: report.files,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
      hint: f.hint,
      ...(f.details ? { details: f.details } : {}),
    })),
    errors: report.errors,
    warnings: report.warnings,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
