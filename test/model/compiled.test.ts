// The compiled model: what the loader works out once so that no reader has to
// derive it again (majorities, detection timing, fault indices, defaults).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { deriveSettings } from "../../src/model/derived.js";
import { loadFile } from "../../src/model/load.js";
import { SCENARIO_DEFAULTS } from "../../src/model/presets.js";
import { withSeed } from "../../src/model/scenario.js";
import type { ResolvedScenario, ResolvedTopology } from "../../src/model/types.js";
import { loads } from "./helpers.js";

const TOPOLOGY = `kind: topology
name: two-regions
regions:
  east: { zones: [a, b] }
  west: { zones: [a] }
nodes:
  n1: { zone: east/a, role: leader }
  n2: { zone: east/b }
  n3: { zone: west/a }
  n4: { zone: west/a }
replication: { mode: leader-follower }
failover:
  detection: { ttl: 20s, loop_wait: 5s, retry_timeout: 10s }
data_classes:
  ledger: { rpo: 0, rto: 1m }
  analytics: { rpo: 1h, rto: 1h }
`;

function topologyOf(text: string): ResolvedTopology {
  const loaded = loads(text);
  assert.equal(loaded.kind, "topology");
  return loaded.topology;
}

function scenarioOf(extra: string): ResolvedScenario {
  const inline = TOPOLOGY.split("\n").map((l) => (l ? `  ${l}` : l)).join("\n");
  const loaded = loads(`kind: scenario\nname: s\nduration: 120s\nworkload: { writes: 10 }\n${extra}\ntopology:\n${inline}`);
  assert.equal(loaded.kind, "scenario");
  return loaded.scenario;
}

test("derived: majorities, the detection ttl and renewal period, and Patroni's timing relation", () => {
  const t = topologyOf(TOPOLOGY);
  assert.deepEqual(t.derived.zones, ["east/a", "east/b", "west/a"]);
  assert.deepEqual(t.derived.regions, ["east", "west"]);
  assert.equal(t.derived.majority, 3, "⌊4/2⌋ + 1");
  assert.equal(t.derived.quorumMajority, null, "only leaderless has a quorum majority");
  // 5 s + 2 × 10 s breaks Patroni's rule against a 20 s ttl, and so would a 1 s loop: Patroni runs loop_wait 1 s and
  // retry_timeout (20 − 1) // 2 = 9 s, so the leader renews every second.
  assert.deepEqual(t.derived.detection, { ttlMs: 20_000, renewalPeriodMs: 1_000, minMs: 19_000, maxMs: 20_000 });
  assert.deepEqual(t.derived.patroni, { ttlMs: 20_000, loopWaitMs: 5_000, retryTimeoutMs: 10_000, neededMs: 25_000, slackMs: -5_000, fits: false, adjusted: { loopWaitMs: 1_000, retryTimeoutMs: 9_000 } });
});

test("derived: heartbeats detect after misses × interval and have no Patroni relation; leaderless has a quorum majority", () => {
  const heartbeat = topologyOf(TOPOLOGY.replace("{ ttl: 20s, loop_wait: 5s, retry_timeout: 10s }", "{ heartbeat: 2s, misses: 3 }"));
  assert.deepEqual(heartbeat.derived.detection, { ttlMs: 6_000, renewalPeriodMs: 2_000, minMs: 4_000, maxMs: 6_000 });
  assert.equal(heartbeat.derived.patroni, null);
  const leaderless = topologyOf(TOPOLOGY.replace("replication: { mode: leader-follower }", "replication: { mode: leaderless, n: 4, w: 2, r: 2 }").replace("role: leader", "role: replica"));
  assert.equal(leaderless.derived.quorumMajority, 3);
});

test("derived: a consensus group's detection is its heartbeat and election timeout, not the lease it was given", () => {
  const t = topologyOf(TOPOLOGY.replace("replication: { mode: leader-follower }", "replication: { mode: consensus, election_timeout: 1s, heartbeat: 100ms }"));
  // The last heartbeat came up to one interval before the failure; a voter's timer is the timeout plus up to another (Raft's [T, 2T)).
  assert.deepEqual(t.derived.detection, { ttlMs: 1_000, renewalPeriodMs: 100, minMs: 900, maxMs: 2_000 });
  assert.equal(t.derived.patroni, null);
});

test("derived: deriveSettings recomputes the block from the settings it is given", () => {
  const t = topologyOf(TOPOLOGY);
  assert.deepEqual(deriveSettings(t), t.derived);
  const rounded = deriveSettings({ ...t, failover: { ...t.failover, detection: { kind: "lease", ttlMs: 30_000, loopWaitMs: 10_000, retryTimeoutMs: 10_000 } } });
  assert.equal(rounded.patroni?.fits, true);
  assert.equal(rounded.detection.ttlMs, 30_000);
});

test("faults carry the indices of the nodes, zones, regions and classes they name", () => {
  const s = scenarioOf(`faults:
  - { at: 1s, crash: n3, for: 5s }
  - { at: 2s, partition: [[east], [n3, west/a]], for: 5s }
  - { at: 3s, latency: { between: [[n1], [west]], add: 50ms } }
  - { at: 4s, lose: west/a, for: 10s }
  - { at: 5s, lose: east }
  - { at: 6s, bad_write: { class: analytics, statement: delete } }
  - { at: 7s, promote_fails: n2 }`);
  const [crash, partition, latency, loseZone, loseRegion, badWrite, promoteFails] = s.faults;
  assert.deepEqual(crash, { atMs: 1_000, kind: "crash", node: "n3", nodeIndex: 2, forMs: 5_000 });
  assert.deepEqual(partition, { atMs: 2_000, kind: "partition", sides: [["n1", "n2"], ["n3", "n4"]], sideIndices: [[0, 1], [2, 3]], zones: [["east/a", "east/b"], ["west/a"]], zoneIndices: [[0, 1], [2]], forMs: 5_000 });
  assert.deepEqual(latency, { atMs: 3_000, kind: "latency", between: [["n1"], ["n3", "n4"]], betweenIndices: [[0], [2, 3]], zones: [[], ["west/a"]], addMs: 50, forMs: null });
  assert.deepEqual(loseZone, { atMs: 4_000, kind: "lose", target: "west/a", nodes: ["n3", "n4"], zones: ["west/a"], nodeIndices: [2, 3], zoneIndices: [2], regionIndex: 1, forMs: 10_000 });
  assert.deepEqual(loseRegion, { atMs: 5_000, kind: "lose", target: "east", nodes: ["n1", "n2"], zones: ["east/a", "east/b"], nodeIndices: [0, 1], zoneIndices: [0, 1], regionIndex: 0, forMs: null });
  assert.equal(badWrite.kind === "bad_write" && badWrite.classIndex, 1);
  assert.deepEqual(promoteFails, { atMs: 7_000, kind: "promote_fails", node: "n2", nodeIndex: 1 });
  for (const f of s.faults) {
    if ("nodeIndex" in f && f.nodeIndex !== undefined) assert.equal(s.topology.nodes[f.nodeIndex].name, f.node);
  }
});

test("a scenario that leaves its seed and workload details out gets the defaults table's values", () => {
  const s = scenarioOf("");
  assert.equal(s.seed, SCENARIO_DEFAULTS.seed);
  const d = SCENARIO_DEFAULTS.workload;
  assert.deepEqual(
    { reads: s.workload.reads, clients: s.workload.clients, keys: s.workload.keys, writeSizeBytes: s.workload.writeSizeBytes, timeoutMs: s.workload.timeoutMs },
    { reads: d.reads, clients: d.clients, keys: d.keys, writeSizeBytes: d.writeSizeBytes, timeoutMs: d.timeoutMs },
  );
  assert.equal(scenarioOf("seed: 7").seed, 7);
});

test("withSeed is how --seed overrides the scenario's seed: a copy with that seed, the same scenario without one", () => {
  const s = scenarioOf("seed: 7");
  assert.equal(withSeed(s, undefined), s);
  assert.equal(withSeed(s, 7), s);
  const other = withSeed(s, 42);
  assert.equal(other.seed, 42);
  assert.equal(s.seed, 7, "the loaded scenario is not changed");
  assert.equal(other.expectations, s.expectations, "everything else is shared, not recompiled");
  assert.throws(() => withSeed(s, -1), RangeError);
  assert.throws(() => withSeed(s, 1.5), RangeError);
});

test("derived: the coordinator's members follow who elects the leader, for every bundled design", () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const files = ["topologies", "scenarios"].flatMap((dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith(".yaml")).map((f) => join(root, dir, f)));
  assert.ok(files.length > 20);
  let voting = 0;
  for (const file of files) {
    const loaded = loadFile(file);
    const topology = loaded.kind === "topology" ? loaded.topology : loaded.kind === "scenario" ? loaded.scenario.topology : null;
    if (!topology) continue;
    const { members, majority, nodesVote } = topology.derived.coordinator;
    assert.equal(majority, members.length === 0 ? 0 : Math.floor(members.length / 2) + 1, file);
    // A replica set that elects its own primary: one member per node, in the node's zone, whatever `coordinator:` lists.
    if (topology.preset === "mongodb" || topology.replication.mode === "consensus") {
      assert.equal(nodesVote, true, file);
      voting++;
    }
    // Data nodes first (the engine's member i is node i), then any MongoDB arbiters, which vote but hold no data.
    if (nodesVote && topology.replication.mode !== "consensus") {
      assert.deepEqual(members, [...topology.nodes.map((n) => n.zone), ...topology.arbiters.map((a) => a.zone)], file);
    }
    if (topology.preset === "aurora" || topology.preset === "rds-multi-az") assert.deepEqual(members, [], file);
    if (topology.preset === "patroni") assert.equal(nodesVote, false, file);
  }
  assert.ok(voting > 0, "some bundled design elects by its nodes' votes");
});
