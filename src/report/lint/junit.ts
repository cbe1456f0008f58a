// JUnit XML for CI test dashboards: a test suite per file, a test case per
// rule checked there. Errors fail their test case; warnings fail it only with
// --strict (the exit code's rule), and are otherwise kept in <system-out>.
// A failed test case has one <failure> holding all its findings, so the
// failures attributes count <failure> elements. A file that did not load has
// only its schema case, failed by its invalid-input findings.
import type { Finding, LintReport } from "../../lint/types.js";
import { INVALID_INPUT } from "./input.js";

export interface JunitOptions {
  strict: boolean;
  /** Rule ids checked per file; a file missing here has only its schema check. */
  checked: ReadonlyMap<string, readonly string[]>;
}

export function renderLintJunit(report: LintReport, options: JunitOptions): string {
  const suites = report.files.map((file) => suite(file, report.findings.filter((f) => f.file === file), options));
  const tests = suites.reduce((sum, s) => sum + s.tests, 0);
  const failures = suites.reduce((sum, s) => sum + s.failures, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="repl-lab validate" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites.map((s) => s.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}

function suite(file: string, findings: Finding[], options: JunitOptions): { xml: string; tests: number; failures: number } {
  // Loading the file is a check of its own (the schema): it fails with the file's invalid-input findings.
  const caseOf = (f: Finding) => (f.rule === INVALID_INPUT.id ? SCHEMA_CASE : f.rule);
  const rules = [SCHEMA_CASE, ...(options.checked.get(file) ?? [])];
  const extra = [...new Set(findings.map(caseOf))].filter((r) => !rules.includes(r));
  let failures = 0;
  const cases = [...rules, ...extra].map((rule) => {
    const mine = findings.filter((f) => caseOf(f) === rule);
    const failing = mine.filter((f) => f.severity === "error" || (options.strict && f.severity === "warning"));
    const quiet = mine.filter((f) => !failing.includes(f));
    if (failing.length > 0) failures++;
    const body = [
      ...(failing.length > 0 ? [failure(failing)] : []),
      ...(quiet.length > 0 ? [`      <system-out>${text(quiet.map(detail).join("\n\n"))}</system-out>`] : []),
    ];
    const open = `    <testcase name="${attr(rule)}" classname="${attr(file)}"`;
    return body.length === 0 ? `${open}/>` : [`${open}>`, ...body, `    </testcase>`].join("\n");
  });
  const xml = [`  <testsuite name="${attr(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`, ...cases, `  </testsuite>`].join("\n");
  return { xml, tests: cases.length, failures };
}

const SCHEMA_CASE = "schema";

/** One <failure> for a test case: the first message (and how many more), every finding in its text. */
function failure(failing: Finding[]): string {
  const type = failing.some((f) => f.severity === "error") ? "error" : failing[0].severity;
  const message = failing.length === 1 ? failing[0].message : `${failing[0].message} (and ${failing.length - 1} more)`;
  return `      <failure type="${attr(type)}" message="${attr(message)}">${text(failing.map(detail).join("\n\n"))}</failure>`;
}

function detail(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}\nhint: ${f.hint}`;
}

/** Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/F) are dropped. */
function clean(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
}

export function text(value: string): string {
  return clean(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function attr(value: string): string {
  // Newlines and tabs are written as character references, or attribute normalisation turns them into spaces.
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
