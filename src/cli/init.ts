// `repl-lab init [--preset NAME] [--out FILE]`: a commented starter topology.
// The starter designs are data in src/starters/; this command picks one by
// preset and prints it, or with --out writes it atomically, never replacing an
// existing file.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Option, type Command } from "commander";
import { didYouMean, UsageError } from "../model/diagnostics.js";
import type { PresetName } from "../model/presets.js";
import { presetNames } from "../model/schema.js";
import { starterTopology } from "../starters/index.js";
import { EXIT_OK, reportError, type Io } from "./io.js";

export function runInit(options: { preset: string; out?: string }, io: Io): number {
  try {
    const preset = presetName(options.preset);
    const text = starterTopology(preset);
    if (options.out === undefined) {
      io.out(text);
      return EXIT_OK;
    }
    writeNew(options.out, text);
    io.err(`wrote ${options.out} (preset ${preset}); check it with: repl-lab validate ${options.out}`);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, false);
  }
}

function presetName(name: string): PresetName {
  if ((presetNames as readonly string[]).includes(name)) return name as PresetName;
  throw new UsageError(`unknown preset "${name}"${didYouMean(name, presetNames)} (presets: ${presetNames.join(", ")})`);
}

/**
 * Writes a new file atomically: the text goes to a temporary file in the same
 * directory, is flushed, then linked into place. A hard link, unlike a rename,
 * fails when the target exists, so a file created meanwhile is never replaced;
 * where links are not supported, a rename after a last check stands in.
 */
function writeNew(file: string, text: string): void {
  if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file (choose another --out, or move that file away)`);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new UsageError(`cannot write ${file}: the directory ${dir} does not exist`);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o644);
  } catch (error) {
    throw new UsageError(`cannot write in ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new UsageError(`${file} already exists; init never overwrites a file`);
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") {
        throw new UsageError(`cannot write ${file}: ${code ?? (error as Error).message}`);
      }
      if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file`);
      renameSync(temp, file);
    }
  } finally {
    if (existsSync(temp)) unlinkSync(temp);
  }
}

/** `init` on the program (called from main.ts). */
export function registerInit(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("init")
    .description("write a commented starter topology from a preset")
    .addOption(new Option("--preset <name>", "the real system whose defaults to start from").default("patroni"))
    .option("--out <file>", "write to this file instead of standard output (never overwrites)")
    .action((options: { preset: string; out?: string }) => {
      setCode(runInit(options, io));
    });
}
