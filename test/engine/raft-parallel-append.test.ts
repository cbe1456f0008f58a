// A Raft leader sends new entries to its followers while it writes them to its own log (the Raft thesis,
// §10.2.1; etcd's raft loop sends a Ready's messages, then saves its entries), so a commit waits for the
// slower of the leader's flush and a follower's round trip with that follower's flush:
//   commit ≈ max(leader fsync, 2 × one-way link + follower fsync),
// not leader fsync + round trip + follower fsync (PostgreSQL's walsender, which ships only WAL flushed locally).
// Constant latencies and a light load (no flush waits for another) make the expectation exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

/** The client's hop to the leader, in its zone, each way. */
const CLIENT_HOP_MS = 0.1;

function raftGroup(members: number, fsyncMs: number, linkMs: number): string {
  const zones = Array.from({ length: members }, (_, i) => `z${i}`);
  const nodes = zones.map((z, i) => `    n${i}: { zone: east/${z}${i === 0 ? ", role: leader" : ""} }`).join("\n");
  return `kind: scenario
name: raft-parallel-append
seed: 4
duration: 60s
workload: { writes: 5, reads: 0, clients: 5, zones: [east/z0] }
topology:
  kind: topology
  name: raft-parallel-append
  preset: etcd-raft
  regions: { east: { zones: [${zones.join(", ")}] } }
  network:
    same-zone: { constant: ${CLIENT_HOP_MS} }
    cross-zone: { constant: ${linkMs} }
  storage: { fsync: { constant: ${fsyncMs} } }
  nodes:
${nodes}
  replication: { mode: consensus, members: [east], election_timeout: 1s, heartbeat: 100ms }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

for (const members of [3, 5]) {
  for (const [fsyncMs, linkMs] of [
    [1, 1],
    [5, 1],
    [10, 1],
    [1, 5],
    [10, 5],
    [2, 20],
  ]) {
    test(`${members} Raft members, fsync ${fsyncMs} ms, link ${linkMs} ms one way: commit p50 = max(leader fsync, round trip + follower fsync)`, () => {
      const leader = fsyncMs;
      const follower = 2 * linkMs + fsyncMs;
      const expected = Math.max(leader, follower) + 2 * CLIENT_HOP_MS;
      const p50 = simulate(scenarioText(raftGroup(members, fsyncMs, linkMs))).classes[0].latency.writeP50Ms!;
      assert.ok(Math.abs(p50 - expected) <= 0.05, `write p50 ${p50} ms, expected ${expected.toFixed(2)} ms (serial would be ${(leader + follower + 2 * CLIENT_HOP_MS).toFixed(2)} ms)`);
    });
  }
}
