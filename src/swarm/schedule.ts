// Random fault schedules against a layout (nodes, zones, regions, the leader).
// A schedule is a few episodes — a crash, a partition, a stall then a crash,
// a second crash during the failover — placed one after another, overlapping
// or back to back. The generator (generated designs) and `explore` (the
// user's design) share it.
import type { ResolvedTopology } from "../model/types.js";
import { between, chance, pick, timeMs, weighted, type Rng } from "./random.js";
import type { FaultSpec, TopologySpec } from "./spec.js";

export const FAULT_KINDS = ["crash", "partition", "stall", "lose", "slow", "latency", "promote_fails"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Fault kinds each replication mode reacts to (the others are ignored by its shape, so generating them is waste). */
const KINDS_BY_MODE: Record<string, readonly FaultKind[]> = {
  "leader-follower": FAULT_KINDS,
  consensus: FAULT_KINDS,
  leaderless: ["crash", "partition", "lose", "latency"],
  "multi-leader": ["crash", "partition", "lose", "latency"],
};

export interface LayoutNode {
  name: string;
  zone: string;
  region: string;
}

export interface Layout {
  mode: string;
  nodes: LayoutNode[];
  /** The initial leader (leader/follower and consensus), else null. */
  leader: string | null;
  zones: string[];
  regions: string[];
}

export function layoutOfSpec(topology: TopologySpec): Layout {
  const nodes = Object.entries(topology.nodes).map(([name, n]) => ({ name, zone: n.zone, region: n.zone.split("/")[0] }));
  const mode = topology.replication.mode;
  const hasLeader = mode === "leader-follower" || mode === "consensus";
  const leader = hasLeader ? (Object.entries(topology.nodes).find(([, n]) => n.role === "leader")?.[0] ?? nodes[0].name) : null;
  const regions = Object.keys(topology.regions);
  return { mode, nodes, leader, regions, zones: regions.flatMap((r) => topology.regions[r].zones.map((z) => `${r}/${z}`)) };
}

export function layoutOfTopology(topology: ResolvedTopology): Layout {
  const regions = Object.keys(topology.regions);
  return {
    mode: topology.replication.mode,
    nodes: topology.nodes.map((n) => ({ name: n.name, zone: n.zone, region: n.region })),
    leader: topology.leader,
    regions,
    zones: regions.flatMap((r) => topology.regions[r].map((z) => `${r}/${z}`)),
  };
}

export function kindsFor(mode: string, allowed: readonly FaultKind[] = FAULT_KINDS): FaultKind[] {
  return (KINDS_BY_MODE[mode] ?? FAULT_KINDS).filter((k) => allowed.includes(k));
}

// ---------------------------------------------------------------------------
// Episodes

interface Episode {
  /** Fault kinds the episode uses (all must be allowed). */
  kinds: FaultKind[];
  /** Whether the layout can host it. */
  fits(layout: Layout): boolean;
  build(rng: Rng, layout: Layout, atMs: number): FaultSpec[];
  weight: number;
}

const SECOND = 1000;

/** How a fault ends: healed after a while (the common case), later by an explicit recover/heal, or never. */
type Ending = "for" | "later" | "never";

function ending(rng: Rng): Ending {
  return weighted<Ending>(rng, [
    ["for", 0.7],
    ["later", 0.15],
    ["never", 0.15],
  ]);
}

function outageMs(rng: Rng): number {
  return timeMs(rng, 2 * SECOND, 40 * SECOND);
}

const replicas = (layout: Layout) => layout.nodes.filter((n) => n.name !== layout.leader);

/** The leader half of the time (failover is where the bugs are), else any node. */
function target(rng: Rng, layout: Layout): LayoutNode {
  const leader = layout.nodes.find((n) => n.name === layout.leader);
  return leader && chance(rng, 0.5) ? leader : pick(rng, layout.nodes);
}

function crash(rng: Rng, node: string, atMs: number): FaultSpec[] {
  const how = ending(rng);
  if (how === "for") return [{ atMs, forMs: outageMs(rng), action: { crash: node } }];
  if (how === "later") return [{ atMs, action: { crash: node } }, { atMs: atMs + outageMs(rng), action: { recover: node } }];
  return [{ atMs, action: { crash: node } }];
}

/** A partition healed by `for`, by a later `heal: true`, or never. */
function partition(rng: Rng, sides: string[][], atMs: number): FaultSpec[] {
  const how = ending(rng);
  if (how === "for") return [{ atMs, forMs: outageMs(rng), action: { partition: sides } }];
  if (how === "later") return [{ atMs, action: { partition: sides } }, { atMs: atMs + outageMs(rng), action: { heal: true } }];
  return [{ atMs, action: { partition: sides } }];
}

function others<T>(items: T[], one: T): T[] {
  return items.filter((x) => x !== one);
}

const EPISODES: Episode[] = [
  {
    kinds: ["crash"],
    weight: 4,
    fits: (l) => l.nodes.length > 0,
    build: (rng, l, at) => crash(rng, target(rng, l).name, at),
  },
  {
    // A second failure while the first failover is still running.
    kinds: ["crash"],
    weight: 2,
    fits: (l) => l.nodes.length >= 2,
    build: (rng, l, at) => {
      const first = target(rng, l);
      const second = pick(rng, others(l.nodes, first));
      return [...crash(rng, first.name, at), ...crash(rng, second.name, at + timeMs(rng, 5 * SECOND, 15 * SECOND))];
    },
  },
  {
    // The WAL sender stalls, then the host dies: what the replicas never got is lost with asynchronous commits.
    kinds: ["stall", "crash"],
    weight: 2,
    fits: (l) => l.leader !== null,
    build: (rng, l, at) => {
      const leader = l.leader as string;
      return [{ atMs: at, forMs: timeMs(rng, 2 * SECOND, 6 * SECOND), action: { stall: leader } }, ...crash(rng, leader, at + timeMs(rng, 500, 3 * SECOND))];
    },
  },
  {
    kinds: ["partition"],
    weight: 2,
    fits: (l) => l.nodes.length >= 2,
    build: (rng, l, at) => {
      const alone = target(rng, l).name;
      return partition(rng, [[alone], others(l.nodes, l.nodes.find((n) => n.name === alone) as LayoutNode).map((n) => n.name)], at);
    },
  },
  {
    // Cutting a zone off cuts its clients off too: the old leader may keep serving them (split brain without fencing).
    kinds: ["partition"],
    weight: 3,
    fits: (l) => l.zones.length >= 2,
    build: (rng, l, at) => {
      const zone = zoneOfTarget(rng, l);
      return partition(rng, [[zone], others(l.zones, zone)], at);
    },
  },
  {
    kinds: ["partition"],
    weight: 2,
    fits: (l) => l.regions.length >= 2,
    build: (rng, l, at) => {
      const region = target(rng, l).region;
      return partition(rng, [[region], others(l.regions, region)], at);
    },
  },
  {
    kinds: ["stall"],
    weight: 1,
    fits: (l) => l.nodes.length > 0,
    build: (rng, l, at) => [{ atMs: at, forMs: timeMs(rng, SECOND, 10 * SECOND), action: { stall: target(rng, l).name } }],
  },
  {
    kinds: ["slow"],
    weight: 1,
    fits: (l) => replicas(l).length > 0,
    build: (rng, l, at) => {
      const fault: FaultSpec = { atMs: at, action: { slow: pick(rng, replicas(l)).name, apply_rate: pick(rng, [50, 200, 1000, 5000]) } };
      if (!chance(rng, 0.2)) fault.forMs = timeMs(rng, 5 * SECOND, 30 * SECOND);
      return [fault];
    },
  },
  {
    kinds: ["latency"],
    weight: 1,
    fits: (l) => l.nodes.length >= 2,
    build: (rng, l, at) => {
      const one = target(rng, l);
      const fault: FaultSpec = { atMs: at, action: { latency: { between: [[one.name], others(l.nodes, one).map((n) => n.name)], add: `${pick(rng, [5, 20, 50, 200, 800])}ms` } } };
      if (!chance(rng, 0.2)) fault.forMs = timeMs(rng, 5 * SECOND, 30 * SECOND);
      return [fault];
    },
  },
  {
    kinds: ["lose"],
    weight: 2,
    fits: (l) => l.zones.length >= 2,
    build: (rng, l, at) => {
      const fault: FaultSpec = { atMs: at, action: { lose: zoneOfTarget(rng, l) } };
      if (!chance(rng, 0.3)) fault.forMs = outageMs(rng);
      return [fault];
    },
  },
  {
    kinds: ["lose"],
    weight: 1,
    fits: (l) => l.regions.length >= 2,
    build: (rng, l, at) => {
      const fault: FaultSpec = { atMs: at, action: { lose: target(rng, l).region } };
      if (!chance(rng, 0.3)) fault.forMs = outageMs(rng);
      return [fault];
    },
  },
  {
    // The chosen candidate cannot promote, then the leader dies: the next candidate must take over.
    kinds: ["promote_fails", "crash"],
    weight: 1,
    fits: (l) => l.leader !== null && replicas(l).length > 0,
    build: (rng, l, at) => [{ atMs: at, action: { promote_fails: pick(rng, replicas(l)).name } }, ...crash(rng, l.leader as string, at + timeMs(rng, 0, 2 * SECOND))],
  },
];

function zoneOfTarget(rng: Rng, layout: Layout): string {
  return chance(rng, 0.75) ? target(rng, layout).zone : pick(rng, layout.zones);
}

// ---------------------------------------------------------------------------
// Schedules

export interface ScheduleOptions {
  kinds?: readonly FaultKind[];
  /** Episodes per schedule: 1..max. */
  maxEpisodes?: number;
  /** Earliest first fault (the cluster settles first). */
  startMs?: number;
}

/** The end of an episode's last fault (a fault that never ends counts as lasting 10 s, for spacing). */
function episodeEnd(faults: FaultSpec[]): number {
  return Math.max(...faults.map((f) => f.atMs + (f.forMs ?? 10 * SECOND)));
}

/** The earliest a schedule's first fault comes by default (explore projects its worst run from it). */
export const FIRST_FAULT_MS = 5 * SECOND;

export function generateSchedule(rng: Rng, layout: Layout, options: ScheduleOptions = {}): FaultSpec[] {
  const allowed = kindsFor(layout.mode, options.kinds);
  const episodes = EPISODES.filter((e) => e.kinds.every((k) => allowed.includes(k)) && e.fits(layout));
  if (episodes.length === 0) return [];
  const count = between(rng, 1, options.maxEpisodes ?? 3);
  const faults: FaultSpec[] = [];
  let start = timeMs(rng, options.startMs ?? FIRST_FAULT_MS, (options.startMs ?? FIRST_FAULT_MS) + 20 * SECOND);
  for (let i = 0; i < count; i++) {
    const episode = weighted(rng, episodes.map((e) => [e, e.weight] as const));
    const built = episode.build(rng, layout, start);
    faults.push(...built);
    start = nextStart(rng, start, episodeEnd(built));
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** Overlapping, back to back, or after a quiet gap. */
function nextStart(rng: Rng, startMs: number, endMs: number): number {
  const how = weighted(rng, [
    ["overlap", 0.35],
    ["back-to-back", 0.2],
    ["gap", 0.45],
  ] as const);
  if (how === "overlap") return timeMs(rng, startMs, Math.max(startMs, endMs));
  if (how === "back-to-back") return Math.round(endMs);
  return endMs + timeMs(rng, SECOND, 20 * SECOND);
}

/** When the schedule is over: the latest fault start or healing (a fault without an end counts at its start). */
export function lastChangeMs(faults: FaultSpec[]): number {
  return faults.reduce((latest, f) => Math.max(latest, f.atMs + (f.forMs ?? 0)), 0);
}
