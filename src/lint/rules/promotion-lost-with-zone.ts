// A failover needs a replica that may be promoted. When every one of them sits
// in the leader's zone (the replicas elsewhere tagged nofailover, as DR copies
// often are), losing that zone takes the leader and its every successor at
// once: nobody is elected and writes stay down until the zone returns, whatever
// the RTO. The same in synchronous mode with lagging_candidates: wait when the
// published synchronous standbys that may be promoted all went with the zone.
// A crash of the leader alone with nobody to promote is rto-budget-exceeded's;
// a coordinator (or voters) losing its majority with the zone, the coordinator
// rules'; a consensus group, coordinator-lost-with-zone's and
// consensus-too-few-regions'.
import { noPromotionAfterZoneLoss } from "../budget.js";
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const promotionLostWithZone: Rule = {
  id: "promotion-lost-with-zone",
  severity: "error",
  description: "Losing the leader's zone must leave a replica that may be promoted outside it, or writes do not come back until the zone returns.",
  hint: "Let a replica outside the leader's zone be promoted: drop its nofailover tag.",
  docs: {
    why:
      "A failover promotes a replica that may be promoted: not tagged `nofailover` (nor `failover_priority: 0`), and in synchronous mode with `lagging_candidates: wait` " +
      "one of the synchronous standbys the leader published, the only replicas known to hold every acknowledged write. " +
      "Losing a zone takes all of its nodes at once. When every replica that may be promoted is in the leader's zone — the others tagged `nofailover`, as a DR copy or a reporting replica often is — " +
      "losing that zone takes the leader and every possible successor together: nobody is elected, and no class gets writes back until the zone returns, whatever its RTO. " +
      "The design looks fine against a crash of the leader alone, which a replica beside it survives. " +
      "How far a replica lags (`maximum_lag_on_failover`) is not counted: it changes from moment to moment. " +
      "A coordinator that loses its majority with the zone is coordinator-lost-with-leader-zone's; a consensus group's members are coordinator-lost-with-zone's and consensus-too-few-regions'.",
    fix:
      "Let a replica in another zone be promoted: drop its `nofailover` tag (or give it a `failover_priority` above 0), or add one there. " +
      "In synchronous mode, keep a synchronous standby that may be promoted outside the leader's zone (`ANY 1 (b, c)` with the standbys in two other zones).",
    example: {
      bad: [
        "nodes:",
        "  pg-a: { zone: us-east/a, role: leader }",
        "  pg-b: { zone: us-east/a }",
        "  pg-c: { zone: us-east/b, nofailover: true }",
      ],
      good: [
        "nodes:",
        "  pg-a: { zone: us-east/a, role: leader }",
        "  pg-b: { zone: us-east/a }",
        "  pg-c: { zone: us-east/b }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower"),
  check({ topology }) {
    const loss = noPromotionAfterZoneLoss(topology);
    if (loss === null || topology.leader === null) return [];
    const classes = topology.dataClasses;
    if (classes.length === 0) return [];
    const one = classes.length === 1;
    const rto = one ? `whatever its RTO (${formatMs(classes[0].rtoMs)})` : `whatever their RTOs (${listWords(classes.map((c) => `${c.name} ${formatMs(c.rtoMs)}`))})`;
    const candidates =
      loss.inZone.length === 0 ? "" : `${listWords(loss.inZone)}, the only ${loss.inZone.length === 1 ? "replica" : "replicas"} that may be promoted, ${loss.inZone.length === 1 ? "goes" : "go"} with it, and `;
    const tags = loss.outside.every((name) => topology.nodes.find((n) => n.name === name)?.nofailover) ? "nofailover" : "nofailover or failover_priority 0";
    const why =
      loss.published === null
        ? `${candidates}outside it ${listWords(loss.outside)} ${loss.outside.length === 1 ? "is" : "are"} ${tags}`
        : `the published synchronous standby${loss.published.length === 1 ? "" : "s"} (${listWords(loss.published)}) that may be promoted ${loss.published.length === 1 ? "goes" : "go"} with it, ` +
          `and lagging_candidates: wait promotes no replica outside it that is not known to hold every acknowledged write (${listWords(loss.outside)})`;
    return [
      {
        path: ["nodes", topology.leader],
        key: true,
        message:
          `losing the leader's zone ${loss.zone} (${listWords(loss.lost)}) leaves nobody to promote: ${why}, ` +
          `so writes of ${listWords(classes.map((c) => c.name))} do not come back until the zone returns, ${rto}`,
        ...(loss.published === null ? {} : { hint: "Keep a synchronous standby that may be promoted outside the leader's zone." }),
      },
    ];
  },
};
