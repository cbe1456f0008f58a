// The calculator and the engine must tell the same story on the same N/R/W:
// run the material's leaderless scenarios through the discrete-event engine
// and compare what it measured with what `repl-lab quorum` predicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { loadFile } from "../../src/model/load.js";
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
