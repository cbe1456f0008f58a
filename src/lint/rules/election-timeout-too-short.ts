// Raft elects a new leader when a follower hears no heartbeat for its election
// timeout. etcd's tuning guide asks for an election timeout of at least ten
// round trips between members: shorter, and a slow stretch of the network (a
// tail latency, a GC pause on the leader) starts an election against a healthy
// leader, and the cluster is without one while it runs.
import { formatLatencyMs, formatMs } from "../design.js";
import { medianMs } from "../latency.js";
import type { Rule } from "../types.js";

/** How many member round trips an election timeout should span (etcd's tuning guide). */
export const ELECTION_TIMEOUT_ROUND_TRIPS = 10;

export const electionTimeoutTooShort: Rule = {
  id: "election-timeout-too-short",
  severity: "warning",
  description: "A consensus group's election timeout is shorter than ten round trips between its farthest members.",
  hint: "Set election_timeout to at least 10 round trips between the farthest members.",
  docs: {
    why:
      "A Raft follower starts an election when it hears nothing from the leader for its election timeout. " +
      "etcd's tuning guide asks for at least ten round trips between members: with less, an ordinary latency spike or a pause on the leader " +
      "makes a follower campaign against a healthy leader, and writes stop while the new election runs. " +
      "Across regions a round trip is tens of milliseconds, so the defaults made for one data centre are too tight.",
    fix:
      "Set `election_timeout` to at least ten round trips between the two members farthest apart (2 × their one-way median), " +
      "and the heartbeat near one round trip (etcd wants the timeout to stay at least five heartbeats). " +
      "The price is detection: a dead leader is noticed one election timeout later.",
    example: {
      bad: [
        "network:",
        "  cross-region: { median: 80, p99: 150 }",
        "replication: { mode: consensus, members: [us-east, us-west, eu-west], election_timeout: 1s, heartbeat: 100ms }",
      ],
      good: [
        "network:",
        "  cross-region: { median: 80, p99: 150 }",
        "replication: { mode: consensus, members: [us-east, us-west, eu-west], election_timeout: 2s, heartbeat: 200ms }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "consensus",
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "consensus" || topology.nodes.length < 2) return [];
    // The farthest pair of members decides: a heartbeat to it takes the longest.
    const regions = new Set(topology.nodes.map((n) => n.region));
    const zones = new Set(topology.nodes.map((n) => n.zone));
    const link = regions.size > 1 ? { name: "cross-region", latency: topology.network.crossRegion } : zones.size > 1 ? { name: "cross-zone", latency: topology.network.crossZone } : { name: "same-zone", latency: topology.network.sameZone };
    const roundTrip = 2 * medianMs(link.latency);
    const needed = ELECTION_TIMEOUT_ROUND_TRIPS * roundTrip;
    if (r.electionTimeoutMs >= needed) return [];
    return [
      {
        path: ["replication", "election_timeout"],
        message:
          `the election timeout (${formatMs(r.electionTimeoutMs)}) is under ${ELECTION_TIMEOUT_ROUND_TRIPS} round trips between the farthest members ` +
          `(${ELECTION_TIMEOUT_ROUND_TRIPS} × ${formatLatencyMs(roundTrip)}, 2 × the ${formatLatencyMs(medianMs(link.latency))} ${link.name} one-way median = ${formatMs(needed)}): ` +
          `a latency spike can start an election against a healthy leader`,
      },
    ];
  },
};
