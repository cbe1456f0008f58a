// `repl-lab live FILE [--runs N] [--trials N] [--keep] [--json] [--format text|markdown]`:
// check the machine (PostgreSQL 15, etcd, Patroni; exit 2 with the install
// command when something is missing), load the scenario and map it onto a
// real cluster (exit 2 with the reasons when it cannot be), run the engine's
// prediction (--trials), start the cluster on loopback, run the scenario's
// faults --runs times, stop everything (also on errors and Ctrl+C) unless
// --keep, and print live beside simulated.
import { performance } from "node:perf_hooks";
import { Option, type Command } from "commander";
import ora, { type Ora } from "ora";
import { simulate } from "../engine/simulate.js";
import { trialAccumulator, type SimulateFn } from "../engine/trials.js";
import type { SimulationResult } from "../engine/result.js";
import { InputError, UsageError } from "../model/diagnostics.js";
import { loadFile, type Loaded } from "../model/load.js";
import { LIMITS } from "../model/schema.js";
import { locate } from "../model/yaml.js";
import { LiveCluster, type ClusterTools } from "../live/cluster.js";
import type { LiveRun } from "../live/measure.js";
import { formatVersion, LIVE_LIMITS, planLive, type LivePlan } from "../live/plan.js";
import { readVersions, requirePrerequisites, type Versions } from "../live/prereqs.js";
import type { LiveReport } from "../live/report-model.js";
import { runOnce } from "../live/run.js";
import { renderLiveJson } from "../report/live/json.js";
import { renderLiveMarkdown } from "../report/live/markdown.js";
import { renderLiveText } from "../report/live/text.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";

export const liveFormats = ["text", "json", "markdown"] as const;
export type LiveFormat = (typeof liveFormats)[number];

export const DEFAULT_LIVE_TRIALS = 20;

export interface LiveCommandOptions {
  runs: number;
  trials: number;
  keep: boolean;
  format: LiveFormat;
}

/** What a live run touches, as seams for the tests. */
export interface ClusterLike {
  readonly root: string;
  start(): Promise<void>;
  restore(progress: (text: string) => void): Promise<void>;
  keep(): { stopScript: string; connections: string[] };
  teardown(): Promise<void>;
}

export interface LiveDeps {
  prerequisites: () => ClusterTools;
  versions: (tools: ClusterTools) => Versions;
  load: (file: string) => Loaded;
  simulate: SimulateFn;
  cluster: (plan: LivePlan, tools: ClusterTools, progress: (text: string) => void) => ClusterLike;
  run: (cluster: ClusterLike, run: number, progress: (text: string) => void) => Promise<LiveRun>;
  /** Install handlers for Ctrl+C and SIGTERM; returns their removal. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
}

export const defaultLiveDeps: LiveDeps = {
  prerequisites: () => requirePrerequisites(),
  versions: readVersions,
  load: loadFile,
  simulate: (scenario, options) => simulate(scenario, options),
  cluster: (plan, tools, progress) => new LiveCluster(plan, tools, progress),
  run: (cluster, run, progress) => runOnce(cluster as LiveCluster, run, progress),
  onSignal: (handler) => {
    process.once("SIGINT", handler);
    process.once("SIGTERM", handler);
    return () => {
      process.removeListener("SIGINT", handler);
      process.removeListener("SIGTERM", handler);
    };
  },
};

export function parseCountFlag(flag: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${max.toLocaleString("en-US")}; got "${text}"`);
  }
  return value;
}

function checkOptions(options: LiveCommandOptions): void {
  if (!(Number.isInteger(options.runs) && options.runs >= 1 && options.runs <= LIVE_LIMITS.runs)) throw new UsageError(`--runs expects a whole number from 1 to ${LIVE_LIMITS.runs}; got ${options.runs}`);
  if (!(Number.isInteger(options.trials) && options.trials >= 1 && options.trials <= LIMITS.trials)) throw new UsageError(`--trials expects a whole number from 1 to ${LIMITS.trials.toLocaleString("en-US")}; got ${options.trials}`);
  if (!(liveFormats as readonly string[]).includes(options.format)) throw new UsageError(`--format expects one of ${liveFormats.join(", ")}; got "${options.format}"`);
}

function loadScenario(file: string, load: LiveDeps["load"]) {
  const loaded = load(file);
  if (loaded.kind !== "scenario") {
    throw new InputError([{ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: `this is a ${loaded.kind} file, but live runs scenarios (kind: scenario)` }]);
  }
  return loaded;
}

export async function runLive(file: string, options: LiveCommandOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<number> {
  checkOptions(options);
  // Prerequisites first: without PostgreSQL, etcd and Patroni nothing else matters.
  const tools = deps.prerequisites();
  const loaded = loadScenario(file, deps.load);
  const versions = deps.versions(tools);
  const outcome = planLive(loaded.scenario, { patroniVersion: versions.patroni });
  if (!outcome.ok) {
    throw new UsageError(`${loaded.source.file}: scenario "${loaded.scenario.name}" cannot run live:\n${outcome.reasons.map((r) => `  - ${r}`).join("\n")}`);
  }
  const plan = outcome.plan;
  const spinner = io.isTTY && process.stderr.isTTY ? startSpinner(io) : null;
  const progress = (text: string) => {
    if (spinner) spinner.text = text;
  };
  let cluster: ClusterLike | null = null;
  let keptRunning = false;
  let removeSignals = () => undefined as void;
  let interrupted = false;
  try {
    progress(`${plan.scenario.name}: simulating ${options.trials} trials`);
    const simulated = await simulateTrials(plan, options.trials, deps.simulate);
    cluster = deps.cluster(plan, tools, progress);
    const started = cluster;
    removeSignals = deps.onSignal((signal) => {
      interrupted = true;
      spinner?.stop();
      io.err(`${signal}: stopping the live cluster (${started.root})…`);
      // A signal ends the command: stop every process by PID and remove the folder, then leave.
      void started.teardown().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
    const bootStart = performance.now();
    progress(`${plan.scenario.name}: bootstrapping ${plan.nodes.length} nodes`);
    await cluster.start();
    const bootstrapSeconds = (performance.now() - bootStart) / 1000;
    const runs: LiveRun[] = [];
    for (let run = 1; run <= options.runs; run++) {
      if (run > 1) await cluster.restore((text) => progress(`before run ${run}: ${text}`));
      runs.push(await deps.run(cluster, run, progress));
    }
    let kept: LiveReport["kept"] = null;
    if (options.keep) {
      if (runs.length > 0) await cluster.restore((text) => progress(`keeping the cluster: ${text}`)).catch(() => undefined);
      const k = cluster.keep();
      keptRunning = true;
      kept = { folder: cluster.root, ...k };
    }
    spinner?.stop();
    const report: LiveReport = {
      file: loaded.source.file,
      versions: { patroni: formatVersion(versions.patroni), postgres: versions.postgres, etcd: versions.etcd },
      plan,
      simulated,
      trials: options.trials,
      runs,
      kept,
      bootstrapSeconds,
    };
    io.out(render(report, options.format, io));
    return runs.some((r) => r.result.expectations.some((e) => !e.met)) ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    spinner?.stop();
    if (error instanceof UsageError || error instanceof InputError) throw error;
    // After Ctrl+C the teardown breaks whatever was running; that is not a failure to report.
    if (interrupted) return EXIT_FAILED;
    io.err(`${io.color.red("error")} live run failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  } finally {
    spinner?.stop();
    // --keep leaves a cluster only after a successful run; after a failure nothing is worth keeping.
    if (cluster && !keptRunning) await cluster.teardown();
    removeSignals();
  }
}

/** Trials one at a time with a turn of the event loop between, so the spinner moves and Ctrl+C is heard. */
async function simulateTrials(plan: LivePlan, n: number, simulateFn: SimulateFn): Promise<SimulationResult> {
  const trials = trialAccumulator(plan.simulated, n);
  for (let i = 0; i < n; i++) {
    trials.add(simulateFn(plan.simulated, { seed: trials.nextSeed() }));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return trials.finish();
}

function startSpinner(io: Io): Ora {
  return ora({ text: "live", stream: process.stderr, discardStdin: false, color: io.color.level > 0 ? "cyan" : false }).start();
}

function render(report: LiveReport, format: LiveFormat, io: Io): string {
  switch (format) {
    case "json":
      return renderLiveJson(report);
    case "markdown":
      return renderLiveMarkdown(report);
    case "text":
      return renderLiveText(report, io.color);
  }
}

/** `live` on the program (called from main.ts). */
export function registerLive(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("live")
    .description("run the scenario on a real PostgreSQL + Patroni + etcd cluster started on loopback; live vs simulated side by side")
    .argument("<file>", "a scenario file (kind: scenario) with a leader/follower topology")
    .option("--runs <n>", `repeat the live fault N times on one cluster (1 to ${LIVE_LIMITS.runs})`, "1")
    .option("--trials <n>", "Monte Carlo trials of the engine for the simulated side", String(DEFAULT_LIVE_TRIALS))
    .option("--keep", "leave the cluster running and print its folder, connection strings and how to stop it")
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...liveFormats]))
    .option("--json", "same as --format json")
    .action(async (file: string, options: { runs: string; trials: string; keep?: boolean; format?: LiveFormat; json?: boolean }) => {
      if (options.json && options.format !== undefined && options.format !== "json") {
        throw new UsageError(`--json and --format ${options.format} contradict each other; pick one`);
      }
      const format: LiveFormat = options.json ? "json" : (options.format ?? "text");
      const runs = parseCountFlag("--runs", options.runs, 1, LIVE_LIMITS.runs);
      const trials = parseCountFlag("--trials", options.trials, 1, LIMITS.trials);
      setCode(await runLive(file, { runs, trials, keep: Boolean(options.keep), format }, io));
    });
}
