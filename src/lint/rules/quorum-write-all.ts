// W = N buys fast, always-fresh reads with R = 1, but a single replica that is
// down or slow then blocks every write to its keys.
import { modeIs } from "../design.js";
import type { Rule, RuleHit } from "../types.js";
import { classQuorums } from "./quorum.js";

export const quorumWriteAll: Rule = {
  id: "quorum-write-all",
  severity: "warning",
  description: "W = N: one replica down blocks every write.",
  hint: "Use a majority W (⌊N/2⌋+1) with R + W > N, so writes survive one node down.",
  docs: {
    why:
      "W = N buys fast, always-fresh reads with R = 1, but a single replica that is down or slow then blocks every write to its keys: " +
      "the store is only as available as its least available replica.",
    fix:
      "Use a majority W = ⌊N/2⌋+1 with R chosen so that R + W > N: both paths then survive a node loss. " +
      "A sloppy quorum with hinted handoff is the availability-first alternative, at the price of weaker reads.",
    example: {
      bad: [
        "replication: { mode: leaderless, n: 3, w: 3, r: 1 }",
      ],
      good: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2 }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leaderless"),
  check({ topology }) {
    const hits = new Map<string, RuleHit>();
    for (const q of classQuorums(topology)) {
      if (q.n < 2 || q.w !== q.n) continue;
      hits.set(q.wPath.join("."), {
        path: q.wPath,
        message: `W = N = ${q.n}: every write needs all ${q.n} replicas, so one replica down or slow blocks writes${q.dataClass.w !== null ? ` to ${q.dataClass.name}` : ""}`,
      });
    }
    return [...hits.values()];
  },
};
