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
import { fitHelp, helpWidth } from "../../src/cli/help-fit.js";

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

test("every command's help fits 80 columns (COLUMNS=80): our examples and lists are fitted like commander's own sections", async () => {
  const { spawnSync } = await import("node:child_process");
  const paths = [[], ...(await commandPaths())];
  for (const path of paths) {
    const r = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...path, "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", COLUMNS: "80" } });
    assert.equal(r.status, 0, path.join(" "));
    const wide = r.stdout.split("\n").filter((line) => line.length > 80);
    assert.deepEqual(wide, [], `repl-lab ${path.join(" ")} --help`);
  }
});

test("fitHelp continues a long example with backslashes, never inside a quoted argument, and hangs a list row under its text", () => {
  const command = '  $ repl-lab simulate topologies/payments.yaml --fault "partition us-east/a from us-east/b at 20s for 40s" --print-scenario > what-if.yaml';
  const lines = fitHelp(command, 60).split("\n");
  assert.ok(lines.every((l) => l.length <= 60 || !l.includes(" ")), lines.join("\n"));
  assert.ok(lines.slice(0, -1).every((l) => l.endsWith(" \\")), "each line but the last continues");
  assert.equal(lines.map((l) => l.replace(/ \\$/, "").trim()).join(" "), command.trim(), "the same command once joined");
  assert.ok(lines.some((l) => l.includes('"partition us-east/a from us-east/b at 20s for 40s"')), "the quoted argument stays whole");
  const withComment = fitHelp("  $ repl-lab init --kind scenario --out scenario.yaml      # runs against topology.yaml", 60).split("\n");
  assert.deepEqual(withComment, ["  # runs against topology.yaml", "  $ repl-lab init --kind scenario --out scenario.yaml"]);
  const row = fitHelp("  patroni          Patroni + etcd managing PostgreSQL: leader lease ttl 30s / loop_wait 10s", 60).split("\n");
  assert.equal(row[0].slice(0, 19), "  patroni          ");
  assert.ok(row.slice(1).every((l) => l.startsWith(" ".repeat(19)) && l.length <= 60), row.join("\n"));
  const short = "  $ repl-lab drill --due";
  assert.equal(fitHelp(short, 60), short, "a line that fits is left alone");
});

test("help width: COLUMNS, else the terminal's, else 80 (as every report decides it)", () => {
  assert.equal(helpWidth({ isTTY: true, columns: 132 }), 132);
  assert.equal(helpWidth({ isTTY: false, columnsEnv: "72" }), 72);
  assert.equal(helpWidth({ isTTY: false }), 80);
  assert.equal(helpWidth({ isTTY: false, columnsEnv: "abc" }), 80);
  assert.equal(helpWidth({ isTTY: false, columnsEnv: "5" }), 40);
});

test("below 80 columns an option row keeps its column, a paragraph is reflowed as one, and a list item hangs its continuation (found by a review)", async () => {
  // Commander leaves a description unwrapped when its column would be under 40: the row (a name of two words, then
  // two or more spaces) wraps under its description, not as prose that loses the padding.
  const option = fitHelp("  --format <format>  output format (default: text) (choices: \"text\", \"json\", \"markdown\", \"html\")", 60).split("\n");
  assert.ok(option[0].startsWith("  --format <format>  output"), option.join("\n"));
  assert.ok(option.slice(1).every((l) => l.startsWith(" ".repeat(21)) && l.length <= 60), option.join("\n"));
  // A paragraph broken at 80 columns reads as one paragraph at 50, with no short line in the middle.
  const paragraph = "A what-if (no scenario file): give one topology file and --fault phrases.\nEach phrase becomes one entry of the scenario's faults: list (T and D are\ndurations such as 30s or 2m).";
  const reflowed = fitHelp(paragraph, 50).split("\n");
  assert.equal(reflowed.join(" "), paragraph.replace(/\n/g, " "));
  assert.ok(reflowed.slice(0, -1).every((l) => l.length > 40 && l.length <= 50), reflowed.join("\n"));
  // Items of a list stay items; one too long continues two columns further in.
  const list = fitHelp("  bad-write update-all|delete|drop CLASS [ROWS] at T [noticed after D]\n  archive-fails at T [for D]", 50).split("\n");
  assert.deepEqual(list, ["  bad-write update-all|delete|drop CLASS [ROWS] at", "    T [noticed after D]", "  archive-fails at T [for D]"]);
  // And the real help at 60 columns: every option's description starts in one column.
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), "simulate", "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", COLUMNS: "60" } });
  const rows = r.stdout.split("\n").filter((l) => /^ {2}--[a-z-]+( <[a-z/]+>)?\s{2,}\S/.test(l));
  const columns = new Set(rows.map((l) => /^ {2}--[a-z-]+( <[a-z/]+>)?\s{2,}/.exec(l)![0].length));
  assert.ok(rows.length >= 10 && columns.size === 1, `${[...columns]}\n${rows.join("\n")}`);
  // (A quoted argument longer than the width stays whole, on a line of its own: the example must still paste.)
  assert.ok(r.stdout.split("\n").every((l) => l.length <= 60 || /^\s*"[^"]*"( \\)?$/.test(l)), r.stdout);
});
