// Raft timings below etcd's five heartbeats per election timeout. CockroachDB
// heartbeats every second (2 ticks of 500 ms) and times elections out after
// 2 s (4 ticks), randomized up to 4 s: the loader used to refuse that as etcd
// does. The expectations come from Raft itself: a follower's timer runs out
// between the timeout and twice it after the last heartbeat it heard, and a
// healthy leader's heartbeat always comes one interval after the last, so
// with the timeout over one heartbeat no follower campaigns against it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText, threeMemberGroup } from "./helpers.js";

const HEARTBEAT_MS = 1_000;
const ELECTION_TIMEOUT_MS = 2_000;
/** Members one per zone of one region: the election's round trip is the topology's default cross-region median × 2. */
function raftGroup(opts: { seed: number; duration: string; faults: string; timers?: string }): string {
  const timers = opts.timers ?? `election_timeout: ${ELECTION_TIMEOUT_MS}ms, heartbeat: ${HEARTBEAT_MS}ms`;
  return threeMemberGroup({ name: "cockroach-timings", seed: opts.seed, duration: opts.duration, writes: 50, faults: opts.faults, replication: `{ mode: consensus, ${timers} }` });
}

test("a healthy Raft group at 2 heartbeats per election timeout (1 s / 2 s, CockroachDB's) keeps its leader for minutes: no election", () => {
  for (const timers of [undefined, "election_timeout: 1500ms, heartbeat: 1s"]) {
    for (let seed = 1; seed <= 5; seed++) {
      const result = simulate(scenarioText(raftGroup({ seed, duration: "5m", faults: " []", timers })));
      for (const event of ["detect", "elect", "promote"] as const) {
        assert.equal(factsOf(result.timeline, event).length, 0, `${timers ?? "2s / 1s"}, seed ${seed}: no ${event}`);
      }
    }
  }
});

test("at 1 s / 2 s a dead leader is replaced between (timeout − one heartbeat) and 2 × timeout + the vote's round trip after it died", () => {
  const crashMs = 60_000;
  // The last heartbeat came at most one interval before the crash; a voter's timer then runs [T, 2T); the vote is one round trip.
  const earliest = crashMs + ELECTION_TIMEOUT_MS - HEARTBEAT_MS;
  const latest = crashMs + 2 * ELECTION_TIMEOUT_MS + 2 * 20;
  const delays: number[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const result = simulate(scenarioText(raftGroup({ seed, duration: "2m", faults: `\n  - { at: ${crashMs}ms, crash: n0 }` })));
    const promoted = factsOf(result.timeline, "promote");
    assert.equal(promoted.length, 1, `seed ${seed}: one new leader`);
    assert.ok(promoted[0].atMs >= earliest && promoted[0].atMs <= latest, `seed ${seed}: promoted at ${promoted[0].atMs} ms, expected ${earliest}..${latest}`);
    delays.push(promoted[0].atMs - crashMs);
  }
  assert.ok(Math.max(...delays) - Math.min(...delays) > 500, `spread over the randomized timers (got ${delays.join(", ")})`);
});

// A Raft leader sends a proposal at once, not at its next heartbeat: a commit costs the client's round trip plus
// the majority's, whatever the heartbeat. Found by a review: every heartbeat re-evaluated the waiting commits and
// moved those already committed to now + a trip, so a heartbeat shorter than the trip back to the client pushed
// their acknowledgements past the timeout (4,797 of 6,066 writes rejected with no fault, at 10 ms over 20 ms links).
test("a consensus commit costs the client's round trip plus the majority's, at a heartbeat far shorter than a link's latency", () => {
  const latencies: number[] = [];
  for (const heartbeat of ["10ms", "100ms"]) {
    const result = simulate(
      scenarioText(`kind: scenario
name: heartbeat-vs-latency
seed: 4
duration: 30s
workload: { writes: 100, reads: 0, clients: 50, zones: [r2/a] }
faults: []
topology:
  kind: topology
  name: raft5
  preset: etcd-raft
  regions: { r1: { zones: [a] }, r2: { zones: [a] }, r3: { zones: [a] }, r4: { zones: [a] }, r5: { zones: [a] } }
  network: { same-zone: { constant: 0.5 }, cross-region: { constant: 20 } }
  storage: { fsync: { constant: 0.5 } }
  nodes: { v1: { zone: r1/a, role: leader }, v2: { zone: r2/a }, v3: { zone: r3/a }, v4: { zone: r4/a }, v5: { zone: r5/a } }
  replication: { mode: consensus, election_timeout: 5s, heartbeat: ${heartbeat} }
  data_classes: { acc: { rpo: 0, rto: 30s, consistency: strong } }
`),
    );
    assert.equal(result.totals.writesRejected, 0, `heartbeat ${heartbeat}: nothing fails without a fault`);
    latencies.push(result.classes[0].latency.writeP50Ms ?? NaN);
  }
  // Client in r2 to the leader in r1 and back (40 ms), the leader to two voters and back (40 ms), fsyncs: ≈ 81 ms.
  for (const ms of latencies) assert.ok(ms > 80 && ms < 83, `write p50 ${ms} ms`);
  assert.equal(latencies[0], latencies[1]);
});

test("a MongoDB replica set's election timers run [T, 1.15 T] (a random offset of at most 15% of electionTimeoutMillis), not etcd's [T, 2T)", () => {
  const crashMs = 30_000;
  const detected: number[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const text = threeMemberGroup({ name: "mongo-timers", seed, duration: "1m", writes: 20, faults: `\n  - { at: ${crashMs}ms, crash: n0 }`, replication: "{ mode: consensus }", preset: "mongodb" });
    const result = simulate(scenarioText(text));
    const detect = factsOf(result.timeline, "detect");
    assert.equal(detect.length, 1, `seed ${seed}: one detection`);
    // The last heartbeat came at most 2 s before the crash; the first voter's timer runs out 10 to 11.5 s after it.
    assert.ok(detect[0].atMs >= crashMs + 8_000 && detect[0].atMs <= crashMs + 11_500, `seed ${seed}: detected at ${detect[0].atMs} ms`);
    assert.ok(detect[0].via === "heartbeat" && detect[0].randomizedMs === 1500, `seed ${seed}: the text states the range [10 s, 11.5 s]`);
    detected.push(detect[0].atMs - crashMs);
  }
  assert.ok(Math.max(...detected) - Math.min(...detected) > 300, `spread over the randomized timers (got ${detected.join(", ")})`);
});
