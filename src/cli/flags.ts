// Flag parsing shared by every command: whole numbers, seeds, trial counts and
// output formats. One implementation keeps the error messages alike, so a user
// who mistypes --seed gets the same sentence from simulate, explore and quorum.
import { checkRoot } from "../model/root.js";
import { UsageError } from "../model/diagnostics.js";
import { RUN_MEMORY_LIMIT_BYTES } from "../model/scenario.js";
import { LIMITS } from "../model/schema.js";
import { MAX_WIDTH, MIN_WIDTH } from "../report/common/layout.js";

/** How a number reads in a message: with thousands separators, as the help text prints it. */
function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

/** Digits only (after trimming) → the number; anything else → NaN. */
function digits(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
}

/** A flag's text → an integer in min..max, or a UsageError that names the range. */
export function parseIntegerFlag(flag: string, text: string, min: number, max: number): number {
  const value = digits(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${grouped(max)}; got "${text}"`);
  }
  return value;
}

/**
 * A required flag's text → a whole number whose range is checked later (quorum
 * checks R and W against N, which is only known once every flag is read).
 * `what` says what the number means, for both the missing and the bad case.
 */
export function parseWholeFlag(command: string, flag: string, text: string | undefined, what: string): number {
  if (text === undefined) throw new UsageError(`${command} needs ${flag} (${what})`);
  const value = digits(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} expects a whole number (${what}); got "${text}"`);
  return value;
}

/**
 * Checks a number that arrived already parsed (from a test or another caller).
 * `maxText` is how the upper bound reads.
 */
export function checkWholeNumber(flag: string, value: number, min: number, max: number, maxText = grouped(max)): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${maxText}; got ${value}`);
  }
}

/**
 * The seeds a run takes, as every command's help and messages say it (and a file's `seed:` limit): a seed names
 * a run rather than counting anything, so its bound prints without thousands separators, as it is typed.
 */
export const SEED_RANGE = `0 to ${LIMITS.seed}`;

/** `--seed` text → an integer in 0..2^32-1, or a UsageError; the one message of every command (simulate, explore, quorum, swarm). */
export function parseSeedFlag(text: string): number {
  const value = digits(text);
  if (!Number.isSafeInteger(value) || value > LIMITS.seed) throw new UsageError(`--seed expects a whole number from ${SEED_RANGE}; got "${text}"`);
  return value;
}

/** `--trials` text → an integer in 1..LIMITS.trials, or a UsageError. */
export function parseTrialsFlag(text: string): number {
  return parseIntegerFlag("--trials", text, 1, LIMITS.trials);
}

/**
 * `--width` text → the columns to render text output in: a whole number from
 * MIN_WIDTH (below which no report reads well) to MAX_WIDTH; anything else
 * ("20", "0", "abc", "80px") is a UsageError that says so, not a width
 * quietly changed.
 */
export function parseWidthFlag(text: string): number {
  return parseIntegerFlag("--width", text, MIN_WIDTH, MAX_WIDTH);
}

export { resolveWidth, type OutputTarget } from "./width.js";

/** An already parsed seed: 0..2^32-1. */
export function checkSeed(seed: number): void {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= LIMITS.seed)) throw new UsageError(`--seed expects a whole number from ${SEED_RANGE}; got ${seed}`);
}

/**
 * `--json` and `--format` → one format ("text" when neither is given). They
 * may agree (`--json --format json`) but not contradict each other.
 */
export function pickFormat<F extends string>(flags: { json?: boolean; format?: string }): F {
  if (flags.json && flags.format !== undefined && flags.format !== "json") {
    throw new UsageError(`--json and --format ${flags.format} contradict each other; pick one`);
  }
  return (flags.json ? "json" : (flags.format ?? "text")) as F;
}

/** A format that did not come through commander's choices (a test, another caller) is checked here. */
export function checkFormat(formats: readonly string[], format: string): void {
  if (!formats.includes(format)) throw new UsageError(`--format expects one of ${formats.join(", ")}; got "${format}"`);
}

/** --root DIR, else REPL_LAB_ROOT (an empty value is no root), as a real path; undefined when neither is set. */
export function rootFlag(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined) return checkRoot(flag, "--root");
  const fromEnv = env.REPL_LAB_ROOT;
  return fromEnv ? checkRoot(fromEnv, "REPL_LAB_ROOT") : undefined;
}

/** "K/M": slice K (1-based) of M. */
export function parseShardFlag(text: string, max: number): { index: number; count: number } {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || index < 1 || count < 1 || index > count || count > max) {
    throw new UsageError(`--shard expects K/M with 1 <= K <= M <= ${max} (slice K of M), e.g. --shard 2/4; got "${text}"`);
  }
  return { index, count };
}

/** Worker threads (--jobs): there is no point in more than this. */
export const MAX_JOBS = 256;

/**
 * Worker threads for runs that each take up to `perRunBytes` (the loader's projection): `jobs`, but no more
 * runs side by side than one run's memory limit holds, so that a heavy run near that limit goes one at a
 * time. Results are combined in a fixed order, so fewer workers give the same output. A --jobs the user
 * gave (`asked`) is lowered with a note on stderr; the default, one per core, quietly.
 */
export function jobsWithinMemory(jobs: number, asked: boolean, perRunBytes: number, runs: string, note: (text: string) => void): number {
  const fit = Math.max(1, Math.floor(RUN_MEMORY_LIMIT_BYTES / Math.max(1, perRunBytes)));
  if (jobs <= fit) return jobs;
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
  if (asked) note(`note: --jobs ${jobs} lowered to ${fit}: each of ${runs} may take about ${gb(perRunBytes)}, and those side by side stay within ${gb(RUN_MEMORY_LIMIT_BYTES)}`);
  return fit;
}
