// Faults the core applies itself (network partitions, latency, zone and region
// loss, archive failures) before handing node faults to the shape.
import type { ResolvedFault } from "../../model/types.js";
import { CoreState, EV } from "./state.js";
import { startReconnect } from "./clients.js";


export function applyFault(core: CoreState, f: ResolvedFault, now: number, index: number): void {
  core.faultTimesMs.push(now);
  // The first fault after a switch starts the next reconnect phase's connection attempts (a second failover's).
  if (!Number.isNaN(core.endpointSwitchMs) && Number.isNaN(core.nextRoundAttempts)) {
    core.nextRoundAttempts = core.connectAttempts;
    core.nextRoundRefused = core.connectRefused;
  }
  const nodeIndex = (names: string[]) => names.map((name) => core.topology.nodes.findIndex((n) => n.name === name));
  switch (f.kind) {
    case "partition": {
      const id = core.network.partition(f.sides.map(nodeIndex), f.zones);
      core.faultState.set(index, id);
      // Each side lists its nodes, then the zones it holds whole that none of those nodes is in.
      const sides = f.sides.map((side, i) => [...side, ...f.zones[i].filter((z) => !side.some((n) => core.topology.nodes.find((x) => x.name === n)?.zone === z))]);
      core.note(now, "network", { event: "partition", sides, forMs: f.forMs });
      core.shape.partitioned(now);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, id);
      return;
    }
    case "heal":
      core.network.heal();
      core.note(now, "network", { event: "heal", scope: "all" });
      core.shape.healed(now);
      return;
    case "latency": {
      // As a partition's sides, each side holds the zones it names: their clients and coordinator members are delayed too.
      const side = (s: 0 | 1) => [...nodeIndex(f.between[s]), ...f.zones[s].map((z) => core.network.zonePlace(z))];
      const id = core.network.addLatency(side(0), side(1), f.addMs);
      // Named as a partition's sides are: the nodes, then the zones held whole that none of those nodes is in. A node on
      // both sides (a zone named on one side holds a node named on the other: that zone's clients are delayed too) is
      // left to its zone on the side that names the zone.
      const zoneOf = (n: string) => core.topology.nodes.find((x) => x.name === n)?.zone;
      const named = (i: 0 | 1) => {
        const nodes = f.between[i].filter((n) => !(f.between[1 - i].includes(n) && f.zones[i].includes(zoneOf(n) ?? "")));
        return [...nodes, ...f.zones[i].filter((z) => !nodes.some((n) => zoneOf(n) === z))];
      };
      const between: [string[], string[]] = [named(0), named(1)];
      core.note(now, "network", { event: "latency", addMs: f.addMs, between, forMs: f.forMs });
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, id);
      return;
    }
    case "lose": {
      const nodes = nodeIndex(f.nodes);
      // Only a place lost for good takes its disks and the backups stored in it: one out for a while comes back
      // with them, so no restore is planned from its absence. A zone holds no backups (they are kept per region),
      // but it may take the last copy of the data.
      if (f.forMs === null) {
        const leader = core.shape.leaderNode;
        const at = leader >= 0 ? core.topology.nodes[leader] : null;
        core.lostRegions.push({ region: f.target, atMs: now, leaderRegionLost: at !== null && (f.target.includes("/") ? at.zone === f.target : at.region === f.target) });
      }
      const arbiters = core.topology.arbiters.filter((a) => f.zones.includes(a.zone)).map((a) => a.name);
      core.note(now, f.target, { event: "lose", target: f.target, nodes: f.nodes, ...(arbiters.length > 0 ? { arbiters } : {}), forMs: f.forMs });
      // Lost for good before it stops: what a shape keeps on the node's disk (a multi-leader's unshipped writes) goes with it.
      if (f.forMs === null) for (const n of nodes) if (core.lostForGood[n] === 0) [core.lostForGood[n], core.lostAtMs[n]] = [1, now];
      for (const n of nodes) core.shape.crashNode(n, now, { kind: "lost-with", target: f.target });
      core.network.loseZones(f.zones, nodes, true);
      const places = new Set(f.zones.map((z) => core.network.zonePlace(z)));
      for (let c = 0; c < core.clientPlace.length; c++) {
        if (!places.has(core.clientPlace[c])) continue;
        core.recovery.lostMs[c] = Math.min(core.recovery.lostMs[c], now);
        // A dead application server holds no session and makes no new one.
        core.conn[c] = -1;
        core.reconnecting[c] = 0;
      }
      core.noteObservers(now);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
      return;
    }
    case "crash":
      // The loader refuses a crash of a node the schedule itself took down; one down otherwise (fenced) is left so, and said.
      if (core.alive[f.nodeIndex] !== 1) return core.note(now, f.node, { event: "crash-ignored", reason: "already-down", forMs: f.forMs });
      core.shape.fault(f, now);
      if (f.forMs !== null) core.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
      return;
    case "recover": {
      // The loader refuses a recovery of a node the schedule shows up, unless a failover may have fenced it (STONITH):
      // then it may find the node up after all, and says so.
      const n = f.nodeIndex ?? core.topology.nodes.findIndex((x) => x.name === f.node);
      if (core.alive[n] === 1) return core.note(now, f.node, { event: "recover-ignored", reason: "already-up" });
      return core.shape.fault(f, now);
    }
    case "archive_fails": {
      const end = f.forMs === null ? Infinity : now + f.forMs;
      core.archiveFailures.push({ startMs: now, endMs: end });
      core.note(now, "backups", { event: "archive-fails", forMs: f.forMs });
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
      core.note(now, "network", { event: "heal", scope: "one" });
      core.shape.healed(now);
      return;
    case "latency":
      core.network.removeLatency(id);
      core.note(now, "network", { event: "latency-end" });
      return;
    case "crash":
      core.shape.fault({ atMs: now, kind: "recover", node: f.node, nodeIndex: f.nodeIndex }, now);
      return;
    case "lose": {
      core.network.loseZones(f.zones, f.nodes.map((name) => core.topology.nodes.findIndex((n) => n.name === name)), false);
      core.note(now, f.target, { event: "restore", target: f.target });
      // The application servers there are back: what they wait for from now on is a user's wait.
      const places = new Set(f.zones.map((z) => core.network.zonePlace(z)));
      for (let c = 0; c < core.clientPlace.length; c++) {
        if (!places.has(core.clientPlace[c])) continue;
        core.recovery.backMs[c] = now;
        // Not a client of the failover's reconnect phase: it was down, not waiting for the endpoint, when the
        // clients reconnected (a switch still to come counts it again).
        core.countedReconnect[c] = 1;
        startReconnect(core, c, now);
      }
      core.noteObservers(now);
      for (const name of f.nodes) core.shape.fault({ atMs: now, kind: "recover", node: name }, now);
      return;
    }
    default:
      return;
  }
}

export function recordBadWrite(core: CoreState, fault: ResolvedFault & { kind: "bad_write" }, atMs: number, blocked: boolean, replicatedInMs: number | null): void {
  core.badWrites.push({ fault, atMs, blocked, replicatedInMs });
  const noticed = atMs + fault.noticedAfterMs;
  if (!blocked && noticed <= core.endMs) core.note(noticed, "operator", { event: "noticed", dataClass: fault.dataClass });
}
