// Automatic failover needs the coordinator (etcd, Consul, ZooKeeper) to keep a
// majority. When most of its members sit in the leader's zone, losing that
// zone takes the coordinator down with the leader: nobody can be elected and
// writes stay down until the zone returns, whatever the lease ttl says.
import { listWords, modeIs, votingSet } from "../design.js";
import type { Rule } from "../types.js";

export const coordinatorLostWithLeaderZone: Rule = {
  id: "coordinator-lost-with-leader-zone",
  severity: "error",
  description: "The coordinator must keep a majority of its members when the leader's zone is lost, or automatic failover cannot happen then.",
  hint: "Spread the coordinator over three failure domains, at most a minority in the leader's zone.",
  docs: {
    why:
      "Automatic failover needs the coordinator (etcd, Consul, ZooKeeper) to keep a majority. " +
      "When most of its members sit in the leader's zone, losing that zone takes the coordinator down with the leader: " +
      "nobody can be elected, and writes stay down until the zone returns, whatever the lease ttl says.",
    fix:
      "Spread the coordinator's members over three failure domains, with at most a minority of them in the leader's zone. " +
      "A region given alone means one member per zone of that region; list zones (`coordinator: " +
      "[us-east/b, us-east/c, us-west/a]`) to place them yourself.",
    example: {
      bad: [
        "failover:",
        "  coordinator: [us-east/a, us-east/b]   # the leader is in us-east/a",
      ],
      good: [
        "failover:",
        "  coordinator: us-east                   # one member in each of us-east's three zones",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.failover.mode === "automatic",
  check({ topology }) {
    const f = topology.failover;
    if (topology.replication.mode !== "leader-follower" || f.mode !== "automatic") return [];
    const leader = topology.nodes.find((n) => n.name === topology.leader);
    const { members, majority } = topology.derived.coordinator;
    if (!leader || members.filter((m) => m !== leader.zone).length >= majority) return [];
    // With every promotable node in the leader's zone, losing the zone loses them all anyway.
    if (!topology.nodes.some((n) => n.zone !== leader.zone && !n.nofailover)) return [];
    const inZone = members.filter((m) => m === leader.zone).length;
    const voting = votingSet(topology);
    if (voting !== null) {
      const there = [...topology.nodes.filter((n) => n.zone === leader.zone).map((n) => n.name), ...topology.arbiters.filter((a) => a.zone === leader.zone).map((a) => `the arbiter ${a.name}`)];
      const left = members.length - inZone;
      return [
        {
          path: ["nodes", leader.name],
          key: true,
          message:
            `${inZone} of ${voting.group}'s ${members.length} voting members (${listWords(there)}) ${inZone === 1 ? "is" : "are"} in the ${voting.leader}'s zone ${leader.zone}: ` +
            `losing that zone leaves ${left === 0 ? "none" : left}, short of the ${majority} votes a majority of ${members.length} needs, so no ${voting.replica} can be elected until the zone returns`,
          hint: `Place ${voting.group}'s voters so the ${voting.leader}'s zone holds a minority: add one in a third zone.`,
        },
      ];
    }
    return [
      {
        path: ["failover", "coordinator"],
        message: `${inZone} of the coordinator's ${members.length} member${members.length === 1 ? "" : "s"} (${members.join(", ")}) ${inZone === 1 ? "is" : "are"} in the leader's zone ${leader.zone}: losing that zone loses the coordinator's majority with the leader, so no replica can be promoted until the zone returns`,
      },
    ];
  },
};
