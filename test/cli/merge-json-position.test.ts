// A shard that is not JSON (a CI artifact cut short, a hand edit) is reported where it breaks, not at 1:1: V8's
// JSON.parse messages on Node 20 give no position, so merge finds the first character that breaks the grammar.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonErrorOffset } from "../../src/model/json-position.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

test("jsonErrorOffset: -1 for JSON, else the first character that breaks it (the end when it is cut short)", () => {
  for (const ok of ['{"a": [1, -2.5e3, true, null, "x\\"y", {}], "b": {"c": []}}', " 0 ", '"\\u00e9"', "[[[]]]"]) {
    assert.doesNotThrow(() => JSON.parse(ok));
    assert.equal(jsonErrorOffset(ok), -1, ok);
  }
  const cases: [string, number][] = [
    ['{"trials": x4}', 11],
    ['{"a": 1,, "b": 2}', 8],
    ['{"a": 1', 7],
    ['{"a": [1, 2}', 11],
    ["[1, 2,]", 6],
    ["{'a': 1}", 1],
    ['{"a" 1}', 5],
    ["", 0],
    ["{} {}", 3],
    ['"tab\there"', 0],
  ];
  for (const [text, offset] of cases) {
    assert.throws(() => JSON.parse(text));
    assert.equal(jsonErrorOffset(text), offset, text);
  }
});

test("merge names the line and column where a shard stops being JSON, on one line per file", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-merge-pos-"));
  try {
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const shard = run(["simulate", join(ROOT, "scenarios/leader-dies-in-az-a.yaml"), "--trials", "2", "--shard", "1/2", "--json"]).stdout;
    // Pretty-printed and broken on its third line, at the value of "trials"; and the same file cut short.
    const lines = JSON.stringify(JSON.parse(shard), null, 2).split("\n");
    const at = lines.findIndex((l) => l.startsWith('  "trials": '));
    assert.ok(at > 0);
    lines[at] = '  "trials": two,';
    writeFileSync(join(dir, "edited.json"), lines.join("\n"));
    writeFileSync(join(dir, "cut.json"), shard.slice(0, 200));
    const r = run(["merge", join(dir, "edited.json"), join(dir, "cut.json")]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`edited\\.json:${at + 1}:13: is not JSON`));
    assert.match(r.stderr, /cut\.json:1:201: is not JSON/);
    // One line per problem: V8's quote of the text around the error keeps its line break escaped.
    assert.equal(r.stderr.trimEnd().split("\n").length, 2, r.stderr);
    assert.match(r.stderr, /"trials": two,\\n/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
