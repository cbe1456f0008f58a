// Entry point of the engine: a pure function of (scenario, seed) → result.
// No wall clock, no I/O, no Math.random: the seed replays a run byte for byte.
import type { ResolvedScenario } from "../model/types.js";
import { Core } from "./core.js";
import { LeaderFollower } from "./leader-follower/shape.js";
import { Leaderless } from "./leaderless/shape.js";
import { MultiLeader } from "./multi-leader.js";
import { measure } from "./measure.js";
import type { SimulationResult } from "./result.js";
import { captureHistory, type RunHistory } from "./history.js";

export interface SimulateOptions {
  /** Overrides the scenario's seed (for --seed and --trials). */
  seed?: number;
  /** Count and build the over-time series for charts (`writesOverTime`, `readsOverTime`); default true. Trials past the first skip them. */
  series?: boolean;
}

/** Replication modes the engine simulates today. */
export const SIMULATED_MODES = ["leader-follower", "leaderless", "consensus", "multi-leader"] as const;


export function simulate(scenario: ResolvedScenario, options: SimulateOptions = {}): SimulationResult {
  return run(scenario, options).result;
}

/** Runs a scenario and also returns what the checkers need to judge the run without trusting its figures. */
export function simulateWithHistory(scenario: ResolvedScenario, options: SimulateOptions = {}): { result: SimulationResult; history: RunHistory } {
  const { core, result } = run(scenario, options, true);
  return { result, history: captureHistory(core) };
}

function run(scenario: ResolvedScenario, options: SimulateOptions, keepHistory = false): { core: Core; result: SimulationResult } {
  const seed = options.seed ?? scenario.seed;
  const mode = scenario.topology.replication.mode;
  if (!(SIMULATED_MODES as readonly string[]).includes(mode)) {
    // The schema admits only modes with a shape here: anything else is a bug.
    throw new Error(`assertion: no engine shape for replication mode "${mode}"`);
  }
  const series = options.series ?? true;
  const core = new Core(scenario, seed, { keepHistory, series });
  core.shape = mode === "leaderless" ? new Leaderless(core) : mode === "multi-leader" ? new MultiLeader(core) : new LeaderFollower(core);
  core.run(scenario.faults);
  return { core, result: measure(core, scenario, seed, series) };
}
