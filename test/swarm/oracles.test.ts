// Every oracle on hand-made histories: it holds on a sound one, and fails on
// one that breaks it (an oracle that cannot fail is a defect). The result is
// the one an honest engine would report; each test breaks one thing.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACKED, PENDING, REJECTED } from "../../src/engine/write-log.js";
import { judge, oracleById, ORACLES, type OracleContext } from "../../src/swarm/oracles.js";
import { contextOf, quorumScenario, steady, syncScenario, type HistorySpec } from "./helpers.js";

function findings(id: string, context: OracleContext): string[] | null {
  return oracleById(id).check(context);
}

function assertFails(id: string, context: OracleContext, pattern: RegExp): void {
  const found = findings(id, context);
  assert.ok(found !== null, `${id} should apply`);
  assert.ok(found.length > 0, `${id} should fail`);
  assert.match(found.join("\n"), pattern);
}

function assertHolds(id: string, context: OracleContext): void {
  const found = findings(id, context);
  assert.ok(found !== null, `${id} should apply`);
  assert.deepEqual(found, []);
}

/** A sound failover: writes before the crash at 10 s, an outage, epoch 1 (timeline 2) from 11 s on n1, then steady acks. */
function failover(): HistorySpec {
  return {
    writes: [...steady(0, 10_000, 500, ACKED, { epoch: 0 }), ...steady(10_100, 11_000, 300, REJECTED), ...steady(11_000, 110_000, 500, ACKED, { epoch: 1, node: 1 })],
    epochs: { parent: [-1, 0], forkLsn: [Infinity, 100 * 1024], leader: [0, 1], startMs: [0, 11_000] },
    finalEpoch: 1,
    writers: [
      { node: 0, epoch: 0, fromMs: 0, toMs: 10_000, acksWithoutStandbys: false },
      { node: 1, epoch: 1, fromMs: 11_000, toMs: 120_000, acksWithoutStandbys: false },
    ],
    final: [
      { name: "n0", alive: true, role: "replica", following: 1, streaming: true, lostForGood: false, holds: { epoch: 1, lsn: Infinity } },
      { name: "n1", alive: true, role: "leader", following: -1, streaming: false, lostForGood: false, holds: { epoch: 1, lsn: Infinity } },
    ],
    syncSatisfied: true,
  };
}

describe("every oracle holds on a sound failover", () => {
  test("no findings", () => {
    const context = contextOf(syncScenario(), failover());
    const { applied, failed } = judge(context);
    assert.deepEqual(failed, []);
    for (const id of ["no-lost-ack", "single-writer", "replicas-stream", "sync-restored", "writes-resume", "rto", "unavailable", "failovers"]) assert.ok(applied.includes(id), `${id} applies`);
  });
});

describe("safety", () => {
  test("no-lost-ack: an acknowledged write past the fork of the final timeline", () => {
    const spec = failover();
    spec.writes!.push({ sendMs: 9_990, status: ACKED, epoch: 0, lsn: 200 * 1024 });
    assertFails("no-lost-ack", contextOf(syncScenario(), spec), /ledger: 1 acknowledged writes lost although strict FIRST 1/);
  });

  test("no-lost-ack does not apply where the design does not promise it (a zone lost for good)", () => {
    const context = contextOf(syncScenario("  - { at: 10s, lose: east/a }"), failover());
    assert.equal(findings("no-lost-ack", context), null);
  });

  test("no-stale-read: a strict quorum with R + W > N returned a stale read", () => {
    const scenario = quorumScenario();
    const spec: HistorySpec = { nodeNames: ["n0", "n1", "n2"], writes: steady(0, 60_000, 1000, ACKED), finalEpoch: -1, final: [] };
    assertHolds("no-stale-read", contextOf(scenario, spec));
    assertFails("no-stale-read", contextOf(scenario, spec, (r) => (r.classes[0].staleReads = 3)), /kv: 3 stale reads although strict quorum R 2 \+ W 2 > N 3/);
  });

  test("single-writer: two nodes writable at once under STONITH", () => {
    const spec = failover();
    spec.writers![0].toMs = 12_000;
    assertFails("single-writer", contextOf(syncScenario(), spec), /n0 \(timeline 1\) and n1 \(timeline 2\) both writable from 11000ms to 12000ms under stonith fencing/);
  });

  test("monotonic: a commit regression, and a timeline that starts before its predecessor", () => {
    assertFails("monotonic", contextOf(syncScenario(), { ...failover(), commitRegressions: [{ node: "n1", epoch: 3, olderEpoch: 2 }] }), /n1 on timeline 4 would follow the older timeline 3/);
    const spec = failover();
    spec.epochs!.startMs[1] = -5;
    assertFails("monotonic", contextOf(syncScenario(), spec), /timeline 2 starts at -5ms, before timeline 1/);
  });

  test("no-past-schedule: an event queued in the past", () => {
    assertFails("no-past-schedule", contextOf(syncScenario(), { ...failover(), pastSchedules: [{ kind: 3, atMs: 10, nowMs: 20 }] }), /event kind 3 scheduled for 10ms at 20ms/);
  });

  test("every-write-decided: a write still pending at the end", () => {
    const spec = failover();
    spec.writes!.push({ sendMs: 119_000, status: PENDING });
    assertFails("every-write-decided", contextOf(syncScenario(), spec), /1 writes pending at the end/);
  });

  test("engine-checkers: the engine's own checker fired", () => {
    assertFails("engine-checkers", contextOf(syncScenario(), failover(), (r) => r.violations.push({ check: "durability" as const, node: "pg-b", flushedLsn: 4096, forkLsn: 2048, epoch: 2 })), /durability: pg-b/);
  });
});

describe("liveness (every fault healed long before the end)", () => {
  test("replicas-stream: a live replica that does not stream, or no leader", () => {
    const spec = failover();
    spec.final![0].streaming = false;
    assertFails("replicas-stream", contextOf(syncScenario(), spec), /n0 \(replica\) does not stream from n1/);
    const leaderless = failover();
    leaderless.final![1].role = "replica";
    assertFails("replicas-stream", contextOf(syncScenario(), leaderless), /0 live leaders at the end/);
  });

  test("sync-restored: strict sync without its standbys at the end", () => {
    assertFails("sync-restored", contextOf(syncScenario(), { ...failover(), syncSatisfied: false }), /without the synchronous standbys/);
  });

  test("writes-resume: writes still refused long after the last heal", () => {
    const spec = failover();
    spec.writes = [...steady(0, 10_000, 500, ACKED), ...steady(10_100, 120_000, 500, REJECTED)];
    assertFails("writes-resume", contextOf(syncScenario(), spec), /only 0 of \d+ writes sent between/);
  });

  test("liveness does not apply when a fault never heals, the run ends too soon after it, or STONITH took a node for good", () => {
    assert.equal(findings("writes-resume", contextOf(syncScenario("  - { at: 10s, crash: n0 }"), failover())), null);
    assert.equal(findings("replicas-stream", contextOf(syncScenario("  - { at: 10s, crash: n0, for: 5s }", "30s"), failover())), null);
    const fenced = failover();
    fenced.final![0].alive = false;
    const context = contextOf(syncScenario("  - { at: 10s, partition: [[east/a], [east/b]], for: 5s }"), fenced, (r) => r.timeline.push({ atMs: 12_000, node: "n0", event: "crash", cause: { kind: "fenced" } }));
    assert.equal(findings("sync-restored", context), null);
  });
});

describe("accounting", () => {
  test("rpo-count: the result reports fewer lost writes than the history shows", () => {
    const spec = failover();
    spec.writes!.push({ sendMs: 9_990, status: ACKED, epoch: 0, lsn: 200 * 1024 });
    const scenario = syncScenario();
    assertHolds("rpo-count", contextOf(scenario, spec));
    assertFails("rpo-count", contextOf(scenario, spec, (r) => (r.classes[0].rpo.lostAckedWrites = 0)), /ledger: 1 acknowledged writes missing from the final timeline, result says 0/);
    assertFails("rpo-count", contextOf(scenario, spec, (r) => (r.totals.writesLost = 7)), /writesLost is 7/);
  });

  test("outcome-counts: acknowledged and rejected counts", () => {
    assertFails("outcome-counts", contextOf(syncScenario(), failover(), (r) => (r.classes[0].writesAcked += 1)), /writesAcked \d+, the log has/);
    assertFails("outcome-counts", contextOf(syncScenario(), failover(), (r) => (r.totals.writesRejected = 0)), /totals.writesRejected 0/);
  });

  test("rto: the longest outage runs from the crash (10 s) to the first acknowledgement after the failure (11.002 s)", () => {
    const context = contextOf(syncScenario(), failover());
    assert.equal(context.result.classes[0].rto.writeMs, 1002);
    assertFails("rto", contextOf(syncScenario(), failover(), (r) => (r.classes[0].rto.writeMs = 900)), /longest outage 1002ms .*result says 900ms/);
    assertFails("rto", contextOf(syncScenario(), failover(), (r) => (r.classes[0].rto.writeMs = null)), /result says null/);
  });

  test("unavailable: the union of outages", () => {
    assertFails("unavailable", contextOf(syncScenario(), failover(), (r) => (r.totals.writeUnavailableMs = 0)), /union of outages 1002ms, writeUnavailableMs 0ms/);
  });

  test("split-brain-time and split-brain-timeline", () => {
    const spec = failover();
    spec.writers![0] = { node: 0, epoch: 0, fromMs: 0, toMs: 15_000, acksWithoutStandbys: true };
    const context = contextOf(syncScenario(), spec);
    // The old leader acknowledges alone until 15 s; the new one from its first acknowledgement, at 11,002.
    assert.equal(context.result.totals.splitBrainMs, 3998);
    assertHolds("split-brain-time", context);
    assertFails("split-brain-time", contextOf(syncScenario(), spec, (r) => (r.totals.splitBrainMs = 0)), /writer intervals give 3998ms of split brain, splitBrainMs 0ms/);
    assertFails("split-brain-timeline", contextOf(syncScenario(), spec, (r) => (r.timeline = [])), /no split-brain entry/);
    assertFails("split-brain-timeline", contextOf(syncScenario(), failover(), (r) => r.timeline.push({ atMs: 1, node: "n0", event: "split-brain" })), /splitBrainMs is 0/);
  });

  test("failovers: promotions counted from the timelines", () => {
    assertFails("failovers", contextOf(syncScenario(), failover(), (r) => (r.totals.failovers = 2)), /1 promotions in the history, failovers 2/);
  });
});

test("every oracle has a test that makes it fail", () => {
  // Kept in step with the tests above: a new oracle needs a failing case here.
  const tested = ["no-lost-ack", "no-stale-read", "single-writer", "monotonic", "no-past-schedule", "every-write-decided", "engine-checkers", "replicas-stream", "sync-restored", "writes-resume", "rpo-count", "outcome-counts", "rto", "unavailable", "split-brain-time", "split-brain-timeline", "failovers"];
  assert.deepEqual(ORACLES.map((o) => o.id).sort(), [...tested].sort());
});
