// A "synchronous" leader that falls back to asynchronous commits when its
// standby stops answering keeps writing with no second copy: the next failover
// then loses exactly the writes RPO 0 promised to keep.
import { commitAllowsLoss, formatMs, listWords, zeroRpoClasses } from "../design.js";
import type { Rule } from "../types.js";

export const rpoZeroDegradesToAsync: Rule = {
  id: "rpo-zero-degrades-to-async",
  severity: "warning",
  description: "An RPO-0 class relies on a synchronous standby, but strict: false lets the leader degrade to asynchronous commits when the standby is gone.",
  hint: "Set replication.synchronous.strict: true so commits wait for a standby instead of going on alone.",
  docs: {
    why:
      "A \"synchronous\" leader that falls back to asynchronous commits when its standby stops answering keeps writing with no second copy. " +
      "The next failover then loses exactly the writes that RPO 0 promised to keep, and nothing in the application noticed the change.",
    fix:
      "Set `replication.synchronous.strict: true`, so commits wait for a standby instead of going unprotected. " +
      "Writes then block while no synchronous standby is up; for money that is the right trade. " +
      "List a spare standby (`ANY 1 (a, b)`) so that one replica's outage does not halt writes.",
    example: {
      bad: [
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", strict: false }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
      good: [
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", strict: true }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null,
  check({ topology }) {
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" || replication.sync === null || replication.sync.strict) return [];
    // Classes that commit off/local are already reported by rpo-zero-without-sync.
    const classes = zeroRpoClasses(topology).filter((c) => !commitAllowsLoss(c.commit));
    if (classes.length === 0) return [];
    const after = replication.sync.degradeAfterMs > 0 ? ` after ${formatMs(replication.sync.degradeAfterMs)} without a standby ack` : " once no standby is left to ack";
    return [
      {
        path: ["replication", "synchronous", "strict"],
        message: `${listWords(classes.map((c) => c.name))} need${classes.length === 1 ? "s" : ""} RPO 0, but synchronous.strict is false: the leader goes on alone${after}, and a failover after that loses the writes only it had`,
      },
    ];
  },
};
