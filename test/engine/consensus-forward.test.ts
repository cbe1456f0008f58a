// A consensus (etcd-like) member that does not lead forwards its clients' requests to the leader it knows:
// a write goes on to the leader and its acknowledgement comes back the same way (one follower↔leader round
// trip more); a linearizable read asks the leader for a ReadIndex and answers once the follower has replayed
// that far. A member cut off from the leader cannot forward, and a PostgreSQL replica still refuses writes.
// Expectations come from the configured link latencies (independent draws, as in latency-model.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../../src/engine/core.js";
import { LeaderFollower } from "../../src/engine/leader-follower/shape.js";
import { measure } from "../../src/engine/measure.js";
import { simulate } from "../../src/engine/simulate.js";
import type { SimulationResult } from "../../src/engine/result.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { fastSampler } from "../../src/base/distributions.js";
import { Rng } from "../../src/base/rng.js";
import { scenarioFrom, scenarioText } from "./helpers.js";

const CROSS_ZONE_MEDIAN_MS = 0.5;

/** Three members in three zones of one region (m1 leads, in r/a); every client in `clientZone`. */
function raftGroup(options: { clientZone: string; faults?: string; m2ApplyRate?: number; mode?: "consensus" | "leader-follower"; duration?: string }): ResolvedScenario {
  const replication =
    (options.mode ?? "consensus") === "consensus"
      ? "{ mode: consensus, election_timeout: 1s, heartbeat: 100ms }"
      : `{ mode: leader-follower, synchronous: { standbys: "ANY 1 (m2, m3)", commit: on, strict: true } }`;
  return scenarioText(`kind: scenario
name: raft-forwarding
seed: 3
duration: ${options.duration ?? "60s"}
workload: { writes: 200, reads: 400, clients: 40, zones: [${options.clientZone}] }
faults: ${options.faults ?? "[]"}
topology:
  kind: topology
  name: raft-three-zones
  preset: ${(options.mode ?? "consensus") === "consensus" ? "etcd-raft" : "patroni"}
  regions: { r: { zones: [a, b, c] } }
  network:
    same-zone:  { median: 0.1, p99: 0.5 }
    cross-zone: { median: ${CROSS_ZONE_MEDIAN_MS}, p99: 2 }
  storage: { fsync: { constant: 0 } }
  nodes:
    m1: { zone: r/a, role: leader }
    m2: { zone: r/b${options.m2ApplyRate !== undefined ? `, apply_rate: ${options.m2ApplyRate}` : ""} }
    m3: { zone: r/c }
  replication: ${replication}
  failover:
    endpoint: { kind: proxy, check_interval: 500ms }
  data_classes:
    kv: { rpo: 0, rto: 30s, consistency: strong }
`);
}

/** Runs `scenario` with every client's connection on node `member` at the start (etcd's clientv3 given that member's address). */
function runConnectedTo(scenario: ResolvedScenario, member: string): SimulationResult {
  const core = new Core(scenario, scenario.seed);
  core.shape = new LeaderFollower(core);
  core.conn.fill(scenario.topology.nodes.findIndex((n) => n.name === member));
  core.run(scenario.faults);
  return measure(core, scenario, scenario.seed);
}

/** The median of a sum of independent link draws, by Monte Carlo with a fixed seed. */
function medianOf(draw: (rng: Rng) => number, n = 200_000): number {
  const rng = new Rng(20_261_201);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw(rng);
  xs.sort();
  return xs[n >> 1];
}

/**
 * The median of a request to leader m1 and back, from clients beside it (in r/a) or beside follower m2 (in r/b,
 * connected to m2): client → [m2 →] m1, one round trip from m1 to a majority (the faster of its two followers:
 * a commit, or a ReadIndex round of heartbeats; fsync is 0), m1 → [m2 →] client. The same links serve a write
 * and a linearizable read.
 */
function requestMedian(scenario: ResolvedScenario, throughFollower: boolean): number {
  const net = scenario.topology.network;
  const local = fastSampler(net.sameZone);
  const zone = fastSampler(net.crossZone);
  const rtt = (rng: Rng) => zone.sample(rng) + zone.sample(rng);
  const hop = (rng: Rng) => (throughFollower ? zone.sample(rng) : 0);
  return medianOf((rng) => local.sample(rng) + hop(rng) + Math.min(rtt(rng), rtt(rng)) + hop(rng) + local.sample(rng));
}

/** Every client beside follower m2 and connected to it, no fault: run once, read by the write and the read test. */
let steady: { scenario: ResolvedScenario; result: SimulationResult } | undefined;
function steadyThroughFollower(): { scenario: ResolvedScenario; result: SimulationResult; expectedMs: number } {
  if (steady === undefined) {
    const scenario = raftGroup({ clientZone: "r/b" });
    steady = { scenario, result: runConnectedTo(scenario, "m2") };
  }
  return { ...steady, expectedMs: requestMedian(steady.scenario, true) };
}

const within = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * expected, `${what}: ${actual.toFixed(3)} against ${expected.toFixed(3)} (±${tolerance * 100}%)`);

test("a write sent to a Raft follower is forwarded: one follower→leader round trip more than at the leader, not refused", () => {
  // Before forwarding, every one of these writes was refused as if m2 were a PostgreSQL replica.
  const { result: viaFollower, expectedMs } = steadyThroughFollower();
  const kv = viaFollower.classes[0];
  assert.equal(viaFollower.totals.writesRejected, 0);
  assert.ok(viaFollower.totals.writesAcked > 11_000, `${viaFollower.totals.writesAcked} acknowledged`);
  assert.equal(viaFollower.totals.forwarded?.writes, viaFollower.totals.writesAcked);
  within(kv.latency.writeP50Ms!, expectedMs, 0.06, "forwarded write p50");

  // The same clients in the leader's own zone: the hop through the follower is one more cross-zone round trip,
  // about 2 × 0.5 ms (a little more at the median: the sum of two skewed draws has a higher median than 2 × theirs).
  const leaderScenario = raftGroup({ clientZone: "r/a" });
  const atLeader = simulate(leaderScenario);
  assert.equal(atLeader.totals.forwarded?.writes, 0);
  const extra = kv.latency.writeP50Ms! - atLeader.classes[0].latency.writeP50Ms!;
  const expectedExtra = expectedMs - requestMedian(leaderScenario, false);
  assert.ok(Math.abs(extra - 2 * CROSS_ZONE_MEDIAN_MS) <= 0.25, `the hop through the follower adds ${extra.toFixed(3)} ms`);
  assert.ok(Math.abs(extra - expectedExtra) <= 0.1, `the hop adds ${extra.toFixed(3)} ms against ${expectedExtra.toFixed(3)} ms`);
});

test("a linearizable read on a Raft follower goes through the leader's ReadIndex: a trip to the leader and its heartbeat round", () => {
  const { result, expectedMs } = steadyThroughFollower();
  const kv = result.classes[0];
  assert.equal(result.totals.readsRejected, 0);
  assert.equal(result.totals.forwarded?.reads, result.totals.readsServed);
  within(kv.latency.readP50Ms!, expectedMs, 0.06, "forwarded read p50");
  // The follower answers only once it has replayed the read index: never an older value.
  assert.equal(result.totals.staleReads, 0);
});

test("a forwarded read waits for the follower's replay: behind a slow follower the wait grows until reads fail, never stale", () => {
  // m2 replays 100 writes/s of 200: a read sent at t must wait for the leader's log as of t (about 200·t
  // writes), which m2 has replayed at about 2t, so the wait grows about a second per second. It passes the
  // client's 1 s timeout at t ≈ 1 s; the client learns of its first failed read a timeout later and reconnects
  // through the endpoint (to the leader). So m2 forwards the reads of about the first two seconds. Without the
  // wait it would forward every read of the run in a few milliseconds, some of them older than an acknowledged write.
  const scenario = raftGroup({ clientZone: "r/b", m2ApplyRate: 100 });
  const result = runConnectedTo(scenario, "m2");
  const kv = result.classes[0];
  const timeout = scenario.workload.timeoutMs;
  const expected = (scenario.workload.reads * 2 * timeout) / 1000;
  assert.ok(kv.latency.readP99Ms! > 100 && kv.latency.readP99Ms! <= timeout, `read p99 ${kv.latency.readP99Ms} ms`);
  within(result.totals.forwarded!.reads, expected, 0.25, "reads forwarded before the clients left m2");
  assert.ok(result.totals.readsRejected >= 1, `${result.totals.readsRejected} reads failed`);
  assert.equal(result.totals.staleReads, 0);
});

test("a follower cut off from the leader forwards nothing: its clients' writes fail for the partition, and the outage is measured", () => {
  // m2 and its clients in r/b are cut off from m1 and m3 for 10 s; the clients still reach m2.
  const scenario = raftGroup({ clientZone: "r/b", faults: "[{ at: 20s, partition: [[r/b], [r/a, r/c]], for: 10s }]" });
  const result = runConnectedTo(scenario, "m2");
  const kv = result.classes[0];
  // Nothing reaches the leader from r/b while the partition lasts: no write acknowledged, no read answered.
  const inside = (b: { atMs: number }) => b.atMs >= 21_000 && b.atMs < 30_000;
  assert.deepEqual(result.writesOverTime!.buckets.filter(inside).map((b) => b.acked), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(result.readsOverTime!.buckets.filter(inside).map((b) => b.served), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.ok(kv.rto.writeMs !== null && kv.rto.writeMs >= 10_000, `write outage ${kv.rto.writeMs} ms against a 10 s partition`);
  assert.ok(kv.rto.readMs !== null && kv.rto.readMs >= 10_000, `read outage ${kv.rto.readMs} ms against a 10 s partition`);
  assert.equal(result.totals.writesLost, 0);
  assert.equal(result.totals.staleReads, 0);
});

test("clients a stale DNS cache keeps on a leader that stepped down are served through it once it follows the new leader", () => {
  // The bundled scenario: etcd-1's zone is cut off for 15 s, it steps down, another member is elected and DNS
  // points at it, but a fifth of the clients cache the old answer for a minute. Once the partition heals,
  // etcd-1 follows the new leader and forwards their requests; before forwarding they were refused until
  // their cache expired (the p99 client waited ~62 s). Nobody can serve us-east/a's clients before the heal,
  // so 15 s is the floor; etcd-1 then restarts its stream (1 s) and the clients' backoff (at most 5 s) brings
  // them back.
  const result = simulate(scenarioFrom("scenarios/consensus-stale-dns.yaml"));
  const kv = result.classes[0];
  const p99 = kv.rto.p99ClientMs!;
  assert.ok(p99 >= 15_000 && p99 <= 15_000 + 1_000 + 5_000 + 1_000, `p99 client ${p99} ms`);
  assert.ok(result.totals.forwarded!.writes > 0 && result.totals.forwarded!.reads > 0, JSON.stringify(result.totals.forwarded));
  assert.equal(result.totals.writesLost, 0);
  assert.equal(result.totals.staleReads, 0);
});

test("a PostgreSQL replica still refuses writes (read-only transaction) and forwards nothing", () => {
  const scenario = raftGroup({ clientZone: "r/b", mode: "leader-follower", duration: "20s" });
  const result = runConnectedTo(scenario, "m2");
  assert.equal(result.totals.forwarded, undefined);
  // Every client writes in 20 s at 200 writes/s; each one's first write is refused before it reconnects to the leader.
  assert.ok(result.totals.writesRejected >= scenario.workload.clients, `${result.totals.writesRejected} refused`);
  assert.ok(result.totals.writesAcked > 0);
});
