// The leader keeps its role only while it reaches a majority of the coordinator
// (it renews its lease there, or hears from a majority of the voting members).
// A zone other than the leader's that holds half the coordinator's members or
// more (a single member, two of four, a store in a region with two zones) takes
// that majority with it: the healthy leader demotes itself, no replica can be
// promoted, and writes stay down until the zone returns. The leader's own zone
// is coordinator-lost-with-leader-zone's. A consensus group is its own
// coordinator: in one region, a zone with half its members or more stops it
// (across regions, consensus-too-few-regions already names the region).
import { listWords, modeIs, votingSet } from "../design.js";
import type { ResolvedTopology } from "../../model/types.js";
import type { Rule, RuleHit } from "../types.js";

export const coordinatorLostWithZone: Rule = {
  id: "coordinator-lost-with-zone",
  severity: "error",
  description: "The coordinator (a consensus group: its members) must keep a majority when any one zone besides the leader's is lost, or the healthy leader demotes itself and writes stop.",
  hint: "Give the coordinator an odd number of members, one per zone over three zones, so no zone holds half.",
  docs: {
    why:
      "A leader keeps its role only while it reaches a majority of the coordinator (etcd, Consul, ZooKeeper, or a replica set's voting members): " +
      "Patroni demotes a leader that cannot renew its key within retry_timeout, and a MongoDB primary steps down when it has not seen a majority for an election timeout. " +
      "When one zone holds half the members or more (a single member, two of four, an etcd spread over a region with only two zones), losing that zone — " +
      "even one without the leader — leaves a healthy leader that must demote itself and no replica that may be promoted: writes stop until the zone returns. " +
      "A consensus group (etcd, a Raft log) in one region is its own coordinator: a zone holding half its members or more, the leader's included, stops it the same way.",
    fix:
      "Run an odd number of coordinator members, at most a minority of them in any one zone: one per zone of a region with three zones (`coordinator: us-east`), " +
      "or list them yourself (`coordinator: [us-east/a, us-east/b, us-east/c]`, or across regions). For a replica set whose members vote, add a member (or an arbiter) in a third zone; " +
      "for a consensus group, place its members one per zone, at most a minority in any one.",
    example: {
      bad: [
        "failover:",
        "  coordinator: [us-east/b]              # one etcd member; the leader is in us-east/a",
      ],
      good: [
        "failover:",
        "  coordinator: us-east                  # one member in each of us-east's three zones",
      ],
    },
  },
  appliesTo: (t) => (modeIs(t, "leader-follower") && t.failover.mode === "automatic") || modeIs(t, "consensus"),
  check({ topology }) {
    if (topology.replication.mode === "consensus") return consensusZone(topology);
    const f = topology.failover;
    // Without fencing the leader keeps writing when it loses the coordinator (failover-without-fencing says why that is worse).
    if (topology.replication.mode !== "leader-follower" || f.mode !== "automatic" || f.fencing === "none") return [];
    const leader = topology.nodes.find((n) => n.name === topology.leader);
    const { members, majority } = topology.derived.coordinator;
    if (!leader || members.length === 0) return [];
    const zones = [...new Set(members)].filter((zone) => zone !== leader.zone);
    const fatal = zones
      .map((zone) => ({ zone, count: members.filter((m) => m === zone).length }))
      .filter((z) => members.length - z.count < majority)
      .sort((a, b) => b.count - a.count);
    if (fatal.length === 0) return [];
    const [worst, ...others] = fatal;
    const left = members.length - worst.count;
    const also = others.length > 0 ? ` (so does losing ${listWords(others.map((z) => z.zone))})` : "";
    const nodesThere = [...topology.nodes.filter((n) => n.zone === worst.zone).map((n) => n.name), ...topology.arbiters.filter((a) => a.zone === worst.zone).map((a) => `the arbiter ${a.name}`)];
    const lost = nodesThere.length > 0 ? ` with ${listWords(nodesThere)}` : "";
    const voting = votingSet(topology);
    if (voting !== null) {
      // The members vote: said as the election's count (simulate's "only 2 of the 3 votes a majority of 5 members
      // needs"), at the first member in the zone, since such a set has no coordinator key.
      const first = topology.nodes.find((n) => n.zone === worst.zone)?.name;
      const counts = [...new Set(members)].map((zone) => `${zone}: ${members.filter((m) => m === zone).length}`).join(", ");
      return [
        {
          path: first !== undefined ? ["nodes", first] : ["nodes"],
          key: true,
          message:
            `losing zone ${worst.zone}${lost} stops every write although the ${voting.leader} ${leader.name} (${leader.zone}) is fine${also}: ` +
            `it holds ${worst.count} of ${voting.group}'s ${members.length} voting members (${counts}), ` +
            `and ${left === 0 ? "none is left" : left === 1 ? "the 1 left is short" : `the ${left} left are short`} of the ${majority} votes a majority of ${members.length} needs, ` +
            `so ${leader.name} steps down and no ${voting.replica} can be elected until the zone returns`,
          hint: `Place ${voting.group}'s voters so no zone holds half: add a member or an arbiter in a third zone.`,
        },
      ];
    }
    return [
      {
        path: ["failover", "coordinator"],
        message:
          `losing zone ${worst.zone}${lost} stops every write although the leader ${leader.name} (${leader.zone}) is fine${also}: ` +
          `it holds ${worst.count} of the coordinator's ${members.length} member${members.length === 1 ? "" : "s"} (${members.join(", ")}), ` +
          `and ${left === 0 ? "none is left of" : left === 1 ? "the 1 left is short of" : `the ${left} left are short of`} the majority of ${majority}, so the leader demotes itself and no replica can be promoted until the zone returns`,
      },
    ];
  },
};

/** A consensus group in one region: a zone holding half its members or more (the leader's included) takes its majority. */
function consensusZone(topology: ResolvedTopology): RuleHit[] {
  const nodes = topology.nodes;
  // Across regions every such zone's region is as fatal, and consensus-too-few-regions says so.
  if (new Set(nodes.map((n) => n.region)).size !== 1) return [];
  const total = nodes.length;
  const majority = Math.floor(total / 2) + 1;
  const fatal = [...new Set(nodes.map((n) => n.zone))]
    .map((zone) => ({ zone, names: nodes.filter((n) => n.zone === zone).map((n) => n.name) }))
    .filter((z) => total - z.names.length < majority)
    .sort((a, b) => b.names.length - a.names.length);
  // All in one zone: the group makes no claim to survive losing it.
  if (fatal.length === 0 || new Set(nodes.map((n) => n.zone)).size < 2) return [];
  const [worst, ...others] = fatal;
  const left = total - worst.names.length;
  const also = others.length > 0 ? ` (so does losing ${listWords(others.map((z) => z.zone))})` : "";
  const counts = [...new Set(nodes.map((n) => n.zone))].map((zone) => `${zone}: ${nodes.filter((n) => n.zone === zone).length}`).join(", ");
  return [
    {
      path: ["nodes", worst.names[0]],
      key: true,
      message:
        `losing zone ${worst.zone} stops every write${also}: it holds ${listWords(worst.names)}, ${worst.names.length} of the group's ${total} members (${counts}), ` +
        `and ${left === 0 ? "none is left" : left === 1 ? "the 1 left is short" : `the ${left} left are short`} of the ${majority} votes a majority of ${total} needs, so no member can be elected until the zone returns`,
      hint: "Place the group's members one per zone, so that no zone holds half of them.",
    },
  ];
}
