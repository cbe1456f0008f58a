// A MongoDB arbiter votes in elections and holds no data. It lets a primary and
// one secondary (P-S-A) fail over, as two data nodes alone cannot, and since
// MongoDB 5.0 it makes the implicit default write concern w:1 whenever the
// data-bearing voters are no more than a majority of all voters: a P-S-A set
// acknowledges writes before the secondary has them, and a failover rolls them
// back. With one more data-bearing member (P-S-S-S-A) the default stays
// "majority", counted over every voter.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { loadText } from "../../src/model/load.js";
import { InputError } from "../../src/model/diagnostics.js";
import { implicitWriteConcernIsOne } from "../../src/model/resolve.js";
import { scenarioFrom, scenarioText } from "./helpers.js";
import { Chalk } from "chalk";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { renderSimulateJson } from "../../src/report/simulate/json.js";

function replicaSet(opts: { nodes: string; fault: string; writes?: number; seed?: number }): string {
  return `kind: scenario
name: arbiter
seed: ${opts.seed ?? 7}
duration: 60s
workload: { writes: ${opts.writes ?? 2000}, reads: 0, clients: 120 }
faults:
  - ${opts.fault}
topology:
  kind: topology
  name: arbiter
  preset: mongodb
  regions: { east: { zones: [a, b, c] } }
  nodes:
${opts.nodes}
  replication: { mode: leader-follower }
  data_classes:
    orders: { rpo: 0, rto: 30s }
`;
}

const PSA = "    p: { zone: east/a, role: leader }\n    s: { zone: east/b }\n    arb: { zone: east/c, role: arbiter }";
const PS = "    p: { zone: east/a, role: leader }\n    s: { zone: east/b }";
const PSS = "    p: { zone: east/a, role: leader }\n    s1: { zone: east/b }\n    s2: { zone: east/c }";

test("MongoDB's rule for the implicit write concern: w:1 with arbiters and no more data-bearing voters than a majority", () => {
  assert.equal(implicitWriteConcernIsOne(2, 1), true, "P-S-A");
  assert.equal(implicitWriteConcernIsOne(3, 1), true, "P-S-S-A: 3 of 4 voters, a majority is 3");
  assert.equal(implicitWriteConcernIsOne(4, 1), false, "P-S-S-S-A: 4 of 5 voters, a majority is 3");
  assert.equal(implicitWriteConcernIsOne(3, 0), false, "no arbiter");
});

test("an arbiter votes and holds no data: P-S-A resolves to w:1 and a majority of 2 of 3 voters; P-S-S-S-A to majority writes of 3 of 5", () => {
  const psa = scenarioText(replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: p }" })).topology;
  assert.deepEqual(psa.nodes.map((n) => n.name), ["p", "s"]);
  assert.deepEqual(psa.arbiters, [{ name: "arb", region: "east", zone: "east/c" }]);
  assert.equal(psa.replication.mode === "leader-follower" && psa.replication.sync, null);
  assert.equal(psa.derived.majority, 2);
  assert.deepEqual(psa.derived.coordinator.members, ["east/a", "east/b", "east/c"]);
  const five = scenarioText(replicaSet({ nodes: `${PSS}\n    s3: { zone: east/c }\n    arb: { zone: east/b, role: arbiter }`, fault: "{ at: 20s, crash: p }" })).topology;
  assert.equal(five.replication.mode === "leader-follower" && five.replication.sync?.count, 2, "the primary and 2 secondaries: 3 of 5 voters");
  assert.equal(five.derived.majority, 3);
});

test("with an arbiter a primary and one secondary fail over; without it the secondary cannot win a majority", () => {
  const withArbiter = simulate(scenarioText(replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: p }" })));
  const without = simulate(scenarioText(replicaSet({ nodes: PS, fault: "{ at: 20s, crash: p }" })));
  assert.equal(withArbiter.totals.failovers, 1);
  assert.ok(withArbiter.timeline.some((e) => e.event === "promote" && e.node === "s"));
  assert.equal(without.totals.failovers, 0);
  // MongoDB documents a median of about 12 s to elect with the defaults; the clients come back soon after.
  const rto = withArbiter.classes[0].rto.writeMs ?? NaN;
  assert.ok(rto > 10_000 && rto < 20_000, `write RTO ${rto} ms`);
});

test("P-S-A acknowledges with w:1: a primary cut off with its zone's clients keeps acknowledging until it steps down, and the new primary rolls those writes back; P-S-S (w: majority) loses none", () => {
  const fault = "{ at: 20s, partition: [[east/a], [east/b, east/c]], for: 30s }";
  const psa = simulate(scenarioText(replicaSet({ nodes: PSA, fault })));
  const pss = simulate(scenarioText(replicaSet({ nodes: PSS, fault })));
  assert.equal(pss.totals.writesLost, 0);
  assert.equal(pss.totals.splitBrainMs, 0);
  // A third of the clients are in east/a; the primary steps down after an election timeout (10 s) without a majority.
  const expected = (2000 / 3) * 10;
  assert.ok(psa.totals.writesLost > 0.6 * expected && psa.totals.writesLost < 1.3 * expected, `lost ${psa.totals.writesLost}, about ${Math.round(expected)} expected`);
  assert.ok(psa.timeline.some((e) => e.event === "demote" && e.node === "p"));
  // Twice the write rate, twice the rollback.
  const doubled = simulate(scenarioText(replicaSet({ nodes: PSA, fault, writes: 4000 })));
  const ratio = doubled.totals.writesLost / psa.totals.writesLost;
  assert.ok(ratio > 1.7 && ratio < 2.3, `doubling the write rate multiplied the loss by ${ratio}`);
});

test("losing the secondary and then the arbiter's zone leaves the primary without a majority: it steps down and writes stop", () => {
  const r = simulate(scenarioText(replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: s }\n  - { at: 30s, lose: east/c }" })));
  const lose = r.timeline.find((e) => e.event === "lose");
  assert.ok(lose && "arbiters" in lose && lose.arbiters?.includes("arb"), "the lost zone's arbiter is named");
  assert.ok(r.timeline.some((e) => e.event === "demote" && e.node === "p"));
  assert.equal(r.totals.failovers, 0);
  // Only the secondary's crash: the primary keeps its majority with the arbiter and w:1 writes go on.
  const one = simulate(scenarioText(replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: s }" })));
  assert.ok(!one.timeline.some((e) => e.event === "demote"));
  assert.equal(one.classes[0].rto.writeMs, 0);
});

test("an arbiter is refused outside a MongoDB replica set, takes no data-node setting, and a fault that names it is pointed at its zone", () => {
  const patroni = replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: p }" }).replace("preset: mongodb", "preset: patroni");
  assert.match(loadErrors(patroni).join("\n"), /arbiter .*MongoDB replica set.*preset is patroni: use preset: mongodb/);
  const tagged = replicaSet({ nodes: PSA.replace("role: arbiter", "role: arbiter, nofailover: true"), fault: "{ at: 20s, crash: p }" });
  assert.match(loadErrors(tagged).join("\n"), /an arbiter holds no data, so nofailover does not apply/);
  const crashArbiter = replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: arb }" });
  assert.match(loadErrors(crashArbiter).join("\n"), /"arb" is an arbiter .*name east\/c/);
  const partitionArbiter = replicaSet({ nodes: PSA, fault: "{ at: 20s, partition: [[p], [s, arb]] }" });
  assert.match(loadErrors(partitionArbiter).join("\n"), /"arb" is an arbiter/);
});

/** The load errors of a file, as "line:column message". */
function loadErrors(text: string): string[] {
  try {
    loadText("arbiter.yaml", text);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
  }
}

test("an arbiter is refused, on its role's line, wherever the members do not elect the primary: another preset whose members vote, the default preset", () => {
  const psa = replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: p }" });
  // The arbiter's `role: arbiter` is on line 16, its value at column 32.
  const cases: Array<[string, string, RegExp]> = [
    ["etcd-raft (a Raft group votes, but has no arbiters)", psa.replace("preset: mongodb", "preset: etcd-raft"), /preset is etcd-raft: use preset: mongodb/],
    ["patroni (the default preset)", psa.replace("preset: mongodb", "description: no preset"), /preset is patroni \(the default\)/],
  ];
  for (const [what, text, message] of cases) {
    const errors = loadErrors(text);
    assert.equal(errors.length, 1, `${what}: ${errors.join("\n")}`);
    assert.match(errors[0], /^16:32 an arbiter/, what);
    assert.match(errors[0], message, what);
  }
  // MongoDB's own heartbeats given, or a manual failover (an operator still needs a majority's votes): accepted.
  assert.deepEqual(loadErrors(psa.replace("  replication: { mode: leader-follower }", "  replication: { mode: leader-follower }\n  failover: { detection: { heartbeat: 1s, misses: 5 } }")), []);
  assert.deepEqual(loadErrors(psa.replace("  replication: { mode: leader-follower }", "  replication: { mode: leader-follower }\n  failover: { mode: manual }")), []);
});

test("arbiters with fewer than two data-bearing members are a load error on the nodes key, not a crash or a set that cannot fail over", () => {
  const fault = "{ at: 20s, lose: east/c }";
  const cases: Array<[string, string, RegExp]> = [
    ["every node an arbiter", "    a1: { zone: east/a, role: arbiter }\n    a2: { zone: east/b, role: arbiter }", /2 arbiters \(a1, a2\); it has none: every node is an arbiter/],
    ["a primary and an arbiter", "    p: { zone: east/a, role: leader }\n    arb: { zone: east/c, role: arbiter }", /1 arbiter \(arb\); it has only p, so no member could take over/],
    ["a primary and two arbiters", "    p: { zone: east/a }\n    a1: { zone: east/b, role: arbiter }\n    a2: { zone: east/c, role: arbiter }", /it has only p/],
  ];
  for (const [what, nodes, message] of cases) {
    const errors = loadErrors(replicaSet({ nodes, fault }));
    assert.equal(errors.length, 1, `${what}: ${errors.join("\n")}`);
    assert.match(errors[0], /^13:3 a replica set needs at least two data-bearing members/, what);
    assert.match(errors[0], message, what);
  }
  // Two data-bearing members and two arbiters is a set (MongoDB 5.3+ asks for allowMultipleArbiters): accepted.
  assert.deepEqual(loadErrors(replicaSet({ nodes: `${PSA}\n    arb2: { zone: east/c, role: arbiter }`, fault })), []);
});

test("the JSON settings list the arbiters beside the nodes, so a reader sees every voter; empty without arbiters", () => {
  const fault = "{ at: 20s, crash: p }";
  const settingsOf = (nodes: string) => JSON.parse(renderSimulateJson([simulate(scenarioText(replicaSet({ nodes, fault })))], { array: false })).settings;
  const psa = settingsOf(PSA);
  assert.deepEqual(psa.arbiters, [{ name: "arb", zone: "east/c" }]);
  assert.deepEqual(psa.nodes.map((n: { name: string }) => n.name), ["p", "s"]);
  assert.deepEqual(settingsOf(PSS).arbiters, []);
});

test("the bundled P-S-A rollback's report says the w: 1 writes the old primary acknowledged alone are rolled back, never that they are safe or kept", () => {
  const result = simulate(scenarioFrom("scenarios/mongodb-arbiter-rollback.yaml"));
  const text = renderSimulateText(result, new Chalk({ level: 0 }), { width: 80 }).replace(/\s+/g, " ");
  const lost = result.totals.writesLost.toLocaleString("en-US");
  assert.ok(result.totals.writesLost > 3000);
  // Its step-down and the fence count the writes no other member has, and say what becomes of them, with one figure:
  // a write it had appended but not yet committed when it stepped down fails (found by a review: the secondary
  // acknowledged it 0.4 ms later, so the step-down said 4,328 and the fence line 4,329).
  const demoted = /mongo-a demote steps down to secondary: .*\(no split brain\); ([\d,]+) writes it acknowledged without a majority \(w: 1\) are on no other member: not majority-committed, they are rolled back/.exec(text);
  assert.ok(demoted !== null, "the step-down counts the writes no other member has");
  const atStepDown = Number(demoted[1].replace(/,/g, ""));
  assert.equal(atStepDown, result.totals.writesLost, `${atStepDown} at the step-down, ${lost} in all`);
  const stepDown = result.timeline.find((e) => e.event === "demote" && e.node === "mongo-a")!;
  const fence = result.timeline.find((e) => e.event === "fence" && e.node === "mongo-a")!;
  assert.ok(fence.atMs > stepDown.atMs, "the fence line comes after the step-down, and counts the same writes");
  assert.match(text, new RegExp(`mongo-a fence no fencing needed: the old primary has stepped down; fencing could not save the ${lost} writes it acknowledged with w: 1`));
  assert.match(text, new RegExp(`${lost} acknowledged writes of the old primary are not in its oplog: lost here, and rolled back on the old primary when it rejoins`));
  assert.match(text, new RegExp(`ACKNOWLEDGED WRITES LOST — ${lost} writes acknowledged by mongo-a with w: 1 \\(without waiting for a majority\\) never reached mongo-b before it was elected primary: they are rolled back`));
  assert.match(text, /mongo-a did not keep them: it rejoined as a secondary [\d.]+s after mongo-b was promoted and rolled them back, out of its data and into its rollback files/);
  // The words of a w: majority set, which a w: 1 primary's acknowledged writes would contradict.
  assert.doesNotMatch(text, /could not have a write majority-committed anyway|a primary that sees no majority has no write majority-committed|asynchronous failover|exist only on mongo-a/);
});

test("rpo-zero-without-sync tells how many arbiters to replace for w: majority to be the default: both of P-S-A-A's, one of P-S-S-A-A's", async () => {
  const { lintText } = await import("../lint/helpers.js");
  const { rpoZeroWithoutSync } = await import("../../src/lint/rules/rpo-zero-without-sync.js");
  const hintOf = (nodes: string) => lintText(replicaSet({ nodes, fault: "{ at: 20s, crash: p }" }), { rules: [rpoZeroWithoutSync] }).map((f) => f.hint);
  assert.deepEqual(hintOf(PSA), ["Replace the arbiter with a secondary that holds data, so w: majority is the default."]);
  // Replacing one of two arbiters leaves 3 data-bearing of 4 voters: still w: 1.
  assert.deepEqual(hintOf(`${PSA}\n    arb2: { zone: east/b, role: arbiter }`), ["Replace both arbiters with secondaries that hold data, so w: majority is the default."]);
  assert.deepEqual(hintOf(`${PSS}\n    arb: { zone: east/c, role: arbiter }\n    arb2: { zone: east/b, role: arbiter }`), ["Replace one of the arbiters with a secondary that holds data, so w: majority is the default."]);
  // Each hint is right: the replaced topology defaults to w: majority.
  assert.equal(implicitWriteConcernIsOne(4, 0), false);
  assert.equal(implicitWriteConcernIsOne(3, 1), true);
  assert.equal(implicitWriteConcernIsOne(4, 1), false);
});

test("the README states the arbiter's limits: preset mongodb with no external store, two data-bearing members, refused live, listed in the JSON", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync("README.md", "utf8").replace(/\s+/g, " ");
  assert.match(readme, /Arbiters need `preset: mongodb` in `leader-follower` mode with no external store \(no `failover\.coordinator`, no `ttl` lease\) and at least two data-bearing members; `live` refuses them/);
  assert.match(readme, /`settings\.arbiters` in the JSON lists them/);
});

test("an arbiter named as a synchronous standby is refused as an arbiter (it holds no data), not as an unknown node", () => {
  const text = replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: p }" }).replace("  replication: { mode: leader-follower }", '  replication: { mode: leader-follower, synchronous: { standbys: "ANY 1 (arb)" } }');
  const errors = loadErrors(text);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /^\d+:\d+ "arb" is an arbiter: it holds no data, so it cannot acknowledge a write \(name data-bearing members: s\)$/);
});

test("a P-S-A primary that crashes after acknowledging w: 1 writes while its secondary was down: the fence line counts them, the secondary being down too", () => {
  // The secondary is down from 10s to 40s: the primary acknowledges alone, crashes at 25s, and is detected while the secondary is still down.
  const faults = "{ at: 10s, crash: s, for: 30s }\n  - { at: 25s, crash: p, for: 30s }";
  const result = simulate(scenarioText(replicaSet({ nodes: PSA, fault: faults })));
  const fence = result.timeline.find((e) => e.event === "fence");
  assert.ok(fence && "unreplicatedAcked" in fence && (fence.unreplicatedAcked ?? 0) > 0, JSON.stringify(fence));
  const promote = result.timeline.find((e) => e.event === "promote");
  assert.ok(promote && "lostAcked" in promote && promote.lostAcked === fence.unreplicatedAcked, "the fence counts what the new primary lacks");
  const text = renderSimulateText(result, new Chalk({ level: 0 }), { width: 200 }).replace(/\s+/g, " ");
  assert.match(text, /no fencing needed: the old primary is down; fencing could not save the [\d,]+ writes it acknowledged with w: 1/);
});

test("P-S-A with no member electable: the no-candidate line counts the votes, as a Raft group's does ('only 1 of the 2 votes a majority of 3 members needs')", () => {
  // The secondary crashes, then the arbiter's zone goes: the primary steps down and, alone, gathers only its own vote.
  const r = simulate(scenarioText(replicaSet({ nodes: PSA, fault: "{ at: 20s, crash: s }\n  - { at: 30s, lose: east/c }" })));
  const [none] = factsOf(r.timeline, "no-candidate");
  assert.ok(none !== undefined, "no member can be elected");
  const raft = none.excluded.find((x) => x.reason === "raft");
  assert.deepEqual(raft, { reason: "raft", members: 3, needed: 2, seen: 1 });
  const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 400 });
  assert.match(text, /no secondary can be elected: .*only 1 of the 2 votes a majority of 3 members needs/);
});

test("a primary that steps down acknowledges nothing after it: a write it had appended but not committed fails with the step-down", async () => {
  const { simulateWithHistory } = await import("../../src/engine/simulate.js");
  const { ACKED } = await import("../../src/engine/write-log.js");
  const { result, history } = simulateWithHistory(scenarioFrom("scenarios/mongodb-arbiter-rollback.yaml"));
  const stepDown = result.timeline.find((e) => e.event === "demote" && e.node === "mongo-a")!;
  const a = history.nodeNames.indexOf("mongo-a");
  const w = history.writes;
  const late: number[] = [];
  for (let id = 0; id < w.count; id++) if (w.node[id] === a && w.status[id] === ACKED && w.doneMs[id] > stepDown.atMs + 0.1) late.push(w.doneMs[id]);
  assert.deepEqual(late, [], "acknowledged by mongo-a after it stepped down");
});
