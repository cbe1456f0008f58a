// The quick start on Node before 22.1, which has no module.enableCompileCache:
// the whole CLI as one CommonJS file (dist/bundle/cli/main.cjs) run through
// vm.Script with V8's code cache (main.cache), which the build records after
// a warm-up run of `validate`. V8 then skips parsing and compiling what it
// compiled in the warm-up, most of a cold `validate`. The cache only fits the
// V8 that made it, run without flags; for any other Node, or when a file is
// missing, this answers null and the bin imports the ES module bundle.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/** What scripts/code-cache.mjs records beside the cache, and what this checks before trusting it. */
export function cacheStamp() {
  return { v8: process.versions.v8, arch: process.arch, platform: process.platform };
}

/** Flags change V8's code: a cache recorded without them is refused, after the compile it was meant to save. */
export function runsWithoutFlags() {
  return process.execArgv.length === 0 && (process.env.NODE_OPTIONS ?? "").trim() === "";
}

/**
 * Compiles and runs main.cjs in `dir` (a file: URL of the bundle's folder, ending in "/") with the cached
 * data if given. Returns the module's exports and the script (to record a cache from) and whether V8 refused the cache.
 */
export function compileCli(dir, cachedData) {
  const file = fileURLToPath(new URL("main.cjs", dir));
  // esbuild's output is ASCII (scripts/bundle.mjs escapes the rest), so latin1 is exact and several times faster than UTF-8.
  const source = readFileSync(file, "latin1");
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(dir));
  return { exports: module.exports, script, rejected: cachedData !== undefined && script.cachedDataRejected === true };
}

/** The CLI's exports from the cached CommonJS file, or null when the cache does not fit this process (or is older than `builtAt`). */
export function loadCachedCli(dir, builtAt) {
  if (!runsWithoutFlags()) return null;
  const cjsAt = statSync(new URL("main.cjs", dir), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (cjsAt < builtAt) return null;
  let stamp;
  let cachedData;
  try {
    stamp = JSON.parse(readFileSync(new URL("main.cache.json", dir), "utf8"));
    cachedData = readFileSync(new URL("main.cache", dir));
  } catch {
    return null;
  }
  const here = cacheStamp();
  if (Object.keys(here).some((key) => stamp[key] !== here[key])) return null;
  return compileCli(dir, cachedData).exports;
}
