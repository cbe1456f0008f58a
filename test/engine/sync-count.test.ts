// Patroni's synchronous_node_count is "up to": with fewer eligible standbys streaming it names those it has
// (FIRST len(picked), or ANY min(k, active) in quorum mode), down to one; strict mode blocks, and non-strict
// goes asynchronous, only when no standby it may name streams at all. A hand-written list (managed: false)
// keeps PostgreSQL's rule: FIRST 2 waits for two. Also: the timeline's writes-blocked facts, dated when commits
// stopped, and no zero-length "no majority" after a Raft election.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

/** p leads; near and c may be named (FIRST 2 (near, c) by default), far is nosync; Patroni's preset. */
function patroniFour(opts: { standbys?: string; strict: boolean; managed?: boolean; faults: string; duration?: string; cNosync?: boolean }): string {
  return `kind: scenario
name: sync-count
seed: 3
duration: ${opts.duration ?? "40s"}
workload: { writes: 200, reads: 0, clients: 100, keys: 100000, zones: [east/a] }
faults:
${opts.faults}
topology:
  kind: topology
  name: sync-count
  preset: patroni
  regions:
    east: { zones: [a, b, c] }
    west: { zones: [a] }
  network:
    same-zone: { constant: 0.2 }
    cross-zone: { constant: 0.5 }
    cross-region: { constant: 40 }
  storage: { fsync: { constant: 0.3 } }
  nodes:
    p: { zone: east/a, role: leader }
    near: { zone: east/b }
    far: { zone: west/a, nosync: true }
    c: { zone: east/c${opts.cNosync ? ", nosync: true" : ""} }
  replication:
    mode: leader-follower
    apply_rate: 20000
    synchronous: { standbys: "${opts.standbys ?? "FIRST 2 (near, c)"}", commit: on, strict: ${opts.strict}${opts.managed === undefined ? "" : `, managed: ${opts.managed}`} }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, east/b, east/c]
    fencing: lease
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 0, rto: 30s }
`;
}

const nearCrashes = "  - { at: 10s, crash: near }";

test("Patroni, strict, FIRST 2: losing one of the two sync standbys lowers the count to 1 instead of blocking writes", () => {
  const r = simulate(scenarioText(patroniFour({ strict: true, faults: nearCrashes })));
  assert.deepEqual(factsOf(r.timeline, "writes-blocked"), []);
  const [named] = factsOf(r.timeline, "sync-standby");
  assert.ok(named, "the leader names its standbys anew");
  assert.deepEqual(named.standbys, ["c"]);
  assert.equal(named.required, 1);
  assert.equal(named.configured, 2);
  // Commits wait for near's acknowledgement until the leader drops it: its WAL sender lingers (a host crash resets
  // no connection), and Patroni names only members in the DCS, whose keys expire ttl after their last HA loop. At
  // the leader's next loop after that (ttl 10 s, loop_wait 2 s: 8-12 s after the crash) it goes on with c alone.
  const orders = r.classes[0];
  assert.ok(orders.rto.writeMs !== null && orders.rto.writeMs >= 8000 && orders.rto.writeMs < 12_500, `write RTO ${orders.rto.writeMs}`);
  assert.ok(named.atMs - 10_000 >= 8000 && named.atMs - 10_000 <= 12_000, `named ${named.atMs - 10_000} ms after the crash`);
});

test("Patroni, non-strict, FIRST 2: losing one of the two keeps the leader synchronous with the other (no degrade)", () => {
  const r = simulate(scenarioText(patroniFour({ strict: false, faults: nearCrashes })));
  assert.deepEqual(factsOf(r.timeline, "degrade"), []);
  assert.deepEqual(factsOf(r.timeline, "sync-standby").map((f) => f.standbys), [["c"]]);
  // c is still waited for: a commit takes at least its round trip across zones (2 × 0.5 ms) plus its fsync.
  const p50 = r.classes[0].latency.writeP50Ms ?? 0;
  assert.ok(p50 >= 1.3, `p50 ${p50}`);
});

test("Patroni, non-strict: it goes asynchronous only when no standby it may name streams", () => {
  const r = simulate(scenarioText(patroniFour({ strict: false, cNosync: true, standbys: "FIRST 1 (near)", faults: nearCrashes })));
  const [degrade] = factsOf(r.timeline, "degrade");
  assert.ok(degrade, "the leader degrades");
  assert.equal(degrade.connected, 0);
});

test("Patroni: the count returns to 2 when the lost standby streams again", () => {
  const r = simulate(scenarioText(patroniFour({ strict: true, faults: "  - { at: 10s, crash: near, for: 10s }" })));
  const named = factsOf(r.timeline, "sync-standby");
  assert.deepEqual(named.map((f) => f.standbys), [["c"], ["near", "c"]]);
  assert.equal(named[1].required, undefined);
  assert.deepEqual(factsOf(r.timeline, "writes-blocked"), []);
});

test("Patroni, strict, after a failover: the new leader's commits resume once one eligible standby streams", () => {
  // near crashes for 10 s; p crashes at 20 s; c (the only published sync standby) is promoted. near streams from c
  // about 3.5 s after it is back: with the count lowered, it alone releases c's commits.
  const r = simulate(scenarioText(patroniFour({ strict: true, duration: "1m", faults: "  - { at: 10s, crash: near, for: 10s }\n  - { at: 20s, crash: p }" })));
  const [promote] = factsOf(r.timeline, "promote");
  assert.equal(promote.node, "c");
  const follow = factsOf(r.timeline, "follow").find((f) => f.node === "near" && f.leader === "c");
  assert.ok(follow, "near streams from c");
  const unblocked = factsOf(r.timeline, "writes-unblocked");
  assert.equal(unblocked.length, 1, JSON.stringify(unblocked));
  assert.equal(unblocked[0].atMs, follow.atMs);
  assert.deepEqual(unblocked[0].standbys, ["near"]);
  const orders = r.classes[0];
  assert.ok(orders.rto.writeMs !== null && orders.rto.writeMs < 20_000, `write RTO ${orders.rto.writeMs}`);
});

test("a hand-written list (managed: false) keeps PostgreSQL's rule: FIRST 2 waits for two, and strict mode blocks with one", () => {
  const r = simulate(scenarioText(patroniFour({ strict: true, managed: false, faults: nearCrashes, duration: "90s" })));
  const [blocked] = factsOf(r.timeline, "writes-blocked");
  assert.ok(blocked && blocked.reason === "too-few", JSON.stringify(blocked));
  // Dated at the crash; PostgreSQL itself drops near's WAL sender only after wal_sender_timeout (60 s).
  assert.equal(blocked.atMs, 10_000);
  assert.ok(blocked.noticedAfterMs !== undefined && blocked.noticedAfterMs >= 60_000 && blocked.noticedAfterMs <= 62_000, JSON.stringify(blocked));
  assert.equal(blocked.connected, 1);
  assert.equal(blocked.required, 2);
  assert.equal(r.classes[0].rto.writeMs, null);
});

test("Patroni quorum commit (ANY 2 of three): with one left, any 1 of it, and the election counts the lowered quorum", () => {
  // near and far crash (each dropped once its member key expires); p commits on c alone (ANY 1); p crashes: c, the only voter left, holds every acknowledged write.
  const text = patroniFour({ strict: true, standbys: "ANY 2 (near, c, far)", duration: "1m", faults: "  - { at: 10s, crash: near }\n  - { at: 25s, crash: far }\n  - { at: 45s, crash: p }" }).replace("far: { zone: west/a, nosync: true }", "far: { zone: west/a }");
  const r = simulate(scenarioText(text));
  const named = factsOf(r.timeline, "sync-standby");
  // ANY 2 of (c, far) after near's crash needs no new count; after far's, any 1 of c.
  assert.deepEqual(
    named.map((f) => [f.quorum, f.standbys.join(","), f.required, f.configured]),
    [[1, "c", 1, 2]],
  );
  const [promote] = factsOf(r.timeline, "promote");
  assert.ok(promote && promote.node === "c" && promote.lostAcked === 0, JSON.stringify(promote));
  assert.deepEqual(factsOf(r.timeline, "no-candidate"), []);
  assert.equal(r.classes[0].rpo.lostAckedWrites, 0);
});

test("strict mode: the block is dated when commits stopped (the standby's crash), not when the HA loop noticed", () => {
  const r = simulate(scenarioText(patroniFour({ strict: true, cNosync: true, standbys: "FIRST 1 (near)", duration: "1m", faults: "  - { at: 10s, crash: near, for: 20s }" })));
  const [crash] = factsOf(r.timeline, "crash");
  const [blocked] = factsOf(r.timeline, "writes-blocked");
  assert.ok(blocked, "writes block");
  assert.equal(blocked.atMs, crash.atMs);
  // Noticed once near's member key expired (ttl 10 s after its last HA loop) and the leader's next loop ran.
  assert.ok(blocked.noticedAfterMs !== undefined && blocked.noticedAfterMs >= 8000 && blocked.noticedAfterMs <= 12_000, JSON.stringify(blocked));
  const [unblocked] = factsOf(r.timeline, "writes-unblocked");
  // The block the timeline tells of is the write RTO the table measures.
  const writeMs = r.classes[0].rto.writeMs;
  assert.ok(writeMs !== null && Math.abs(unblocked.blockedMs - writeMs) <= 100, `blocked ${unblocked.blockedMs} ms, write RTO ${writeMs} ms`);
});

test("Raft: followers whose first AppendEntries arrive in one instant do not make a zero-length 'no majority' after the election", () => {
  const text = `kind: scenario
name: raft-crash1
topology:
  kind: topology
  name: raft5
  preset: etcd-raft
  regions: { r1: { zones: [a] }, r2: { zones: [a] }, r3: { zones: [a] }, r4: { zones: [a] }, r5: { zones: [a] } }
  network:
    same-zone: { constant: 0.5 }
    cross-region: { constant: 20 }
  storage: { fsync: { constant: 0.5 } }
  nodes:
    v1: { zone: r1/a, role: leader }
    v2: { zone: r2/a }
    v3: { zone: r3/a }
    v4: { zone: r4/a }
    v5: { zone: r5/a }
  replication: { mode: consensus, members: [r1, r2, r3, r4, r5], election_timeout: 1s, heartbeat: 100ms }
  failover:
    endpoint: { kind: proxy, check_interval: 100ms }
  data_classes:
    acc: { rpo: 0, rto: 30s, consistency: strong }
seed: 4
duration: 40s
workload: { writes: 100, reads: 100, clients: 50, zones: [r1/a, r2/a, r3/a, r4/a, r5/a] }
faults:
  - { at: 20s, crash: v1 }
`;
  for (const preset of ["etcd-raft", "mongodb"]) {
    const r = simulate(scenarioText(preset === "etcd-raft" ? text : text.replace("preset: etcd-raft", "preset: mongodb").replace(", election_timeout: 1s, heartbeat: 100ms", "")));
    assert.equal(factsOf(r.timeline, "promote").length, 1, preset);
    const blocks = r.timeline.filter((e) => e.event === "writes-blocked" || e.event === "writes-unblocked");
    assert.deepEqual(blocks, [], preset);
  }
});
