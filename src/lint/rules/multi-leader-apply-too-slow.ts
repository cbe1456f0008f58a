// Each multi-leader leader applies each other leader's stream of writes at its
// apply_rate (one apply worker per origin, as BDR's per-origin apply or
// MySQL's per-channel applier). When an origin writes faster than that, the
// leader falls further behind it every second, by the difference, for as long
// as the load lasts: reads there miss ever older writes, and under
// last-write-wins every write made on either side meanwhile may conflict.
// Which leader writes how much follows from where the scenario's clients are:
// each writes to its nearest leader (the engine's home region, the first
// listed leader on a tie). Known only from a scenario: a topology alone has no
// write rate, and the rule says nothing then.
import { rounded } from "../design.js";
import type { ResolvedScenario, ResolvedTopology } from "../../model/types.js";
import type { Rule } from "../types.js";

export const multiLeaderApplyTooSlow: Rule = {
  id: "multi-leader-apply-too-slow",
  severity: "warning",
  description: "A multi-leader leader applies another leader's writes slower than the scenario makes them there.",
  hint: "Raise the leader's apply_rate above what each other leader writes, or spread the writes.",
  docs: {
    why:
      "In multi-leader replication each leader applies the stream of every other leader at its own apply rate, one stream beside the other. " +
      "When another leader's clients write faster than that, the backlog grows by the difference every second and never drains while the load lasts: " +
      "at 200 writes/s against an apply rate of 100, a write made a minute in reaches the other region about a minute later, two minutes in about two minutes later. " +
      "Reads there miss ever older writes, and every write made on the two sides in that window to one key is a conflict (under last-write-wins, one side silently dropped). " +
      "The rule needs the write rate, so it checks scenarios only: each client writes to its nearest leader.",
    fix:
      "Give each leader an `apply_rate` above the write rate of every other leader (parallel apply workers, faster disks), " +
      "or move writes so that no leader makes more than the others can apply. " +
      "`simulate` shows the lag per stream and says `apply-falling-behind` when a leader cannot keep up.",
    example: {
      bad: [
        "workload: { writes: 400, zones: [us-east/a, eu-west/a] }",
        "topology:",
        "  replication: { mode: multi-leader, leaders: [us-east, eu-west], apply_rate: 100 }",
      ],
      good: [
        "workload: { writes: 400, zones: [us-east/a, eu-west/a] }",
        "topology:",
        "  replication: { mode: multi-leader, leaders: [us-east, eu-west], apply_rate: 2000 }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "multi-leader",
  check({ topology, scenario }) {
    const r = topology.replication;
    if (r.mode !== "multi-leader" || scenario === null) return [];
    const leaders = leaderNodes(topology, r.leaders);
    const rates = writeShares(scenario, leaders).map((share) => share * scenario.workload.writes);
    const findings = [];
    for (const to of leaders) {
      for (let from = 0; from < leaders.length; from++) {
        const origin = leaders[from];
        if (origin === to || rates[from] <= to.applyRate) continue;
        const own = to.applyRate !== r.applyRate;
        findings.push({
          path: own ? ["nodes", to.name, "apply_rate"] : ["replication", "apply_rate"],
          message:
            `${to.name} applies ${origin.name}'s writes at ${rounded(to.applyRate)}/s (its apply_rate), but at scenario ${scenario.name}'s ${rounded(scenario.workload.writes)} writes/s ` +
            `${origin.name} makes about ${rounded(rates[from])}/s: ${to.name} falls about ${rounded(rates[from] - to.applyRate)} writes further behind it every second and never catches up while the load lasts`,
        });
      }
    }
    return findings;
  },
};

type Node = ResolvedTopology["nodes"][number];

/** Each leader region's leader node: its node with role leader, or its first node (as the engine picks it). */
function leaderNodes(topology: ResolvedTopology, regions: readonly string[]): Node[] {
  return regions.map((region) => {
    const inRegion = topology.nodes.filter((n) => n.region === region);
    return inRegion.find((n) => n.role === "leader") ?? inRegion[0];
  });
}

/** The share of the scenario's writes each leader makes: its clients write to their nearest leader (the first listed on a tie). */
function writeShares(scenario: ResolvedScenario, leaders: readonly Node[]): number[] {
  const shares = leaders.map(() => 0);
  const zones = scenario.workload.zones;
  const clients = Math.max(1, scenario.workload.clients);
  if (zones.length === 0) return shares.map(() => 1 / Math.max(1, leaders.length));
  for (let c = 0; c < clients; c++) {
    const zone = zones[c % zones.length];
    const distance = (n: Node) => (n.zone === zone ? 0 : n.region === zone.split("/")[0] ? 1 : 2);
    let best = 0;
    for (let i = 1; i < leaders.length; i++) if (distance(leaders[i]) < distance(leaders[best])) best = i;
    shares[best] += 1 / clients;
  }
  return shares;
}
