// What the README states about the tool must match the tool: every flag that
// a command's --help shows is in the synopsis, every dependency in
// package.json is in the dependency table, the Node version is the one
// `engines` requires, and "the material" is explained before it is used.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commandPaths, runBin } from "../cli/bin.js";

const root = process.cwd();
const readme = readFileSync(join(root, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The fenced block under "## Synopsis", with continuation lines joined to the line they continue. */
function synopsis(): string[] {
  const start = readme.indexOf("## Synopsis");
  assert.ok(start >= 0, 'README.md has no "## Synopsis" section');
  const fence = readme.indexOf("```\n", start);
  const block = readme.slice(fence + 4, readme.indexOf("```", fence + 4));
  const lines: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("repl-lab")) lines.push(line);
    else if (line.trim() !== "") lines[lines.length - 1] += ` ${line.trim()}`;
  }
  return lines;
}

/** The synopsis lines of one command: "repl-lab drill ..." but not "repl-lab drill stats ...". */
function linesOf(path: string[], all: string[], paths: string[][]): string[] {
  if (path.length === 0) return all.filter((l) => /^repl-lab \[/.test(l));
  const deeper = paths.filter((p) => p.length > path.length && p.slice(0, path.length).join(" ") === path.join(" ")).map((p) => `repl-lab ${p.join(" ")}`);
  const prefix = `repl-lab ${path.join(" ")}`;
  return all.filter((l) => (l === prefix || l.startsWith(`${prefix} `)) && !deeper.some((d) => l === d || l.startsWith(`${d} `)));
}

test("every flag that --help shows is in the README synopsis", async () => {
  const all = synopsis();
  const paths = [[], ...(await commandPaths())];
  const missing: string[] = [];
  for (const path of paths) {
    const help = await runBin([...path, "--help"]);
    const flags = [...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]).filter((f) => f !== "--help");
    const lines = linesOf(path, all, paths);
    if (lines.length === 0) {
      missing.push(`repl-lab ${path.join(" ")}: no synopsis line`);
      continue;
    }
    for (const flag of flags) if (!lines.some((l) => new RegExp(`\\[?${flag}(?![a-z-])`).test(l))) missing.push(`repl-lab ${path.join(" ")} ${flag}`);
  }
  assert.deepEqual(missing, [], "add these to the Synopsis in README.md");
});

test("the dependency table names every dependency in package.json", () => {
  const start = readme.indexOf("## Why each dependency is here");
  assert.ok(start >= 0);
  const table = readme.slice(start, readme.indexOf("\n## ", start + 3));
  const named = new Set([...table.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  const missing = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((name) => !named.has(name));
  assert.deepEqual(missing, []);
});

test("the Node version the README asks for is the one package.json requires", () => {
  const required = /^>=(\d+(?:\.\d+)*)$/.exec(pkg.engines.node);
  assert.ok(required, pkg.engines.node);
  const stated = [...readme.matchAll(/Node(?:\.js)? (\d+(?:\.\d+)*) or newer/g)].map((m) => m[1]);
  assert.ok(stated.length >= 1, 'README.md says nowhere "Node.js X or newer"');
  assert.deepEqual([...new Set(stated)], [required[1]]);
});

test('"the material" is explained before the README first leans on it', () => {
  const explained = readme.indexOf('**"The material"**');
  assert.ok(explained >= 0, "README.md does not say what the material is");
  const first = readme.toLowerCase().indexOf("the material");
  assert.equal(first, explained + '**"'.length, "the first mention of the material is the paragraph that explains it");
  assert.doesNotMatch(readme, /SPEC\.md|FACTS\.md|LIVE\.md|\/work\/shared/, "the README stands on its own");
});

test("the RTOs the README quotes from the live cluster are the calibration table's", () => {
  const table = readme.slice(readme.indexOf("<!-- calibration:start -->"), readme.indexOf("<!-- calibration:end -->"));
  /** The live RTOs of a scenario's row, as "min–max s". */
  const liveRange = (scenario: string): string => {
    const row = table.split("\n").find((line) => line.startsWith(`| ${scenario} (`));
    assert.ok(row, `no calibration row for ${scenario}`);
    const seconds = row.split("|")[3].split("/").map((cell) => Number.parseFloat(cell));
    return `${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)} s`;
  };
  const prose = readme.slice(readme.indexOf("**Where the material simplifies.**")).replace(/\s+/g, " ");
  assert.match(prose, new RegExp(`write RTO of ${liveRange("leader-crash-defaults")} with defaults and ${liveRange("leader-crash")} with ttl 10`));
});

test("the README's payments RTO carries Patroni 3.2's 20 s ttl floor, with the RTO the engine gives on that lease (found by a review)", async () => {
  const { loadFile } = await import("../../src/model/load.js");
  const { simulate } = await import("../../src/engine/simulate.js");
  const { flooredScenario } = await import("../../src/drills/predict.js");
  const loaded = loadFile(join(root, "scenarios", "leader-dies-in-az-a.yaml"));
  assert.equal(loaded.kind, "scenario");
  const floored = flooredScenario((loaded as { scenario: Parameters<typeof flooredScenario>[0] }).scenario);
  assert.ok(floored, "the payments lease is under Patroni 3.2's floors");
  const rto = Math.round(simulate(floored).classes.find((c) => c.name === "ledger")!.rto.writeMs! / 1000);
  const row = readme.split("\n").find((l) => l.startsWith("| `leader-dies-in-az-a` |"));
  assert.ok(row, "no bundled-scenario row for leader-dies-in-az-a");
  assert.match(row, new RegExp(`3\\.2 and later raise the ttl to 20 s, which gives ~${rto} s`));
  const simplifies = readme.replace(/\s+/g, " ");
  assert.match(simplifies, new RegExp(`3\\.2 and later raise any ttl under 20 s to 20 s, and on that lease the same design reopens writes after about ${rto} s`));
});
