import { loadFile, loadText, type LoadOptions } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";

export function scenarioFrom(file: string): ResolvedScenario {
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  return loaded.scenario;
}

export function scenarioText(text: string, file = "inline.yaml", options: LoadOptions = {}): ResolvedScenario {
  const loaded = loadText(file, text, options);
  if (loaded.kind !== "scenario") throw new Error("not a scenario");
  return loaded.scenario;
}

/**
 * A scenario whose faults a property test drew at random: loaded without the checks that refuse a schedule a
 * file may not hold (a crash of a node already down, a fault repeated at one instant), since the engine must
 * still keep its invariants when such a crash reaches it (a node fenced during a failover is down too).
 */
export function anyScheduleText(text: string): ResolvedScenario {
  return scenarioText(text, "inline.yaml", { scheduleChecks: false });
}
