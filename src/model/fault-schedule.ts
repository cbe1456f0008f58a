// The checks that read a scenario's fault list as a schedule rather than fault
// by fault: a fault that repeats another (same time, action and target), and a
// crash of a node the schedule itself has already taken down. The engine would
// run either as if it were not there, so the file is refused instead.
//
// Which nodes are down follows the engine's own rules: a crash takes its node
// down, a lost zone or region takes down every node there; a `for:` ends
// either (a loss's end brings back every node it held), as do `recover:`
// (ignored while the node's zone is lost) and `rebuild:` (which re-seeds and
// starts the node). A fault that ends at the instant of another fault ends
// after it: the engine queues every scheduled fault before the ends.
import { formatDuration } from "../base/units.js";
import type { Problem } from "./resolve.js";
import type { ResolvedFault } from "./types.js";

/** The line a path of the file is on, or null when it cannot be told (the message then names the fault's index). */
export type LineOf = (path: PropertyKey[]) => number | null;

/** A fault with its index in the file. */
interface Placed {
  f: ResolvedFault;
  i: number;
}

/** Refuses repeated faults and crashes of nodes the schedule has already taken down; `faults` in file order. */
export function checkSchedule(faults: readonly ResolvedFault[], lineOf: LineOf): Problem[] {
  const placed = faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atMs - b.f.atMs || a.i - b.i);
  const where = (p: Placed) => {
    const line = lineOf(["faults", p.i]);
    return line === null ? `faults[${p.i}]` : `line ${line}`;
  };
  const problems: Problem[] = [];
  const repeated = new Set<number>();
  for (const [later, first] of repeats(placed)) {
    repeated.add(later.i);
    problems.push({ path: ["faults", later.i, later.f.kind], key: true, message: repeatMessage(later, first, where(first)) });
  }
  for (const [crash, cause] of crashesOfDownNodes(placed)) {
    if (repeated.has(crash.i)) continue;
    problems.push({ path: ["faults", crash.i, "crash"], key: true, message: downMessage(crash, cause, where(cause)) });
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
// Crashes of nodes that are down

type Event = { atMs: number; end: boolean; order: number; p: Placed };

/** Each crash of a node that an earlier fault of the schedule has taken down and nothing has brought back, with that fault. */
function crashesOfDownNodes(placed: readonly Placed[]): [Placed, Placed][] {
  const events: Event[] = placed.map((p, order) => ({ atMs: p.f.atMs, end: false, order, p }));
  const down = new Map<string, Placed>();
  const lost = new Set<string>();
  const out: [Placed, Placed][] = [];
  const back = (node: string) => {
    if (!lost.has(node)) down.delete(node);
  };
  // Events are few (at most LIMITS.faults faults and their ends): a sorted insert keeps the code plain.
  const schedule = (e: Event) => {
    const at = events.findIndex((x) => later(x, e));
    events.splice(at < 0 ? events.length : at, 0, e);
  };
  for (let k = 0; k < events.length; k++) {
    const { p, end, order } = events[k];
    const f = p.f;
    if (f.kind === "crash" && !end) {
      const cause = down.get(f.node);
      if (cause) {
        out.push([p, cause]);
        continue;
      }
      down.set(f.node, p);
      if (f.forMs !== null) schedule({ atMs: f.atMs + f.forMs, end: true, order, p });
    } else if (f.kind === "crash" || f.kind === "recover") back(f.node);
    else if (f.kind === "rebuild") down.delete(f.node);
    else if (f.kind === "lose" && !end) {
      for (const node of f.nodes) {
        lost.add(node);
        down.set(node, p);
      }
      if (f.forMs !== null) schedule({ atMs: f.atMs + f.forMs, end: true, order, p });
    } else if (f.kind === "lose") {
      for (const node of f.nodes) {
        lost.delete(node);
        down.delete(node);
      }
    }
  }
  return out;
}

/** Queue order: by time; at one instant the scheduled faults first, then the ends in the order they were queued. */
function later(x: Event, e: Event): boolean {
  if (x.atMs !== e.atMs) return x.atMs > e.atMs;
  if (x.end !== e.end) return x.end;
  return x.end && x.order > e.order;
}

function downMessage(crash: Placed, cause: Placed, causeAt: string): string {
  const f = crash.f as ResolvedFault & { kind: "crash" };
  const c = cause.f as ResolvedFault & { kind: "crash" | "lose" };
  const at = time(f.atMs);
  const lasting =
    c.forMs === null
      ? `with no \`for:\`${c.kind === "crash" ? " and no recovery since" : ""}`
      : `for ${time(c.forMs)} (back at ${time(c.atMs + c.forMs)}${c.atMs + c.forMs === f.atMs ? ", after the faults of that instant" : ""})`;
  const since = c.kind === "lose" ? `${c.target.includes("/") ? "zone" : "region"} ${c.target} was lost at ${time(c.atMs)} (${causeAt})` : `it crashed at ${time(c.atMs)} (${causeAt})`;
  const fix =
    c.kind === "lose"
      ? `give that loss a \`for:\` that ends before ${at} (a recovery does not bring back a node of a lost zone), or leave this crash out`
      : `give the crash at ${time(c.atMs)} a \`for:\` that ends before ${at}, or add \`recover: ${f.node}\` between them`;
  return `${f.node} is already down at ${at}: ${since} ${lasting}, so this crash would do nothing; ${fix}`;
}

const time = (ms: number) => formatDuration(ms, { style: "parts" });
