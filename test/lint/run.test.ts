// The runner over files: placement, deduplication, bad input, file kinds.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-lint-"));
    try {
      const drill = join(dir, "drill.yaml");
      writeFileSync(drill, "kind: drill\nid: whatever\n");
      const { report, checked } = run([join(FIXTURES, "clean/wars.yaml"), drill]);
      assert.deepEqual(report.findings, []);
      assert.equal(report.files.length, 1);
      assert.ok(report.files[0].endsWith("wars.yaml"));
      assert.deepEqual(checked.get(report.files[0]), ["unknown-rule-id"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a scenario's ignore list and ignore-file comments apply to the topology it brings in", () => {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-lint-"));
    try {
      const topologyFile = join(FIXTURES, "scenario/topology.yaml");
      const scenario = (head: string) => `${head}kind: scenario\nname: s\ntopology: ${JSON.stringify(topologyFile)}\nduration: 60s\nworkload: { writes: 10, clients: 10 }\n`;
      const byList = join(dir, "by-list.yaml");
      writeFileSync(byList, `${scenario("")}ignore: [failover-without-fencing, no-such-rule]\n`);
      const byComment = join(dir, "by-comment.yaml");
      writeFileSync(byComment, scenario("# repl-lab: ignore-file failover-without-fencing\n"));
      for (const file of [byList, byComment]) {
        const { report } = run([file]);
        assert.ok(!report.findings.some((f) => f.rule === "failover-without-fencing"), file);
      }
      const unknown = run([byList]).report.findings.filter((f) => f.rule === "unknown-rule-id");
      assert.equal(unknown.length, 1);
      assert.ok(unknown[0].file.endsWith("by-list.yaml"));
      assert.deepEqual([unknown[0].line, unknown[0].column], [6, 36]);
      // Linted directly, the topology still reports it: the scenario's ignores are the scenario's.
      assert.ok(run([topologyFile, byList]).report.findings.some((f) => f.rule === "failover-without-fencing"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every rule that applies to a design is checked on its file, in registry order", () => {
    const { checked, report } = run([join(FIXTURES, "clean/design.yaml")]);
    // A leader/follower design with a lease, a proxy and backups: the quorum, multi-leader and consensus rules do not apply.
    const notApplying = ["dns-ttl-exceeds-rto", "quorum-not-strong", "quorum-exceeds-n", "quorum-write-all", "quorum-lost-with-zone", "sloppy-quorum-cassandra", "lww-clock-skew", "leaderless-lww-rpo-zero", "multi-leader-lww-rpo-zero", "multi-leader-apply-too-slow", "consensus-too-few-regions", "election-timeout-too-short", "election-timeout-few-heartbeats", "consensus-failover-ignored"];
    assert.deepEqual(checked.get(report.files[0]), RULE_IDS.filter((id) => !notApplying.includes(id)));
  });

  test("a leaderless design is checked by the quorum rules, not by the failover rules", () => {
    const { checked, report } = run([join(ROOT, "topologies/dynamo-n5.yaml")]);
    const ids = checked.get(report.files[0]) ?? [];
    for (const id of ["quorum-not-strong", "quorum-exceeds-n", "quorum-write-all", "lww-clock-skew", "leaderless-lww-rpo-zero", "rpo-zero-without-sync", "no-backups", "unknown-rule-id"]) assert.ok(ids.includes(id), id);
    for (const id of ["failover-without-fencing", "rto-budget-exceeded", "lease-ttl-too-short", "strict-single-sync", "reads-stale-replica"]) assert.ok(!ids.includes(id), id);
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
      assert.ok(rule.hint.length <= 100 && !rule.hint.includes("\n"), `${rule.id}: a hint is one short line`);
    }
  });

  test("payments.yaml (the material's worked example) is clean", () => {
    // Its one listed sync standby is not a single point of failure: Patroni re-picks another healthy replica.
    const { report } = run([join(ROOT, "topologies/payments.yaml")], new Date("2026-11-26T00:00:00Z"));
    assert.deepEqual(report.findings, []);
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
