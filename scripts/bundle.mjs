// The second half of `npm run build` (after tsc): bundles the CLI with esbuild
// into dist/bundle/cli/, one entry for the command line and one for each
// worker thread (trials, explore's schedules), split into chunks so that each command loads only the code it
// needs. Node then reads a few files instead of some two hundred modules (yaml,
// zod and commander among them), which was most of a cold start. The sources
// in src/ stay the truth; tsc's dist/src/ is what the tests import, and the
// bin falls back to it when it is newer than the bundle (a build by tsc alone).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// Every output file sits three folders below the package root, as dist/src/cli/
// and dist/src/drills/ do: the code that finds the package's own files
// (package.json, drills/, scenarios/) walks up "../../../" from
// import.meta.url, and the pools find their workers beside themselves
// ("./trial-worker.js", "./explore-worker.js"), so the folder is flat and at that depth.
export const OUT_DIR = join(ROOT, "dist", "bundle", "cli");

// Dependencies written as CommonJS call require(), which an ES module lacks
// (esbuild's stand-in throws "Dynamic require ... is not supported"), so each
// chunk makes its own.
const REQUIRE_SHIM = 'import { createRequire as __replLabRequire } from "node:module";\nconst require = __replLabRequire(import.meta.url);';

/**
 * Two dependencies do costly work when they are imported that a command
 * rarely needs, so the bundle defers it to first use; the behaviour is the
 * same. string-width builds an Intl.Segmenter, and loading the ICU
 * segmentation data takes some 12 ms, a quarter of bare node's start, in
 * every command that lays out text. commander loads node:child_process (and
 * with it net, dgram and the stream machinery, some 3 ms) for executable
 * subcommands, which repl-lab has none of. If a release changes the line, the
 * build says so and the bundle is only slower.
 */
const LAZY = [
  {
    file: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/,
    eager: "const segmenter = new Intl.Segmenter();",
    lazy: "let segmenterOnce;\nconst segmenter = { segment: (text) => (segmenterOnce ??= new Intl.Segmenter()).segment(text) };",
    what: "string-width builds its Intl.Segmenter",
    // An older string-width (cli-table3's own) has no segmenter to defer.
    mark: "Intl.Segmenter",
  },
  {
    file: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/,
    eager: "const childProcess = require('node:child_process');",
    lazy: "let childProcessOnce;\nconst childProcess = { spawn: (...args) => (childProcessOnce ??= require('node:child_process')).spawn(...args) };",
    what: "commander loads node:child_process",
    mark: "child_process",
    // Every use must go through the stand-in's one method.
    uses: /childProcess\.(?!spawn\()/,
  },
];

const lazyImports = {
  name: "lazy-imports",
  setup(build) {
    for (const { file, eager, lazy, what, mark, uses } of LAZY) {
      build.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!text.includes(mark)) return undefined;
        if (!text.includes(eager) || uses?.test(text)) return { contents: text, loader: "js", warnings: [{ text: `${what} differently now: left as it is (a slower start)` }] };
        return { contents: text.replace(eager, lazy), loader: "js" };
      });
    }
  },
};

/** Bundles into outDir (another folder three levels down: the bundle test builds its own copy). */
export async function bundle(outDir = OUT_DIR) {
  if (relative(ROOT, outDir).split(/[\\/]/).length !== 3) throw new Error(`${outDir}: the bundle must sit three folders below the package root`);
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: "src/cli/main.ts", "trial-worker": "src/parallel/trial-worker.ts", "explore-worker": "src/parallel/explore-worker.ts" },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunk-[hash]",
    banner: { js: REQUIRE_SHIM },
    // Less text to parse at every start. Names are not minified, so a --debug trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    plugins: [lazyImports],
    metafile: true,
    logLevel: "warning",
  });
  // What went into each file: esbuild's analyzer reads it, and the bundle test checks what validate loads.
  writeFileSync(join(outDir, "..", "meta.json"), JSON.stringify(result.metafile));
  await bundleCommonJs(outDir);
  return result;
}

/**
 * The quick start of validate and --version (bin/cached-cli.js): src/cli/quick.ts, which carries those
 * commands alone, as one CommonJS file, quick.cjs, which vm.Script can run with V8's code cache (ES modules
 * take none before Node 22.1), and the cache itself, recorded by a warm-up run in a child process.
 * import.meta.url becomes quick.cjs's own address, in the same folder as the ES module files, so the
 * package's files are found as before. Without a cache (recording failed) the bin uses the ES modules.
 */
async function bundleCommonJs(outDir) {
  const file = join(outDir, "quick.cjs");
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/cli/quick.ts"],
    outfile: file,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    define: { "import.meta.url": "__replLabUrl" },
    banner: { js: 'var __replLabUrl = require("node:url").pathToFileURL(__filename).href;' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    plugins: [lazyImports],
    logLevel: "warning",
  });
  writeFileSync(file, asciiOnly(readFileSync(file, "utf8")));
  const recorded = spawnSync(process.execPath, [join(ROOT, "scripts", "code-cache.mjs"), pathToFileURL(outDir).href + "/"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (recorded.status !== 0) console.warn(`no code cache for quick.cjs (the bin will use the ES modules): ${recorded.stderr.trim()}`);
}

/**
 * esbuild escapes non-ASCII text in strings and templates but leaves it in regular expressions (the
 * box-drawing classes of the report parsers). A \uXXXX escape means the same code unit there, with or
 * without the u flag (a pair of escaped surrogates is one code point under u), so the file can be read as
 * latin1, which is several times faster than UTF-8 for a file this size.
 */
export function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (unit, at) => {
    // After a backslash the escape would change meaning (\┌ is the character, \\u250C is a backslash and text).
    if (text[at - 1] === "\\") throw new Error(`quick.cjs: a backslash before a non-ASCII character at offset ${at}; write the escape in the source`);
    return `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await bundle();
  const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith(".js"));
  console.log(`bundled ${files.length} files into ${relative(ROOT, OUT_DIR)}`);
}
