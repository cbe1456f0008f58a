// Rule documentation (issue 13): each rule's page is kept beside the rule; the
// pages in docs/rules/ are generated from it and must not drift; `repl-lab
// rules [ID]` prints the list or a page; hints are one short line.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { ALL_RULES, DOCUMENTED_RULES, RULES } from "../../src/lint/rules/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/repl-lab.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("each rule's documentation", () => {
  test("every id a finding can carry has a page: the rules, unknown-rule-id and invalid-input", () => {
    assert.deepEqual(
      DOCUMENTED_RULES.map((r) => r.id),
      [...ALL_RULES.map((r) => r.id), "invalid-input"],
    );
    assert.equal(ALL_RULES.length, RULES.length + 1);
  });

  test("the README's table of rules lists every rule (three were missing, found by a review)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const listed = new Set([...readme.matchAll(/^\| `([a-z-]+)`(?: \/ `([a-z-]+)`)? \| (?:error|warning|info) \|/gm)].flatMap((m) => [m[1], m[2]]).filter(Boolean));
    assert.deepEqual(ALL_RULES.map((r) => r.id).filter((id) => !listed.has(id)), []);
  });

  for (const rule of DOCUMENTED_RULES) {
    test(`${rule.id}: a short hint, why, how to fix, and an example that parses`, () => {
      assert.ok(rule.hint.length >= 30 && rule.hint.length <= 100, `hint of ${rule.hint.length} characters: ${rule.hint}`);
      assert.ok(!rule.hint.includes("\n"));
      assert.ok(rule.docs.why.length > 80, "why it matters, in sentences");
      assert.ok(rule.docs.fix.length > 60, "how to fix it, in sentences");
      const { bad, good } = rule.docs.example;
      assert.ok(bad.length > 0 && good.length > 0);
      assert.notDeepEqual(bad, good, "the fixed example differs from the bad one");
      for (const lines of [bad, good]) assert.doesNotThrow(() => parse(lines.join("\n")), `${rule.id}: the example is YAML`);
    });
  }
});

describe("docs/rules/", () => {
  test("the pages are what scripts/rule-docs.mjs generates from the rules (npm run docs:rules)", async () => {
    const script = (await import(pathToFileURL(join(ROOT, "scripts/rule-docs.mjs")).href)) as { stale(): Promise<{ differ: string[]; extra: string[] }> };
    const { differ, extra } = await script.stale();
    assert.deepEqual(differ, [], "stale pages: run `npm run docs:rules` and commit docs/rules/");
    assert.deepEqual(extra, [], "pages of rules that no longer exist: run `npm run docs:rules`");
  });
});

describe("repl-lab rules", () => {
  test("without an id: every rule, one line each (id, severity, summary)", () => {
    const { code, stdout, stderr } = cli("rules");
    assert.equal(code, 0);
    assert.equal(stderr, "");
    for (const rule of DOCUMENTED_RULES) assert.match(stdout, new RegExp(`^${rule.id} +${rule.severity} +\\S`, "m"), rule.id);
  });

  test("with an id: the rule's page", () => {
    const { code, stdout } = cli("rules", "failover-without-fencing");
    assert.equal(code, 0);
    assert.match(stdout, /^failover-without-fencing · error\n/);
    for (const section of ["Why it matters", "How to fix it", "Example", "This breaks the rule:", "Fixed:"]) assert.ok(stdout.includes(section), section);
    assert.match(stdout, /^ {6}fencing: none$/m);
    assert.match(stdout, /^ {6}fencing: lease$/m);
    assert.ok(stdout.split("\n").every((line) => line.length <= 100), "paragraphs are wrapped when piped");
  });

  test("--json: the list, and one rule", () => {
    const list = JSON.parse(cli("rules", "--json").stdout) as { id: string }[];
    assert.deepEqual(
      list.map((r) => r.id),
      DOCUMENTED_RULES.map((r) => r.id),
    );
    const one = JSON.parse(cli("rules", "no-backups", "--json").stdout);
    assert.deepEqual(Object.keys(one), ["id", "severity", "summary", "hint", "why", "fix", "example", "page"]);
    assert.equal(one.page, "docs/rules/no-backups.md");
    assert.match(one.example.good, /wal_archive/);
  });

  test("an unknown id: exit 2 with a did-you-mean, no stack trace", () => {
    const { code, stdout, stderr } = cli("rules", "failover-without-fence");
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /unknown rule "failover-without-fence" — did you mean "failover-without-fencing"\?/);
    assert.doesNotMatch(stderr, /^\s+at /m);
    assert.equal(cli("rules", "zzz").code, 2);
  });
});
