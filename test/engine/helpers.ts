import { loadFile, loadText } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";

export function scenarioFrom(file: string): ResolvedScenario {
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  return loaded.scenario;
}

export function scenarioText(text: string, file = "inline.yaml"): ResolvedScenario {
  const loaded = loadText(file, text);
  if (loaded.kind !== "scenario") throw new Error("not a scenario");
  return loaded.scenario;
}
