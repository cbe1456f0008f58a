// `npm run swarm -- --schedules N [--seed S] [--mode MODE] [--out DIR]`:
// generate N cases, judge each with every oracle, minimise the failures, write
// them as scenario files, print a summary per mode and per oracle. Exit 1 on
// any violation, 2 on bad flags.
import { makeDirectory } from "../base/make-dir.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError, Option } from "commander";
import ora from "ora";
import { makeIo, reportError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type Io } from "./io.js";
import { UsageError } from "../model/diagnostics.js";
import { parseSeedFlag, SEED_RANGE } from "./flags.js";
import { MODES, type Mode, type Scale } from "../swarm/generate.js";
import { failureFileName, failureYaml, renderSwarmSummary } from "../swarm/report.js";
import { emptySummary, runOne, type SwarmOptions, type SwarmSummary } from "../swarm/swarm.js";

const SCHEDULES_MAX = 1_000_000;
/** Failure files written per run, at most (the summary counts them all). */
const FILES_MAX = 50;

interface Flags {
  schedules: string;
  seed: string;
  mode?: Mode;
  scale: Scale;
  out: string;
  shrink: boolean;
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value > max) throw new UsageError(`${flag} expects a whole number from 0 to ${max.toLocaleString("en-US")}; got "${text}"`);
  return value;
}

export async function swarmMain(argv: string[]): Promise<number> {
  const io = makeIo(argv);
  const program = new Command()
    .name("swarm")
    .description("generate random designs and fault schedules, judge every run with the oracles, minimise failures")
    .option("--schedules <n>", "cases to run", "200")
    .option("--seed <s>", `seed of the first case (case i uses seed + i; ${SEED_RANGE})`, "1")
    .addOption(new Option("--mode <mode>", "only this replication mode").choices([...MODES]))
    .addOption(new Option("--scale <scale>", "case size: full, or ci (cheaper)").choices(["full", "ci"]).default("full"))
    .option("--out <dir>", "where failing cases are written", "swarm-failures")
    .option("--no-shrink", "do not minimise failing cases")
    .option("--no-color", "disable colours")
    .exitOverride();
  try {
    program.parse(argv);
    const flags = program.opts<Flags>();
    const schedules = wholeNumber("--schedules", flags.schedules, SCHEDULES_MAX);
    const seed = parseSeedFlag(flags.seed);
    const started = Date.now();
    const summary = await runWithProgress(io, { schedules, seed, mode: flags.mode, scale: flags.scale, shrink: flags.shrink });
    io.out(renderSwarmSummary(summary, Date.now() - started, io.color));
    writeFailures(summary, flags.out, io);
    return summary.failures.length > 0 ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.code === "commander.helpDisplayed" ? EXIT_OK : EXIT_USAGE;
    return reportError(io, error, argv.includes("--debug"));
  }
}

/** Runs case by case with a turn of the event loop in between, so the spinner animates and Ctrl+C is honoured. */
async function runWithProgress(io: Io, options: SwarmOptions): Promise<SwarmSummary> {
  const spinner = io.isTTY && process.stderr.isTTY ? ora({ text: "swarm", stream: process.stderr, discardStdin: false }).start() : null;
  const step = Math.max(1, Math.floor(options.schedules / 10));
  const summary = emptySummary(options);
  try {
    for (let i = 0; i < options.schedules; i++) {
      runOne((options.seed + i) >>> 0, options, summary);
      const done = i + 1;
      const text = `swarm: ${done.toLocaleString("en-US")} of ${options.schedules.toLocaleString("en-US")} schedules, ${summary.failures.length} violations`;
      if (spinner) spinner.text = text;
      else if (done % step === 0 || done === options.schedules) io.err(text);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    spinner?.stop();
  }
  return summary;
}

function writeFailures(summary: SwarmSummary, dir: string, io: Io): void {
  if (summary.failures.length === 0) return;
  makeDirectory(dir);
  // Minimised cases first: they are the ones to read.
  const ordered = [...summary.failures].sort((a, b) => Number(Boolean(b.minimised)) - Number(Boolean(a.minimised)));
  const written = ordered.slice(0, FILES_MAX);
  for (const f of written) writeFileSync(join(dir, failureFileName(f)), failureYaml(f));
  io.err(`wrote ${written.length} failing case${written.length === 1 ? "" : "s"} to ${dir}/${summary.failures.length > written.length ? ` (of ${summary.failures.length})` : ""}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  swarmMain(process.argv).then((code) => process.exit(code));
}
