// What the multi-leader oracles read after a run: the shape's raw facts (each write's origin and arrival at
// every leader), kept by wrapping the method the measurement pass calls, and the writes grouped by key.
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { MultiLeader } from "../../src/engine/multi-leader.js";
import type { SimulationResult } from "../../src/engine/result.js";
import type { ResolvedScenario } from "../../src/model/types.js";

/** The shape's fields the oracles read (private in the engine, read here only after the run). */
export interface MultiLeaderFacts {
  core: {
    log: { count: number; appendMs: Float64Array; flushMs: Float64Array; doneMs: Float64Array; key: Int32Array; status: Uint8Array };
    alive: Uint8Array;
    lostForGood: Uint8Array;
    lostAtMs: Float64Array;
  };
  leaders: number[];
  origin: Int8Array;
  arrival: Float64Array;
}

/** Runs the scenario and keeps the shape, to read the raw facts the oracles need after the run. */
export function runKeepingShape(scenario: ResolvedScenario, seed = scenario.seed): { result: SimulationResult; shape: MultiLeaderFacts } {
  let shape: MultiLeaderFacts | null = null;
  const survived = MultiLeader.prototype.survived;
  MultiLeader.prototype.survived = function (this: MultiLeader, id: number) {
    shape = this as unknown as MultiLeaderFacts;
    return survived.call(this, id);
  };
  try {
    const result = simulate(scenario, { seed });
    assert.ok(shape, "the run measured its writes");
    return { result, shape: shape as MultiLeaderFacts };
  } finally {
    MultiLeader.prototype.survived = survived;
  }
}

/** The ids of the writes made on a leader (appended), by key, in id order. */
export function writesByKey(log: MultiLeaderFacts["core"]["log"]): Map<number, number[]> {
  const byKey = new Map<number, number[]>();
  for (let id = 0; id < log.count; id++) {
    if (!Number.isFinite(log.appendMs[id])) continue;
    const list = byKey.get(log.key[id]);
    if (list === undefined) byKey.set(log.key[id], [id]);
    else list.push(id);
  }
  return byKey;
}
