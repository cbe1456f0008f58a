#!/usr/bin/env node
// Thin shim. `npm install` builds the CLI (the `prepare` script runs `npm run build`): tsc
// into dist/src/ and esbuild's bundle of it into dist/bundle/cli/, which starts like bare
// node (ES modules; `validate` and `--version` from one CommonJS file with V8's code cache). The bundle runs unless tsc built since (a `tsc` alone, or a rebuild by `tsc --watch`,
// which rewrites only the files that changed but always its dist/.tsbuildinfo) or it is missing.
// This is the only place that ends the process; commands return their exit code.
import module from "node:module";
import { statSync } from "node:fs";
import { isQuick, loadQuickCli } from "./cached-cli.js";

// Node 22.1 and later keep V8's compiled code on disk between runs (in the temporary folder).
module.enableCompileCache?.();
// A non-empty NO_COLOR wins over FORCE_COLOR (src/cli/io.ts). Settled here, before anything loads: Node 22 and
// later warn on stderr that NO_COLOR is ignored when a module (node:assert) asks Node whether to colour.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR;

const BUNDLE = new URL("../dist/bundle/cli/main.js", import.meta.url);
const COMPILED = new URL("../dist/src/cli/main.js", import.meta.url);
const BUILD_INFO = new URL("../dist/.tsbuildinfo", import.meta.url);
const modified = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const compiledAt = Math.max(modified(COMPILED), modified(BUILD_INFO));
// validate and --version start from one CommonJS file with V8's code cache, when it fits (bin/cached-cli.js).
const cached = isQuick(process.argv) ? loadQuickCli(process.argv, new URL("../dist/bundle/cli/", import.meta.url), compiledAt) : null;
const { main, outputFailed } = cached ?? (await import(modified(BUNDLE) >= compiledAt ? BUNDLE.href : COMPILED.href));

/** 128 + the signal's number: the command was stopped by SIGHUP, Ctrl+C (SIGINT) or SIGTERM. */
const SIGNAL_CODES = new Set([129, 130, 143]);

main(process.argv).then((code) => {
  // After a signal the interrupted work may still hold timers; the command has cleaned up, so end now.
  if (SIGNAL_CODES.has(code)) process.exit(code);
  // Otherwise let stdout drain: process.exit could cut a long report written to a pipe.
  // A failed write (a full disk) already set 2 and said so; it may also arrive after this point.
  process.exitCode = outputFailed() ? 2 : code;
});
