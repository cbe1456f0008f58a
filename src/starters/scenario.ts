// The starter scenario of `repl-lab init --kind scenario`: a workload and one
// fault (the leader's host fails) against a topology, with the other fault
// kinds written out as comments to uncomment. The node, zone and class names
// come from the topology it names, so the file runs as written.
import { SCENARIO_DEFAULTS } from "../model/presets.js";
import { failoverBudget, staleClientDelayMs } from "../base/failover-timing.js";
import type { ResolvedTopology } from "../model/types.js";
import { blank, comment, dur, line, render, type Entry } from "./entries.js";

/** Which node the starter crashes: the leader, else the first node (leaderless and multi-leader designs have no single leader). */
function victim(t: ResolvedTopology): string {
  return t.leader ?? t.nodes[0].name;
}

/** Another node than the victim, for the examples that need a second one. */
function other(t: ResolvedTopology): string {
  return (t.nodes.find((n) => n.name !== victim(t)) ?? t.nodes[0]).name;
}

function menu(t: ResolvedTopology): Entry[] {
  const node = victim(t);
  const zone = t.nodes.find((n) => n.name === node)!.zone;
  const [first, second] = t.derived.zones.length > 1 ? [zone, t.derived.zones.find((z) => z !== zone)!] : [node, other(t)];
  const cls = t.dataClasses[0].name;
  const items: [string, string][] = [
    [`{ at: 90s, recover: ${node} }`, "restart a crashed node; it rejoins as a replica"],
    [`{ at: 30s, partition: [[${first}], [${second}]], for: 60s }`, "sides are nodes, zones or regions"],
    [`{ at: 30s, stall: ${node}, for: 5s }`, "the WAL sender ships nothing; clients are still served"],
    [`{ at: 30s, slow: ${other(t)}, apply_rate: 100 }`, "a replica applies only 100 writes/s"],
    [`{ at: 30s, latency: { between: [[${node}], [${other(t)}]], add: 50ms }, for: 20s }`, "50ms more each way on these links"],
    [`{ at: 30s, lose: ${zone} }`, "a whole zone (region/zone) or region goes"],
    [`{ at: 30s, bad_write: { class: ${cls}, statement: update-all, rows: 10%, noticed_after: 1h } }`, "update-all, delete or drop"],
    ["{ at: 30s, archive_fails: true, for: 1h }", "WAL archiving silently stops"],
    [`{ at: 30s, promote_fails: ${other(t)} }`, "the chosen candidate cannot promote"],
    [`{ at: 90s, rebuild: ${node} }`, "re-seed a node from a base backup"],
    ["{ at: 100s, restore_drill: {} }", "restore the newest backup and check it"],
  ];
  return [
    line("  # Other faults to try: uncomment one, or add your own (each takes `at:` and exactly one action)."),
    ...items.map(([yaml, note]) => line(`  # - ${yaml}`, note)),
  ];
}

/**
 * Long enough for the crash at 30 s to play out: the failover's worst case from the timing model (a failover a
 * human runs takes many minutes), and the tail of clients that cache the old address, with room to spare; at least
 * two minutes, in whole minutes. A run that ended before the failover would report every class as never back.
 */
function starterDurationMs(t: ResolvedTopology): number {
  const minute = 60_000;
  const stale = t.failover.endpoint.kind === "dns" ? staleClientDelayMs(t.failover.endpoint) : 0;
  const needed = 30_000 + 1.5 * (failoverBudget(t.failover).maxMs + stale);
  return Math.min(6 * 60 * minute, Math.max(2 * minute, Math.ceil(needed / minute) * minute));
}

/** A commented starter scenario naming `topologyPath`, whose contents are `topology`. */
export function starterScenario(topology: ResolvedTopology, topologyPath: string): string {
  const d = SCENARIO_DEFAULTS.workload;
  const node = victim(topology);
  const cls = topology.dataClasses[0];
  const entries: Entry[] = [
    comment(`A starter scenario for repl-lab: a steady workload against the topology "${topology.name}", and one fault.`),
    comment("Run it with `repl-lab simulate FILE` (the same file and seed always give the same report); check it with `repl-lab validate FILE`."),
    comment("Only kind, name, topology, duration and workload.writes are required."),
    blank,
    line("kind: scenario", "this file describes a scenario (the other kinds: topology, latency)"),
    line(`name: ${topology.name}-${node}-crash`, "a name for reports: letters, digits, '-', '_', '.'"),
    line(`description: "The host of ${node} fails 30s in; what do the data classes lose, and for how long are they down?"`),
    line(`topology: ${/^[A-Za-z0-9_./-]+$/.test(topologyPath) ? topologyPath : JSON.stringify(topologyPath)}`, "a topology file, relative to this one (`repl-lab init` writes one)"),
    line(`seed: ${SCENARIO_DEFAULTS.seed}`, "the seed of every random choice; `simulate --seed N` overrides it"),
    line(`duration: ${dur(starterDurationMs(topology))}`, "simulated time; the run ends here (at most 6h)"),
    blank,
    line("workload:", "open-loop traffic: requests arrive at these rates whether or not earlier ones were answered"),
    line("  writes: 500", "writes per second, spread over the data classes by their shares"),
    line("  reads: 2000", "reads per second"),
    line(`  clients: ${d.clients}`, "client connections (they reconnect after a failover)"),
    line(`  timeout: ${dur(d.timeoutMs)}`, "a request unanswered for this long fails and counts as rejected"),
    blank,
    line("faults:", "what goes wrong, and when (times from the start of the run)"),
    line(`  - { at: 30s, crash: ${node} }`, "a host failure: the node stops at once, messages in flight are lost"),
    ...menu(topology),
    blank,
    line("expect:", "assertions: simulate exits 1 when one fails"),
    line("  split_brain: false", "never two nodes accepting writes for one key range at once"),
    line(`  # ${cls.name}: { rpo: 0, rto: "<${dur(cls.rtoMs)}" }`, "a data class's targets, checked against what this run measures"),
  ];
  return render(entries);
}
