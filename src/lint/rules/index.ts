// The registry: every rule, in the order findings of equal position are listed.
// Rule ids are public (ignore lists, SARIF, CI dashboards): never rename one.
import type { Rule, RuleInfo } from "../types.js";
import { backupsSameRegion } from "./backups-same-region.js";
import { baseRetentionShorterThanPitr } from "./base-retention-shorter-than-pitr.js";
import { consensusFailoverIgnored } from "./consensus-failover-ignored.js";
import { consensusTooFewRegions } from "./consensus-too-few-regions.js";
import { coordinatorLostWithLeaderZone } from "./coordinator-lost-with-leader-zone.js";
import { coordinatorLostWithZone } from "./coordinator-lost-with-zone.js";
import { dnsTtlExceedsRto } from "./dns-ttl-exceeds-rto.js";
import { electionTimeoutFewHeartbeats } from "./election-timeout-few-heartbeats.js";
import { electionTimeoutTooShort } from "./election-timeout-too-short.js";
import { failoverWithoutFencing } from "./failover-without-fencing.js";
import { leaderlessLwwRpoZero } from "./leaderless-lww-rpo-zero.js";
import { leaseTtlTooShort } from "./lease-ttl-too-short.js";
import { lwwClockSkew } from "./lww-clock-skew.js";
import { multiLeaderLwwRpoZero } from "./multi-leader-lww-rpo-zero.js";
import { multiLeaderApplyTooSlow } from "./multi-leader-apply-too-slow.js";
import { noBackups } from "./no-backups.js";
import { patroniTimingFloor } from "./patroni-timing-floor.js";
import { promotionLostWithZone } from "./promotion-lost-with-zone.js";
import { pitrShorterThanDetection } from "./pitr-shorter-than-detection.js";
import { quorumExceedsN } from "./quorum-exceeds-n.js";
import { quorumNotStrong } from "./quorum-not-strong.js";
import { quorumWriteAll } from "./quorum-write-all.js";
import { quorumLostWithZone } from "./quorum-lost-with-zone.js";
import { sloppyQuorumCassandra } from "./sloppy-quorum-cassandra.js";
import { readsStaleReplica } from "./reads-stale-replica.js";
import { restoreDrillMissing } from "./restore-drill-missing.js";
import { restoreDrillOverdue } from "./restore-drill-overdue.js";
import { rpoZeroDegradesToAsync } from "./rpo-zero-degrades-to-async.js";
import { rpoZeroPromotesLagging } from "./rpo-zero-promotes-lagging.js";
import { rpoZeroWithoutPrevention } from "./rpo-zero-without-prevention.js";
import { rpoZeroWithoutSync } from "./rpo-zero-without-sync.js";
import { rtoBudgetExceeded } from "./rto-budget-exceeded.js";
import { silentStandbyExceedsRto } from "./silent-standby-exceeds-rto.js";
import { strictSingleSync } from "./strict-single-sync.js";
import { strictSyncLostWithZone } from "./strict-sync-lost-with-zone.js";
import { syncStandbyCrossRegion } from "./sync-standby-cross-region.js";
import { invalidInput } from "./invalid-input.js";
import { unknownRuleId } from "./unknown-rule-id.js";

export { invalidInput, unknownRuleId };

export const RULES: readonly Rule[] = [
  rpoZeroWithoutSync,
  rpoZeroDegradesToAsync,
  rpoZeroPromotesLagging,
  rtoBudgetExceeded,
  leaseTtlTooShort,
  patroniTimingFloor,
  dnsTtlExceedsRto,
  failoverWithoutFencing,
  coordinatorLostWithLeaderZone,
  coordinatorLostWithZone,
  strictSingleSync,
  strictSyncLostWithZone,
  promotionLostWithZone,
  silentStandbyExceedsRto,
  syncStandbyCrossRegion,
  quorumNotStrong,
  quorumExceedsN,
  quorumWriteAll,
  quorumLostWithZone,
  sloppyQuorumCassandra,
  lwwClockSkew,
  leaderlessLwwRpoZero,
  multiLeaderLwwRpoZero,
  multiLeaderApplyTooSlow,
  consensusTooFewRegions,
  electionTimeoutTooShort,
  electionTimeoutFewHeartbeats,
  consensusFailoverIgnored,
  readsStaleReplica,
  noBackups,
  backupsSameRegion,
  pitrShorterThanDetection,
  rpoZeroWithoutPrevention,
  baseRetentionShorterThanPitr,
  restoreDrillMissing,
  restoreDrillOverdue,
];

/** Every rule a finding can carry, for SARIF's rule table and JUnit's test cases. */
export const ALL_RULES: readonly Rule[] = [...RULES, unknownRuleId];

export const RULE_IDS: readonly string[] = ALL_RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}

/** Every id a finding can carry, bad input included: the pages of `repl-lab rules` and SARIF's rule table. */
export const DOCUMENTED_RULES: readonly RuleInfo[] = [...ALL_RULES, invalidInput];
