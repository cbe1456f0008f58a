// A leaderless coordinator that is itself one of the key's replicas writes and reads its own copy in process, as
// Cassandra and Dynamo do: no network round trip to itself. With constant latencies the figures are exact: a
// client in the coordinator's zone pays one same-zone round trip (2 × 1 ms), plus the flush (0.5 ms) for a write;
// a W=1 write and an R=1 read are answered by the coordinator's own replica (found by a review: they paid a
// second same-zone round trip, 4.5 ms and 4 ms).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

function run(opts: { w: number; r: number; readRepair?: boolean; faults?: string; duration?: string; keys?: number }) {
  return simulate(
    scenarioText(`kind: scenario
name: local-replica
seed: 5
duration: ${opts.duration ?? "20s"}
workload: { writes: 200, reads: 200, clients: 20, keys: ${opts.keys ?? 100000}, zones: [us-east/a] }
faults: ${opts.faults ?? "[]"}
topology:
  kind: topology
  name: lw3
  preset: cassandra
  regions: { us-east: { zones: [a, b] }, us-west: { zones: [a] } }
  network:
    same-zone: { constant: 1 }
    cross-zone: { constant: 5 }
    cross-region: { constant: 40 }
  storage: { fsync: { constant: 0.5 } }
  nodes:
    n1: { zone: us-east/a }
    n2: { zone: us-east/b }
    n3: { zone: us-west/a }
  replication: { mode: leaderless, n: 3, w: ${opts.w}, r: ${opts.r}, sloppy_quorum: false, read_repair: ${opts.readRepair ?? false} }
  data_classes:
    c: { rpo: 1m, rto: 1m, consistency: eventual }
`),
  );
}

test("a coordinator that is a replica serves W=1 writes and R=1 reads from its own copy: one client round trip, no trip to itself", () => {
  const latency = run({ w: 1, r: 1 }).classes[0].latency;
  // Client → n1 (1 ms), n1 flushes its own copy (0.5 ms), n1 → client (1 ms).
  assert.equal(latency.writeP50Ms, 2.5);
  assert.equal(latency.writeP99Ms, 2.5);
  assert.equal(latency.readP50Ms, 2);
  assert.equal(latency.readP99Ms, 2);
});

test("W=2 and R=2 wait for the nearest other replica, one cross-zone round trip away; the coordinator's own copy costs nothing", () => {
  const latency = run({ w: 2, r: 2 }).classes[0].latency;
  // 1 ms to n1, n1 → n2 (5 ms), flush (0.5 ms), n2 → n1 (5 ms), 1 ms back.
  assert.equal(latency.writeP50Ms, 12.5);
  assert.equal(latency.readP50Ms, 12);
});
