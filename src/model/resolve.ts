// From a validated topology to the resolved model: the preset and the
// built-in defaults table (presets.ts) fill every optional key, names are
// cross-checked (a node's zone exists, a sync standby is a node), settings
// that follow from others are derived once, and each problem is reported with
// the path of the key at fault so the loader can place it. Scenarios are
// resolved in scenario.ts.
import { DEFAULT_FSYNC, DEFAULT_NETWORK, DEFAULT_PRESET, PRESETS, TOPOLOGY_DEFAULTS, electionTimerExtraMs, type Preset } from "./presets.js";
import type { Latency, TopologyInput } from "./schema.js";
import { didYouMean } from "./diagnostics.js";
import { formatDuration } from "../base/units.js";
import { deriveSettings, majorityOf } from "./derived.js";
import { patroniTimeouts } from "../base/failover-timing.js";
import type {
  ConsensusUnusedKey,
  Detection,
  Endpoint,
  Restream,
  ReadRouting,
  ResolvedBackups,
  ResolvedClass,
  ResolvedFailover,
  ResolvedArbiter,
  ResolvedNode,
  ResolvedReplication,
  ResolvedTopology,
} from "./types.js";

export interface Problem {
  path: PropertyKey[];
  message: string;
  /** Point at the key rather than its value. */
  key?: boolean;
}

/** Reports a region or zone that the topology's `regions:` does not list. */
interface PlaceChecks {
  region(region: string, path: PropertyKey[]): void;
  zone(region: string, zone: string, path: PropertyKey[]): void;
}

export function resolveTopology(input: TopologyInput): { topology: ResolvedTopology; problems: Problem[] } {
  const problems: Problem[] = [];
  const preset: Preset = PRESETS[input.preset ?? DEFAULT_PRESET];
  const regions = Object.fromEntries(Object.entries(input.regions).map(([region, r]) => [region, r.zones]));
  const regionNames = Object.keys(regions);
  const places: PlaceChecks = {
    region(region, path) {
      if (!(region in regions)) problems.push({ path, message: `unknown region "${region}"${didYouMean(region, regionNames)} (regions: ${regionNames.join(", ")})` });
    },
    zone(region, zone, path) {
      problems.push({ path, message: `region "${region}" has no zone "${zone}"${didYouMean(zone, regions[region])} (zones: ${regions[region].join(", ")})` });
    },
  };
  membersElectRefusals(input, preset, problems);
  const arbiters = resolveArbiters(input, preset, regions, places, problems);
  const nodes = resolveNodes(input, preset, regions, places);
  if (arbiters.length > 0 && nodes.length < 2) problems.push({ path: ["nodes"], key: true, message: tooFewDataNodes(nodes, arbiters) });
  const leader = pickLeader(input, nodes, problems);
  const replication = resolveReplication(input, preset, nodes, arbiters, leader, regions, problems);
  let failover = resolveFailover(input, preset, nodes, leader, places);
  if (replication.mode === "consensus") failover = consensusFailover(failover, replication, preset, voteRoundTripMs(nodes, input.network), input.failover);
  const backups = resolveBackups(input, places);
  const dataClasses = resolveClasses(input, preset, replication, problems);
  input.backups?.logical?.classes.forEach((c, i) => {
    if (!dataClasses.some((d) => d.name === c)) problems.push({ path: ["backups", "logical", "classes", i], message: `unknown data class "${c}"${didYouMean(c, dataClasses.map((d) => d.name))}` });
  });
  const topology: ResolvedTopology = {
    name: input.name,
    description: input.description ?? null,
    preset: input.preset ?? DEFAULT_PRESET,
    regions,
    network: {
      sameZone: input.network?.["same-zone"] ?? DEFAULT_NETWORK.sameZone,
      crossZone: input.network?.["cross-zone"] ?? DEFAULT_NETWORK.crossZone,
      crossRegion: input.network?.["cross-region"] ?? DEFAULT_NETWORK.crossRegion,
    },
    nodes,
    arbiters,
    leader,
    replication,
    fsync: input.storage?.fsync ?? DEFAULT_FSYNC,
    failover,
    backups,
    dataClasses,
    ignore: input.ignore ?? [],
    derived: deriveSettings({ preset: input.preset ?? DEFAULT_PRESET, regions, nodes, arbiters, replication, failover }),
  };
  return { topology, problems };
}

function resolveNodes(input: TopologyInput, preset: Preset, regions: Record<string, string[]>, places: PlaceChecks): ResolvedNode[] {
  const r = input.replication;
  const defaultApply = r.mode === "leader-follower" || r.mode === "multi-leader" ? (r.apply_rate ?? preset.applyRate) : preset.applyRate;
  const d = TOPOLOGY_DEFAULTS.node;
  return Object.entries(input.nodes)
    .filter(([, n]) => n.role !== "arbiter")
    .map(([name, n], index) => {
    const [region, zone] = n.zone.split("/");
    if (!(region in regions)) places.region(region, ["nodes", name, "zone"]);
    else if (!regions[region].includes(zone)) places.zone(region, zone, ["nodes", name, "zone"]);
    return {
      name,
      index,
      region,
      zone: n.zone,
      role: n.role === "leader" ? "leader" : d.role,
      nofailover: n.nofailover ?? d.nofailover,
      nosync: n.nosync ?? d.nosync,
      failoverPriority: n.failover_priority ?? d.failoverPriority,
      applyRate: n.apply_rate ?? defaultApply,
    };
    });
}

/**
 * The file's arbiters (MongoDB): voting members that hold no data. Only a replica set whose members elect the
 * primary has them (preset mongodb, mode leader-follower, no external store or leader lease to elect it instead);
 * an arbiter takes no data-node setting.
 */
function resolveArbiters(input: TopologyInput, preset: Preset, regions: Record<string, string[]>, places: PlaceChecks, problems: Problem[]): ResolvedArbiter[] {
  const arbiters: ResolvedArbiter[] = [];
  const notElectedByMembers = arbiterRefusal(input, preset);
  for (const [name, n] of Object.entries(input.nodes)) {
    if (n.role !== "arbiter") continue;
    if (notElectedByMembers !== null) {
      problems.push({ path: ["nodes", name, "role"], message: `an arbiter (a member that votes and holds no data) belongs to a MongoDB replica set whose members elect the primary: ${notElectedByMembers}` });
      continue;
    }
    for (const key of ["nofailover", "nosync", "failover_priority", "apply_rate"] as const) {
      if (n[key] !== undefined) problems.push({ path: ["nodes", name, key], key: true, message: `an arbiter holds no data, so ${key} does not apply to it` });
    }
    const [region, zone] = n.zone.split("/");
    if (!(region in regions)) places.region(region, ["nodes", name, "zone"]);
    else if (!regions[region].includes(zone)) places.zone(region, zone, ["nodes", name, "zone"]);
    arbiters.push({ name, region, zone: n.zone });
  }
  return arbiters;
}

/** A replica set with arbiters and fewer than two data-bearing members: nothing holds the data, or nothing could take over. */
function tooFewDataNodes(nodes: ResolvedNode[], arbiters: ResolvedArbiter[]): string {
  const voters = `${arbiters.length} ${arbiters.length === 1 ? "arbiter" : "arbiters"} (${arbiters.map((a) => a.name).join(", ")})`;
  const has = nodes.length === 0 ? "none: every node is an arbiter, and an arbiter holds no data" : `only ${nodes[0].name}, so no member could take over from it and its data has no copy`;
  return `a replica set needs at least two data-bearing members (a primary and a secondary) beside its ${voters}; it has ${has}: make an arbiter a data-bearing member (remove role: arbiter)`;
}

/**
 * Why this file's members do not elect their own primary, so that an arbiter's vote would count for nothing (null:
 * they do). Another preset (etcd-raft's members vote too, but have no arbiters), another mode, or the keys of an
 * external store that elects the leader (Patroni's etcd: a coordinator, a leader lease) all leave it out.
 */
function arbiterRefusal(input: TopologyInput, preset: Preset): string | null {
  const name = input.preset ?? DEFAULT_PRESET;
  if (name !== "mongodb" || preset.electedBy !== "members") return `this topology's preset is ${name}${input.preset === undefined ? " (the default)" : ""}: use preset: mongodb, or make the node a replica`;
  if (input.replication.mode !== "leader-follower") return `replication mode ${input.replication.mode} is not a replica set: use mode: leader-follower, or make the node a replica`;
  // An external store's keys (failover.coordinator, a ttl lease) are refused on their own lines (membersElectRefusals).
  return null;
}

/**
 * The keys of an external store that elects the leader (Patroni's etcd: `failover.coordinator`, a leader lease given
 * as `ttl`), refused where the data nodes of a leader-follower topology elect their leader themselves: a MongoDB
 * replica set, the etcd-raft preset. The engine places no store there and runs no lease, so the coordinator would
 * be silently ignored, and a lease would stand in for the members' heartbeats in an external store's words.
 */
function membersElectRefusals(input: TopologyInput, preset: Preset, problems: Problem[]): void {
  const f = input.failover;
  if (f === undefined) return;
  const mode = input.replication.mode;
  const name = input.preset ?? DEFAULT_PRESET;
  if (mode !== "leader-follower" || preset.electedBy !== "members") return;
  const mongo = name === "mongodb";
  const system = mongo ? "a MongoDB replica set" : `a Raft group (the ${name} preset)`;
  const timeout = mongo ? "electionTimeoutMillis" : "an election timeout";
  const d = preset.failover.detection;
  const heartbeats = d.kind === "heartbeat" ? `detection: { heartbeat: ${formatDuration(d.intervalMs, { style: "parts" })}, misses: ${d.misses} }` : "detection: { heartbeat, misses }";
  const settings = mongo ? " (heartbeatIntervalMillis, and electionTimeoutMillis as heartbeat × misses)" : " (the election timeout is heartbeat × misses)";
  if (f.coordinator !== undefined) {
    const arbiter = mongo ? " (an arbiter, role: arbiter, adds a vote that holds no data)" : "";
    problems.push({ path: ["failover", "coordinator"], key: true, message: `failover.coordinator places an external store (etcd) that elects the primary, which ${system} does not have: its members elect the primary by a majority of their votes, one per member${arbiter}; remove coordinator` });
  }
  if (f.detection !== undefined && "ttl" in f.detection) {
    problems.push({ path: ["failover", "detection", "ttl"], key: true, message: `a leader lease (ttl) is held in an external store (etcd), which ${system} does not have: a secondary calls an election when it has heard no heartbeat from the primary for ${timeout}; give ${heartbeats}${settings} instead` });
  }
}

/** Leader/follower and consensus start with one leader: the node marked so, else the first; the others become replicas. */
function pickLeader(input: TopologyInput, nodes: ResolvedNode[], problems: Problem[]): string | null {
  const mode = input.replication.mode;
  if (mode !== "leader-follower" && mode !== "consensus") return null;
  const leaders = nodes.filter((n) => n.role === "leader");
  for (const extra of leaders.slice(1)) problems.push({ path: ["nodes", extra.name, "role"], message: `only one node may start as the leader; "${leaders[0].name}" already is` });
  // No data node at all (every node an arbiter) is reported by the caller.
  const first = leaders[0] ?? nodes[0];
  if (first === undefined) return null;
  const leader = first.name;
  for (const n of nodes) n.role = n.name === leader ? "leader" : "replica";
  return leader;
}

function resolveReplication(
  input: TopologyInput,
  preset: Preset,
  nodes: ResolvedNode[],
  arbiters: ResolvedArbiter[],
  leader: string | null,
  regions: Record<string, string[]>,
  problems: Problem[],
): ResolvedReplication {
  const r = input.replication;
  switch (r.mode) {
    case "leader-follower":
      return resolveLeaderFollower(r, preset, nodes, arbiters, leader, problems);
    case "leaderless":
      return resolveLeaderless(r, preset, nodes, problems);
    case "multi-leader": {
      const leaders = r.leaders ?? regionsWithNodes(nodes);
      if (r.leaders === undefined && leaders.length < 2) {
        problems.push({ path: ["replication", "mode"], message: `multi-leader needs nodes in at least two regions (one leader each); this topology has nodes in ${leaders.length}` });
      }
      leaders.forEach((region, i) => {
        if (!(region in regions)) problems.push({ path: ["replication", "leaders", i], message: `unknown region "${region}"${didYouMean(region, Object.keys(regions))}` });
        else if (!nodes.some((n) => n.region === region)) problems.push({ path: ["replication", "leaders", i], message: `region "${region}" has no node to lead it` });
      });
      const d = TOPOLOGY_DEFAULTS.multiLeader;
      const clockSkewMs = r.clock_skew ?? {};
      const nodeNames = nodes.map((n) => n.name);
      for (const name of Object.keys(clockSkewMs)) {
        if (!nodeNames.includes(name)) problems.push({ path: ["replication", "clock_skew", name], key: true, message: `unknown node "${name}"${didYouMean(name, nodeNames)}` });
      }
      return { mode: "multi-leader", leaders, conflict: r.conflict ?? d.conflict, routing: r.routing ?? d.routing, applyRate: r.apply_rate ?? preset.applyRate, clockSkewMs };
    }
    case "consensus": {
      const members = r.members ?? regionsWithNodes(nodes);
      members.forEach((region, i) => {
        if (!(region in regions)) problems.push({ path: ["replication", "members", i], message: `unknown region "${region}"${didYouMean(region, Object.keys(regions))}` });
      });
      const electionTimeoutMs = r.election_timeout ?? preset.consensus.electionTimeoutMs;
      const heartbeatMs = r.heartbeat ?? preset.consensus.heartbeatMs;
      // A follower's timer runs at least the election timeout after the last heartbeat it heard; the engine
      // takes a healthy leader's heartbeats as always in time. At or under one heartbeat that is false: a real
      // follower would campaign against a healthy leader all run long, which the engine cannot show. Fewer than
      // etcd's five heartbeats is a lint warning (election-timeout-few-heartbeats), not an error.
      if (electionTimeoutMs <= heartbeatMs) {
        problems.push({
          path: ["replication", r.election_timeout !== undefined ? "election_timeout" : "heartbeat"],
          message: `the election timeout (${formatDuration(electionTimeoutMs, { style: "parts" })}) must be longer than the heartbeat (${formatDuration(heartbeatMs, { style: "parts" })}): a follower would call an election between two heartbeats of a healthy leader (CockroachDB runs at 2 heartbeats, etcd asks for at least 5)`,
        });
      }
      return { mode: "consensus", members, electionTimeoutMs, heartbeatMs };
    }
  }
}

type ReplicationInput<M> = Extract<TopologyInput["replication"], { mode: M }>;
type LeaderFollower = Extract<ResolvedReplication, { mode: "leader-follower" }>;

/**
 * MongoDB 5.0 and later: the implicit default write concern is w:1, not "majority", when the set has arbiters and
 * its data-bearing voters are no more than a majority of all voters (a primary, a secondary and an arbiter: 2 of
 * 3). A majority write there would need every data-bearing member, so one down would stop all writes.
 */
export function implicitWriteConcernIsOne(dataBearing: number, arbiters: number): boolean {
  return arbiters > 0 && dataBearing <= majorityOf(dataBearing + arbiters);
}

function resolveLeaderFollower(r: ReplicationInput<"leader-follower">, preset: Preset, nodes: ResolvedNode[], arbiterList: ResolvedArbiter[], leader: string | null, problems: Problem[]): LeaderFollower {
  const arbiters = arbiterList.length;
  const nodeNames = nodes.map((n) => n.name);
  const whenNone = TOPOLOGY_DEFAULTS.sync.whenNone;
  let sync: LeaderFollower["sync"] = null;
  if (r.synchronous) {
    const spec = r.synchronous.standbys;
    for (const name of spec.names) {
      if (arbiterList.some((a) => a.name === name)) {
        problems.push({ path: ["replication", "synchronous", "standbys"], message: `"${name}" is an arbiter: it holds no data, so it cannot acknowledge a write (name data-bearing members: ${nodeNames.filter((n) => n !== leader).join(", ")})` });
      } else if (!nodeNames.includes(name)) {
        problems.push({ path: ["replication", "synchronous", "standbys"], message: `synchronous standby "${name}" is not a node${didYouMean(name, nodeNames)} (nodes: ${nodeNames.join(", ")})` });
      } else if (name === leader) {
        problems.push({ path: ["replication", "synchronous", "standbys"], message: `"${name}" is the leader; it cannot be its own synchronous standby` });
      }
    }
    sync = {
      ...spec,
      commit: r.synchronous.commit ?? preset.commit,
      strict: r.synchronous.strict ?? preset.strict,
      managed: r.synchronous.managed ?? preset.managedSync,
      lowersCount: (r.synchronous.managed ?? preset.managedSync) && preset.lowersSyncCount,
      degradeAfterMs: r.synchronous.degrade_after ?? preset.degradeAfterMs,
      whenNone: r.synchronous.when_none ?? whenNone,
      setPolicy: preset.syncSetPolicy,
    };
  } else if (preset.implicitSync === "majority" && nodes.length > 1 && !implicitWriteConcernIsOne(nodes.length, arbiters)) {
    // With the leader, a majority of the voting members (arbiters count, but acknowledge nothing) less one.
    const others = nodes.filter((n) => n.name !== leader).map((n) => n.name);
    sync = { method: "any", count: majorityOf(nodes.length + arbiters) - 1, names: others, commit: preset.commit, strict: preset.strict, managed: preset.managedSync, lowersCount: false, degradeAfterMs: preset.degradeAfterMs, whenNone, setPolicy: preset.syncSetPolicy };
  }
  if (r.wal_sender_timeout !== undefined && preset.walSenderTimeoutMs === null) {
    problems.push({ path: ["replication", "wal_sender_timeout"], message: "wal_sender_timeout is PostgreSQL's: this preset's system does not keep a silent standby listed (use a PostgreSQL-based preset: patroni, postgres-manual)" });
  }
  return {
    mode: "leader-follower",
    sync,
    applyRate: r.apply_rate ?? preset.applyRate,
    batchMs: r.wal_sender_batch ?? TOPOLOGY_DEFAULTS.leaderFollower.batchMs,
    walSenderTimeoutMs: r.wal_sender_timeout ?? preset.walSenderTimeoutMs,
  };
}

function resolveLeaderless(r: ReplicationInput<"leaderless">, preset: Preset, nodes: ResolvedNode[], problems: Problem[]): ResolvedReplication {
  const nodeNames = nodes.map((n) => n.name);
  if (r.n !== undefined && r.n > nodes.length) problems.push({ path: ["replication", "n"], message: `n = ${r.n} copies of each key, but the topology has only ${nodes.length} nodes` });
  // Left out, n, w and r come from the preset (fewer copies when there are fewer nodes; then a majority of n).
  const p = preset.leaderless;
  const n = r.n ?? Math.min(p.n, nodes.length);
  const majority = majorityOf(n);
  const w = r.w ?? (n === p.n ? p.w : majority);
  const reads = r.r ?? (n === p.n ? p.r : majority);
  // W or R above N is a design error the linter reports (quorum-exceeds-n); the engine then refuses those requests.
  const skew = r.clock_skew ?? {};
  for (const name of Object.keys(skew)) {
    if (!nodeNames.includes(name)) problems.push({ path: ["replication", "clock_skew", name], key: true, message: `unknown node "${name}"${didYouMean(name, nodeNames)}` });
  }
  return {
    mode: "leaderless",
    n,
    w,
    r: reads,
    sloppyQuorum: r.sloppy_quorum ?? p.sloppyQuorum,
    hintWindowMs: r.hinted_handoff?.window ?? p.hintWindowMs,
    readRepair: r.read_repair ?? p.readRepair,
    readRepairScope: p.readRepairScope,
    conflict: r.conflict ?? p.conflict,
    vnodes: r.vnodes ?? TOPOLOGY_DEFAULTS.leaderless.vnodes,
    placement: r.placement ?? p.placement,
    clockSkewMs: skew,
  };
}

/** The regions that hold at least one node, in the order their first node appears. */
function regionsWithNodes(nodes: ResolvedNode[]): string[] {
  return [...new Set(nodes.map((n) => n.region))];
}

function resolveFailover(input: TopologyInput, preset: Preset, nodes: ResolvedNode[], leader: string | null, places: PlaceChecks): ResolvedFailover {
  const f = input.failover ?? {};
  const p = preset.failover;
  const leaderRegion = nodes.find((n) => n.name === leader)?.region ?? nodes[0]?.region ?? Object.keys(input.regions)[0];
  let coordinator: string[] = [leaderRegion];
  if (f.coordinator !== undefined) {
    coordinator = Array.isArray(f.coordinator) ? f.coordinator : [f.coordinator];
    coordinator.forEach((place, i) => {
      const path = Array.isArray(f.coordinator) ? ["failover", "coordinator", i] : ["failover", "coordinator"];
      const [region, zone] = place.split("/");
      places.region(region, path);
      const zones = input.regions[region]?.zones;
      if (zone !== undefined && zones && !zones.includes(zone)) places.zone(region, zone, path);
    });
  }
  const detection = resolveDetection(f.detection, p.detection);
  return {
    mode: f.mode ?? p.mode,
    operatorDelayMs: f.operator_delay ?? p.operatorDelayMs,
    detection,
    coordinator,
    fencing: f.fencing ?? p.fencing,
    fencingMs: f.fencing_time ?? (f.fencing === "stonith" && p.fencing !== "stonith" ? TOPOLOGY_DEFAULTS.failover.stonithFencingMs : p.fencingMs),
    election: f.election ?? p.election,
    electionMs: f.election_time ?? p.electionMs,
    maximumLagBytes: f.maximum_lag_on_failover ?? p.maximumLagBytes,
    laggingCandidates: f.lagging_candidates ?? p.laggingCandidates,
    promotionMs: f.promotion ?? p.promotionMs,
    endpoint: resolveEndpoint(f.endpoint, p.endpoint),
    reconnect: {
      backoffMs: f.reconnect?.backoff ?? p.reconnect.backoffMs,
      maxMs: f.reconnect?.max ?? p.reconnect.maxMs,
      jitter: f.reconnect?.jitter ?? p.reconnect.jitter,
    },
    acceptRate: f.accept_rate ?? p.acceptRate,
    restream: resolveRestream(p.restream, detection),
  };
}

/** Heartbeats that tell a secondary of the new primary are the heartbeats the file gives (MongoDB's heartbeatIntervalMillis is one setting). */
function resolveRestream(preset: Restream, detection: Detection): Restream {
  if (preset.kind !== "heartbeat" || detection.kind !== "heartbeat") return preset;
  return { kind: "heartbeat", intervalMs: detection.intervalMs };
}

type FailoverInput = NonNullable<TopologyInput["failover"]>;

/**
 * A lease given as `ttl:` keeps the preset's loop_wait and retry_timeout when the preset has a lease too; the
 * timings are the ones Patroni runs with, which may be lower than those given (patroniTimeouts). Heartbeats given
 * keep the preset's randomized election timer, as the same share of the timeout they give.
 */
function resolveDetection(given: FailoverInput["detection"], preset: Detection): Detection {
  if (!given) return preset;
  if ("ttl" in given) {
    const base = preset.kind === "lease" ? preset : TOPOLOGY_DEFAULTS.failover.lease;
    const stated = { loopWaitMs: given.loop_wait ?? base.loopWaitMs, retryTimeoutMs: given.retry_timeout ?? base.retryTimeoutMs };
    const run = patroniTimeouts(given.ttl, stated.loopWaitMs, stated.retryTimeoutMs);
    const adjusted = run.loopWaitMs !== stated.loopWaitMs || run.retryTimeoutMs !== stated.retryTimeoutMs;
    return { kind: "lease", ttlMs: given.ttl, ...run, ...(adjusted ? { given: stated } : {}) };
  }
  // Heartbeats given for a preset whose election timers are randomized (MongoDB) keep its share of the timeout.
  const spread = preset.kind === "heartbeat" && (preset.randomizedMs ?? 0) > 0 ? (preset.randomizedMs ?? 0) / (preset.misses * preset.intervalMs) : 0;
  const randomizedMs = Math.round(spread * given.misses * given.heartbeat);
  return { kind: "heartbeat", intervalMs: given.heartbeat, misses: given.misses, ...(randomizedMs > 0 ? { randomizedMs } : {}) };
}

/** An endpoint of the preset's kind keeps the preset's unstated settings; one of the other kind takes the built-in defaults. */
function resolveEndpoint(given: FailoverInput["endpoint"], preset: Endpoint): Endpoint {
  if (!given) return preset;
  if (given.kind === "dns") {
    const base = preset.kind === "dns" ? preset : TOPOLOGY_DEFAULTS.failover.dns;
    return { kind: "dns", ttlMs: given.ttl ?? base.ttlMs, staleShare: given.stale_clients ?? base.staleShare, staleForMs: given.stale_for ?? base.staleForMs };
  }
  const base = preset.kind === "proxy" ? preset : TOPOLOGY_DEFAULTS.failover.proxy;
  return {
    kind: "proxy",
    checkIntervalMs: given.check_interval ?? base.checkIntervalMs,
    checkTimeoutMs: given.check_timeout ?? base.checkTimeoutMs,
    rise: given.rise ?? base.rise,
    fall: given.fall ?? base.fall,
  };
}

/**
 * A consensus group fails over by its own protocol (Raft): followers that miss
 * heartbeats for an election timeout campaign, a candidate needs a majority of
 * the members, the leader steps down when it loses its majority (check-quorum,
 * leader leases). The group's members are its coordinator. The timeout counts
 * whole heartbeats, as etcd's ticks do (⌊timeout / heartbeat⌋).
 */

/**
 * How long a candidate waits for a majority's votes: the ⌊N/2⌋-th fastest median round trip from it to the other
 * voters (with its own vote that is a majority), for the slowest-placed candidate. Three members in three zones of
 * one region vote within a cross-zone round trip; one member per region, within the nearest region's.
 */
function voteRoundTripMs(nodes: ResolvedNode[], network: TopologyInput["network"]): number {
  // Every node votes (the engine's majority is of all of them).
  const voters = nodes;
  const oneWay = (a: ResolvedNode, b: ResolvedNode) =>
    medianMs(
      a.zone === b.zone
        ? (network?.["same-zone"] ?? DEFAULT_NETWORK.sameZone)
        : a.region === b.region
          ? (network?.["cross-zone"] ?? DEFAULT_NETWORK.crossZone)
          : (network?.["cross-region"] ?? DEFAULT_NETWORK.crossRegion),
    );
  const needed = Math.floor(voters.length / 2);
  if (needed === 0) return 0;
  let slowest = 0;
  for (const candidate of voters) {
    const trips = voters.filter((v) => v !== candidate).map((v) => 2 * oneWay(candidate, v)).sort((x, y) => x - y);
    slowest = Math.max(slowest, trips[needed - 1]);
  }
  return slowest;
}

function consensusFailover(failover: ResolvedFailover, replication: ResolvedReplication & { mode: "consensus" }, preset: Preset, rtt: number, given: TopologyInput["failover"]): ResolvedFailover {
  // Keys of an external manager's failover (Patroni's etcd and its lease, fencing, the race and the promotion) that the
  // group's own election replaces: they load, so that a design written from a Patroni one still runs, and lint and
  // the report say they are not used.
  const unused = CONSENSUS_UNUSED_KEYS.filter((key) => given?.[key] !== undefined);
  return {
    ...failover,
    mode: "automatic",
    // Each voter's timer runs for the timeout plus a random extra, as far as the preset's system randomizes it
    // (etcd: [T, 2T); MongoDB: [T, 1.15 T]); the first to fire campaigns.
    detection: {
      kind: "heartbeat",
      intervalMs: replication.heartbeatMs,
      misses: Math.max(1, Math.floor(replication.electionTimeoutMs / replication.heartbeatMs)),
      randomizedMs: electionTimerExtraMs(preset, replication.electionTimeoutMs),
    },
    coordinator: replication.members,
    fencing: "lease",
    fencingMs: 0,
    election: "highest-lsn",
    // A candidate asks every member (PreVote, then the vote itself) and goes on at a majority's answers (voteRoundTripMs each round).
    electionMs: Math.round(preset.consensus.electionRounds * rtt * 10) / 10,
    promotionMs: 0,
    laggingCandidates: "wait",
    ...(unused.length > 0 ? { unused } : {}),
  };
}

/** The `failover:` keys a consensus group ignores (ResolvedFailover.unused), in the order the schema lists them. */
const CONSENSUS_UNUSED_KEYS: readonly ConsensusUnusedKey[] = [
  "mode",
  "detection",
  "coordinator",
  "fencing",
  "fencing_time",
  "election",
  "election_time",
  "maximum_lag_on_failover",
  "lagging_candidates",
  "promotion",
];

/** The median of a latency given as { median } or { lognormal: { median } }, else a rough centre. */
function medianMs(latency: Latency): number {
  const l = latency as Record<string, unknown>;
  if (typeof l.median === "number") return l.median;
  if (l.lognormal && typeof (l.lognormal as { median?: number }).median === "number") return (l.lognormal as { median: number }).median;
  if (typeof l.constant === "number") return l.constant;
  return TOPOLOGY_DEFAULTS.crossRegionMedianMs;
}

function resolveBackups(input: TopologyInput, places: PlaceChecks): ResolvedBackups | null {
  const b = input.backups;
  if (!b) return null;
  const d = TOPOLOGY_DEFAULTS.backups;
  if (b.wal_archive?.region) places.region(b.wal_archive.region, ["backups", "wal_archive", "region"]);
  if (b.base_backups?.region) places.region(b.base_backups.region, ["backups", "base_backups", "region"]);
  if (b.base_backups?.copy_to) places.region(b.base_backups.copy_to, ["backups", "base_backups", "copy_to"]);
  const copy = b.restore?.throughput ?? d.restore.throughputBytes;
  const archiveMode = b.wal_archive?.mode ?? (b.wal_archive ? "continuous" : "none");
  return {
    walArchive: {
      mode: archiveMode,
      archiveTimeoutMs: b.wal_archive?.archive_timeout ?? d.archiveTimeoutMs,
      everyMs: b.wal_archive?.every ?? d.periodicEveryMs,
      region: b.wal_archive?.region ?? null,
    },
    baseBackups: b.base_backups
      ? { everyMs: b.base_backups.every, retainMs: b.base_backups.retain, region: b.base_backups.region ?? null, copyTo: b.base_backups.copy_to ?? null }
      : null,
    // The default window comes with an archive; `wal_archive: { mode: none }` is no archive.
    pitrWindowMs: b.pitr_window ?? (archiveMode !== "none" ? d.pitrWindowMs : 0),
    restore: {
      throughputBytes: copy,
      walReplayBytes: b.restore?.wal_replay ?? d.restore.walReplayBytes,
      dataSizeBytes: b.restore?.data_size ?? d.restore.dataSizeBytes,
      mergeBytes: b.restore?.merge ?? copy * d.sqlShareOfCopy,
    },
    detectionMs: b.detection ?? d.detectionMs,
    drill: b.drill ? { everyMs: b.drill.every ?? d.drillEveryMs, last: b.drill.last ?? null, automated: b.drill.automated ?? false } : null,
    logical: b.logical
      ? { classes: b.logical.classes, everyMs: b.logical.every ?? d.logical.everyMs, retainMs: b.logical.retain ?? d.logical.retainMs, restoreBytes: b.logical.restore ?? copy * d.sqlShareOfCopy }
      : null,
    auditLog: b.audit_log ?? d.auditLog,
    guards: { unqualifiedDml: b.guards?.unqualified_dml ?? d.unqualifiedDml },
  };
}

/** The smallest maxStalenessSeconds a MongoDB driver accepts (the server selection spec: 90 seconds). */
const MONGODB_MIN_STALENESS_MS = 90_000;

function resolveClasses(input: TopologyInput, preset: Preset, replication: ResolvedReplication, problems: Problem[]): ResolvedClass[] {
  const entries = Object.entries(input.data_classes);
  const given = entries.filter(([, c]) => c.share !== undefined).reduce((sum, [, c]) => sum + (c.share ?? 0), 0);
  const missing = entries.filter(([, c]) => c.share === undefined).length;
  if (given > 1.0001) {
    problems.push({ path: ["data_classes"], key: true, message: `the data classes' shares add up to ${round(given)}; they must add up to 1 (100%)` });
  } else if (missing === 0 && Math.abs(given - 1) > 0.0001) {
    problems.push({ path: ["data_classes"], key: true, message: `the data classes' shares add up to ${round(given)}; they must add up to 1 (100%), or leave some out to share the rest` });
  }
  const rest = missing > 0 ? Math.max(0, 1 - given) / missing : 0;
  const syncCommit = replication.mode === "leader-follower" && replication.sync ? replication.sync.commit : preset.commit;
  return entries.map(([name, c], index) => {
    const consistency = c.consistency ?? TOPOLOGY_DEFAULTS.dataClass.consistency;
    let reads: ReadRouting;
    if (c.reads === undefined) reads = consistency === "strong" ? { kind: "leader" } : consistency === "read-your-writes" ? { kind: "session" } : { kind: "any" };
    else if (typeof c.reads === "string") reads = { kind: c.reads };
    else reads = "max_lag" in c.reads ? { kind: "max_lag", bytes: c.reads.max_lag } : { kind: "max_lag", ms: c.reads.max_staleness };
    if ("ms" in reads && reads.ms < MONGODB_MIN_STALENESS_MS && (input.preset ?? DEFAULT_PRESET) === "mongodb") {
      problems.push({
        path: ["data_classes", name, "reads", "max_staleness"],
        message: `max_staleness ${formatDuration(reads.ms)} is below 90s: MongoDB drivers refuse a maxStalenessSeconds under 90 (the staleness they estimate from heartbeats and the primary's idle writes, every 10s each, is no finer)`,
      });
    }
    if ((c.r !== undefined || c.w !== undefined) && replication.mode !== "leaderless") {
      problems.push({ path: ["data_classes", name, c.r !== undefined ? "r" : "w"], key: true, message: `per-class r and w apply only to replication mode "leaderless" (this topology is "${replication.mode}")` });
    }
    return {
      name,
      index,
      rpoMs: c.rpo,
      rtoMs: c.rto,
      share: c.share ?? rest,
      consistency,
      commit: c.commit ?? syncCommit,
      reads,
      r: c.r ?? null,
      w: c.w ?? null,
    };
  });
}

const round = (v: number) => Math.round(v * 1000) / 1000;
