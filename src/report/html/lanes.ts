// What the swimlane chart draws, derived from a run's timeline facts: each
// node's role over time, the faults as bands, the failover phases and split
// brain. Pure data in, pure data out; the chart (swimlane.ts) only draws it.
import type { EntryPlace, SimulationResult, TimelineEntry, TimelineFact } from "../../engine/result.js";
import { CAUGHT_UP_MS, caughtUp } from "../../engine/lag-series.js";
import { formatDuration } from "../../base/units.js";
import { vocabularyOf } from "../simulate/vocabulary.js";

export type Role =
  | "leader" | "sync standby" | "async replica" | "replica" | "down" | "rewinding" | "catching up" | "demoted" | "rebuilding" | "stalled"
  /** A Raft group's: every member that does not lead follows (and votes); a diverged follower's log is truncated, not rewound. */
  | "follower" | "truncating log";

/** What the clients' lane shows: where the endpoint sends them, and when their writes fail. */
export type ClientState = "endpoint" | "writes failing";

/** One stretch of a lane: [startMs, endMs) in one role. */
export interface Segment {
  lane: string;
  role: Role | ClientState;
  /** The words on the segment when they are not the role's ("→ pg-b"). */
  label?: string;
  /** What the segment's tooltip adds after its times ("until under 1s behind its leader"). */
  note?: string;
  startMs: number;
  endMs: number;
}

export type BandKind = "crash" | "partition" | "stall" | "loss" | "split-brain" | "archive";

/** The lane of the log archive (PostgreSQL's WAL archive, MongoDB's oplog archive), drawn when the archive fails during the run. */
export function archiveLane(result: Pick<SimulationResult, "mode" | "preset">): string {
  return vocabularyOf(result).archive;
}

/** A fault or split brain: a shaded band over some lanes (all of them when `lanes` is null). */
export interface Band {
  kind: BandKind;
  label: string;
  lanes: string[] | null;
  startMs: number;
  endMs: number;
  /** The timeline entry that started it, for the tooltip. */
  entry: TimelineEntry;
}

interface NodeSetting {
  name: string;
  role: string;
}

type Fact<K extends TimelineFact["event"]> = Extract<TimelineFact, { event: K }> & EntryPlace;

/** The nodes of the run, in the topology's order. */
export function laneNodes(result: SimulationResult): NodeSetting[] {
  const nodes = result.settings.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n): n is NodeSetting => typeof n === "object" && n !== null && typeof (n as NodeSetting).name === "string");
}

/** The standbys named synchronous at the start: the first `count` names (FIRST k) or all of them (ANY k). */
function initialSync(result: SimulationResult): Set<string> {
  const replication = result.settings.replication as { sync?: { method?: string; count?: number; names?: string[] } | null } | undefined;
  const sync = replication?.sync;
  if (!sync || !Array.isArray(sync.names)) return new Set();
  return new Set(sync.method === "any" ? sync.names : sync.names.slice(0, sync.count ?? 1));
}

const isFact = (e: TimelineEntry): e is TimelineFact & EntryPlace => !("observed" in e);

/** What a node that does not lead is: a Raft follower, or a PostgreSQL standby, synchronous or not. */
function standbyRole(node: string, sync: Set<string>, mode: string): Role {
  if (mode === "consensus") return "follower";
  return sync.has(node) ? "sync standby" : "async replica";
}

/** What a node that comes back is until it is seen streaming (a PostgreSQL replica is not known to be synchronous yet). */
const rejoinedRole = (mode: string): Role => (mode === "consensus" ? "follower" : "async replica");

/** The role a node takes at a fact about it, or undefined when the fact does not change its role. */
function roleAt(e: TimelineFact & EntryPlace, sync: Set<string>, leaderRole: Role, mode: string): Role | undefined {
  switch (e.event) {
    case "crash":
      return "down";
    case "promote":
    case "repromote":
      return leaderRole;
    case "demote":
      return "demoted";
    case "rewind":
      return mode === "consensus" ? "truncating log" : "rewinding";
    case "rebuild":
      return "rebuilding";
    case "follow":
      return "catching up";
    case "rebuilt":
      return standbyRole(e.node, sync, mode);
    case "recover":
      if (e.as === "leader-within-lease" || e.as === "multi-leader") return leaderRole;
      return e.as === "leaderless" ? "replica" : rejoinedRole(mode);
    default:
      return undefined;
  }
}

/** The starting role of a node from its setting. */
function startRole(node: NodeSetting, sync: Set<string>, mode: string): Role {
  if (mode === "leaderless") return "replica";
  if (node.role === "leader" || mode === "multi-leader") return "leader";
  return standbyRole(node.name, sync, mode);
}

/** A lane's role changes as [atMs, role] pairs, in time order. */
export type Changes = Map<string, { atMs: number; role: Role }[]>;

function applySyncSet(changes: Changes, current: Map<string, Role>, standbys: string[], atMs: number): void {
  for (const [node, role] of current) {
    const next: Role | undefined = standbys.includes(node) ? (role === "async replica" ? "sync standby" : undefined) : role === "sync standby" ? "async replica" : undefined;
    if (next) set(changes, current, node, next, atMs);
  }
}

function set(changes: Changes, current: Map<string, Role>, node: string, role: Role, atMs: number): void {
  if (!current.has(node) || current.get(node) === role) return;
  current.set(node, role);
  changes.get(node)?.push({ atMs, role });
}

/** Each node's role over time, from the timeline facts (and the lag samples, for when catching up ends). */
export function roleSegments(result: SimulationResult): Segment[] {
  const sync = initialSync(result);
  const nodes = laneNodes(result);
  const leaderRole: Role = "leader";
  const current = new Map(nodes.map((n) => [n.name, startRole(n, sync, result.mode)] as const));
  const changes: Changes = new Map(nodes.map((n) => [n.name, [{ atMs: 0, role: current.get(n.name) as Role }]]));
  const lost = new Map<string, string[]>();
  for (const e of result.timeline.filter(isFact)) {
    if (e.event === "lose") {
      lost.set(e.target, e.nodes);
      for (const node of e.nodes) set(changes, current, node, "down", e.atMs);
    } else if (e.event === "restore") {
      for (const node of lost.get(e.target) ?? []) set(changes, current, node, rejoinedRole(result.mode), e.atMs);
    } else if (e.event === "sync-standby" || e.event === "writes-unblocked" || e.event === "sync-restored") {
      for (const s of e.standbys) sync.add(s);
      applySyncSet(changes, current, e.standbys, e.atMs);
    } else {
      const role = roleAt(e, sync, leaderRole, result.mode);
      if (role) set(changes, current, e.node, role, e.atMs);
      if (e.event === "follow") endCatchUp(result, changes, current, e.node, e.atMs, sync);
    }
  }
  // Say when catching up ends, so that the segment reads the same as the lag samples.
  return toSegments(changes, result.durationMs).map((seg) => (seg.role === "catching up" ? { ...seg, note: `until under ${formatDuration(CAUGHT_UP_MS)} behind its leader` } : seg));
}

/** Catching up ends at the first lag sample after `fromMs` that shows the node caught up with its leader (see CAUGHT_UP_MS). */
function endCatchUp(result: SimulationResult, changes: Changes, current: Map<string, Role>, node: string, fromMs: number, sync: Set<string>): void {
  const level = result.lag.find((s) => s.node === node && s.atMs > fromMs && caughtUp(s));
  if (!level) return;
  const later = result.timeline.some((e) => e.node === node && e.atMs > fromMs && e.atMs <= level.atMs);
  if (later) return;
  // Record the change now, at its own time; toSegments sorts the changes.
  current.set(node, standbyRole(node, sync, result.mode));
  changes.get(node)?.push({ atMs: level.atMs, role: current.get(node) as Role });
}

/** Each lane's changes as consecutive segments, the last running to endMs. */
export function toSegments(changes: Changes, endMs: number): Segment[] {
  const out: Segment[] = [];
  for (const [lane, list] of changes) {
    const sorted = [...list].sort((a, b) => a.atMs - b.atMs);
    sorted.forEach((c, i) => {
      const until = i + 1 < sorted.length ? sorted[i + 1].atMs : endMs;
      if (until > c.atMs) out.push({ lane, role: c.role, startMs: c.atMs, endMs: until });
    });
  }
  return out;
}

/** When a fault that started at `e` ends: its own duration, else the first ending fact after it, else the run's end. */
function endOf(result: SimulationResult, e: TimelineEntry, forMs: number | null, ends: (x: TimelineEntry) => boolean): number {
  if (forMs !== null) return Math.min(result.durationMs, e.atMs + forMs);
  const end = result.timeline.find((x) => x.atMs >= e.atMs && x !== e && ends(x));
  return end ? end.atMs : result.durationMs;
}

const eventIs = (x: TimelineEntry, event: string) => !("observed" in x) && x.event === event;

function faultBand(result: SimulationResult, e: TimelineFact & EntryPlace): Band | null {
  switch (e.event) {
    case "partition": {
      const label = `partition ${e.sides.map((s) => s.join(", ")).join(" | ")}`;
      return { kind: "partition", label, lanes: null, startMs: e.atMs, endMs: endOf(result, e, e.forMs, (x) => eventIs(x, "heal")), entry: e };
    }
    case "stall":
      return { kind: "stall", label: "stall", lanes: [e.node], startMs: e.atMs, endMs: endOf(result, e, e.forMs, (x) => eventIs(x, "stall-end") && x.node === e.node), entry: e };
    case "lose":
      return { kind: "loss", label: `${e.target} lost`, lanes: e.nodes, startMs: e.atMs, endMs: endOf(result, e, e.forMs, (x) => eventIs(x, "restore") && (x as Fact<"restore">).target === e.target), entry: e };
    case "crash":
      if (e.cause.kind === "lost-with") return null;
      return { kind: "crash", label: e.cause.kind === "fenced" ? "fenced" : "crash", lanes: [e.node], startMs: e.atMs, endMs: endOf(result, e, null, (x) => eventIs(x, "recover") && x.node === e.node), entry: e };
    case "archive-fails":
      return { kind: "archive", label: `${archiveLane(result)} failing`, lanes: [archiveLane(result)], startMs: e.atMs, endMs: endOf(result, e, e.forMs, () => false), entry: e };
    case "split-brain":
      return { kind: "split-brain", label: "split brain", lanes: null, startMs: e.atMs, endMs: endOf(result, e, null, (x) => eventIs(x, "split-brain-end")), entry: e };
    default:
      return null;
  }
}

/** The faults and split brains of the run, as bands; a partition also marks the node lanes of every side but the largest. */
export function bands(result: SimulationResult): Band[] {
  const nodes = new Set(laneNodes(result).map((n) => n.name));
  return result.timeline.filter(isFact).flatMap((e) => {
    const band = faultBand(result, e);
    if (!band) return [];
    return e.event === "partition" ? [band, ...cutOff(band, e.sides, nodes)] : [band];
  });
}

/**
 * The node lanes on the smaller sides of a partition: cut off from the majority. A side lists its nodes and then the
 * zones it holds that none of them is in (a partition given by zones or regions places clients there too); only the
 * nodes count towards a side's size and get a lane outlined.
 */
function cutOff(band: Band, sides: string[][], nodes: ReadonlySet<string>): Band[] {
  const onSide = sides.map((side) => side.filter((name) => nodes.has(name)));
  const largest = Math.max(...onSide.map((side) => side.length));
  const first = onSide.findIndex((side) => side.length === largest);
  return onSide.filter((side, i) => i !== first && side.length > 0).map((side) => ({ ...band, label: `cut off: ${side.join(", ")}`, lanes: side }));
}
