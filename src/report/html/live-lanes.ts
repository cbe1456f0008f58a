// A live run's swimlanes. A live run's timeline holds what the monitor and
// the writer observed (the injected fault, the leader key changing hands,
// the new primary answering, the writer's error and reconnection), each
// with an event name and a node; its lanes follow those names. The run knows
// which node led before and after, but not which standby was synchronous at
// the start, so its replicas are drawn as plain replicas.
import type { LiveRun } from "../../live/measure.js";
import type { TimelineEntry } from "../../engine/result.js";
import { laneNodes, toSegments, type Band, type Changes, type Role, type Segment } from "./lanes.js";
import { CLIENTS_LANE, type LaneModel } from "./swimlane.js";

/** Applies one observed entry to the lanes' roles; `beforeStall` keeps the role a stalled node goes back to. */
function observe(e: TimelineEntry, current: Map<string, Role>, beforeStall: Map<string, Role>, change: (node: string, role: Role) => void): void {
  switch (e.event) {
    case "crash":
      change(e.node, "down");
      break;
    case "stall":
      beforeStall.set(e.node, current.get(e.node) ?? "replica");
      change(e.node, "stalled");
      break;
    case "resume":
      change(e.node, beforeStall.get(e.node) ?? "replica");
      break;
    case "recover":
      change(e.node, "catching up");
      break;
    case "rejoin":
      change(e.node, "replica");
      break;
    case "promote":
      // Another node leads now: a leader that was stalled comes back demoted; one that is down stays down.
      for (const [node, role] of current) if (node !== e.node && role === "leader") change(node, "demoted");
      for (const [node, role] of beforeStall) if (node !== e.node && role === "leader") beforeStall.set(node, "demoted");
      change(e.node, "leader");
      break;
  }
}

/** Each node's role over the live run, from the observed entries. */
export function liveRoleSegments(run: LiveRun): Segment[] {
  const result = run.result;
  const nodes = laneNodes(result).map((n) => n.name);
  const current = new Map<string, Role>(nodes.map((n) => [n, n === run.leaderBefore ? "leader" : "replica"]));
  const changes: Changes = new Map(nodes.map((n) => [n, [{ atMs: 0, role: current.get(n) as Role }]]));
  const beforeStall = new Map<string, Role>();
  const change = (node: string, role: Role, atMs: number) => {
    if (!current.has(node) || current.get(node) === role) return;
    current.set(node, role);
    changes.get(node)?.push({ atMs, role });
  };
  for (const e of result.timeline) observe(e, current, beforeStall, (node, role) => change(node, role, e.atMs));
  return toSegments(changes, result.durationMs);
}

const first = (timeline: readonly TimelineEntry[], event: string, fromMs = 0) => timeline.find((e) => e.event === event && e.atMs >= fromMs);

/** The clients' lane: the endpoint on the old leader until the writer reconnected, then on the new one; writes failing from the first error to the first acknowledgement after it. */
export function liveClientSegments(run: LiveRun): Segment[] {
  const { timeline, durationMs } = run.result;
  const moved = run.leaderAfter !== run.leaderBefore ? first(timeline, "endpoint") : undefined;
  const endpoint: Segment[] = [{ lane: CLIENTS_LANE, role: "endpoint", label: `→ ${run.leaderBefore}`, startMs: 0, endMs: moved ? moved.atMs : durationMs }];
  if (moved) endpoint.push({ lane: CLIENTS_LANE, role: "endpoint", label: `→ ${run.leaderAfter}`, startMs: moved.atMs, endMs: durationMs });
  const error = first(timeline, "write-error");
  if (!error) return endpoint;
  const back = first(timeline, "reconnect", error.atMs);
  return [...endpoint, { lane: CLIENTS_LANE, role: "writes failing", startMs: error.atMs, endMs: back ? back.atMs : durationMs }];
}

/** The injected faults as bands: a crash until the node was restarted, a stall until it resumed (or the run's end). */
export function liveBands(run: LiveRun): Band[] {
  const { timeline, durationMs } = run.result;
  const until = (e: TimelineEntry, event: string) => timeline.find((x) => x.atMs >= e.atMs && x !== e && x.event === event && x.node === e.node)?.atMs ?? durationMs;
  return timeline.flatMap((e): Band[] => {
    if (e.event === "crash") return [{ kind: "crash", label: "crash", lanes: [e.node], startMs: e.atMs, endMs: until(e, "recover"), entry: e }];
    if (e.event === "stall") return [{ kind: "stall", label: "stall", lanes: [e.node], startMs: e.atMs, endMs: until(e, "resume"), entry: e }];
    return [];
  });
}

/** Everything a live run's swimlane chart draws. */
export function liveLanes(run: LiveRun): LaneModel {
  const nodes = laneNodes(run.result).map((n) => n.name);
  return { lanes: [...nodes, CLIENTS_LANE], segments: [...liveRoleSegments(run), ...liveClientSegments(run)], bands: liveBands(run) };
}
