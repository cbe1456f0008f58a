// In synchronous mode only the last leader and the published synchronous
// standbys are known to hold every acknowledged write, so only they may take
// over. `lagging_candidates: promote` drops that guard when none of them can:
// the failover manager promotes the most advanced replica it can reach, and the
// acknowledged writes that replica never received are gone. For RPO 0 that is
// the one thing the synchronous standby was paid for.
import { PRESETS, type PresetName } from "../../model/presets.js";
import type { ResolvedNode, ResolvedTopology } from "../../model/types.js";
import { commitAllowsLoss, listWords, zeroRpoClasses } from "../design.js";
import type { Rule } from "../types.js";

export const rpoZeroPromotesLagging: Rule = {
  id: "rpo-zero-promotes-lagging",
  severity: "error",
  description:
    "An RPO-0 class on synchronous replication must not be failed over with lagging_candidates: promote when a replica that may be promoted can miss acknowledged writes.",
  hint: "Set failover.lagging_candidates: wait: no failover until a replica with every write is back.",
  docs: {
    why:
      "In synchronous mode only the last leader and the published synchronous standbys are known to hold every acknowledged write, so only they may take over. " +
      "With `lagging_candidates: promote`, when none of them can — down, or cut off from the coordinator's majority with the leader, or (for `ANY k`) too few of them reachable to tell which holds the newest write — " +
      "the failover manager promotes the most advanced replica it can reach instead: an asynchronous or `nosync` one, or a candidate that was not needed for every commit. " +
      "The acknowledged writes that replica never received are lost when it takes over, and the old leader's copy of them is discarded when it rejoins. " +
      "A class with RPO 0 cannot allow that; the rule is silent when every replica that may be promoted has to acknowledge every commit (strict mode that needs all of them).",
    fix:
      "Set `failover.lagging_candidates: wait`: the cluster stays without a leader until the old leader or a synchronous standby is back, which costs RTO, not data. " +
      "To make that wait rarer, give the synchronous standby company in another zone (`ANY 1 (b, c)`, still with `wait`), so that one of them is usually left to promote. " +
      "Alternatively keep `promote` but mark every replica that may miss a write `nofailover: true`, so that it is never the one promoted. " +
      "If the class can afford the loss, give it an RPO above 0.",
    example: {
      bad: [
        "nodes:",
        "  pg-a: { zone: east/a, role: leader }",
        "  pg-b: { zone: east/b }",
        "  pg-c: { zone: east/c, nosync: true }",
        "replication:",
        "  synchronous: { standbys: \"FIRST 1 (pg-b)\", strict: true }",
        "failover:",
        "  lagging_candidates: promote",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 1m }",
      ],
      good: [
        "nodes:",
        "  pg-a: { zone: east/a, role: leader }",
        "  pg-b: { zone: east/b }",
        "  pg-c: { zone: east/c, nosync: true }",
        "replication:",
        "  synchronous: { standbys: \"FIRST 1 (pg-b)\", strict: true }",
        "failover:",
        "  lagging_candidates: wait",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 1m }",
      ],
    },
  },
  // Members that vote (a MongoDB replica set) elect only a member a majority accepts: no lagging candidate to promote.
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null && !t.derived.coordinator.nodesVote,
  check({ topology }) {
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" || replication.sync === null || topology.failover.laggingCandidates !== "promote") return [];
    // Classes that commit off/local are already reported by rpo-zero-without-sync.
    const classes = zeroRpoClasses(topology).filter((c) => !commitAllowsLoss(c.commit));
    if (classes.length === 0) return [];
    const risky = replicasThatMayMissWrites(topology);
    if (risky.length === 0) return [];
    const preset = PRESETS[topology.preset as PresetName]?.failover.laggingCandidates === "promote" ? ` (the ${topology.preset} preset's default)` : "";
    const names = listWords(classes.map((c) => c.name));
    const each = risky.map((r) => `${r.node} (${r.why})`);
    const who = each.length === 1 ? each[0] : `${each.slice(0, -1).join(", ")} or ${each[each.length - 1]}`;
    return [
      {
        path: ["failover", "lagging_candidates"],
        message:
          `${names} need${classes.length === 1 ? "s" : ""} RPO 0, but failover.lagging_candidates is promote${preset}: when neither the old leader nor a published synchronous standby can take over ` +
          `(${topology.failover.coordinator.length > 0 ? "down, or cut off from the coordinator's majority together with the leader" : "down"}), the most advanced replica ${topology.failover.coordinator.length > 0 ? "that reaches the coordinator " : "left "}is promoted anyway — ` +
          `${who} — and the acknowledged writes it never received are lost`,
      },
    ];
  },
};

/**
 * The replicas that may be promoted (not nofailover, priority above 0) yet need not hold every acknowledged
 * write, with the reason, as the engine's commit rule decides it: only a strict rule that needs every sync
 * candidate's acknowledgement (and, with '*', only when there is no other replica to acknowledge instead)
 * makes a replica hold them all.
 */
export function replicasThatMayMissWrites(topology: ResolvedTopology): { node: string; why: string }[] {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower" || replication.sync === null) return [];
  const sync = replication.sync;
  const replicas = topology.nodes.filter((n) => n.name !== topology.leader);
  const candidate = (n: ResolvedNode) => sync.names.includes(n.name) || (sync.managed && !n.nosync);
  const candidates = replicas.filter(candidate);
  const wildcard = sync.strict && sync.managed && sync.whenNone === "any-standby" && replicas.length > 1;
  const result: { node: string; why: string }[] = [];
  for (const n of replicas) {
    if (n.nofailover || n.failoverPriority <= 0) continue;
    if (!candidate(n)) {
      result.push({ node: n.name, why: sync.managed ? "tagged nosync: never a synchronous standby" : "not in synchronous.standbys" });
    } else if (!sync.strict) {
      result.push({ node: n.name, why: "strict: false lets the leader commit without it" });
    } else if (sync.count < candidates.length) {
      const spec = `${sync.method.toUpperCase()} ${sync.count}`;
      result.push({ node: n.name, why: `${spec} of the ${candidates.length} that may be synchronous: commits need not wait for it` });
    } else if (wildcard) {
      result.push({ node: n.name, why: "when_none: any-standby lets another standby acknowledge while it is down" });
    }
  }
  return result;
}
