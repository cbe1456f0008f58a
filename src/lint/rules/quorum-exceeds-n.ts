// A quorum larger than the number of copies can never be collected: every
// write (or read) would fail.
import { modeIs } from "../design.js";
import type { Rule, RuleHit } from "../types.js";
import { classQuorums } from "./quorum.js";

export const quorumExceedsN: Rule = {
  id: "quorum-exceeds-n",
  severity: "error",
  description: "W and R must not exceed N, the number of replicas of each key.",
  hint: "Keep W and R between 1 and N; a majority (⌊N/2⌋+1) is the usual choice.",
  docs: {
    why:
      "W and R count replicas of one key, and there are only N of them. " +
      "A quorum larger than N can never be collected, so every write (or read) fails, even with every node up.",
    fix: "Keep W and R between 1 and N. A majority, ⌊N/2⌋+1, is the usual choice for both; check the per-class `r` and `w` too.",
    example: {
      bad: [
        "replication: { mode: leaderless, n: 3, w: 4, r: 2 }",
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
      for (const [name, value, path] of [["W", q.w, q.wPath], ["R", q.r, q.rPath]] as const) {
        if (value <= q.n) continue;
        const what = name === "W" ? "write can ever collect enough acks, so every write fails" : "read can ever collect enough replies, so every read fails";
        // One hit per place in the file, even when many classes inherit the value.
        hits.set(path.join("."), { path: [...path], message: `${name} = ${value} but N = ${q.n}: no ${what}` });
      }
    }
    return [...hits.values()];
  },
};
