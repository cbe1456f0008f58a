// What a stale read is in a multi-leader design, checked read by read against an oracle that knows nothing but the
// raw facts of the run (when each write was made, flushed, acknowledged, and when it reached each leader): a read
// is stale when it misses an acknowledged write that the leader serving it has not received yet. Under
// last-write-wins that is a write newer than the timestamp the leader returns (an older one loses to it on
// arrival); under crdt and app, any such write that is not in the history of a version the leader has (the
// merge, or the siblings, would include it). A write lost for good with its leader is lost, not missed. The rule
// once consulted a flag set when a write lost any LWW comparison, even one decided later than the read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { MultiLeader } from "../../src/engine/multi-leader.js";
import { ACKED } from "../../src/engine/write-log.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { scenarioFrom, scenarioText } from "./helpers.js";
import { writesByKey } from "./multi-leader-helpers.js";

interface Internals {
  core: {
    log: { count: number; appendMs: Float64Array; flushMs: Float64Array; doneMs: Float64Array; key: Int32Array; status: Uint8Array };
    lostForGood: Uint8Array;
    lostAtMs: Float64Array;
  };
  leaders: number[];
  origin: Int8Array;
  arrival: Float64Array;
  conflict: "lww" | "crdt" | "app";
}

interface Read {
  leader: number;
  key: number;
  now: number;
  t: number;
  stale: boolean;
}

type Policy = "lww" | "crdt" | "app";

/** Runs the scenario recording every read the shape judged (which leader, key, when sent and served, its verdict). */
function runRecordingReads(scenario: ResolvedScenario) {
  const proto = MultiLeader.prototype as unknown as { staleRead(this: Internals, L: number, key: number, now: number, t: number): boolean };
  const original = proto.staleRead;
  const reads: Read[] = [];
  let shape: Internals | null = null;
  proto.staleRead = function (this: Internals, leader: number, key: number, now: number, t: number) {
    shape = this;
    const stale = original.call(this, leader, key, now, t);
    reads.push({ leader, key, now, t, stale });
    return stale;
  };
  try {
    const result = simulate(scenario);
    assert.ok(shape, "the run served reads");
    return { result, reads, shape: shape as Internals };
  } finally {
    proto.staleRead = original;
  }
}

/** The oracle: from the raw facts alone, whether each read missed an acknowledged write it should have seen. */
function oracleStale(shape: Internals, reads: Read[]): boolean[] {
  const log = shape.core.log;
  const n = shape.leaders.length;
  const byKey = writesByKey(log);
  const newer = (a: number, b: number) => b < 0 || log.appendMs[a] > log.appendMs[b] || (log.appendMs[a] === log.appendMs[b] && a > b);
  /** When y was on leader L: flushed on its own leader, arrived on the others. */
  const onLeader = (y: number, L: number) => (shape.origin[y] === L ? log.flushMs[y] : shape.arrival[y * n + L]);
  /** When a write made on L would have y in its history: its own leader's earlier writes, the others' once arrived. */
  const beforeWriteOn = (y: number, L: number) => (shape.origin[y] === L ? log.appendMs[y] : shape.arrival[y * n + L]);
  const lostAt = (L: number) => (shape.core.lostForGood[shape.leaders[L]] === 1 ? shape.core.lostAtMs[shape.leaders[L]] : Infinity);
  // Per key, each version's history (transitively, through the versions of the key its leader had).
  const histories = new Map<number, Map<number, Set<number>>>();
  const historyOf = (key: number): Map<number, Set<number>> => {
    let h = histories.get(key);
    if (h !== undefined) return h;
    h = new Map();
    const writes = [...byKey.get(key)!].sort((a, b) => log.appendMs[a] - log.appendMs[b] || a - b);
    for (const x of writes) {
      const past = new Set<number>();
      for (const y of writes) {
        if (y === x || !(beforeWriteOn(y, shape.origin[x]) <= log.appendMs[x])) continue;
        if (shape.origin[y] === shape.origin[x] && !(log.appendMs[y] < log.appendMs[x] || (log.appendMs[y] === log.appendMs[x] && y < x))) continue;
        past.add(y);
        for (const z of h.get(y) ?? []) past.add(z);
      }
      h.set(x, past);
    }
    histories.set(key, h);
    return h;
  };
  return reads.map((r) => {
    const writes = byKey.get(r.key) ?? [];
    const received = writes.filter((y) => onLeader(y, r.leader) <= r.t);
    const gone = (w: number) => {
      if (!(lostAt(shape.origin[w]) <= r.now)) return false;
      for (let L = 0; L < n; L++) if (L !== shape.origin[w] && lostAt(L) > r.now && shape.arrival[w * n + L] < Infinity) return false;
      return true;
    };
    const missed = writes.filter((w) => log.status[w] === ACKED && log.doneMs[w] <= r.now && !(onLeader(w, r.leader) <= r.t) && !gone(w));
    if (missed.length === 0) return false;
    if (shape.conflict === "lww") {
      let returned = -1;
      for (const y of received) if (newer(y, returned)) returned = y;
      return missed.some((w) => newer(w, returned) && w !== returned);
    }
    const history = historyOf(r.key);
    return missed.some((w) => !received.some((y) => history.get(y)!.has(w)));
  });
}

function withPolicy(scenario: ResolvedScenario, conflict: Policy): ResolvedScenario {
  const replication = scenario.topology.replication;
  if (replication.mode !== "multi-leader") throw new Error("not multi-leader");
  return { ...scenario, expectations: [], topology: { ...scenario.topology, replication: { ...replication, conflict } } };
}

function checkAgainstOracle(scenario: ResolvedScenario, label: string): { stale: number; reads: number } {
  const { result, reads, shape } = runRecordingReads(scenario);
  const expected = oracleStale(shape, reads);
  const wrong = reads.map((r, i) => ({ ...r, oracle: expected[i] })).filter((r) => r.stale !== r.oracle);
  assert.equal(wrong.length, 0, `${label}: ${wrong.length} of ${reads.length} reads judged unlike the oracle, e.g. ${JSON.stringify(wrong.slice(0, 3))}`);
  assert.equal(result.totals.staleReads, expected.filter(Boolean).length, `${label}: the total is the reads judged stale`);
  return { stale: result.totals.staleReads, reads: reads.length };
}

const small = (s: ResolvedScenario): ResolvedScenario => ({ ...s, durationMs: 50_000, workload: { ...s.workload, keys: 300, writes: 200, reads: 400 } });

test("multi-leader stale reads match an oracle from the raw arrival times, read by read, under lww, crdt and app (a partition)", () => {
  const base = small(scenarioFrom("scenarios/multi-leader-partition-lww.yaml"));
  const partitioned = { ...base, faults: base.faults.map((f) => ({ ...f, atMs: 15_000, ...(f.kind === "partition" ? { forMs: 20_000 } : {}) })) } as ResolvedScenario;
  const counts: Record<string, number> = {};
  for (const policy of ["lww", "crdt", "app"] as const) counts[policy] = checkAgainstOracle(withPolicy(partitioned, policy), policy).stale;
  // A merge misses every write it lacks; last-write-wins only those newer than what it returns.
  assert.ok(counts.crdt > counts.lww, `crdt ${counts.crdt} stale, lww ${counts.lww}`);
  assert.equal(counts.app, counts.crdt, "siblings, like a merge, lack every concurrent write not received");
});

test("multi-leader stale reads match the oracle with three leaders, where a write can reach a leader inside another's history first", () => {
  const scenario = scenarioText(`kind: scenario
name: three-leaders
seed: 5
duration: 40s
workload: { writes: 200, reads: 600, clients: 60, keys: 200, zones: [us-east/a, eu-west/a, ap-south/a] }
faults:
  - { at: 10s, partition: [[us-east], [ap-south]], for: 15s }
topology:
  kind: topology
  name: three
  regions:
    us-east: { zones: [a] }
    eu-west: { zones: [a] }
    ap-south: { zones: [a] }
  network:
    cross-region: { median: 40, p99: 90 }
  nodes:
    m-us: { zone: us-east/a }
    m-eu: { zone: eu-west/a }
    m-ap: { zone: ap-south/a }
  replication: { mode: multi-leader, leaders: [us-east, eu-west, ap-south], conflict: crdt, routing: any }
  data_classes:
    profiles: { rpo: 1m, rto: 1m }
`);
  for (const policy of ["lww", "crdt", "app"] as const) checkAgainstOracle(withPolicy(scenario, policy), `three leaders, ${policy}`);
});

test("multi-leader stale reads: a write lost for good with its region is lost, not missed; the oracle agrees after the loss too", () => {
  const base = small(scenarioFrom("scenarios/cross-region/multi-leader-lww-region-loss.yaml"));
  for (const policy of ["lww", "crdt"] as const) checkAgainstOracle(withPolicy(base, policy), `region loss, ${policy}`);
});

test("multi-leader stale reads match the oracle across a leader's crash and return (what it had not shipped is missed until it ships)", () => {
  const base = small(scenarioFrom("scenarios/multi-leader-partition-lww.yaml"));
  const crashed = { ...base, faults: [{ atMs: 15_000, kind: "crash", node: "m-us", nodeIndex: 0, forMs: 10_000 }] } as ResolvedScenario;
  for (const policy of ["lww", "crdt", "app"] as const) checkAgainstOracle(withPolicy(crashed, policy), `crash, ${policy}`);
});
