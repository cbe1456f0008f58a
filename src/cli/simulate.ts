// `repl-lab simulate FILE... [--seed N] [--trials N] [--format text|json|markdown]`:
// load every scenario first (so bad input fails before any run, exit 2), run
// the engine once or N times, render, and exit 1 when an expectation failed or
// the engine broke an invariant.
import { projectedRunBytes, withSeed } from "../model/scenario.js";
import { Option, type Command } from "commander";
import type { SimulationResult } from "../engine/result.js";
import type { Finding as LintFinding } from "../lint/types.js";
import { simulate } from "../engine/simulate.js";
import type { SimulateFn } from "../engine/trials.js";
import { shardRange } from "../engine/trials.js";
import { defaultJobs, runSlice, runTrialsOnPool } from "../parallel/pool.js";
import { shardDocument, writeShards, type ShardDocument } from "../parallel/shard.js";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { loadFile, loadText, type Loaded, type LoadOptions } from "../model/load.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedScenario } from "../model/types.js";
import { locate } from "../model/yaml.js";
import { renderCompareMarkdown, renderCompareText } from "../report/simulate/compare.js";
import { renderSimulateJson } from "../report/simulate/json.js";
import { renderSimulateMarkdown } from "../report/simulate/markdown.js";
import { renderSimulateText, runFailed } from "../report/simulate/text.js";
import { checkFormat, checkSeed, checkWholeNumber, jobsWithinMemory, MAX_JOBS, parseIntegerFlag, parseSeedFlag, SEED_RANGE, parseShardFlag, parseTrialsFlag, parseWidthFlag, pickFormat, resolveWidth, rootFlag } from "./flags.js";
import type { TextLayout } from "../report/common/layout.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";
import { spinnerProgress, startSpinner } from "./progress.js";
import { blameFlags, buildWhatIf, FAULT_PHRASES, WHAT_IF_DEFAULTS, type WhatIfFlags } from "./whatif.js";
import { watchAndRerun } from "./watch.js";

export const simulateFormats = ["text", "json", "markdown", "html"] as const;
export type SimulateFormat = (typeof simulateFormats)[number];

export interface SimulateCommandOptions {
  seed?: number;
  trials?: number;
  format: SimulateFormat;
  /** Print one comparison table of all the runs instead of a report per run. */
  compare?: boolean;
  /** Worker threads for trials (default: one per available core). */
  jobs?: number;
  /** Read only files inside this folder (--root or REPL_LAB_ROOT), as a real path. */
  root?: string;
  /** Run only slice `index` of `count` of the trials and print it for `repl-lab merge`. */
  shard?: { index: number; count: number };
  /** Build a scenario around the one topology file from these flags (a what-if). */
  whatIf?: WhatIfFlags;
  /** With whatIf: print the scenario YAML instead of running it. */
  printScenario?: boolean;
  /** Columns of the text output (--width); the terminal's, or 100 when piped, when absent. */
  width?: number;
}

/** Seams for tests: the engine and the loader. */
export interface SimulateDeps {
  simulate: SimulateFn;
  load: (file: string, options?: LoadOptions) => Loaded;
  /** Whether trials may run on worker threads (which always run the real engine, not `simulate` above). */
  pool?: boolean;
}

const defaultDeps: SimulateDeps = { simulate: (scenario, options) => simulate(scenario, options), load: loadFile, pool: true };


function checkOptions(options: SimulateCommandOptions): void {
  if (options.seed !== undefined) checkSeed(options.seed);
  if (options.trials !== undefined) checkWholeNumber("--trials", options.trials, 1, LIMITS.trials);
  if (options.jobs !== undefined) checkWholeNumber("--jobs", options.jobs, 1, MAX_JOBS);
  if (options.shard !== undefined) {
    if (options.trials === undefined) throw new UsageError("--shard K/M splits the trials of --trials N; give --trials too");
    if (options.format !== "json") throw new UsageError("--shard writes a slice for repl-lab merge: use --json (merge prints the text or markdown report)");
    if (options.compare) throw new UsageError("--shard and --compare do not go together: merge the slices first");
    if (options.shard.count > options.trials) throw new UsageError(`--shard ${options.shard.index}/${options.shard.count}: more slices than the ${options.trials} trials`);
  }
  checkFormat(simulateFormats, options.format);
}

/** What simulate says of a file that is not a scenario (read at its kind line, before the file's own checks). */
export function notAScenario(kind: string): string {
  const hint = kind === "topology" ? `; give it faults for a what-if (--fault "crash NODE at 30s"), write a scenario that names it (topology: path; \`repl-lab init --kind scenario\` starts one), or lint it with \`repl-lab validate\`` : "";
  return `this is a ${kind} file, but simulate runs scenarios (kind: scenario)${hint}`;
}

/** What a what-if says of a file that is not a topology. */
function notATopology(kind: string): string {
  const what = `this is a ${kind} file, but --fault, --workload, --duration and --print-scenario build a scenario around a topology (kind: topology)`;
  return kind === "scenario" ? `${what}; run the scenario without them, or add its faults to the file` : what;
}

/** Loads every file, collecting every file's problems before giving up. */
function loadScenarios(files: string[], load: SimulateDeps["load"]): ResolvedScenario[] {
  const diagnostics: Diagnostic[] = [];
  const scenarios: ResolvedScenario[] = [];
  for (const file of files) {
    let loaded: Loaded;
    try {
      // The kind is read first: a broken topology is named a topology, not listed by its schema's errors.
      loaded = load(file, { expect: { kinds: ["scenario"], wrongKind: notAScenario } });
    } catch (error) {
      if (error instanceof InputError) {
        diagnostics.push(...error.diagnostics);
        continue;
      }
      throw error;
    }
    if (loaded.kind !== "scenario") {
      diagnostics.push({ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: notAScenario(loaded.kind) });
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
  let scenarios: ResolvedScenario[];
  if (options.whatIf !== undefined) {
    const whatIf = loadWhatIf(files, options.whatIf, deps, options.root);
    if (options.printScenario) {
      io.out(whatIf.text);
      return EXIT_OK;
    }
    scenarios = [whatIf.scenario];
  } else {
    scenarios = loadScenarios(files, (file, load) => deps.load(file, { ...load, root: options.root }));
  }
  if (options.shard !== undefined) return runShards(scenarios, files, options, deps, io);
  if (options.trials !== undefined) for (const scenario of scenarios) checkTrialBudget(scenario, options.trials);
  const results: SimulationResult[] = [];
  for (const loaded of scenarios) {
    const scenario = withSeed(loaded, options.seed);
    results.push(options.trials === undefined ? runOnce(scenario, deps.simulate) : await runMany(scenario, options.trials, deps.pool ? trialJobs(scenario, options.jobs, io) : 1, deps.simulate, io));
  }
  const layout: TextLayout = { width: resolveWidth(options.width, io.terminal ?? {}) };
  if (options.format === "html") io.out(await renderHtml(results, Boolean(options.compare), files, options.root));
  else io.out(options.compare && options.format !== "json" ? renderCompare(results, options.format, io, layout) : render(results, options.format, files.length > 1, io, layout));
  return results.some(runFailed) ? EXIT_FAILED : EXIT_OK;
}

/** One slice of the trials of each scenario, printed for `repl-lab merge` (which gives the verdict and its exit code). */
async function runShards(scenarios: readonly ResolvedScenario[], files: readonly string[], options: SimulateCommandOptions, deps: SimulateDeps, io: Io): Promise<number> {
  const { index, count } = options.shard!;
  const n = options.trials!;
  const documents: ShardDocument[] = [];
  // The page merge --format html draws lists these, as the unsharded run's does.
  const lint = await lintFindings(scenarios.length, files, options.root);
  for (const [i, loaded] of scenarios.entries()) {
    const scenario = withSeed(loaded, options.seed);
    const { from, to } = shardRange(n, index, count);
    checkTrialBudget(scenario, to - from);
    const spinner = startSpinner(io, progressText(scenario.name, 0, to - from));
    try {
      const onProgress = spinnerProgress(spinner, (done) => progressText(scenario.name, done, to - from), Math.max(1, Math.floor((to - from) / 100)));
      const jobs = deps.pool ? trialJobs(scenario, options.jobs, io) : 1;
      documents.push(shardDocument(scenario, n, index, count, await runSlice(scenario, from, to, { jobs, simulateFn: deps.simulate, onProgress }), lint[i]));
    } finally {
      spinner?.stop();
    }
  }
  io.out(writeShards(documents));
  return EXIT_OK;
}

/** Worker threads for the trials of `scenario`: --jobs (else one per core), within the memory limit (jobsWithinMemory). */
export function trialJobs(scenario: ResolvedScenario, requested: number | undefined, io: Io): number {
  const perRun = projectedRunBytes(scenario.workload, scenario.durationMs, scenario.topology, scenario.faults);
  return jobsWithinMemory(requested ?? defaultJobs(), requested !== undefined, perRun, `the trials of "${scenario.name}"`, (text) => io.err(io.color.dim(text)));
}

/** Trials × requests per run is bounded, so that no command line asks for days of engine time. */
export function checkTrialBudget(scenario: ResolvedScenario, trials: number): void {
  const perRun = Math.max(1, ((scenario.workload.writes + scenario.workload.reads) * scenario.durationMs) / 1000);
  if (trials * perRun <= LIMITS.operationsPerCommand) return;
  const most = Math.max(1, Math.floor(LIMITS.operationsPerCommand / perRun));
  throw new UsageError(
    `--trials ${trials.toLocaleString("en-US")} × ${Math.round(perRun).toLocaleString("en-US")} requests per run of "${scenario.name}" (rates × duration) is above the limit of ` +
      `${LIMITS.operationsPerCommand.toLocaleString("en-US")} requests per command (about an hour of engine time); use --trials ${most.toLocaleString("en-US")} or fewer, or shorten the scenario`,
  );
}

/**
 * A what-if: the one file must be a topology; the flags become scenario YAML,
 * loaded like a file, and a problem in it is reported against its flag.
 */
function loadWhatIf(files: string[], flags: WhatIfFlags, deps: SimulateDeps, root: string | undefined): { scenario: ResolvedScenario; text: string } {
  if (files.length !== 1) throw new UsageError(`--fault, --workload, --duration and --print-scenario build a scenario around one topology file; got ${files.length} files`);
  const loaded = deps.load(files[0], { root, expect: { kinds: ["topology"], wrongKind: notATopology } });
  if (loaded.kind !== "topology") throw new InputError([{ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: notATopology(loaded.kind) }]);
  const built = buildWhatIf(files[0], flags);
  try {
    const scenario = loadText(built.file, built.text, { root });
    if (scenario.kind !== "scenario") throw new Error(`a what-if built a ${scenario.kind}`);
    return { scenario: scenario.scenario, text: built.text };
  } catch (error) {
    throw error instanceof InputError ? blameFlags(error, built) : error;
  }
}

/** The files a run read: the ones named, and the topology files their scenarios name (what --watch watches). */
export function inputFiles(files: string[], options: SimulateCommandOptions, deps: SimulateDeps = defaultDeps): string[] {
  const out = [...files];
  if (options.whatIf !== undefined) return out;
  for (const file of files) {
    try {
      const loaded = deps.load(file, { root: options.root });
      if (loaded.kind === "scenario" && loaded.scenario.topologyFile !== null) out.push(loaded.scenario.topologyFile);
    } catch {
      // A file that does not load is reported by the run; it is watched all the same.
    }
  }
  return out;
}

function runOnce(scenario: ResolvedScenario, simulateFn: SimulateFn): SimulationResult {
  // The engine evaluates the scenario's expectations itself.
  return simulateFn(scenario, { seed: scenario.seed });
}

/** Monte Carlo with a spinner on a terminal, updated (and yielded to) about a hundred times per run. */
async function runMany(scenario: ResolvedScenario, n: number, jobs: number, simulateFn: SimulateFn, io: Io): Promise<SimulationResult> {
  const spinner = startSpinner(io, progressText(scenario.name, 0, n));
  try {
    const every = Math.max(1, Math.floor(n / 100));
    const onProgress = spinnerProgress(spinner, (done) => progressText(scenario.name, done, n), every);
    // The same result on any number of workers: trials are combined in seed order.
    return await runTrialsOnPool(scenario, n, { jobs, simulateFn, onProgress });
  } finally {
    spinner?.stop();
  }
}

function progressText(name: string, done: number, n: number): string {
  return `${name}: trial ${done.toLocaleString("en-US")} of ${n.toLocaleString("en-US")}`;
}

/** The HTML page, its charting library loaded only when asked for (it costs every other command's start-up otherwise). */
async function renderHtml(results: SimulationResult[], compare: boolean, files: readonly string[], root: string | undefined): Promise<string> {
  const { renderCompareHtml, renderSimulateHtml } = await import("../report/html/page.js");
  const lint = await lintFindings(results.length, files, root);
  return compare ? renderCompareHtml(results, lint) : renderSimulateHtml(results, lint);
}

/**
 * What validate says of each run's file (a what-if's: of its topology), which each run's HTML page lists; date-based
 * rules compare with today, as validate does without --today. Loaded only when asked for, as the page is.
 */
async function lintFindings(runs: number, files: readonly string[], root: string | undefined): Promise<LintFinding[][]> {
  const { lintInputs } = await import("../lint/run.js");
  return Array.from({ length: runs }, (_, i) => lintInputs([files[Math.min(i, files.length - 1)]], { today: new Date(), root }).run.report.findings);
}

function renderCompare(results: SimulationResult[], format: SimulateFormat, io: Io, layout: TextLayout): string {
  return format === "markdown" ? renderCompareMarkdown(results) : renderCompareText(results, io.color, layout);
}

function render(results: SimulationResult[], format: SimulateFormat, several: boolean, io: Io, layout: TextLayout): string {
  switch (format) {
    case "json":
      return renderSimulateJson(results, { array: several });
    case "markdown":
      return results.map((r) => renderSimulateMarkdown(r)).join("\n---\n\n");
    case "text":
      return results.map((r) => renderSimulateText(r, io.color, layout)).join("\n");
    case "html":
      throw new Error("html is rendered by renderHtml");
  }
}

interface SimulateFlags {
  seed?: string;
  trials?: string;
  format?: SimulateFormat;
  json?: boolean;
  compare?: boolean;
  jobs?: string;
  shard?: string;
  root?: string;
  fault: string[];
  workload?: string;
  duration?: string;
  printScenario?: boolean;
  watch?: boolean;
  width?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The options of one run, from the flags (a UsageError for a bad one). */
function commandOptions(flags: SimulateFlags): SimulateCommandOptions {
  const format = pickFormat<SimulateFormat>(flags);
  const seed = flags.seed === undefined ? undefined : parseSeedFlag(flags.seed);
  const trials = flags.trials === undefined ? undefined : parseTrialsFlag(flags.trials);
  if (flags.compare && format === "json") {
    throw new UsageError(`--compare draws one table of the runs in text, markdown or html; --${flags.json ? "json" : "format json"} prints every run in full already: leave out one of them`);
  }
  const whatIf = flags.fault.length > 0 || flags.workload !== undefined || flags.duration !== undefined || flags.printScenario;
  return {
    seed,
    trials,
    format,
    compare: Boolean(flags.compare),
    jobs: flags.jobs === undefined ? undefined : parseIntegerFlag("--jobs", flags.jobs, 1, MAX_JOBS),
    ...(flags.shard === undefined ? {} : { shard: parseShardFlag(flags.shard, LIMITS.trials) }),
    ...(flags.width === undefined ? {} : { width: parseWidthFlag(flags.width) }),
    root: rootFlag(flags.root),
    printScenario: Boolean(flags.printScenario),
    ...(whatIf ? { whatIf: { faults: flags.fault, workload: flags.workload, duration: flags.duration, seed } } : {}),
  };
}

const WHAT_IF_HELP = `
A what-if (no scenario file): give one topology file and --fault phrases.
Each phrase becomes one entry of the scenario's faults: list (T and D are
durations such as 30s or 2m; a SIDE is nodes, zones or regions joined by
commas):
${FAULT_PHRASES.map((p) => `  ${p}`).join("\n")}
Defaults: --workload writes=${WHAT_IF_DEFAULTS.writes},reads=${WHAT_IF_DEFAULTS.reads} (keys: writes, reads, clients,
keys, write_size, timeout, zones=ZONE+ZONE); --duration ${WHAT_IF_DEFAULTS.durationText}, or a minute
past the end of the last fault when that is later. --print-scenario prints
the YAML to save.

Examples:
  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml
  $ repl-lab simulate topologies/payments.yaml --fault "crash pg-a at 30s" --fault "recover pg-a at 90s"
  $ repl-lab simulate topologies/payments.yaml --fault "partition us-east/a from us-east/b,us-east/c at 20s for 40s" --print-scenario > what-if.yaml
  $ repl-lab simulate scenarios/*.yaml --compare --watch`;

/** \`simulate\` on the program (called from main.ts). */
export function registerSimulate(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("simulate")
    .description("run scenario files (or a what-if on a topology): failover timeline, RPO/RTO per data class, totals, expectation verdicts")
    .argument("<files...>", "scenario files (kind: scenario), or one topology file with --fault")
    .option("--seed <n>", `override the scenario's seed (${SEED_RANGE})`)
    .option("--trials <n>", "Monte Carlo: rerun with seeds seed..seed+N-1 and report RPO/RTO percentiles")
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...simulateFormats]))
    .option("--json", "same as --format json")
    .option("--compare", "one table comparing all the runs (text or markdown; html: side by side on one time axis)")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .option("--jobs <n>", "worker threads for --trials (default: one per core); the result is the same for any N")
    .option("--root <dir>", "read only files inside DIR, links followed (for untrusted pull requests; or REPL_LAB_ROOT)")
    .option("--shard <k/m>", "with --trials N --json: run only slice K of M of the trials, for repl-lab merge (one per CI job)")
    .option("--fault <phrase>", 'what-if: a fault on the topology, e.g. "crash pg-a at 30s" (repeatable; see below)', collect, [])
    .option("--workload <spec>", `what-if: the workload, e.g. writes=500,reads=2000 (default writes=${WHAT_IF_DEFAULTS.writes},reads=${WHAT_IF_DEFAULTS.reads})`)
    .option("--duration <d>", `what-if: how long the run lasts (default ${WHAT_IF_DEFAULTS.durationText}, or a minute past the last fault)`)
    .option("--print-scenario", "what-if: print the scenario YAML it builds (to save and edit) instead of running it")
    .option("--watch", "run again whenever a scenario or its topology file changes (Ctrl-C stops)")
    .addHelpText("after", WHAT_IF_HELP)
    .action(async (files: string[], flags: SimulateFlags) => {
      const options = commandOptions(flags);
      if (flags.watch) {
        setCode(await watchAndRerun({ io, files: () => inputFiles(files, options), run: () => runSimulate(files, options, io) }));
        return;
      }
      setCode(await runSimulate(files, options, io));
    });
}
