// Consensus across regions needs a majority that no single region holds.
import { consensusTooFewRegions } from "../../src/lint/rules/consensus-too-few-regions.js";
import { at, ruleTester, topology } from "./helpers.js";

const regions = `regions:
  east: { zones: [a, b, c] }
  west: { zones: [a] }
  eu: { zones: [a] }`;
const three = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
  replication: "replication: { mode: consensus, members: [east, west, eu] }",
});
const two = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: west/a }",
  replication: "replication: { mode: consensus, members: [east, west] }",
});

ruleTester(consensusTooFewRegions, "error", {
  valid: [
    { name: "one member in each of three regions", yaml: three },
    { name: "leader/follower is not a consensus group", yaml: topology() },
  ],
  invalid: [{ name: "two regions: one holds the majority", yaml: two, findings: [{ ...at(two, "members: [east, west]", "[east, west]"), includes: ["only 2 regions", "east: 2"] }] }],
});
