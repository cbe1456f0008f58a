// Issue 13, end to end: a scenario with three mistakes (a missing `writes`, an
// unknown node, a fault after the end) among good files. Every mistake is its
// own finding at its own file:line:column in every format of `validate`, the
// good files are still linted, JUnit's counts add up and list only the rules
// that apply, and `simulate` prints all three on stderr. Exit 2 throughout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const BAD = [
  "kind: scenario", // 1
  "name: three-mistakes", // 2
  `topology: ${join(ROOT, "topologies/payments.yaml")}`, // 3
  "duration: 2m", // 4
  "workload: { reads: 100 }", // 5: writes is missing
  "faults:", // 6
  "  - { at: 30s, crash: pg-z }", // 7: no such node
  "  - { at: 3h, recover: pg-a }", // 8: after the end
  "",
].join("\n");
/** The three problems: line, column, and what the message says. */
const PROBLEMS: [number, number, RegExp][] = [
  [5, 11, /missing required key "writes"/],
  [7, 23, /unknown node "pg-z" — did you mean "pg-a"\?/],
  [8, 11, /after the scenario ends/],
];

let dir: string;
let bad: string;
// Relative to the root the CLI runs in, as reports name them.
const good = ["topologies/weak-answer.yaml", "topologies/dynamo-n5.yaml"];

before(() => {
  dir = mkdtempSync(join(tmpdir(), "repl-lab-every-problem-"));
  bad = join(dir, "bad.yaml");
  writeFileSync(bad, BAD);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const validate = (...args: string[]) => cli("validate", good[0], bad, good[1], "--today", "2026-11-26", ...args);

describe("every problem of a bad file, in every format, beside the good files", () => {
  test("text: each problem on stderr with file:line:column, the good files linted on stdout", () => {
    const { code, stdout, stderr } = validate();
    assert.equal(code, 2);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, PROBLEMS.length, stderr);
    PROBLEMS.forEach(([line, column, message], i) => {
      assert.ok(lines[i].startsWith(`error ${bad}:${line}:${column}: `), lines[i]);
      assert.match(lines[i], message);
    });
    assert.match(stdout, /weak-answer\.yaml/);
    assert.match(stdout, /failover-without-fencing/);
    assert.match(stdout, /hint: .* \(see: repl-lab rules [a-z-]+\)$/m);
  });

  test("json: one invalid-input finding per problem, at its position", () => {
    const { code, stdout, stderr } = validate("--format", "json");
    assert.equal(code, 2);
    assert.equal(stderr, "");
    const parsed = JSON.parse(stdout);
    const found = parsed.findings.filter((f: { file: string }) => f.file === bad);
    assert.deepEqual(
      found.map((f: { rule: string; line: number; column: number }) => [f.rule, f.line, f.column]),
      PROBLEMS.map(([line, column]) => ["invalid-input", line, column]),
    );
    PROBLEMS.forEach(([, , message], i) => assert.match(found[i].message, message));
    assert.ok(parsed.findings.some((f: { file: string }) => f.file === good[0]), "the good files are still linted");
  });

  test("sarif: one result per problem with a region; the rules carry help and an absolute helpUri", () => {
    const { code, stdout } = validate("--format", "sarif");
    assert.equal(code, 2);
    const run = JSON.parse(stdout).runs[0];
    type Result = { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] };
    const regions = run.results
      .filter((r: Result) => r.locations[0].physicalLocation.artifactLocation.uri.endsWith("/bad.yaml"))
      .map((r: Result) => [r.ruleId, r.locations[0].physicalLocation.region.startLine, r.locations[0].physicalLocation.region.startColumn]);
    assert.deepEqual(
      regions,
      PROBLEMS.map(([line, column]) => ["invalid-input", line, column]),
    );
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`^https://\\S+/docs/rules/${rule.id}\\.md$`), "an absolute URI (the SARIF schema's uri format)");
      assert.match(rule.help.markdown, new RegExp(`^# ${rule.id}$`, "m"));
      assert.match(rule.help.text, /Why it matters/);
    }
  });

  test("junit: the schema case fails once with all three problems; counts add up; cases only for rules that apply", () => {
    const { code, stdout } = validate("--format", "junit");
    assert.equal(code, 2);
    const suites = [...stdout.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"[^>]*>([\s\S]*?)<\/testsuite>/g)];
    assert.equal(suites.length, 3);
    let failures = 0;
    for (const [, name, tests, fails, body] of suites) {
      assert.equal(Number(fails), (body.match(/<failure /g) ?? []).length, `failures of ${name}`);
      assert.equal(Number(tests), (body.match(/<testcase /g) ?? []).length, `tests of ${name}`);
      failures += Number(fails);
    }
    assert.match(stdout, new RegExp(`<testsuites [^>]*failures="${failures}"`));
    const badSuite = suites.find((s) => s[1] === bad)!;
    assert.equal(badSuite[2], "1");
    assert.match(badSuite[4], /<failure type="error" message="missing required key &quot;writes&quot;[^"]* \(and 2 more\)">/);
    for (const [line, column] of PROBLEMS) assert.ok(badSuite[4].includes(`${bad}:${line}:${column}: error invalid-input: `));
    const cases = (suite: RegExpExecArray | RegExpMatchArray) => [...suite[4].matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]);
    const leaderless = cases(suites.find((s) => s[1] === good[1])!);
    const leaderFollower = cases(suites.find((s) => s[1] === good[0])!);
    assert.ok(leaderless.includes("quorum-not-strong") && !leaderless.includes("failover-without-fencing"), leaderless.join(" "));
    assert.ok(leaderFollower.includes("failover-without-fencing") && !leaderFollower.includes("quorum-not-strong"), leaderFollower.join(" "));
  });

  test("github: an ::error line per problem at file, line and col", () => {
    const { code, stdout } = validate("--format", "github");
    assert.equal(code, 2);
    const file = bad.replace(/:/g, "%3A").replace(/,/g, "%2C");
    for (const [line, column] of PROBLEMS) assert.ok(stdout.includes(`::error file=${file},line=${line},col=${column},title=invalid-input::`), `${line}:${column}`);
  });
});

describe("simulate", () => {
  test("prints every problem of the file on stderr, one per line with file:line:column, and exits 2", () => {
    const { code, stdout, stderr } = cli("simulate", bad);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, PROBLEMS.length, stderr);
    PROBLEMS.forEach(([line, column, message], i) => {
      assert.ok(lines[i].startsWith(`error ${bad}:${line}:${column}: `), lines[i]);
      assert.match(lines[i], message);
    });
    assert.doesNotMatch(stderr, /^\s+at /m);
  });
});

describe("validate --verbose", () => {
  test("the long advice under the short hint; without it, hints stay one short line", () => {
    // Wide, so that each hint is one line to measure (at 100 columns hints wrap under their first word).
    const short = cli("validate", good[0], "--today", "2026-11-26", "--width", "250");
    const hints = short.stdout.split("\n").filter((l) => l.trim().startsWith("hint: "));
    assert.ok(hints.length > 5);
    for (const h of hints) assert.ok(h.trim().replace(/ \(see: repl-lab rules [a-z-]+\)$/, "").length <= 106, h);
    const verbose = cli("validate", good[0], "--today", "2026-11-26", "--verbose", "--width", "250");
    assert.equal(verbose.code, 1);
    assert.ok(verbose.stdout.length > short.stdout.length);
    assert.match(verbose.stdout, /hint: Fence the old leader before promoting.*\n +Fence before you promote: `fencing: lease`/);
  });
});
