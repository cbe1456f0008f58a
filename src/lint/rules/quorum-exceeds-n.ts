// A quorum larger than the number of copies can never be collected: every
// write (or read) would fail.
import type { Rule, RuleHit } from "../types.js";
import { classQuorums } from "./quorum.js";

export const quorumExceedsN: Rule = {
  id: "quorum-exceeds-n",
  severity: "error",
  description: "W and R must not exceed N, the number of replicas of each key.",
  hint: "W and R count replicas of one key: keep each between 1 and N (a majority, ⌊N/2⌋+1, is the usual choice).",
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
