// Faults the core applies itself (network partitions, latency, zone and region
// loss, archive failures) before handing node faults to the shape.
import type { ResolvedFault } from "../../model/types.js";
import { formatDuration } from "../../base/units.js";
import { CoreState, EV } from "./state.js";


export function applyFault(core: CoreState, f: ResolvedFault, now: number, index: number): void {
  const nodeIndex = (names: string[]) => names.map((name) => core.topology.nodes.findIndex((n) => n.name === name));
  switch (f.kind) {
    case "partition": {
      const id = core.network.partition(f.sides.map(nodeIndex), f.zones);
      core.faultState.set(index, id);
      const described = f.sides.map((side, i) => `[${[...side, ...f.zones[i].filter((z) => !side.some((n) => core.topology.nodes.find((x) => x.name === n)?.zone === z))].join(", ")}]`).join(" | ");
      core.note(now, "network", "partition", `partition ${described}${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
      core.shape.partitioned(now);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, id);
      return;
    }
    case "heal":
      core.network.heal();
      core.note(now, "network", "heal", "all partitions healed");
      core.shape.healed(now);
      return;
    case "latency": {
      const id = core.network.addLatency(nodeIndex(f.between[0]), nodeIndex(f.between[1]), f.addMs);
      core.note(now, "network", "latency", `+${formatDuration(f.addMs)} between [${f.between[0].join(", ")}] and [${f.between[1].join(", ")}]${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, id);
      return;
    }
    case "lose": {
      const nodes = nodeIndex(f.nodes);
      if (!f.target.includes("/")) {
        const leader = core.shape.leaderNode;
        core.lostRegions.push({ region: f.target, atMs: now, leaderRegionLost: leader >= 0 && core.topology.nodes[leader].region === f.target });
      }
      core.note(now, f.target, "lose", `${f.target.includes("/") ? "zone" : "region"} ${f.target} lost: ${f.nodes.length ? f.nodes.join(", ") : "no nodes"}, and the clients there${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
      for (const n of nodes) core.shape.crashNode(n, now, `lost with ${f.target}`);
      if (f.forMs === null) for (const n of nodes) core.lostForGood[n] = 1;
      core.network.loseZones(f.zones, nodes, true);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
      return;
    }
    case "crash":
      core.shape.fault(f, now);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
      return;
    case "archive_fails": {
      const end = f.forMs === null ? Infinity : now + f.forMs;
      core.archiveFailures.push({ startMs: now, endMs: end });
      core.note(now, "backups", "archive-fails", `WAL archiving silently stops${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}: archive_command reports success, nothing is stored`);
      return;
    }
    case "restore_drill":
      core.drillTimes.push(now);
      return;
    default:
      core.shape.fault(f, now);
  }
}

export function endFault(core: CoreState, f: ResolvedFault, now: number, id: number): void {
  switch (f.kind) {
    case "partition":
      core.network.heal(id);
      core.note(now, "network", "heal", "partition healed");
      core.shape.healed(now);
      return;
    case "latency":
      core.network.removeLatency(id);
      core.note(now, "network", "latency-end", "added latency removed");
      return;
    case "crash":
      core.shape.fault({ atMs: now, kind: "recover", node: f.node }, now);
      return;
    case "lose":
      core.network.loseZones(f.zones, f.nodes.map((name) => core.topology.nodes.findIndex((n) => n.name === name)), false);
      core.note(now, f.target, "restore", `${f.target} is back`);
      for (const name of f.nodes) core.shape.fault({ atMs: now, kind: "recover", node: name }, now);
      return;
    default:
      return;
  }
}

export function recordBadWrite(core: CoreState, fault: ResolvedFault & { kind: "bad_write" }, atMs: number, blocked: boolean, replicatedInMs: number | null): void {
  core.badWrites.push({ fault, atMs, blocked, replicatedInMs });
  const noticed = atMs + fault.noticedAfterMs;
  if (!blocked && noticed <= core.endMs) core.note(noticed, "operator", "noticed", `someone notices the damage to ${fault.dataClass}; every replica has it, so failover cannot help`);
}
