// Small questions the rules ask of a resolved design, answered once here so
// that two rules can never disagree about, say, which region the leader is in.
import { formatDuration } from "../base/units.js";
import type { CommitLevel, ResolvedClass, ResolvedNode, ResolvedScenario, ResolvedTopology } from "../model/types.js";

/**
 * A duration for a sentence, exact enough to add up: 200ms, 9.5s, 5m40.2s,
 * 1h30m, 7d. (The timing model's own formatter rounds minutes to tenths and
 * has no days, which a PITR window needs.)
 */
export function formatMs(ms: number): string {
  return formatDuration(ms, { style: "sentence" });
}

/** Whether the design replicates in one of these modes (a rule's appliesTo). */
export function modeIs(topology: ResolvedTopology, ...modes: ResolvedTopology["replication"]["mode"][]): boolean {
  return modes.includes(topology.replication.mode);
}

export function leaderNode(topology: ResolvedTopology): ResolvedNode | null {
  return topology.nodes.find((n) => n.name === topology.leader) ?? null;
}

export function leaderRegion(topology: ResolvedTopology): string | null {
  return leaderNode(topology)?.region ?? null;
}

export function regionOf(topology: ResolvedTopology, node: string): string | null {
  return topology.nodes.find((n) => n.name === node)?.region ?? null;
}

/** `off` and `local` acknowledge before any standby has the write: they allow loss on failover. */
export function commitAllowsLoss(level: CommitLevel): boolean {
  return level === "off" || level === "local";
}

export function zeroRpoClasses(topology: ResolvedTopology): ResolvedClass[] {
  return topology.dataClasses.filter((c) => c.rpoMs === 0);
}

/** A scenario's writes per second to one key of the class at `cls`: the class's share of the writes over its share of the keys. */
export function writesPerKey(topology: ResolvedTopology, scenario: ResolvedScenario, cls: number): number {
  const classes = topology.dataClasses;
  const share = classes[cls].share / classes.reduce((sum, c) => sum + c.share, 0);
  const keys = Math.max(1, Math.round(scenario.workload.keys * share));
  return (scenario.workload.writes * share) / keys;
}

/** Two significant figures below 10, whole numbers above. */
export function rounded(x: number): string {
  return x >= 10 ? Math.round(x).toLocaleString("en-US") : String(Number(x.toPrecision(2)));
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Latency rounded for a sentence: 0.5ms, 35ms, 70ms, 1.2s. */
export function formatLatencyMs(ms: number): string {
  if (ms < 10) return `${Math.round(ms * 10) / 10}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return formatMs(ms);
}

/**
 * Replicas a sync standby could be: nodes other than the leader in the
 * leader's region, other zones first (a zone loss must not take both).
 */
export function suggestedStandbys(topology: ResolvedTopology): string[] {
  const leader = leaderNode(topology);
  if (!leader) return [];
  const sameRegion = topology.nodes.filter((n) => n.name !== leader.name && n.region === leader.region && !n.nofailover);
  const otherZones = sameRegion.filter((n) => n.zone !== leader.zone);
  return [...otherZones, ...sameRegion.filter((n) => n.zone === leader.zone)].map((n) => n.name).slice(0, 2);
}

/**
 * The nodes a synchronous rule may wait for: the listed standbys, and, when a failover manager names them (Patroni),
 * every other replica not tagged nosync (the engine's sync-set.ts syncCandidates, read from the design).
 */
export function syncCandidateNodes(topology: ResolvedTopology, sync: { names: readonly string[]; managed: boolean }): ResolvedNode[] {
  return topology.nodes.filter((n) => n.name !== topology.leader && (sync.names.includes(n.name) || (sync.managed && !n.nosync)));
}

/**
 * A leader-follower topology whose data nodes (and arbiters) elect the leader themselves (a MongoDB replica set,
 * the etcd-raft preset): the words for its voters, where a store's rules would say "the coordinator's members".
 * Null for a topology elected through an external store or a managed control plane.
 */
export function votingSet(topology: ResolvedTopology): { group: string; leader: string; replica: string; voters: string[] } | null {
  if (topology.replication.mode !== "leader-follower" || !topology.derived.coordinator.nodesVote) return null;
  const mongo = topology.preset === "mongodb";
  return {
    group: mongo ? "the replica set" : "the group",
    leader: mongo ? "primary" : "leader",
    replica: mongo ? "secondary" : "replica",
    voters: [...topology.nodes.map((n) => n.name), ...topology.arbiters.map((a) => `the arbiter ${a.name}`)],
  };
}

/**
 * The share of a scenario's writes that `node` coordinates, as the engine's clients pick a coordinator (a leaderless
 * store's shape): clients are spread over the workload's zones in turn, and each picks the nearest live node (its own
 * zone, else its region, else any), at random among equals; every client writes as often as the others.
 */
export function coordinatorShare(topology: ResolvedTopology, scenario: ResolvedScenario, node: string): number {
  const zones = scenario.workload.zones;
  const clients = Math.max(1, scenario.workload.clients);
  if (zones.length === 0) return 1 / Math.max(1, topology.nodes.length);
  const regionOfZone = (zone: string) => zone.split("/")[0];
  let share = 0;
  for (let c = 0; c < clients; c++) {
    const zone = zones[c % zones.length];
    const distance = (n: ResolvedNode) => (n.zone === zone ? 0 : n.region === regionOfZone(zone) ? 1 : 2);
    const best = Math.min(...topology.nodes.map(distance));
    const nearest = topology.nodes.filter((n) => distance(n) === best);
    if (nearest.some((n) => n.name === node)) share += 1 / nearest.length;
  }
  return share / clients;
}
