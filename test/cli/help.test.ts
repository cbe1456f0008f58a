// Help as a new user meets it: `repl-lab` alone prints the help on stdout and
// exits 0; --version prints the version; every command's help ends with
// examples; `init --help` lists the presets, each with a line saying what it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PRESETS } from "../../src/model/presets.js";
import { presetNames } from "../../src/model/schema.js";
import { commandPaths, runBin } from "./bin.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

test("repl-lab with no arguments prints the help on stdout and exits 0", async () => {
  const r = await runBin([]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^Usage: repl-lab \[options\] \[command\]/);
  assert.match(r.stdout, /Commands:/);
  assert.match(r.stdout, /Examples:\n {2}\$ repl-lab /);
  const globalOnly = await runBin(["--no-color"]);
  assert.equal(globalOnly.status, 0);
  assert.equal(globalOnly.stdout, r.stdout, "only global flags: the same help, on stdout");
});

test("--version prints the package's version", async () => {
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
  for (const flag of ["--version", "-V"]) {
    const r = await runBin([flag]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), version);
  }
});

test("an unknown command is still a usage error (exit 2)", async () => {
  const r = await runBin(["simulat"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /simulate/);
});

test("every command's help ends with two or three examples", async () => {
  const paths = await commandPaths();
  assert.ok(paths.length >= 10, paths.map((p) => p.join(" ")).join(", "));
  for (const path of paths) {
    const r = await runBin([...path, "--help"]);
    assert.equal(r.status, 0, path.join(" "));
    const examples = r.stdout.slice(r.stdout.lastIndexOf("Examples:"));
    assert.ok(r.stdout.includes("Examples:"), `repl-lab ${path.join(" ")} --help has no "Examples:"`);
    const lines = examples.split("\n").filter((l) => /^ {2}\$ repl-lab |^ {2}\$ source|^ {2}# /.test(l));
    assert.ok(lines.length >= 2, `repl-lab ${path.join(" ")} --help: ${lines.length} examples`);
  }
});

test("init --help lists every preset with its one-line summary", async () => {
  const r = await runBin(["init", "--help"]);
  const section = r.stdout.slice(r.stdout.indexOf("Presets:"));
  for (const name of presetNames) assert.match(section, new RegExp(`^ {2}${name} +${PRESETS[name].summary.slice(0, 30).replace(/[()+.]/g, "\\$&")}`, "m"), name);
});

test("simulate --help gives the fault phrases and the what-if defaults", async () => {
  const r = await runBin(["simulate", "--help"]);
  for (const word of ["crash NODE at T", "partition SIDE from SIDE", "bad-write", "restore-drill", "writes=500,reads=2000", "--print-scenario", "--watch"]) assert.ok(r.stdout.includes(word), word);
});
