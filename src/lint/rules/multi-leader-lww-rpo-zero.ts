// With several leaders, two clients can write one key at once, and both are
// acknowledged. Last-write-wins then keeps one and silently throws the other
// away: an acknowledged write lost without any failure at all.
import { listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const multiLeaderLwwRpoZero: Rule = {
  id: "multi-leader-lww-rpo-zero",
  severity: "error",
  description: "A multi-leader design that resolves conflicts by last-write-wins cannot hold a class to RPO 0.",
  hint: "Give each key one home leader (routing: home-region), or resolve conflicts with crdt or app.",
  docs: {
    why:
      "With several leaders, two clients can write one key at once, and both are acknowledged. " +
      "Last-write-wins then keeps one and silently discards the other: " +
      "an acknowledged write is lost without any failure at all, which a class with RPO 0 cannot allow.",
    fix:
      "Give each key one home leader (`routing: home-region`; " +
      "for money, single-leader replication with a synchronous standby), or resolve conflicts without dropping writes: `conflict: " +
      "crdt` (merge) or `app` (flag the conflict for the application).",
    example: {
      bad: [
        "replication: { mode: multi-leader, leaders: [us-east, eu-west], conflict: lww, routing: any }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
      good: [
        "replication: { mode: multi-leader, leaders: [us-east, eu-west], conflict: lww, routing: home-region }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "multi-leader"),
  check({ topology }) {
    const r = topology.replication;
    // With each key written in its home region only, no two writes to a key are concurrent: LWW drops nothing.
    if (r.mode !== "multi-leader" || r.conflict !== "lww" || r.routing === "home-region") return [];
    return topology.dataClasses
      .filter((c) => c.rpoMs === 0)
      .map((c) => ({
        path: ["data_classes", c.name, "rpo"],
        message: `${c.name} needs RPO 0, but leaders in ${listWords(r.leaders)} resolve conflicts by last-write-wins: of two concurrent writes to one key, both acknowledged, one is silently discarded`,
      }));
  },
};
