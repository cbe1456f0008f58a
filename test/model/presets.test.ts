// Presets and defaults: a minimal topology resolves with every documented
// default; each preset fills the real system's values; keys written
// in a file override the preset one by one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PRESETS, DEFAULT_PRESET } from "../../src/model/presets.js";
import { presetNames } from "../../src/model/schema.js";
import { failoverBudget } from "../../src/base/failover-timing.js";
import type { ResolvedTopology } from "../../src/model/types.js";
import { loads, scenario, topology } from "./helpers.js";

/** Asserts that `actual` has every key of `expected` with equal values (deeply); other keys are ignored. */
function assertSubset(actual: unknown, expected: unknown, path = "$"): void {
  if (expected === null || typeof expected !== "object") {
    assert.deepEqual(actual, expected, path);
    return;
  }
  assert.ok(actual !== null && typeof actual === "object", `${path}: expected an object, got ${JSON.stringify(actual)}`);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
  }
  for (const [key, value] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

const MINIMAL = `kind: topology
name: minimal
regions:
  r: { zones: [a, b] }
nodes:
  a: { zone: r/a }
  b: { zone: r/b }
replication: { mode: leader-follower }
data_classes:
  c: { rpo: 0, rto: 30s }
`;

function resolve(text: string): ResolvedTopology {
  const loaded = loads(text);
  assert.equal(loaded.kind, "topology");
  return (loaded as { topology: ResolvedTopology }).topology;
}

/** TOPOLOGY with a preset and extra lines after `replication.mode`. */
function withPreset(preset: string, mode = "leader-follower", replication: string[] = [], rest: string[] = []): string {
  return topology({ 2: `name: small\npreset: ${preset}`, 10: [`  mode: ${mode}`, ...replication].join("\n") }, rest);
}

// ---------------------------------------------------------------------------
// Defaults

test("a minimal topology (kind, name, regions, nodes, replication.mode, data_classes) resolves with every documented default", () => {
  const t = resolve(MINIMAL);
  assertSubset(t, {
    name: "minimal",
    description: null,
    preset: DEFAULT_PRESET,
    regions: { r: ["a", "b"] },
    network: { sameZone: { median: 0.2, p99: 1 }, crossZone: { median: 0.5, p99: 2 }, crossRegion: { median: 35, p99: 80 } },
    fsync: { median: 0.2, p99: 2 },
    leader: "a",
    nodes: [
      { name: "a", index: 0, region: "r", zone: "r/a", role: "leader", nofailover: false, nosync: false, failoverPriority: 1, applyRate: 20_000 },
      { name: "b", index: 1, region: "r", zone: "r/b", role: "replica", nofailover: false, nosync: false, failoverPriority: 1, applyRate: 20_000 },
    ],
    replication: { mode: "leader-follower", sync: null, applyRate: 20_000, batchMs: 0 },
    failover: {
      mode: "automatic",
      operatorDelayMs: 15 * 60_000,
      detection: { kind: "lease", ttlMs: 30_000, loopWaitMs: 10_000, retryTimeoutMs: 10_000 },
      coordinator: ["r"],
      fencing: "lease",
      fencingMs: 0,
      election: "highest-lsn",
      electionMs: 200,
      maximumLagBytes: 1_048_576,
      laggingCandidates: "wait",
      promotionMs: 100,
      endpoint: { kind: "proxy", checkIntervalMs: 3000, checkTimeoutMs: 1000, rise: 2, fall: 3 },
      reconnect: { backoffMs: 100, maxMs: 5000, jitter: "full" },
      acceptRate: 500,
      restream: { kind: "patroni" },
    },
    backups: null,
    dataClasses: [{ name: "c", index: 0, rpoMs: 0, rtoMs: 30_000, share: 1, consistency: "eventual", commit: "on", reads: { kind: "any" }, r: null, w: null }],
    ignore: [],
  });
});

test("defaults that follow from other keys: reads from consistency, shares split the rest, the leader is the first node", () => {
  const t = resolve(
    MINIMAL.replace("  c: { rpo: 0, rto: 30s }", "  s: { rpo: 0, rto: 30s, consistency: strong, share: 40% }\n  y: { rpo: 0, rto: 30s, consistency: read-your-writes }\n  e: { rpo: 1m, rto: 5m }"),
  );
  assert.deepEqual(
    t.dataClasses.map((c) => [c.name, c.reads.kind, c.share]),
    [
      ["s", "leader", 0.4],
      ["y", "session", 0.3],
      ["e", "any", 0.3],
    ],
  );
  assert.equal(t.leader, "a");
});

test("backups: an empty block, and a WAL archive with a drill and logical dumps, take the documented defaults", () => {
  assertSubset(resolve(topology({}, ["backups: {}"])).backups, {
    walArchive: { mode: "none", archiveTimeoutMs: 60_000, everyMs: 300_000, region: null },
    baseBackups: null,
    pitrWindowMs: 0,
    restore: { throughputBytes: 200 * 1_048_576, walReplayBytes: 50 * 1_048_576, dataSizeBytes: 100 * 1024 ** 3, mergeBytes: 50 * 1_048_576 },
    detectionMs: 0,
    drill: null,
    logical: null,
    auditLog: false,
    guards: { unqualifiedDml: "allow" },
  });
  assertSubset(resolve(topology({}, ["backups: { wal_archive: {}, drill: {}, logical: { classes: [ledger] } }"])).backups, {
    walArchive: { mode: "continuous" },
    pitrWindowMs: 7 * 86_400_000,
    drill: { everyMs: 30 * 86_400_000, last: null },
    logical: { classes: ["ledger"], everyMs: 86_400_000, retainMs: 90 * 86_400_000, restoreBytes: 50 * 1_048_576 },
  });
  // An archive written out as off is no archive: no default window.
  assertSubset(resolve(topology({}, ["backups: { wal_archive: { mode: none } }"])).backups, { walArchive: { mode: "none" }, pitrWindowMs: 0 });
});

test("backups: a logical restore and a merge push rows through SQL, a quarter of the copy's throughput unless given", () => {
  const derived = resolve(topology({}, ["backups: { restore: { throughput: 1GB/s }, logical: { classes: [ledger] } }"])).backups;
  assert.equal(derived?.restore.mergeBytes, 256 * 1_048_576);
  assert.equal(derived?.logical?.restoreBytes, 256 * 1_048_576);
  const given = resolve(topology({}, ["backups: { restore: { throughput: 1GB/s, merge: 100MB/s }, logical: { classes: [ledger], restore: 40MB/s } }"])).backups;
  assert.equal(given?.restore.mergeBytes, 100 * 1_048_576);
  assert.equal(given?.logical?.restoreBytes, 40 * 1_048_576);
});

test("a minimal scenario resolves with the documented workload defaults", () => {
  const loaded = loads(scenario([], { workload: "{ writes: 100 }" }));
  assert.equal(loaded.kind, "scenario");
  const s = (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
  assertSubset(s, {
    seed: 1,
    durationMs: 60_000,
    workload: { writes: 100, reads: 0, clients: 100, keys: 10_000, writeSizeBytes: 1024, timeoutMs: 1000, zones: ["us-east/a", "us-east/b", "us-east/c"] },
    faults: [],
    expect: {},
    ignore: [],
    topologyFile: null,
  });
});

test("faults are sorted by time, ties kept in file order", () => {
  const loaded = loads(scenario(["faults:", "  - { at: 30s, crash: pg-a }", "  - { at: 10s, stall: pg-b, for: 2s }", "  - { at: 10s, slow: pg-c, apply_rate: 100 }"]));
  const s = (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
  assert.deepEqual(
    s.faults.map((f) => [f.atMs, f.kind]),
    [
      [10_000, "stall"],
      [10_000, "slow"],
      [30_000, "crash"],
    ],
  );
});

// ---------------------------------------------------------------------------
// Presets

test("preset: patroni fills Patroni's defaults (ttl 30s, loop_wait 10s, retry_timeout 10s, 1 MiB lag limit, HAProxy checks)", () => {
  const t = resolve(withPreset("patroni"));
  assert.equal(t.preset, "patroni");
  assert.deepEqual(t.failover.detection, { kind: "lease", ttlMs: 30_000, loopWaitMs: 10_000, retryTimeoutMs: 10_000 });
  assert.equal(t.failover.maximumLagBytes, 1_048_576);
  assert.deepEqual(t.failover.endpoint, { kind: "proxy", checkIntervalMs: 3000, checkTimeoutMs: 1000, rise: 2, fall: 3 });
  assert.equal(t.failover.fencing, "lease");
  // Patroni's rule for its own defaults: loop_wait + 2 × retry_timeout ≤ ttl.
  const d = t.failover.detection;
  assert.ok(d.kind === "lease" && d.loopWaitMs + 2 * d.retryTimeoutMs <= d.ttlMs);
  // synchronous_mode is off by default: no synchronous standby unless one is written.
  assert.equal(t.replication.mode === "leader-follower" && t.replication.sync, null);
});

test("preset: patroni with a synchronous block takes synchronous_mode_strict false, commit on, and managed standbys", () => {
  const t = resolve(withPreset("patroni", "leader-follower", ['  synchronous: { standbys: "ANY 1 (pg-b, pg-c)" }']));
  assert.ok(t.replication.mode === "leader-follower" && t.replication.sync);
  assertSubset(t.replication.sync, { method: "any", count: 1, names: ["pg-b", "pg-c"], commit: "on", strict: false, managed: true });
});

test("explicit keys override the preset one by one: detection ttl 40s keeps loop_wait and retry_timeout from the preset", () => {
  const t = resolve(withPreset("patroni", "leader-follower", [], ["failover:", "  detection: { ttl: 40s }"]));
  assert.deepEqual(t.failover.detection, { kind: "lease", ttlMs: 40_000, loopWaitMs: 10_000, retryTimeoutMs: 10_000 });
  const tuned = resolve(withPreset("patroni", "leader-follower", [], ["failover:", "  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }", "  endpoint: { kind: proxy, check_interval: 1s }"]));
  assert.deepEqual(tuned.failover.detection, { kind: "lease", ttlMs: 10_000, loopWaitMs: 2000, retryTimeoutMs: 3000 });
  // The endpoint keeps the preset's check_timeout, rise and fall.
  assert.deepEqual(tuned.failover.endpoint, { kind: "proxy", checkIntervalMs: 1000, checkTimeoutMs: 1000, rise: 2, fall: 3 });
});

// Patroni enforces loop_wait + 2 × retry_timeout ≤ ttl when it loads its settings (config.py,
// _validate_and_adjust_timeouts), with a warning, never a refusal: it lowers loop_wait to ttl − 2 × retry_timeout,
// or, when a 1 s loop does not fit either, runs loop_wait 1 s and retry_timeout (ttl − 1) // 2.
test("a lease too short for its loop runs with the timings Patroni lowers it to, keeping the stated ones (found by a review: ttl 5s with loop_wait 10s failed over with no fault)", () => {
  const lease = (detection: string) => resolve(withPreset("patroni", "leader-follower", [], ["failover:", `  detection: ${detection}`])).failover.detection;
  assert.deepEqual(lease("{ ttl: 5s, loop_wait: 10s, retry_timeout: 3s }"), { kind: "lease", ttlMs: 5000, loopWaitMs: 1000, retryTimeoutMs: 2000, given: { loopWaitMs: 10_000, retryTimeoutMs: 3000 } });
  assert.deepEqual(lease("{ ttl: 20s, loop_wait: 15s, retry_timeout: 5s }"), { kind: "lease", ttlMs: 20_000, loopWaitMs: 10_000, retryTimeoutMs: 5000, given: { loopWaitMs: 15_000, retryTimeoutMs: 5000 } });
  // A ttl alone keeps the preset's 10 s and 10 s, which a 10 s lease cannot hold: 1 s and (10 − 1) // 2 = 4 s.
  assert.deepEqual(lease("{ ttl: 10s }"), { kind: "lease", ttlMs: 10_000, loopWaitMs: 1000, retryTimeoutMs: 4000, given: { loopWaitMs: 10_000, retryTimeoutMs: 10_000 } });
  // Timings that keep the rule run as stated.
  assert.deepEqual(lease("{ ttl: 10s, loop_wait: 2s, retry_timeout: 3s }"), { kind: "lease", ttlMs: 10_000, loopWaitMs: 2000, retryTimeoutMs: 3000 });
});

test("preset: mysql-semisync promotes the most advanced replica however far behind (Orchestrator's FailMasterPromotionOnLagMinutes is 0); an explicit setting stays", () => {
  assert.equal(resolve(withPreset("mysql-semisync")).failover.laggingCandidates, "promote");
  assert.equal(resolve(withPreset("mysql-semisync", "leader-follower", [], ["failover:", "  lagging_candidates: wait"])).failover.laggingCandidates, "wait");
  // Patroni's guard stays Patroni's.
  assert.equal(resolve(withPreset("patroni")).failover.laggingCandidates, "wait");
});

test("an override of another kind starts from built-in defaults: a DNS endpoint on the patroni preset", () => {
  const t = resolve(withPreset("patroni", "leader-follower", [], ["failover:", "  endpoint: { kind: dns, ttl: 5s }"]));
  assert.deepEqual(t.failover.endpoint, { kind: "dns", ttlMs: 5000, staleShare: 0, staleForMs: 0 });
});

test("every preset name resolves, and fills its own failover settings", () => {
  for (const name of presetNames) {
    const t = resolve(withPreset(name));
    assert.equal(t.preset, name);
    const { coordinator, ...expected } = PRESETS[name].failover;
    const { coordinator: actualCoordinator, ...actual } = t.failover;
    void coordinator;
    assert.deepEqual(actual, expected, name);
    assert.deepEqual(actualCoordinator, ["us-east"], `${name}: the coordinator defaults to the leader's region`);
  }
});

test("preset: postgres-manual is a human failover: manual, 15 minutes, DNS with a 60s TTL, no fencing", () => {
  const f = resolve(withPreset("postgres-manual")).failover;
  assertSubset(f, { mode: "manual", operatorDelayMs: 15 * 60_000, fencing: "none", endpoint: { kind: "dns", ttlMs: 60_000 } });
});

test("preset: mysql-semisync waits 10 s for an ack (rpl_semi_sync_source_timeout), then degrades to async", () => {
  const t = resolve(withPreset("mysql-semisync", "leader-follower", ['  synchronous: { standbys: "ANY 1 (pg-b, pg-c)" }']));
  assert.ok(t.replication.mode === "leader-follower" && t.replication.sync);
  assertSubset(t.replication.sync, { strict: false, degradeAfterMs: 10_000, commit: "remote_write" });
});

test("preset: mongodb writes with w: majority (implicit), heartbeats every 2 s, election timeout 10 s", () => {
  const t = resolve(withPreset("mongodb"));
  assert.ok(t.replication.mode === "leader-follower" && t.replication.sync);
  assertSubset(t.replication.sync, { method: "any", count: 1, names: ["pg-b", "pg-c"], strict: true });
  // A secondary's election timer: electionTimeoutMillis plus a random offset of at most 15% of it.
  assert.deepEqual(t.failover.detection, { kind: "heartbeat", intervalMs: 2000, misses: 5, randomizedMs: 1500 });
});

test("election timers are randomized as far as the preset's system does: etcd [T, 2T), MongoDB [T, 1.15 T]", () => {
  const consensus = (preset: string, extra = "") => {
    const t = resolve(withPreset(preset, "consensus", extra === "" ? [] : [`  ${extra}`]));
    assert.ok(t.replication.mode === "consensus" && t.failover.detection.kind === "heartbeat");
    return { timeoutMs: t.replication.electionTimeoutMs, extraMs: t.failover.detection.randomizedMs };
  };
  assert.deepEqual(consensus("etcd-raft"), { timeoutMs: 1000, extraMs: 1000 });
  assert.deepEqual(consensus("mongodb"), { timeoutMs: 10_000, extraMs: 1500 });
  // The share follows the preset when the file sets its own timeout.
  assert.deepEqual(consensus("mongodb", "election_timeout: 4s"), { timeoutMs: 4000, extraMs: 600 });
  assert.deepEqual(consensus("etcd-raft", "election_timeout: 4s"), { timeoutMs: 4000, extraMs: 4000 });
  // Heartbeats a leader/follower file gives keep the preset's share (what `init --preset mongodb` writes).
  const given = resolve(withPreset("mongodb", "leader-follower", [], ["failover: { detection: { heartbeat: 1s, misses: 4 } }"]));
  assert.deepEqual(given.failover.detection, { kind: "heartbeat", intervalMs: 1000, misses: 4, randomizedMs: 600 });
  // The lint's budget reads the same range.
  const t = resolve(withPreset("mongodb", "consensus"));
  const detect = failoverBudget(t.failover).phases.find((p) => p.phase === "detect")!;
  assert.equal(detect.maxMs, 11_500);
});

test("presets with implicit majority writes: rds-multi-az, etcd-raft", () => {
  for (const name of ["rds-multi-az", "etcd-raft"] as const) {
    const t = resolve(withPreset(name));
    assert.ok(t.replication.mode === "leader-follower" && t.replication.sync, name);
    assert.equal(t.replication.sync.count, 1, name);
  }
});

test("preset: aurora's commits wait for its shared volume, not its readers (found by a review: the readers were synchronous standbys, so a slow reader slowed every commit)", () => {
  const t = resolve(withPreset("aurora"));
  assert.ok(t.replication.mode === "leader-follower");
  assert.equal(t.replication.sync, null, "the readers replay asynchronously");
  assert.equal(t.derived.system.sharedStorage, true);
});

test("preset: cassandra fills n, w, r (RF 3, LOCAL_QUORUM), a 3h hint window and read repair when only the mode is given", () => {
  const t = resolve(withPreset("cassandra", "leaderless"));
  assertSubset(t.replication, { mode: "leaderless", n: 3, w: 2, r: 2, sloppyQuorum: false, hintWindowMs: 3 * 3_600_000, readRepair: true, conflict: "lww" });
  assert.equal(t.leader, null);
});

test("preset: dynamo fills (N, R, W) = (3, 2, 2), a sloppy quorum and vector clocks", () => {
  assertSubset(resolve(withPreset("dynamo", "leaderless")).replication, { n: 3, w: 2, r: 2, sloppyQuorum: true, conflict: "vector-clock" });
});

test("leaderless defaults shrink with the cluster: two nodes give n = 2 and majority quorums of 2", () => {
  const text = withPreset("cassandra", "leaderless").replace("  pg-c: { zone: us-east/c }\n", "");
  assertSubset(resolve(text).replication, { n: 2, w: 2, r: 2 });
});

test("explicit leaderless keys override the preset", () => {
  assertSubset(resolve(withPreset("dynamo", "leaderless", ["  w: 3", "  sloppy_quorum: false"])).replication, { n: 3, w: 3, r: 2, sloppyQuorum: false });
});

test("preset: etcd-raft fills a 1 s election timeout and 100 ms heartbeats; members default to the regions with nodes", () => {
  assertSubset(resolve(withPreset("etcd-raft", "consensus")).replication, { mode: "consensus", members: ["us-east"], electionTimeoutMs: 1000, heartbeatMs: 100 });
});

test("multi-leader: leaders default to every region with a node, and need two", () => {
  const two = topology({ 4: "  us-east: { zones: [a, b, c] }\n  eu-west: { zones: [a] }", 8: "  pg-c: { zone: eu-west/a }", 10: "  mode: multi-leader" });
  assertSubset(resolve(two).replication, { mode: "multi-leader", leaders: ["us-east", "eu-west"], conflict: "lww", routing: "any" });
});

test("the default preset is patroni, the material's example", () => {
  assert.equal(DEFAULT_PRESET, "patroni");
  assert.equal(resolve(MINIMAL).preset, "patroni");
});

test("consensus: a candidate's votes take a majority's round trip from where the members are, not always a cross-region one (found by a review: 70 ms to elect among three zones 0.5 ms apart)", () => {
  const oneRegion = resolve(withPreset("etcd-raft", "consensus"));
  // Three members in three zones of one region: the nearest other member answers within a cross-zone round trip (2 × 0.5 ms),
  // once for etcd's pre-vote and once for the vote.
  assert.equal(oneRegion.failover.electionMs, 2);
  const text = `kind: topology
name: spread
preset: etcd-raft
regions: { east: { zones: [a] }, west: { zones: [a] }, eu: { zones: [a] } }
network: { cross-region: { median: 40, p99: 90 } }
nodes: { e: { zone: east/a, role: leader }, w: { zone: west/a }, u: { zone: eu/a } }
replication: { mode: consensus }
data_classes: { kv: { rpo: 0, rto: 30s, share: 1 } }
`;
  // One member per region: the nearest other region's round trip, for the pre-vote and the vote.
  assert.equal(resolve(text).failover.electionMs, 160);
});
