// The quick start of `validate` and `--version`, what CI runs most: those
// commands alone (src/cli/quick.ts) as one CommonJS file,
// dist/bundle/cli/quick.cjs, run through vm.Script with V8's code cache
// (quick.cache), which the build records after a warm-up run of them. V8 then
// skips parsing and compiling what it compiled in the warm-up, most of a cold
// `validate`, which ES modules cannot do before Node 22.1 (and there Node's
// own compile cache still reads every chunk). The cache only fits the V8 that
// made it, run without flags; for any other Node or command line, or when a
// file is missing, the bin imports the ES module bundle instead.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/** The commands of src/cli/quick.ts (QUICK_COMMANDS), and the program's own flags that may come before them (GLOBAL_FLAGS in src/cli/program.ts). */
export const QUICK_COMMANDS = ["validate"];
export const GLOBAL_FLAGS = ["--no-color", "--debug"];

/** Whether the command line asks for a command of the quick file (or the version, which needs none). */
export function isQuick(argv) {
  const name = argv.slice(2).find((a) => !GLOBAL_FLAGS.includes(a));
  return name === "--version" || name === "-V" || QUICK_COMMANDS.includes(name);
}

/** What scripts/code-cache.mjs records beside the cache, and what this checks before trusting it. */
export function cacheStamp() {
  return { v8: process.versions.v8, arch: process.arch, platform: process.platform };
}

/** Flags change V8's code: a cache recorded without them is refused, after the compile it was meant to save. */
export function runsWithoutFlags() {
  return process.execArgv.length === 0 && (process.env.NODE_OPTIONS ?? "").trim() === "";
}

/**
 * Compiles and runs quick.cjs in `dir` (a file: URL of the bundle's folder, ending in "/") with the cached
 * data if given. Returns the module's exports and the script (to record a cache from) and whether V8 refused the cache.
 */
export function compileCli(dir, cachedData) {
  const file = fileURLToPath(new URL("quick.cjs", dir));
  // esbuild's output is ASCII (scripts/bundle.mjs escapes the rest), so latin1 is exact and several times faster than UTF-8.
  const source = readFileSync(file, "latin1");
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(dir));
  return { exports: module.exports, script, rejected: cachedData !== undefined && script.cachedDataRejected === true };
}

/**
 * The quick file's exports (main, outputFailed) for command line `argv`, or null when it is not a quick
 * command or the cache does not fit this process (or is older than `builtAt`).
 */
export function loadQuickCli(argv, dir, builtAt) {
  if (!isQuick(argv) || !runsWithoutFlags()) return null;
  const cjsAt = statSync(new URL("quick.cjs", dir), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (cjsAt < builtAt) return null;
  let stamp;
  let cachedData;
  try {
    stamp = JSON.parse(readFileSync(new URL("quick.cache.json", dir), "utf8"));
    cachedData = readFileSync(new URL("quick.cache", dir));
  } catch {
    return null;
  }
  const here = cacheStamp();
  if (Object.keys(here).some((key) => stamp[key] !== here[key])) return null;
  return compileCli(dir, cachedData).exports;
}
