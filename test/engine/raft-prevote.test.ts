// An etcd election is two rounds: PreVote (on by default since etcd 3.5) asks
// a majority whether it would grant a vote, and only then does the candidate
// raise its term and ask for the votes themselves. Each round is the round
// trip to the member that completes the candidate's majority. The engine
// already runs PreVote's rules (a follower cut off alone and healed does not
// depose the leader) but used to time the election as the vote's round trip
// alone: 80 ms across 40 ms links where etcd takes 160 ms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

function crossRegionGroup(seed: number): string {
  return `kind: scenario
name: prevote
seed: ${seed}
duration: 30s
workload: { writes: 50, reads: 50, clients: 10, zones: [east/a] }
faults:
  - { at: 10s, crash: n0 }
topology:
  kind: topology
  name: raft3
  preset: etcd-raft
  regions: { east: { zones: [a] }, west: { zones: [a] }, eu: { zones: [a] } }
  network: { same-zone: { constant: 0.2 }, cross-region: { constant: 40 } }
  nodes: { n0: { zone: east/a, role: leader }, n1: { zone: west/a }, n2: { zone: eu/a } }
  replication: { mode: consensus, election_timeout: 1s, heartbeat: 100ms }
  data_classes: { acc: { rpo: 0, rto: 30s, consistency: strong } }
`;
}

test("an etcd election takes two round trips to a majority (PreVote, then the vote): 160 ms over 40 ms links", () => {
  for (let seed = 1; seed <= 4; seed++) {
    const result = simulate(scenarioText(crossRegionGroup(seed)));
    const detect = factsOf(result.timeline, "detect");
    const elect = factsOf(result.timeline, "elect");
    assert.equal(detect.length, 1, `seed ${seed}: one detection`);
    assert.equal(elect.length, 1, `seed ${seed}: one election`);
    assert.equal(elect[0].atMs - detect[0].atMs, 160, `seed ${seed}: elected ${elect[0].atMs - detect[0].atMs} ms after the first timer ran out`);
    const phase = result.phases.find((p) => p.phase === "elect");
    assert.ok(phase, `seed ${seed}: an elect phase`);
    assert.equal(phase.endMs - phase.startMs, 160, `seed ${seed}: the elect phase`);
  }
  // The resolved settings (the JSON's settings.failover, the lint's RTO budget) say the same.
  assert.equal(scenarioText(crossRegionGroup(1)).topology.failover.electionMs, 160);
});
