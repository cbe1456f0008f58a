// A MongoDB replica set's heartbeats cross the network like a Raft group's (raft-heartbeat-latency.test.ts): the
// members heartbeat each other every 2 s, and a secondary calls an election once it has heard nothing from the
// primary for electionTimeoutMillis (10 s) plus its random offset (at most 15% of it). Three members in three zones
// of one region (0.5 ms one way), clients beside the primary:
// - 2 s added between the primary and both secondaries: no election (a steady delay still delivers a heartbeat
//   every 2 s); after the primary crashes its last heartbeat, sent at most 2 s before, reaches the secondaries 2 s
//   later, so they call an election no sooner than 10 s after the crash (was 8 s: the heartbeat counted as heard
//   when sent).
// - 2 s added between the third zone and the others: after the crash the candidate needs the far member's vote, a
//   4 s round trip for its dry run and another for the real election, 8 s, longer than the preset's 1 s election.
// - 15 s added between the primary and both secondaries, more than their timers: they elect one of themselves
//   against a primary that is up; the old primary steps down when the new term reaches it, 15 s after the
//   dry run was answered (the real vote request's one-way trip).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { scenarioText } from "./helpers.js";

const FAULT_AT_MS = 5_000;
const CRASH_AT_MS = 40_000;

function replicaSet(between: string, add: string, crash: boolean, seed: number): string {
  return `kind: scenario
name: mongodb-heartbeat-latency
seed: ${seed}
duration: 70s
workload: { writes: 200, reads: 0, clients: 20, zones: [east/a], timeout: 10s }
faults:
  - { at: ${FAULT_AT_MS}ms, latency: { between: ${between}, add: ${add} } }${crash ? `\n  - { at: ${CRASH_AT_MS}ms, crash: n1 }` : ""}
topology:
  kind: topology
  name: mongodb-heartbeat-latency
  preset: mongodb
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a, role: leader }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: leader-follower }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

const PRIMARY_APART = "[[east/a], [east/b, east/c]]";
const THIRD_APART = "[[east/a, east/b], [east/c]]";

for (const seed of [3, 4, 5, 6]) {
  test(`2 s between the primary and its secondaries (seed ${seed}): no election until the crash, then one no sooner than 10 s after it`, () => {
    const calm = simulate(scenarioText(replicaSet(PRIMARY_APART, "2s", false, seed)));
    assert.deepEqual(factsOf(calm.timeline, "elect"), [], "a steady delay still delivers every heartbeat");
    const r = simulate(scenarioText(replicaSet(PRIMARY_APART, "2s", true, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    assert.ok(detect !== undefined && detect.atMs - CRASH_AT_MS >= 10_000, `detected ${detect?.atMs - CRASH_AT_MS} ms after the crash`);
    // The last heartbeat sent at the crash at the latest, 2 s on the way, then at most 10 s + 15%.
    assert.ok(detect.atMs - CRASH_AT_MS <= 2_000 + 11_500 + 1, `detected ${detect.atMs - CRASH_AT_MS} ms after the crash`);
    assert.ok(!("lateMs" in detect), "the primary is down: nothing was late");
  });

  test(`2 s between the third member and the others (seed ${seed}): the election after the crash waits for its dry run and its vote, two 4 s round trips`, () => {
    const r = simulate(scenarioText(replicaSet(THIRD_APART, "2s", true, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    const [elect] = factsOf(r.timeline, "elect");
    assert.ok(detect !== undefined && elect !== undefined);
    assert.ok(elect.atMs - detect.atMs >= 8_000 && elect.atMs - detect.atMs < 8_010, `the election took ${elect.atMs - detect.atMs} ms`);
  });

  test(`15 s between the primary and its secondaries (seed ${seed}): more than electionTimeoutMillis, they elect one of themselves against a primary that is up, which steps down when the new term reaches it`, () => {
    const r = simulate(scenarioText(replicaSet(PRIMARY_APART, "15s", false, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    const [elect] = factsOf(r.timeline, "elect");
    assert.ok(detect !== undefined && elect !== undefined, "an election against a primary that is up");
    assert.equal("lateMs" in detect ? detect.lateMs : undefined, 15_000.5, "the detection says the heartbeats are late, 15 s + 0.5 ms one way");
    // The last heartbeat before the fault (at most 2 s before it) arrived at once; the first timer runs out 10 s to 11.5 s later.
    assert.ok(detect.atMs - FAULT_AT_MS >= 8_000 && detect.atMs - FAULT_AT_MS <= 11_500, `detected ${detect.atMs - FAULT_AT_MS} ms after the fault`);
    assert.ok(elect.node === "n2" || elect.node === "n3");
    const demote = factsOf(r.timeline, "demote").find((d) => d.node === "n1");
    assert.ok(demote !== undefined, "the old primary steps down");
    // The real election's vote request carries the new term: sent once the dry run was answered (a 1 ms round trip
    // between the two near members), 15 s + 0.5 ms on the way.
    assert.ok(Math.abs(demote.atMs - (detect.atMs + 1 + 15_000.5)) < 0.5, `it steps down when the vote request reaches it: ${demote.atMs - detect.atMs} ms after the election started`);
    assert.equal(r.totals.failovers, 1, "one election: the new primary's heartbeats, steadily slow to n1, do not start another");
    const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 400 });
    assert.match(text, /the primary is up, but its heartbeats \(sent every 2s\) now take 15s one way: none arrived for the first voter's randomized election timeout \(between 10s and 11\.5s\), so the secondaries call an election against it/);
  });
}
