// Who may call an election in a MongoDB replica set, and who votes for it (topology_coordinator.cpp,
// processReplSetRequestVotes; the dry run asks the same questions). A secondary stands only once it has heard
// nothing from the primary for electionTimeoutMillis: a secondary that still hears the primary never stands. A
// data-bearing member grants its vote unless the candidate's config or term is older, its set name differs, its
// oplog is staler than the voter's own, or the voter already voted in the term: it does not refuse because it
// still hears a healthy primary (that is etcd's CheckQuorum, not MongoDB). Only an arbiter refuses while it sees a
// healthy primary of equal or greater priority. So:
// - P-S-A, 15 s added between the primary and the secondary, the arbiter near both: the secondary's timer runs
//   out, but the arbiter sees a healthy primary and refuses, and the primary's oplog is newer: no election, no
//   rollback, no split brain (the engine elected the secondary with the arbiter's vote and rolled back thousands
//   of writes).
// - P-S-S, 15 s added between the primary and one secondary: that secondary's oplog is 15 s staler than the other
//   secondary's, which refuses its vote; the other secondary still hears the primary and never stands: no
//   election (the engine elected the near secondary, which had never lost the primary).
// - P-S-S with the primary and one secondary cut apart while the third sees both: the cut secondary stands, and
//   loses on the oplog check (this engine has no chained replication, so it fetches nothing once cut off).
// - P-S-S, 5 s added between the third member and the others, then the primary crashes: the near secondary's
//   timer runs out first and it calls the election (needing the far one's vote); it need not wait for a majority
//   of the timers, the far one's 5 s later, as under etcd's rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

const FAULT_AT_MS = 5_000;

function replicaSet(opts: { third: string; fault: string; seed: number; crashAtMs?: number }): string {
  return `kind: scenario
name: vote-rules
seed: ${opts.seed}
duration: 70s
workload: { writes: 200, reads: 0, clients: 20, zones: [east/a], timeout: 10s }
faults:
  - ${opts.fault}${opts.crashAtMs !== undefined ? `\n  - { at: ${opts.crashAtMs}ms, crash: n1 }` : ""}
topology:
  kind: topology
  name: vote-rules
  preset: mongodb
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a, role: leader }
    n2: { zone: east/b }
    ${opts.third}
  replication: { mode: leader-follower }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

const ARBITER = "arb: { zone: east/c, role: arbiter }";
const SECONDARY = "n3: { zone: east/c }";
const LATE_TO_N2 = `{ at: ${FAULT_AT_MS}ms, latency: { between: [[east/a], [east/b]], add: 15s } }`;

for (const seed of [3, 4, 5, 6]) {
  test(`P-S-A, 15 s between the primary and the secondary (seed ${seed}): the arbiter sees a healthy primary and refuses its vote: no election`, () => {
    const r = simulate(scenarioText(replicaSet({ third: ARBITER, fault: LATE_TO_N2, seed })));
    assert.deepEqual(factsOf(r.timeline, "elect"), [], "no election wins against a primary the arbiter sees");
    assert.equal(r.totals.failovers, 0);
    assert.equal(r.totals.splitBrainMs, 0);
    assert.equal(r.classes[0].rpo.lostAckedWrites, 0, "nothing is rolled back");
  });

  test(`P-S-S, 15 s between the primary and one secondary (seed ${seed}): the other secondary hears the primary and refuses the staler candidate: no election`, () => {
    const r = simulate(scenarioText(replicaSet({ third: SECONDARY, fault: LATE_TO_N2, seed })));
    assert.deepEqual(factsOf(r.timeline, "elect"), [], "n3 still hears n1 and never stands; n2's oplog is staler than n3's");
    assert.equal(r.totals.failovers, 0);
  });

  test(`P-S-S, the primary and one secondary cut apart, the third seeing both (seed ${seed}): the cut secondary loses on the oplog check`, () => {
    const r = simulate(scenarioText(replicaSet({ third: SECONDARY, fault: `{ at: ${FAULT_AT_MS}ms, partition: [[n1], [n2]], for: 30s }`, seed })));
    assert.deepEqual(factsOf(r.timeline, "elect"), []);
    assert.deepEqual(factsOf(r.timeline, "demote"), [], "the primary still sees a majority (itself and n3)");
    assert.equal(r.classes[0].rpo.lostAckedWrites, 0);
  });

  test(`P-S-S, 5 s between the third member and the others, then a crash (seed ${seed}): the near secondary's timer runs out first and it calls the election`, () => {
    const crashAtMs = 30_000;
    const r = simulate(scenarioText(replicaSet({ third: SECONDARY, fault: `{ at: ${FAULT_AT_MS}ms, latency: { between: [[east/a, east/b], [east/c]], add: 5s } }`, seed, crashAtMs })));
    const [detect] = factsOf(r.timeline, "detect");
    assert.ok(detect !== undefined);
    // n2 heard the last heartbeat, sent at most 2 s before the crash, 0.5 ms after it was sent; its timer runs 10 s to 11.5 s.
    const after = detect.atMs - crashAtMs;
    assert.ok(after > 8_000 && after <= 11_501, `detected ${after} ms after the crash (the far member's timer runs out 5 s later)`);
    const [elect] = factsOf(r.timeline, "elect");
    assert.ok(elect !== undefined, "elected with the far member's vote");
  });
}
