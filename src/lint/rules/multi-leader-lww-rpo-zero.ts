// With several leaders, two clients can write one key at once, and both are
// acknowledged. Last-write-wins then keeps one and silently throws the other
// away: an acknowledged write lost without any failure at all.
import { listWords } from "../design.js";
import type { Rule } from "../types.js";

export const multiLeaderLwwRpoZero: Rule = {
  id: "multi-leader-lww-rpo-zero",
  severity: "error",
  description: "A multi-leader design that resolves conflicts by last-write-wins cannot hold a class to RPO 0.",
  hint:
    "Give each key one home leader (routing: home-region, with single-leader replication and a sync standby for money), " +
    "or resolve conflicts without dropping writes: conflict: crdt (merge) or app (flag for the application).",
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "multi-leader" || r.conflict !== "lww") return [];
    return topology.dataClasses
      .filter((c) => c.rpoMs === 0)
      .map((c) => ({
        path: ["data_classes", c.name, "rpo"],
        message: `${c.name} needs RPO 0, but leaders in ${listWords(r.leaders)} resolve conflicts by last-write-wins: of two concurrent writes to one key, both acknowledged, one is silently discarded`,
      }));
  },
};
