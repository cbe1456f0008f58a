// Shared by the HTML report's tests: run a bundled scenario (once, for N
// trials, or stretched to ten minutes) and read a page's SVG back.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { parseHTML } from "linkedom";
import { simulate } from "../../../src/engine/simulate.js";
import { runTrials } from "../../../src/engine/trials.js";
import type { SimulationResult } from "../../../src/engine/result.js";
import { loadFile } from "../../../src/model/load.js";
import { explore, type ExploreReport } from "../../../src/swarm/explore.js";
import { FAULT_KINDS, kindsFor } from "../../../src/swarm/schedule.js";
import type { ResolvedScenario } from "../../../src/model/types.js";
import { measureRun } from "../../../src/live/measure.js";
import type { LiveReport } from "../../../src/live/report-model.js";
import { log, plan } from "../../live/helpers.js";

export const STRICT_SYNC = "scenarios/leader-dies-in-az-a.yaml";
export const SPLIT_BRAIN = "scenarios/split-brain-no-fencing.yaml";

export function scenario(file: string): ResolvedScenario {
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  return loaded.scenario;
}

export function run(file: string, change: Partial<ResolvedScenario> = {}): SimulationResult {
  const s = { ...scenario(file), ...change };
  return simulate(s, { seed: s.seed });
}

export function trials(file: string, n: number): SimulationResult {
  return runTrials(scenario(file), n, (s, o) => simulate(s, o));
}

export function parsePage(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

/** The x position (in the SVG's own units) of a time in ms on the chart's time axis, from its data attributes. */
export function xOf(svg: Element, atMs: number): number {
  const domain = (svg.getAttribute("data-x-domain") ?? "").split(",").map(Number);
  const range = (svg.getAttribute("data-x-range") ?? "").split(",").map(Number);
  assert.equal(domain.length, 2, "the chart carries its x domain");
  assert.equal(range.length, 2, "the chart carries its x range");
  return range[0] + ((atMs / 1000 - domain[0]) / (domain[1] - domain[0])) * (range[1] - range[0]);
}

/** A live report from a recorded run (the leader crashes at 8 s, pg-b takes over) and the engine's five trials: no cluster needed. */
export function liveReport(): LiveReport {
  const p = plan();
  return {
    file: "scenarios/live/leader-crash.yaml",
    versions: { patroni: "3.0.2", postgres: "15.18", etcd: "3.4.23" },
    plan: p,
    simulated: runTrials(p.simulated, 5, (s, o) => simulate(s, o)),
    trials: 5,
    runs: [measureRun(p, log())],
    kept: null,
    bootstrapSeconds: 14.2,
  };
}


/** explore's search of the no-fencing design (which splits its brain), as the command runs it but writing no file. */
export function exploreReport(schedules = 15): ExploreReport {
  const loaded = loadFile("topologies/no-fencing.yaml");
  if (loaded.kind !== "topology") throw new Error("not a topology");
  const topology = loaded.topology;
  return explore(topology, { topologyFile: resolve("topologies/no-fencing.yaml"), outDir: resolve("explore-no-fencing"), schedules, seed: 1, kinds: kindsFor(topology.replication.mode, [...FAULT_KINDS]), writes: 200 });
}
