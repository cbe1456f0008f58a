// A whole live session, from the machine check to the report: check the
// prerequisites (PostgreSQL 15, etcd, Patroni), load the scenario and map it
// onto a real cluster, run the engine's prediction, start the cluster on
// loopback, run the scenario's faults once per run, and stop everything (also
// on errors and Ctrl+C) unless asked to keep it. The command in src/cli only
// parses flags, shows progress and renders what this returns.
import { performance } from "node:perf_hooks";
import { simulate } from "../engine/simulate.js";
import type { SimulationResult } from "../engine/result.js";
import { runTrialsWithProgress, type SimulateFn } from "../engine/trials.js";
import { InputError, UsageError } from "../model/diagnostics.js";
import { loadFile, type Loaded, type LoadOptions } from "../model/load.js";
import { locate } from "../model/yaml.js";
import { LiveCluster, type ClusterTools } from "./cluster.js";
import { ClusterRegistry } from "./registry.js";
import type { LiveRun } from "./measure.js";
import { formatVersion, planLive, type LivePlan } from "./plan.js";
import { readVersions, requirePrerequisites, type Versions } from "./prereqs.js";
import type { LiveReport } from "./report-model.js";
import { runOnce } from "./run.js";

export interface LiveSessionOptions {
  runs: number;
  trials: number;
  keep: boolean;
}

/** What a live run touches, as seams for the tests. */
export interface ClusterLike {
  readonly root: string;
  start(): Promise<void>;
  restore(progress: (text: string) => void): Promise<void>;
  keep(): { stopScript: string; connections: string[] };
  /** Stops everything and removes the folder; a second call waits for the first. */
  teardown(): Promise<void>;
  /** The PIDs it started, for the record of clusters (src/live/registry.ts). */
  pids?(): number[];
}

/** The record of clusters under the state directory: what lets the next run clean up after one that died. */
export type Registry = Pick<ClusterRegistry, "record" | "forget" | "reapOrphans">;

export interface LiveDeps {
  prerequisites: () => ClusterTools;
  versions: (tools: ClusterTools) => Versions;
  load: (file: string, options?: LoadOptions) => Loaded;
  simulate: SimulateFn;
  cluster: (plan: LivePlan, tools: ClusterTools, progress: (text: string) => void) => ClusterLike;
  run: (cluster: ClusterLike, run: number, progress: (text: string) => void) => Promise<LiveRun>;
  /** Install handlers for Ctrl+C, SIGTERM and SIGHUP (every one, not only the first); returns their removal. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
  registry: () => Registry;
}

/** The signals that end a live session: each stops the cluster first, however many arrive. */
export const SESSION_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export const defaultLiveDeps: LiveDeps = {
  prerequisites: () => requirePrerequisites(),
  versions: readVersions,
  load: loadFile,
  simulate: (scenario, options) => simulate(scenario, options),
  cluster: (plan, tools, progress) => new LiveCluster(plan, tools, progress),
  run: (cluster, run, progress) => runOnce(cluster as LiveCluster, run, progress),
  onSignal: (handler) => {
    // `on`, not `once`: a second Ctrl+C during the teardown must not fall through to Node's default and end the process.
    for (const signal of SESSION_SIGNALS) process.on(signal, handler);
    return () => {
      for (const signal of SESSION_SIGNALS) process.removeListener(signal, handler);
    };
  },
  registry: () => new ClusterRegistry(),
};

/** How the session talks to whoever shows it: progress lines and notices, nothing printed here. */
export interface LiveSessionView {
  progress(text: string): void;
  /** Progress is over (the run ended or a signal came): stop animating before anything else is printed. */
  stopProgress(): void;
  notice(text: string): void;
}

/**
 * How a session ended: a report; a failure after the cluster was set up (the
 * message, for one line on stderr); or a signal, after which the cluster was
 * stopped and the caller should end the process.
 */
export type LiveOutcome = { report: LiveReport } | { failed: string } | { signal: NodeJS.Signals };

interface Prepared {
  tools: ClusterTools;
  loaded: Extract<Loaded, { kind: "scenario" }>;
  versions: Versions;
  plan: LivePlan;
}

const notAScenario = (kind: string) => `this is a ${kind} file, but live runs scenarios (kind: scenario)`;

function loadScenario(file: string, load: LiveDeps["load"]): Prepared["loaded"] {
  // The kind is read first: a broken topology is named a topology, not listed by its schema's errors.
  const loaded = load(file, { expect: { kinds: ["scenario"], wrongKind: notAScenario } });
  if (loaded.kind !== "scenario") throw new InputError([{ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: notAScenario(loaded.kind) }]);
  return loaded;
}

/** Everything that can be refused before a process starts; bad input throws (exit 2). */
function prepare(file: string, deps: LiveDeps): Prepared {
  // Prerequisites first: without PostgreSQL, etcd and Patroni nothing else matters.
  const tools = deps.prerequisites();
  const loaded = loadScenario(file, deps.load);
  const versions = deps.versions(tools);
  const outcome = planLive(loaded.scenario, { patroniVersion: versions.patroni });
  if (!outcome.ok) {
    throw new UsageError(`${loaded.source.file}: scenario "${loaded.scenario.name}" cannot run live:\n${outcome.reasons.map((r) => `  - ${r}`).join("\n")}`);
  }
  return { tools, loaded, versions, plan: outcome.plan };
}

/** A turn of the event loop between trials, so progress is shown and Ctrl+C is heard during the prediction. */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export async function runLiveSession(file: string, options: LiveSessionOptions, deps: LiveDeps, view: LiveSessionView): Promise<LiveOutcome> {
  const registry = deps.registry();
  await removeLeftovers(registry, view);
  const prepared = prepare(file, deps);
  const { plan } = prepared;
  const state: SessionState = { cluster: null, kept: false, signal: null, stop: async () => undefined };
  let removeSignals = () => undefined as void;
  let interrupted: Promise<LiveOutcome> = new Promise(() => undefined);
  try {
    view.progress(`${plan.scenario.name}: simulating ${options.trials} trials`);
    const simulated = await runTrialsWithProgress(plan.simulated, options.trials, deps.simulate, nextTurn);
    const cluster = deps.cluster(plan, prepared.tools, view.progress);
    registry.record(cluster.root);
    state.cluster = cluster;
    state.stop = () => cluster.teardown().then(() => registry.forget(cluster.root));
    interrupted = new Promise((resolve) => {
      removeSignals = deps.onSignal((signal) => {
        if (state.signal) {
          view.notice(`${signal}: still stopping the live cluster; repl-lab ends when it is gone`);
          return;
        }
        state.signal = signal;
        view.stopProgress();
        view.notice(`${signal}: stopping the live cluster (${cluster.root})…`);
        // A signal ends the session: stop every process by PID and remove the folder, then report the signal.
        void state.stop().finally(() => resolve({ signal }));
      });
    });
    const work = runCluster(prepared, simulated, options, deps, view, state, registry);
    // After a signal the teardown breaks whatever was running; that is not a failure to report.
    work.catch(() => undefined);
    return await Promise.race([work, interrupted]);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) throw error;
    if (state.signal) return interrupted;
    return { failed: error instanceof Error ? error.message : String(error) };
  } finally {
    view.stopProgress();
    // --keep leaves a cluster only after a successful run; after a failure nothing is worth keeping.
    if (state.cluster && !state.kept && !state.signal) await state.stop();
    // A signal during that teardown waits for the same teardown, which has ended by now.
    removeSignals();
  }
}

/** Clusters left by a run that died (kill -9, a closed terminal): stopped and removed before anything starts. */
async function removeLeftovers(registry: Registry, view: LiveSessionView): Promise<void> {
  for (const left of await registry.reapOrphans()) {
    view.notice(`removed a live cluster left by a run that ended without its teardown: ${left.root} (${left.stopped} processes stopped)`);
  }
}

interface SessionState {
  cluster: ClusterLike | null;
  kept: boolean;
  signal: NodeJS.Signals | null;
  /** The cluster's teardown and the removal of its record; the same promise however often it is asked for. */
  stop: () => Promise<void>;
}

/** Bootstrap, the runs (restoring the cluster between them), and --keep. */
async function runCluster(
  prepared: Prepared,
  simulated: SimulationResult,
  options: LiveSessionOptions,
  deps: LiveDeps,
  view: LiveSessionView,
  state: SessionState,
  registry: Registry,
): Promise<LiveOutcome> {
  const { plan, versions } = prepared;
  const cluster = state.cluster!;
  const bootStart = performance.now();
  view.progress(`${plan.scenario.name}: bootstrapping ${plan.nodes.length} nodes`);
  await cluster.start();
  registry.record(cluster.root, cluster.pids?.() ?? []);
  const bootstrapSeconds = (performance.now() - bootStart) / 1000;
  const runs: LiveRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    if (run > 1) await cluster.restore((text) => view.progress(`before run ${run}: ${text}`));
    runs.push(await deps.run(cluster, run, view.progress));
  }
  let kept: LiveReport["kept"] = null;
  if (options.keep) {
    if (runs.length > 0) await cluster.restore((text) => view.progress(`keeping the cluster: ${text}`)).catch(() => undefined);
    const k = cluster.keep();
    state.kept = true;
    // The cluster is the user's now (with its stop script): the next run must not take it for a leftover.
    registry.forget(cluster.root);
    kept = { folder: cluster.root, ...k };
  }
  view.stopProgress();
  const versionsView = { patroni: formatVersion(versions.patroni), postgres: versions.postgres, etcd: versions.etcd };
  return { report: { file: prepared.loaded.source.file, versions: versionsView, plan, simulated, trials: options.trials, runs, kept, bootstrapSeconds } };
}
