// A Raft member restarts as a follower (it keeps its term, vote and log, never
// its role), and a follower hears its leader at the leader's heartbeats: there
// is no PostgreSQL-style 5 s wal_retrieve_retry_interval. The bounds come from
// the configured timers and latencies, not from the engine's bookkeeping:
// etcd's defaults (heartbeat 100 ms, election timeout 1 s, each follower's
// timer drawn in [T, 2T) from the last heartbeat it heard), members one per
// zone (0.5 ms one way), and an election's vote round trip of twice the
// cross-region median (2 × 20 ms).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import type { SimulationResult } from "../../src/engine/result.js";
import { scenarioText, threeMemberGroup } from "./helpers.js";

const HEARTBEAT_MS = 100;
const ELECTION_TIMEOUT_MS = 1_000;
const VOTE_RTT_MS = 2 * 20;
const ZONE_TRIP_MS = 0.5;
/** A commit's trip to a follower and back, with the network's p99 rather than its median. */
const COMMIT_RTT_MS = 2 * 2;
const CRASH_MS = 60_000;
/** A catch-up stream's throughput, about 100 MB/s, in bytes per ms. */
const CATCH_UP_BYTES_PER_MS = 100 * 1024;

function raftGroup(opts: { seed: number; faults: string; mode?: string; preset?: string }): string {
  const replication = opts.mode ?? `{ mode: consensus, election_timeout: ${ELECTION_TIMEOUT_MS}ms, heartbeat: ${HEARTBEAT_MS}ms }`;
  return threeMemberGroup({ name: "raft-restart", seed: opts.seed, duration: "90s", writes: 200, faults: opts.faults, replication, preset: opts.preset, crossZoneMs: ZONE_TRIP_MS });
}

const leaderBlip = (seed: number) => simulate(scenarioText(raftGroup({ seed, faults: `\n  - { at: ${CRASH_MS}ms, crash: n0, for: 300ms }` })));

/** When acknowledged writes came back after the write outage under way at `faultMs` (or the first after it). */
function writesBackMs(result: SimulationResult, faultMs: number): number {
  const outage = result.classes[0].rto.outages?.find((o) => o.recoveredMs === null || o.recoveredMs > faultMs);
  assert.ok(outage, `an outage from the fault at ${faultMs} ms`);
  assert.notEqual(outage.recoveredMs, null, "writes come back within the run");
  return outage.recoveredMs as number;
}

test("a Raft leader down for 300 ms (under the election timeout) restarts as a follower and the group elects a leader", () => {
  // The last heartbeat left at most one interval before the crash; the first follower timer fires [T, 2T) after it.
  const earliest = CRASH_MS - HEARTBEAT_MS + ELECTION_TIMEOUT_MS;
  const latest = CRASH_MS + 2 * ELECTION_TIMEOUT_MS + VOTE_RTT_MS;
  for (let seed = 1; seed <= 8; seed++) {
    const result = leaderBlip(seed);
    const recovered = factsOf(result.timeline, "recover");
    assert.equal(recovered.length, 1, `seed ${seed}: n0 comes back`);
    assert.notEqual(recovered[0].as, "leader-within-lease", `seed ${seed}: a restarted Raft member does not resume leading`);
    const promoted = factsOf(result.timeline, "promote");
    assert.equal(promoted.length, 1, `seed ${seed}: one election`);
    const at = promoted[0].atMs;
    assert.ok(at >= earliest && at <= latest, `seed ${seed}: leader elected at ${at} ms, expected ${earliest}..${latest}`);
    // No write is acknowledged between the crash and the new leader: the restarted node does not lead in between.
    const back = writesBackMs(result, CRASH_MS);
    assert.ok(back >= at, `seed ${seed}: writes back at ${back} ms, not before the election at ${at} ms`);
    // Clients reach the group through n0, up again a restart (about a second) after it came back, or through the
    // new leader: either way within the longest election timer, the vote, a heartbeat and a commit's round trips.
    const bound = CRASH_MS + 2 * ELECTION_TIMEOUT_MS + VOTE_RTT_MS + HEARTBEAT_MS + 2 * COMMIT_RTT_MS;
    assert.ok(back <= bound, `seed ${seed}: writes back at ${back} ms, by ${bound} ms`);
    assert.equal(result.classes[0].rpo.lostAckedWrites, 0, `seed ${seed}: every acknowledged write was on a majority`);
    assert.equal(result.totals.writesLost, 0, `seed ${seed}: nothing acknowledged lost`);
  }
});

test("after the election both followers stream from the new leader within a heartbeat, not a 5 s retry", () => {
  for (let seed = 1; seed <= 8; seed++) {
    const result = leaderBlip(seed);
    const promoted = factsOf(result.timeline, "promote")[0];
    assert.ok(promoted, `seed ${seed}: an election`);
    const follows = factsOf(result.timeline, "follow").filter((f) => f.atMs >= promoted.atMs && f.leader === promoted.node);
    const followers = ["n0", "n1", "n2"].filter((n) => n !== promoted.node);
    for (const name of followers) {
      const first = follows.find((f) => f.node === name);
      assert.ok(first, `seed ${seed}: ${name} follows ${promoted.node}`);
      // n0 may still be restarting (up one restart after it came back): it hears the first heartbeat after that.
      const ready = name === "n0" ? Math.max(promoted.atMs, CRASH_MS + 300 + 1_000) : promoted.atMs;
      assert.ok(first.atMs <= ready + HEARTBEAT_MS + ZONE_TRIP_MS, `seed ${seed}: ${name} follows at ${first.atMs} ms, within a heartbeat of ${ready} ms`);
    }
  }
});

test("a restarted follower rejoins at the leader's first heartbeat once it is up, and commits needing it resume then", () => {
  // n1 is gone: commits need n2, which is down 300 ms and then restarts (about a second) before it can follow.
  const faults = `\n  - { at: 50s, crash: n1 }\n  - { at: ${CRASH_MS}ms, crash: n2, for: 300ms }`;
  for (let seed = 1; seed <= 5; seed++) {
    const result = simulate(scenarioText(raftGroup({ seed, faults })));
    const recover = factsOf(result.timeline, "recover").find((f) => f.node === "n2");
    assert.ok(recover && recover.as === "replica-restart", `seed ${seed}: n2 restarts`);
    const up = recover.atMs + recover.rejoinMs;
    const follow = factsOf(result.timeline, "follow").find((f) => f.node === "n2" && f.atMs > CRASH_MS);
    assert.ok(follow, `seed ${seed}: n2 follows again`);
    // The leader's next heartbeat after n2 is up (within one interval), then the trip.
    const earliest = up + ZONE_TRIP_MS;
    assert.ok(follow.atMs >= earliest && follow.atMs <= earliest + HEARTBEAT_MS, `seed ${seed}: n2 follows at ${follow.atMs} ms, expected ${earliest}..${earliest + HEARTBEAT_MS}`);
    const back = writesBackMs(result, CRASH_MS);
    // Then the commits wait for n2 to receive the backlog (a catch-up stream of about 100 MB/s) and answer.
    const latest = follow.atMs + follow.catchUpBytes / CATCH_UP_BYTES_PER_MS + 2 * COMMIT_RTT_MS;
    assert.ok(back >= follow.atMs && back <= latest, `seed ${seed}: commits back at ${back} ms, once n2 follows at ${follow.atMs} ms (by ${latest} ms)`);
  }
});

test("leader-follower (Patroni) keeps its rule: a leader back within its lease resumes as leader, with no election", () => {
  const patroni = "{ mode: leader-follower }";
  const result = simulate(scenarioText(raftGroup({ seed: 1, mode: patroni, preset: "patroni", faults: `\n  - { at: ${CRASH_MS}ms, crash: n0, for: 300ms }` })));
  const recovered = factsOf(result.timeline, "recover");
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0].as, "leader-within-lease");
  assert.equal(factsOf(result.timeline, "promote").length, 0, "no failover");
});
