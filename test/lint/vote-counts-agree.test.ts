// The lint rules that say a zone's or a region's loss stops every write
// (coordinator-lost-with-zone, coordinator-lost-with-leader-zone,
// consensus-too-few-regions) count the votes left as simulate does when that
// zone or region is lost: "only L of the M votes a majority of N members
// needs" beside "the L left are short of the M votes a majority of N needs".
// Found by a review: for a MongoDB replica set the rules spoke of "the
// coordinator's members" and "the majority of 3", where the voters are the
// set's members and the engine counts votes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadText } from "../../src/model/load.js";
import { lintText } from "./helpers.js";
import { simulate } from "../../src/engine/simulate.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { Chalk } from "chalk";

function design(opts: { mode: string; preset: string; nodes: string[]; lose: string }): string {
  return `kind: scenario
name: votes
seed: 3
duration: 60s
topology:
  kind: topology
  name: votes
  preset: ${opts.preset}
  regions:
    us-east: { zones: [a, b, c] }
    us-west: { zones: [a] }
    eu-west: { zones: [a] }
  nodes:
${opts.nodes.map((zone, i) => `    n${i + 1}: { zone: ${zone}${i === 0 ? ", role: leader" : ""} }`).join("\n")}
  replication: { mode: ${opts.mode} }
  data_classes:
    orders: { rpo: 0, rto: 30s }
workload: { writes: 200, reads: 0, clients: 20 }
faults:
  - { at: 20s, lose: ${opts.lose} }
`;
}

function counts(text: string, rule: string): { lint: number[]; simulate: number[]; message: string } {
  const loaded = loadText("votes.yaml", text);
  const findings = lintText(text).filter((f) => f.rule === rule);
  assert.equal(findings.length, 1, `${rule} fires once`);
  const message = findings[0].message.replace(/\s+/g, " ");
  const m = /(?:the (\d+) left (?:is|are) short|leaves (\d+), short) of the (\d+) votes a majority of (\d+) needs/.exec(message);
  assert.ok(m, message);
  if (loaded.kind !== "scenario") throw new Error("a scenario");
  const report = renderSimulateText(simulate(loaded.scenario), new Chalk({ level: 0 })).replace(/\s+/g, " ");
  const s = /only (\d+) of the (\d+) votes a majority of (\d+) members needs/.exec(report);
  assert.ok(s, report);
  return { lint: [Number(m[1] ?? m[2]), Number(m[3]), Number(m[4])], simulate: [Number(s[1]), Number(s[2]), Number(s[3])], message };
}

const cases: Array<{ name: string; rule: string; mode: string; preset: string; nodes: string[]; lose: string; words?: RegExp }> = [
  { name: "MongoDB, 3 members, 2 in another zone", rule: "coordinator-lost-with-zone", mode: "leader-follower", preset: "mongodb", nodes: ["us-east/a", "us-east/b", "us-east/b"], lose: "us-east/b", words: /primary n1 \(us-east\/a\) is fine: it holds 2 of the replica set's 3 voting members/ },
  { name: "MongoDB, 5 members, 3 in another zone", rule: "coordinator-lost-with-zone", mode: "leader-follower", preset: "mongodb", nodes: ["us-east/a", "us-east/b", "us-east/b", "us-east/b", "us-east/c"], lose: "us-east/b", words: /3 of the replica set's 5 voting members/ },
  { name: "MongoDB, 3 members, 2 in the primary's zone", rule: "coordinator-lost-with-leader-zone", mode: "leader-follower", preset: "mongodb", nodes: ["us-east/a", "us-east/a", "us-east/b"], lose: "us-east/a", words: /2 of the replica set's 3 voting members \(n1 and n2\) are in the primary's zone/ },
  { name: "MongoDB, 5 members, 3 in the primary's zone", rule: "coordinator-lost-with-leader-zone", mode: "leader-follower", preset: "mongodb", nodes: ["us-east/a", "us-east/a", "us-east/a", "us-east/b", "us-east/c"], lose: "us-east/a" },
  { name: "Raft group in one region, 3 members, 2 in one zone", rule: "coordinator-lost-with-zone", mode: "consensus", preset: "etcd-raft", nodes: ["us-east/a", "us-east/a", "us-east/b"], lose: "us-east/a" },
  { name: "Raft group in one region, 5 members, 3 in one zone", rule: "coordinator-lost-with-zone", mode: "consensus", preset: "etcd-raft", nodes: ["us-east/a", "us-east/a", "us-east/a", "us-east/b", "us-east/c"], lose: "us-east/a" },
  { name: "Raft group over regions, 3 members, 2 in one region", rule: "consensus-too-few-regions", mode: "consensus", preset: "etcd-raft", nodes: ["us-east/a", "us-east/b", "us-west/a"], lose: "us-east" },
  { name: "Raft group over regions, 5 members, 3 in one region", rule: "consensus-too-few-regions", mode: "consensus", preset: "etcd-raft", nodes: ["us-east/a", "us-east/b", "us-east/c", "us-west/a", "eu-west/a"], lose: "us-east" },
];

for (const c of cases) {
  test(`the votes the lint counts are the votes simulate counts: ${c.name}`, () => {
    const { lint, simulate: sim, message } = counts(design(c), c.rule);
    assert.deepEqual(lint, sim, message);
    if (c.words) assert.match(message, c.words);
    assert.doesNotMatch(message, /coordinator/, "a set whose members vote has no coordinator to speak of");
  });
}
