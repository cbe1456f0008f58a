// Strict synchronous commit needs standbys that may acknowledge. When every
// one of them (beyond the count) sits in one zone, losing that zone stops
// every synchronous write although the leader is fine: the failover manager
// drops the silent standbys and finds nobody to name. In the leader's own zone,
// the replica promoted outside it is left without a standby beside it: its
// writes never come back either. Both last until the zone returns. The same
// with one node instead of a zone is strict-single-sync's (no spare at all) and
// rto-budget-exceeded's (stranded after a crash of the leader).
import type { ResolvedTopology } from "../../model/types.js";
import { classBudgets, syncAfterZoneLoss } from "../budget.js";
import { commitAllowsLoss, listWords, syncCandidateNodes } from "../design.js";
import type { Rule, RuleHit } from "../types.js";

export const strictSyncLostWithZone: Rule = {
  id: "strict-sync-lost-with-zone",
  severity: "error",
  description: "Strict synchronous mode must keep enough standbys that may acknowledge outside any one zone, or losing that zone stops every synchronous write until it returns.",
  hint: "Put a standby that may acknowledge in another zone, so no zone holds all of them.",
  docs: {
    why:
      "In strict synchronous mode a commit waits for the count of standbys that may acknowledge (listed in `synchronous.standbys`, or under Patroni every replica not tagged `nosync`; " +
      "with `when_none: any-standby` any streaming one). Losing a zone takes all of its replicas at once. " +
      "When the standbys left outside a zone other than the leader's are fewer than the count, the leader is fine but no commit is acknowledged: " +
      "the silent standbys are dropped (at wal_sender_timeout, or when their member keys expire) and there is nobody to name in their place. " +
      "When the leader's own zone is lost, a replica outside it is promoted, and if the ones left beside it that may acknowledge are fewer than the count, " +
      "its writes never come back either. Both last until the zone returns, whatever the RTO: a DR replica tagged `nosync` does not help. " +
      "Classes that commit locally (`commit: local` or `off`) do not wait and are not affected. " +
      "A design with one standby and no spare at all is strict-single-sync's; one left stranded by a crash of the leader alone, rto-budget-exceeded's.",
    fix:
      "Spread the standbys that may acknowledge over the zones: with the leader in zone a, one in b and one in c (`ANY 1 (b, c)`, or Patroni's managed mode with neither tagged `nosync`). " +
      "Or set `when_none: any-standby` so a streaming `nosync` replica in another zone acknowledges while no proper one is left, " +
      "or `strict: false` if writes should rather go on unprotected while the zone is out (which gives up RPO 0 then).",
    example: {
      bad: [
        "nodes:",
        "  pg-a: { zone: us-east/a, role: leader }",
        "  pg-b: { zone: us-east/b }",
        "  pg-c: { zone: us-east/b }",
        "replication: { mode: leader-follower, synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", strict: true } }",
      ],
      good: [
        "nodes:",
        "  pg-a: { zone: us-east/a, role: leader }",
        "  pg-b: { zone: us-east/b }",
        "  pg-c: { zone: us-east/c }",
        "replication: { mode: leader-follower, synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", strict: true } }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null && t.replication.sync.strict,
  check({ topology }) {
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" || replication.sync === null || !replication.sync.strict) return [];
    const classes = topology.dataClasses.filter((c) => !commitAllowsLoss(c.commit)).map((c) => c.name);
    const zones = [...new Set(topology.nodes.map((n) => n.zone))];
    if (classes.length === 0 || zones.length < 2) return [];
    const losses = zones.flatMap((zone) => {
      const loss = syncAfterZoneLoss(topology, zone);
      return loss === null ? [] : [{ zone, ...loss }];
    });
    // No spare standby at all: losing its zone is losing it, which strict-single-sync says. Stranded by a crash of the leader alone: rto-budget-exceeded's.
    const sync = replication.sync;
    const others = topology.nodes.filter((n) => n.name !== topology.leader);
    const capableAll = sync.managed && sync.whenNone === "any-standby" ? others.length : syncCandidateNodes(topology, sync).length;
    const noSpare = capableAll <= (sync.lowersCount ? Math.min(1, sync.count) : sync.count);
    const strandedByCrash = [...classBudgets(topology, null).values()].some((b) => b.stranded);
    const hits: RuleHit[] = [];
    const nodesIn = (zone: string) => topology.nodes.filter((n) => n.zone === zone).map((n) => n.name);
    const blocked = losses.filter((l) => l.kind === "blocked" && !noSpare);
    const stranded = losses.find((l) => l.kind === "stranded" && !strandedByCrash);
    const whose = `writes of ${listWords(classes)}`;
    const leftWords = (capable: string[], needed: number) =>
      capable.length === 0 ? "no standby that may acknowledge is left" : `only ${listWords(capable)} may acknowledge, and ${needed} must`;
    if (blocked.length > 0) {
      const [worst, ...rest] = blocked;
      const also = rest.length > 0 ? ` (so does losing ${listWords(rest.map((l) => l.zone))})` : "";
      hits.push({
        path: ["replication", "synchronous", "standbys"],
        message:
          `losing zone ${worst.zone} (${listWords(nodesIn(worst.zone))}) stops every synchronous commit although the leader ${topology.leader} is fine${also}: ` +
          `it takes ${listWords(worst.lost)}, and outside it ${leftWords(worst.capable, worst.needed)}${nosyncWords(topology, worst.zone)}, so strict synchronous mode blocks ${whose} until the zone returns`,
      });
    }
    if (stranded) {
      hits.push({
        path: ["replication", "synchronous", "standbys"],
        message:
          `losing the leader's zone ${stranded.zone} (${listWords(nodesIn(stranded.zone))}) leaves ${whose} down until it returns: ${stranded.promoted} is promoted, ` +
          `but ${stranded.lost.length > 0 ? `${listWords(stranded.lost)} went with the zone and ` : ""}beside it ${leftWords(stranded.capable, stranded.needed)}${nosyncWords(topology, stranded.zone, stranded.promoted)}`,
      });
    }
    return hits;
  },
};

/** ", pg-dr is tagged nosync": the replicas outside the zone that may not acknowledge, when there are any. */
function nosyncWords(topology: ResolvedTopology, zone: string, promoted: string | null = null): string {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower" || replication.sync === null) return "";
  const sync = replication.sync;
  const capable = new Set(syncCandidateNodes(topology, sync).map((n) => n.name));
  if (sync.managed && sync.whenNone === "any-standby") return "";
  const rest = topology.nodes.filter((n) => n.name !== topology.leader && n.name !== promoted && n.zone !== zone && !capable.has(n.name)).map((n) => n.name);
  if (rest.length === 0) return "";
  return ` (${listWords(rest)} ${rest.length === 1 ? "is" : "are"} ${sync.managed ? "tagged nosync" : "not listed in synchronous.standbys"})`;
}
