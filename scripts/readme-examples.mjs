// README.md's example outputs, generated from real runs of the built CLI.
//
// Each example sits between two HTML comments that name the command:
//
//   <!-- example: repl-lab simulate scenarios/leader-dies-in-az-a.yaml -->
//   ```
//   $ npx repl-lab simulate scenarios/leader-dies-in-az-a.yaml
//   ...the output...
//   ```
//   <!-- /example -->
//
// Options may follow the word "example", before the colon:
//   lines=3-20,31,40-   keep only these lines of the output (1-based, "40-" runs
//                       to the end); each run of dropped lines shows as "...",
//                       so a long report can be quoted in part and still checked
//   stderr              append what the command wrote to stderr (error examples)
//   cwd=docs/examples   run in this folder instead of the repository's root
//   raw                 insert the output as Markdown below the fenced command
//                       line, for --format markdown tables
//
// `npm run docs:update` (node scripts/readme-examples.mjs) rewrites every block;
// test/docs/readme.test.ts runs the same commands and fails when a block differs.
// Commands run with NO_COLOR=1 and COLUMNS=100 in a scratch folder that links to
// the repository's data folders, so that files a command writes (explore's
// scenarios, drill progress) never land in the working copy.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "repl-lab.js");
/** Folders a command may read, linked into the scratch folder it runs in. */
const dataFolders = ["scenarios", "topologies", "drills", "docs", "schema"];

const START = /^<!-- example(?<options>(?: [a-z]+(?:=[^\s:]+)?)*): (?<command>repl-lab .+?) -->$/;
const END = "<!-- /example -->";

/**
 * Finds every example of a README. Line numbers are 1-based; `first` and `last`
 * are the lines between the two markers (the block the tool rewrites).
 */
export function findExamples(text) {
  const lines = text.split("\n");
  const examples = [];
  for (let i = 0; i < lines.length; i++) {
    const m = START.exec(lines[i]);
    if (!m) {
      if (lines[i].startsWith("<!-- example")) throw new Error(`README.md:${i + 1}: malformed example marker: ${lines[i]}`);
      continue;
    }
    const end = lines.indexOf(END, i + 1);
    const next = lines.findIndex((l, j) => j > i && START.test(l));
    if (end < 0 || (next >= 0 && next < end)) throw new Error(`README.md:${i + 1}: "${lines[i]}" has no matching ${END}`);
    examples.push({ command: m.groups.command, options: parseOptions(m.groups.options), marker: i + 1, first: i + 2, last: end, block: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return examples;
}

function parseOptions(text) {
  const options = { lines: undefined, stderr: false, raw: false, cwd: "." };
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = word.split("=");
    if (key === "lines") options.lines = value;
    else if (key === "stderr" || key === "raw") options[key] = true;
    else if (key === "cwd") options.cwd = value;
    else throw new Error(`unknown example option "${word}" (known: lines=, stderr, raw, cwd=)`);
  }
  return options;
}

/** Runs one example's command and returns its output, before selection. */
export function run(example) {
  const scratch = mkdtempSync(join(tmpdir(), "repl-lab-readme-"));
  for (const folder of dataFolders) if (existsSync(join(root, folder))) symlinkSync(join(root, folder), join(scratch, folder));
  mkdirSync(join(scratch, "state"));
  const env = { ...process.env, NO_COLOR: "1", COLUMNS: "100", TERM: "dumb", REPL_LAB_HOME: join(scratch, "state"), XDG_STATE_HOME: join(scratch, "state") };
  delete env.FORCE_COLOR;
  // The command goes through the shell, as a reader would type it: globs
  // (scenarios/cross-region/*partition.yaml) and quoted answers work as written.
  const script = `exec "${process.execPath}" "${bin}"${example.command.slice("repl-lab".length)}`;
  return new Promise((done, fail) => {
    execFile("/bin/sh", ["-c", script], { cwd: join(scratch, example.options.cwd), env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      rmSync(scratch, { recursive: true, force: true });
      // A non-zero exit is part of many examples (validate finds errors); only
      // a command that could not run at all, or printed nothing, is a failure.
      if (error && typeof error.code !== "number") return fail(new Error(`${example.command}: ${error.message}`));
      if (error && stdout === "" && stderr !== "" && !example.options.stderr) return fail(new Error(`${example.command} failed (exit ${error.code}):\n${stderr}`));
      done(example.options.stderr ? stdout + stderr : stdout);
    });
  });
}

/** Parses "3-20,31,40-" into a test for 1-based line numbers. */
function lineFilter(spec, count) {
  const keep = new Set();
  for (const part of spec.split(",")) {
    const m = /^(\d+)(?:-(\d*))?$/.exec(part);
    if (!m) throw new Error(`bad lines= range "${part}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === "" ? count : Number(m[2]);
    for (let n = from; n <= to; n++) keep.add(n);
  }
  return (n) => keep.has(n);
}

/** The block an example should hold, given its command's output. */
export function render(example, output) {
  // Trailing spaces are not kept: editors strip them, and they carry nothing.
  const all = output.replace(/\n+$/, "").split("\n").map((l) => l.trimEnd());
  let shown = all;
  if (example.options.lines) {
    const keep = lineFilter(example.options.lines, all.length);
    shown = [];
    all.forEach((line, i) => {
      if (keep(i + 1)) shown.push(line);
      else if (!example.options.raw && shown.at(-1) !== "...") shown.push("...");
    });
  }
  // Raw output is Markdown to render (a --format markdown table): the command
  // still shows in a fence above it, and blank lines keep the table apart.
  if (example.options.raw) return ["```", `$ npx ${example.command}`, "```", "", ...shown, ""].join("\n");
  return ["```", `$ npx ${example.command}`, ...shown, "```"].join("\n");
}

/** The README with every example block replaced by the tool's output. */
export async function update(text) {
  const examples = findExamples(text);
  const outputs = await Promise.all(examples.map((e) => run(e)));
  const lines = text.split("\n");
  // Replace from the bottom up so that earlier line numbers stay valid.
  for (let k = examples.length - 1; k >= 0; k--) {
    const e = examples[k];
    lines.splice(e.first - 1, e.last - e.first + 1, render(e, outputs[k]));
  }
  return { text: lines.join("\n"), examples };
}

/** Where a block and the tool's output first differ, as a one-line message; undefined when equal. */
export function firstDifference(example, expected) {
  const have = example.block.split("\n");
  const want = expected.split("\n");
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    if (have[i] !== want[i]) {
      const where = `README.md:${example.first + i}`;
      if (have[i] === undefined) return `${where}: the block ends, but the tool prints more: ${JSON.stringify(want[i])}`;
      if (want[i] === undefined) return `${where}: the tool's output ends, but the block goes on: ${JSON.stringify(have[i])}`;
      return `${where}:\n    README: ${JSON.stringify(have[i])}\n    tool:   ${JSON.stringify(want[i])}`;
    }
  }
  return undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) {
    console.error("dist/ is missing: run `npm run build` first (npm run docs:update does).");
    process.exit(2);
  }
  const file = join(root, "README.md");
  const before = readFileSync(file, "utf8");
  const { text, examples } = await update(before);
  if (text !== before) writeFileSync(file, text);
  console.log(`${examples.length} README examples ${text === before ? "already up to date" : "regenerated"}.`);
}
