// Added latency between a leader and the coordinator's zones reaches its DCS calls, as a partition would cut
// them: a round trip past retry_timeout fails the renewal (the leader demotes, a replica takes over), a small
// delay does not.
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

// Every etcd member sits in us-east/b, us-east/c or us-west/a; ttl 10 s, loop_wait 2 s, retry_timeout 3 s.
const delayedFromCoordinator = (add: string) =>
  scenarioText(
    `kind: scenario
name: coordinator-latency
topology: ../topologies/payments-three-site-etcd.yaml
seed: 3
duration: 60s
workload: { writes: 200, reads: 200, clients: 60, zones: [us-east/a] }
faults:
  - { at: 20s, latency: { between: [[pg-a], [us-east/b, us-east/c, us-west/a]], add: ${add} }, for: 30s }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );

test("a minute of added latency to the coordinator's zones: the leader cannot renew, demotes itself, and a replica is elected within ttl + loop_wait (found by a review: no failover, writes down 100 s)", () => {
  const r = simulate(delayedFromCoordinator("60s"));
  const [lost] = factsOf(r.timeline, "coordinator-lost");
  assert.ok(lost !== undefined && lost.node === "pg-a", "pg-a's DCS calls time out");
  const [demote] = factsOf(r.timeline, "demote");
  assert.ok(demote !== undefined && demote.node === "pg-a" && demote.reason === "lease-lost");
  // It tries once per loop_wait and gives up after retry_timeout: within 2 s + 3 s of the fault.
  assert.ok(demote.atMs - 20_000 <= 5_000, `demoted at ${demote.atMs} ms`);
  const [elect] = factsOf(r.timeline, "elect");
  assert.ok(elect !== undefined && elect.node !== "pg-a", "a replica took the leader key");
  assert.ok(elect.atMs - 20_000 <= 12_000 + 1_000, `elected ${elect.atMs - 20_000} ms after the fault (ttl 10 s + loop_wait 2 s)`);
});

test("20 ms added to the coordinator's zones: the renewals still succeed, nothing fails over", () => {
  const r = simulate(delayedFromCoordinator("20ms"));
  assert.deepEqual(factsOf(r.timeline, "coordinator-lost"), []);
  assert.deepEqual(factsOf(r.timeline, "elect"), []);
  assert.equal(r.totals.failovers, 0);
});

test("a replica elected while its leader's WAL is still on a slow link is promoted at once with what it has received (found by a review: it waited 53.6 s to replay WAL that had not arrived)", () => {
  const r = simulate(delayedFromCoordinator("60s"));
  const [elect] = factsOf(r.timeline, "elect");
  const [promote] = factsOf(r.timeline, "promote");
  assert.ok(elect !== undefined && promote !== undefined);
  // A promotion stops the WAL receiver: what is still in flight never arrives, so there is nothing to wait for.
  assert.deepEqual(factsOf(r.timeline, "replay-wait"), []);
  assert.ok(promote.atMs - elect.atMs <= 1_000, `promoted ${promote.atMs - elect.atMs} ms after the election`);
  // The new timeline forks at what the winner had received when it was elected, no further.
  assert.ok(promote.forkLsn <= elect.lsn, `fork ${promote.forkLsn} beyond the elected position ${elect.lsn}`);
  for (const cls of r.classes.filter((c) => c.rto.targetMs <= 60_000)) {
    assert.ok(cls.rto.writeMs !== null && cls.rto.writeMs <= 30_000, `${cls.name}: write RTO ${cls.rto.writeMs} ms`);
  }
});

test("the latency entry names a delayed zone that holds no node, as a partition's entry does (found by a review: it read \"+5s between [db-a] and []\")", () => {
  const r = simulate(
    scenarioText(`kind: scenario
name: coordinator-zone-latency
seed: 1
duration: 30s
topology:
  kind: topology
  name: t
  preset: patroni
  regions: { us-east: { zones: [a, b, c] } }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-east/b }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [us-east/c]
  data_classes:
    orders: { rpo: 0, rto: 30s, share: 1 }
workload: { writes: 50, reads: 0, clients: 10 }
faults:
  - { at: 10s, latency: { between: [[db-a], [us-east/c]], add: 5s }, for: 10s }
`),
  );
  const [latency] = factsOf(r.timeline, "latency");
  assert.ok(latency !== undefined);
  assert.deepEqual(latency.between, [["db-a"], ["us-east/c"]]);
});
