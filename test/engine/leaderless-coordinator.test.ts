// A leaderless client's coordinator cut off from the other replicas costs what
// its crash costs. Either way the client's requests to it fail for one client
// timeout and the client moves to another node: a timeout when the coordinator
// is dead, or (partition) the coordinator's own request timeout or, once its
// failure detector has marked the others down, an UNAVAILABLE answer that the
// driver retries once on the next host. So for every node of the bundled
// five-node design (N=5, W=R=3), a permanent partition isolating it and its
// crash reject about as many writes: the same clients, the same timeout, the
// same reconnects; only which requests fall in the window differs, so the two
// counts differ by Poisson noise (three standard deviations of the difference,
// 3·√(a+b)). The p99 client's recovery is one timeout plus a reconnect either
// way, far inside the class's one-minute RTO.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

/** The fault that takes `node` away: its crash, or a partition isolating it from the other four. */
function away(node: string, fault: "crash" | "partition"): string {
  const others = ["n1", "n2", "n3", "n4", "n5"].filter((x) => x !== node);
  return fault === "crash" ? `crash: ${node}` : `partition: [[${node}], [${others.join(", ")}]]`;
}

function run(faults: string[]) {
  const result = simulate(
    scenarioText(`kind: scenario
name: one-node-away
topology: ${process.cwd()}/topologies/dynamo-n5.yaml
seed: 3
duration: 80s
workload: { writes: 200, reads: 200, clients: 30, keys: 10000 }
faults:
${faults.map((f) => `  - { ${f} }`).join("\n")}
`),
  );
  const cls = result.classes[0];
  return { rejected: cls.writesRejected, reads: result.totals.readsRejected, p99ClientMs: cls.rto.p99ClientMs ?? Infinity, targetMs: cls.rto.targetMs };
}

for (const node of ["n1", "n2", "n3", "n4", "n5"]) {
  test(`a partition isolating ${node} costs the clients what its crash costs`, () => {
    const cut = run([`at: 20s, ${away(node, "partition")}`]);
    const crash = run([`at: 20s, ${away(node, "crash")}`]);
    const say = `partition ${JSON.stringify(cut)} vs crash ${JSON.stringify(crash)}`;
    assert.ok(crash.rejected > 0, `the crash must cost something: ${say}`);
    assert.ok(Math.abs(cut.rejected - crash.rejected) <= 3 * Math.sqrt(cut.rejected + crash.rejected), `writes: ${say}`);
    assert.ok(Math.abs(cut.reads - crash.reads) <= 3 * Math.sqrt(cut.reads + crash.reads), `reads: ${say}`);
    // One client timeout (1 s) and a reconnect's backoff apart at most, and within the one-minute RTO.
    assert.ok(cut.p99ClientMs <= crash.p99ClientMs + 1000, `p99 client: ${say}`);
    assert.ok(cut.p99ClientMs < cut.targetMs, `p99 client within the RTO: ${say}`);
  });
}

// n5 is away from the start; at 40 s n2 crashes and the clients on it reconnect to the nearest node left in
// their zone. With n5 crashed that is none (they go to another zone's node); with n5 cut off it is n5, which
// has long marked the others down: it answers UNAVAILABLE and the driver's retry on the next host (another
// zone's node) succeeds, so the clients move there after one extra round trip. Either way the cost is the
// crash of n2: the same count within Poisson noise. A client that stayed on n5 would fail every request.
test("a coordinator that knows it cannot reach a quorum answers UNAVAILABLE and the client's retry on the next host succeeds", () => {
  const cut = run([`at: 1s, ${away("n5", "partition")}`, "at: 40s, crash: n2"]);
  const crash = run([`at: 1s, ${away("n5", "crash")}`, "at: 40s, crash: n2"]);
  const say = `n5 cut off ${JSON.stringify(cut)} vs crashed ${JSON.stringify(crash)}`;
  assert.ok(Math.abs(cut.rejected - crash.rejected) <= 3 * Math.sqrt(cut.rejected + crash.rejected), `writes: ${say}`);
  assert.ok(Math.abs(cut.reads - crash.reads) <= 3 * Math.sqrt(cut.reads + crash.reads), `reads: ${say}`);
  assert.ok(cut.p99ClientMs <= crash.p99ClientMs + 1000, `p99 client: ${say}`);
});

// A host failure loses the messages its node sent that have not arrived (the engine's crash semantics). A W = 1
// write is acknowledged once its coordinator has its own copy: if that coordinator's region is lost while the
// other copies are still on the wire, the write is gone (found by a review: 0 lost, where multi-leader lost ~300).
function regionLost(writes: number, w: number) {
  const result = simulate(
    scenarioText(`kind: scenario
name: coordinator-region-lost
seed: 4
duration: 21s
workload: { writes: ${writes}, clients: 90, keys: 1000000, zones: [us-east/a, us-west/a, eu-west/a] }
faults:
  - { at: 20s, lose: us-east }
topology:
  kind: topology
  name: three-regions
  preset: cassandra
  regions: { us-east: { zones: [a] }, us-west: { zones: [a] }, eu-west: { zones: [a] } }
  network: { cross-region: { constant: 100 } }
  nodes: { e1: { zone: us-east/a }, w1: { zone: us-west/a }, u1: { zone: eu-west/a } }
  replication: { mode: leaderless, n: 3, w: ${w}, r: 1, sloppy_quorum: false, read_repair: false, conflict: vector-clock }
  data_classes: { d: { rpo: 1m, rto: 1m, share: 1 } }
`),
  );
  return result.classes[0].rpo;
}

test("leaderless: losing a W = 1 coordinator loses the writes whose other copies were still on the wire, about its write rate × the one-way latency", () => {
  // A third of 3,000 writes/s are coordinated in us-east, and each remote copy takes 100 ms: ~100 writes.
  const base = regionLost(3000, 1);
  assert.ok(base.lostAckedWrites > 70 && base.lostAckedWrites < 130, `lost ${base.lostAckedWrites}`);
  assert.ok(base.windowMs > 90 && base.windowMs <= 101, `window ${base.windowMs} ms`);
  // Twice the rate, twice the loss (the window stays the link's latency).
  const doubled = regionLost(6000, 1);
  const ratio = doubled.lostAckedWrites / base.lostAckedWrites;
  assert.ok(ratio > 1.6 && ratio < 2.5, `ratio ${ratio}`);
  // W = 2: every acknowledged write had reached a second region.
  assert.equal(regionLost(3000, 2).lostAckedWrites, 0);
});
