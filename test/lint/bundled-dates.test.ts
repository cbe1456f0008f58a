// Bundled designs must not rot (issue 13): what `validate` says about every
// bundled file (topologies/, scenarios/, the README's example files) must not
// depend on the day it runs. Date-based rules compare with `--today`; the
// bundled designs record their restore drills as run by a job (automated: true)
// rather than by a date that falls behind, and a design that does record a date
// is demonstrated with an explicit --today (test/fixtures/lint/clean).
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { expandInputs } from "../../src/cli/files.js";
import { lintInputs } from "../../src/lint/run.js";
import { formatDiagnostic } from "../../src/model/diagnostics.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BUNDLED = ["topologies", "scenarios", "docs/examples"].map((dir) => join(ROOT, dir));

/** Every finding and every bad-input problem, one line each, for the given day. */
function verdict(today: Date): string[] {
  const { run, diagnostics } = lintInputs(expandInputs(BUNDLED), { today });
  return [
    ...run.report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`),
    ...diagnostics.map(formatDiagnostic),
  ];
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

test("every bundled file gets the same findings on days years apart and on the real clock", () => {
  const now = new Date();
  const realToday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const reference = verdict(day("2026-11-26"));
  assert.ok(reference.length > 0, "the bundled files include designs with findings (weak-answer.yaml) and bad input (docs/examples/bad.yaml)");
  for (const today of [day("2019-03-01"), day("2026-12-02"), day("2031-06-15"), day("2049-12-31"), realToday]) {
    assert.deepEqual(verdict(today), reference, `findings on ${today.toISOString().slice(0, 10)} differ from those on 2026-11-26`);
  }
});

test("no bundled design carries a date-based finding, and none records a drill date that will fall behind", () => {
  const findings = verdict(day("2049-12-31"));
  assert.deepEqual(
    findings.filter((f) => / restore-drill-(overdue|missing):/.test(f)),
    [],
  );
});

test("payments.yaml, which the README says validates clean, is clean on any day", () => {
  for (const today of [day("2026-11-26"), day("2026-12-02"), day("2040-01-01")]) {
    const { run, diagnostics } = lintInputs([join(ROOT, "topologies/payments.yaml")], { today });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(run.report.findings, [], today.toISOString());
  }
});
