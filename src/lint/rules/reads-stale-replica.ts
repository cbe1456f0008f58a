// Asynchronous replicas are behind the leader by design. A class whose readers
// must see their own (or everyone's) latest writes cannot read from them blind.
import { formatDuration, formatSize } from "../../base/units.js";
import { modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const readsStaleReplica: Rule = {
  id: "reads-stale-replica",
  severity: "error",
  description: "A strong or read-your-writes class must read from the leader or with session (LSN) tracking, not from any replica.",
  hint: "Use reads: leader for strong classes and reads: session for read-your-writes.",
  docs: {
    why:
      "Asynchronous replicas are behind the leader by design. " +
      "A class whose readers must see their own (or everyone's) latest writes cannot read from them blind: " +
      "a reader can miss a write that was already acknowledged.",
    fix:
      "Writes go to the leader; reads are routed by how much staleness the class tolerates. Use `reads: leader` for strong classes and `reads: " +
      "session` (a replica only once it has replayed the session's last write LSN) for read-your-writes; " +
      "keep `any` or `{ max_lag }` for stale-tolerant classes such as analytics.",
    example: {
      bad: [
        "data_classes:",
        "  accounts: { rpo: 0, rto: 30s, consistency: read-your-writes, reads: any }",
      ],
      good: [
        "data_classes:",
        "  accounts: { rpo: 0, rto: 30s, consistency: read-your-writes, reads: session }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower", "consensus"),
  check({ topology }) {
    const mode = topology.replication.mode;
    // Only designs with a leader have asynchronous followers to read from; quorum reads are quorum-not-strong's business.
    if (mode !== "leader-follower" && mode !== "consensus") return [];
    return topology.dataClasses
      .filter((c) => c.consistency !== "eventual" && (c.reads.kind === "any" || c.reads.kind === "max_lag"))
      .map((c) => {
        const routing = c.reads.kind === "any" ? "reads: any sends them to replicas that may be any distance behind the leader" : "ms" in c.reads ? `reads: { max_staleness } still lets a replica up to ${formatDuration(c.reads.ms)} behind answer` : `reads: { max_lag } still lets a replica up to ${formatSize("bytes" in c.reads ? c.reads.bytes : 0)} behind answer`;
        return {
          path: ["data_classes", c.name, "reads"],
          message: `${c.name} needs ${c.consistency} reads, but ${routing}, so a reader can miss a write that was already acknowledged`,
        };
      });
  },
};
