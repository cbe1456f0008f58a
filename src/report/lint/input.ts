// Bad input as findings (issue 13). A file that cannot be read, parsed or
// loaded is not linted, but CI still needs to see it in the format it asked
// for: each diagnostic becomes an error finding of the pseudo-rule
// `invalid-input`, which the machine formats carry like any other finding.
// It is not a lint Rule: `validate` never runs it, and an ignore list cannot
// name it (a file that does not load has no ignore list to read).
import type { Diagnostic } from "../../model/diagnostics.js";
import type { Finding, LintReport, Rule } from "../../lint/types.js";

/** What a rule table (SARIF's driver rules) needs to describe a rule. */
export type RuleInfo = Pick<Rule, "id" | "severity" | "description" | "hint">;

export const INVALID_INPUT: RuleInfo = {
  id: "invalid-input",
  severity: "error",
  description: "A file could not be read, parsed as YAML or loaded against the file format, so none of its design was linted.",
  hint: "Fix the problem at this position so the file loads (`repl-lab schema` prints the JSON Schema of the file format, for editor completion); its design is linted once it does.",
};

/** The hint for a problem with the whole file (line 0: missing, unreadable, too large, a directory). */
const FILE_HINT = "Check the path, its permissions and its size: a file must be a readable YAML text file, and a directory must hold .yaml or .yml files. Nothing in it was linted.";

/** One error finding per diagnostic; a problem with the whole file points at 1:1, as lines and columns are 1-based. */
export function inputFindings(diagnostics: readonly Diagnostic[]): Finding[] {
  return diagnostics.map((d) => ({
    rule: INVALID_INPUT.id,
    severity: INVALID_INPUT.severity,
    file: d.file,
    line: d.line > 0 ? d.line : 1,
    column: d.line > 0 && d.column > 0 ? d.column : 1,
    message: d.message,
    hint: d.line > 0 ? INVALID_INPUT.hint : FILE_HINT,
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
