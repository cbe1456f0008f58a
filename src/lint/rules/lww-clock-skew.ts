// Last-write-wins orders the versions of a key by the coordinator's clock. A
// coordinator whose clock runs ahead stamps its writes in the future: for as
// long as the skew, every later write to that key carries an older timestamp
// and is silently dropped, although acknowledged; and reads keep returning the
// older value. A class that needs RPO 0 or strong reads cannot rely on it.
// The windows of successive writes through the fast node overlap, so the loss
// is a share of the writes, not skew × rate per fast write: a write through
// another node is dropped when the fast node took a write to its key within
// the skew before it, which at f × r such writes a second (f the fast node's
// share of the writes, r the key's rate) happens with probability
// 1 − e^(−f × r × s). Against simulate on dynamo-n5 with n1 ahead, over skews
// of 0.2 to 5 s and 1 or 5 writes/s per key, (1 − f)(1 − e^(−f r s)) was
// within 2.5 points of the measured loss (67.6% against 66.5% at 2 s, 5/s).
// Multi-leader last-write-wins stamps each write with its leader's clock: the
// same formula, f the fast leader's share; against simulate on two leaders
// with half the writes each at 1 write/s per key, 11.9%, 31.0% and 44.2% lost
// at 0.5, 2 and 5 s ahead, where it says 11.1%, 31.6% and 45.9%.
import { coordinatorShare, formatMs, modeIs, rounded, writesPerKey } from "../design.js";
import type { ResolvedScenario, ResolvedTopology } from "../../model/types.js";
import type { Rule } from "../types.js";

export const lwwClockSkew: Rule = {
  id: "lww-clock-skew",
  severity: "warning",
  description: "A leaderless or multi-leader class with RPO 0 or strong reads relies on last-write-wins timestamps from clocks that disagree.",
  hint: "Keep the clocks in step (NTP/PTP), or resolve conflicts without timestamps.",
  docs: {
    why:
      "Last-write-wins keeps the version with the latest timestamp, and a leaderless coordinator (or a multi-leader design's leader) stamps each write with its own clock. " +
      "When one coordinator's clock runs ahead by a skew s, its write outranks every write to the same key made in the next s, " +
      "even through coordinators whose clocks are right, and even one made after the fast write had arrived there: those writes are acknowledged, then silently dropped, and reads keep returning the older value. " +
      "A write through another node is lost when the fast node took a write to the same key within the skew before it; the windows of successive fast writes overlap, so the loss is a share of the writes, not s × r per fast write. " +
      "With the fast node coordinating a share f of the writes to a key written r times a second, about (1 − f) × (1 − e^(−f × r × s)) of them are lost: " +
      "2 s ahead on one of five nodes (f ≈ 0.17) at 5 writes/s per key, about two writes in three. Acknowledged writes lost (RPO above 0) and stale reads, with no fault at all.",
    fix:
      "Keep the nodes' clocks in step (NTP or PTP, with an alarm on the offset) so that the skew is far below the time between two writes to one key, " +
      "or resolve concurrent writes with `conflict: vector-clock` (multi-leader: `crdt` or `app`, or `routing: home-region`, which writes each key on one leader only), which keeps siblings instead of dropping by timestamp. " +
      "For money, a single leader (or a consensus group) orders writes without clocks.",
    example: {
      bad: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2, conflict: lww, clock_skew: { n1: 1s } }",
        "data_classes:",
        "  balances: { rpo: 0, rto: 1m, consistency: strong }",
      ],
      good: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2, conflict: vector-clock, clock_skew: { n1: 1s } }",
        "data_classes:",
        "  balances: { rpo: 0, rto: 1m, consistency: strong }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leaderless", "multi-leader"),
  check({ topology, scenario }) {
    const r = topology.replication;
    if ((r.mode !== "leaderless" && r.mode !== "multi-leader") || r.conflict !== "lww") return [];
    // Each key written on its home leader only: no timestamps ever compete.
    if (r.mode === "multi-leader" && r.routing === "home-region") return [];
    // Multi-leader: only the leaders stamp writes.
    const stamping = r.mode === "multi-leader" ? { ...topology, nodes: leaderNodes(topology, r.leaders) } : topology;
    const skews = stamping.nodes.map((node) => ({ name: node.name, ms: r.clockSkewMs[node.name] ?? 0 }));
    const ahead = skews.reduce((a, b) => (b.ms > a.ms ? b : a));
    const spreadMs = ahead.ms - Math.min(...skews.map((s) => s.ms));
    if (spreadMs <= 0) return [];
    return topology.dataClasses
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.rpoMs === 0 || c.consistency === "strong")
      .map(({ c, index }) => {
        const needs = c.rpoMs === 0 ? (c.consistency === "strong" ? "RPO 0 and strong reads" : "RPO 0") : "strong reads";
        return {
          path: ["replication", "clock_skew", ahead.name],
          message:
            `${c.name} needs ${needs}, but last-write-wins timestamps come from clocks up to ${formatMs(spreadMs)} apart (${ahead.name} ahead): ` +
            `a write through ${ahead.name} outranks every write to its key for the next ${formatMs(spreadMs)}, and those are silently dropped although acknowledged (reads return the older value); ` +
            expectedLoss(spreadMs, ahead.name, stamping, scenario, index, c.name),
        };
      });
  },
};

/** The node leading each of the leader regions, as the multi-leader engine picks it (the one with role leader, or its first). */
function leaderNodes(topology: ResolvedTopology, regions: readonly string[]): ResolvedTopology["nodes"] {
  return regions.flatMap((region) => {
    const inRegion = topology.nodes.filter((n) => n.region === region);
    const leader = inRegion.find((n) => n.role === "leader") ?? inRegion[0];
    return leader === undefined ? [] : [leader];
  });
}

/**
 * The loss to expect: a write through another node is dropped when the fast node took a write to its key within the
 * skew before it, so (1 − f)(1 − e^(−f × r × s)) of the writes, f the fast node's share of them, r the writes per
 * second to one key, s the skew.
 */
function expectedLoss(spreadMs: number, ahead: string, topology: ResolvedTopology, scenario: ResolvedScenario | null, cls: number, name: string): string {
  if (scenario === null)
    return `expect a share of the writes through the other nodes lost, about 1 − e^(−x) of them, x being ${formatMs(spreadMs)} × the writes per second to one key that ${ahead} coordinates`;
  const perKey = writesPerKey(topology, scenario, cls);
  const share = coordinatorShare(topology, scenario, ahead);
  const lost = (1 - share) * (1 - Math.exp(-share * perKey * (spreadMs / 1000)));
  const percent = (x: number) => (x * 100 < 0.1 ? "under 0.1%" : `${rounded(x * 100)}%`);
  return `at scenario ${scenario.name}'s ${rounded(perKey)} writes/s per key, ${percent(share)} of them through ${ahead}, expect about ${percent(lost)} of the writes to ${name} lost`;
}
