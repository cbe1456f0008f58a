// The bundle (scripts/bundle.mjs, what bin/repl-lab.js runs after a build)
// is the same program as tsc's output, as ES modules and as the one CommonJS
// file with its code cache: the same output and exit code for the
// commands that reach every part of it that is found by path at run time (the
// trials and explore workers, the HTML report's lazy chunk, the drills and scenarios
// folders, package.json), nothing left outside it but Node's own modules, and
// validate loading none of the engine, drills, live cluster or HTML code.
// The test builds its own copy, so it never races the other CLI tests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./bin.js";

/** bin/cached-cli.js, plain JavaScript beside the bin. */
interface QuickLoader {
  isQuick(argv: string[]): boolean;
  QUICK_COMMANDS: string[];
  GLOBAL_FLAGS: string[];
}
const loader = (): Promise<QuickLoader> => import(pathToFileURL(join(ROOT, "bin", "cached-cli.js")).href) as Promise<QuickLoader>;

const OUT = join(ROOT, "dist", "bundle-test", "cli");
const COMPILED = join(ROOT, "dist", "src", "cli", "main.js");
// A file, not `node --input-type=module -e`: worker threads inherit the parent's flags, and that one stops them.
const RUNNER = join(ROOT, "dist", "bundle-test", "run-main.mjs");

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }>;
}
let meta: Metafile;

before(async () => {
  const { bundle } = (await import(pathToFileURL(join(ROOT, "scripts", "bundle.mjs")).href)) as { bundle: (outDir: string) => Promise<{ metafile: Metafile }> };
  meta = (await bundle(OUT)).metafile;
  // Written once, before any child starts: rewriting it per run would truncate it under a child that is still reading it.
  writeFileSync(
    RUNNER,
    `import { readFileSync } from "node:fs";
const target = process.argv[2];
let cli;
if (target.endsWith(".cjs")) {
  const { compileCli } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "bin", "cached-cli.js")).href)});
  const compiled = compileCli(new URL(".", target), readFileSync(new URL("quick.cache", target)));
  if (compiled.rejected) throw new Error("V8 refused the code cache");
  cli = compiled.exports;
} else cli = await import(target);
cli.main(["node", "repl-lab", ...process.argv.slice(3)]).then((code) => { process.exitCode = cli.outputFailed() ? 2 : code; });`,
  );
});

after(() => rmSync(join(ROOT, "dist", "bundle-test"), { recursive: true, force: true }));

/**
 * Runs main() of the given build the way the bin does, in a child process; the exit code comes back as `status`.
 * quick.cjs runs as the bin runs it, through bin/cached-cli.js with the recorded code cache.
 */
function runMain(mainFile: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", COLUMNS: "100" };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [RUNNER, pathToFileURL(mainFile).href, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const SAME_AS_TSC: string[][] = [
  ["--version"],
  ["validate", "topologies/payments.yaml"],
  ["validate", "topologies/", "--format", "sarif"],
  ["validate", "test/fixtures/lint/"],
  ["simulate", "scenarios/leader-dies-in-az-a.yaml", "--trials", "16", "--jobs", "2", "--json"],
  ["simulate", "scenarios/leader-dies-in-az-a.yaml", "--format", "html"],
  ["drill", "--list"],
  ["schema"],
  ["quorum", "--n", "3", "--r", "2", "--w", "2", "--json"],
  ["nonsense"],
];

for (const args of SAME_AS_TSC) {
  test(`the bundle prints what tsc's build prints: repl-lab ${args.join(" ")}`, async () => {
    const quick = (await loader()).isQuick(["node", "repl-lab", ...args]);
    const runs = [runMain(join(OUT, "main.js"), args), runMain(COMPILED, args), ...(quick ? [runMain(join(OUT, "quick.cjs"), args)] : [])];
    const [bundled, compiled, cached] = await Promise.all(runs);
    for (const run of quick ? [bundled, cached] : [bundled]) {
      assert.equal(run.stderr, compiled.stderr);
      assert.equal(run.stdout, compiled.stdout);
      assert.equal(run.status, compiled.status);
    }
    assert.ok(compiled.stdout.length + compiled.stderr.length > 0, "the command printed something");
    assert.doesNotMatch(compiled.stderr, /internal error/, "the command ran (a crash in both builds would compare equal)");
  });
}

test("the bundle's explore worker threads find what tsc's build finds (explore --jobs 2, the HTML page's lazy chunk)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-bundle-explore-"));
  try {
    const args = (out: string) => ["explore", "topologies/async-replicas.yaml", "--schedules", "8", "--faults", "crash,partition", "--jobs", "2", "--format", "html", "--out", join(dir, out)];
    const bundled = await runMain(join(OUT, "main.js"), args("bundled"));
    const compiled = await runMain(COMPILED, args("compiled"));
    assert.equal(bundled.status, compiled.status, bundled.stderr);
    assert.match(bundled.stdout, /<svg/);
    assert.equal(bundled.stdout.replaceAll("bundled", "compiled"), compiled.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the quick file is ASCII (read as latin1), holds validate and not the rest, and carries a code cache stamped with this V8", () => {
  const text = readFileSync(join(OUT, "quick.cjs"), "utf8");
  assert.doesNotMatch(text, /[^\x00-\x7f]/);
  assert.match(text, /src\/cli\/validate\.ts/);
  assert.doesNotMatch(text, /src\/(engine|drills|live|swarm)\//);
  assert.deepEqual(JSON.parse(readFileSync(join(OUT, "quick.cache.json"), "utf8")), { v8: process.versions.v8, arch: process.arch, platform: process.platform });
  assert.ok(statSync(join(OUT, "quick.cache")).size > 100_000, "the cache holds the warm-up's compiled code");
});

test("the bin sends to the quick file exactly the command lines of its commands, after the same global flags", async () => {
  const { GLOBAL_FLAGS } = (await import(pathToFileURL(join(ROOT, "dist", "src", "cli", "program.js")).href)) as { GLOBAL_FLAGS: Set<string> };
  const { QUICK_COMMANDS } = (await import(pathToFileURL(join(ROOT, "dist", "src", "cli", "quick.js")).href)) as { QUICK_COMMANDS: readonly string[] };
  const { isQuick, GLOBAL_FLAGS: binFlags, QUICK_COMMANDS: binCommands } = await loader();
  assert.deepEqual([...GLOBAL_FLAGS], binFlags);
  assert.deepEqual([...QUICK_COMMANDS], binCommands);
  const argv = (...args: string[]) => ["node", "repl-lab", ...args];
  for (const yes of [argv("validate", "x.yaml"), argv("--no-color", "validate"), argv("--debug", "--no-color", "validate", "--help"), argv("--version"), argv("-V")]) assert.equal(isQuick(yes), true, yes.join(" "));
  for (const no of [argv(), argv("--no-color"), argv("help", "validate"), argv("simulate", "validate"), argv("valdate"), argv("--help"), argv("x.yaml", "validate")]) assert.equal(isQuick(no), false, no.join(" "));
});

test("asciiOnly escapes what esbuild leaves in regular expressions, to the same pattern", async () => {
  const { asciiOnly } = (await import(pathToFileURL(join(ROOT, "scripts", "bundle.mjs")).href)) as { asciiOnly: (text: string) => string };
  for (const [source, input] of [
    ["/^[┌│├└]+$/", "┌│├└"],
    ["/[↑↓→←]/u", "→"],
    ["/^[~≈]|^about /", "≈ 5"],
    ["/😀+/u", "😀😀"],
    ["/[😀]/", "\uDE00"],
  ]) {
    const escaped = asciiOnly(source);
    assert.match(escaped, /^[\x00-\x7f]+$/);
    const before = new Function(`return ${source}`)() as RegExp;
    const after = new Function(`return ${escaped}`)() as RegExp;
    assert.equal(after.source.length > 0, true);
    assert.equal(after.test(input), before.test(input), `${source} and ${escaped} on ${input}`);
    assert.equal(after.test("plain"), before.test("plain"));
  }
  assert.throws(() => asciiOnly("/\\┌/"), /backslash before a non-ASCII character/);
});

/** Optional packages that a dependency requires only when present: linkedom tries canvas (else its shim), pg loads pg-native only for pg.native. */
const OPTIONAL = ["pg-native", "canvas"];

test("the bundle imports nothing at run time but Node's own modules and its own files", () => {
  const outside = Object.values(meta.outputs)
    .flatMap((output) => output.imports)
    .filter((i) => i.external && !isBuiltin(i.path) && !OPTIONAL.includes(i.path))
    .map((i) => i.path);
  assert.deepEqual([...new Set(outside)], []);
});

test("validate loads its own chunks only: no engine, drills, live cluster, swarm or HTML report", () => {
  const outputs = meta.outputs;
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const i of outputs[file].imports) if (i.kind === "import-statement" && outputs[i.path]) visit(i.path);
  };
  const files = Object.keys(outputs);
  visit(files.find((f) => f.endsWith("/main.js"))!);
  visit(files.find((f) => "src/cli/validate.ts" in outputs[f].inputs)!);
  const sources = [...loaded].flatMap((f) => Object.keys(outputs[f].inputs));
  assert.ok(sources.some((s) => s.startsWith("src/lint/")), "validate's chunks hold the linter");
  const heavy = sources.filter((s) => /^src\/(engine|drills|live|swarm|parallel|report\/html|report\/simulate)\/|node_modules\/(pg|ora|@inquirer|@observablehq|linkedom|ts-fsrs|cli-table3)\//.test(s));
  assert.deepEqual(heavy, []);
});
