// `repl-lab validate` end to end: the built binary, as CI runs it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
    // Wide enough that every message stays on its rule's line (the layout at 80 and 120 is tested in test/report).
    const { code, stdout } = validate("topologies/weak-answer.yaml", "--today", "2026-11-26", "--width", "300");
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
      // `details`, the long advice behind the short hint, is an addition to SPEC §4.
      assert.deepEqual(Object.keys(f), ["rule", "severity", "file", "line", "column", "message", "hint", ...("details" in f ? ["details"] : [])]);
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
    // The bundled designs' drills are run by a job (automated: true), so they never go stale; this fixture records a date.
    const late = validate(`${FIXTURES}/clean/design.yaml`, "--today", "2027-01-15", "--format", "json");
    assert.equal(late.code, 0);
    const [finding] = JSON.parse(late.stdout).findings;
    assert.equal(finding.rule, "restore-drill-overdue");
    assert.match(finding.message, /45 days overdue/);
    assert.equal(validate(`${FIXTURES}/clean/design.yaml`, "--today", "2027-01-15", "--strict").code, 1);
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
    assert.match(stderr, /does-not-exist\.yaml:1:1: cannot read the file: no such file/);
    assert.doesNotMatch(stderr, STACK);
  });

  test("invalid YAML: exit 2 with file:line:column", () => {
    const { code, stdout, stderr } = validate(`${FIXTURES}/bad/broken.yaml`);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /test\/fixtures\/lint\/bad\/broken\.yaml:\d+:\d+: invalid YAML/);
    assert.doesNotMatch(stderr, STACK);
  });

  test("bad input does not hide the other files: every bad file on stderr, the rest linted, exit 2", () => {
    const { code, stdout, stderr } = validate("topologies/weak-answer.yaml", `${FIXTURES}/bad`, "missing.yaml", "--today", "2026-11-26", "--width", "300");
    assert.equal(code, 2, "bad input wins over findings");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /broken\.yaml:\d+:\d+: /);
    assert.match(lines[1], /schema\.yaml:10:31: unknown key "sahre" — did you mean "share"\?/);
    assert.match(lines[2], /missing\.yaml:1:1: cannot read the file/);
    assert.match(stdout, /^ +18:12 +error +failover-without-fencing /m, "the good file is still linted");
    assert.match(stdout, /✖ \d+ errors, 0 warnings in 1 file; 3 files not linted \(bad input\)\n$/);
  });

  test("a drill file named on the command line is refused at its kind in every format, exit 2; in a folder it is passed over (it printed nothing and exited 0)", () => {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-validate-drill-"));
    try {
      const file = join(dir, "fakedrill.yaml");
      writeFileSync(file, "kind: drill\nfoo: 1\nbar: [x]\n");
      const message = "this is a drill file (kind: drill), which validate does not check: it lints topologies, scenarios and latency files";
      const text = validate(file);
      assert.equal(text.code, 2);
      assert.equal(text.stderr, `error ${file}:1:7: ${message}\n`);
      const json = validate(file, "--format", "json");
      assert.equal(json.code, 2, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.deepEqual([report.files, report.errors, report.findings[0].line, report.findings[0].column, report.findings[0].message], [[file], 1, 1, 7, message]);
      const github = validate(file, "--format", "github");
      assert.equal(github.code, 2);
      assert.match(github.stdout, new RegExp(`^::error file=${file},line=1,col=7,title=invalid-input::this is a drill file`, "m"));
      // The bundled drills sit in a folder beside designs: a scan passes over them.
      const folder = validate("drills/", "topologies/payments.yaml", "--today", "2026-11-26");
      assert.equal(folder.code, 0, folder.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

// Issue 13: bad input must reach stdout in every machine format (a SARIF result,
// a JSON finding, a JUnit failure, a workflow command), and the good files are
// still linted. Exit 2 stays.
describe("repl-lab validate: bad input in every format", () => {
  const GOOD = [
    "kind: topology",
    "name: good",
    "regions: { east: { zones: [a, b, c] } }",
    "nodes: { n1: { zone: east/a, role: leader }, n2: { zone: east/b } }",
    "replication: { mode: leader-follower }",
    "failover:",
    "  fencing: none",
    "data_classes: { logs: { rpo: 1m, rto: 5m } }",
    "",
  ].join("\n");
  // Where the problems are: the lint finding in good.yaml, the parse error in broken.yaml, the typo in schema.yaml.
  const FENCING = { line: 7, column: 12 };
  const BROKEN = { line: 4, column: 1 };
  const SCHEMA = { line: 10, column: 31 };

  function withInputs(body: (dir: string, paths: { good: string; broken: string; schema: string }) => void): void {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-validate-"));
    try {
      const paths = { good: join(dir, "good.yaml"), broken: join(dir, "broken.yaml"), schema: join(dir, "schema.yaml") };
      writeFileSync(paths.good, GOOD);
      writeFileSync(paths.broken, readFileSync(join(ROOT, FIXTURES, "bad/broken.yaml")));
      writeFileSync(paths.schema, readFileSync(join(ROOT, FIXTURES, "bad/schema.yaml")));
      body(dir, paths);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("text: the errors on stderr as before, the good file's findings on stdout, exit 2", () => {
    withInputs((dir, paths) => {
      const { code, stdout, stderr } = validate(dir, "--today", "2026-11-26", "--width", "300");
      assert.equal(code, 2);
      assert.equal(stderr.trimEnd().split("\n").length, 2, "one line per problem");
      assert.ok(stderr.includes(`${paths.broken}:${BROKEN.line}:${BROKEN.column}: invalid YAML`), stderr);
      assert.ok(stderr.includes(`${paths.schema}:${SCHEMA.line}:${SCHEMA.column}: unknown key "sahre"`), stderr);
      assert.doesNotMatch(stderr, STACK);
      assert.ok(stdout.startsWith(`✖ ${paths.good}\n`), stdout);
      assert.match(stdout, /^ +7:12 +error +failover-without-fencing /m);
      assert.match(stdout, /✖ 2 errors, 0 warnings in 1 file; 2 files not linted \(bad input\)\n$/);
    });
  });

  test("json: a finding per problem, counted in errors, next to the good file's findings", () => {
    withInputs((dir, paths) => {
      const { code, stdout, stderr } = validate(dir, "--format", "json", "--today", "2026-11-26");
      assert.equal(code, 2);
      assert.equal(stderr, "", "the problems are in the report");
      const parsed = JSON.parse(stdout);
      assert.deepEqual(Object.keys(parsed), ["files", "findings", "errors", "warnings"]);
      assert.deepEqual([...parsed.files].sort(), [paths.broken, paths.good, paths.schema].sort());
      for (const f of parsed.findings) assert.deepEqual(Object.keys(f), ["rule", "severity", "file", "line", "column", "message", "hint", ...("details" in f ? ["details"] : [])]);
      const at = (file: string, rule: string) => parsed.findings.find((f: { file: string; rule: string }) => f.file === file && f.rule === rule);
      assert.deepEqual(
        { ...at(paths.good, "failover-without-fencing"), message: undefined, hint: undefined, details: undefined },
        { rule: "failover-without-fencing", severity: "error", file: paths.good, ...FENCING, message: undefined, hint: undefined, details: undefined },
      );
      const broken = at(paths.broken, "invalid-input");
      assert.deepEqual({ severity: broken.severity, line: broken.line, column: broken.column }, { severity: "error", ...BROKEN });
      assert.match(broken.message, /^invalid YAML/);
      assert.ok(broken.hint.length > 20);
      const schema = at(paths.schema, "invalid-input");
      assert.deepEqual({ line: schema.line, column: schema.column }, SCHEMA);
      assert.match(schema.message, /unknown key "sahre" — did you mean "share"\?/);
      assert.equal(parsed.errors, parsed.findings.filter((f: { severity: string }) => f.severity === "error").length);
      assert.equal(parsed.errors, 4, "2 lint errors + 2 bad files");
    });
  });

  test("sarif: a result with the bad file's position, its rule in the driver's table", () => {
    withInputs((dir) => {
      const { code, stdout, stderr } = validate(dir, "--format", "sarif", "--today", "2026-11-26");
      assert.equal(code, 2);
      assert.equal(stderr, "");
      const run = JSON.parse(stdout).runs[0];
      const rules = run.tool.driver.rules;
      type Result = { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[] };
      const find = (name: string, rule: string) => run.results.find((r: Result) => r.ruleId === rule && r.locations[0].physicalLocation.artifactLocation.uri.endsWith(`/${name}`)) as Result | undefined;
      for (const [name, at] of [["broken.yaml", BROKEN], ["schema.yaml", SCHEMA]] as const) {
        const result = find(name, "invalid-input");
        assert.ok(result, `a result for ${name}`);
        assert.equal(result.level, "error");
        assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: at.line, startColumn: at.column });
        assert.equal(rules[result.ruleIndex!].id, "invalid-input");
      }
      const fencing = find("good.yaml", "failover-without-fencing");
      assert.ok(fencing, "the good file's findings are still there");
      assert.deepEqual(fencing.locations[0].physicalLocation.region, { startLine: FENCING.line, startColumn: FENCING.column });
    });
  });

  test("junit: a failed test case for each bad file, naming the file and line; counts agree", () => {
    withInputs((dir, paths) => {
      const { code, stdout, stderr } = validate(dir, "--format", "junit", "--today", "2026-11-26");
      assert.equal(code, 2);
      assert.equal(stderr, "");
      assert.match(stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
      assert.ok(stdout.trimEnd().endsWith("</testsuites>"));
      const failures = (stdout.match(/<failure /g) ?? []).length;
      assert.match(stdout, new RegExp(`<testsuites [^>]*failures="${failures}"`), "the total equals the <failure> elements");
      for (const suite of stdout.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"[^>]*>([\s\S]*?)<\/testsuite>/g)) {
        assert.equal(Number(suite[3]), (suite[4].match(/<failure /g) ?? []).length, `failures of ${suite[1]}`);
        assert.equal(Number(suite[2]), (suite[4].match(/<testcase /g) ?? []).length, `tests of ${suite[1]}`);
      }
      for (const [file, at] of [[paths.broken, BROKEN], [paths.schema, SCHEMA]] as const) {
        const suite = new RegExp(`<testsuite name="${escape(file)}" tests="1" failures="1"[^>]*>\\n\\s*<testcase name="schema" classname="${escape(file)}">\\n\\s*<failure type="error" message="[^"]+">${escape(file)}:${at.line}:${at.column}: error invalid-input: `);
        assert.match(stdout, suite, file);
      }
      assert.match(stdout, new RegExp(`<testcase name="failover-without-fencing" classname="${escape(paths.good)}">\\n\\s*<failure type="error"`));
    });
  });

  test("github: an ::error workflow command at the bad file's position", () => {
    withInputs((dir, paths) => {
      const { code, stdout, stderr } = validate(dir, "--format", "github", "--today", "2026-11-26");
      assert.equal(code, 2);
      assert.equal(stderr, "");
      const prop = (file: string) => escape(file.replace(/:/g, "%3A").replace(/,/g, "%2C"));
      assert.match(stdout, new RegExp(`^::error file=${prop(paths.broken)},line=${BROKEN.line},col=${BROKEN.column},title=invalid-input::invalid YAML`, "m"));
      assert.match(stdout, new RegExp(`^::error file=${prop(paths.schema)},line=${SCHEMA.line},col=${SCHEMA.column},title=invalid-input::unknown key "sahre"`, "m"));
      assert.match(stdout, new RegExp(`^::error file=${prop(paths.good)},line=${FENCING.line},col=${FENCING.column},title=failover-without-fencing::`, "m"));
      assert.match(stdout, /^repl-lab validate: 4 errors, 0 warnings in 3 files$/m);
    });
  });

  test("a missing file and an empty directory are reported in the format too, at 1:1", () => {
    withInputs((dir, paths) => {
      const empty = mkdtempSync(join(tmpdir(), "repl-lab-validate-empty-"));
      try {
        const missing = join(dir, "missing.yaml");
        const { code, stdout, stderr } = validate(paths.good, missing, empty, "--format", "json", "--today", "2026-11-26");
        assert.equal(code, 2);
        assert.equal(stderr, "");
        const parsed = JSON.parse(stdout);
        const input = parsed.findings.filter((f: { rule: string }) => f.rule === "invalid-input");
        const where = (file: string) => input.filter((f: { file: string }) => f.file === file).map((f: { line: number; column: number; message: string }) => [f.line, f.column, f.message]);
        assert.equal(input.length, 2);
        assert.match(String(where(missing)), /^1,1,cannot read the file/);
        assert.match(String(where(empty)), /^1,1,is a directory with no \.yaml or \.yml files/);
        assert.ok(parsed.findings.some((f: { file: string; rule: string }) => f.file === paths.good && f.rule === "failover-without-fencing"));
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  test("a scenario that slows the synchronous standby before the leader crash fails the RTO budget: exit 1 (found by a review: it passed while simulate missed the RTO every time)", () => {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-validate-"));
    try {
      const file = join(dir, "slow-standby.yaml");
      const inline = readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8")
        .split("\n")
        .map((l) => (l ? `  ${l}` : l))
        .join("\n");
      const faults = ["  - { at: 5s, slow: pg-b, apply_rate: 100 }", "  - { at: 60s, crash: pg-a }"];
      writeFileSync(file, ["kind: scenario", "name: slow-standby", "duration: 150s", "workload: { writes: 200, reads: 100, clients: 50 }", "faults:", ...faults, "topology:", inline].join("\n"));
      const { code, stdout } = validate(file, "--format", "json", "--today", "2026-11-26");
      const rules = JSON.parse(stdout).findings.map((f: { rule: string; severity: string }) => `${f.severity} ${f.rule}`);
      assert.deepEqual(rules, ["error rto-budget-exceeded", "error rto-budget-exceeded"]);
      assert.equal(code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("with only good files: no invalid-input finding, and JUnit counts one failure per <failure> element", () => {
    const json = JSON.parse(validate(...BUNDLED, "--format", "json", "--today", "2026-11-26").stdout);
    assert.ok(json.findings.every((f: { rule: string }) => f.rule !== "invalid-input"));
    const junit = validate(...BUNDLED, "--format", "junit", "--today", "2026-11-26").stdout;
    assert.match(junit, new RegExp(`<testsuites [^>]*failures="${(junit.match(/<failure /g) ?? []).length}"`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
