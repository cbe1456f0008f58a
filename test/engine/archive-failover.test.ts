// Only a running primary ships WAL to the archive. When the leader dies, its archive_timeout clock dies with it:
// nothing switches a segment until a standby is promoted, and the promoted one starts its own clock at its
// promotion (PostgreSQL sets the last segment switch to the end of recovery), so its first forced switch comes
// archive_timeout after it. The WAL the old leader had not yet shipped (its current segment, copied to the new
// timeline's first segment) reaches the archive only then. Found by a review: the archive kept switching on the
// old leader's clock through the leaderless window and right after the promotion, so a restore after the new
// leader's region was lost too reached points no primary had archived (39 s, with the old leader dead at 30 s
// and its successor promoted at 40.3 s).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

function twoLosses(seed: number, secondLossS: number): string {
  return `kind: scenario
name: archive-across-failover
seed: ${seed}
duration: ${secondLossS + 30}s
topology:
  kind: topology
  name: archive-across-failover
  preset: patroni
  regions:
    us-east: { zones: [a] }
    us-central: { zones: [a] }
    us-west: { zones: [a] }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-central/a, nosync: true }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [us-east/a, us-central/a, us-west/a]
    lagging_candidates: promote
    endpoint: { kind: proxy, check_interval: 1s }
  backups:
    wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }
    base_backups: { every: 24h, retain: 30d, region: us-west }
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 50GB }
  data_classes:
    orders: { rpo: 5m, rto: 1h }
workload: { writes: 20, reads: 0, clients: 20, zones: [us-east/a, us-central/a] }
faults:
  - { at: 30s, lose: us-east }
  - { at: ${secondLossS}s, lose: us-central }
`;
}

// 20 writes/s of 1KB fill a 16MB segment in 819 s: archive_timeout (60 s) decides every switch here.
test("the archive switches on a live primary's clock: nothing between the old leader's death and archive_timeout after the promotion", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    // The new leader lost 30 s after the old one, before its first forced switch: the archive holds what the old
    // leader shipped before it died, and nothing later.
    const early = simulate(scenarioText(twoLosses(seed, 60)));
    const promoted = factsOf(early.timeline, "promote")[0]?.atMs;
    assert.ok(promoted !== undefined && promoted > 30_000 && promoted < 60_000, `seed ${seed}: promoted at ${promoted}`);
    const reached = early.recovery!.targetAtMs!;
    assert.equal(early.recovery!.method, "pitr", `seed ${seed}`);
    assert.ok(reached <= 30_000, `seed ${seed}: the restore reaches ${reached} ms, after the old leader died at 30 s and before the new one (promoted at ${promoted}) could switch a segment`);
    assert.ok(reached > 30_000 - 60_000, `seed ${seed}: the old leader switched at least every minute (reached ${reached})`);
    // Lost later, the new leader has switched on its own clock: every minute counted from its promotion.
    const late = simulate(scenarioText(twoLosses(seed, 200)));
    const promotedLate = factsOf(late.timeline, "promote")[0].atMs;
    const reachedLate = late.recovery!.targetAtMs!;
    const sincePromotion = reachedLate - promotedLate;
    assert.ok(sincePromotion >= 60_000 && 200_000 - reachedLate <= 60_000, `seed ${seed}: reached ${reachedLate}, promoted at ${promotedLate}`);
    assert.ok(Math.abs(sincePromotion / 60_000 - Math.round(sincePromotion / 60_000)) < 1e-6, `seed ${seed}: the switch at ${reachedLate} is not a whole number of minutes after the promotion at ${promotedLate}`);
  }
});

test("a leader that crashed and is not back when the run ends still holds its WAL: a bad write noticed before the archive had it is restored by point in time, not given up to an old snapshot", () => {
  const r = simulate(
    scenarioText(`kind: scenario
name: crashed-not-back
seed: 3
duration: 3m
topology:
  kind: topology
  name: single
  preset: patroni
  regions:
    east: { zones: [a] }
    west: { zones: [a] }
  nodes:
    p: { zone: east/a, role: leader }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, west/a, west/a]
  backups:
    wal_archive: { mode: continuous, archive_timeout: 60s, region: west }
    base_backups: { every: 24h, retain: 30d, region: west }
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 50GB }
  data_classes:
    orders: { rpo: 5m, rto: 1h }
workload: { writes: 20, reads: 0, clients: 20 }
faults:
  - { at: 60s, bad_write: { class: orders, statement: delete, rows: 10%, noticed_after: 2s } }
  - { at: 61s, crash: p }
`),
  ).recovery!;
  assert.equal(r.method, "pitr");
  assert.equal(r.lostWrites, 0);
});
