#!/usr/bin/env node
// Thin shim: the CLI lives in dist/src/cli/main.js (built by `npm install` via `prepare`).
// This is the only place that ends the process; commands return their exit code.
import { main } from "../dist/src/cli/main.js";
import { outputFailed } from "../dist/src/cli/io.js";

/** 128 + the signal's number: the command was stopped by SIGHUP, Ctrl+C (SIGINT) or SIGTERM. */
const SIGNAL_CODES = new Set([129, 130, 143]);

main(process.argv).then((code) => {
  // After a signal the interrupted work may still hold timers; the command has cleaned up, so end now.
  if (SIGNAL_CODES.has(code)) process.exit(code);
  // Otherwise let stdout drain: process.exit could cut a long report written to a pipe.
  // A failed write (a full disk) already set 2 and said so; it may also arrive after this point.
  process.exitCode = outputFailed() ? 2 : code;
});
