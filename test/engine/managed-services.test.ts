// Managed services keep writing when replicas go (found by a review of the presets against the real systems:
// the rds-multi-az and aurora presets were strict, so a lost standby or both readers stopped writes for good).
// RDS Multi-AZ keeps the primary writing while it replaces a lost standby; Aurora commits to its storage quorum,
// which does not depend on the reader instances.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { PRESETS } from "../../src/model/presets.js";
import { scenarioText } from "./helpers.js";

function run(preset: string, nodes: string, zones: string, faults: string, seed = 5, workload = "{ writes: 200, clients: 50 }", duration = "3m") {
  return simulate(
    scenarioText(`kind: scenario
name: managed
seed: ${seed}
duration: ${duration}
workload: ${workload}
faults:
${faults}
topology:
  kind: topology
  name: managed
  preset: ${preset}
  regions: { us-east: { zones: [${zones}] } }
  nodes:
${nodes}
  replication: { mode: leader-follower }
  data_classes:
    orders: { rpo: 0, rto: 2m, share: 1 }
`),
  );
}

test("rds-multi-az: the standby's loss does not stop the primary's writes", () => {
  const r = run("rds-multi-az", "    db-a: { zone: us-east/a, role: leader }\n    db-b: { zone: us-east/b }", "a, b", "  - { at: 30s, crash: db-b }");
  const orders = r.classes[0];
  assert.ok(orders.rto.writeMs !== null, "writes come back");
  assert.ok(!r.timeline.some((e) => e.event === "writes-blocked"));
});

test("rds-multi-az: after a failover the new primary writes without a standby", () => {
  const r = run("rds-multi-az", "    db-a: { zone: us-east/a, role: leader }\n    db-b: { zone: us-east/b }", "a, b", "  - { at: 30s, crash: db-a }");
  assert.equal(r.totals.failovers, 1);
  assert.ok(r.classes[0].rto.writeMs !== null && r.classes[0].rto.writeMs < 120_000, `RTO ${r.classes[0].rto.writeMs}`);
  assert.equal(r.totals.writesLost, 0);
});

test("aurora: losing both readers does not stop the writer", () => {
  const nodes = "    aurora-a: { zone: us-east/a, role: leader }\n    aurora-b: { zone: us-east/b }\n    aurora-c: { zone: us-east/c }";
  const r = run("aurora", nodes, "a, b, c", "  - { at: 30s, crash: aurora-b }\n  - { at: 30s, crash: aurora-c }");
  // Its commits never waited for them: not one write fails (found by a review: the readers were synchronous standbys).
  assert.equal(r.classes[0].rto.writeMs, 0);
  assert.equal(r.totals.writesRejected, 0);
  assert.ok(!r.timeline.some((e) => e.event === "degrade"), "nothing to degrade from");
});

test("aurora: a commit waits for four of the volume's six copies across three zones, whatever the readers do", () => {
  // Clients beside the writer, so that a write's latency is its commit's and one local round trip.
  const local = "{ writes: 200, clients: 50, zones: [us-east/a] }";
  const p50 = (faults: string) => run("aurora", auroraNodes, "a, b, c", faults, 5, local).classes[0].latency.writeP50Ms!;
  const calm = p50("  - { at: 170s, crash: aurora-c }");
  // 40 ms more each way to the readers: they replay later, commits do not notice.
  const slowReaders = p50("  - { at: 0s, latency: { between: [[aurora-a], [aurora-b, aurora-c]], add: 40ms } }");
  assert.ok(Math.abs(slowReaders - calm) < 1, `commit p50 ${calm} ms, with slow readers ${slowReaders} ms`);
  // 40 ms more each way between the writer's zone and the two others: four copies need a cross-zone answer, so ~+80 ms.
  const slowZones = p50("  - { at: 0s, latency: { between: [[us-east/a], [us-east/b, us-east/c]], add: 40ms } }");
  assert.ok(slowZones > calm + 75 && slowZones < calm + 90, `commit p50 ${calm} ms, with slow links between zones ${slowZones} ms`);
  // One slow zone leaves four fast copies (two in each other zone): the quorum does not wait for it.
  const oneSlowZone = p50("  - { at: 0s, latency: { between: [[us-east/a], [us-east/b]], add: 40ms } }");
  assert.ok(oneSlowZone < calm + 5, `commit p50 ${calm} ms, with one slow zone ${oneSlowZone} ms`);
  // A commit pays about a cross-zone round trip (0.5 ms each way by default), not a local fsync alone.
  assert.ok(calm > 1 && calm < 6, `commit p50 ${calm} ms`);
});

test("etcd-raft: clients reach any member, no proxy's checks of several seconds in the way", () => {
  const endpoint = PRESETS["etcd-raft"].failover.endpoint;
  assert.equal(endpoint.kind, "proxy");
  if (endpoint.kind === "proxy") assert.ok(endpoint.checkIntervalMs * endpoint.rise <= 500, JSON.stringify(endpoint));
});

// Aurora's readers share the writer's volume: a reader promoted takes over every write flushed to it, however far
// behind its own replay was (found by a review: readers cut off from the writer were "asynchronous: may miss
// acknowledged writes", so after the writer died nobody could be promoted and writes never came back).
const auroraNodes = "    aurora-a: { zone: us-east/a, role: leader }\n    aurora-b: { zone: us-east/b }\n    aurora-c: { zone: us-east/c }";

test("aurora: a writer cut off from its readers, then lost, fails over to a reader with every acknowledged write", () => {
  for (const seed of [1, 2, 3]) {
    const r = run("aurora", auroraNodes, "a, b, c", "  - { at: 20s, partition: [[aurora-a], [aurora-b, aurora-c]], for: 40s }\n  - { at: 40s, crash: aurora-a }", seed);
    const orders = r.classes[0];
    assert.equal(r.totals.failovers, 1, `seed ${seed}: one failover`);
    assert.ok(orders.rto.writeMs !== null && orders.rto.writeMs < 60_000, `seed ${seed}: writes back, RTO ${orders.rto.writeMs}`);
    assert.equal(orders.rpo.lostAckedWrites, 0, `seed ${seed}: the volume holds every acknowledged write`);
    const [promote] = factsOf(r.timeline, "promote");
    assert.ok(promote && promote.lostAcked === 0, `seed ${seed}: the promotion lacks nothing`);
  }
});

test("aurora: with both readers down when the writer dies, the first reader back takes over with nothing lost", () => {
  const r = run("aurora", auroraNodes, "a, b, c", "  - { at: 20s, crash: aurora-b }\n  - { at: 20s, crash: aurora-c }\n  - { at: 40s, crash: aurora-a }\n  - { at: 60s, recover: aurora-b }");
  const orders = r.classes[0];
  assert.ok(orders.rto.writeMs !== null, "writes come back");
  assert.equal(orders.rpo.lostAckedWrites, 0);
  assert.equal(r.timeline.find((e) => e.event === "promote")?.node, "aurora-b");
});

test("rds-multi-az: the standby serves no reads, so reads are down for the failover like writes", () => {
  const r = simulate(
    scenarioText(`kind: scenario
name: rds-reads
seed: 2
duration: 3m
workload: { writes: 200, reads: 400, clients: 50 }
faults:
  - { at: 30s, crash: db-a }
topology:
  kind: topology
  name: rds-reads
  preset: rds-multi-az
  regions: { us-east: { zones: [a, b] } }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-east/b }
  replication: { mode: leader-follower }
  data_classes:
    feed: { rpo: 1m, rto: 5m, share: 1, reads: any }
`),
  );
  const feed = r.classes[0];
  // Found by a review: reads: any went to the standby, so reads never went down (read RTO 0) and 3,112 were stale.
  assert.ok(feed.rto.readMs !== null && feed.rto.readMs > 30_000, `read RTO ${feed.rto.readMs}`);
  assert.equal(feed.staleReads, 0);
});

test("aurora: with no reader left to promote, the service recreates the writer on the volume in about ten minutes, with every acknowledged write (found by a review: writes never came back)", () => {
  const solo = "    aurora-a: { zone: us-east/a, role: leader }";
  const r = run("aurora", solo, "a, b, c", "  - { at: 30s, crash: aurora-a }", 5, "{ writes: 50, clients: 50 }", "12m");
  const orders = r.classes[0];
  assert.equal(orders.rpo.lostAckedWrites, 0);
  // Detection (~10 s), the new instance (10 min), its start as the writer (10 s).
  assert.ok(orders.rto.writeMs !== null && orders.rto.writeMs > 600_000 && orders.rto.writeMs < 640_000, `RTO ${orders.rto.writeMs}`);
  assert.deepEqual(
    r.timeline.filter((e) => e.event === "instance-replacing" || e.event === "instance-replaced").map((e) => e.event),
    ["instance-replacing", "instance-replaced"],
  );
  // A new instance started for a failure that ended otherwise (the writer came back) does not cut short the next one's.
  const twice = run("aurora", solo, "a, b, c", "  - { at: 30s, crash: aurora-a }\n  - { at: 90s, recover: aurora-a }\n  - { at: 5m, crash: aurora-a }", 5, "{ writes: 50, clients: 50 }", "17m");
  const replaced = twice.timeline.filter((e) => e.event === "instance-replaced");
  assert.equal(replaced.length, 1);
  assert.ok(replaced[0].atMs > 300_000 + 600_000, `replaced at ${replaced[0].atMs} ms`);
  // A reader to promote: no new instance, the usual failover.
  const withReader = run("aurora", auroraNodes, "a, b, c", "  - { at: 30s, crash: aurora-a }");
  assert.ok(!withReader.timeline.some((e) => e.event === "instance-replacing"));
  assert.ok(withReader.classes[0].rto.writeMs! < 60_000);
  // RDS Multi-AZ replaces no instance here: with its standby gone too, writes wait for a recover.
  const rds = run("rds-multi-az", "    db-a: { zone: us-east/a, role: leader }\n    db-b: { zone: us-east/b }", "a, b", "  - { at: 20s, crash: db-b }\n  - { at: 30s, crash: db-a }");
  assert.equal(rds.classes[0].rto.writeMs, null);
});

test("aurora: a writer that cannot reach four of the volume's copies commits nothing, and loses nothing (found by a review: it went on committing on two)", () => {
  const r = run("aurora", auroraNodes, "a, b, c", "  - { at: 30s, partition: [[us-east/a], [us-east/b, us-east/c]], for: 20s }", 5, "{ writes: 200, clients: 50, zones: [us-east/a] }");
  const orders = r.classes[0];
  assert.equal(orders.rpo.lostAckedWrites, 0);
  assert.ok(orders.rto.writeMs !== null && orders.rto.writeMs > 15_000, `RTO ${orders.rto.writeMs}`);
  // Two zones' copies within reach again: commits resume.
  assert.ok(orders.rto.writeMs < 30_000, `RTO ${orders.rto.writeMs}`);
});
