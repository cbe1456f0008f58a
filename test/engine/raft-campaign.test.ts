// A Raft member campaigns when its own randomized election timer runs out, and
// the election takes its PreVote and vote rounds from that moment. A restarted
// member's timer starts only once it is up again (an election timeout later at
// the least), so it does not campaign first; the winner is the first member
// whose timer runs out among those a majority would vote for (a log at least
// as up to date as theirs), not the most up-to-date log. When no member can
// win, the detection is a timer some member really ran, never a draw over
// followers that are down.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { Chalk } from "chalk";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { scenarioFrom, scenarioText } from "./helpers.js";

const ELECTION_TIMEOUT_MS = 1_000;
/** Two rounds (PreVote, then the vote), each a round trip over 40 ms links. */
const TWO_ROUNDS_MS = 2 * 2 * 40;

function leaderBlip(seed: number): string {
  return `kind: scenario
name: blip
seed: ${seed}
duration: 30s
workload: { writes: 50, reads: 50, clients: 10, zones: [east/a] }
faults:
  - { at: 10s, crash: n1, for: 500ms }
topology:
  kind: topology
  name: raft3
  preset: etcd-raft
  regions: { east: { zones: [a] }, west: { zones: [a] }, eu: { zones: [a] } }
  network: { same-zone: { constant: 0.2 }, cross-region: { constant: 40 } }
  nodes: { n1: { zone: east/a, role: leader }, n2: { zone: west/a }, n3: { zone: eu/a } }
  replication: { mode: consensus, election_timeout: 1s, heartbeat: 100ms }
  data_classes: { acc: { rpo: 0, rto: 30s, consistency: strong } }
`;
}

test("a leader back from a 500 ms crash is still restarting: a follower whose timer ran out wins, and the old leader's extra entries are truncated", () => {
  let truncated = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const result = simulate(scenarioText(leaderBlip(seed)));
    const recover = factsOf(result.timeline, "recover").find((f) => f.node === "n1");
    assert.ok(recover, `seed ${seed}: n1 comes back`);
    assert.ok("rejoinMs" in recover);
    const upMs = recover.atMs + recover.rejoinMs;
    const elect = factsOf(result.timeline, "elect");
    assert.equal(elect.length, 1, `seed ${seed}: one election`);
    // n1's own timer starts once it is up: it runs out an election timeout after that at the earliest.
    assert.ok(elect[0].node !== "n1" || elect[0].atMs >= upMs + ELECTION_TIMEOUT_MS, `seed ${seed}: n1, up at ${upMs} ms, elected at ${elect[0].atMs} ms`);
    assert.notEqual(elect[0].node, "n1", `seed ${seed}: a follower's timer runs out first and a majority votes for it`);
    const detect = factsOf(result.timeline, "detect")[0];
    assert.equal("campaigner" in detect && detect.campaigner, elect[0].node, `seed ${seed}: the member whose timer ran out is the one elected`);
    const phase = result.phases.find((p) => p.phase === "elect");
    assert.ok(phase);
    assert.equal(phase.startMs, detect.atMs, `seed ${seed}: the rounds start when its timer runs out`);
    assert.equal(phase.endMs - phase.startMs, TWO_ROUNDS_MS, `seed ${seed}: PreVote and vote`);
    truncated += factsOf(result.timeline, "rewind").filter((f) => f.node === "n1").length;
    assert.equal(result.totals.writesLost, 0, `seed ${seed}: nothing acknowledged lost`);
  }
  assert.ok(truncated > 0, "n1's unacknowledged entries are truncated when it follows");
});

test("consensus-majority-lost: the retried election takes its two rounds from the surviving member's timer, once the voters are up", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios", "consensus-majority-lost.yaml"));
  for (const seed of [62, 1, 2, 3, 4, 5, 6, 7]) {
    const result = simulate(scenario, { seed });
    const recovers = factsOf(result.timeline, "recover");
    assert.equal(recovers.length, 2, `seed ${seed}: both members come back`);
    const votersUpMs = Math.max(...recovers.map((f) => f.atMs + ("rejoinMs" in f ? f.rejoinMs : Infinity)));
    const elect = factsOf(result.timeline, "elect");
    assert.equal(elect.length, 1, `seed ${seed}: one election`);
    const phase = result.phases.find((p) => p.phase === "elect");
    assert.ok(phase);
    assert.ok(phase.startMs >= votersUpMs, `seed ${seed}: the election starts at ${phase.startMs} ms, its voters up at ${votersUpMs} ms`);
    // Two rounds of the 35 ms cross-region median each way.
    assert.equal(phase.endMs - phase.startMs, 2 * 2 * 35, `seed ${seed}: the elect phase`);
    assert.equal(elect[0].atMs, phase.endMs);
    // r-east runs its timer on from its last campaign; the members back run theirs from when they are up, an election
    // timeout at the least. Whoever a majority votes for wins; none of r-east's extra entries was acknowledged.
    if (elect[0].node !== "r-east") assert.ok(phase.startMs >= votersUpMs + ELECTION_TIMEOUT_MS, `seed ${seed}: ${elect[0].node} campaigned at ${phase.startMs} ms`);
    assert.equal(result.totals.writesLost, 0, `seed ${seed}: nothing acknowledged lost`);
  }
});

test("consensus-majority-lost: the detection is the surviving member's own timer, run from its step-down, and it cannot win", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios", "consensus-majority-lost.yaml"));
  const result = simulate(scenario);
  const demote = factsOf(result.timeline, "demote")[0];
  const detect = factsOf(result.timeline, "detect")[0];
  assert.ok(demote && detect);
  assert.ok(detect.atMs >= demote.atMs + ELECTION_TIMEOUT_MS && detect.atMs < demote.atMs + 2 * ELECTION_TIMEOUT_MS, `detected at ${detect.atMs} ms, r-east stepped down at ${demote.atMs} ms`);
  assert.equal("campaigner" in detect && detect.campaigner, "r-east");
  assert.equal("cannotWin" in detect && detect.cannotWin, true);
  const text = renderSimulateText(result, new Chalk({ level: 0 }), { width: 400 });
  assert.doesNotMatch(text, /first voter's/);
  assert.match(text, /r-east's own randomized election timeout/);
  assert.match(text, /cannot win \(only 1 of the 2 votes/);
});
