// The edges of the CLI: output streams, colour, and mapping errors to exit codes.
// Only the entry point (bin/repl-lab.js) ends the process; commands return codes.
import { Chalk, type ChalkInstance } from "chalk";
import { formatDiagnostic, InputError, UsageError } from "../model/diagnostics.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: ChalkInstance;
  isTTY: boolean;
  /** Where `out` writes: a terminal and its width, or not (a pipe, a file). Text renders to this width unless --width says otherwise. */
  terminal?: { isTTY: boolean; columns?: number; columnsEnv?: string };
}

let pipeClosed = false;
let outputFailure: string | undefined;

/** One line for a failed write (full disk, I/O error): the report is incomplete, so the run is not a success. */
function onStreamError(stream: "standard output" | "standard error", error: NodeJS.ErrnoException): void {
  // A reader that stops early (`| head`) is not an error of ours.
  if (error.code === "EPIPE") {
    if (stream === "standard output") pipeClosed = true;
    return;
  }
  pipeClosed = true;
  if (outputFailure !== undefined) return;
  outputFailure = `error cannot write to ${stream}: ${error.code ?? "I/O error"} (${describeErrno(error.code)})`;
  if (stream === "standard output") {
    try {
      process.stderr.write(`${outputFailure}\n`);
    } catch {
      // Nowhere left to say it; the exit code still does.
    }
  }
  process.exitCode = EXIT_USAGE;
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case "ENOSPC":
      return "no space left on the device";
    case "EIO":
      return "input/output error";
    case "EBADF":
      return "the stream is closed";
    case "EDQUOT":
      return "disk quota exceeded";
    default:
      return "the output is incomplete";
  }
}

process.stdout.on("error", (error: NodeJS.ErrnoException) => onStreamError("standard output", error));
process.stderr.on("error", (error: NodeJS.ErrnoException) => onStreamError("standard error", error));

/** Whether a write to stdout or stderr failed (other than a closed pipe): the entry point then exits 2. */
export function outputFailed(): boolean {
  return outputFailure !== undefined;
}

export function colorEnabled(argv: string[]): boolean {
  if (argv.includes("--no-color")) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== "0";
  return Boolean(process.stdout.isTTY);
}

export function makeIo(argv: string[]): Io {
  const enabled = colorEnabled(argv);
  return {
    out: (text) => {
      if (!pipeClosed) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    err: (text) => {
      if (outputFailure === undefined || !outputFailure.includes("standard error")) process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    color: new Chalk({ level: enabled ? 1 : 0 }),
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
    terminal: { isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns, columnsEnv: process.env.COLUMNS },
  };
}

/** Prints a user error (one line per problem, no stack trace) and returns its exit code. */
export function reportError(io: Io, error: unknown, debug: boolean): number {
  if (error instanceof InputError) {
    for (const d of error.diagnostics) io.err(`${io.color.red("error")} ${formatDiagnostic(d)}`);
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    io.err(`${io.color.red("error")} ${error.message}`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`${io.color.red("internal error")} ${message}`);
  io.err("This is a bug in repl-lab. Run again with --debug for details, and report it.");
  if (debug && error instanceof Error && error.stack) io.err(error.stack);
  return 70;
}
