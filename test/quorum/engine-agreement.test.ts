// The calculator and the engine must tell the same story on the same N/R/W:
// run the material's leaderless scenarios through the discrete-event engine
// and compare what it measured with what `repl-lab quorum` predicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Core } from "../../src/engine/core.js";
import { Leaderless } from "../../src/engine/leaderless/shape.js";
import { measure } from "../../src/engine/measure.js";
import { simulate } from "../../src/engine/simulate.js";
import { loadFile, loadText } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { analyzeQuorum } from "../../src/quorum/analysis.js";
import { staleProbability } from "../../src/quorum/staleness.js";

function scenario(name: string): ResolvedScenario {
  const loaded = loadFile(join(process.cwd(), "scenarios", `${name}.yaml`));
  if (loaded.kind !== "scenario") throw new Error(`${name} is not a scenario`);
  return loaded.scenario;
}

function leaderless(s: ResolvedScenario) {
  const replication = s.topology.replication;
  if (replication.mode !== "leaderless") throw new Error(`${s.name} is not leaderless`);
  return replication;
}

/** Crashed nodes that are down together, and for how long (the scenarios crash them at one instant). */
function simultaneousCrashes(s: ResolvedScenario): { down: number; forMs: number } {
  const crashes = s.faults.filter((f): f is Extract<typeof f, { kind: "crash" }> => f.kind === "crash");
  assert.ok(crashes.length > 0 && crashes.every((c) => c.atMs === crashes[0].atMs && c.forMs === crashes[0].forMs), `${s.name}: one group of crashes`);
  return { down: crashes.length, forMs: crashes[0].forMs ?? s.durationMs - crashes[0].atMs };
}

for (const name of ["quorum-three-down-strict", "quorum-w2-r4"]) {
  test(`${name}: the engine refuses exactly what the calculator says is blocked`, () => {
    const s = scenario(name);
    const { n, r, w } = leaderless(s);
    // Every node of these N-node clusters holds every key, so K crashed nodes are K of each key's replicas down.
    assert.equal(s.topology.nodes.length, n);
    const { down, forMs } = simultaneousCrashes(s);
    const predicted = analyzeQuorum({ n, r, w, down, sloppy: false, cluster: null }).current;
    const result = simulate(s);
    const t = result.totals;
    if (predicted.writes.available) assert.ok(t.writeUnavailableMs < 0.1 * forMs, `writes available, engine: unavailable ${t.writeUnavailableMs} ms`);
    else assert.ok(t.writeUnavailableMs > 0.9 * forMs, `writes blocked, engine: unavailable ${t.writeUnavailableMs} ms of ${forMs}`);
    const readsDuringFault = (s.workload.reads * forMs) / 1000;
    if (predicted.reads.available) assert.ok(t.readsRejected < 0.1 * readsDuringFault, `reads available, engine rejected ${t.readsRejected}`);
    else assert.ok(t.readsRejected > 0.9 * readsDuringFault, `reads blocked, engine rejected ${t.readsRejected} of ~${readsDuringFault}`);
  });
}

test("quorum-overlap-stale: stale reads only in the class with R + W <= N, as the closed form says", () => {
  const s = scenario("quorum-overlap-stale");
  const { n } = leaderless(s);
  const result = simulate(s);
  for (const dataClass of s.topology.dataClasses) {
    const r = dataClass.r ?? leaderless(s).r;
    const w = dataClass.w ?? leaderless(s).w;
    const measured = result.classes.find((c) => c.name === dataClass.name)!;
    const p = staleProbability(n, r, w).value;
    if (r + w > n) assert.equal(measured.staleReads, 0, `${dataClass.name}: R=${r} W=${w}`);
    else assert.ok(p > 0 && measured.staleReads > 0, `${dataClass.name}: R=${r} W=${w}, closed form ${p}, measured ${measured.staleReads}`);
  }
});

// ---------------------------------------------------------------------------
// Generated clusters, strict and sloppy: K of C nodes crash together, and the
// engine's refusals (a live coordinator that cannot reach W or R nodes for the
// key) must match the calculator's answer for --down K [--sloppy --cluster C].
// Under a sloppy quorum every key reaches min(N, C − K) healthy nodes whichever
// nodes are down, so one answer covers every key; under a strict quorum only
// C = N makes K crashed nodes K replicas of every key.

interface Case {
  n: number;
  r: number;
  w: number;
  /** Nodes in the cluster. */
  cluster: number;
  /** Nodes crashed together. */
  down: number;
  sloppy: boolean;
  /** Pass --cluster to the calculator (sloppy only); without it the calculator assumes stand-ins exist. */
  tellCluster: boolean;
}

// Off the one-second hint-delivery tick, so that reads run between a replica's return and its first hints.
const FAULT_AT_S = 5.5;
const FAULT_FOR_S = 20;
const RATE = 200;

function generated(c: Case): ResolvedScenario {
  const nodes = Array.from({ length: c.cluster }, (_, i) => `    n${i + 1}: { zone: east/${"abc"[i % 3]} }`).join("\n");
  // Crash every other node first, so the down nodes are spread round the ring.
  const order = [...Array.from({ length: c.cluster }, (_, i) => i + 1).filter((i) => i % 2 === 0), ...Array.from({ length: c.cluster }, (_, i) => i + 1).filter((i) => i % 2 === 1)];
  const faults = order.slice(0, c.down).map((node) => `  - { at: ${FAULT_AT_S * 1000}ms, crash: n${node}, for: ${FAULT_FOR_S}s }`);
  const text = `kind: scenario
name: agreement-${c.sloppy ? "sloppy" : "strict"}-n${c.n}-r${c.r}-w${c.w}-c${c.cluster}-k${c.down}
seed: ${c.n * 1000 + c.cluster * 100 + c.down * 10 + c.r}
duration: ${Math.ceil(FAULT_AT_S + FAULT_FOR_S + 5)}s
workload: { writes: ${RATE}, reads: ${RATE}, clients: 40, keys: 400 }
${faults.length > 0 ? `faults:\n${faults.join("\n")}` : ""}
topology:
  kind: topology
  name: agreement
  regions: { east: { zones: [a, b, c] } }
  nodes:
${nodes}
  replication: { mode: leaderless, n: ${c.n}, w: ${c.w}, r: ${c.r}, sloppy_quorum: ${c.sloppy}, read_repair: false, conflict: vector-clock }
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: eventual }
`;
  const loaded = loadText("agreement.yaml", text);
  if (loaded.kind !== "scenario") throw new Error("not a scenario");
  return loaded.scenario;
}

/** Runs the engine as simulate() does, keeping the shape for its refusal counters. */
function runEngine(s: ResolvedScenario) {
  const core = new Core(s, s.seed);
  const shape = new Leaderless(core);
  core.shape = shape;
  core.run(s.faults);
  return { shape, result: measure(core, s, s.seed) };
}

const cases: Case[] = [
  // Strict quorum, every node a replica of every key.
  { n: 3, r: 2, w: 2, cluster: 3, down: 1, sloppy: false, tellCluster: false },
  { n: 3, r: 2, w: 2, cluster: 3, down: 2, sloppy: false, tellCluster: false },
  { n: 5, r: 1, w: 5, cluster: 5, down: 1, sloppy: false, tellCluster: false },
  { n: 5, r: 4, w: 2, cluster: 5, down: 3, sloppy: false, tellCluster: false },
  // Sloppy quorum with no node outside the replica set: nobody can stand in.
  { n: 5, r: 3, w: 3, cluster: 5, down: 3, sloppy: true, tellCluster: true },
  { n: 5, r: 3, w: 3, cluster: 5, down: 2, sloppy: true, tellCluster: true },
  // Sloppy quorum with stand-ins: reads as well as writes go to the first N healthy nodes.
  { n: 5, r: 3, w: 3, cluster: 8, down: 3, sloppy: true, tellCluster: true },
  { n: 5, r: 3, w: 3, cluster: 6, down: 3, sloppy: true, tellCluster: true },
  { n: 5, r: 3, w: 3, cluster: 6, down: 4, sloppy: true, tellCluster: true },
  { n: 5, r: 4, w: 2, cluster: 8, down: 3, sloppy: true, tellCluster: true },
  { n: 5, r: 4, w: 2, cluster: 6, down: 3, sloppy: true, tellCluster: true },
  { n: 3, r: 2, w: 2, cluster: 5, down: 3, sloppy: true, tellCluster: true },
  { n: 3, r: 3, w: 1, cluster: 4, down: 2, sloppy: true, tellCluster: true },
  { n: 3, r: 1, w: 3, cluster: 4, down: 2, sloppy: true, tellCluster: true },
  { n: 3, r: 2, w: 2, cluster: 4, down: 3, sloppy: true, tellCluster: true },
  // Without --cluster the calculator assumes enough stand-ins: true of a ten-node ring with three down.
  { n: 5, r: 3, w: 3, cluster: 10, down: 3, sloppy: true, tellCluster: false },
  // Strong reads under a sloppy quorum take R + W > N + S (S stand-ins in play): R > K is not enough.
  { n: 5, r: 4, w: 3, cluster: 8, down: 3, sloppy: true, tellCluster: true },
  { n: 5, r: 3, w: 3, cluster: 8, down: 2, sloppy: true, tellCluster: true },
  { n: 5, r: 2, w: 4, cluster: 8, down: 2, sloppy: true, tellCluster: true },
  { n: 3, r: 3, w: 1, cluster: 6, down: 2, sloppy: true, tellCluster: true },
  { n: 3, r: 1, w: 3, cluster: 6, down: 1, sloppy: true, tellCluster: true },
];

for (const c of cases) {
  const flags = `--n ${c.n} --r ${c.r} --w ${c.w} --down ${c.down}${c.sloppy ? " --sloppy" : ""}${c.tellCluster ? ` --cluster ${c.cluster}` : ""}`;
  test(`quorum ${flags} agrees with the engine: ${c.down} of ${c.cluster} nodes crashed`, () => {
    const predicted = analyzeQuorum({ n: c.n, r: c.r, w: c.w, down: c.down, sloppy: c.sloppy, cluster: c.tellCluster ? c.cluster : null }).current;
    const s = generated(c);
    const { shape, result } = runEngine(s);
    assert.deepEqual(result.violations, []);
    const during = RATE * FAULT_FOR_S;
    const say = (what: string, available: boolean, refused: number) => `${what}: calculator says ${available ? "available" : "blocked"}, engine refused ${refused} of ~${during} sent during the fault`;
    // Available: not one request refused for want of a quorum. Blocked: every request a live coordinator takes is refused
    // (a few are lost instead on coordinators that died, until their clients reconnect).
    if (predicted.writes.available) assert.equal(shape.writesRefused, 0, say("writes", true, shape.writesRefused));
    else assert.ok(shape.writesRefused > 0.8 * during, say("writes", false, shape.writesRefused));
    if (predicted.reads.available) assert.equal(shape.readsRefused, 0, say("reads", true, shape.readsRefused));
    else assert.ok(shape.readsRefused > 0.8 * during, say("reads", false, shape.readsRefused));
    // Reads the calculator calls strong are never stale in the engine. Of the sloppy cases with R + W > N it does not call
    // strong, those with R <= K show stale reads in any run: a read's R replies can all come from the returned replicas
    // before the hints are replayed, which never got the writes made meanwhile. The others (R > K, R + W <= N + S) miss a
    // write only while it has reached no more than its W acknowledgers, a window of milliseconds, as the engine sends every
    // write to all N nodes it reaches: the guarantee is gone, but a run need not catch it.
    if (predicted.strongReads) assert.equal(result.totals.staleReads, 0, "strong reads, yet the engine measured stale ones");
    else if (c.sloppy && c.r + c.w > c.n && c.r <= c.down && predicted.reads.available && predicted.writes.available) assert.ok(result.totals.staleReads > 0, "the calculator says a read can miss the write; the engine never did");
    // Vector clocks keep concurrent writes as siblings (last-write-wins would drop the loser of each, tested apart),
    // so a write lost here would be one the crashes lost.
    assert.equal(result.totals.writesLost, 0);
  });
}
