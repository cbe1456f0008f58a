// The five renderers of `validate`: pure functions from a report to text.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Chalk } from "chalk";
import { ALL_RULES } from "../../src/lint/rules/index.js";
import type { Finding, LintReport } from "../../src/lint/types.js";
import { escapeData, escapeProperty, renderLintGithub } from "../../src/report/lint/github.js";
import { INVALID_INPUT, inputFindings, withBadInput } from "../../src/report/lint/input.js";
import { renderLintJson } from "../../src/report/lint/json.js";
import { renderLintJunit } from "../../src/report/lint/junit.js";
import { renderLintSarif } from "../../src/report/lint/sarif.js";
import { renderLintText } from "../../src/report/lint/text.js";

const tricky: Finding = {
  rule: "failover-without-fencing",
  severity: "error",
  file: join("designs", "a,b:c.yaml"),
  line: 18,
  column: 12,
  message: `100% <split> & "brain"\r\nsecond line`,
  hint: "fence 'first'\u0007",
};
const warning: Finding = { rule: "strict-single-sync", severity: "warning", file: "designs/b.yaml", line: 3, column: 5, message: "one standby", hint: "add a spare standby" };
const report: LintReport = { files: [tricky.file, "designs/b.yaml", "designs/clean.yaml"], findings: [tricky, warning], errors: 1, warnings: 1 };
const checked = new Map(report.files.map((f) => [f, ALL_RULES.map((r) => r.id)]));

describe("text", () => {
  test("groups by file, marks clean files, ends with a summary", () => {
    const out = renderLintText(report, new Chalk({ level: 0 }));
    assert.match(out, /^✖ designs\/a,b:c\.yaml\n {2}18:12 {2}error {4}failover-without-fencing {2}100% <split>/m);
    assert.match(out, /^ {9}hint: fence 'first'/m);
    assert.match(out, /^⚠ designs\/b\.yaml\n {2}3:5 {2}warning {2}strict-single-sync {2}one standby$/m);
    assert.match(out, /^✓ designs\/clean\.yaml$/m);
    assert.match(out, /✖ 1 error, 1 warning in 3 files\n$/);
    assert.doesNotMatch(out, /\u001b\[/);
  });

  test("colours severities when colour is on", () => {
    const out = renderLintText(report, new Chalk({ level: 1 }));
    assert.ok(out.includes("\u001b[31merror"), "errors in red");
    assert.ok(out.includes("\u001b[33mwarning"), "warnings in yellow");
    assert.ok(out.includes("\u001b[2mhint:"), "hints dimmed");
  });

  test("a clean run", () => {
    const out = renderLintText({ files: ["a.yaml"], findings: [], errors: 0, warnings: 0 }, new Chalk({ level: 0 }));
    assert.equal(out, "✓ a.yaml\n\n✓ 0 errors, 0 warnings in 1 file\n");
  });
});

describe("json", () => {
  test("exactly the keys of SPEC §4", () => {
    const parsed = JSON.parse(renderLintJson(report));
    assert.deepEqual(Object.keys(parsed), ["files", "findings", "errors", "warnings"]);
    assert.deepEqual(Object.keys(parsed.findings[0]), ["rule", "severity", "file", "line", "column", "message", "hint"]);
    assert.deepEqual(parsed.findings[1], warning);
    assert.equal(parsed.errors, 1);
  });
});

describe("sarif", () => {
  const sarif = JSON.parse(renderLintSarif(report, { cwd: process.cwd(), version: "9.9.9" }));

  test("has the 2.1.0 envelope GitHub code scanning reads", () => {
    assert.equal(sarif.version, "2.1.0");
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const driver = sarif.runs[0].tool.driver;
    assert.equal(driver.name, "repl-lab");
    assert.equal(driver.version, "9.9.9");
    assert.match(driver.informationUri, /^https:\/\//);
  });

  test("describes every rule", () => {
    const rules = sarif.runs[0].tool.driver.rules;
    // The lint rules, then bad input (not a rule that runs, but a result can carry it).
    assert.deepEqual(rules.map((r: { id: string }) => r.id), [...ALL_RULES.map((r) => r.id), "invalid-input"]);
    for (const rule of rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text);
      assert.ok(["error", "warning", "note"].includes(rule.defaultConfiguration.level));
    }
  });

  test("places each result on its rule, file and line", () => {
    const [first, second] = sarif.runs[0].results;
    const rules = sarif.runs[0].tool.driver.rules;
    assert.equal(first.ruleId, "failover-without-fencing");
    assert.equal(rules[first.ruleIndex].id, first.ruleId);
    assert.equal(first.level, "error");
    assert.equal(second.level, "warning");
    assert.ok(first.message.text.startsWith(tricky.message) && first.message.text.includes(tricky.hint));
    const location = first.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uri, "designs/a,b:c.yaml");
    assert.deepEqual(location.region, { startLine: 18, startColumn: 12 });
  });

  test("a file outside the working directory gets a file URI", () => {
    const outside = JSON.parse(renderLintSarif({ ...report, findings: [{ ...warning, file: "/elsewhere/x.yaml" }] }, { cwd: "/work/here", version: "1" }));
    assert.equal(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "file:///elsewhere/x.yaml");
  });
});

/** A small XML well-formedness check: balanced tags, quoted attributes, escaped text. */
function assertWellFormed(xml: string): void {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  const body = xml.slice(xml.indexOf("?>") + 2);
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    if (m[6]) assert.fail(`stray "<" at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      assert.doesNotMatch(m[5], /&(?!(amp|lt|gt|quot|apos|#\d+);)/, "unescaped & in text");
      assert.doesNotMatch(m[5], /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, "control character in text");
      continue;
    }
    for (const value of m[3].matchAll(/="([^"]*)"/g)) assert.doesNotMatch(value[1], /&(?!(amp|lt|gt|quot|apos|#\d+);)|[<\n\r\u0007]/, "attribute not escaped");
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong element`);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, [], "unclosed elements");
}

describe("junit", () => {
  test("is well-formed XML with a suite per file and a case per rule", () => {
    const xml = renderLintJunit(report, { strict: false, checked });
    assertWellFormed(xml);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 3);
    // The schema check plus one case per rule, for each file.
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3 * (ALL_RULES.length + 1));
    assert.match(xml, /<testsuites name="repl-lab validate" tests="\d+" failures="1" errors="0">/);
  });

  test("escapes messages and drops characters XML cannot hold", () => {
    const xml = renderLintJunit(report, { strict: false, checked });
    assert.ok(xml.includes('message="100% &lt;split&gt; &amp; &quot;brain&quot;&#13;&#10;second line"'));
    assert.ok(xml.includes("fence 'first'</failure>") || xml.includes("fence 'first'\n"), "the BEL character is dropped");
    assert.ok(!xml.includes("\u0007"));
  });

  test("warnings fail only with --strict; otherwise they go to system-out", () => {
    const lenient = renderLintJunit(report, { strict: false, checked });
    assert.match(lenient, /<testcase name="strict-single-sync" classname="designs\/b\.yaml">\n\s*<system-out>designs\/b\.yaml:3:5: warning strict-single-sync: one standby/);
    assert.doesNotMatch(lenient, /<failure type="warning"/);
    const strict = renderLintJunit(report, { strict: true, checked });
    assertWellFormed(strict);
    assert.match(strict, /<testcase name="strict-single-sync" classname="designs\/b\.yaml">\n\s*<failure type="warning" message="one standby">/);
    assert.match(strict, /failures="2" errors="0">/);
  });
});

describe("github", () => {
  test("escapes data and property values as the runner expects", () => {
    assert.equal(escapeData("100%\r\na"), "100%25%0D%0Aa");
    assert.equal(escapeProperty("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
  });

  test("one workflow command per finding, then a summary", () => {
    const lines = renderLintGithub(report).trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.equal(
      lines[0],
      "::error file=designs/a%2Cb%3Ac.yaml,line=18,col=12,title=failover-without-fencing::100%25 <split> & \"brain\"%0D%0Asecond line%0A%0AHint: fence 'first'\u0007 (see: repl-lab rules failover-without-fencing)",
    );
    assert.equal(lines[1], "::warning file=designs/b.yaml,line=3,col=5,title=strict-single-sync::one standby%0A%0AHint: add a spare standby (see: repl-lab rules strict-single-sync)");
    assert.equal(lines[2], "repl-lab validate: 1 error, 1 warning in 3 files");
  });
});

// Issue 13: a bad input file is a finding of every format, not only a line on stderr.
describe("bad input", () => {
  const diagnostics = [
    { file: "designs/broken.yaml", line: 4, column: 1, message: "invalid YAML: Flow map in block collection must be sufficiently indented and end with a }" },
    { file: "designs/broken.yaml", line: 9, column: 3, message: "invalid YAML: second problem" },
    { file: "designs/missing.yaml", line: 0, column: 0, message: "cannot read the file: no such file or directory" },
  ];
  const bad = withBadInput(report, diagnostics);

  test("each diagnostic becomes an error finding; a whole-file problem points at 1:1", () => {
    const findings = inputFindings(diagnostics);
    assert.deepEqual(findings[0], { rule: "invalid-input", severity: "error", ...diagnostics[0], hint: findings[0].hint, details: INVALID_INPUT.docs.fix });
    assert.deepEqual([findings[2].line, findings[2].column], [1, 1]);
    for (const f of findings) assert.ok(f.hint.length > 20, "every finding teaches a fix");
    assert.notEqual(findings[0].hint, findings[2].hint, "a parse error and an unreadable file get different hints");
    assert.equal(INVALID_INPUT.id, "invalid-input");
    assert.ok(!ALL_RULES.some((r) => r.id === INVALID_INPUT.id), "not a lint rule: validate never runs it, ignore lists cannot name it");
  });

  test("the report gains the bad files and counts their problems as errors", () => {
    assert.deepEqual(bad.files, [...report.files, "designs/broken.yaml", "designs/missing.yaml"]);
    assert.equal(bad.errors, report.errors + 3);
    assert.equal(bad.warnings, report.warnings);
    assert.equal(bad.findings.length, report.findings.length + 3);
    assert.equal(withBadInput(report, []), report);
  });

  test("json: a finding with the documented keys", () => {
    const parsed = JSON.parse(renderLintJson(bad));
    const found = parsed.findings.filter((f: { rule: string }) => f.rule === "invalid-input");
    assert.equal(found.length, 3);
    assert.deepEqual(Object.keys(found[0]), ["rule", "severity", "file", "line", "column", "message", "hint", "details"]);
    assert.equal(parsed.errors, 4);
  });

  test("sarif: an error result on its rule, with a region", () => {
    const sarif = JSON.parse(renderLintSarif(bad, { cwd: process.cwd(), version: "1" }));
    const run = sarif.runs[0];
    const results = run.results.filter((r: { ruleId: string }) => r.ruleId === "invalid-input");
    assert.equal(results.length, 3);
    for (const r of results) {
      assert.equal(r.level, "error");
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, "invalid-input");
    }
    assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, "designs/broken.yaml");
    assert.deepEqual(results[0].locations[0].physicalLocation.region, { startLine: 4, startColumn: 1 });
    assert.deepEqual(results[2].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1 });
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "invalid-input");
    assert.equal(rule.name, "InvalidInput");
    assert.equal(rule.defaultConfiguration.level, "error");
  });

  test("junit: a bad file's suite has only its schema test case, failed once with every problem", () => {
    const xml = renderLintJunit(bad, { strict: false, checked });
    assertWellFormed(xml);
    const suite = xml.match(/<testsuite name="designs\/broken\.yaml"[^>]*>([\s\S]*?)<\/testsuite>/);
    assert.ok(suite);
    assert.match(suite[0], /^<testsuite name="designs\/broken\.yaml" tests="1" failures="1" errors="0" skipped="0">/);
    assert.equal((suite[1].match(/<testcase /g) ?? []).length, 1);
    assert.match(suite[1], /<testcase name="schema" classname="designs\/broken\.yaml">\n\s*<failure type="error" message="invalid YAML: Flow map [^"]* \(and 1 more\)">designs\/broken\.yaml:4:1: error invalid-input: /);
    assert.match(suite[1], /designs\/broken\.yaml:9:3: error invalid-input: invalid YAML: second problem/);
    assert.match(xml, /<testsuite name="designs\/missing\.yaml" tests="1" failures="1"/);
    assert.match(xml, /<testsuites name="repl-lab validate" tests="\d+" failures="3" errors="0">/);
  });

  test("junit: the failures attribute counts <failure> elements, even with two findings of one rule", () => {
    const second: Finding = { ...tricky, line: 30, column: 3, message: "again" };
    const twice: LintReport = { ...report, findings: [tricky, second, warning], errors: 2 };
    for (const strict of [false, true]) {
      const xml = renderLintJunit(twice, { strict, checked });
      assertWellFormed(xml);
      const failures = (xml.match(/<failure /g) ?? []).length;
      assert.equal(failures, strict ? 2 : 1);
      assert.match(xml, new RegExp(`<testsuites [^>]*failures="${failures}"`));
      assert.ok(xml.includes("again"), "the second finding is in the failure's text");
    }
  });

  test("github: an ::error command at the position", () => {
    const lines = renderLintGithub(bad).trimEnd().split("\n");
    assert.ok(
      lines.includes(
        "::error file=designs/broken.yaml,line=4,col=1,title=invalid-input::invalid YAML: Flow map in block collection must be sufficiently indented and end with a }%0A%0AHint: " +
          inputFindings(diagnostics)[0].hint.replace(/%/g, "%25") +
          " (see: repl-lab rules invalid-input)",
      ),
    );
    assert.ok(lines.some((l) => l.startsWith("::error file=designs/missing.yaml,line=1,col=1,title=invalid-input::cannot read the file")));
    assert.equal(lines[lines.length - 1], "repl-lab validate: 4 errors, 1 warning in 5 files");
  });

  test("text: the summary says how many files were not linted", () => {
    const out = renderLintText(report, new Chalk({ level: 0 }), { badFiles: 2 });
    assert.match(out, /✖ 1 error, 1 warning in 3 files; 2 files not linted \(bad input\)\n$/);
    const clean = renderLintText({ files: ["a.yaml"], findings: [], errors: 0, warnings: 0 }, new Chalk({ level: 0 }), { badFiles: 1 });
    assert.match(clean, /✖ 0 errors, 0 warnings in 1 file; 1 file not linted \(bad input\)\n$/, "a bad file is never a ✓");
  });
});

// Issue 13: short hints in text, the long form behind --verbose, and rule pages in SARIF.
describe("hints and rule pages", () => {
  const detailed: Finding = { ...warning, details: "The long advice, with every knob named." };
  const withDetails: LintReport = { ...report, findings: [tricky, detailed] };

  test("text: the short hint points at the rule's page; --verbose adds the long advice", () => {
    const plain = renderLintText(withDetails, new Chalk({ level: 0 }));
    assert.match(plain, /^ +hint: add a spare standby \(see: repl-lab rules strict-single-sync\)$/m);
    assert.doesNotMatch(plain, /The long advice/);
    const verbose = renderLintText(withDetails, new Chalk({ level: 0 }), { verbose: true });
    assert.match(verbose, /hint: add a spare standby \(see: repl-lab rules strict-single-sync\)\n {7}The long advice, with every knob named\.$/m);
  });

  test("json: details after the hint when a finding has them", () => {
    const parsed = JSON.parse(renderLintJson(withDetails));
    assert.deepEqual(Object.keys(parsed.findings[1]), ["rule", "severity", "file", "line", "column", "message", "hint", "details"]);
    assert.equal(parsed.findings[1].details, detailed.details);
  });

  test("sarif: each rule's help in text and markdown; helpUri only when given, and then absolute", () => {
    const without = JSON.parse(renderLintSarif(report, { cwd: process.cwd(), version: "1" })).runs[0].tool.driver.rules;
    assert.ok(without.every((r: { helpUri?: string }) => r.helpUri === undefined));
    const rules = JSON.parse(renderLintSarif(report, { cwd: process.cwd(), version: "1", helpUri: (id) => `https://example.org/docs/rules/${id}.md` })).runs[0].tool.driver.rules;
    for (const rule of rules) {
      assert.equal(rule.helpUri, `https://example.org/docs/rules/${rule.id}.md`);
      assert.match(rule.help.markdown, /## Why it matters[\s\S]*## How to fix it[\s\S]*```yaml/);
      assert.match(rule.help.text, /How to fix it/);
      assert.ok(rule.fullDescription.text.length > rule.shortDescription.text.length / 2);
    }
  });
});
