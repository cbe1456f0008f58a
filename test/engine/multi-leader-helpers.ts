// What the multi-leader oracles share: a two-leader scenario to vary one knob at a time, and what they read
// after a run: the shape's raw facts (each write's origin and arrival at every leader), kept by wrapping the
// method the measurement pass calls, and the writes grouped by key.
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { MultiLeader } from "../../src/engine/multi-leader.js";
import type { SimulationResult } from "../../src/engine/result.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { scenarioText } from "./helpers.js";

export interface Options {
  conflict?: "lww" | "crdt" | "app";
  routing?: "any" | "home-region";
  median?: number;
  writes?: number;
  keys?: number;
  zones?: string;
  faults?: string;
  duration?: string;
  seed?: number;
  /** The class's RTO target, in seconds (1 minute unless given). */
  rtoS?: number;
  /** replication.apply_rate (the preset's unless given). */
  applyRate?: number;
  /** replication.clock_skew, as the file writes it ("{ m-us: 2s }"). */
  clockSkew?: string;
}

/** Two leaders (us-east, eu-west) and a region without one (us-west), as the cross-region scenarios have them. */
export function scenario(o: Options = {}): ResolvedScenario {
  const median = o.median ?? 40;
  return scenarioText(`kind: scenario
name: physics
seed: ${o.seed ?? 71}
duration: ${o.duration ?? "2m"}
workload: { writes: ${o.writes ?? 400}, reads: 200, clients: 90, keys: ${o.keys ?? 2000}, zones: ${o.zones ?? "[us-east/a, eu-west/a]"} }
faults: ${o.faults ?? "[]"}
topology:
  kind: topology
  name: two-leaders
  regions:
    us-east: { zones: [a, b] }
    eu-west: { zones: [a] }
    us-west: { zones: [a] }
  network:
    cross-zone: { median: 0.5, p99: 2 }
    cross-region: { median: ${median}, p99: ${median * 2.25} }
  nodes:
    m-us: { zone: us-east/a }
    m-eu: { zone: eu-west/a }
  replication: { mode: multi-leader, leaders: [us-east, eu-west], conflict: ${o.conflict ?? "lww"}, routing: ${o.routing ?? "any"}${o.applyRate !== undefined ? `, apply_rate: ${o.applyRate}` : ""}${o.clockSkew !== undefined ? `, clock_skew: ${o.clockSkew}` : ""} }
  data_classes:
    orders: { rpo: 1m, rto: ${o.rtoS ?? 60}s }
`);
}

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
