// One line that tells what a schedule did and what it cost, generated from
// the faults and the outcome: "a partition isolates the leader's zone
// us-east/a for 40s, then pg-b crashes 10s later: two leaders for 35s, 4,179
// acknowledged writes lost".
import type { SimulationResult } from "../engine/result.js";
import { formatDuration } from "../base/units.js";
import type { Layout } from "./schedule.js";
import type { FaultSpec } from "./spec.js";

const lasting = (f: FaultSpec) => (f.forMs !== undefined ? ` for ${formatDuration(f.forMs)}` : "");

/** Names the first leader as such once: after a failover it may lead no more, so later mentions use its name. */
function nodeLabel(layout: Layout, name: string, named: Set<string>): string {
  if (name !== layout.leader || named.has(name)) return name;
  named.add(name);
  return `the leader (${name})`;
}

function placeLabel(layout: Layout, place: string): string {
  const leader = layout.nodes.find((n) => n.name === layout.leader);
  if (leader && place === leader.zone) return `the leader's zone ${place}`;
  if (leader && place === leader.region) return `the leader's region ${place}`;
  if (place === layout.leader) return `the leader (${place})`;
  return place;
}

function lostPlace(layout: Layout, place: string): string {
  const label = placeLabel(layout, place);
  return label === place ? `${place.includes("/") ? "zone" : "region"} ${place}` : label;
}

function partitionText(layout: Layout, sides: string[][]): string {
  const smaller = [...sides].sort((a, b) => a.length - b.length)[0];
  return `a partition isolates ${smaller.map((p) => placeLabel(layout, p)).join(" and ")}`;
}

export function faultText(layout: Layout, f: FaultSpec, named = new Set<string>()): string {
  const a = f.action;
  if (typeof a.crash === "string") return `${nodeLabel(layout, a.crash, named)} crashes${f.forMs !== undefined ? ` for ${formatDuration(f.forMs)}` : ""}`;
  if (typeof a.recover === "string") return `${a.recover} comes back`;
  if (Array.isArray(a.partition)) return `${partitionText(layout, a.partition as string[][])}${lasting(f)}`;
  if (a.heal === true) return "the partitions heal";
  if (typeof a.stall === "string") return `${nodeLabel(layout, a.stall, named)}'s WAL sender stalls${lasting(f)}`;
  if (typeof a.slow === "string") return `${a.slow} applies only ${String(a.apply_rate)} writes/s${lasting(f)}`;
  if (typeof a.lose === "string") return `${lostPlace(layout, a.lose)} is lost${lasting(f)}`;
  if (typeof a.promote_fails === "string") return `${a.promote_fails} would fail to promote`;
  if (a.latency !== undefined) {
    const latency = a.latency as { between: string[][]; add: string };
    return `+${latency.add} latency around ${latency.between[0].map((p) => placeLabel(layout, p)).join(", ")}${lasting(f)}`;
  }
  return Object.keys(a)[0] ?? "a fault";
}

/** "x, then 10s later y, and at once z". */
export function scheduleText(layout: Layout, faults: FaultSpec[]): string {
  const sorted = [...faults].sort((a, b) => a.atMs - b.atMs);
  const named = new Set<string>();
  return sorted
    .map((f, i) => {
      const text = faultText(layout, f, named);
      if (i === 0) return text;
      const gap = f.atMs - sorted[i - 1].atMs;
      return gap === 0 ? `and at once ${text}` : `then ${formatDuration(gap)} later ${text}`;
    })
    .join(", ");
}

/** What the run cost, worst first: split brain, lost writes, downtime. */
export function outcomeText(result: SimulationResult): string {
  const parts: string[] = [];
  const t = result.totals;
  if (t.splitBrainMs > 0) parts.push(`two leaders for ${formatDuration(t.splitBrainMs)}`);
  if (t.writesLost > 0) parts.push(`${t.writesLost.toLocaleString("en-US")} acknowledged write${t.writesLost === 1 ? "" : "s"} lost${lossByClass(result)}`);
  const rtos = result.classes.map((c) => c.rto.writeMs);
  if (rtos.some((r) => r === null)) parts.push("writes never recover");
  else {
    const worst = Math.max(0, ...(rtos as number[]));
    // The longest outage is the RTO; unavailable time adds up every outage (found by a review: "down for 7.1s" beside 1m20s unavailable).
    const total = t.writeUnavailableMs;
    if (worst > 0) parts.push(`writes down for ${formatDuration(worst, { style: "minutes" })} at the longest${total > worst * 1.5 ? ` (${formatDuration(total, { style: "minutes" })} in all)` : ""}`);
    // Writes came back for the service, but not for every client (a cut-off zone's clients, say).
    const clients = result.classes.map((c) => c.rto.p99ClientMs);
    if (result.classes.some((c) => c.verdicts?.p99ClientRto === false && c.rto.p99ClientMs === null)) parts.push("the p99 client never reconnects");
    else if (clients.every((ms) => ms !== null) && Math.max(0, ...(clients as number[])) > 2 * Math.max(worst, 1000)) parts.push(`the p99 client waits ${formatDuration(Math.max(...(clients as number[])))}`);
  }
  if (t.staleReads > 0) parts.push(`${t.staleReads.toLocaleString("en-US")} stale reads`);
  return parts.length > 0 ? parts.join(", ") : "no visible harm";
}

/** " (448 orders, 179 analytics)" when more than one class lost writes. */
function lossByClass(result: SimulationResult): string {
  const losing = result.classes.filter((c) => c.rpo.lostAckedWrites > 0);
  return losing.length < 2 ? "" : ` (${losing.map((c) => `${c.rpo.lostAckedWrites.toLocaleString("en-US")} ${c.name}`).join(", ")})`;
}

export function story(layout: Layout, faults: FaultSpec[], result: SimulationResult): string {
  return `${scheduleText(layout, faults)}: ${outcomeText(result)}`;
}
