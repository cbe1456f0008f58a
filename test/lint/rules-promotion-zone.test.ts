// promotion-lost-with-zone: losing the leader's zone with every replica that may be promoted in it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { promotionLostWithZone } from "../../src/lint/rules/promotion-lost-with-zone.js";
import { at, lintText, ruleTester, topology } from "./helpers.js";

const async = "replication:\n  mode: leader-follower";
/** The leader's neighbour in its zone is the only replica that may be promoted; the others are nofailover. */
const besideOnly = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/a }\n  n3: { zone: east/b, nofailover: true }\n  dr: { zone: west/a, nofailover: true }",
  replication: async,
});
/** Synchronous, lagging_candidates: wait (the default): the published standby n2 is in the leader's zone. */
const syncBeside = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/a }\n  n3: { zone: east/b }\n  dr: { zone: west/a, nofailover: true }",
  replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 1 (n2, n3)", commit: on, strict: false }',
});

ruleTester(promotionLostWithZone, "error", {
  valid: [
    { name: "the base design: n2 and n3 may be promoted outside the leader's zone", yaml: topology() },
    { name: "a replica outside the leader's zone may be promoted", yaml: besideOnly.replace("n3: { zone: east/b, nofailover: true }", "n3: { zone: east/b }") },
    {
      name: "nobody may be promoted even after a crash of the leader alone (rto-budget-exceeded's)",
      yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b, nofailover: true }\n  dr: { zone: west/a, nofailover: true }", replication: async }),
    },
    { name: "every node in the leader's zone: no claim to survive losing it", yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/a }", replication: async }) },
    { name: "synchronous, but lagging_candidates: promote lets n3 take over", yaml: syncBeside.replace("  fencing: lease\n", "  fencing: lease\n  lagging_candidates: promote\n") },
    { name: "synchronous, the published standby outside the leader's zone", yaml: syncBeside.replace('"FIRST 1 (n2, n3)"', '"FIRST 1 (n3, n2)"') },
    {
      name: "a consensus group (coordinator-lost-with-zone's and consensus-too-few-regions')",
      yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/a }\n  n3: { zone: east/b }", replication: "replication: { mode: consensus, members: [east] }" }),
    },
  ],
  invalid: [
    {
      name: "asynchronous: the only promotable replica shares the leader's zone",
      yaml: besideOnly,
      findings: [
        {
          ...at(besideOnly, "n1: { zone", "n1"),
          includes: ["losing the leader's zone east/a (n1 and n2) leaves nobody to promote", "n2, the only replica that may be promoted, goes with it", "n3 and dr are nofailover", "writes of ledger and analytics do not come back until the zone returns"],
          hintIncludes: ["drop its nofailover tag"],
        },
      ],
    },
    {
      name: "synchronous with lagging_candidates: wait: the published standby shares the leader's zone",
      yaml: syncBeside,
      findings: [{ ...at(syncBeside, "n1: { zone", "n1"), includes: ["published synchronous standby (n2)", "lagging_candidates: wait", "(n3)"], hintIncludes: ["outside the leader's zone"] }],
    },
  ],
});

test("a design whose only promotable replica shares the leader's zone is an error, not 0 errors", () => {
  const found = lintText(besideOnly).filter((f) => f.severity === "error");
  assert.ok(found.some((f) => f.rule === "promotion-lost-with-zone"), found.map((f) => f.rule).join(", "));
});

test("the rule's page example breaks the rule, and its fix does not", () => {
  const { bad, good } = promotionLostWithZone.docs.example;
  const base = (nodes: readonly string[]) => topology({ nodes: nodes.join("\n").replace(/us-east\//g, "east/").replace(/pg-/g, "n"), replication: async });
  assert.equal(lintText(base(bad), { rules: [promotionLostWithZone] }).length, 1);
  assert.equal(lintText(base(good), { rules: [promotionLostWithZone] }).length, 0);
});
