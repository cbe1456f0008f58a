// A "synchronous" leader that falls back to asynchronous commits when its
// standby stops answering keeps writing with no second copy: if it dies, either
// no standby may be promoted (Patroni: writes stop until it is back) or one is
// promoted without those writes, exactly the ones RPO 0 promised to keep.
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
      "If it then dies, no standby is known to hold those writes: Patroni promotes none and writes stop until the old leader is back (its disk holds the only copy), " +
      "while a failover manager that promotes lagging replicas loses exactly the writes that RPO 0 promised to keep. Nothing in the application noticed the change.",
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
    // No standby is known to hold those writes: a failover waits for the old leader unless lagging replicas may be promoted.
    const then =
      topology.failover.laggingCandidates === "promote"
        ? "a failover after that promotes a replica without the writes only it had (lost)"
        : "if it then dies no standby may be promoted (writes stop until it is back), and losing its disk or a manual failover loses the writes only it had";
    return [
      {
        path: ["replication", "synchronous", "strict"],
        message: `${listWords(classes.map((c) => c.name))} need${classes.length === 1 ? "s" : ""} RPO 0, but synchronous.strict is false: the leader goes on alone${after}; ${then}`,
      },
    ];
  },
};
