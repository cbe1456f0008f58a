// The RTO a design can promise is the sum of its failover phases, worst case.
// The numbers come from the one timing model the engine also uses, so this
// verdict and a simulated timeline cannot disagree.
import type { FailoverBudget, Phase, Stranded } from "../../base/failover-timing.js";
import type { ResolvedFailover, ResolvedTopology } from "../../model/types.js";
import { bindingPhases, breakdown, classBudgets, noPromotion } from "../budget.js";
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule, RuleHit } from "../types.js";

export const rtoBudgetExceeded: Rule = {
  id: "rto-budget-exceeded",
  severity: "error",
  description:
    "The worst-case failover time (detect + fence + elect + promote, then the longer of endpoint + reconnect + reconnect storm and a strict leader's wait for a synchronous standby) must fit each data class's RTO; a strict leader left with too few standbys to acknowledge never gets writes back.",
  hint: "Shorten the biggest failover phases first: detection, the endpoint switch, the reconnect cap.",
  docs: {
    why:
      "The RTO a design can promise is the sum of its failover phases in the worst case: " +
      "detection (with a lease: the ttl, plus up to one of etcd's 500 ms checks before it revokes the expired key), fencing, election, promotion, " +
      "then the endpoint switch, the clients' reconnect and, for a scenario's clients, the reconnect storm. " +
      "Alongside those, a class that commits synchronously waits for the new leader's synchronous standby: with `strict: true` nothing is acknowledged " +
      "until another replica streams from the new leader (under the PostgreSQL presets, one re-pointed before the new leader has created its replication slot retries 5 s later; a MongoDB secondary follows within one heartbeat interval, and Orchestrator relocates MySQL replicas as it promotes) " +
      "and, under Patroni, the new leader's HA loop has named it — the budget counts the longer of the two paths. " +
      "Strict mode with a count of k needs k replicas besides the promoted one that may acknowledge (tagged `nosync` or, unmanaged, not listed, they may not; " +
      "with `when_none: any-standby`, Patroni 3.0's '*', any one streaming standby will do). The old leader does not count: it is down. " +
      "With fewer, no failover brings writes back — they block until the old leader is rebuilt as a replica of the new one — so the budget is unbounded " +
      "and every class that commits synchronously misses its RTO, whatever it is. " +
      "Nor does a failover happen when no replica may be promoted: every one `nofailover` (or `failover_priority: 0`), or, in synchronous mode with `lagging_candidates: wait`, " +
      "every published synchronous standby — the only replicas known to hold every acknowledged write — `nofailover`: then no class gets writes back until the old leader returns. " +
      "If that total is above a class's RTO, the target is missed by design, however smooth the failover looks in a demo. " +
      "A promotion also waits for its candidate to replay what it received: a scenario's write rate tells how far a replica with a lower `apply_rate` falls behind " +
      "by the leader's crash (or, without one, the scenario's last fault), at the rate the scenario's `slow` faults up to then set; each of its `promote_fails` faults " +
      "on a replica that may win adds one more election and promotion (and, when no other candidate is left, the HA loop that tries it again); " +
      "a topology alone has no write rate, and its budget assumes the replicas keep up. " +
      "The numbers come from the same timing model the simulator uses, so `validate` and `simulate` cannot disagree.",
    fix:
      "Cut the largest phases first. Detection: a shorter lease ttl (Patroni needs loop_wait + 2 × retry_timeout ≤ ttl) or fewer missed heartbeats. " +
      "The endpoint: a proxy that health-checks the leader instead of DNS, or a DNS TTL of a few seconds. Reconnects: " +
      "a small `failover.reconnect.max` with jitter, and enough `accept_rate` (or a pooler) for the reconnect storm. " +
      "Strict synchronous commit: `when_none: any-standby` lets any streaming standby acknowledge until one is named; otherwise budget the wait in the RTO. " +
      "A strict leader left with too few standbys after a failover needs one more replica that may be a synchronous standby (a third node in another zone); " +
      "a design with nobody to promote needs its synchronous standby (or some replica) without the `nofailover` tag. " +
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
        "  detection: { ttl: 20s, loop_wait: 2s, retry_timeout: 3s }",
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
    // election timeout, two round trips to vote: PreVote, then the vote), so it is budgeted like a failover.
    const mode = topology.replication.mode;
    if (mode !== "leader-follower" && mode !== "consensus") return [];
    const clients = scenario?.workload.clients;
    const budgets = classBudgets(topology, scenario);
    const hits: RuleHit[] = [];
    const nobody = noPromotion(topology);
    for (const c of topology.dataClasses) {
      if (nobody) {
        hits.push({ path: ["data_classes", c.name, "rto"], message: `after a leader crash, writes of ${c.name} do not come back at all, whatever its RTO (${formatMs(c.rtoMs)}): ${nobody.why}`, hint: nobody.hint });
        continue;
      }
      const budget = budgets.get(c.name)!;
      if (budget.stranded) {
        hits.push({ path: ["data_classes", c.name, "rto"], ...strandedHit(topology, budget.stranded, c.name, c.rtoMs) });
        continue;
      }
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

/**
 * A class whose writes never come back after a failover: the promoted leader is left with too few replicas
 * that may acknowledge its strict synchronous commits, so they block until the old leader is rebuilt.
 */
function strandedHit(topology: ResolvedTopology, x: Stranded, name: string, rtoMs: number): Omit<RuleHit, "path"> {
  const sync = topology.replication.mode === "leader-follower" ? topology.replication.sync : null;
  const managed = sync?.managed ?? false;
  const old = topology.leader;
  const why = managed ? "tagged nosync" : "not listed in synchronous.standbys";
  const incapable = x.incapable.length === 0 ? "" : ` (${listWords(x.incapable)}: ${why})`;
  const left =
    x.capable.length === 0
      ? x.incapable.length === 0
        ? `no other replica is left to acknowledge its commits`
        : `no replica left may acknowledge its commits${incapable}`
      : `only ${listWords(x.capable)} may acknowledge its commits${incapable} and it needs ${x.needed}`;
  const message =
    `after a leader crash, writes of ${name} do not come back at all, whatever its RTO (${formatMs(rtoMs)}): once ${x.promoted} is promoted, ${left}, ` +
    `so strict synchronous mode blocks every write until the old leader ${old} is rebuilt and streams from ${x.promoted}`;
  const anyStandby = managed && sync?.whenNone !== "any-standby" && x.incapable.length > 0;
  const hint = anyStandby
    ? "Set synchronous.when_none: any-standby, or add a replica that is not tagged nosync."
    : managed
      ? "Add a replica that may be named synchronous standby, so one is left after a failover."
      : "List one more standby in synchronous.standbys, so one is left after a failover.";
  const details =
    `Strict synchronous mode with a count of ${x.needed} needs, after the leader is lost, ${x.needed} replica${x.needed === 1 ? "" : "s"} besides the promoted one that may acknowledge` +
    `${managed ? " (not tagged nosync)" : " (listed in synchronous.standbys)"}; the old leader does not count: it is down until someone rebuilds it. ` +
    `Add a replica that may be a synchronous standby (a third node in another zone)` +
    `${anyStandby ? ", or set replication.synchronous.when_none: any-standby (Patroni 3.0's '*': any streaming standby, nosync ones included, acknowledges while no proper one is named)" : ""}` +
    `, or set synchronous.strict: false if writes should rather go on unprotected (which gives up RPO 0). If halting writes after a failover is the intended trade, ignore this rule for the class with a reason.`;
  return { message, hint, details };
}

/** "Over by 5m10.2s: cut endpoint (5m) and detect (30s) first." */
function shortHint(budget: FailoverBudget, overMs: number): string {
  const names = biggest(budget, overMs).map((p) => `${p.phase} (${formatMs(p.maxMs)})`);
  return `Over by ${formatMs(overMs)}: cut ${listWords(names)} first.`;
}

/** The biggest phases, until cutting them could cover the excess (three at most). */
function biggest(budget: FailoverBudget, overMs: number): Phase[] {
  const sorted = bindingPhases(budget).filter((p) => p.maxMs > 0).sort((a, b) => b.maxMs - a.maxMs);
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
    case "replay":
      return "an eligible replica's apply_rate is below the scenario's write rate: give it capacity, or mark it nofailover, so a promotion does not wait for its backlog";
    case "retry":
      return "a promotion that fails costs another election and promotion: find why the candidate cannot promote (a corrupt WAL segment, a schema mismatch) before the next failover, or keep another candidate that may be promoted";
    case "promote":
      return "failover.promotion: keep replicas caught up so promotion has little WAL to replay";
    case "sync":
      return "strict synchronous commit waits until a standby streams from the new leader and is named; replication.synchronous.when_none: any-standby lets any streaming standby acknowledge meanwhile";
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
