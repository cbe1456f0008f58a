// A Raft group's heartbeats and votes cross the network like any message: added latency (the `latency` fault)
// delays them. Three members in three zones of one region (0.5 ms one way), etcd's timers (heartbeat 100 ms,
// election timeout 1 s, each voter's timer firing between 1 s and 2 s), clients beside the leader:
// - 200 ms added between the leader and both followers: each commit waits for a follower's answer, 2 × 200 ms more;
//   no election (a steady delay still delivers a heartbeat every 100 ms); after the leader crashes, its last
//   heartbeat reaches the followers 200 ms later, so they campaign no sooner than 200 ms + 1 s after the crash.
// - 200 ms added between the third zone and the others: after the leader crashes the candidate needs the far
//   member's vote (etcd's followers refuse a vote while they hear from a leader, CheckQuorum): a 400 ms round trip
//   for its PreVote, then another for the vote, 800 ms from the winner's own timer (n3's, running out first, may
//   lose to n2's longer log).
// - 2 s added between the leader and both followers: at the fault the followers hear nothing for 2 s, longer than
//   any of their timers: they elect one of themselves against a leader that is up, and the group commits again
//   between the two near members; the old leader steps down when the new term reaches it, the winner's
//   RequestVote (sent after its PreVote round) 2 s on its way.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

const FAULT_AT_MS = 5_000;
const CRASH_AT_MS = 20_000;

function group(between: string, add: string, crash: boolean, seed = 3): string {
  return `kind: scenario
name: raft-heartbeat-latency
seed: ${seed}
duration: 40s
workload: { writes: 200, reads: 0, clients: 20, zones: [east/a], timeout: 10s }
faults:
  - { at: ${FAULT_AT_MS}ms, latency: { between: ${between}, add: ${add} } }${crash ? `\n  - { at: ${CRASH_AT_MS}ms, crash: n1 }` : ""}
topology:
  kind: topology
  name: raft-heartbeat-latency
  preset: etcd-raft
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a, role: leader }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: consensus }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

const LEADER_APART = "[[east/a], [east/b, east/c]]";
const THIRD_APART = "[[east/a, east/b], [east/c]]";

for (const seed of [3, 4, 5]) {
  test(`200 ms between the leader and its followers (seed ${seed}): commits slow down, no election until the crash, then one no sooner than 1.2 s after it`, () => {
    const calm = simulate(scenarioText(group(LEADER_APART, "200ms", false, seed)));
    assert.deepEqual(factsOf(calm.timeline, "elect"), [], "a steady delay still delivers every heartbeat");
    assert.ok((calm.classes[0].latency.writeP99Ms ?? 0) >= 400, `write p99 ${calm.classes[0].latency.writeP99Ms} ms: a follower's answer is 2 × 200 ms away`);
    const r = simulate(scenarioText(group(LEADER_APART, "200ms", true, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    assert.ok(detect !== undefined && detect.atMs - CRASH_AT_MS >= 1_200, `detected ${detect?.atMs - CRASH_AT_MS} ms after the crash`);
    assert.ok(detect.atMs - CRASH_AT_MS < 2_200 + 1, `detected ${detect.atMs - CRASH_AT_MS} ms after the crash`);
    assert.ok(!("lateMs" in detect), "the leader is down: nothing was late");
  });

  test(`200 ms between the third member and the others (seed ${seed}): the election after the crash waits for its PreVote and its vote, two 400 ms round trips`, () => {
    const r = simulate(scenarioText(group(THIRD_APART, "200ms", true, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    const [elect] = factsOf(r.timeline, "elect");
    assert.ok(detect !== undefined && elect !== undefined);
    // Both followers must have timed out; n3 heard the last heartbeat 200 ms after the crash.
    assert.ok(detect.atMs - CRASH_AT_MS >= 1_200, `detected ${detect.atMs - CRASH_AT_MS} ms after the crash`);
    // The winner's rounds start when its own timer runs out: n3's, if it ran out first, may find n2's log ahead of
    // its own (n3 receives the log 200 ms later) and lose, and n2 campaigns at its own timer.
    const phase = r.phases.find((p) => p.phase === "elect");
    assert.ok(phase !== undefined && phase.startMs >= detect.atMs && phase.endMs === elect.atMs);
    assert.ok(phase.endMs - phase.startMs >= 800 && phase.endMs - phase.startMs < 810, `the election took ${phase.endMs - phase.startMs} ms`);
  });

  test(`2 s between the leader and its followers (seed ${seed}): more than the election timeout, the followers elect one of themselves against a leader that is up`, () => {
    const r = simulate(scenarioText(group(LEADER_APART, "2s", false, seed)));
    const [detect] = factsOf(r.timeline, "detect");
    const [elect] = factsOf(r.timeline, "elect");
    assert.ok(detect !== undefined && elect !== undefined, "a spurious election");
    assert.equal("lateMs" in detect ? detect.lateMs : undefined, 2_000.5, "the detection says the heartbeats are late, 2 s + 0.5 ms one way");
    // The last heartbeat before the fault (at most 100 ms before it) arrived at once; the first timer runs out 1 s to 2 s later.
    assert.ok(detect.atMs - FAULT_AT_MS >= 900 && detect.atMs - FAULT_AT_MS <= 2_100, `detected ${detect.atMs - FAULT_AT_MS} ms after the fault`);
    assert.ok(elect.node === "n2" || elect.node === "n3");
    const demote = factsOf(r.timeline, "demote").find((d) => d.node === "n1");
    assert.ok(demote !== undefined, "the old leader steps down");
    // When the new term reaches it: the winner's RequestVote, sent once its PreVote was answered (a 1 ms round trip
    // between the two near members; a PreVote changes no term), 2 s + 0.5 ms on the way.
    assert.ok(Math.abs(demote.atMs - (detect.atMs + 1 + 2_000.5)) < 0.5, `it steps down ${demote.atMs - detect.atMs} ms after the election started`);
    assert.equal(r.totals.failovers, 1, "one election: the new leader's heartbeats, steadily slow to n1, do not start another");
  });
}

// Found by a review: the trip that decided whether slowed heartbeats could elect anyone was the majority-th fastest
// follower's, the one that times an election after a crash. With the leader up, a follower that still hears it
// refuses its vote (CheckQuorum), so a majority of the members must hear nothing: the majority-th slowest follower
// decides. Before, 3 s added between the leader and one follower elected the other, which heard the leader throughout.
const ONE_FOLLOWER_APART = "[[east/a], [east/b]]";
for (const seed of [3, 4, 5]) {
  test(`3 s added between the leader and one follower (seed ${seed}): the other still hears the leader and refuses its vote, so nobody is elected`, () => {
    const r = simulate(scenarioText(group(ONE_FOLLOWER_APART, "3s", false, seed)));
    assert.deepEqual(factsOf(r.timeline, "elect"), [], "no election while a majority hears the leader");
    assert.deepEqual(factsOf(r.timeline, "demote"), [], "the leader goes on");
    assert.equal(r.totals.splitBrainMs, 0);
    const both = simulate(scenarioText(group(LEADER_APART, "3s", false, seed)));
    assert.ok(factsOf(both.timeline, "elect").length > 0, "3 s to both followers: they hear nothing and elect one of themselves");
  });
}
