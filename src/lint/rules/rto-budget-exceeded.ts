// The RTO a design can promise is the sum of its failover phases, worst case.
// The numbers come from the one timing model the engine also uses, so this
// verdict and a simulated timeline cannot disagree.
import { failoverBudget, renewalPeriodMs, replayBehind, type ApplyRate, type BudgetOptions, type FailedPromotions, type ReplayBacklog, type FailoverBudget, type Phase, type PromotedSync, type Stranded } from "../../base/failover-timing.js";
import type { ResolvedFailover, ResolvedFault, ResolvedNode, ResolvedScenario, ResolvedTopology } from "../../model/types.js";
import { commitAllowsLoss, formatMs, listWords, modeIs } from "../design.js";
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
 * Each data class's failover budget for this design (and scenario, when there is one: its clients and write
 * rate). A class that commits locally does not wait for the new leader's synchronous standby.
 */
export function classBudgets(topology: ResolvedTopology, scenario: ResolvedScenario | null): Map<string, FailoverBudget> {
  const clients = scenario?.workload.clients;
  const backlog = scenario ? replayBacklog(topology, scenario) : null;
  const failed = scenario ? failedPromotions(topology, scenario) : null;
  const options: BudgetOptions = { ...(clients === undefined ? {} : { clients }), ...(backlog ? { backlog } : {}), ...(failed ? { failed } : {}) };
  const sync = promotedSync(topology);
  const waits = failoverBudget(topology.failover, sync ? { ...options, sync } : options);
  const local = failoverBudget(topology.failover, options);
  return new Map(topology.dataClasses.map((c) => [c.name, commitAllowsLoss(c.commit) ? local : waits]));
}

/**
 * Why no replica may take over when the leader crashes, as the engine's election decides it, or null: every
 * other node is nofailover (or priority 0); or, in synchronous mode with lagging_candidates: wait, none of the
 * published synchronous standbys — the only replicas known to hold every acknowledged write — may be promoted.
 * A consensus group elects any member with a majority's votes.
 */
export function noPromotion(topology: ResolvedTopology): { why: string; hint: string } | null {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower") return null;
  const replicas = topology.nodes.filter((n) => n.name !== topology.leader);
  if (replicas.length === 0) return null;
  const eligible = replicas.filter(mayBePromoted);
  const old = topology.leader;
  if (eligible.length === 0) {
    return {
      why: `no replica may be promoted (${listWords(replicas.map((n) => n.name))}: nofailover or failover_priority 0), so the cluster stays without a leader until ${old} comes back`,
      hint: "Let a replica in another zone be promoted: drop its nofailover tag.",
    };
  }
  const sync = replication.sync;
  if (sync === null || topology.failover.laggingCandidates !== "wait") return null;
  const published = publishedStandbys(topology);
  if (published.length === 0 || published.some((n) => mayBePromoted(n))) return null;
  const names = listWords(published.map((n) => n.name));
  const one = published.length === 1;
  return {
    why:
      `in synchronous mode only the last leader and the published synchronous standby${one ? "" : "s"} (${names}) may take over, and ${names} ${one ? "is" : "are"} nofailover; ` +
      `${listWords(eligible.map((n) => n.name))} ${eligible.length === 1 ? "is" : "are"} not known to hold every acknowledged write, and lagging_candidates: wait promotes no such replica, so the cluster stays without a leader until ${old} comes back`,
    hint: "Let the synchronous standby be promoted (drop its nofailover tag), or list one that may be.",
  };
}

/**
 * The synchronous standbys a healthy leader publishes (Patroni's /sync key), every replica streaming: FIRST k,
 * the first k candidates (the listed ones in order, then, managed, the others not tagged nosync); ANY k, all of them.
 */
function publishedStandbys(topology: ResolvedTopology): ResolvedNode[] {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower" || replication.sync === null) return [];
  const sync = replication.sync;
  const byName = (name: string) => topology.nodes.find((n) => n.name === name);
  const listed = sync.names.filter((name) => name !== topology.leader).map(byName).filter((n): n is ResolvedNode => n !== undefined);
  const extra = sync.managed ? topology.nodes.filter((n) => n.name !== topology.leader && !n.nosync && !sync.names.includes(n.name)) : [];
  const candidates = [...listed, ...extra];
  return sync.method === "first" ? candidates.slice(0, sync.count) : candidates;
}

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

/** "detect 10.5s + … + promote 100ms + the longer of (endpoint 1.4s + reconnect 200ms) and (sync 5.1s)". */
export function breakdown(budget: FailoverBudget): string {
  const words = (phases: Phase[]) => phases.map((p) => `${p.phase} ${formatMs(p.maxMs)}`).join(" + ");
  const alongside = budget.phases.filter((p) => p.alongside);
  if (alongside.length === 0) return words(budget.phases);
  const promote = budget.phases.findIndex((p) => p.phase === "promote") + 1;
  const clients = budget.phases.slice(promote).filter((p) => !p.alongside);
  return `${words(budget.phases.slice(0, promote))} + the longer of (${words(clients)}) and (${words(alongside)})`;
}

/**
 * The synchronous rule a promoted leader's commits wait for, from the design: the replicas that survive the
 * leader's crash, which may be promoted and which may be named synchronous. Null without one, and for a
 * consensus group (its majority answers the new leader's first round, which a commit waits for anyway).
 */
function promotedSync(topology: ResolvedTopology): PromotedSync | null {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower" || replication.sync === null) return null;
  const sync = replication.sync;
  const survivors = topology.nodes
    .filter((n) => n.name !== topology.leader)
    .map((n) => ({ name: n.name, eligible: mayBePromoted(n), candidate: sync.names.includes(n.name) || (sync.managed && !n.nosync) }));
  return { count: sync.count, strict: sync.strict, managed: sync.managed, lowersCount: sync.lowersCount, whenNone: sync.whenNone, degradeAfterMs: sync.degradeAfterMs, survivors };
}

/**
 * When the leader fails in the scenario: its first crash (or the loss of its zone or region); without one, the
 * run up to the last fault, whatever ends it.
 */
function failureMs(topology: ResolvedTopology, scenario: ResolvedScenario): number {
  const leader = topology.leader;
  const crash = scenario.faults.find((f) => (f.kind === "crash" && f.node === leader) || (f.kind === "lose" && leader !== null && f.nodes.includes(leader)));
  return crash ? crash.atMs : Math.max(0, ...scenario.faults.map((f) => f.atMs));
}

/**
 * The backlog a promotion may wait for: the candidate furthest behind when the leader fails, against the
 * scenario's write rate, at its apply rate as the scenario's `slow` faults up to the failure set it (and their
 * ends restore it). Without a scenario the write rate is unknown and candidates are taken to keep up.
 */
function replayBacklog(topology: ResolvedTopology, scenario: ResolvedScenario): ReplayBacklog | null {
  const failure = failureMs(topology, scenario);
  const backlogs = topology.nodes
    .filter((n) => n.name !== topology.leader && mayBePromoted(n))
    .map((n): ReplayBacklog => ({ writeRate: scenario.workload.writes, rates: applyRates(n, scenario.faults, failure), failureMs: failure }));
  if (backlogs.length === 0) return null;
  const behind = backlogs.map((b) => replayBehind(b).behindMs).map((ms) => (Number.isFinite(ms) ? ms : -1));
  return backlogs[behind.indexOf(Math.max(...behind))];
}

/**
 * A node's apply rate over the run, as the engine sets it: its own, then each `slow` fault's up to the failure,
 * whose end (`for:`) puts back the rate that was in force when it began.
 */
function applyRates(node: ResolvedNode, faults: ResolvedFault[], failure: number): ApplyRate[] {
  const rates: ApplyRate[] = [{ fromMs: 0, applyRate: node.applyRate }];
  const slows = faults.flatMap((f) => (f.kind === "slow" && f.node === node.name && f.atMs <= failure ? [f] : [])).sort((x, y) => x.atMs - y.atMs);
  const restores: ApplyRate[] = [];
  for (const f of slows) {
    for (const r of restores.filter((x) => x.fromMs <= f.atMs).sort((x, y) => x.fromMs - y.fromMs)) rates.push(restores.splice(restores.indexOf(r), 1)[0]);
    const before = rates[rates.length - 1].applyRate;
    rates.push({ fromMs: f.atMs, applyRate: f.applyRate });
    if (f.forMs !== null) restores.push({ fromMs: f.atMs + f.forMs, applyRate: before });
  }
  for (const r of restores.sort((x, y) => x.fromMs - y.fromMs)) rates.push(r);
  return rates;
}

/**
 * The promotions that fail before one succeeds, as the engine's election goes: the scenario's `promote_fails`
 * faults up to the failure, on replicas that may win it. In synchronous mode only the published synchronous
 * standbys may (or, with none that may be promoted and lagging_candidates: promote, any replica); a consensus
 * group, any member. A failed candidate goes to the back of the queue: with nobody else eligible, the next HA
 * loop tries it again.
 */
function failedPromotions(topology: ResolvedTopology, scenario: ResolvedScenario): FailedPromotions | null {
  const failure = failureMs(topology, scenario);
  const failing = new Set(scenario.faults.flatMap((f) => (f.kind === "promote_fails" && f.atMs <= failure ? [f.node] : [])));
  if (failing.size === 0) return null;
  const replication = topology.replication;
  const eligible = topology.nodes.filter((n) => n.name !== topology.leader && mayBePromoted(n));
  const published = publishedStandbys(topology).filter(mayBePromoted);
  // Lagging winners: nobody is ever eligible in its own right, so every failure waits for a retry.
  const lagging = replication.mode === "leader-follower" && replication.sync !== null && published.length === 0;
  const winners = replication.mode === "leader-follower" && replication.sync !== null ? (lagging ? (topology.failover.laggingCandidates === "promote" ? eligible : []) : published) : eligible;
  const count = winners.filter((n) => failing.has(n.name)).length;
  if (count === 0) return null;
  // Every possible winner fails: each is tried once, then all again after a retry, and the next promotion succeeds
  // (lagging winners: the first failure already waits for the retry, which may promote it).
  const all = count === winners.length;
  const loop = renewalPeriodMs(topology.failover.detection);
  const retries = { minMs: all ? 1 : 0, maxMs: lagging ? count : all ? 1 : 0 };
  return { count, certain: all ? (lagging ? 1 : count) : 0, retryMs: { minMs: loop, maxMs: loop }, retries };
}

const mayBePromoted = (n: ResolvedNode) => !n.nofailover && n.failoverPriority > 0;

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

/** The phases that make the worst case: after the promotion, only the longer of the clients' path and the phases alongside it. */
function bindingPhases(budget: FailoverBudget): Phase[] {
  const promote = budget.phases.findIndex((p) => p.phase === "promote") + 1;
  const after = budget.phases.slice(promote);
  const clients = after.filter((p) => !p.alongside);
  const alongside = after.filter((p) => p.alongside);
  const longest = (phases: Phase[], combine: (values: number[]) => number) => combine(phases.map((p) => p.maxMs));
  const clientsBind = longest(clients, (v) => v.reduce((a, b) => a + b, 0)) >= longest(alongside, (v) => Math.max(0, ...v));
  return [...budget.phases.slice(0, promote), ...(clientsBind ? clients : alongside)];
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
