// `repl-lab simulate FILE... [--seed N] [--trials N] [--format text|json|markdown]`:
// load every scenario first (so bad input fails before any run, exit 2), run
// the engine once or N times, render, and exit 1 when an expectation failed or
// the engine broke an invariant.
import { renderCompareMarkdown, renderCompareText } from "../report/simulate/compare.js";
import ora, { type Ora } from "ora";

import type { SimulationResult } from "../engine/result.js";
import { simulate } from "../engine/simulate.js";
import { trialAccumulator, type SimulateFn } from "../engine/trials.js";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { loadFile, type Loaded } from "../model/load.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedScenario } from "../model/types.js";
import { locate } from "../model/yaml.js";
import { renderSimulateJson } from "../report/simulate/json.js";
import { renderSimulateMarkdown } from "../report/simulate/markdown.js";
import { renderSimulateText, runFailed } from "../report/simulate/text.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";

export const simulateFormats = ["text", "json", "markdown"] as const;
export type SimulateFormat = (typeof simulateFormats)[number];

export interface SimulateCommandOptions {
  seed?: number;
  trials?: number;
  format: SimulateFormat;
  /** Print one comparison table of all the runs instead of a report per run. */
  compare?: boolean;
}

/** Seams for tests: the engine and the loader. */
export interface SimulateDeps {
  simulate: SimulateFn;
  load: (file: string) => Loaded;
}

const defaultDeps: SimulateDeps = { simulate: (scenario, options) => simulate(scenario, options), load: loadFile };

/** `--seed` text → an integer in 0..2^32-1, or a UsageError. */
export function parseSeedFlag(text: string): number {
  return parseIntegerFlag("--seed", text, 0, LIMITS.seed);
}

/** `--trials` text → an integer in 1..LIMITS.trials, or a UsageError. */
export function parseTrialsFlag(text: string): number {
  return parseIntegerFlag("--trials", text, 1, LIMITS.trials);
}

function parseIntegerFlag(flag: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${max.toLocaleString("en-US")}; got "${text}"`);
  }
  return value;
}

function checkOptions(options: SimulateCommandOptions): void {
  if (options.seed !== undefined && !(Number.isInteger(options.seed) && options.seed >= 0 && options.seed <= LIMITS.seed)) {
    throw new UsageError(`--seed expects a whole number from 0 to ${LIMITS.seed}; got ${options.seed}`);
  }
  if (options.trials !== undefined && !(Number.isInteger(options.trials) && options.trials >= 1 && options.trials <= LIMITS.trials)) {
    throw new UsageError(`--trials expects a whole number from 1 to ${LIMITS.trials.toLocaleString("en-US")}; got ${options.trials}`);
  }
  if (!(simulateFormats as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format expects one of ${simulateFormats.join(", ")}; got "${options.format}"`);
  }
}

/** Loads every file, collecting every file's problems before giving up. */
function loadScenarios(files: string[], load: SimulateDeps["load"]): ResolvedScenario[] {
  const diagnostics: Diagnostic[] = [];
  const scenarios: ResolvedScenario[] = [];
  for (const file of files) {
    let loaded: Loaded;
    try {
      loaded = load(file);
    } catch (error) {
      if (error instanceof InputError) {
        diagnostics.push(...error.diagnostics);
        continue;
      }
      throw error;
    }
    if (loaded.kind !== "scenario") {
      const hint = loaded.kind === "topology" ? "; write a scenario that names it (topology: path) and add faults, or lint it with `repl-lab validate`" : "";
      diagnostics.push({
        file: loaded.source.file,
        ...locate(loaded.source, ["kind"]),
        message: `this is a ${loaded.kind} file, but simulate runs scenarios (kind: scenario)${hint}`,
      });
      continue;
    }
    scenarios.push(loaded.scenario);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics);
  return scenarios;
}

export async function runSimulate(files: string[], options: SimulateCommandOptions, io: Io, deps: SimulateDeps = defaultDeps): Promise<number> {
  checkOptions(options);
  if (files.length === 0) throw new UsageError("simulate needs at least one scenario file");
  const scenarios = loadScenarios(files, deps.load);
  const results: SimulationResult[] = [];
  for (const loaded of scenarios) {
    const scenario = options.seed === undefined ? loaded : { ...loaded, seed: options.seed };
    results.push(options.trials === undefined ? runOnce(scenario, deps.simulate) : await runMany(scenario, options.trials, deps.simulate, io));
  }
  io.out(options.compare && options.format !== "json" ? (options.format === "markdown" ? renderCompareMarkdown(results) : renderCompareText(results, io.color)) : render(results, options.format, files.length > 1, io));
  return results.some(runFailed) ? EXIT_FAILED : EXIT_OK;
}

function runOnce(scenario: ResolvedScenario, simulateFn: SimulateFn): SimulationResult {
  // The engine evaluates the scenario's expectations itself.
  return simulateFn(scenario, { seed: scenario.seed });
}

/**
 * Trials run one at a time with a turn of the event loop in between, so the
 * spinner animates and Ctrl+C is honoured during a long Monte Carlo run.
 */
async function runMany(scenario: ResolvedScenario, n: number, simulateFn: SimulateFn, io: Io): Promise<SimulationResult> {
  const trials = trialAccumulator(scenario, n);
  // The spinner writes to stderr: it needs a terminal there too, or ora would print its text as a plain line.
  const spinner = io.isTTY && process.stderr.isTTY ? startSpinner(scenario.name, n, io) : null;
  const step = Math.max(1, Math.floor(n / 100));
  try {
    for (let i = 0; i < n; i++) {
      trials.add(simulateFn(scenario, { seed: trials.nextSeed() }));
      if (spinner && ((i + 1) % step === 0 || i + 1 === n)) {
        spinner.text = progressText(scenario.name, i + 1, n);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    spinner?.stop();
  }
  return trials.finish();
}

function startSpinner(name: string, n: number, io: Io): Ora {
  // discardStdin off: the terminal stays in cooked mode, so Ctrl+C is a signal, not a keystroke.
  return ora({ text: progressText(name, 0, n), stream: process.stderr, discardStdin: false, color: io.color.level > 0 ? "cyan" : false }).start();
}

function progressText(name: string, done: number, n: number): string {
  return `${name}: trial ${done.toLocaleString("en-US")} of ${n.toLocaleString("en-US")}`;
}

function render(results: SimulationResult[], format: SimulateFormat, several: boolean, io: Io): string {
  switch (format) {
    case "json":
      return renderSimulateJson(results, { array: several });
    case "markdown":
      return results.map((r) => renderSimulateMarkdown(r)).join("\n---\n\n");
    case "text":
      return results.map((r) => renderSimulateText(r, io.color)).join("\n");
  }
}
