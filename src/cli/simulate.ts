// `repl-lab simulate FILE... [--seed N] [--trials N] [--format text|json|markdown]`:
// load every scenario first (so bad input fails before any run, exit 2), run
// the engine once or N times, render, and exit 1 when an expectation failed or
// the engine broke an invariant.
import { withSeed } from "../model/scenario.js";
import { Option, type Command } from "commander";
import type { SimulationResult } from "../engine/result.js";
import { simulate } from "../engine/simulate.js";
import { runTrialsWithProgress, type SimulateFn } from "../engine/trials.js";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { loadFile, type Loaded } from "../model/load.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedScenario } from "../model/types.js";
import { locate } from "../model/yaml.js";
import { renderCompareMarkdown, renderCompareText } from "../report/simulate/compare.js";
import { renderSimulateJson } from "../report/simulate/json.js";
import { renderSimulateMarkdown } from "../report/simulate/markdown.js";
import { renderSimulateText, runFailed } from "../report/simulate/text.js";
import { checkFormat, checkSeed, checkWholeNumber, parseSeedFlag, parseTrialsFlag, parseWidthFlag, pickFormat, resolveWidth } from "./flags.js";
import type { TextLayout } from "../report/shared/layout.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";
import { spinnerProgress, startSpinner } from "./progress.js";

export const simulateFormats = ["text", "json", "markdown"] as const;
export type SimulateFormat = (typeof simulateFormats)[number];

export interface SimulateCommandOptions {
  seed?: number;
  trials?: number;
  format: SimulateFormat;
  /** Print one comparison table of all the runs instead of a report per run. */
  compare?: boolean;
  /** Columns of the text output (--width); the terminal's, or 100 when piped, when absent. */
  width?: number;
}

/** Seams for tests: the engine and the loader. */
export interface SimulateDeps {
  simulate: SimulateFn;
  load: (file: string) => Loaded;
}

const defaultDeps: SimulateDeps = { simulate: (scenario, options) => simulate(scenario, options), load: loadFile };

function checkOptions(options: SimulateCommandOptions): void {
  if (options.seed !== undefined) checkSeed(options.seed);
  if (options.trials !== undefined) checkWholeNumber("--trials", options.trials, 1, LIMITS.trials);
  checkFormat(simulateFormats, options.format);
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
    const scenario = withSeed(loaded, options.seed);
    results.push(options.trials === undefined ? runOnce(scenario, deps.simulate) : await runMany(scenario, options.trials, deps.simulate, io));
  }
  const layout: TextLayout = { width: resolveWidth(options.width, io.terminal ?? {}) };
  io.out(options.compare && options.format !== "json" ? (options.format === "markdown" ? renderCompareMarkdown(results) : renderCompareText(results, io.color, layout)) : render(results, options.format, files.length > 1, io, layout));
  return results.some(runFailed) ? EXIT_FAILED : EXIT_OK;
}

function runOnce(scenario: ResolvedScenario, simulateFn: SimulateFn): SimulationResult {
  // The engine evaluates the scenario's expectations itself.
  return simulateFn(scenario, { seed: scenario.seed });
}

/** Monte Carlo with a spinner on a terminal, updated (and yielded to) about a hundred times per run. */
async function runMany(scenario: ResolvedScenario, n: number, simulateFn: SimulateFn, io: Io): Promise<SimulationResult> {
  const spinner = startSpinner(io, progressText(scenario.name, 0, n));
  try {
    const every = Math.max(1, Math.floor(n / 100));
    return await runTrialsWithProgress(scenario, n, simulateFn, spinnerProgress(spinner, (done) => progressText(scenario.name, done, n), every));
  } finally {
    spinner?.stop();
  }
}

function progressText(name: string, done: number, n: number): string {
  return `${name}: trial ${done.toLocaleString("en-US")} of ${n.toLocaleString("en-US")}`;
}

function render(results: SimulationResult[], format: SimulateFormat, several: boolean, io: Io, layout: TextLayout): string {
  switch (format) {
    case "json":
      return renderSimulateJson(results, { array: several });
    case "markdown":
      return results.map((r) => renderSimulateMarkdown(r)).join("\n---\n\n");
    case "text":
      return results.map((r) => renderSimulateText(r, io.color, layout)).join("\n");
  }
}

interface SimulateFlags {
  seed?: string;
  trials?: string;
  format?: SimulateFormat;
  json?: boolean;
  compare?: boolean;
  width?: string;
}

/** `simulate` on the program (called from main.ts). */
export function registerSimulate(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("simulate")
    .description("run scenario files: failover timeline, RPO/RTO per data class, totals, expectation verdicts")
    .argument("<files...>", "scenario files (kind: scenario)")
    .option("--seed <n>", "override the scenario's seed (0 to 4294967295)")
    .option("--trials <n>", "Monte Carlo: rerun with seeds seed..seed+N-1 and report RPO/RTO percentiles")
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...simulateFormats]))
    .option("--json", "same as --format json")
    .option("--compare", "one table comparing all the runs (text or markdown)")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .action(async (files: string[], flags: SimulateFlags) => {
      const format = pickFormat<SimulateFormat>(flags);
      const seed = flags.seed === undefined ? undefined : parseSeedFlag(flags.seed);
      const trials = flags.trials === undefined ? undefined : parseTrialsFlag(flags.trials);
      const width = flags.width === undefined ? undefined : parseWidthFlag(flags.width);
      setCode(await runSimulate(files, { seed, trials, format, compare: Boolean(flags.compare), width }, io));
    });
}
