// Entry point of the engine: a pure function of (scenario, seed) → result.
import type { ResolvedScenario } from "../model/types.js";
import type { SimulationResult } from "./result.js";

export interface SimulateOptions {
  /** Overrides the scenario's seed (for --seed and --trials). */
  seed?: number;
}

export function simulate(scenario: ResolvedScenario, options: SimulateOptions = {}): SimulationResult {
  void scenario;
  void options;
  throw new Error("the engine is being built");
}
