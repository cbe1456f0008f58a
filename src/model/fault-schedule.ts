// The checks that read a scenario's fault list as a schedule rather than fault
// by fault: a fault that repeats another (same time, action and target), a
// crash of a node the schedule itself has already taken down, a recovery of a
// node the schedule shows up (or holds down in a lost zone), a loss of a zone
// or region the schedule has already lost, a `heal` with no partition open,
// and a `rebuild` of the node that leads from the start before any fault could
// have moved the leadership. The engine would run each as if it were not there
// (a second loss would also count its region lost twice; it refuses a leader's
// rebuild and only notes it in the timeline), so the file is refused instead.
//
// Which nodes are down follows the engine's own rules: a crash takes its node
// down, a lost zone or region takes down every node there; a `for:` ends
// either (a loss's end brings back every node it held, and its zones), as do
// `recover:` (ignored while the node's zone is lost) and `rebuild:` (which
// re-seeds and starts the node). A fault that ends at the instant of another
// fault ends after it: the engine queues every scheduled fault before the ends.
//
// One thing the schedule cannot show: a leader fenced by STONITH during a
// failover is powered off at run time, so where the topology fences that way a
// recovery of a node the schedule shows up may be the one that restarts it; it
// loads, and the engine notes `recover-ignored` when the node is up after all.
// Likewise which node leads once a fault has struck depends on the run: a
// rebuild of the first leader after a crash, a partition or a loss loads, and
// the engine notes `rebuild-refused` if that node still leads.
import { formatDuration } from "../base/units.js";
import type { Problem } from "./resolve.js";
import type { ResolvedFault, ResolvedTopology } from "./types.js";

/** The line a path of the file is on, or null when it cannot be told (the message then names the fault's index). */
export type LineOf = (path: PropertyKey[]) => number | null;

/** What the schedule needs to know of the topology: whether a node may stop at run time with no fault saying so, and who leads first. */
export interface ScheduleContext {
  /** A failover may power off (STONITH) the old leader: a node the schedule shows up may be down. */
  fencesNodes: boolean;
  /** The node that leads at the start (leader/follower, consensus); null or absent where no one node leads. */
  leader?: string | null;
}

/** A failover powers nodes off only under a leader (leader/follower, consensus) fenced by STONITH. */
export function scheduleContext(topology: ResolvedTopology): ScheduleContext {
  const mode = topology.replication.mode;
  const led = mode === "leader-follower" || mode === "consensus";
  return { fencesNodes: led && topology.failover.fencing === "stonith", leader: led ? topology.leader : null };
}

/** A fault with its index in the file. */
interface Placed {
  f: ResolvedFault;
  i: number;
}

/**
 * Refuses repeated faults, crashes of nodes already down, recoveries of nodes that are up (or in a lost zone),
 * and losses of what is already lost; `faults` in file order.
 */
export function checkSchedule(faults: readonly ResolvedFault[], lineOf: LineOf, context: ScheduleContext = { fencesNodes: false }): Problem[] {
  const placed = faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atMs - b.f.atMs || a.i - b.i);
  const where = (p: Placed | null) => {
    if (p === null) return "";
    const line = lineOf(["faults", p.i]);
    return line === null ? `faults[${p.i}]` : `line ${line}`;
  };
  const problems: Problem[] = [];
  const repeated = new Set<number>();
  for (const [later, first] of repeats(placed)) {
    repeated.add(later.i);
    problems.push({ path: ["faults", later.i, later.f.kind], key: true, message: repeatMessage(later, first, where(first)) });
  }
  for (const finding of walk(placed, context)) {
    if (repeated.has(finding.p.i)) continue;
    problems.push({ path: ["faults", finding.p.i, finding.p.f.kind], key: true, message: findingMessage(finding, where(causeOf(finding))) });
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Repeated faults

/**
 * What a fault acts on, for telling repeats apart; null for `latency`, the one action whose repeats add up:
 * added delays stack on a link (two `add: 50ms` are 100 ms more), so a second entry is a deliberate step, not a
 * copy. Every other action, repeated at the same instant on the same target, does nothing more (a node crashed,
 * recovered, stalled, rebuilt or marked unpromotable twice; one partition drawn twice; a zone lost twice; the
 * archive failing twice) or overrides the first (a second apply rate; a second bad write on a table, which the
 * recovery planning does not add to the first).
 */
function targetOf(f: ResolvedFault): string | null {
  switch (f.kind) {
    case "latency":
      return null;
    case "crash": case "recover": case "stall": case "slow": case "promote_fails": case "rebuild":
      return f.node;
    case "partition":
      return JSON.stringify(f.sides.map((side, s) => [...side, ...f.zones[s]].sort()).sort());
    case "lose":
      return f.target;
    case "bad_write":
      return f.dataClass;
    case "heal": case "archive_fails": case "restore_drill":
      return "";
  }
}

/** Each fault that repeats an earlier one, with the first of its kind. */
function repeats(placed: readonly Placed[]): [Placed, Placed][] {
  const seen = new Map<string, Placed>();
  const out: [Placed, Placed][] = [];
  for (const p of placed) {
    const target = targetOf(p.f);
    if (target === null) continue;
    const key = `${p.f.atMs} ${p.f.kind} ${target}`;
    const first = seen.get(key);
    if (first) out.push([p, first]);
    else seen.set(key, p);
  }
  return out;
}

function repeatMessage(later: Placed, first: Placed, firstAt: string): string {
  const f = later.f;
  const on = "node" in f ? ` of ${f.node}` : f.kind === "lose" ? ` of ${f.target}` : f.kind === "bad_write" ? ` on ${f.dataClass}` : f.kind === "partition" ? " with the same sides" : "";
  return `this "${f.kind}"${on} at ${time(f.atMs)} repeats an earlier fault at the same time (${firstAt}): it would do nothing more, or override that one; keep one, or move it to another time`;
}

// ---------------------------------------------------------------------------
// Faults that find their target already in the state they would put it in

/**
 * A fault that would do nothing, and the fault that explains why (null: none did, the node was up from the
 * start): a crash of a node down, a recovery of a node up or held down by a lost zone, a loss of lost zones.
 */
type Finding =
  | { what: "heal-nothing"; p: Placed; cause: Closed | null }
  | { what: "rebuild-leader"; p: Placed }
  | { what: "crash-down"; p: Placed; cause: Placed }
  | { what: "recover-up"; p: Placed; cause: Placed | null }
  | { what: "recover-lost"; p: Placed; cause: Placed }
  | { what: "lose-lost"; p: Placed; cause: Placed };

type Event = { atMs: number; end: boolean; order: number; p: Placed };

/** The partition closed last, and how: its own `for:` ran out (by null), or a heal closed it. */
type Closed = { partition: Placed; atMs: number; by: Placed | null };

/** The fault a finding's message points to by its line: the one that explains it. */
function causeOf(finding: Finding): Placed | null {
  if (finding.what === "rebuild-leader") return null;
  if (finding.what === "heal-nothing") return finding.cause === null ? null : (finding.cause.by ?? finding.cause.partition);
  return finding.cause;
}

/**
 * Faults after which another node may lead: each can start a failover (a crash or a loss of the leader, a
 * partition or added latency cutting it off) or starve its followers (a stall, a slow apply). The rest (a bad
 * write, the archive failing, a drill, a rebuild of a replica, promote_fails) never move the leadership, and a
 * recover or a heal needs one of these before it.
 */
const MAY_MOVE_LEADERSHIP: ReadonlySet<ResolvedFault["kind"]> = new Set(["crash", "lose", "partition", "latency", "stall", "slow"]);

/** The schedule's state as the engine would have it: nodes down and zones lost, each with the fault that did it. */
class ScheduleState {
  /** Down nodes, with the crash or loss that took them down. */
  readonly down = new Map<string, Placed>();
  /** Nodes that came back, with the fault that brought them (for saying why a recovery finds one up). */
  readonly upBy = new Map<string, Placed>();
  /** Lost zones, with the loss; a node of one stays down whatever recovers it. */
  readonly lostZones = new Map<string, Placed>();
  readonly lostNodes = new Set<string>();
  /** Partitions open now (a heal closes them all). */
  readonly open = new Set<Placed>();
  /** The partition closed last, for saying why a heal finds none open. */
  closed: Closed | null = null;
  /** When the first fault that may move the leadership (MAY_MOVE_LEADERSHIP) struck. */
  mayMoveFromMs = Infinity;

  bringBack(node: string, by: Placed): void {
    if (this.lostNodes.has(node)) return;
    this.down.delete(node);
    this.upBy.set(node, by);
  }

  lose(f: ResolvedFault & { kind: "lose" }, p: Placed): void {
    for (const zone of f.zones) this.lostZones.set(zone, p);
    for (const node of f.nodes) {
      this.lostNodes.add(node);
      this.down.set(node, p);
    }
  }

  restore(f: ResolvedFault & { kind: "lose" }, p: Placed): void {
    for (const zone of f.zones) this.lostZones.delete(zone);
    for (const node of f.nodes) {
      this.lostNodes.delete(node);
      this.down.delete(node);
      this.upBy.set(node, p);
    }
  }
}

/** Walks the schedule in the engine's order (each `for:` queuing its end) and reports each fault that would do nothing. */
function walk(placed: readonly Placed[], context: ScheduleContext): Finding[] {
  const events: Event[] = placed.map((p, order) => ({ atMs: p.f.atMs, end: false, order, p }));
  const state = new ScheduleState();
  const out: Finding[] = [];
  // Events are few (at most LIMITS.faults faults and their ends): a sorted insert keeps the code plain.
  const scheduleEnd = (e: Event, forMs: number | null) => {
    if (forMs === null) return;
    const end = { ...e, atMs: e.atMs + forMs, end: true };
    const at = events.findIndex((x) => later(x, end));
    events.splice(at < 0 ? events.length : at, 0, end);
  };
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    const finding = e.end ? endOf(e.p, state) : apply(e.p, state, context);
    if (finding) out.push(finding);
    else if (!e.end && (e.p.f.kind === "crash" || e.p.f.kind === "lose" || e.p.f.kind === "partition")) scheduleEnd(e, e.p.f.forMs);
  }
  return out;
}

/** A scheduled fault changes the state, or is found to do nothing (then it changes nothing and queues no end). */
function apply(p: Placed, state: ScheduleState, context: ScheduleContext): Finding | null {
  const f = p.f;
  // A failover takes time (detection at least), so only a fault at an earlier instant can have moved the leadership.
  const leadershipMayHaveMoved = state.mayMoveFromMs < f.atMs;
  if (MAY_MOVE_LEADERSHIP.has(f.kind)) state.mayMoveFromMs = Math.min(state.mayMoveFromMs, f.atMs);
  switch (f.kind) {
    case "partition":
      state.open.add(p);
      return null;
    case "heal": {
      if (state.open.size === 0) return { what: "heal-nothing", p, cause: state.closed };
      state.closed = { partition: [...state.open].at(-1)!, atMs: f.atMs, by: p };
      state.open.clear();
      return null;
    }
    case "crash": {
      const cause = state.down.get(f.node);
      if (cause) return { what: "crash-down", p, cause };
      state.down.set(f.node, p);
      return null;
    }
    case "recover": {
      const lost = state.lostNodes.has(f.node) ? state.down.get(f.node) : undefined;
      if (lost) return { what: "recover-lost", p, cause: lost };
      if (!state.down.has(f.node) && !context.fencesNodes) return { what: "recover-up", p, cause: state.upBy.get(f.node) ?? null };
      state.bringBack(f.node, p);
      return null;
    }
    case "rebuild":
      if (context.leader === f.node && !leadershipMayHaveMoved) return { what: "rebuild-leader", p };
      state.down.delete(f.node);
      state.upBy.set(f.node, p);
      return null;
    case "lose": {
      const cause = f.zones.every((z) => state.lostZones.has(z)) ? state.lostZones.get(f.zones[0]) : undefined;
      if (cause) return { what: "lose-lost", p, cause };
      state.lose(f, p);
      return null;
    }
    default:
      return null;
  }
}

/** The end of a crash's or a loss's `for:`. */
function endOf(p: Placed, state: ScheduleState): null {
  if (p.f.kind === "crash") state.bringBack(p.f.node, p);
  else if (p.f.kind === "lose") state.restore(p.f, p);
  else if (p.f.kind === "partition" && state.open.delete(p)) state.closed = { partition: p, atMs: p.f.atMs + p.f.forMs!, by: null };
  return null;
}

/** Queue order: by time; at one instant the scheduled faults first, then the ends in the order they were queued. */
function later(x: Event, e: Event): boolean {
  if (x.atMs !== e.atMs) return x.atMs > e.atMs;
  if (x.end !== e.end) return x.end;
  return x.end && x.order > e.order;
}

function findingMessage(finding: Finding, causeAt: string): string {
  switch (finding.what) {
    case "heal-nothing":
      return healNothingMessage(finding.p, finding.cause, causeAt);
    case "rebuild-leader":
      return rebuildLeaderMessage(finding.p);
    case "crash-down":
      return crashDownMessage(finding.p, finding.cause, causeAt);
    case "recover-up":
      return recoverUpMessage(finding.p, finding.cause, causeAt);
    case "recover-lost":
      return recoverLostMessage(finding.p, finding.cause, causeAt);
    case "lose-lost":
      return loseLostMessage(finding.p, finding.cause, causeAt);
  }
}

/** How long a crash or a loss lasts, as the messages say it: "with no `for:`…" or "for 20s (back at 50s)". */
function lasting(cause: ResolvedFault & { kind: "crash" | "lose" }, at: number, noRecovery: boolean): string {
  if (cause.forMs === null) return `with no \`for:\`${noRecovery ? " and no recovery since" : ""}`;
  const back = cause.atMs + cause.forMs;
  return `for ${time(cause.forMs)} (back at ${time(back)}${back === at ? ", after the faults of that instant" : ""})`;
}

/** "zone us-east/b" or "region us-east". */
const place = (target: string) => `${target.includes("/") ? "zone" : "region"} ${target}`;

function healNothingMessage(heal: Placed, closed: Closed | null, closedAt: string): string {
  const since =
    closed === null
      ? "no partition comes before it"
      : closed.by === null
        ? `the last one, at ${time(closed.partition.f.atMs)} (${closedAt}), ended at ${time(closed.atMs)} by its \`for:\``
        : `the last one, at ${time(closed.partition.f.atMs)}, was healed at ${time(closed.atMs)} (${closedAt})`;
  return `no partition is open at ${time(heal.f.atMs)}: ${since}, so this heal would do nothing; put a partition with no \`for:\` before it, or leave this heal out`;
}

function rebuildLeaderMessage(rebuild: Placed): string {
  const f = rebuild.f as ResolvedFault & { kind: "rebuild" };
  const at = time(f.atMs);
  return `${f.node} still leads at ${at}: it is the leader from the start and no earlier fault (a crash, a loss, a partition, added latency, a stall or a slow apply) can have started a failover, and a leader cannot be re-seeded from a base backup (the run would only note "cannot rebuild the leader"); rebuild a replica, or crash ${f.node} before ${at} so that another node leads first`;
}

function crashDownMessage(crash: Placed, cause: Placed, causeAt: string): string {
  const f = crash.f as ResolvedFault & { kind: "crash" };
  const c = cause.f as ResolvedFault & { kind: "crash" | "lose" };
  const at = time(f.atMs);
  const since = c.kind === "lose" ? `${place(c.target)} was lost at ${time(c.atMs)} (${causeAt})` : `it crashed at ${time(c.atMs)} (${causeAt})`;
  const fix =
    c.kind === "lose"
      ? `give that loss a \`for:\` that ends before ${at} (a recovery does not bring back a node of a lost zone), or leave this crash out`
      : `give the crash at ${time(c.atMs)} a \`for:\` that ends before ${at}, or add \`recover: ${f.node}\` between them`;
  return `${f.node} is already down at ${at}: ${since} ${lasting(c, f.atMs, c.kind === "crash")}, so this crash would do nothing; ${fix}`;
}

function recoverUpMessage(recover: Placed, cause: Placed | null, causeAt: string): string {
  const f = recover.f as ResolvedFault & { kind: "recover" };
  const at = time(f.atMs);
  const since = cause === null ? "no fault before it takes it down" : `${backBy(cause)} (${causeAt}) and nothing has taken it down since`;
  return `${f.node} is up at ${at}: ${since}, so this recovery would do nothing; add a crash of ${f.node} before it, or leave this recovery out`;
}

/** What brought a node back: a recovery, a crash's `for:` or a loss's end. */
function backBy(cause: Placed): string {
  const c = cause.f;
  if (c.kind === "crash" && c.forMs !== null) return `its crash at ${time(c.atMs)} ended at ${time(c.atMs + c.forMs)}`;
  if (c.kind === "lose" && c.forMs !== null) return `the loss of ${place(c.target)} ended at ${time(c.atMs + c.forMs)}`;
  return `it was ${c.kind === "rebuild" ? "rebuilt" : "recovered"} at ${time(c.atMs)}`;
}

function recoverLostMessage(recover: Placed, cause: Placed, causeAt: string): string {
  const f = recover.f as ResolvedFault & { kind: "recover" };
  const c = cause.f as ResolvedFault & { kind: "lose" };
  const at = time(f.atMs);
  return `${f.node} cannot be recovered at ${at}: ${place(c.target)} was lost at ${time(c.atMs)} (${causeAt}) ${lasting(c, f.atMs, false)}, and a node of a lost zone stays down until the loss ends; give that loss a \`for:\` that ends before ${at}, or leave this recovery out`;
}

function loseLostMessage(lose: Placed, cause: Placed, causeAt: string): string {
  const f = lose.f as ResolvedFault & { kind: "lose" };
  const c = cause.f as ResolvedFault & { kind: "lose" };
  const at = time(f.atMs);
  const same = c.target === f.target ? "it" : place(c.target);
  return `${place(f.target)} is already lost at ${at}: ${same} was lost at ${time(c.atMs)} (${causeAt}) ${lasting(c, f.atMs, false)}, so this loss would do nothing; give that loss a \`for:\` that ends before ${at}, or leave this one out`;
}

const time = (ms: number) => formatDuration(ms, { style: "parts" });
