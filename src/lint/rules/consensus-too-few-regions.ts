// A consensus group survives the loss of a minority. With members in only two
// regions, one of them holds the majority: losing it stops all writes, so the
// group buys cross-region latency without regional resilience.
import { modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const consensusTooFewRegions: Rule = {
  id: "consensus-too-few-regions",
  severity: "error",
  description: "A consensus group spanning regions needs members in at least three regions to survive losing one.",
  hint: "Spread the members over three (or five) regions so that any one region is a minority.",
  docs: {
    why:
      "A consensus group survives the loss of a minority of its members. With members in only two regions, one of them holds the majority: " +
      "losing that region stops every write, so the group pays cross-region latency on each commit without gaining regional resilience.",
    fix:
      "Spread the members over three (or five) regions so that any one region is a minority, e.g. `members: " +
      "[us-east, us-west, eu-west]`, or keep the group in one region and replicate asynchronously to the others.",
    example: {
      bad: [
        "replication: { mode: consensus, members: [us-east, us-west] }",
      ],
      good: [
        "replication: { mode: consensus, members: [us-east, us-west, eu-west] }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "consensus"),
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "consensus") return [];
    const regions = new Set(topology.nodes.map((n) => n.region));
    if (regions.size >= 3 || regions.size === 1) return [];
    const counts = [...regions].map((region) => `${region}: ${topology.nodes.filter((n) => n.region === region).length}`);
    return [
      {
        path: ["replication", "members"],
        message: `the consensus group spans only ${regions.size} regions (${counts.join(", ")} members): losing the region with the majority stops every write, and the group still pays cross-region latency on each commit`,
      },
    ];
  },
};
