// A strict quorum needs W (R) of a key's own N replicas. Losing a zone takes
// every replica of the key placed there: when the ones left are fewer than W,
// writes to the key fail until the zone returns; fewer than R, reads do (a
// Cassandra request at that consistency level gets UnavailableException). How
// many of a key's replicas one zone can hold follows from the placement the
// engine's ring uses (src/engine/ring.ts): every node when N is the node count;
// rack-aware (NetworkTopologyStrategy, zones as racks), one per zone first and
// the rest in ring order; plain ring order, any N distinct nodes. A sloppy
// quorum's stand-ins count instead, so there only the nodes left matter.
import type { ResolvedTopology } from "../../model/types.js";
import { listWords, modeIs } from "../design.js";
import type { Rule, RuleHit } from "../types.js";
import { classQuorums, leaderless } from "./quorum.js";

export const quorumLostWithZone: Rule = {
  id: "quorum-lost-with-zone",
  severity: "error",
  description: "Losing any one zone must leave each key at least W (and R) reachable replicas, or a leaderless store refuses its writes (reads) until the zone returns.",
  hint: "Keep W and R of each key's replicas outside any one zone, or lower w or r for the class.",
  docs: {
    why:
      "A strict quorum counts only a key's own N replicas: a write needs W of them to answer, a read R (Cassandra refuses a request at a consistency level too few replicas are up for, with UnavailableException). " +
      "Losing a zone takes every replica placed there at once. When the replicas left outside it are fewer than W, every write to the key fails until the zone returns, " +
      "whatever the class's RTO; fewer than R, every read does. How many of a key's replicas one zone holds depends on the placement: with N equal to the number of nodes, " +
      "every key has a replica on every node, so a zone holds as many as it has nodes; rack-aware placement (Cassandra's NetworkTopologyStrategy with zones as racks) puts one in each zone first, " +
      "so with at least N zones a zone holds one; plain ring order takes the next N distinct nodes, and some keys land on every node of a zone. " +
      "A sloppy quorum lets healthy nodes outside the key's replicas stand in, so only the nodes left in the cluster must reach W (R). " +
      "A design in one zone makes no claim to survive losing it. W = N is quorum-write-all's: one replica down already blocks writes.",
    fix:
      "Keep the replicas outside any one zone at least W and R: three zones with rack-aware placement and W = R = ⌊N/2⌋+1 (N = 3: one replica per zone, two left), " +
      "or lower W or R for the class (set `r` and `w` on it) while R + W > N still holds. Move nodes so no zone holds more of a key's replicas than N − max(W, R).",
    example: {
      bad: [
        "nodes: { n1: { zone: east/a }, n2: { zone: east/a }, n3: { zone: east/b }, n4: { zone: east/b }, n5: { zone: east/c } }",
        "replication: { mode: leaderless, n: 5, w: 4, r: 2 }",
      ],
      good: [
        "nodes: { n1: { zone: east/a }, n2: { zone: east/a }, n3: { zone: east/b }, n4: { zone: east/b }, n5: { zone: east/c } }",
        "replication: { mode: leaderless, n: 5, w: 3, r: 3 }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leaderless"),
  check({ topology }) {
    const replication = leaderless(topology);
    if (!replication) return [];
    const zones = [...new Set(topology.nodes.map((n) => n.zone))];
    if (zones.length < 2) return [];
    const losses = zones.map((zone) => zoneLoss(topology, zone));
    const hits = new Map<string, { path: PropertyKey[]; need: "W" | "R"; value: number; classes: string[] }>();
    const add = (path: PropertyKey[], need: "W" | "R", value: number, name: string) => {
      const key = path.join(".");
      const hit = hits.get(key) ?? { path, need, value, classes: [] };
      hit.classes.push(name);
      hits.set(key, hit);
    };
    for (const q of classQuorums(topology)) {
      if (q.w > q.n || q.r > q.n) continue; // quorum-exceeds-n's
      if (q.w < q.n && losses.some((l) => l.left < q.w)) add(q.wPath, "W", q.w, q.dataClass.name);
      if (losses.some((l) => l.left < q.r)) add(q.rPath, "R", q.r, q.dataClass.name);
    }
    return [...hits.values()].map(({ path, need, value, classes }): RuleHit => {
      const fatal = losses.filter((l) => l.left < value).sort((a, b) => a.left - b.left);
      const [worst, ...others] = fatal;
      const also = others.length > 0 ? ` (so does losing ${listWords(others.map((l) => l.zone))})` : "";
      const what = need === "W" ? "writes" : "reads";
      const left = `${worst.left === 0 ? "none is" : worst.left === 1 ? "only 1 is" : `only ${worst.left} are`} left, fewer than ${need} = ${value}`;
      return {
        path,
        message:
          `losing zone ${worst.zone} (${listWords(worst.nodes)}) ${worst.words}: ${left}, so ${what} of ${listWords(classes)} fail until the zone returns${also}` +
          (replication.sloppyQuorum ? " (a sloppy quorum, but no healthy node is left to stand in)" : " (a strict quorum: only a key's own replicas count)"),
        hint: need === "W" ? `Keep W = ${value} of each key's replicas outside any one zone, or lower w (R + W > N still).` : `Keep R = ${value} of each key's replicas outside any one zone, or lower r (R + W > N still).`,
      };
    });
  },
};

interface ZoneLoss {
  zone: string;
  nodes: string[];
  /** The fewest replicas (or, sloppy, healthy nodes) a key keeps while the zone is lost. */
  left: number;
  /** "takes 2 of every key's 5 replicas" */
  words: string;
}

/** What losing one zone leaves a key, under the placement the engine's ring uses. */
function zoneLoss(topology: ResolvedTopology, zone: string): ZoneLoss {
  const replication = leaderless(topology)!;
  const n = replication.n;
  const nodes = topology.nodes.filter((x) => x.zone === zone).map((x) => x.name);
  const total = topology.nodes.length;
  if (replication.sloppyQuorum) {
    const left = Math.min(n, total - nodes.length);
    return { zone, nodes, left, words: `leaves ${total - nodes.length} of the cluster's ${total} nodes` };
  }
  const zoneCount = new Set(topology.nodes.map((x) => x.zone)).size;
  if (n >= total) return { zone, nodes, left: n - Math.min(n, nodes.length), words: `takes ${Math.min(n, nodes.length)} of every key's ${n} replicas` };
  // Rack-aware: one replica in each zone first, the rest in ring order; plain ring order: any n distinct nodes.
  const most = replication.placement === "rack-aware" ? Math.min(nodes.length, Math.max(1, n - zoneCount + 1)) : Math.min(nodes.length, n);
  const every = replication.placement === "rack-aware" && n <= zoneCount;
  return { zone, nodes, left: n - most, words: every ? `takes 1 of every key's ${n} replicas` : `takes up to ${most} of a key's ${n} replicas (${replication.placement === "rack-aware" ? "one in each zone, the rest in ring order" : "ring order: some keys land on every node there"})` };
}
