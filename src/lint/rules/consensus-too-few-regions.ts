// A consensus group survives the loss of a minority of its members. Spread
// over regions, it survives losing a region only if the members outside that
// region are still a majority of all members, for every region. Counting the
// regions is not enough: three members in one region and one in each of two
// others span three regions, yet losing the first stops all writes.
import { listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const consensusTooFewRegions: Rule = {
  id: "consensus-too-few-regions",
  severity: "error",
  description: "A consensus group spanning regions needs a majority of its members outside any one region to survive losing it.",
  hint: "Place the members so that no region holds half or more: e.g. 1 + 1 + 1, or 2 + 2 + 1 for five.",
  docs: {
    why:
      "A consensus group survives the loss of a minority of its members: Raft elects a leader and commits only with the votes of a majority of all members. " +
      "A region that holds half the members or more takes that majority with it when it goes, however many other regions hold the rest " +
      "(two regions, or three members in one region and one in each of two others): losing that region stops every write, " +
      "so the group pays cross-region latency on each commit without gaining regional resilience.",
    fix:
      "Place the members so that the ones outside any single region are still a majority: one in each of three regions, " +
      "or for five members 2 + 2 + 1 over three regions (or one in each of five), e.g. `members: [us-east, us-west, eu-west]` with a node in each; " +
      "or keep the group in one region and replicate asynchronously to the others.",
    example: {
      bad: [
        "nodes:",
        "  r1: { zone: us-east/a, role: leader }",
        "  r2: { zone: us-east/b }",
        "  r3: { zone: us-east/c }",
        "  r4: { zone: us-west/a }",
        "  r5: { zone: eu-west/a }",
        "replication: { mode: consensus, members: [us-east, us-west, eu-west] }",
      ],
      good: [
        "nodes:",
        "  r1: { zone: us-east/a, role: leader }",
        "  r2: { zone: us-east/b }",
        "  r3: { zone: us-west/a }",
        "  r4: { zone: us-west/b }",
        "  r5: { zone: eu-west/a }",
        "replication: { mode: consensus, members: [us-east, us-west, eu-west] }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "consensus"),
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "consensus") return [];
    const total = topology.nodes.length;
    const counts = [...new Set(topology.nodes.map((n) => n.region))].map((region) => ({ region, members: topology.nodes.filter((n) => n.region === region).length }));
    // A group in one region makes no claim to survive losing it.
    if (counts.length <= 1) return [];
    const majority = Math.floor(total / 2) + 1;
    // Regions whose loss leaves too few votes, the one holding most members first.
    const fatal = counts.filter((c) => total - c.members < majority).sort((a, b) => b.members - a.members);
    if (fatal.length === 0) return [];
    const [worst, ...others] = fatal;
    const left = total - worst.members;
    const also = others.length > 0 ? ` (so does losing ${listWords(others.map((c) => c.region))})` : "";
    return [
      {
        path: ["replication", "members"],
        message:
          `losing ${worst.region} stops every write${also}: it holds ${worst.members} of the ${total} members (${counts.map((c) => `${c.region}: ${c.members}`).join(", ")}), ` +
          `and ${left === 1 ? "the 1 left is" : `the ${left} left are`} short of the ${majority} votes a majority of ${total} needs; the group still pays cross-region latency on each commit`,
      },
    ];
  },
};
