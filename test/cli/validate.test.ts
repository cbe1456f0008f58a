// `repl-lab validate` end to end: the built binary, as CI runs it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = "test/fixtures/lint";
// The two bundled designs this linter is judged by (topologies/ holds more, owned by other features).
const BUNDLED = ["topologies/payments.yaml", "topologies/weak-answer.yaml"];
const STACK = /^\s+at .*(\.[mc]?[jt]s|node:internal)/m;

function validate(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/repl-lab.js", "validate", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("repl-lab validate", () => {
  test("payments.yaml, the material's worked example, is clean: exit 0", () => {
    const { code, stdout, stderr } = validate("topologies/payments.yaml", "--today", "2026-11-26");
    assert.equal(stderr, "");
    assert.equal(stdout, "✓ topologies/payments.yaml\n\n✓ 0 errors, 0 warnings in 1 file\n");
    assert.equal(code, 0);
  });

  test("weak-answer.yaml, the weak interview answer, fails: exit 1", () => {
    const { code, stdout } = validate("topologies/weak-answer.yaml", "--today", "2026-11-26");
    assert.equal(code, 1);
    for (const rule of ["rpo-zero-without-sync", "rto-budget-exceeded", "dns-ttl-exceeds-rto", "failover-without-fencing", "reads-stale-replica", "no-backups"]) {
      assert.match(stdout, new RegExp(`^ +\\d+:\\d+ +error +${rule} `, "m"), rule);
    }
    assert.match(stdout, /^ +18:12 +error +failover-without-fencing +automatic failover with fencing: none/m);
    assert.match(stdout, /detect 30s \+ fence 0s \+ elect 200ms \+ promote 5s \+ endpoint 5m \+ reconnect 5s/);
    assert.match(stdout, /^ +hint: /m);
    assert.match(stdout, /✖ \d+ errors, 0 warnings in 1 file\n$/);
    assert.doesNotMatch(stdout, /\u001b\[/, "NO_COLOR means no colour");
  });

  test("a directory: every YAML file under it, latency files schema-checked only", () => {
    const { code, stdout } = validate(`${FIXTURES}/clean`, "--today", "2026-11-26");
    assert.equal(code, 0);
    assert.equal(stdout, `✓ ${FIXTURES}/clean/design.yaml\n\n✓ ${FIXTURES}/clean/wars.yaml\n\n✓ 0 errors, 0 warnings in 2 files\n`);
  });

  test("--format json has exactly the SPEC §4 shape", () => {
    const { code, stdout } = validate(...BUNDLED, "--format", "json", "--today", "2026-11-26");
    assert.equal(code, 1);
    const parsed = JSON.parse(stdout);
    assert.deepEqual(Object.keys(parsed), ["files", "findings", "errors", "warnings"]);
    assert.deepEqual(parsed.files, ["topologies/payments.yaml", "topologies/weak-answer.yaml"]);
    assert.equal(parsed.errors, parsed.findings.filter((f: { severity: string }) => f.severity === "error").length);
    for (const f of parsed.findings) {
      assert.deepEqual(Object.keys(f), ["rule", "severity", "file", "line", "column", "message", "hint"]);
      assert.ok(Number.isInteger(f.line) && f.line > 0 && Number.isInteger(f.column) && f.column > 0);
    }
  });

  test("warnings alone exit 0; with --strict, 1", () => {
    const lenient = validate(`${FIXTURES}/warnings`, "--today", "2026-11-26");
    assert.equal(lenient.code, 0);
    assert.match(lenient.stdout, /warning +strict-single-sync/);
    assert.match(lenient.stdout, /0 errors, 2 warnings in 1 file/);
    assert.equal(validate(`${FIXTURES}/warnings`, "--strict", "--today", "2026-11-26").code, 1);
    assert.equal(validate(`${FIXTURES}/clean`, "--strict", "--today", "2026-11-26").code, 0);
  });

  test("--today decides whether the restore drill is overdue", () => {
    const late = validate("topologies/payments.yaml", "--today", "2027-01-15", "--format", "json");
    assert.equal(late.code, 0);
    const [finding] = JSON.parse(late.stdout).findings;
    assert.equal(finding.rule, "restore-drill-overdue");
    assert.match(finding.message, /45 days overdue/);
    assert.equal(validate("topologies/payments.yaml", "--today", "2027-01-15", "--strict").code, 1);
  });

  test("a scenario and its topology: findings once, in the topology's file", () => {
    const { code, stdout } = validate(`${FIXTURES}/scenario/topology.yaml`, `${FIXTURES}/scenario/scenario.yaml`, "--format", "json", "--today", "2026-11-26");
    assert.equal(code, 1);
    const parsed = JSON.parse(stdout);
    assert.equal(parsed.findings.filter((f: { rule: string }) => f.rule === "failover-without-fencing").length, 1);
    assert.ok(parsed.findings.every((f: { file: string }) => f.file === `${FIXTURES}/scenario/topology.yaml`));
  });

  test("a missing file: exit 2, its name on stderr, no stack trace", () => {
    const { code, stdout, stderr } = validate("does-not-exist.yaml");
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /does-not-exist\.yaml: cannot read the file: no such file/);
    assert.doesNotMatch(stderr, STACK);
  });

  test("invalid YAML: exit 2 with file:line:column", () => {
    const { code, stdout, stderr } = validate(`${FIXTURES}/bad/broken.yaml`);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /test\/fixtures\/lint\/bad\/broken\.yaml:\d+:\d+: invalid YAML/);
    assert.doesNotMatch(stderr, STACK);
  });

  test("bad input wins over findings, and every bad file is reported", () => {
    const { code, stdout, stderr } = validate("topologies/weak-answer.yaml", `${FIXTURES}/bad`, "missing.yaml");
    assert.equal(code, 2);
    assert.equal(stdout, "", "no report when the input is bad");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /broken\.yaml:\d+:\d+: /);
    assert.match(lines[1], /schema\.yaml:10:31: unknown key "sahre" — did you mean "share"\?/);
    assert.match(lines[2], /missing\.yaml: cannot read the file/);
  });

  test("an empty directory and a bad flag are usage errors", () => {
    const empty = mkdtempSync(join(tmpdir(), "repl-lab-validate-"));
    try {
      const result = validate(empty);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no \.yaml or \.yml files/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    assert.equal(validate(BUNDLED[0], "--today", "26/11/2026").code, 2);
    assert.equal(validate(BUNDLED[0], "--format", "xml").code, 2);
  });

  test("--format sarif, junit and github", () => {
    const sarif = JSON.parse(validate(...BUNDLED, "--format", "sarif", "--today", "2026-11-26").stdout);
    assert.equal(sarif.version, "2.1.0");
    assert.equal(sarif.runs[0].tool.driver.version, "0.1.0");
    assert.ok(sarif.runs[0].results.every((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri === "topologies/weak-answer.yaml"));

    const junit = validate(...BUNDLED, "--format", "junit", "--today", "2026-11-26");
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.match(junit.stdout, /<testsuite name="topologies\/payments\.yaml" tests="\d+" failures="0"/);

    const github = validate(...BUNDLED, "--format", "github", "--today", "2026-11-26");
    assert.match(github.stdout, /^::error file=topologies\/weak-answer\.yaml,line=18,col=12,title=failover-without-fencing::automatic failover/m);
  });

  test("ignore comments and lists work from files", () => {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-validate-"));
    try {
      const file = join(dir, "ignored.yaml");
      writeFileSync(
        file,
        [
          "# repl-lab: ignore-file no-backups",
          "kind: topology",
          "name: ignored",
          "regions: { east: { zones: [a, b, c] } }",
          "nodes: { n1: { zone: east/a, role: leader }, n2: { zone: east/b } }",
          "replication: { mode: leader-follower }",
          "failover:",
          "  fencing: none # repl-lab: ignore failover-without-fencing -- a lab",
          "data_classes: { logs: { rpo: 1m, rto: 5m } }",
          "ignore: [no-backup]",
          "",
        ].join("\n"),
      );
      const { code, stdout } = validate(file, "--format", "json");
      const parsed = JSON.parse(stdout);
      assert.deepEqual(
        parsed.findings.map((f: { rule: string; line: number; column: number }) => `${f.rule}@${f.line}:${f.column}`),
        ["unknown-rule-id@10:10"],
      );
      assert.match(parsed.findings[0].message, /did you mean "no-backups"/);
      assert.equal(code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
