// Metamorphic tests: change the input in a way whose effect on the output is
// known, and check the engine follows — twice the writes, twice the async
// loss; every fault Δ later, the failover Δ later; the same link latency, the
// same commit latency at any rate; and the quorum calculator's verdict on
// N/R/W/down/sloppy is what the engine does with the same cluster.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SimulationResult } from "../../src/engine/result.js";
import { simulate, simulateWithHistory } from "../../src/engine/simulate.js";
import { ACKED } from "../../src/engine/write-log.js";
import { analyzeQuorum } from "../../src/quorum/analysis.js";
import { between, Rng } from "../../src/swarm/random.js";
import { scenarioOf } from "./helpers.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function asyncLoss(writes: number, seed: number): number {
  return simulate(
    scenarioOf(`kind: scenario
name: async-loss
seed: ${seed}
duration: 40s
workload: { writes: ${writes}, clients: 40 }
faults:
  - { at: 20s, stall: db-a, for: 5s }
  - { at: 22s, crash: db-a }
topology:
  kind: topology
  name: async
  regions: { east: { zones: [a, b, c] } }
  nodes:
    db-a: { zone: east/a, role: leader }
    db-b: { zone: east/b }
    db-c: { zone: east/c }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 6s, loop_wait: 1s, retry_timeout: 2s }
    coordinator: [east/a, east/b, east/c]
    fencing: lease
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 0, rto: 30s }
`),
  ).totals.writesLost;
}

test("twice the write rate loses about twice the asynchronous writes (a stall, then a crash)", () => {
  const at100 = SEEDS.map((s) => asyncLoss(100, s));
  const at200 = SEEDS.map((s) => asyncLoss(200, s));
  assert.ok(mean(at100) > 50, `the stall loses writes: ${at100}`);
  const ratio = mean(at200) / mean(at100);
  assert.ok(ratio > 1.7 && ratio < 2.3, `loss ${mean(at100)} at 100/s, ${mean(at200)} at 200/s: ratio ${ratio.toFixed(2)}`);
});

function crashTimeline(crashAtMs: number, seed: number): SimulationResult {
  return simulate(
    scenarioOf(`kind: scenario
name: shifted
seed: ${seed}
duration: 80s
workload: { writes: 50, clients: 20 }
faults:
  - { at: ${crashAtMs}ms, crash: n0 }
topology:
  kind: topology
  name: shift
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication: { mode: leader-follower, synchronous: { standbys: "ANY 1 (n1, n2)", strict: true } }
  failover:
    detection: { ttl: 6s, loop_wait: 2s, retry_timeout: 2s }
    coordinator: [east/a, east/b, east/c]
    fencing: stonith
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    ledger: { rpo: 0, rto: 30s }
`),
  );
}

function sinceCrash(result: SimulationResult, event: string): number {
  const crash = result.timeline.find((e) => e.event === "crash");
  const at = result.timeline.find((e) => e.event === event);
  assert.ok(crash && at, `${event} after the crash`);
  return at.atMs - crash.atMs;
}

describe("every fault Δ later: the failover Δ later", () => {
  test("Δ a whole number of HA loops: the same seed gives the same failover, up to etcd's 500 ms revoke tick", () => {
    // The lease is renewed every loop_wait from a seeded phase, so shifting by k × loop_wait keeps the crash's phase.
    for (const seed of SEEDS) {
      const base = crashTimeline(20_000, seed);
      const shifted = crashTimeline(30_000, seed);
      for (const event of ["detect", "promote"]) {
        const delta = sinceCrash(shifted, event) - sinceCrash(base, event);
        assert.ok(Math.abs(delta) <= 500, `seed ${seed}: ${event} moved by ${delta} ms relative to the crash`);
      }
      assert.equal(shifted.totals.failovers, base.totals.failovers);
      assert.equal(shifted.totals.writesLost, base.totals.writesLost);
    }
  });

  test("any Δ: the same distribution of failover times", () => {
    const seeds = Array.from({ length: 24 }, (_, i) => i + 1);
    const base = seeds.map((s) => sinceCrash(crashTimeline(20_000, s), "promote"));
    const shifted = seeds.map((s) => sinceCrash(crashTimeline(27_300, s), "promote"));
    // Detection takes ttl − (time since the last renewal): uniform over a 2 s loop_wait, plus up to 0.5 s of revoke tick.
    assert.ok(Math.abs(median(shifted) - median(base)) < 700, `medians ${median(base)} and ${median(shifted)}`);
    assert.ok(Math.abs(Math.min(...shifted) - Math.min(...base)) < 700 && Math.abs(Math.max(...shifted) - Math.max(...base)) < 700, `ranges ${Math.min(...base)}–${Math.max(...base)} and ${Math.min(...shifted)}–${Math.max(...shifted)}`);
  });
});

function commitP50(writes: number): number {
  const result = simulate(
    scenarioOf(`kind: scenario
name: latency
seed: 3
duration: 10s
workload: { writes: ${writes}, clients: 200, zones: [east/a] }
topology:
  kind: topology
  name: far-standby
  regions: { east: { zones: [a] }, west: { zones: [a] } }
  network:
    same-zone: { constant: 0.2 }
    cross-region: { constant: 20 }
  storage: { fsync: { constant: 0.5 } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: west/a }
  replication: { mode: leader-follower, synchronous: { standbys: "FIRST 1 (n1)", strict: true }, apply_rate: 100000 }
  data_classes:
    ledger: { rpo: 0, rto: 30s }
`),
  );
  return result.classes[0].latency.writeP50Ms ?? NaN;
}

test("the same one-way latency gives the same commit latency at 20 and at 2,000 writes/s", () => {
  // A commit waits for the client's hop, the leader's fsync, the 20 ms trip to the standby, its fsync and the 20 ms ack:
  // about 41 ms whatever the rate, as long as nothing queues.
  const slow = commitP50(20);
  const fast = commitP50(2000);
  assert.ok(slow > 40 && slow < 45, `p50 at 20 writes/s: ${slow} ms`);
  assert.ok(Math.abs(fast - slow) / slow < 0.05, `p50 ${slow} ms at 20 writes/s, ${fast} ms at 2,000 writes/s`);
});

// ---------------------------------------------------------------------------
// The quorum calculator against the engine, on random clusters

interface QuorumCase {
  n: number;
  r: number;
  w: number;
  cluster: number;
  down: number;
  sloppy: boolean;
}

const FAULT_FROM_MS = 5_000;
const FAULT_TO_MS = 25_000;

/** Strict quorums only on N-node clusters (K crashed nodes are then K of every key's replicas); sloppy on any size. */
function randomCase(rng: Rng): QuorumCase {
  const n = between(rng, 2, 5);
  const sloppy = rng.next() < 0.5;
  const cluster = sloppy ? n + between(rng, 0, 3) : n;
  return { n, r: between(rng, 1, n), w: between(rng, 1, n), cluster, down: between(rng, 0, Math.min(cluster - 1, n)), sloppy };
}

function quorumRun(c: QuorumCase, seed: number) {
  const nodes = Array.from({ length: c.cluster }, (_, i) => `    n${i}: { zone: east/${"abc"[i % 3]} }`).join("\n");
  // Every other node first, so the crashed nodes are spread round the ring.
  const order = [...Array.from({ length: c.cluster }, (_, i) => i).filter((i) => i % 2 === 0), ...Array.from({ length: c.cluster }, (_, i) => i).filter((i) => i % 2 === 1)];
  const faults = order.slice(0, c.down).map((i) => `  - { at: ${FAULT_FROM_MS}ms, crash: n${i}, for: ${FAULT_TO_MS - FAULT_FROM_MS}ms }`);
  return simulateWithHistory(
    scenarioOf(`kind: scenario
name: quorum-agreement
seed: ${seed}
duration: 30s
workload: { writes: 200, reads: 200, clients: 40, keys: 400 }
${faults.length > 0 ? `faults:\n${faults.join("\n")}` : ""}
topology:
  kind: topology
  name: ring
  regions: { east: { zones: [a, b, c] } }
  nodes:
${nodes}
  replication: { mode: leaderless, n: ${c.n}, w: ${c.w}, r: ${c.r}, sloppy_quorum: ${c.sloppy}, conflict: lww }
  data_classes:
    kv: { rpo: 0, rto: 1m }
`),
  );
}

test("the quorum calculator's verdict is what the engine does, on 24 random clusters", () => {
  const rng = new Rng(20261130);
  for (let i = 0; i < 24; i++) {
    const c = randomCase(rng);
    const flags = `--n ${c.n} --r ${c.r} --w ${c.w} --down ${c.down}${c.sloppy ? ` --sloppy --cluster ${c.cluster}` : ""}`;
    const predicted = analyzeQuorum({ n: c.n, r: c.r, w: c.w, down: c.down, sloppy: c.sloppy, cluster: c.sloppy ? c.cluster : null }).current;
    const { result, history } = quorumRun(c, i + 1);
    // Writes sent well inside the fault (clients have left dead coordinators after their first timeout).
    const w = history.writes;
    let sent = 0;
    let acked = 0;
    for (let id = 0; id < w.count; id++) {
      if (w.sendMs[id] < FAULT_FROM_MS + 3_000 || w.sendMs[id] > FAULT_TO_MS - 1_000) continue;
      sent++;
      if (w.status[id] === ACKED) acked++;
    }
    const share = acked / sent;
    assert.ok(predicted.writes.available ? share > 0.95 : share < 0.05, `quorum ${flags}: calculator says writes ${predicted.writes.available ? "available" : "blocked"}, engine acknowledged ${(share * 100).toFixed(1)}% during the fault`);
    const readsDuring = (200 * (FAULT_TO_MS - FAULT_FROM_MS)) / 1000;
    const refused = result.totals.readsRejected;
    assert.ok(predicted.reads.available ? refused < 0.1 * readsDuring : refused > 0.8 * readsDuring, `quorum ${flags}: calculator says reads ${predicted.reads.available ? "available" : "blocked"}, engine refused ${refused} of ~${readsDuring}`);
    if (predicted.strongReads) assert.equal(result.totals.staleReads, 0, `quorum ${flags}: strong reads, yet stale ones`);
  }
});
