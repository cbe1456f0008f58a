// A synchronous ack from another region puts a cross-region round trip on
// every commit. The material's rule of thumb: sync inside the region, async
// across regions.
import { commitAllowsLoss, formatLatencyMs, leaderRegion, regionOf } from "../design.js";
import { medianMs } from "../latency.js";
import { roundTripQuantileMs } from "../../base/distributions.js";
import type { Rule } from "../types.js";

export const syncStandbyCrossRegion: Rule = {
  id: "sync-standby-cross-region",
  severity: "warning",
  description: "A commit needs a synchronous ack from a standby in another region than the leader, adding a cross-region round trip to every write.",
  hint: "Keep synchronous standbys in the leader's region; replicate across regions asynchronously.",
  docs: {
    why:
      "A synchronous ack from another region puts a cross-region round trip (tens of milliseconds) on every commit, and its tail on the p99. " +
      "The usual rule of thumb is synchronous inside the region, asynchronous across regions: " +
      "another zone of the same region already survives a zone loss for about a millisecond.",
    fix:
      "Keep the synchronous standbys in the leader's region, in another zone, and replicate to other regions asynchronously. " +
      "If the design truly needs zero loss when a whole region is lost, price every write at a cross-region round trip and make it a deliberate choice.",
    example: {
      bad: [
        "nodes:",
        "  pg-a:  { zone: us-east/a, role: leader }",
        "  pg-b:  { zone: us-east/b }",
        "  pg-dr: { zone: us-west/a }",
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"FIRST 1 (pg-dr, pg-b)\" }",
      ],
      good: [
        "nodes:",
        "  pg-a:  { zone: us-east/a, role: leader }",
        "  pg-b:  { zone: us-east/b }",
        "  pg-dr: { zone: us-west/a }",
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"FIRST 1 (pg-b)\" }   # pg-dr stays asynchronous",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null,
  check({ topology }) {
    const replication = topology.replication;
    const home = leaderRegion(topology);
    if (replication.mode !== "leader-follower" || replication.sync === null || home === null) return [];
    // Classes that commit off/local never wait for the standby.
    if (topology.dataClasses.every((c) => commitAllowsLoss(c.commit))) return [];
    const { method, count, names } = replication.sync;
    let remote: string[];
    if (method === "first") {
      remote = names.slice(0, count).filter((n) => regionOf(topology, n) !== home);
    } else {
      const local = names.filter((n) => regionOf(topology, n) === home);
      remote = local.length >= count ? [] : names.filter((n) => regionOf(topology, n) !== home);
    }
    if (remote.length === 0) return [];
    const regions = [...new Set(remote.map((n) => regionOf(topology, n)))];
    const link = topology.network.crossRegion;
    const median = medianMs(link);
    const why = method === "first" ? `${remote.join(", ")} ${remote.length === 1 ? "is" : "are"} among the first ${count} listed` : `only ${names.length - remote.length} of the candidates are in ${home}, fewer than the ${count} acks needed`;
    return [
      {
        path: ["replication", "synchronous", "standbys"],
        message:
          `every commit waits for an ack from ${regions.join(", ")} while the leader is in ${home} (${why}): ` +
          `about +${formatLatencyMs(roundTripQuantileMs(link, 0.5))} per write (the median round trip over two ${formatLatencyMs(median)}-median cross-region legs), ` +
          `up to about +${formatLatencyMs(roundTripQuantileMs(link, 0.99))} at the p99`,
      },
    ];
  },
};
