// A strict quorum three of five nodes short: a coordinator that has not yet marked the dead replicas down (Cassandra's
// failure detector convicts a silent peer after about 8 · ln 10 ≈ 18.4 s) still sends to them and waits for its
// request timeout, so the client's write times out; only once it has marked them down does it refuse at once with
// UNAVAILABLE. The timeline used to say 'refused' 4.4 ms after the crash, when every write then timed out (found by a
// review): it now says the write times out at first, and notes separately when coordinators start answering
// UNAVAILABLE at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { scenarioText } from "../../engine/helpers.js";

function strict(downFor: string) {
  const r = simulate(
    scenarioText(`kind: scenario
name: quorum-unavailable-words
topology: ${process.cwd()}/topologies/dynamo-n5.yaml
seed: 13
duration: 60s
workload: { writes: 200, reads: 200, clients: 30, keys: 1000 }
faults:
  - { at: 10s, crash: n3, for: ${downFor} }
  - { at: 10s, crash: n4, for: ${downFor} }
  - { at: 10s, crash: n5, for: ${downFor} }
`),
  );
  return r.timeline.filter((e) => e.event === "quorum-unavailable").map((e) => ({ atMs: e.atMs, text: describeEntry(e, r) }));
}

test("strict quorum out of reach: a write times out until the coordinator has marked the replicas down, then is refused with UNAVAILABLE", () => {
  const facts = strict("30s");
  assert.equal(facts.length, 2, JSON.stringify(facts));
  const [first, known] = facts;
  assert.ok(first.atMs < 10_100, `the first write short of a quorum comes at once: ${first.atMs}`);
  assert.match(first.text, /has not marked .* down yet/);
  assert.match(first.text, /times out/);
  assert.doesNotMatch(first.text, /refused|UNAVAILABLE/);
  // 8 · ln 10 s after the crash, within the rate's gap between two writes.
  assert.ok(known.atMs >= 10_000 + 18_420 && known.atMs < 10_000 + 18_420 + 200, `UNAVAILABLE from ${known.atMs}`);
  assert.match(known.text, /marked .* down: .*UNAVAILABLE at once/);
});

test("back before the failure detector convicts them: every write short of a quorum timed out, none was answered UNAVAILABLE", () => {
  const facts = strict("10s");
  assert.equal(facts.length, 1, JSON.stringify(facts));
  assert.match(facts[0].text, /times out/);
});

test("UNAVAILABLE with no other node to try: the words do not promise the driver a next host", () => {
  const r = simulate(
    scenarioText(`kind: scenario
name: last-node-standing
seed: 2
duration: 50s
workload: { writes: 200, reads: 200, clients: 30, keys: 1000 }
topology:
  kind: topology
  name: n3-w2
  preset: cassandra
  regions: { us-east: { zones: [a, b, c] } }
  nodes: { n1: { zone: us-east/a }, n2: { zone: us-east/b }, n3: { zone: us-east/c } }
  replication: { mode: leaderless, n: 3, w: 2, r: 1, sloppy_quorum: false }
  data_classes: { d: { rpo: 1m, rto: 1m } }
faults:
  - { at: 10s, crash: n1 }
  - { at: 10s, crash: n2 }
`),
  );
  const known = r.timeline.filter((e) => e.event === "quorum-unavailable").map((e) => describeEntry(e, r))[1];
  assert.match(known, /UNAVAILABLE at once/);
  assert.doesNotMatch(known, /retries once on the next host/);
});
