// The pure mapping from a scenario to a live Patroni cluster: what is refused
// and why, the DCS settings, tags, start order, the writer, and which faults are
// injected or skipped. These run everywhere, with or without PostgreSQL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mapFaults, patroniTimings, planLive, refusals, startOrder, LIVE_LIMITS, type LivePlan, type Version } from "../../src/live/plan.js";
import { scenarioFrom, scenarioText } from "../engine/helpers.js";

const root = process.cwd();
const PATRONI_3: Version = [3, 0, 2];
const PATRONI_4: Version = [4, 0, 4];

function planOf(file: string, version: Version = PATRONI_3): LivePlan {
  const outcome = planLive(scenarioFrom(join(root, file)), { patroniVersion: version });
  if (!outcome.ok) throw new Error(`refused: ${outcome.reasons.join("; ")}`);
  return outcome.plan;
}

/** A three-node scenario with the given replication and faults blocks (YAML flow text). */
function inline(options: { replication?: string; failover?: string; faults?: string; nodes?: string; extra?: string } = {}) {
  return scenarioText(`
kind: scenario
name: inline
topology:
  kind: topology
  name: t
  preset: patroni
  regions: { r: { zones: [a, b, c] } }
  nodes: ${options.nodes ?? "{ n1: { zone: r/a, role: leader }, n2: { zone: r/b }, n3: { zone: r/c } }"}
  replication: ${options.replication ?? "{ mode: leader-follower, synchronous: { standbys: 'ANY 1 (n2, n3)', strict: true } }"}
  failover: ${options.failover ?? "{ detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s } }"}
  data_classes:
    a: { rpo: 0, rto: 30s, share: 0.75 }
    b: { rpo: 1m, rto: 5m, share: 0.25, commit: local }
duration: 40s
workload: { writes: ${options.extra ?? "500"}, reads: 100, clients: 20, keys: 100 }
faults: ${options.faults ?? "[ { at: 10s, crash: n1 } ]"}
`);
}

test("the payments demo maps onto Patroni: DCS from the topology, pg-dr tagged, pg-b started right after the leader", () => {
  const plan = planOf("scenarios/leader-dies-in-az-a.yaml");
  assert.deepEqual(plan.dcs, {
    ttl: 10,
    loop_wait: 2,
    retry_timeout: 3,
    maximum_lag_on_failover: 1048576,
    synchronous_mode: true,
    synchronous_mode_strict: true,
    synchronous_node_count: 1,
  });
  assert.equal(plan.leader, "pg-a");
  assert.deepEqual(
    plan.nodes.map((n) => n.name),
    ["pg-a", "pg-b", "pg-c", "pg-dr"],
  );
  assert.deepEqual(plan.nodes.find((n) => n.name === "pg-dr")!.tags, { nofailover: true, nosync: true });
  assert.deepEqual(plan.nodes.find((n) => n.name === "pg-c")!.tags, { nofailover: false, nosync: false });
  assert.deepEqual(plan.faults, [{ atMs: 30_000, kind: "crash", node: "pg-a" }]);
  assert.deepEqual(plan.skipped, []);
  assert.equal(plan.parameters.synchronous_commit, "on");
  assert.match(plan.syncMapping!, /FIRST 1 \(pg-b\).*synchronous_node_count 1.*picks its synchronous standby itself/);
  assert.ok(plan.notes.some((n) => /pg-dr.*us-west.*without the cross-region latency/.test(n)), "the remote DR node gets a note");
  assert.deepEqual(plan.adjustments, []);
});

test("each data class writes with its own synchronous_commit, at its share of the rate", () => {
  const plan = planOf("scenarios/leader-dies-in-az-a.yaml");
  const byName = Object.fromEntries(plan.writer.classes.map((c) => [c.name, c]));
  assert.equal(byName.ledger.commit, "on");
  assert.equal(byName.audit_logs.commit, "local");
  assert.equal(byName.analytics_rollups.commit, "off");
  assert.equal(byName.ledger.writesPerSecond, 200);
  assert.ok(plan.writer.classes.every((c) => c.connections >= 1 && c.connections <= LIVE_LIMITS.connectionsPerClass));
  assert.equal(plan.writer.timeoutMs, 1000);
});

test("ANY n on Patroni 3.0.2 becomes FIRST n and the output says so; Patroni 4 gets quorum mode", () => {
  const scenario = inline();
  const three = planLive(scenario, { patroniVersion: PATRONI_3 });
  assert.ok(three.ok);
  assert.equal(three.plan.dcs.synchronous_mode, true);
  assert.equal(three.plan.dcs.synchronous_node_count, 1);
  assert.match(three.plan.syncMapping!, /ANY 1 \(n2, n3\).*no quorum mode.*mapped to FIRST 1/);
  const four = planLive(scenario, { patroniVersion: PATRONI_4 });
  assert.ok(four.ok);
  assert.equal(four.plan.dcs.synchronous_mode, "quorum");
  assert.match(four.plan.syncMapping!, /quorum commit/);
});

test("asynchronous replication: synchronous mode off, no nosync tags, no mapping line", () => {
  const plan = planOf("scenarios/live/stall-then-crash-async.yaml");
  assert.equal(plan.dcs.synchronous_mode, false);
  assert.equal(plan.dcs.synchronous_mode_strict, false);
  assert.equal(plan.syncMapping, null);
  assert.ok(plan.nodes.every((n) => !n.tags.nosync && !n.tags.nofailover));
});

test("a static (unmanaged) sync list tags every other node nosync", () => {
  const scenario = inline({ replication: "{ mode: leader-follower, synchronous: { standbys: 'FIRST 1 (n3)', managed: false } }" });
  const outcome = planLive(scenario, { patroniVersion: PATRONI_3 });
  assert.ok(outcome.ok);
  const tags = Object.fromEntries(outcome.plan.nodes.map((n) => [n.name, n.tags.nosync]));
  assert.deepEqual(tags, { n1: true, n3: false, n2: true });
  assert.deepEqual(
    startOrder(scenario).map((n) => n.name),
    ["n1", "n3", "n2"],
  );
});

test("Patroni's rule loop_wait + 2 × retry_timeout ≤ ttl, and whole seconds", () => {
  assert.deepEqual(patroniTimings(10_000, 2000, 3000), { ttl: 10, loop_wait: 2, retry_timeout: 3, adjustments: [] });
  assert.deepEqual(patroniTimings(30_000, 10_000, 10_000), { ttl: 30, loop_wait: 10, retry_timeout: 10, adjustments: [] });
  const adjusted = patroniTimings(10_000, 4000, 5000)!;
  assert.equal(adjusted.retry_timeout, 3);
  assert.equal(adjusted.loop_wait, 4);
  assert.match(adjusted.adjustments.join(" "), /loop_wait 4s \+ 2 × retry_timeout 5s = 14s > ttl 10s/);
  const rounded = patroniTimings(10_500, 2000, 3000)!;
  assert.equal(rounded.ttl, 11);
  assert.match(rounded.adjustments[0], /whole seconds: ttl 10\.5s → 11s/);
  assert.equal(patroniTimings(2000, 2000, 1000), null);
});

test("an adjusted scenario is said so in the plan and simulated with the values Patroni runs", () => {
  const scenario = inline({ failover: "{ detection: { ttl: 10s, loop_wait: 4s, retry_timeout: 5s } }" });
  const outcome = planLive(scenario, { patroniVersion: PATRONI_3 });
  assert.ok(outcome.ok);
  // Patroni's own rule: loop_wait falls to ttl − 2 × retry_timeout, here below 1 s, so loop_wait 1 s and retry_timeout (ttl − 1) // 2.
  assert.equal(outcome.plan.adjustments.length, 1);
  assert.match(outcome.plan.adjustments[0], /loop_wait 4s \+ 2 × retry_timeout 5s = 14s > ttl 10s\): it lowers them to loop_wait 1s, retry_timeout 4s/);
  assert.deepEqual(outcome.plan.simulated.topology.failover.detection, { kind: "lease", ttlMs: 10_000, loopWaitMs: 1000, retryTimeoutMs: 4000 });
  // The engine reads the derived settings, so they must follow the adjusted timings.
  const derived = outcome.plan.simulated.topology.derived;
  assert.deepEqual(derived.patroni && [derived.patroni.retryTimeoutMs, derived.patroni.fits], [4000, true]);
  const rounded = planLive(inline({ failover: "{ detection: { ttl: 10500ms, loop_wait: 2s, retry_timeout: 3s } }" }), { patroniVersion: PATRONI_3 });
  assert.ok(rounded.ok);
  assert.equal(rounded.plan.simulated.topology.derived.detection.ttlMs, 11_000, "the ttl Patroni runs (whole seconds), not the file's");
});

test("leaderless, multi-leader and consensus topologies are refused with the reason", () => {
  const leaderless = refusals(scenarioFrom(join(root, "scenarios/quorum-w2-r4.yaml")));
  assert.equal(leaderless.length, 1);
  assert.match(leaderless[0], /leaderless.*no PostgreSQL \+ Patroni equivalent/);
  assert.match(refusals(scenarioFrom(join(root, "scenarios/multi-leader-partition-lww.yaml")))[0], /multi-leader/);
  assert.match(refusals(scenarioFrom(join(root, "scenarios/consensus-region-loss.yaml")))[0], /consensus/);
  const outcome = planLive(scenarioFrom(join(root, "scenarios/quorum-w2-r4.yaml")), { patroniVersion: PATRONI_3 });
  assert.equal(outcome.ok, false);
});

test("a MongoDB replica set with an arbiter is refused with that one reason (P-S-A cannot run on Patroni)", () => {
  const reasons = refusals(scenarioFrom(join(root, "scenarios/mongodb-arbiter-rollback.yaml")));
  assert.equal(reasons.length, 1, reasons.join("\n"));
  assert.match(reasons[0], /^the arbiter arbiter \(a MongoDB member that votes and holds no data\): .*P-S-A\) cannot run on Patroni/);
  const outcome = planLive(scenarioFrom(join(root, "scenarios/mongodb-arbiter-rollback.yaml")), { patroniVersion: PATRONI_3 });
  assert.equal(outcome.ok, false);
});

test("a synchronous standby in another region is refused: loopback has no cross-region latency", () => {
  const reasons = refusals(scenarioFrom(join(root, "scenarios/sync-replica-cross-region.yaml")));
  assert.equal(reasons.length, 1);
  assert.match(reasons[0], /pg-w is in region us-west, 35 ms one way \(median\) from the leader in us-east, and may be a synchronous standby and may be promoted: loopback cannot reproduce cross-region latency/);
});

test("manual failover, heartbeat detection, too many nodes and too long a run are refused", () => {
  assert.match(refusals(scenarioFrom(join(root, "scenarios/manual-failover.yaml"))).join(" "), /manual failover/);
  const heartbeat = inline({ failover: "{ detection: { heartbeat: 1s, misses: 3 } }" });
  assert.match(refusals(heartbeat).join(" "), /heartbeats.*Patroni uses a leader lease/);
  const many = inline({ nodes: "{ n1: { zone: r/a, role: leader }, n2: { zone: r/b }, n3: { zone: r/c }, n4: { zone: r/a }, n5: { zone: r/b }, n6: { zone: r/c } }" });
  assert.match(refusals(many).join(" "), /6 nodes: the live mode starts at most 5/);
});

test("a scenario with nothing injectable is refused, naming what was skipped", () => {
  const outcome = planLive(inline({ faults: "[ { at: 10s, partition: [[n1], [n2, n3]], for: 5s } ]" }), { patroniVersion: PATRONI_3 });
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && /nothing to measure live: none of its faults can be injected live \(partition: network partitions/.test(outcome.reasons[0]));
});

// (A recover of a node that is up is refused when the file loads, so it never reaches the live plan.)
test("faults: crash for → crash + recover, stall for → stall + resume, the rest skipped with reasons", () => {
  const scenario = inline({
    faults: `[ { at: 5s, stall: n1, for: 2s }, { at: 10s, crash: n1, for: 8s }, { at: 12s, latency: { between: [[n2], [n3]], add: 5ms }, for: 3s },
              { at: 15s, lose: r/c }, { at: 20s, crash: n2 }, { at: 30s, recover: n2 }, { at: 31s, stall: n3 } ]`,
  });
  const { faults, skipped } = mapFaults(scenario);
  assert.deepEqual(faults, [
    { atMs: 5000, kind: "stall", node: "n1", forMs: 2000 },
    { atMs: 7000, kind: "resume", node: "n1" },
    { atMs: 10_000, kind: "crash", node: "n1" },
    { atMs: 18_000, kind: "recover", node: "n1" },
    { atMs: 20_000, kind: "crash", node: "n2" },
    { atMs: 30_000, kind: "recover", node: "n2" },
    { atMs: 31_000, kind: "stall", node: "n3", forMs: null },
    { atMs: 40_000, kind: "resume", node: "n3" },
  ]);
  assert.deepEqual(
    skipped.map((s) => [s.kind, s.target]),
    [
      ["latency", "n2 ↔ n3"],
      ["lose", "r/c"],
    ],
  );
  assert.match(skipped[0].reason, /netem/);
  assert.match(skipped[1].reason, /clients/);
});

test("the simulated side runs the scenario as it runs live: skipped faults removed", () => {
  const scenario = inline({ faults: "[ { at: 10s, crash: n1 }, { at: 12s, partition: [[n2], [n3]], for: 5s } ]" });
  const outcome = planLive(scenario, { patroniVersion: PATRONI_3 });
  assert.ok(outcome.ok);
  assert.deepEqual(
    outcome.plan.simulated.faults.map((f) => f.kind),
    ["crash"],
  );
  assert.equal(outcome.plan.scenario.faults.length, 2, "the original scenario is untouched");
});

test("the writer's rate is capped for two cores, and the output says so", () => {
  const outcome = planLive(inline({ extra: "50000" }), { patroniVersion: PATRONI_3 });
  assert.ok(outcome.ok);
  const total = outcome.plan.writer.classes.reduce((s, c) => s + c.writesPerSecond, 0);
  assert.equal(total, LIVE_LIMITS.writesPerSecond);
  assert.ok(outcome.plan.notes.some((n) => /50,000 writes\/s are capped at 2,000\/s/.test(n)));
});

test("every bundled live scenario maps without refusal", () => {
  for (const file of ["leader-crash", "leader-crash-defaults", "stall-then-crash-async", "stall-then-crash-sync"]) {
    const plan = planOf(`scenarios/live/${file}.yaml`);
    assert.ok(plan.faults.some((f) => f.kind === "crash"), file);
  }
});

test("a wal_sender_timeout the file sets reaches PostgreSQL's parameters; without one the cluster runs with PostgreSQL's 60 s", () => {
  const set = planLive(inline({ replication: "{ mode: leader-follower, wal_sender_timeout: 15s, synchronous: { standbys: 'ANY 1 (n2, n3)', strict: true } }" }), { patroniVersion: PATRONI_3 });
  assert.ok(set.ok);
  assert.equal(set.plan.parameters.wal_sender_timeout, "15000ms");
  const unset = planLive(inline(), { patroniVersion: PATRONI_3 });
  assert.ok(unset.ok);
  assert.equal(unset.plan.parameters.wal_sender_timeout, "60000ms");
});

test("on Patroni 3.2 and later a 10 s lease is configured and simulated at the floors that release runs, and said so", () => {
  const PATRONI_32: Version = [3, 2, 2];
  const outcome = planLive(inline(), { patroniVersion: PATRONI_32 });
  assert.ok(outcome.ok);
  const { plan } = outcome;
  assert.deepEqual([plan.dcs.ttl, plan.dcs.loop_wait, plan.dcs.retry_timeout], [20, 2, 3], "patroni.yml states the ttl Patroni 3.2 runs");
  assert.deepEqual(plan.simulated.topology.failover.detection, { kind: "lease", ttlMs: 20_000, loopWaitMs: 2000, retryTimeoutMs: 3000 });
  assert.equal(plan.simulated.topology.derived.detection.ttlMs, 20_000, "the engine's derived lease follows");
  assert.equal(plan.adjustments.length, 1);
  assert.match(plan.adjustments[0], /^Patroni 3\.2\.2 raises ttl 10s → 20s \(3\.2 and later hold ttl ≥ 20s, loop_wait ≥ 1s, retry_timeout ≥ 3s/);
  assert.match(plan.adjustments[0], /detected 18s–20s after it fails on both sides, not 8s–10s/);
  // Patroni 4 too; Patroni 3.0.2 (this machine's) runs the file's values, unchanged.
  const four = planLive(inline(), { patroniVersion: PATRONI_4 });
  assert.ok(four.ok);
  assert.equal(four.plan.dcs.ttl, 20);
  const three = planLive(inline(), { patroniVersion: PATRONI_3 });
  assert.ok(three.ok);
  assert.deepEqual([three.plan.dcs.ttl, three.plan.dcs.loop_wait, three.plan.dcs.retry_timeout], [10, 2, 3]);
  assert.deepEqual(three.plan.adjustments, []);
  assert.equal(three.plan.simulated.topology.failover.detection.kind === "lease" && three.plan.simulated.topology.failover.detection.ttlMs, 10_000);
});

test("on Patroni 3.2 the floors come first and the rule loop_wait + 2 × retry_timeout ≤ ttl after them", () => {
  // Before 3.2 the rule lowers 4s + 2 × 5s > 10s; from 3.2 the ttl is raised to 20 s first and 4s + 2 × 5s fits.
  const scenario = inline({ failover: "{ detection: { ttl: 10s, loop_wait: 4s, retry_timeout: 5s } }" });
  const outcome = planLive(scenario, { patroniVersion: [3, 2, 0] });
  assert.ok(outcome.ok);
  assert.deepEqual([outcome.plan.dcs.ttl, outcome.plan.dcs.loop_wait, outcome.plan.dcs.retry_timeout], [20, 4, 5]);
  assert.equal(outcome.plan.adjustments.length, 1, outcome.plan.adjustments.join("\n"));
  // A retry_timeout under its floor is raised, and a lease Patroni 3.1 could not run at all is run at the floors.
  const short = planLive(inline({ failover: "{ detection: { ttl: 2s, loop_wait: 2s, retry_timeout: 1s } }" }), { patroniVersion: [4, 0, 4] });
  assert.ok(short.ok, "3.2 and later raise a 2 s lease rather than refuse it");
  assert.deepEqual([short.plan.dcs.ttl, short.plan.dcs.loop_wait, short.plan.dcs.retry_timeout], [20, 2, 3]);
  assert.match(short.plan.adjustments.join(" "), /raises ttl 2s → 20s, retry_timeout 1s → 3s/);
  assert.equal(planLive(inline({ failover: "{ detection: { ttl: 2s, loop_wait: 2s, retry_timeout: 1s } }" }), { patroniVersion: PATRONI_3 }).ok, false);
  // Timings at or above the floors are not touched.
  const defaults = planLive(inline({ failover: "{ detection: { ttl: 30s, loop_wait: 10s, retry_timeout: 10s } }" }), { patroniVersion: PATRONI_4 });
  assert.ok(defaults.ok);
  assert.deepEqual(defaults.plan.adjustments, []);
  assert.deepEqual([defaults.plan.dcs.ttl, defaults.plan.dcs.loop_wait, defaults.plan.dcs.retry_timeout], [30, 10, 10]);
});
