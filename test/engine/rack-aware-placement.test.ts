// Replica placement on the ring. Cassandra's NetworkTopologyStrategy, with a
// snitch that maps zones to racks, puts a key's replicas in distinct racks
// first: six nodes in three zones at RF 3 give every key one replica per
// zone, so losing a zone leaves two of three and LOCAL_QUORUM carries on. The
// plain ring (first N distinct nodes clockwise, Dynamo's and Riak's) puts two
// replicas of many keys in one zone, and losing it takes those keys' quorum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Ring } from "../../src/engine/ring.js";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

function zoneLoss(preset: "cassandra" | "dynamo", placement: string) {
  return scenarioText(`kind: scenario
name: zone-loss-six-nodes
seed: 5
duration: 40s
workload: { writes: 500, reads: 500, clients: 60, keys: 10000, zones: [r1/b, r1/c] }
faults:
  - { at: 10s, lose: r1/a }
topology:
  kind: topology
  name: six
  preset: ${preset}
  regions: { r1: { zones: [a, b, c] } }
  nodes:
    n1: { zone: r1/a }
    n2: { zone: r1/b }
    n3: { zone: r1/c }
    n4: { zone: r1/a }
    n5: { zone: r1/b }
    n6: { zone: r1/c }
  replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: false, read_repair: true, conflict: vector-clock${placement} }
  data_classes:
    d: { rpo: 1m, rto: 1m }
`);
}

test("cassandra (rack-aware by default): losing one of three zones leaves every key two of its three replicas, so no quorum request is refused", () => {
  const s = zoneLoss("cassandra", "");
  assert.equal(s.topology.replication.mode === "leaderless" && s.topology.replication.placement, "rack-aware");
  const r = simulate(s);
  assert.equal(r.totals.writesRejected, 0);
  assert.equal(r.totals.readsRejected, 0);
  assert.equal(r.classes[0].keyOutages?.writes.affectedKeys, 0);
});

test("the plain ring (dynamo's default, or placement: ring) puts two replicas of some keys in one zone: losing it refuses their quorum requests", () => {
  for (const s of [zoneLoss("dynamo", ""), zoneLoss("cassandra", ", placement: ring")]) {
    assert.equal(s.topology.replication.mode === "leaderless" && s.topology.replication.placement, "ring");
    const r = simulate(s);
    assert.ok(r.totals.writesRejected > 1000, `writes refused: ${r.totals.writesRejected}`);
  }
});

test("rack-aware preference lists: distinct racks first, then the nodes set aside in ring order; the same lists for keys and for ranges", () => {
  const names = ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"];
  const racks = [0, 1, 2, 0, 1, 2, 0, 1];
  for (const n of [2, 3, 5, 8]) {
    const aware = new Ring(names, 16, n, 2000, racks);
    const plain = new Ring(names, 16, n, 2000);
    const list = new Int16Array(n);
    const flat = new Int16Array(n);
    for (let key = 0; key < 2000; key++) {
      aware.preference(key, list);
      plain.preference(key, flat);
      assert.equal(new Set(list).size, n, "n distinct nodes");
      const distinctRacks = new Set(Array.from(list, (x) => racks[x])).size;
      assert.equal(distinctRacks, Math.min(n, 3), `key ${key}: its replicas span min(n, racks) racks`);
      // The first replica is the ring's: placement only changes which nodes follow it.
      assert.equal(list[0], flat[0]);
    }
    const ranges = new Int16Array(aware.tokenCount * n);
    aware.rangeReplicas(ranges);
    for (let key = 0; key < 2000; key++) {
      aware.preference(key, list);
      const t = aware.tokenOf(key);
      assert.deepEqual(Array.from(ranges.subarray(t * n, t * n + n)), Array.from(list));
    }
  }
});
