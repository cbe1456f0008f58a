// Hand-made histories and results for the oracles' unit tests: a history is
// written as a short list of writes, timelines and writer intervals; the
// consistent result is derived from it, so each test perturbs one thing.
import type { CommitRegression, RunHistory, WriterInterval } from "../../src/engine/history.js";
import type { SimulationResult } from "../../src/engine/result.js";
import { ACKED } from "../../src/engine/write-log.js";
import { loadText } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { countByStatus, longestOutageMs, lostPerClass, outages, splitBrainMs, unavailableMs, unavailableStretches } from "../../src/swarm/facts.js";
import type { OracleContext } from "../../src/swarm/oracles.js";

export function scenarioOf(text: string): ResolvedScenario {
  const loaded = loadText("oracle-test.yaml", text);
  if (loaded.kind !== "scenario") throw new Error("not a scenario");
  return loaded.scenario;
}

/** A leader/follower design with strict synchronous replication and STONITH: no acknowledged write may be lost. */
export function syncScenario(faults = "  - { at: 10s, crash: n0, for: 5s }", duration = "120s"): ResolvedScenario {
  return scenarioOf(`kind: scenario
name: oracle-test
seed: 1
duration: ${duration}
workload: { writes: 10, clients: 2 }
faults:
${faults}
topology:
  kind: topology
  name: t
  regions: { east: { zones: [a, b] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
  replication: { mode: leader-follower, synchronous: { standbys: "FIRST 1 (n1)", commit: on, strict: true } }
  failover:
    detection: { ttl: 3s, loop_wait: 1s, retry_timeout: 1s }
    fencing: stonith
    endpoint: { kind: proxy, check_interval: 500ms }
  data_classes:
    ledger: { rpo: 0, rto: 30s }
`);
}

export function quorumScenario(conflict: "lww" | "vector-clock" = "lww"): ResolvedScenario {
  return scenarioOf(`kind: scenario
name: oracle-quorum
duration: 60s
workload: { writes: 10, reads: 10, clients: 2 }
faults:
  - { at: 10s, crash: n0, for: 5s }
topology:
  kind: topology
  name: q
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: false, conflict: ${conflict} }
  data_classes:
    kv: { rpo: 0, rto: 30s }
`);
}

export interface WriteSpec {
  sendMs: number;
  doneMs?: number;
  status: number;
  cls?: number;
  epoch?: number;
  lsn?: number;
  node?: number;
}

export interface HistorySpec {
  nodeNames?: string[];
  endMs?: number;
  writes?: WriteSpec[];
  epochs?: RunHistory["epochs"];
  finalEpoch?: number;
  writers?: WriterInterval[];
  blocked?: RunHistory["blocked"];
  final?: RunHistory["final"];
  syncSatisfied?: boolean | null;
  pastSchedules?: RunHistory["pastSchedules"];
  commitRegressions?: CommitRegression[];
  unobserved?: RunHistory["unobserved"];
  nodeLostAtMs?: number[];
}

export function historyOf(spec: HistorySpec): RunHistory {
  const writes = spec.writes ?? [];
  const column = <T extends Float64Array | Int32Array | Int16Array | Uint8Array>(make: new (n: number) => T, value: (w: WriteSpec, i: number) => number): T => {
    const out = new make(writes.length);
    writes.forEach((w, i) => (out[i] = value(w, i)));
    return out;
  };
  const names = spec.nodeNames ?? ["n0", "n1"];
  return {
    nodeNames: names,
    endMs: spec.endMs ?? 120_000,
    writes: {
      count: writes.length,
      sendMs: column(Float64Array, (w) => w.sendMs),
      doneMs: column(Float64Array, (w) => w.doneMs ?? w.sendMs + 2),
      status: column(Uint8Array, (w) => w.status),
      cls: column(Uint8Array, (w) => w.cls ?? 0),
      key: column(Int32Array, (_, i) => i),
      epoch: column(Int32Array, (w) => w.epoch ?? 0),
      lsn: column(Float64Array, (w, i) => w.lsn ?? (i + 1) * 1024),
      node: column(Int16Array, (w) => w.node ?? 0),
    },
    unobserved: spec.unobserved ?? [],
    nodeLostAtMs: spec.nodeLostAtMs ?? names.map(() => NaN),
    epochs: spec.epochs ?? { parent: [-1], forkLsn: [Infinity], leader: [0], startMs: [0] },
    finalEpoch: spec.finalEpoch ?? 0,
    writers: spec.writers ?? [],
    blocked: spec.blocked ?? [],
    final: spec.final ?? names.map((name, i) => ({ name, alive: true, role: i === 0 ? "leader" : "replica", following: i === 0 ? -1 : 0, streaming: i !== 0, lostForGood: false, holds: { epoch: 0, lsn: Infinity } })),
    syncSatisfied: spec.syncSatisfied ?? null,
    pastSchedules: spec.pastSchedules ?? [],
    commitRegressions: spec.commitRegressions ?? [],
  };
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The result an honest engine would report for this history (figures recomputed from it). */
export function resultFor(scenario: ResolvedScenario, history: RunHistory): SimulationResult {
  const classes = scenario.topology.dataClasses;
  const lost = lostPerClass(history, classes.length) ?? classes.map(() => 0);
  const acked = countByStatus(history, classes.length, ACKED);
  const rejected = countByStatus(history, classes.length, 2);
  const list = outages(history, classes.length, scenario.faults.map((f) => f.atMs), scenario.workload.timeoutMs);
  const split = round(splitBrainMs(history));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    topology: scenario.topology.name,
    preset: scenario.topology.preset,
    mode: scenario.topology.replication.mode,
    durationMs: scenario.durationMs,
    firstFaultMs: scenario.faults[0]?.atMs ?? null,
    classes: classes.map((c, i) => {
      const rto = longestOutageMs(list, i);
      return {
        name: c.name,
        rpo: { targetMs: c.rpoMs, lostAckedWrites: lost[i], windowMs: 0 },
        rto: { targetMs: c.rtoMs, writeMs: rto === null ? null : round(rto), readMs: null, p50ClientMs: null, p99ClientMs: null },
        latency: { writeP50Ms: null, writeP99Ms: null, readP50Ms: null, readP99Ms: null },
        staleReads: 0,
        writesAcked: acked[i],
        writesRejected: rejected[i],
        met: true,
      };
    }),
    timeline: split > 0 ? [{ atMs: 0, node: "n0", event: "split-brain" as const }] : [],
    totals: {
      writesAcked: sum(acked),
      writesLost: sum(lost),
      writesRejected: sum(rejected),
      readsRejected: 0,
      staleReads: 0,
      conflicts: 0,
      splitBrainMs: split,
      writeUnavailableMs: round(unavailableMs(list, history.endMs)),
      writeUnavailableStretches: unavailableStretches(list, history.endMs),
      failovers: history.epochs.parent.length - 1,
      readsServed: 0,
    },
    phases: [],
    lag: [],
    regions: [],
    settings: {},
    expectations: [],
    violations: [],
    stats: { events: 0 },
  };
}

export function contextOf(scenario: ResolvedScenario, spec: HistorySpec, tweak?: (result: SimulationResult) => void): OracleContext {
  const history = historyOf(spec);
  const result = resultFor(scenario, history);
  tweak?.(result);
  return { scenario, result, history };
}

/** Writes every `everyMs` from `fromMs` to `toMs`, all with the same outcome. */
export function steady(fromMs: number, toMs: number, everyMs: number, status: number, extra: Partial<WriteSpec> = {}): WriteSpec[] {
  const out: WriteSpec[] = [];
  for (let t = fromMs; t < toMs; t += everyMs) out.push({ sendMs: t, status, ...extra });
  return out;
}
