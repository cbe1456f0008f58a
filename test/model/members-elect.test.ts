// Where the data nodes elect their leader themselves (a MongoDB replica set,
// the etcd-raft preset in leader-follower mode) there is no external store: no
// etcd for `failover.coordinator` to place, no leader key for a `ttl` lease to
// expire. Found by a review: a MongoDB topology without arbiters took both and
// ignored the coordinator silently, and its report then spoke of etcd's
// leader key ("leader lease expired ... removed the key"). Each is refused on
// its own key, saying what to give instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertOne, diagnosticsOf, loads, topology } from "./helpers.js";

const mongo = (append: string[]) => topology({ 2: "name: small\npreset: mongodb" }, append);

test("MongoDB: failover.coordinator is an error at its key, saying the members elect the primary", () => {
  // The preset line pushes the file one line down: failover: is on line 14.
  const d = assertOne(mongo(["failover:", "  coordinator: us-east"]), 15, 3, /failover\.coordinator places an external store \(etcd\) that elects the primary, which a MongoDB replica set does not have/);
  assert.match(d.message, /its members elect the primary by a majority of their votes.*role: arbiter.*remove coordinator/);
  assertOne(mongo(["failover:", "  coordinator: [us-east/a, us-east/b, us-east/c]"]), 15, 3, /MongoDB replica set does not have/);
});

test("MongoDB: a ttl lease is an error at ttl, naming electionTimeoutMillis and the heartbeats to give instead", () => {
  const d = assertOne(mongo(["failover:", "  detection: { ttl: 20s }"]), 15, 16, /a leader lease \(ttl\) is held in an external store \(etcd\), which a MongoDB replica set does not have/);
  assert.match(d.message, /electionTimeoutMillis; give detection: \{ heartbeat: 2s, misses: 5 \} \(heartbeatIntervalMillis, and electionTimeoutMillis as heartbeat × misses\) instead/);
  // Both at once: two errors, one on each key.
  const both = diagnosticsOf(mongo(["failover:", "  coordinator: us-east", "  detection: { ttl: 20s }"]));
  assert.deepEqual(both.map((x) => [x.line, x.column]), [[15, 3], [16, 16]]);
  // MongoDB's own settings load.
  loads(mongo(["failover:", "  detection: { heartbeat: 1s, misses: 5 }"]));
});

test("an arbiter beside an external store's key: one error, on that key, not on the arbiter", () => {
  const text = mongo(["failover:", "  coordinator: us-east"]).replace("  pg-c: { zone: us-east/c }", "  arb: { zone: us-east/c, role: arbiter }");
  assertOne(text, 15, 3, /MongoDB replica set does not have/);
});

test("the etcd-raft preset in leader-follower mode: the same, in its own words", () => {
  const raft = (append: string[]) => topology({ 2: "name: small\npreset: etcd-raft" }, append);
  assertOne(raft(["failover:", "  coordinator: us-east"]), 15, 3, /which a Raft group \(the etcd-raft preset\) does not have/);
  assertOne(raft(["failover:", "  detection: { ttl: 20s }"]), 15, 16, /give detection: \{ heartbeat: 100ms, misses: 10 \} \(the election timeout is heartbeat × misses\)/);
});

test("Patroni keeps its store's keys", () => {
  loads(topology({}, ["failover:", "  coordinator: us-east", "  detection: { ttl: 20s }"]));
});
