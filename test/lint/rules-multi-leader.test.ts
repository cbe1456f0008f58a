// multi-leader-apply-too-slow: a leader applies each other leader's writes at its apply_rate; a scenario whose
// clients make more than that on another leader falls behind all run (simulate measures the lag growing at the
// difference: multi-leader-apply-rate.test). A topology alone has no write rate: nothing to say.
import { multiLeaderApplyTooSlow } from "../../src/lint/rules/multi-leader-apply-too-slow.js";
import { at, ruleTester } from "./helpers.js";

const design = (replication: string, nodes = "    m-us: { zone: us-east/a }\n    m-eu: { zone: eu-west/a }") => `kind: topology
name: two-leaders
regions:
  us-east: { zones: [a] }
  eu-west: { zones: [a] }
nodes:
${nodes.replace(/^ {2}/gm, "")}
replication: { mode: multi-leader, leaders: [us-east, eu-west]${replication} }
data_classes:
  profiles: { rpo: 1m, rto: 1m }
`;

const scenario = (replication: string, workload = "{ writes: 400, zones: [us-east/a, eu-west/a] }", nodes?: string) => `kind: scenario
name: busy
duration: 1m
workload: ${workload}
topology:
${design(replication, nodes).trimEnd().split("\n").map((line) => `  ${line}`).join("\n")}
`;

const slow = scenario(", apply_rate: 100");
const oneSlow = scenario("", "{ writes: 400, zones: [us-east/a, eu-west/a] }", "    m-us: { zone: us-east/a }\n    m-eu: { zone: eu-west/a, apply_rate: 150 }");
const lopsided = scenario(", apply_rate: 250", "{ writes: 400, zones: [us-east/a, us-east/a, us-east/a, eu-west/a] }");

ruleTester(multiLeaderApplyTooSlow, "warning", {
  valid: [
    { name: "a topology alone has no write rate", yaml: design(", apply_rate: 100") },
    { name: "each leader applies faster than the other writes", yaml: scenario(", apply_rate: 250") },
    { name: "the preset's apply rate", yaml: scenario("") },
  ],
  invalid: [
    // Clients alternate between the two zones: each leader makes 200 of the 400 writes/s, and each applies 100/s.
    {
      name: "both leaders apply slower than the other writes",
      yaml: slow,
      findings: [
        { ...at(slow, "apply_rate: 100", "100"), includes: ["m-eu applies m-us's writes at 100/s", "m-us makes about 200/s", "falls about 100 writes further behind it every second"], hintIncludes: ["apply_rate"] },
        { ...at(slow, "apply_rate: 100", "100"), includes: ["m-us applies m-eu's writes at 100/s", "m-eu makes about 200/s"] },
      ],
    },
    { name: "a node's own apply_rate", yaml: oneSlow, findings: [{ ...at(oneSlow, "apply_rate: 150", "150"), includes: ["m-eu applies m-us's writes at 150/s", "m-us makes about 200/s", "50 writes further behind"] }] },
    // Three clients in four write on m-us: 300/s, above the 250 m-eu applies; m-eu's 100/s is below m-us's 250.
    { name: "only the leader that receives the larger stream", yaml: lopsided, findings: [{ ...at(lopsided, "apply_rate: 250", "250"), includes: ["m-eu applies m-us's writes at 250/s", "m-us makes about 300/s"] }] },
  ],
});
