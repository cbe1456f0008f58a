// A seeded generator of random but valid scenarios: a design of one of the
// four replication modes (with the knobs that matter to safety and liveness:
// FIRST/ANY k, strict or not, commit levels, lease or heartbeat detection,
// coordinator placement, fencing, endpoints, nofailover nodes, zones and
// regions), a small workload, and a fault schedule. The same seed gives the
// same case; every case renders to a scenario file the loader accepts.
import { checkSchedule, scheduleContext } from "../model/fault-schedule.js";
import { loadText } from "../model/load.js";
import type { ResolvedScenario } from "../model/types.js";
import { recoveryBoundMs } from "./guarantees.js";
import { between, chance, pick, Rng, sample, shuffled, weighted } from "./random.js";
import { generateSchedule, lastChangeMs, layoutOfSpec } from "./schedule.js";
import { caseYaml, cloneCase, type CaseSpec, type TopologySpec, type WorkloadSpec } from "./spec.js";

export const MODES = ["leader-follower", "consensus", "leaderless", "multi-leader"] as const;
export type Mode = (typeof MODES)[number];

/** Leader/follower has the most knobs (and the most ways to fail), so it gets the most cases. */
const MODE_WEIGHTS: [Mode, number][] = [
  ["leader-follower", 0.55],
  ["consensus", 0.15],
  ["leaderless", 0.15],
  ["multi-leader", 0.15],
];

/** Small enough for CI: tens to a few hundred writes/s for 30–120 s. */
export const DURATION_MIN_MS = 30_000;
export const DURATION_MAX_MS = 120_000;

const REGION_NAMES = ["east", "west", "eu", "ap", "sa"];
const ZONE_NAMES = ["a", "b", "c"];

export function pickMode(rng: Rng): Mode {
  return weighted(rng, MODE_WEIGHTS);
}

// ---------------------------------------------------------------------------
// Designs

type Regions = Record<string, { zones: string[] }>;

function geography(rng: Rng, regionCount: number, zonesPerRegion: () => number): Regions {
  const regions: Regions = {};
  for (const name of REGION_NAMES.slice(0, regionCount)) regions[name] = { zones: ZONE_NAMES.slice(0, zonesPerRegion()) };
  return regions;
}

function allZones(regions: Regions): string[] {
  return Object.entries(regions).flatMap(([r, { zones }]) => zones.map((z) => `${r}/${z}`));
}

/** Nodes spread over the zones, first zone first, so replicas usually sit away from the leader. */
function placeNodes(rng: Rng, zones: string[], count: number): string[] {
  const order = [zones[0], ...shuffled(rng, zones.slice(1))];
  return Array.from({ length: count }, (_, i) => order[i % order.length]);
}

function network(rng: Rng, regions: Regions): Record<string, unknown> | undefined {
  if (Object.keys(regions).length < 2 || chance(rng, 0.5)) return undefined;
  const median = pick(rng, [5, 10, 20, 35]);
  return { "cross-region": { median, p99: median * 2 } };
}

function dataClasses(rng: Rng, commitOverrides: boolean): TopologySpec["data_classes"] {
  const classes: TopologySpec["data_classes"] = { ledger: { rpo: 0, rto: pick(rng, ["15s", "30s", "1m"]), consistency: "strong" } };
  const extra = between(rng, 0, 2);
  if (extra === 0) return classes;
  classes.ledger.share = 0.5;
  classes.events = { rpo: pick(rng, ["10s", "1m"]), rto: "2m", ...(commitOverrides && chance(rng, 0.5) ? { commit: pick(rng, ["local", "off"]) } : {}) };
  if (extra === 2) {
    classes.events.share = 0.3;
    classes.profiles = { rpo: "1s", rto: "1m", consistency: pick(rng, ["read-your-writes", "eventual"]), ...(chance(rng, 0.3) ? { reads: { max_lag: "1MB" } } : {}) };
  } else classes.events.share = 0.5;
  return classes;
}

function leaseDetection(rng: Rng): Record<string, string> {
  const ttl = weighted(rng, [
    [3, 1],
    [5, 2],
    [6, 2],
    [10, 2],
    [15, 1],
    [30, 0.5],
  ] as const);
  // Patroni's rule: loop_wait + 2 × retry_timeout <= ttl.
  const loopWait = between(rng, 1, Math.max(1, Math.floor(ttl / 3)));
  const retry = between(rng, 1, Math.max(1, Math.floor((ttl - loopWait) / 2)));
  return { ttl: `${ttl}s`, loop_wait: `${loopWait}s`, retry_timeout: `${retry}s` };
}

function detection(rng: Rng): Record<string, unknown> {
  return chance(rng, 0.7) ? leaseDetection(rng) : { heartbeat: pick(rng, ["500ms", "1s", "2s"]), misses: between(rng, 2, 5) };
}

function coordinator(rng: Rng, regions: Regions, leaderZone: string): string | string[] {
  const zones = allZones(regions);
  const names = Object.keys(regions);
  const choices: [string | string[], number][] = [
    [leaderZone.split("/")[0], 2],
    [pick(rng, zones), 1],
  ];
  if (zones.length >= 3) choices.push([sample(rng, zones, 3), 2]);
  if (names.length >= 3) choices.push([names.slice(0, 3), 1]);
  return weighted(rng, choices);
}

function endpoint(rng: Rng): Record<string, unknown> {
  if (chance(rng, 0.6)) return { kind: "proxy", check_interval: pick(rng, ["500ms", "1s", "2s"]), rise: between(rng, 1, 2) };
  return { kind: "dns", ttl: pick(rng, ["1s", "5s", "10s"]), ...(chance(rng, 0.3) ? { stale_clients: "5%", stale_for: pick(rng, ["10s", "30s"]) } : {}) };
}

function failover(rng: Rng, regions: Regions, leaderZone: string): Record<string, unknown> {
  const fencing = weighted(rng, [
    ["stonith", 0.35],
    ["lease", 0.4],
    ["none", 0.25],
  ] as const);
  return {
    ...(chance(rng, 0.05) ? { mode: "manual", operator_delay: pick(rng, ["5s", "20s"]) } : {}),
    detection: detection(rng),
    coordinator: coordinator(rng, regions, leaderZone),
    fencing,
    ...(fencing === "stonith" && chance(rng, 0.5) ? { fencing_time: pick(rng, ["1s", "3s"]) } : {}),
    ...(chance(rng, 0.15) ? { lagging_candidates: "promote" } : {}),
    ...(chance(rng, 0.2) ? { maximum_lag_on_failover: pick(rng, ["64KB", "1MB", "16MB"]) } : {}),
    promotion: pick(rng, ["100ms", "1s", "3s"]),
    endpoint: endpoint(rng),
  };
}

function synchronous(rng: Rng, replicas: string[]): Record<string, unknown> | undefined {
  const method = weighted(rng, [
    [null, 0.3],
    ["FIRST", 0.35],
    ["ANY", 0.35],
  ] as const);
  if (method === null) return undefined;
  const names = chance(rng, 0.7) ? replicas : sample(rng, replicas, between(rng, 1, replicas.length));
  const count = between(rng, 1, Math.min(2, names.length));
  const strict = chance(rng, 0.6);
  return {
    standbys: `${method} ${count} (${names.join(", ")})`,
    commit: weighted(rng, [
      ["on", 0.6],
      ["remote_apply", 0.15],
      ["remote_write", 0.15],
      ["local", 0.1],
    ] as const),
    strict,
    ...(chance(rng, 0.2) ? { managed: false } : {}),
    ...(!strict && chance(rng, 0.3) ? { degrade_after: pick(rng, ["2s", "10s"]) } : {}),
  };
}

function leaderFollower(rng: Rng, name: string): TopologySpec {
  const regionCount = weighted(rng, [
    [1, 0.6],
    [2, 0.3],
    [3, 0.1],
  ] as const);
  const regions = geography(rng, regionCount, () => between(rng, regionCount === 1 ? 2 : 1, 3));
  const zones = placeNodes(rng, allZones(regions), between(rng, 2, 5));
  const names = zones.map((_, i) => `n${i}`);
  const replicas = names.slice(1);
  const nodes: TopologySpec["nodes"] = {};
  names.forEach((n, i) => {
    nodes[n] = { zone: zones[i], ...(i === 0 ? { role: "leader" } : {}) };
    if (i === 0) return;
    if (chance(rng, 0.12)) nodes[n].nofailover = true;
    if (chance(rng, 0.08)) nodes[n].nosync = true;
    if (chance(rng, 0.1)) nodes[n].apply_rate = pick(rng, [300, 1000, 5000]);
  });
  const sync = synchronous(rng, replicas);
  const preset = chance(rng, 0.1) ? pick(rng, ["mysql-semisync", "mongodb", "aurora"]) : null;
  const net = network(rng, regions);
  const replication = { mode: "leader-follower", ...(sync ? { synchronous: sync } : {}), ...(chance(rng, 0.15) ? { apply_rate: pick(rng, [500, 2000]) } : {}) };
  const fail = failover(rng, regions, zones[0]);
  // A replica set's members elect the primary: it has no external store to place, nor a lease (the loader refuses
  // both). The draws are made all the same, so every other design keeps its seed's shape.
  if (preset === "mongodb") {
    delete fail.coordinator;
    if ((fail.detection as Record<string, unknown>).ttl !== undefined) delete fail.detection;
  }
  return {
    kind: "topology",
    name,
    ...(preset !== null ? { preset } : {}),
    regions,
    ...optional("network", net),
    nodes,
    replication,
    failover: fail,
    data_classes: dataClasses(rng, true),
  };
}

function consensus(rng: Rng, name: string): TopologySpec {
  const count = chance(rng, 0.7) ? 3 : 5;
  const regions = geography(rng, count, () => between(rng, 1, 2));
  const nodes: TopologySpec["nodes"] = {};
  Object.keys(regions).forEach((region, i) => (nodes[`r${i}`] = { zone: `${region}/a`, ...(i === 0 ? { role: "leader" } : {}) }));
  return {
    kind: "topology",
    name,
    ...(chance(rng, 0.5) ? { preset: "etcd-raft" } : {}),
    regions,
    network: { "cross-region": { median: pick(rng, [5, 15, 35]), p99: 80 } },
    nodes,
    replication: {
      mode: "consensus",
      ...(chance(rng, 0.5) ? { members: Object.keys(regions) } : {}),
      ...raftTimers(pick(rng, ["500ms", "1s", "2s"]), pick(rng, ["100ms", "200ms"])),
    },
    failover: { endpoint: { kind: "proxy", check_interval: pick(rng, ["500ms", "1s"]) } },
    data_classes: dataClasses(rng, true),
  };
}

/** An election timeout and a heartbeat etcd would start with: the heartbeat at most a fifth of the timeout. */
function raftTimers(electionTimeout: "500ms" | "1s" | "2s", heartbeat: "100ms" | "200ms"): { election_timeout: string; heartbeat: string } {
  return { election_timeout: electionTimeout, heartbeat: electionTimeout === "500ms" ? "100ms" : heartbeat };
}

function leaderless(rng: Rng, name: string): TopologySpec {
  const regions = chance(rng, 0.8) ? geography(rng, 1, () => 3) : geography(rng, 2, () => between(rng, 1, 2));
  const zones = placeNodes(rng, allZones(regions), between(rng, 3, 8));
  const nodes: TopologySpec["nodes"] = Object.fromEntries(zones.map((zone, i) => [`n${i}`, { zone }]));
  const n = between(rng, 2, Math.min(5, zones.length));
  const classes = dataClasses(rng, false);
  if (chance(rng, 0.2)) classes.ledger = { ...classes.ledger, r: between(rng, 1, n), w: between(rng, 1, n) };
  return {
    kind: "topology",
    name,
    ...(chance(rng, 0.3) ? { preset: pick(rng, ["cassandra", "dynamo"]) } : {}),
    regions,
    ...optional("network", network(rng, regions)),
    nodes,
    replication: {
      mode: "leaderless",
      n,
      w: between(rng, 1, n),
      r: between(rng, 1, n),
      sloppy_quorum: chance(rng, 0.4),
      hinted_handoff: { window: pick(rng, ["10s", "1m", "3h"]) },
      read_repair: chance(rng, 0.6),
      conflict: chance(rng, 0.8) ? "lww" : "vector-clock",
      vnodes: 8,
      ...(chance(rng, 0.1) ? { clock_skew: { n0: pick(rng, ["50ms", "500ms"]) } } : {}),
    },
    data_classes: classes,
  };
}

function multiLeader(rng: Rng, name: string): TopologySpec {
  const regions = geography(rng, between(rng, 2, 3), () => between(rng, 1, 2));
  const nodes: TopologySpec["nodes"] = {};
  let i = 0;
  for (const region of Object.keys(regions)) {
    const perRegion = between(rng, 1, 2);
    for (let k = 0; k < perRegion; k++) nodes[`m${i++}`] = { zone: `${region}/${regions[region].zones[k % regions[region].zones.length]}` };
  }
  return {
    kind: "topology",
    name,
    regions,
    network: { "cross-region": { median: pick(rng, [10, 35]), p99: 90 } },
    nodes,
    replication: {
      mode: "multi-leader",
      ...(chance(rng, 0.5) ? { leaders: Object.keys(regions) } : {}),
      conflict: pick(rng, ["lww", "crdt", "app"]),
      routing: pick(rng, ["home-region", "any"]),
    },
    data_classes: dataClasses(rng, false),
  };
}

const DESIGNS: Record<Mode, (rng: Rng, name: string) => TopologySpec> = {
  "leader-follower": leaderFollower,
  consensus,
  leaderless,
  "multi-leader": multiLeader,
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

// ---------------------------------------------------------------------------
// Workload and the whole case

/** "full": the swarm's default mix; "ci": cheaper cases (less traffic, shorter runs) for the test suite. */
export type Scale = "full" | "ci";

const WRITE_RATES: Record<Scale, number[]> = { full: [20, 50, 100, 200, 300], ci: [20, 50, 100] };
const READ_RATES: Record<Scale, number[]> = { full: [0, 50, 200], ci: [0, 20, 50] };
const QUORUM_READ_RATES: Record<Scale, number[]> = { full: [100, 300], ci: [50, 100] };
const DURATION_CAP_MS: Record<Scale, number> = { full: DURATION_MAX_MS, ci: 90_000 };

function workload(rng: Rng, topology: TopologySpec, scale: Scale): WorkloadSpec {
  const quorumReads = topology.replication.mode === "leaderless";
  return {
    writes: pick(rng, WRITE_RATES[scale]),
    reads: pick(rng, quorumReads ? QUORUM_READ_RATES[scale] : READ_RATES[scale]),
    clients: between(rng, 10, scale === "ci" ? 30 : 60),
    keys: pick(rng, [100, 1000, 10000]),
    ...(chance(rng, 0.2) ? { timeoutMs: pick(rng, [500, 2000]) } : {}),
    // Clients in every zone: a partition leaves some on each side, which is how split brain shows.
    ...(chance(rng, 0.6) || topology.replication.mode !== "leader-follower" ? { zones: allZones(topology.regions) } : {}),
  };
}

export interface GenerateOptions {
  mode?: Mode;
  scale?: Scale;
}

export interface GeneratedCase {
  spec: CaseSpec;
  /** The case as the loader resolves its rendered YAML. */
  scenario: ResolvedScenario;
}

/** A case before its duration is fitted to its recovery bound. */
export interface DraftCase {
  spec: CaseSpec;
  capMs: number;
  /** Drawn with the rest of the case, so the seed alone fixes the duration too. */
  durationJitter: number;
}

export function draftCase(seed: number, options: GenerateOptions = {}): DraftCase {
  const rng = new Rng(seed);
  const scale = options.scale ?? "full";
  const mode = options.mode ?? pickMode(rng);
  const name = `swarm-${mode}-${seed}`;
  const topology = DESIGNS[mode](rng, name);
  const capMs = DURATION_CAP_MS[scale];
  const spec: CaseSpec = {
    name,
    description: `generated by the swarm from seed ${seed}`,
    seed: rng.nextUint32(),
    durationMs: capMs,
    workload: workload(rng, topology, scale),
    topology,
    faults: generateSchedule(rng, layoutOfSpec(topology)).filter((f) => f.atMs <= capMs - 20_000),
  };
  return { spec, capMs, durationJitter: rng.next() };
}

/**
 * Loads the draft (throws the loader's InputError: a generator bug) and fits
 * its duration: long enough to see the cluster recover after the last fault
 * when that fits in the cap (so liveness can be judged), past every fault's
 * start. One load serves twice: the recovery bound needs the resolved
 * settings, and nothing the loader resolves depends on the duration.
 */
export function finishCase(draft: DraftCase, file?: string): GeneratedCase {
  const spec = withoutRefusedFaults(cloneCase(draft.spec), file);
  const scenario = resolve(spec, file);
  const wanted = lastChangeMs(spec.faults) + recoveryBoundMs(scenario) * (0.9 + draft.durationJitter * 0.4);
  const latestStart = spec.faults.reduce((m, f) => Math.max(m, f.atMs), 0);
  spec.durationMs = Math.ceil(Math.min(draft.capMs, Math.max(DURATION_MIN_MS, wanted, latestStart + 1000)) / 1000) * 1000;
  return { spec, scenario: { ...scenario, durationMs: spec.durationMs } };
}

/**
 * Episodes placed back to back or overlapping can draw faults the loader refuses (a crash of a node already
 * down, a fault repeated at the same instant): they are left out, by the loader's own rule.
 */
function withoutRefusedFaults(spec: CaseSpec, file = `${spec.name}.yaml`): CaseSpec {
  if (spec.faults.length < 2) return spec;
  // In the loader's order (by time, the file's order at one instant), so that its indexes are the spec's.
  const faults = [...spec.faults].sort((a, b) => a.atMs - b.atMs);
  const loaded = loadText(file, caseYaml({ ...spec, faults }), { scheduleChecks: false });
  if (loaded.kind !== "scenario") throw new Error("assertion: a case renders to a scenario");
  const refused = new Set(checkSchedule(loaded.scenario.faults, () => null, scheduleContext(loaded.scenario.topology)).map((p) => p.path[1]));
  return { ...spec, faults: faults.filter((_, i) => !refused.has(i)) };
}

export function generateCase(seed: number, options: GenerateOptions = {}): GeneratedCase {
  return finishCase(draftCase(seed, options));
}

/**
 * Loads a case as the CLI would load its file (throws the loader's InputError:
 * for a generated case, a generator bug). `file` places it, which matters when
 * the case names its topology by a relative path.
 */
export function resolve(spec: CaseSpec, file = `${spec.name}.yaml`): ResolvedScenario {
  const loaded = loadText(file, caseYaml(spec));
  if (loaded.kind !== "scenario") throw new Error("assertion: a case renders to a scenario");
  return loaded.scenario;
}
