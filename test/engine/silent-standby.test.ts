// A synchronous standby that goes silent — its host crashes, or a partition cuts it off — resets no connection:
// the leader's WAL sender stays in pg_stat_replication, and a FIRST/ANY rule keeps waiting for it, until
// wal_sender_timeout (60 s) passes without a reply. Patroni names only members it finds in the DCS, so it drops a
// dead one sooner, when its member key expires (ttl after its last HA loop). Found by a review: the leader dropped
// a crashed or cut-off standby at its next HA loop (about a second), so a standby's loss cost almost no writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

/** a leads; b (FIRST in the list) and w may be its synchronous standby; ttl 10 s, loop_wait 2 s. */
function twoStandbys(preset: string, fault: string): string {
  return `kind: scenario
name: silent-standby
seed: 1
duration: 150s
topology:
  kind: topology
  name: t
  preset: ${preset}
  regions:
    us-east: { zones: [a, b, c] }
    us-west: { zones: [a] }
  network:
    same-zone: { constant: 0.2 }
    cross-zone: { constant: 0.5 }
    cross-region: { constant: 40 }
  storage: { fsync: { constant: 1 } }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-east/b }
    db-w: { zone: us-west/a }
  replication:
    mode: leader-follower
    synchronous: { standbys: "FIRST 1 (db-b, db-w)", commit: on, strict: true }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [us-east/c]
    fencing: lease
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    orders: { rpo: 0, rto: 30s, share: 1 }
workload: { writes: 200, reads: 0, clients: 50, keys: 10000, zones: [us-east/a] }
faults:
  - ${fault}
`;
}

const switchAfterMs = (preset: string, fault: string) => {
  const r = simulate(scenarioText(twoStandbys(preset, fault)));
  const [named] = factsOf(r.timeline, "sync-standby");
  assert.ok(named !== undefined && named.standbys.join() === "db-w", JSON.stringify(factsOf(r.timeline, "sync-standby")));
  return { afterMs: named.atMs - 20_000, unavailableMs: r.totals.writeUnavailableMs };
};

test("Patroni: a crashed synchronous standby is replaced once its member key expires (ttl), not at the next HA loop", () => {
  const { afterMs, unavailableMs } = switchAfterMs("patroni", "{ at: 20s, crash: db-b }");
  // Its key was refreshed 0-2 s before the crash and lives 10 s; the leader's next loop comes within 2 s more.
  assert.ok(afterMs >= 8000 && afterMs <= 12_000, `switched ${afterMs} ms after the crash`);
  assert.ok(unavailableMs >= 8000 && unavailableMs <= 12_500, `writes unavailable ${unavailableMs} ms`);
});

test("Patroni: a standby cut off from the leader but not from the DCS is kept until wal_sender_timeout (60 s)", () => {
  const { afterMs, unavailableMs } = switchAfterMs("patroni", "{ at: 20s, partition: [[db-a], [db-b]], for: 90s }");
  assert.ok(afterMs >= 60_000 && afterMs <= 62_000, `switched ${afterMs} ms after the partition`);
  assert.ok(unavailableMs >= 60_000 && unavailableMs <= 62_500, `writes unavailable ${unavailableMs} ms`);
});

test("a partition shorter than wal_sender_timeout: commits wait for the standby until it heals, and nothing is renamed", () => {
  const r = simulate(scenarioText(twoStandbys("patroni", "{ at: 20s, partition: [[db-a], [db-b]], for: 20s }")));
  assert.deepEqual(factsOf(r.timeline, "sync-standby"), []);
  assert.ok(r.totals.writeUnavailableMs >= 19_000 && r.totals.writeUnavailableMs <= 21_000, `writes unavailable ${r.totals.writeUnavailableMs} ms`);
  assert.equal(r.totals.writesLost, 0);
});

test("PostgreSQL without a manager: a crashed FIRST standby is passed over only when its WAL sender times out", () => {
  const { afterMs } = switchAfterMs("postgres-manual", "{ at: 20s, crash: db-b }");
  // PostgreSQL moves on to the next FIRST standby as the WAL sender times out (60 s), not at anybody's loop.
  assert.ok(afterMs >= 60_000 && afterMs <= 60_100, `switched ${afterMs} ms after the crash`);
});

test("a replica stopped on purpose (a rebuild) closes its connection: the leader passes over it at its next HA loop", () => {
  const { afterMs } = switchAfterMs("patroni", "{ at: 20s, rebuild: db-b }");
  assert.ok(afterMs <= 2000, `switched ${afterMs} ms after the rebuild began`);
});

test("the timeline says why commits wait for a silent standby, and for how long at most", () => {
  // Cut off, still in the DCS: listed until wal_sender_timeout, 60 s after the partition.
  const cut = simulate(scenarioText(twoStandbys("patroni", "{ at: 20s, partition: [[db-a], [db-b]], for: 20s }")));
  const [wait] = factsOf(cut.timeline, "silent-standby");
  assert.ok(wait !== undefined, "no silent-standby fact");
  assert.deepEqual([wait.atMs, wait.standbys, wait.by, wait.listedForMs], [20_000, ["db-b"], "wal-sender-timeout", 60_000]);
  // Crashed: Patroni drops it when its member key expires, within ttl (10 s) of the crash; the leader names db-w after.
  const crash = simulate(scenarioText(twoStandbys("patroni", "{ at: 20s, crash: db-b }")));
  const [dead] = factsOf(crash.timeline, "silent-standby");
  assert.ok(dead !== undefined && dead.by === "member-key" && dead.listedForMs > 8000 && dead.listedForMs <= 10_000, JSON.stringify(dead));
  const [named] = factsOf(crash.timeline, "sync-standby");
  assert.ok(named.atMs >= dead.atMs + dead.listedForMs, "renamed before the key expired");
  // ANY 1 of two: the other standby still acknowledges, so nothing waits and nothing is said.
  const any = simulate(scenarioText(twoStandbys("patroni", "{ at: 20s, crash: db-b }").replace("FIRST 1 (db-b, db-w)", "ANY 1 (db-b, db-w)")));
  assert.deepEqual(factsOf(any.timeline, "silent-standby"), []);
  // A standby that is not synchronous (an async replica's crash) is no reason to wait either.
  const async = simulate(scenarioText(twoStandbys("patroni", "{ at: 20s, crash: db-w }")));
  assert.deepEqual(factsOf(async.timeline, "silent-standby"), []);
});

test("replication.wal_sender_timeout sets how long a static FIRST list waits for a silent standby (PostgreSQL's, 60 s by default)", () => {
  const stallMs = (timeout: string) => {
    const text = twoStandbys("postgres-manual", "{ at: 20s, crash: db-b }").replace("strict: true }", "strict: true, managed: false }").replace("  failover:", `    wal_sender_timeout: ${timeout}\n  failover:`);
    const r = simulate(scenarioText(text));
    const [named] = factsOf(r.timeline, "sync-standby");
    return named.atMs - 20_000;
  };
  // The list moves on to db-w the moment the WAL sender gives up: exactly the timeout after the crash.
  assert.equal(stallMs("20s"), 20_000);
  assert.equal(stallMs("5s"), 5_000);
});

test("wal_sender_timeout is refused for a system that is not PostgreSQL", () => {
  const text = twoStandbys("mysql-semisync", "{ at: 20s, crash: db-b }").replace("  failover:", "    wal_sender_timeout: 20s\n  failover:");
  assert.throws(() => scenarioText(text), /wal_sender_timeout is PostgreSQL's/);
});
