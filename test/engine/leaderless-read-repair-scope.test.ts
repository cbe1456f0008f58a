// Whose stale copies a read repairs. Dynamo and Riak ask all N replicas, answer with the first R replies and, once
// every reply is in, write the newest version back to each replica that returned an older one; Cassandra's blocking
// read repair fixes only the replicas the consistency level contacted. With R = 1 Cassandra's repair never has two
// replies to compare, so it changes nothing; Dynamo's repairs every key it reads.
//
// The physics, independent of the engine's bookkeeping: n3 comes back missing the writes of its outage beyond the
// hint window. Each later read of a key repairs n3's copy of it under Dynamo, so the keys n3 still has stale decay
// as exp(-λt), λ = reads per second per key, and the stale reads after the return fall from a constant rate s
// over T seconds (s·T, with no repair) to s·(1 − e^(−λT))/λ.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

const READS = 3_000;
const KEYS = 100_000;

function run(preset: "dynamo" | "cassandra", readRepair: boolean, duration: string): number {
  const text = `kind: scenario
name: read-repair-scope
topology:
  kind: topology
  name: t
  preset: ${preset}
  regions: { us-east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: us-east/a }
    n2: { zone: us-east/b }
    n3: { zone: us-east/c }
  replication: { mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, hinted_handoff: { window: 10s }, read_repair: ${readRepair} }
  data_classes: { c: { rpo: 1m, rto: 1m, consistency: eventual } }
seed: 5
duration: ${duration}
workload: { writes: 100, reads: ${READS}, clients: 60, keys: ${KEYS} }
faults:
  - { at: 10s, crash: n3, for: 60s }
`;
  return simulate(scenarioText(text)).totals.staleReads;
}

test("Dynamo's read repair fixes the replicas whose replies came late: stale reads after the return decay as exp(-λt)", () => {
  const beforeReturn = run("dynamo", false, "70s");
  const without = run("dynamo", false, "150s");
  const withRepair = run("dynamo", true, "150s");
  const afterWithout = without - beforeReturn;
  assert.ok(afterWithout > 1_000, `n3 serves stale copies for the rest of the run without repair: ${afterWithout}`);
  const lambda = READS / KEYS;
  const t = 80;
  const predicted = beforeReturn + (afterWithout * (1 - Math.exp(-lambda * t))) / (lambda * t);
  assert.ok(Math.abs(withRepair - predicted) / predicted < 0.1, `with read repair ${withRepair}, predicted ${predicted.toFixed(0)} (without: ${without})`);
});

test("Cassandra repairs only the replicas the consistency level contacted: at R = 1 read repair changes nothing", () => {
  assert.equal(run("cassandra", true, "150s"), run("cassandra", false, "150s"));
});
