import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFile, loadText, type LoadOptions } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import type { PresetName } from "../../src/model/presets.js";
import { starterTopology } from "../../src/starters/index.js";

export function scenarioFrom(file: string): ResolvedScenario {
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  return loaded.scenario;
}

/** The bundled scenarios in scenarios/ and the given folders in it (not the latency or topology files beside them), relative to scenarios/, sorted. */
export function bundledScenarioFiles(dir = join(process.cwd(), "scenarios"), folders = ["cross-region"]): string[] {
  return [...readdirSync(dir), ...folders.flatMap((folder) => readdirSync(join(dir, folder)).map((f) => join(folder, f)))]
    .filter((f) => f.endsWith(".yaml") && /^kind: scenario$/m.test(readFileSync(join(dir, f), "utf8")))
    .sort();
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

/**
 * A three-member group, one member per zone of one region (n0 leads at the start), with one class: the Raft tests'
 * scenario. `replication` is the topology's replication block; cross-zone links take `crossZoneMs` one way
 * (median), cross-region ones 20 ms (an election's vote round trip in the engine).
 */
export function threeMemberGroup(opts: { name: string; seed: number; duration: string; writes: number; faults: string; replication: string; preset?: string; crossZoneMs?: number }): string {
  return `kind: scenario
name: ${opts.name}
seed: ${opts.seed}
duration: ${opts.duration}
workload: { writes: ${opts.writes}, reads: 50, clients: 10 }
faults:${opts.faults}
topology:
  kind: topology
  name: raft
  preset: ${opts.preset ?? "etcd-raft"}
  regions: { east: { zones: [a, b, c] } }
  network:
    same-zone: { median: 0.2, p99: 1 }
    cross-zone: { median: ${opts.crossZoneMs ?? 0.5}, p99: 2 }
    cross-region: { median: 20, p99: 40 }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication: ${opts.replication}
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

/**
 * A scenario of three members in three zones (n0 leading), the leader crashing 30 s in: the fixture of the
 * per-preset failover tests. `replication` and `failover` are the topology's blocks, written inline.
 */
export function threeNodeCrash(opts: { name: string; preset: string; seed: number; replication: string; failover?: string }): string {
  return `kind: scenario
name: ${opts.name}
seed: ${opts.seed}
duration: 90s
workload: { writes: 500, reads: 100, clients: 50 }
faults:
  - { at: 30s, crash: n0 }
topology:
  kind: topology
  name: ${opts.name}
  preset: ${opts.preset}
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication: ${opts.replication}${opts.failover ? `\n  failover: ${opts.failover}` : ""}
  data_classes:
    orders: { rpo: 0, rto: 30s }
`;
}

/** A scenario that runs against a preset's starter topology (what `init --preset` writes), embedded; `faults` is a YAML list. */
export function starterScenario(preset: PresetName, opts: { name: string; seed: number; duration: string; workload: string; faults: string }): string {
  const topology = starterTopology(preset)
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  return `kind: scenario\nname: ${opts.name}\nseed: ${opts.seed}\nduration: ${opts.duration}\nworkload: ${opts.workload}\nfaults: ${opts.faults}\ntopology:\n${topology}`;
}
