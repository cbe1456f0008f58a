// The registry: every rule, in the order findings of equal position are listed.
// Rule ids are public (ignore lists, SARIF, CI dashboards): never rename one.
import type { Rule } from "../types.js";
import { backupsSameRegion } from "./backups-same-region.js";
import { baseRetentionShorterThanPitr } from "./base-retention-shorter-than-pitr.js";
import { consensusTooFewRegions } from "./consensus-too-few-regions.js";
import { coordinatorLostWithLeaderZone } from "./coordinator-lost-with-leader-zone.js";
import { dnsTtlExceedsRto } from "./dns-ttl-exceeds-rto.js";
import { failoverWithoutFencing } from "./failover-without-fencing.js";
import { leaseTtlTooShort } from "./lease-ttl-too-short.js";
import { multiLeaderLwwRpoZero } from "./multi-leader-lww-rpo-zero.js";
import { noBackups } from "./no-backups.js";
import { pitrShorterThanDetection } from "./pitr-shorter-than-detection.js";
import { quorumExceedsN } from "./quorum-exceeds-n.js";
import { quorumNotStrong } from "./quorum-not-strong.js";
import { quorumWriteAll } from "./quorum-write-all.js";
import { readsStaleReplica } from "./reads-stale-replica.js";
import { restoreDrillMissing } from "./restore-drill-missing.js";
import { restoreDrillOverdue } from "./restore-drill-overdue.js";
import { rpoZeroDegradesToAsync } from "./rpo-zero-degrades-to-async.js";
import { rpoZeroWithoutPrevention } from "./rpo-zero-without-prevention.js";
import { rpoZeroWithoutSync } from "./rpo-zero-without-sync.js";
import { rtoBudgetExceeded } from "./rto-budget-exceeded.js";
import { strictSingleSync } from "./strict-single-sync.js";
import { syncStandbyCrossRegion } from "./sync-standby-cross-region.js";

export const RULES: readonly Rule[] = [
  rpoZeroWithoutSync,
  rpoZeroDegradesToAsync,
  rtoBudgetExceeded,
  leaseTtlTooShort,
  dnsTtlExceedsRto,
  failoverWithoutFencing,
  coordinatorLostWithLeaderZone,
  strictSingleSync,
  syncStandbyCrossRegion,
  quorumNotStrong,
  quorumExceedsN,
  quorumWriteAll,
  multiLeaderLwwRpoZero,
  consensusTooFewRegions,
  readsStaleReplica,
  noBackups,
  backupsSameRegion,
  pitrShorterThanDetection,
  rpoZeroWithoutPrevention,
  baseRetentionShorterThanPitr,
  restoreDrillMissing,
  restoreDrillOverdue,
];

/**
 * Not a check of the design but of its ignore lists and comments: a misspelt
 * id would otherwise silently ignore nothing. The runner reports it.
 */
export const unknownRuleId: Rule = {
  id: "unknown-rule-id",
  severity: "warning",
  description: "An ignore list or `# repl-lab: ignore` comment names a rule that does not exist.",
  hint: `Known rule ids: ${RULES.map((r) => r.id).join(", ")}.`,
  check: () => [],
};

/** Every rule a finding can carry, for SARIF's rule table and JUnit's test cases. */
export const ALL_RULES: readonly Rule[] = [...RULES, unknownRuleId];

export const RULE_IDS: readonly string[] = ALL_RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
