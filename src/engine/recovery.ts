// Planning recovery from what the simulated history left behind. For damage
// replication cannot undo (a bad write every replica applied) or data it
// could not save (a lost region), the planner weighs every way back —
// point-in-time restore, the newest base backup, a logical dump, nothing —
// each with its data loss and restore time, and picks the best. Restore drills
// replay the same machinery on a side cluster and report what they find.
// The plans live in recovery/; the result is data, and the report words it.
import { otherBadWrite, planBadWrite } from "./recovery/bad-write.js";
import { noRestore } from "./recovery/common.js";
import { restoreDrill } from "./recovery/drill.js";
import { planRegionLoss } from "./recovery/region-loss.js";
import type { DrillResult, DrillsVerdict, Recovery, RecoveryInput } from "./recovery/types.js";

export type * from "./recovery/types.js";

export function planRecovery(input: RecoveryInput): Recovery {
  const drills = input.drillTimes.map((t) => restoreDrill(input, t));
  const ackedLosses = input.ackedLosses;
  const writesNotBack = input.writesNotBack;
  // A statement the guard refused changed nothing: the incident is the first bad write that went through, if any.
  const bad = input.badWrites.find((b) => !b.blockedByGuard) ?? input.badWrites[0];
  // With every node gone, the final loss is the one to restore from, whatever an earlier one's failover did; otherwise
  // the loss of the leader's region (a lost zone with nodes left elsewhere is a failover's to handle).
  const final = input.regionLosses.find((l) => l.final);
  const loss = final ?? input.regionLosses.find((l) => l.leaderRegionLost && !l.region.includes("/"));
  if (bad && !bad.blockedByGuard && final !== undefined) {
    // The bad write, then every copy of the data lost: production itself comes back only from the backups. When that
    // restore cannot happen, or its point is older than the bad write (which it then undoes too), the loss decides:
    // every write after that point is gone, the bad write's damage with them.
    const region = planRegionLoss(input, final);
    if (region.method === "none" || (region.targetAtMs !== null && region.targetAtMs < bad.atMs)) return { ...region, drills, ackedLosses, writesNotBack };
  }
  // A statement the guard refused changed nothing: a loss, if any, is the incident.
  if (bad && !(bad.blockedByGuard && loss)) {
    const plan = planBadWrite(input, bad);
    // Every other bad write that got through is said too: whether the restore for the first brings its rows back, or how it would come back alone.
    const others = bad.blockedByGuard ? [] : input.badWrites.filter((b) => b !== bad && !b.blockedByGuard).map((b) => otherBadWrite(input, plan, bad, b));
    return { ...plan, drills, ackedLosses, writesNotBack, ...(others.length > 0 ? { otherBadWrites: others } : {}) };
  }
  if (loss) return { ...planRegionLoss(input, loss), drills, ackedLosses, writesNotBack };
  const lostWrites = ackedLosses.reduce((n, l) => n + l.lostWrites, 0);
  if (lostWrites > 0) {
    // Nothing to restore, yet not "handled": writes the clients were told are durable are gone.
    const verdict = { kind: "acked-writes-lost", lostWrites, losses: ackedLosses, drills: drillsVerdict(drills) } as const;
    return { ...noRestore({ needed: false, method: "failover", incident: { kind: "acked-writes-lost", lostWrites }, drills, verdict }), lostWrites, ackedLosses, writesNotBack };
  }
  return { ...noRestore({ needed: false, method: "failover", incident: { kind: "none" }, drills, verdict: { kind: "no-damage", drills: drillsVerdict(drills) } }), writesNotBack };
}

function drillsVerdict(drills: DrillResult[]): DrillsVerdict {
  if (drills.length === 0) return "none";
  if (drills.some((d) => !d.ok)) return "some-failed";
  return drills.some((d) => (d.outcome === "passed" || d.outcome === "over-rto") && d.archiveFailingSinceMs !== null) ? "passed-archive-failing" : "all-passed";
}
