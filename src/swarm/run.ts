// One case end to end: YAML text → the project's loader → the engine with its
// history → the oracles. Everything the swarm, the shrinker and explore run
// goes through here, so a saved file replays exactly what was judged.
import type { RunHistory } from "../engine/history.js";
import type { SimulationResult } from "../engine/result.js";
import { simulateWithHistory } from "../engine/simulate.js";
import { loadText } from "../model/load.js";
import type { ResolvedScenario } from "../model/types.js";
import { judge, ORACLES, type Judgement, type Oracle } from "./oracles.js";

export interface CaseRun {
  scenario: ResolvedScenario;
  result: SimulationResult;
  history: RunHistory;
  judgement: Judgement;
}

/** Loads scenario text as the CLI would load the file (throws the loader's InputError). */
export function loadScenarioText(file: string, text: string): ResolvedScenario {
  const loaded = loadText(file, text);
  if (loaded.kind !== "scenario") throw new Error(`assertion: ${file} is a ${loaded.kind}, not a scenario`);
  return loaded.scenario;
}

export function runScenario(scenario: ResolvedScenario, oracles: readonly Oracle[] = ORACLES): CaseRun {
  const { result, history } = simulateWithHistory(scenario, { seed: scenario.seed });
  return { scenario, result, history, judgement: judge({ scenario, result, history }, oracles) };
}
