// When a Raft group has lost its majority, the timeline says no member can be
// elected and how many votes the best-placed candidate could gather against the
// majority it needs. A candidate votes for itself, so the count is the members
// still up and reaching each other (the candidate included), never zero while a
// member stands: 3 members losing 2 leave 1 of the 2 votes needed, 5 losing 3
// leave 2 of the 3. With every member down nobody runs an election timer, so
// nothing is said until one is back. Checked for members one per region and one per zone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

const LOSE_AT_MS = 10_000;
const LOSE_FOR_MS = 20_000;

/** `members` Raft members, n0 leading, each in its own region (`spread: "region"`) or its own zone of one region; `lost` of them are lost with their place. */
function group(members: number, spread: "region" | "zone", lostIdx: number[]): string {
  const place = (i: number) => (spread === "region" ? `r${i}` : `east/z${i}`);
  const regions =
    spread === "region"
      ? Array.from({ length: members }, (_, i) => `    r${i}: { zones: [a] }`).join("\n")
      : `    east: { zones: [${Array.from({ length: members }, (_, i) => `z${i}`).join(", ")}] }`;
  const nodes = Array.from({ length: members }, (_, i) => `    n${i}: { zone: ${spread === "region" ? `r${i}/a` : `east/z${i}`}${i === 0 ? ", role: leader" : ""} }`).join("\n");
  const memberList = spread === "region" ? Array.from({ length: members }, (_, i) => `r${i}`).join(", ") : "east";
  const faults = lostIdx.map((i) => `\n  - { at: ${LOSE_AT_MS}ms, lose: ${place(i)}, for: ${LOSE_FOR_MS}ms }`).join("");
  return `kind: scenario
name: vote-count
seed: 5
duration: 40s
workload: { writes: 50, reads: 10, clients: 10 }
faults:${faults}
topology:
  kind: topology
  name: vote-count
  preset: etcd-raft
  regions:
${regions}
  network:
    cross-region: { median: 20, p99: 40 }
  nodes:
${nodes}
  replication: { mode: consensus, members: [${memberList}], election_timeout: 1s, heartbeat: 100ms }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

const cases: { members: number; lost: number[] }[] = [
  { members: 3, lost: [1] },
  { members: 3, lost: [1, 2] },
  { members: 3, lost: [0, 1] },
  { members: 3, lost: [0, 1, 2] },
  { members: 5, lost: [1] },
  { members: 5, lost: [0, 1] },
  { members: 5, lost: [1, 2, 3] },
  { members: 5, lost: [0, 1, 2] },
];

for (const spread of ["region", "zone"] as const) {
  for (const { members, lost } of cases) {
    test(`${members} Raft members one per ${spread}, losing ${lost.map((i) => `n${i}`).join(", ")}: the vote count counts the candidate's own vote`, () => {
      const result = simulate(scenarioText(group(members, spread, lost)));
      const majority = Math.floor(members / 2) + 1;
      const left = members - lost.length;
      const during = factsOf(result.timeline, "no-candidate").filter((f) => f.atMs >= LOSE_AT_MS && f.atMs < LOSE_AT_MS + LOSE_FOR_MS);
      if (left >= majority) {
        assert.equal(during.length, 0, "a majority is left: a member is elected");
        return;
      }
      if (left === 0) {
        // No member is up to run an election timer: nobody campaigns, nobody detects anything, until one is back.
        assert.equal(during.length, 0, "no member says anything while every member is down");
        assert.equal(factsOf(result.timeline, "detect").filter((f) => f.atMs < LOSE_AT_MS + LOSE_FOR_MS).length, 0, "no timer ran out");
        return;
      }
      assert.ok(during.length > 0, "no member can be elected while the majority is gone");
      for (const f of during) {
        const raft = f.excluded.find((x) => x.reason === "raft");
        assert.ok(raft && raft.reason === "raft", "the vote count is given");
        assert.equal(raft.members, members);
        assert.equal(raft.needed, majority);
        assert.equal(raft.seen, left, `the ${left} members left (the candidate's own vote included) of the ${majority} needed`);
      }
    });
  }
}
