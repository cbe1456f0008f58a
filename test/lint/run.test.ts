// The runner over files: placement, deduplication, bad input, file kinds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { lintFiles, type LintRun } from "../../src/lint/run.js";
import { RULES, RULE_IDS } from "../../src/lint/rules/index.js";
import { lintText, TODAY, topology } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = join(ROOT, "test/fixtures/lint");

function run(files: string[], today = TODAY): LintRun {
  const outcome = lintFiles(files, { today });
  assert.ok(outcome.ok, outcome.ok ? "" : outcome.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return outcome.run;
}

describe("lintFiles", () => {
  test("a topology linted directly and through a scenario reports each finding once", () => {
    const { report } = run([join(FIXTURES, "scenario/topology.yaml"), join(FIXTURES, "scenario/scenario.yaml")]);
    const fencing = report.findings.filter((f) => f.rule === "failover-without-fencing");
    assert.equal(fencing.length, 1);
    assert.ok(fencing[0].file.endsWith("topology.yaml"));
    // The scenario's 10,000 clients add a 20s reconnect storm that only the scenario context sees.
    const rto = report.findings.filter((f) => f.rule === "rto-budget-exceeded");
    assert.equal(rto.length, 1);
    assert.match(rto[0].message, /storm 20s/);
    assert.equal(report.files.length, 2);
    assert.deepEqual([report.errors, report.warnings], [2, 0]);
  });

  test("a scenario brings its topology's file into the report", () => {
    const { report } = run([join(FIXTURES, "scenario/scenario.yaml")]);
    assert.equal(report.files.length, 2);
    assert.ok(report.findings.every((f) => f.file.endsWith("topology.yaml")));
  });

  test("bad input in any file: every file's diagnostics, no report", () => {
    const outcome = lintFiles([join(FIXTURES, "bad/broken.yaml"), join(FIXTURES, "clean/design.yaml"), join(FIXTURES, "bad/schema.yaml"), join(FIXTURES, "missing.yaml")], { today: TODAY });
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    const files = outcome.diagnostics.map((d) => d.file.split(/[\\/]/).pop());
    assert.deepEqual(files, ["broken.yaml", "schema.yaml", "missing.yaml"]);
    assert.ok(outcome.diagnostics[0].line > 0 && outcome.diagnostics[0].column > 0);
    assert.match(outcome.diagnostics[1].message, /did you mean "share"/);
  });

  test("latency files are schema-checked only; drill files are skipped", () => {
    const { report, checked } = run([join(FIXTURES, "clean/wars.yaml")]);
    assert.deepEqual(report.findings, []);
    assert.equal(report.files.length, 1);
    assert.deepEqual(checked.get(report.files[0]), ["unknown-rule-id"]);
  });

  test("every rule is checked on a topology file, in registry order", () => {
    const { checked, report } = run([join(FIXTURES, "clean/design.yaml")]);
    assert.deepEqual(checked.get(report.files[0]), RULE_IDS);
  });

  test("findings are sorted by file, then position", () => {
    const { report } = run([join(ROOT, "topologies/weak-answer.yaml")]);
    const positions = report.findings.map((f) => f.line * 1000 + f.column);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  });
});

describe("the base fixture and the bundled designs", () => {
  test("the test base design trips no rule", () => {
    assert.deepEqual(lintText(topology()), []);
  });

  test("rule ids are unique and every rule describes itself and teaches a fix", () => {
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
    for (const rule of RULES) {
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(rule.description.length > 20 && rule.hint.length > 40, rule.id);
    }
  });

  test("payments.yaml (the material's worked example) has no errors", () => {
    const { report } = run([join(ROOT, "topologies/payments.yaml")], new Date("2026-11-26T00:00:00Z"));
    assert.equal(report.errors, 0);
    // Its one strict sync standby is the worked example's deliberate choice; see the next test.
    assert.deepEqual(report.findings.map((f) => f.rule).filter((r) => r !== "strict-single-sync"), []);
  });

  test("payments.yaml is clean once its single strict standby is acknowledged", () => {
    const text = readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8").replace(
      /^(\s*standbys: "FIRST 1 \(pg-b\)".*)$/m,
      "$1 # repl-lab: ignore strict-single-sync",
    );
    assert.deepEqual(lintText(text, { file: "payments.yaml" }), []);
  });

  test("weak-answer.yaml trips the rules the weak interview answer deserves", () => {
    const { report } = run([join(ROOT, "topologies/weak-answer.yaml")], new Date("2026-11-26T00:00:00Z"));
    const tripped = new Set(report.findings.map((f) => f.rule));
    for (const id of ["rpo-zero-without-sync", "rto-budget-exceeded", "dns-ttl-exceeds-rto", "failover-without-fencing", "reads-stale-replica", "no-backups"]) {
      assert.ok(tripped.has(id), `weak-answer.yaml should trip ${id}`);
    }
    assert.ok(report.errors >= 6);
  });
});
