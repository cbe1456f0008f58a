// A partition that cuts off a standby whose host had already crashed changes nothing for the leader: the standby
// was lost when it crashed, and the leader that has dropped it (and gone asynchronous) does not count it again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

test("a partition around a standby that crashed earlier does not bring it back as the leader's synchronous standby (found by a review: 'synchronous replication restored (pg-b)' with pg-b down, and commits blocked for 20s)", () => {
  const r = simulate(
    scenarioText(`kind: scenario
name: partition-dead-standby
seed: 5
duration: 100s
workload: { writes: 300, reads: 0, clients: 90 }
faults:
  - { at: 10s, crash: pg-b }
  - { at: 60s, partition: [[east/b], [east/a, east/c]], for: 20s }
topology:
  kind: topology
  name: partition-dead-standby
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    pg-a: { zone: east/a, role: leader }
    pg-b: { zone: east/b }
    pg-c: { zone: east/c, nosync: true }
  replication:
    mode: leader-follower
    synchronous: { standbys: "FIRST 1 (pg-b)", commit: on, strict: false }
  failover:
    coordinator: [east/a, east/b, east/c]
  data_classes:
    carts: { rpo: 1m, rto: 1m }
`),
  );
  const events = (name: string) => r.timeline.filter((e) => e.event === name);
  // pg-a drops pg-b when its member key expires and goes asynchronous, once.
  assert.equal(events("degrade").length, 1, "one fallback to asynchronous commits");
  assert.equal(events("sync-restored").length, 0, "pg-b never streams again: nothing restores synchronous replication");
  // The only outage is the wait for pg-b's member key after its crash; the partition at 60s adds none.
  assert.equal((r.classes[0].rto.outages ?? []).filter((o) => o.startMs >= 60_000 && (o.ms ?? Infinity) > 1_000).length, 0, "no write outage from the partition");
});
