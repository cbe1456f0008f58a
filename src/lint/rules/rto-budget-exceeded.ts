// The RTO a design can promise is the sum of its failover phases, worst case.
// The numbers come from the one timing model the engine also uses, so this
// verdict and a simulated timeline cannot disagree.
import { failoverBudget, type FailoverBudget, type Phase } from "../../base/failover-timing.js";
import type { ResolvedFailover } from "../../model/types.js";
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule, RuleHit } from "../types.js";

export const rtoBudgetExceeded: Rule = {
  id: "rto-budget-exceeded",
  severity: "error",
  description: "The worst-case failover time (detect + fence + elect + promote + endpoint + reconnect + reconnect storm) must fit each data class's RTO.",
  hint: "Shorten the biggest failover phases first: detection, the endpoint switch, the reconnect cap.",
  docs: {
    why:
      "The RTO a design can promise is the sum of its failover phases in the worst case: " +
      "detection, fencing, election, promotion, the endpoint switch, the clients' reconnect and, for a scenario's clients, the reconnect storm. " +
      "If that sum is above a class's RTO, the target is missed by design, however smooth the failover looks in a demo. " +
      "The numbers come from the same timing model the simulator uses, so `validate` and `simulate` cannot disagree.",
    fix:
      "Cut the largest phases first. Detection: a shorter lease ttl (Patroni needs loop_wait + 2 × retry_timeout ≤ ttl) or fewer missed heartbeats. " +
      "The endpoint: a proxy that health-checks the leader instead of DNS, or a DNS TTL of a few seconds. Reconnects: " +
      "a small `failover.reconnect.max` with jitter, and enough `accept_rate` (or a pooler) for the reconnect storm. " +
      "A manual failover waits for a paged human: automate it, with fencing. Then rehearse a failover and measure it: " +
      "the budget is the worst case, and a drill shows the real tail.",
    example: {
      bad: [
        "failover:",
        "  detection: { heartbeat: 10s, misses: 3 }",
        "  endpoint: { kind: dns, ttl: 5m }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
      good: [
        "failover:",
        "  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }",
        "  fencing: lease",
        "  endpoint: { kind: proxy, check_interval: 1s }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower", "consensus"),
  check({ topology, scenario }) {
    // Leaderless and multi-leader designs have no failover to time. A consensus
    // group's election is resolved into the same failover settings (heartbeats,
    // election timeout, a round trip to vote), so it is budgeted like a failover.
    const mode = topology.replication.mode;
    if (mode !== "leader-follower" && mode !== "consensus") return [];
    const clients = scenario?.workload.clients;
    const budget = failoverBudget(topology.failover, clients === undefined ? {} : { clients });
    const hits: RuleHit[] = [];
    for (const c of topology.dataClasses) {
      if (budget.maxMs <= c.rtoMs) continue;
      const context = scenario ? ` (with scenario ${scenario.name}'s ${clients} clients)` : "";
      hits.push({
        path: ["data_classes", c.name, "rto"],
        message: `worst-case failover takes ${formatMs(budget.maxMs)}${context}, above the RTO of ${c.name} (${formatMs(c.rtoMs)}): ${breakdown(budget)}`,
        hint: shortHint(budget, budget.maxMs - c.rtoMs),
        details: hintFor(budget, topology.failover, budget.maxMs - c.rtoMs),
      });
    }
    return hits;
  },
};

export function breakdown(budget: FailoverBudget): string {
  return budget.phases.map((p) => `${p.phase} ${formatMs(p.maxMs)}`).join(" + ");
}

/** "Over by 5m10.2s: cut endpoint (5m) and detect (30s) first." */
function shortHint(budget: FailoverBudget, overMs: number): string {
  const names = biggest(budget, overMs).map((p) => `${p.phase} (${formatMs(p.maxMs)})`);
  return `Over by ${formatMs(overMs)}: cut ${listWords(names)} first.`;
}

/** The biggest phases, until cutting them could cover the excess (three at most). */
function biggest(budget: FailoverBudget, overMs: number): Phase[] {
  const sorted = [...budget.phases].filter((p) => p.maxMs > 0).sort((a, b) => b.maxMs - a.maxMs);
  const chosen: Phase[] = [];
  let covered = 0;
  for (const phase of sorted) {
    chosen.push(phase);
    covered += phase.maxMs;
    if (covered >= overMs || chosen.length === 3) break;
  }
  return chosen;
}

function hintFor(budget: FailoverBudget, failover: ResolvedFailover, overMs: number): string {
  const knobs = biggest(budget, overMs).map((p) => `${p.phase} ${formatMs(p.maxMs)}: ${knob(p, failover)}`).join("; ");
  return `The budget is over by ${formatMs(overMs)}. Turn the biggest knobs first — ${knobs}. Then rehearse a failover and measure it: the budget is the worst case, and a drill shows the real tail.`;
}

function knob(phase: Phase, failover: ResolvedFailover): string {
  switch (phase.phase) {
    case "detect": {
      const d = failover.detection;
      return d.kind === "lease"
        ? `lower failover.detection.ttl (${formatMs(d.ttlMs)}; Patroni needs loop_wait + 2 × retry_timeout ≤ ttl)`
        : `failover.detection waits for ${d.misses} missed heartbeats of ${formatMs(d.intervalMs)}; shorten the heartbeat or allow fewer misses`;
    }
    case "operator":
      return "failover.mode is manual; a paged human is the slowest phase — automate the failover (with fencing)";
    case "fence":
      return "failover.fencing_time: a lease that expires with the leader's fences for free";
    case "elect":
      return "failover.election_time";
    case "promote":
      return "failover.promotion: keep replicas caught up so promotion has little WAL to replay";
    case "endpoint":
      return failover.endpoint.kind === "dns"
        ? "failover.endpoint is DNS with this TTL; use a proxy that health-checks the leader, or a TTL of a few seconds"
        : "failover.endpoint.check_interval: the proxy marks the new leader up only after its health checks pass";
    case "reconnect":
      return "failover.reconnect.max caps the clients' backoff; keep it small, with jitter";
    case "storm":
      return `failover.accept_rate (${failover.acceptRate} connections/s): raise it, warm connection pools, or put a pooler in front so clients do not all reconnect at once`;
  }
}
