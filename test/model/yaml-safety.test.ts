// Reading YAML safely: syntax errors and duplicate keys with positions, alias
// bombs refused without being expanded, no prototype pollution, and odd files
// (empty, comments only, binary, not UTF-8, a directory, missing) refused with
// a clear message instead of a crash.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { InputError, type Diagnostic } from "../../src/model/diagnostics.js";
import { loadFile, loadText } from "../../src/model/load.js";
import { MAX_ANCHORS_AND_ALIASES, MAX_DEPTH, MAX_EXPANDED_NODES, MAX_SOURCE_VALUES, parseYaml, preScan } from "../../src/model/yaml.js";
import { assertOne, diagnosticsOf, topology } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-yaml-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileDiagnostics(name: string, content: string | Buffer): Diagnostic[] {
  const path = join(dir, name);
  writeFileSync(path, content);
  try {
    loadFile(path);
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics;
    throw error;
  }
  assert.fail(`${name} loaded`);
}

// ---------------------------------------------------------------------------
// Syntax

test("a syntax error is reported at its line and column", () => {
  assertOne("kind: topology\nname: x\nnodes: { a: { zone: r/a, role: leader }\n", 4, 1, /^invalid YAML: Flow map in block collection must be sufficiently indented and end with a \}/);
});

test("a tab used for indentation", () => {
  assertOne("kind: topology\n\tname: x\n", 2, 1, /invalid YAML: Tabs are not allowed as indentation/);
});

test("a duplicate key is reported at its second occurrence", () => {
  assertOne("kind: topology\nname: x\nname: y\n", 3, 1, /duplicate key "name": each key may appear once in a mapping/);
});

test("a duplicate key in a flow mapping, and keys that only collide once read (1 and \"1\")", () => {
  assertOne(topology({ 7: "  pg-b: { zone: us-east/b, zone: us-east/c }" }), 7, 28, /duplicate key "zone"/);
  assertOne('kind: topology\n1: a\n"1": b\n', 3, 1, /duplicate key "1"/);
});

test("duplicate keys in a huge mapping are found in linear time", () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`);
  const d = diagnosticsOf(["kind: topology", ...keys, "k7: 2"].join("\n"));
  assert.ok(d.some((x) => x.line === 20_002 && /duplicate key "k7"/.test(x.message)));
});

test("more than one document in a file", () => {
  assertOne("kind: topology\n---\nkind: scenario\n", 2, 1, /more than one YAML document; expected one document per file/);
});

test("a key that is a list or a mapping is refused at the key", () => {
  assertOne("kind: topology\n? [a]\n: 1\n", 2, 3, /a key must be a plain name, not a list, mapping or alias/);
  assertOne("kind: topology\nx: { [a]: 1 }\n", 2, 6, /a key must be a plain name/);
});

test("an alias to an anchor that does not exist", () => {
  assertOne("kind: topology\nname: *nope\n", 2, 7, /unknown alias "\*nope": an anchor "&nope" must come before it/);
});

test("anchors and aliases used sensibly still work", () => {
  const text = topology({ 4: "  us-east: &zones { zones: [a, b, c] }" }, ["  audit: { rpo: 1m, rto: 5m }"]).replace("regions:\n", "regions:\n  us-west: { zones: [a] }\n");
  const loaded = loadText("t.yaml", text);
  assert.equal(loaded.kind, "topology");
});

// ---------------------------------------------------------------------------
// Resource limits

test("billion laughs: refused at the first alias, without expanding it", () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
  }
  const before = process.memoryUsage().heapUsed;
  const d = diagnosticsOf(`kind: topology\n${levels.join("\n")}\n`);
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].line, d[0].column], [3, 8]);
  assert.match(d[0].message, new RegExp(`aliases expand this document past ${MAX_EXPANDED_NODES} values \\(an alias bomb\\?\\); refused`));
  // 9^10 values were never built: the heap grew by far less than one byte per value.
  assert.ok(process.memoryUsage().heapUsed - before < 200 * 1024 * 1024);
});

test("a recursive alias is refused", () => {
  assertOne("kind: topology\na: &a [*a]\n", 2, 7, /nests deeper than 200 levels/);
});

test("thousands of aliases are refused by count (each one costs a scan of the document)", () => {
  const aliases = Array.from({ length: MAX_ANCHORS_AND_ALIASES + 5 }, () => "  - *x");
  const d = diagnosticsOf(["kind: topology", "x: &x 1", "l:", ...aliases].join("\n"));
  assert.equal(d.length, 1);
  assert.match(d[0].message, new RegExp(`more than ${MAX_ANCHORS_AND_ALIASES} anchors and aliases; refused`));
});

test("a document past the value limit is refused before it is parsed, at the value that crossed it", () => {
  const items = Array.from({ length: MAX_SOURCE_VALUES }, () => "- 1").join("\n");
  const d = diagnosticsOf(`kind: topology\nl:\n${items}\n`);
  assert.equal(d.length, 1);
  // "kind:", "topology", "l:", then a "-" and a "1" per item: the limit is crossed on line 3 + (MAX − 3) / 2.
  assert.match(d[0].message, new RegExp(`holds more than ${MAX_SOURCE_VALUES} values .*refused before parsing`));
  assert.equal(d[0].line, 3 + Math.floor((MAX_SOURCE_VALUES - 3) / 2));
});

test("a flow sequence of many items is counted too, and quoted strings and comments count as they should", () => {
  const flow = `kind: topology\nl: [${Array.from({ length: MAX_SOURCE_VALUES }, () => "0").join(",")}]\n`;
  assert.match(diagnosticsOf(flow)[0].message, /refused before parsing/);
  assert.equal(preScan(`a: "x, y, [z]" # , , , [[[[\nb: 'it''s, [ok'\n`), null);
  assert.equal(preScan(`${"[".repeat(MAX_DEPTH + 1)}`)?.offset, MAX_DEPTH);
});

test("empty flow collections count as values: a file of them is refused before parsing (a review saw 546 MB spent on one)", () => {
  for (const empty of ["[]", "{}"]) {
    const text = `kind: topology\nregions: [${Array.from({ length: MAX_SOURCE_VALUES }, () => empty).join(",")}]\n`;
    assert.match(preScan(text)?.message ?? "", /refused before parsing/, empty);
  }
});

test("nesting past the limit gives one message, not the parser's stack overflow beside it", () => {
  const d = diagnosticsOf(`kind: topology\nname: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
  assert.equal(d.length, 1);
  assert.match(d[0].message, new RegExp(`nests deeper than ${MAX_DEPTH} levels`));
});

test("deep nesting is refused, not a stack overflow", () => {
  const d = diagnosticsOf(`kind: topology\nname: ${"[".repeat(300)}${"]".repeat(300)}\n`);
  assert.ok(d.some((x) => /nests deeper than 200 levels/.test(x.message)));
});

test("leading blank lines (a regular-expression backtracking trap) are read quickly", () => {
  // Before the fix, 25 blank lines and one key took minutes in the empty-file check.
  const loaded = loadText("t.yaml", "\n".repeat(40) + " ".repeat(40) + "\n" + topology());
  assert.equal(loaded.kind, "topology");
});

// ---------------------------------------------------------------------------
// Prototype pollution

test("__proto__, constructor and prototype keys are refused at the key; Object.prototype is untouched", () => {
  const d = diagnosticsOf("kind: topology\n__proto__: { polluted: 1 }\nnodes:\n  constructor: { zone: r/a }\nx: { prototype: { polluted: 2 } }\n");
  assert.deepEqual(
    d.map((x) => [x.line, x.column]),
    [
      [2, 1],
      [4, 3],
      [5, 6],
    ],
  );
  assert.ok(d.every((x) => /is not allowed \(it could alter object prototypes\)/.test(x.message)));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
});

test('a quoted "__proto__" key is refused too', () => {
  assertOne('kind: topology\n"__proto__": { polluted: 1 }\n', 2, 1, /"__proto__" is not allowed/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("a merge key cannot smuggle values in (<< is a plain, unknown key in YAML 1.2)", () => {
  const d = diagnosticsOf("kind: topology\n<<: { polluted: 1 }\n");
  assert.ok(d.some((x) => /unknown key "<<"/.test(x.message)));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

// ---------------------------------------------------------------------------
// Not a mapping with a kind

test("an empty file, a whitespace-only file and a comments-only file", () => {
  for (const text of ["", "   \n\n\t\n", "# just a comment\n  # another\n\n", "# CRLF comment\r\n\r\n"]) {
    assertOne(text, 1, 1, /the file is empty; expected a YAML mapping that starts with `kind:`/);
  }
});

test("a top-level list, scalar or null instead of a mapping", () => {
  for (const text of ["- kind: topology\n- name: x\n", "just a string\n", "42\n", "---\n", "~\n"]) {
    assertOne(text, 1, 1, /expected a YAML mapping that starts with `kind:` at the top level/);
  }
});

test("a missing kind, and an unknown one with did-you-mean", () => {
  assertOne("name: x\n", 1, 1, /missing "kind:"; expected one of topology, scenario, latency, drill/);
  assertOne("name: x\nkind: topolgy\n", 2, 7, /unknown kind "topolgy" — did you mean "topology"\?; expected one of topology, scenario, latency, drill/);
  assertOne("kind: 3\n", 1, 7, /unknown kind 3/);
});

// ---------------------------------------------------------------------------
// Files that are not YAML text

test("a binary file is refused at its first NUL byte", () => {
  const d = fileDiagnostics("binary.yaml", Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x0a, 0x61, 0x00, 0x01, 0xff]));
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].line, d[0].column], [2, 2]);
  assert.match(d[0].message, /is a binary file \(it holds a NUL byte\), not YAML text/);
});

test("text that is not UTF-8 (Latin-1) is refused at the first bad byte", () => {
  const d = fileDiagnostics("latin1.yaml", Buffer.from("kind: topology\nname: caf\xe9\n", "latin1"));
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].line, d[0].column], [2, 10]);
  assert.match(d[0].message, /is not valid UTF-8 text/);
});

test("a directory and a missing file: a message naming the file, at 1:1 (the whole file is at fault)", () => {
  mkdirSync(join(dir, "folder.yaml"));
  for (const [name, message] of [
    ["folder.yaml", /is a directory; expected a YAML file/],
    ["does-not-exist.yaml", /cannot read the file: no such file/],
  ] as const) {
    try {
      loadFile(join(dir, name));
      assert.fail(`${name} loaded`);
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.diagnostics.length, 1);
      assert.deepEqual([error.diagnostics[0].line, error.diagnostics[0].column, error.diagnostics[0].wholeFile], [1, 1, true]);
      assert.match(error.diagnostics[0].message, message);
      assert.match(error.diagnostics[0].file, new RegExp(name.replace(".", "\\.")));
    }
  }
});

test("a UTF-8 byte-order mark is accepted", () => {
  const path = join(dir, "bom.yaml");
  writeFileSync(path, `\uFEFF${topology()}`);
  assert.equal(loadFile(path).kind, "topology");
});

// ---------------------------------------------------------------------------
// Robustness: whatever the text, the loader returns or throws InputError.

test("property: random edits of a valid file never crash the loader, and every diagnostic has a position or names the file", () => {
  const base = topology({}, ["failover: { detection: { ttl: 10s, loop_wait: 2s }, endpoint: { kind: dns, ttl: 5s } }"]);
  const alphabet = [..."{}[]:,&*!|>-'\"#\n a1%?@`<_"];
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(base.length), fc.nat(4), fc.string({ maxLength: 4, unit: fc.constantFrom(...alphabet) })), { maxLength: 4 }),
      (edits) => {
        let text = base;
        for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        try {
          loadText("f.yaml", text);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const d of error.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, `${d.line}:${d.column} ${d.message}`);
        }
      },
    ),
    { numRuns: 400, seed: 42 },
  );
});

test("parseYaml keeps positions for the loader (a smoke test of the source it returns)", () => {
  const source = parseYaml("p.yaml", "kind: topology\nname: x\n");
  assert.equal(source.file, "p.yaml");
  assert.deepEqual(source.data, { kind: "topology", name: "x" });
});
