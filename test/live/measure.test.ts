// Measuring a live run from its log, with a hand-written log: RTO from the
// fault to the ack of the first write sent after the first error, RPO from
// acknowledged ids missing on the new primary, ambiguous writes apart, and the
// failover timeline from the etcd and REST observations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { liveExpectations, measureRun, unavailableMs } from "../../src/live/measure.js";
import { err, log, ok, plan } from "./helpers.js";
import { describeEntry } from "../../src/report/simulate/timeline.js";

test("RTO runs from the fault to the ack of the first write sent after the first error", () => {
  const run = measureRun(plan(), log());
  const orders = run.result.classes[0];
  assert.equal(orders.rto.writeMs, 17_650 - 8000);
  assert.equal(orders.rto.readMs, null, "reads are not run live");
});

test("RPO: acknowledged ids missing on the new primary, with their window; errors whose rows exist are ambiguous", () => {
  const run = measureRun(plan(), log());
  const orders = run.result.classes[0];
  assert.deepEqual(orders.rpo, { targetMs: 0, lostAckedWrites: 1, windowMs: 1 });
  assert.equal(run.ambiguousWrites, 1);
  assert.deepEqual(run.ambiguousByClass, { orders: 1 });
  assert.equal(orders.writesAcked, 8);
  assert.equal(orders.writesRejected, 1, "write 7 failed and is absent: cleanly rejected");
  assert.equal(orders.met, false, "one lost write misses an RPO of 0");
  assert.equal(run.result.totals.writesLost, 1);
  assert.equal(run.result.totals.failovers, 1);
  assert.equal(run.leaderAfter, "pg-b");
});

test("the timeline reads as the failover happened, from etcd, the REST API and the writer", () => {
  const r = measureRun(plan(), log()).result;
  assert.deepEqual(
    r.timeline.map((e) => [e.atMs, e.node, e.event]),
    [
      [8000, "pg-a", "crash"],
      [8002, "clients", "write-error"],
      [17_300, "pg-a", "detect"],
      [17_400, "pg-b", "elect"],
      [17_420, "pg-b", "promote"],
      [17_450, "clients", "endpoint"],
      [17_500, "pg-b", "no-sync-standby"],
      [17_650, "clients", "reconnect"],
      [22_000, "pg-b", "sync-standby"],
    ],
  );
  assert.match(describeEntry(r.timeline[2], r), /leader key expired in etcd \(ttl 10s; last renewed 1\.4s before the crash\)/);
  assert.deepEqual(
    r.phases.map((p) => [p.phase, p.startMs, p.endMs]),
    [
      ["detect", 8000, 17_300],
      ["elect", 17_300, 17_400],
      ["promote", 17_400, 17_420],
      ["endpoint", 17_420, 17_450],
      ["reconnect", 17_450, 17_650],
    ],
  );
  assert.equal(r.firstFaultMs, 8000);
  assert.equal(r.settings.live, true);
  assert.deepEqual(r.lag, [{ atMs: 500, node: "pg-b", lagBytes: 120, lagMs: 0.4 }]);
});

test("a key that changes hands between two polls still gives a detect entry", () => {
  const l = log();
  l.observations = l.observations.filter((o) => !(o.kind === "leader-key" && o.holder === null));
  const r = measureRun(plan(), l).result;
  const detect = r.timeline.find((e) => e.event === "detect")!;
  assert.equal(detect.atMs, 17_400);
  assert.match(describeEntry(detect, { firstFaultMs: null, mode: r.mode }), /expired and was taken within one 100 ms poll \(ttl 10s; last renewed 1\.4s before the crash\)/);
});

test("no error, no outage: RTO 0; writes that never came back: RTO null (never)", () => {
  const calm = log({ records: [ok(1, 1000, 1001), ok(2, 9000, 9001)], writerEvents: [], rows: { node: "pg-a", ids: new Map([[0, new Set([1, 2])]]) } });
  assert.equal(measureRun(plan(), calm).result.classes[0].rto.writeMs, 0);
  const dead = log({ records: [ok(1, 1000, 1001), err(2, 8000, 8001)], rows: { node: "pg-a", ids: new Map([[0, new Set([1])]]) } });
  const cls = measureRun(plan(), dead).result.classes[0];
  assert.equal(cls.rto.writeMs, null);
  assert.equal(cls.met, false);
});

test("writes unavailable: from each uncovered error to the next ack of a write sent after it", () => {
  assert.equal(unavailableMs(log().records), 17_650 - 8002);
  assert.equal(unavailableMs([ok(1, 0, 1)]), 0);
});

test("live runs are judged only on what they measure", () => {
  const scenario = plan("scenarios/leader-dies-in-az-a.yaml").scenario;
  assert.deepEqual(
    liveExpectations(scenario).flatMap((g) => g.items.map((item) => item.path)),
    ["ledger.rpo", "ledger.rto", "accounts.rpo", "accounts.rto"],
  );
  const r = measureRun(plan(), log()).result;
  assert.deepEqual(
    r.expectations.map((e) => [e.path, e.met]),
    [
      ["orders.rpo", false],
      ["orders.rto", true],
      ["failovers", true],
    ],
  );
});

test("a class misses when its p99 client stays cut off, even though the service's writes came back (as the engine judges it)", () => {
  // Connection 0 is back 200 ms after the crash; connection 1 never gets another write through.
  const records = [ok(1, 1000, 1001, "pg-a", 0), err(2, 8000, 8001, 0), ok(3, 8100, 8200, "pg-b", 0), err(4, 8000, 8002, 1)];
  const cut = log({ records, rows: { node: "pg-b", ids: new Map([[0, new Set([1, 3])]]) } });
  const cls = measureRun(plan(), cut).result.classes[0];
  assert.equal(cls.rto.writeMs, 200);
  assert.equal(cls.rto.p99ClientMs, null, "the p99 client never recovered");
  assert.deepEqual(cls.verdicts, { rpo: true, writeRto: true, readRto: null, p99ClientRto: false, keyRto: null, noFaultRejects: null, restoreRto: null, restoreRpo: null });
  assert.equal(cls.met, false);
});
