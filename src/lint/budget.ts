// The failover budget as the lint rules see a design: each data class's
// worst-case failover, phase by phase, from the one timing model the engine
// also uses (src/base/failover-timing.ts), plus what the design and a
// scenario add to it (the synchronous rule a promoted leader waits for, a
// candidate's replay backlog, promotions that fail). Shared by the rules that
// judge an RTO, so that two of them cannot time the same failover differently.
import { failoverBudget, renewalPeriodMs, replayBehind, type ApplyRate, type BudgetOptions, type DnsDelay, type FailedPromotions, type ReplayBacklog, type FailoverBudget, type Phase, type PromotedSync } from "../base/failover-timing.js";
import type { ResolvedFault, ResolvedNode, ResolvedScenario, ResolvedTopology } from "../model/types.js";
import { commitAllowsLoss, formatMs, listWords } from "./design.js";

/**
 * Each data class's failover budget for this design (and scenario, when there is one: its clients and write
 * rate). A class that commits locally does not wait for the new leader's synchronous standby. `dns` says whose
 * delay a DNS endpoint adds (DnsDelay): the TTL by default, the p99 client's, or none at all.
 */
export function classBudgets(topology: ResolvedTopology, scenario: ResolvedScenario | null, dns: DnsDelay = "ttl"): Map<string, FailoverBudget> {
  const clients = scenario?.workload.clients;
  const backlog = scenario ? replayBacklog(topology, scenario) : null;
  const failed = scenario ? failedPromotions(topology, scenario) : null;
  const options: BudgetOptions = { dns, ...(clients === undefined ? {} : { clients }), ...(backlog ? { backlog } : {}), ...(failed ? { failed } : {}) };
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

/** "detect 10.5s + … + promote 100ms + the longer of (endpoint 1.4s + reconnect 200ms) and (sync 5.1s)". */
export function breakdown(budget: FailoverBudget): string {
  const words = (phases: Phase[]) => phases.map((p) => `${p.phase} ${formatMs(p.maxMs)}`).join(" + ");
  const alongside = budget.phases.filter((p) => p.alongside);
  if (alongside.length === 0) return words(budget.phases);
  const promote = budget.phases.findIndex((p) => p.phase === "promote") + 1;
  const clients = budget.phases.slice(promote).filter((p) => !p.alongside);
  return `${words(budget.phases.slice(0, promote))} + the longer of (${words(clients)}) and (${words(alongside)})`;
}

/** The phases that make the worst case: after the promotion, only the longer of the clients' path and the phases alongside it. */
export function bindingPhases(budget: FailoverBudget): Phase[] {
  const promote = budget.phases.findIndex((p) => p.phase === "promote") + 1;
  const after = budget.phases.slice(promote);
  const clients = after.filter((p) => !p.alongside);
  const alongside = after.filter((p) => p.alongside);
  const longest = (phases: Phase[], combine: (values: number[]) => number) => combine(phases.map((p) => p.maxMs));
  const clientsBind = longest(clients, (v) => v.reduce((a, b) => a + b, 0)) >= longest(alongside, (v) => Math.max(0, ...v));
  return [...budget.phases.slice(0, promote), ...(clientsBind ? clients : alongside)];
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
  return { count: sync.count, strict: sync.strict, managed: sync.managed && sync.setPolicy === "named", lowersCount: sync.lowersCount, whenNone: sync.whenNone, degradeAfterMs: sync.degradeAfterMs, survivors };
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


/**
 * What losing one whole zone does to a strict synchronous leader's commits, counted as the engine's sync-set rules
 * count them (failover-timing's waitAfterPromotion): outside the leader's zone, whether the standbys left outside
 * it may still acknowledge (`blocked`: fewer than the count, so commits wait until the zone returns); the leader's
 * own zone, whether a replica promoted outside it keeps enough of them beside it (`stranded`). Null when the zone
 * leaves enough, when the rule is not strict, or when no replica outside the zone may be promoted.
 */
export function syncAfterZoneLoss(topology: ResolvedTopology, zone: string): { kind: "blocked" | "stranded"; promoted: string | null; capable: string[]; lost: string[]; needed: number } | null {
  const sync = promotedSync(topology);
  if (sync === null || !sync.strict) return null;
  const leader = topology.nodes.find((n) => n.name === topology.leader);
  if (!leader) return null;
  const anyStandby = sync.managed && sync.whenNone === "any-standby";
  const needed = anyStandby ? 1 : sync.lowersCount ? Math.min(1, sync.count) : sync.count;
  const zoneOf = new Map(topology.nodes.map((n) => [n.name, n.zone]));
  const capableOf = (xs: typeof sync.survivors) => xs.filter((x) => anyStandby || x.candidate).map((x) => x.name);
  const left = sync.survivors.filter((x) => zoneOf.get(x.name) !== zone);
  const lost = capableOf(sync.survivors.filter((x) => zoneOf.get(x.name) === zone));
  if (leader.zone !== zone) {
    const capable = capableOf(left);
    return capable.length < needed ? { kind: "blocked", promoted: null, capable, lost, needed } : null;
  }
  const eligible = left.filter((x) => x.eligible);
  const winners = eligible.some((x) => x.candidate) ? eligible.filter((x) => x.candidate) : eligible;
  for (const w of winners) {
    const capable = capableOf(left.filter((x) => x !== w));
    if (capable.length < needed) return { kind: "stranded", promoted: w.name, capable, lost, needed };
  }
  return null;
}

/**
 * Why nobody may take over when the leader's whole zone is lost, as the engine's election decides it, or null:
 * every replica outside that zone is nofailover (or priority 0), or, in synchronous mode with lagging_candidates:
 * wait, every published synchronous standby that may be promoted went with the zone. maximum_lag_on_failover is
 * left out (how far a replica lags is a matter of the moment), and so are the votes a majority needs (the
 * coordinator rules' concern). Null for a design whose leader crash alone already leaves nobody (noPromotion), for
 * one with no node outside the leader's zone, and for a consensus group (coordinator-lost-with-zone,
 * consensus-too-few-regions).
 */
export function noPromotionAfterZoneLoss(topology: ResolvedTopology): { zone: string; lost: string[]; inZone: string[]; outside: string[]; published: string[] | null } | null {
  const replication = topology.replication;
  if (replication.mode !== "leader-follower" || noPromotion(topology) !== null) return null;
  const leader = topology.nodes.find((n) => n.name === topology.leader);
  if (!leader) return null;
  const zone = leader.zone;
  const outside = topology.nodes.filter((n) => n.zone !== zone);
  if (outside.length === 0) return null;
  const lost = topology.nodes.filter((n) => n.zone === zone).map((n) => n.name);
  const inZone = topology.nodes.filter((n) => n.zone === zone && n.name !== leader.name && mayBePromoted(n)).map((n) => n.name);
  const names = outside.map((n) => n.name);
  if (!outside.some(mayBePromoted)) return { zone, lost, inZone, outside: names, published: null };
  // The engine's synchronous guard: only the published standbys race (members that vote, and shared storage, have none).
  const { nodesVote } = topology.derived.coordinator;
  if (replication.sync === null || nodesVote || topology.derived.system.sharedStorage || topology.failover.laggingCandidates !== "wait") return null;
  const published = publishedStandbys(topology);
  if (published.length === 0 || published.some((n) => n.zone !== zone && mayBePromoted(n))) return null;
  return { zone, lost, inZone, outside: outside.filter(mayBePromoted).map((n) => n.name), published: published.map((n) => n.name) };
}
