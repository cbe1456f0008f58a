// Bad input as findings (issue 13): each diagnostic of a file that did not
// load becomes an error finding of the pseudo-rule `invalid-input` (described
// in src/lint/rules/invalid-input.ts), which every format carries like any
// other finding.
import type { Diagnostic } from "../../model/diagnostics.js";
import { FILE_HINT, invalidInput } from "../../lint/rules/invalid-input.js";
import type { Finding, LintReport, RuleInfo } from "../../lint/types.js";

export type { RuleInfo };

export const INVALID_INPUT: RuleInfo = invalidInput;

/** One error finding per diagnostic; a problem with the whole file points at 1:1, as lines and columns are 1-based. */
export function inputFindings(diagnostics: readonly Diagnostic[]): Finding[] {
  return diagnostics.map((d) => ({
    rule: INVALID_INPUT.id,
    severity: INVALID_INPUT.severity,
    file: d.file,
    line: d.line > 0 ? d.line : 1,
    column: d.line > 0 && d.column > 0 ? d.column : 1,
    message: d.message,
    hint: d.line > 0 && d.wholeFile !== true ? INVALID_INPUT.hint : FILE_HINT,
    details: INVALID_INPUT.docs.fix,
  }));
}

/** The report with the bad files added after the linted ones and their problems counted as errors. */
export function withBadInput(report: LintReport, diagnostics: readonly Diagnostic[]): LintReport {
  if (diagnostics.length === 0) return report;
  const findings = inputFindings(diagnostics);
  return {
    files: [...new Set([...report.files, ...findings.map((f) => f.file)])],
    findings: [...report.findings, ...findings],
    errors: report.errors + findings.length,
    warnings: report.warnings,
  };
}
