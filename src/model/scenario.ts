// From a validated scenario and its resolved topology to the resolved
// scenario: faults get the nodes, zones and indices they name, the workload
// its defaults, and `expect:` is read once into its compiled form. Each
// problem is reported with the path of the key at fault.
import { formatDuration } from "../base/units.js";
import { didYouMean } from "./diagnostics.js";
import { compileExpectations, type CompiledExpectations } from "./expectations.js";
import { checkSchedule, scheduleContext, type LineOf } from "./fault-schedule.js";
import { SCENARIO_DEFAULTS, TOPOLOGY_DEFAULTS } from "./presets.js";
import type { Problem } from "./resolve.js";
import { globalExpectationKeys, LIMITS, type ScenarioInput } from "./schema.js";
import type { ResolvedFault, ResolvedScenario, ResolvedTopology, ResolvedWorkload } from "./types.js";

type FaultInput = NonNullable<ScenarioInput["faults"]>[number];

/**
 * `schedule` reads the fault list as a whole (repeats, crashes of nodes already down), naming lines with
 * `lineOf`; null skips it: when invalid faults were left out of `input` (the rest is not the file's schedule),
 * or for a generator that prunes its random schedules with those checks itself.
 */
export function resolveScenario(
  input: ScenarioInput,
  topology: ResolvedTopology,
  file: string,
  topologyFile: string | null,
  schedule: { lineOf: LineOf } | null = { lineOf: () => null },
): { scenario: ResolvedScenario; problems: Problem[] } {
  const problems: Problem[] = [];
  const names = new Names(topology, problems);
  const faults = (input.faults ?? []).map((f, i) => resolveFault(f, ["faults", i], input.duration, names, topology, problems));
  if (schedule !== null && problems.length === 0) problems.push(...checkSchedule(faults, schedule.lineOf, scheduleContext(topology)));
  const workload = resolveWorkload(input, topology, problems);
  problems.push(...runBudgetProblems(workload, input.duration, topology, faults));
  const expectations = resolveExpectations(input, topology, problems);
  return {
    scenario: {
      name: input.name,
      description: input.description ?? null,
      file,
      topologyFile,
      topology,
      seed: input.seed ?? SCENARIO_DEFAULTS.seed,
      durationMs: input.duration,
      workload,
      // Stable by time: faults at the same instant keep the file's order.
      faults: faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atMs - b.f.atMs || a.i - b.i).map(({ f }) => f),
      expect: input.expect ?? {},
      expectations,
      ignore: input.ignore ?? [],
    },
    problems,
  };
}

/**
 * The one place a run's seed is overridden. A scenario's seed is decided by
 * the loader (its `seed:`, else SCENARIO_DEFAULTS.seed); `repl-lab simulate
 * --seed N` and each extra trial run a copy with another seed, made here, so
 * that the engine reads `scenario.seed` and nothing else.
 */
export function withSeed(scenario: ResolvedScenario, seed: number | undefined): ResolvedScenario {
  if (seed === undefined || seed === scenario.seed) return scenario;
  if (!Number.isInteger(seed) || seed < 0 || seed > LIMITS.seed) throw new RangeError(`a seed is a whole number from 0 to ${LIMITS.seed}; got ${seed}`);
  return { ...scenario, seed };
}

/** A fault that names an arbiter: it holds no data and is not a host the engine models; its zone stands for it. */
function arbiterAsNode(arbiter: { name: string; zone: string }): string {
  return `"${arbiter.name}" is an arbiter (it votes and holds no data): a fault reaches it through its zone, so name ${arbiter.zone} (lose it, or put it on a partition's side) instead`;
}

/** The topology's names (nodes, zones, regions) and their indices, with the checks that report a name that is not there. */
class Names {
  readonly nodes: string[];
  readonly zones: string[];
  readonly regions: string[];

  constructor(
    private readonly topology: ResolvedTopology,
    private readonly problems: Problem[],
  ) {
    this.nodes = topology.nodes.map((n) => n.name);
    this.zones = topology.derived.zones;
    this.regions = topology.derived.regions;
  }

  /** The index of a node, or -1 after reporting an unknown name (the load then fails, so -1 is never used). */
  node(name: string, path: PropertyKey[]): number {
    const index = this.nodes.indexOf(name);
    const arbiter = this.topology.arbiters.find((a) => a.name === name);
    if (arbiter) this.problems.push({ path, message: arbiterAsNode(arbiter) });
    else if (index < 0) this.problems.push({ path, message: `unknown node "${name}"${didYouMean(name, this.nodes)} (nodes: ${this.nodes.join(", ")})` });
    return index;
  }

  /** A partition side or latency side may name nodes, zones ("region/zone") or regions: the nodes they hold. */
  expand(items: string[], path: PropertyKey[]): string[] {
    const out: string[] = [];
    items.forEach((item, i) => {
      if (this.nodes.includes(item)) out.push(item);
      else if (this.zones.includes(item)) out.push(...this.topology.nodes.filter((n) => n.zone === item).map((n) => n.name));
      else if (this.regions.includes(item)) out.push(...this.topology.nodes.filter((n) => n.region === item).map((n) => n.name));
      else {
        const arbiter = this.topology.arbiters.find((a) => a.name === item);
        this.problems.push({ path: [...path, i], message: arbiter ? arbiterAsNode(arbiter) : `"${item}" is not a node, zone or region of the topology${didYouMean(item, [...this.nodes, ...this.zones, ...this.regions])}` });
      }
    });
    return [...new Set(out)];
  }

  /** The zones a side covers through its zone and region entries (nodes named alone place no clients). */
  zonesOf(items: string[]): string[] {
    const regions = this.topology.regions;
    return [...new Set(items.flatMap((item) => (this.zones.includes(item) ? [item] : this.regions.includes(item) ? regions[item].map((z) => `${item}/${z}`) : [])))];
  }

  nodeIndices(names: string[]): number[] {
    return names.map((name) => this.nodes.indexOf(name));
  }

  zoneIndices(zones: string[]): number[] {
    return zones.map((zone) => this.zones.indexOf(zone));
  }
}

/**
 * Faults that act on a leader's WAL stream, its promotion or its rebuild, or on data only a WAL archive and
 * base backups recover: without a single leader they have nothing to act on. A run would ignore them and then
 * report what did not happen (a bad write "handled by replication"), so the file is refused instead.
 */
const LEADER_ONLY_FAULTS: Record<string, string> = {
  stall: "it stalls the stream a leader ships its log to the replicas on",
  slow: "it slows a replica's WAL replay",
  promote_fails: "it makes a promotion fail",
  rebuild: "it rebuilds a replica from a base backup",
  bad_write: "its damage and recovery are modelled with a WAL archive and base backups",
};

function checkFaultApplies(f: FaultInput, path: PropertyKey[], topology: ResolvedTopology, problems: Problem[]): void {
  const mode = topology.replication.mode;
  if (mode !== "leaderless" && mode !== "multi-leader") return;
  for (const [kind, why] of Object.entries(LEADER_ONLY_FAULTS)) {
    if ((f as Record<string, unknown>)[kind] === undefined) continue;
    problems.push({
      path: [...path, kind],
      key: true,
      message: `"${kind}" does not apply to a ${mode} cluster (${why}); the faults that do: crash, recover, partition, heal, latency, lose, archive_fails, restore_drill`,
    });
  }
}

function resolveFault(f: FaultInput, path: PropertyKey[], duration: number, names: Names, topology: ResolvedTopology, problems: Problem[]): ResolvedFault {
  checkFaultApplies(f, path, topology, problems);
  if (f.at > duration) problems.push({ path: [...path, "at"], message: `the fault is at ${formatDuration(f.at, { style: "parts" })}, after the scenario ends (duration ${formatDuration(duration, { style: "parts" })})` });
  const atMs = f.at;
  const forMs = f.for ?? null;
  const node = (name: string, key: string) => ({ node: name, nodeIndex: names.node(name, [...path, key]) });
  if (f.crash !== undefined) return { atMs, kind: "crash", ...node(f.crash, "crash"), forMs };
  if (f.recover !== undefined) return { atMs, kind: "recover", ...node(f.recover, "recover") };
  if (f.stall !== undefined) return { atMs, kind: "stall", ...node(f.stall, "stall"), forMs };
  // The schema refuses a `slow:` fault without `apply_rate:`, so the rate is always there.
  if (f.slow !== undefined) return { atMs, kind: "slow", ...node(f.slow, "slow"), applyRate: f.apply_rate!, forMs };
  if (f.promote_fails !== undefined) return { atMs, kind: "promote_fails", ...node(f.promote_fails, "promote_fails") };
  if (f.rebuild !== undefined) return { atMs, kind: "rebuild", ...node(f.rebuild, "rebuild") };
  if (f.partition !== undefined) {
    const sides = f.partition.map((side, s) => names.expand(side, [...path, "partition", s]));
    const zones = f.partition.map((side) => names.zonesOf(side));
    // A node (or a zone's clients) cannot be on two sides of one partition.
    sides.forEach((side, s) => {
      const twice = side.find((node) => sides.some((other, o) => o < s && other.includes(node))) ?? zones[s].find((zone) => zones.some((other, o) => o < s && other.includes(zone)));
      if (twice !== undefined) problems.push({ path: [...path, "partition", s], message: `${twice} is on two sides of the partition; each node and zone may be on one side only` });
    });
    return { atMs, kind: "partition", sides, sideIndices: sides.map((side) => names.nodeIndices(side)), zones, zoneIndices: zones.map((side) => names.zoneIndices(side)), forMs };
  }
  if (f.heal !== undefined) return { atMs, kind: "heal" };
  if (f.latency !== undefined) {
    const between: [string[], string[]] = [names.expand(f.latency.between[0], [...path, "latency", "between", 0]), names.expand(f.latency.between[1], [...path, "latency", "between", 1])];
    const zones: [string[], string[]] = [names.zonesOf(f.latency.between[0]), names.zonesOf(f.latency.between[1])];
    return { atMs, kind: "latency", between, betweenIndices: [names.nodeIndices(between[0]), names.nodeIndices(between[1])], zones, addMs: f.latency.add, forMs };
  }
  if (f.lose !== undefined) return resolveLoss(f.lose, atMs, forMs, [...path, "lose"], names, problems);
  if (f.bad_write !== undefined) {
    const classes = topology.dataClasses.map((c) => c.name);
    const classIndex = classes.indexOf(f.bad_write.class);
    if (classIndex < 0) problems.push({ path: [...path, "bad_write", "class"], message: `unknown data class "${f.bad_write.class}"${didYouMean(f.bad_write.class, classes)}` });
    if (f.bad_write.statement === "drop" && f.bad_write.rows !== undefined && f.bad_write.rows !== 1) {
      problems.push({ path: [...path, "bad_write", "rows"], message: "a DROP TABLE takes every row of the table: leave `rows` out (or write 100%)" });
    }
    return {
      atMs,
      kind: "bad_write",
      dataClass: f.bad_write.class,
      classIndex,
      statement: f.bad_write.statement,
      rows: f.bad_write.rows ?? SCENARIO_DEFAULTS.badWrite.rows,
      // Left out, a bad write is noticed after the topology's backups.detection (itself defaulted in the table).
      noticedAfterMs: f.bad_write.noticed_after ?? topology.backups?.detectionMs ?? TOPOLOGY_DEFAULTS.backups.detectionMs,
    };
  }
  if (f.archive_fails !== undefined) return { atMs, kind: "archive_fails", forMs };
  return { atMs, kind: "restore_drill" };
}

/** `lose:` takes a zone or a region: every node there goes, with the clients in its zones. */
function resolveLoss(target: string, atMs: number, forMs: number | null, path: PropertyKey[], names: Names, problems: Problem[]): ResolvedFault {
  const nodes = names.expand([target], path);
  if (names.nodes.includes(target)) problems.push({ path, message: `"lose" takes a zone ("region/zone") or a region; use "crash: ${target}" for one node` });
  const zones = names.zonesOf([target]);
  return {
    atMs,
    kind: "lose",
    target,
    nodes,
    zones,
    nodeIndices: names.nodeIndices(nodes),
    zoneIndices: names.zoneIndices(zones),
    regionIndex: names.regions.indexOf(target.split("/")[0]),
    forMs,
  };
}

function resolveWorkload(input: ScenarioInput, topology: ResolvedTopology, problems: Problem[]): ResolvedWorkload {
  const w = input.workload;
  const zones = topology.derived.zones;
  // Clients default to the leader's zone first, then the rest of its region.
  const leaderZone = topology.nodes.find((n) => n.name === topology.leader)?.zone ?? topology.nodes[0].zone;
  const leaderRegion = leaderZone.split("/")[0];
  const defaultZones = [leaderZone, ...topology.regions[leaderRegion].map((z) => `${leaderRegion}/${z}`).filter((z) => z !== leaderZone)];
  (w.zones ?? []).forEach((zone, i) => {
    if (!zones.includes(zone)) {
      const form = zone.includes("/") ? "" : ` (a zone is written "region/zone")`;
      problems.push({ path: ["workload", "zones", i], message: `unknown zone "${zone}"${form}; the topology's zones are ${zones.join(", ")}${didYouMean(zone, zones)}` });
    }
  });
  const d = SCENARIO_DEFAULTS.workload;
  const workload: ResolvedWorkload = {
    writes: w.writes,
    reads: w.reads ?? d.reads,
    clients: w.clients ?? d.clients,
    keys: w.keys ?? d.keys,
    writeSizeBytes: w.write_size ?? d.writeSizeBytes,
    timeoutMs: w.timeout ?? d.timeoutMs,
    zones: w.zones ?? defaultZones,
  };
  return workload;
}

/**
 * What one run would ask of the engine beyond its limits (requests, replica messages, memory, reconnections),
 * from the workload, duration, design and faults alone: the loader refuses such a scenario, and explore
 * projects its longest schedule with it before searching.
 */
export function runBudgetProblems(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, faults: readonly ResolvedFault[]): Problem[] {
  const problems: Problem[] = [];
  const operations = ((workload.writes + workload.reads) * durationMs) / 1000;
  if (operations > LIMITS.operationsPerRun) {
    problems.push({
      path: ["workload"],
      key: true,
      message: `${Math.round(operations).toLocaleString("en-US")} requests in one run (rate × duration) is above the limit of ${LIMITS.operationsPerRun.toLocaleString("en-US")}; shorten the scenario or lower the rates`,
    });
  } else {
    // The finer projections below only matter for a run the engine would take on at all.
    checkReplicaMessages(workload, durationMs, topology, problems);
    checkKeptWrites(workload, durationMs, topology, faults, problems);
  }
  checkReconnects(workload, durationMs, topology, faults, problems);
  return problems;
}

/**
 * The write records the engine would keep at once, projected from the design: writes/s × how long a write may
 * stay unsettled (see LIMITS.writesKeptPerRun), plus the backlog of replicas that replay slower than the leader
 * writes (each also holds it in its WAL stream), and whether recovery planning keeps every write's send time.
 */
export function projectedKeptWrites(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, faults: readonly ResolvedFault[]): { kept: number; streamEntries: number; reason: string; recoveryWrites: number } {
  const writes = (workload.writes * durationMs) / 1000;
  const mode = topology.replication.mode;
  const firstFaultMs = faults.length > 0 ? Math.min(...faults.map((f) => f.atMs)) : null;
  // Without faults a write settles within its timeout and a replication round trip; a few seconds covers both.
  const settleMs = workload.timeoutMs + 10_000;
  let windowMs = settleMs;
  let reason = "writes/s × the seconds a write takes to settle";
  if (mode === "leaderless" || mode === "multi-leader") [windowMs, reason] = [durationMs, `the ${mode} engine keeps every write`];
  else if (firstFaultMs !== null) [windowMs, reason] = [durationMs - firstFaultMs + settleMs, "from the first fault on, a node cut off or down keeps every write it misses"];
  const slow = topology.nodes.filter((n) => n.applyRate < workload.writes);
  const backlog = slow.length === 0 ? 0 : ((workload.writes - Math.min(...slow.map((n) => n.applyRate))) * durationMs) / 1000;
  if (backlog > 0) reason += `; a replica replays slower than the leader writes, so its backlog grows all run`;
  const kept = Math.min(writes, (workload.writes * Math.min(durationMs, windowMs)) / 1000 + backlog);
  const planning = faults.some((f) => f.kind === "bad_write" || f.kind === "restore_drill" || (f.kind === "lose" && f.forMs === null));
  return { kept, streamEntries: backlog * slow.length, reason, recoveryWrites: planning ? writes : 0 };
}

/**
 * The versions the nodes of a leaderless cluster hold: every node × key slot of the dense store, or in the map
 * store one per replica of each key written (N copies of at most min(keys, writes) keys; stand-ins of a sloppy
 * quorum hold copies in place of down replicas, not in addition).
 */
export function projectedVersions(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology): { versions: number; bytes: number } {
  const replication = topology.replication;
  if (replication.mode !== "leaderless") return { versions: 0, bytes: 0 };
  const slots = topology.nodes.length * workload.keys;
  if (slots <= LIMITS.denseVersionSlots) return { versions: slots, bytes: slots * LIMITS.bytesPerDenseVersionSlot };
  const versions = Math.min(workload.keys, (workload.writes * durationMs) / 1000) * replication.n;
  return { versions, bytes: versions * LIMITS.bytesPerStoredVersion };
}

/** Bytes as the memory messages print them: "1.6 GB", "40 MB". */
function memory(bytes: number): string {
  return bytes >= 1e8 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/** The memory one run may take for what grows with its writes: the limit that refuses a scenario. */
export const RUN_MEMORY_LIMIT_BYTES = LIMITS.writesKeptPerRun * LIMITS.bytesPerKeptWrite;

/**
 * The memory one run would take for what grows with its writes: kept write records, WAL streams of slow
 * replicas, send times for recovery planning, the versions the nodes hold. Runs side by side (simulate's
 * trial workers) each take this much.
 */
export function projectedRunBytes(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, faults: readonly ResolvedFault[]): number {
  const { kept, streamEntries, recoveryWrites } = projectedKeptWrites(workload, durationMs, topology, faults);
  const stored = projectedVersions(workload, durationMs, topology);
  return kept * LIMITS.bytesPerKeptWrite + streamEntries * LIMITS.bytesPerStreamEntry + recoveryWrites * LIMITS.bytesPerWriteForRecovery + stored.bytes;
}

/** Refuses a run whose kept write records and stored versions would not fit in memory, naming the knobs. */
function checkKeptWrites(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, faults: readonly ResolvedFault[], problems: Problem[]): void {
  const bytes = projectedRunBytes(workload, durationMs, topology, faults);
  const limitBytes = RUN_MEMORY_LIMIT_BYTES;
  if (bytes <= limitBytes) return;
  const { kept, streamEntries, reason, recoveryWrites } = projectedKeptWrites(workload, durationMs, topology, faults);
  const stored = projectedVersions(workload, durationMs, topology);
  const n = topology.replication.mode === "leaderless" ? topology.replication.n : 0;
  const count = (x: number) => Math.round(x).toLocaleString("en-US");
  // Every part that takes memory, with its share: the limit binds on their sum, not on any one count.
  const parts = [`${count(kept)} write records kept at once (${reason}) take about ${memory(kept * LIMITS.bytesPerKeptWrite)}`];
  if (streamEntries > 0) parts.push(`${count(streamEntries)} writes waiting in the WAL streams of the replicas that replay slower than the leader writes take about ${memory(streamEntries * LIMITS.bytesPerStreamEntry)}`);
  if (recoveryWrites > 0) parts.push(`the send times of all ${count(recoveryWrites)} writes, kept for the recovery planning, take about ${memory(recoveryWrites * LIMITS.bytesPerWriteForRecovery)}`);
  if (stored.bytes > 0) parts.push(`${count(stored.versions)} versions held by the nodes (each key written, on its N=${n} replicas) take about ${memory(stored.bytes)}`);
  const knobs =
    stored.bytes > 0
      ? "lower workload.writes, the topology's replication n, or shorten duration"
      : streamEntries > 0
        ? "lower workload.writes, raise the replicas' apply_rate, or shorten duration"
        : "lower workload.writes or shorten duration";
  problems.push({
    path: ["workload", "writes"],
    message: `${parts.join("; ")}${parts.length > 1 ? `: about ${memory(bytes)} in all` : ""}, above the memory limit of ${memory(limitBytes)}: ${knobs}`,
  });
}

/**
 * Refuses a leaderless run whose replica messages would take too long: each request goes to the N replicas of
 * its key and each answers, so the engine's work grows with N as well as with the rates and the duration.
 */
function checkReplicaMessages(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, problems: Problem[]): void {
  const replication = topology.replication;
  if (replication.mode !== "leaderless") return;
  const messages = (((workload.writes + workload.reads) * durationMs) / 1000) * 2 * replication.n;
  if (messages <= LIMITS.replicaMessagesPerRun) return;
  problems.push({
    path: ["workload"],
    key: true,
    message:
      `${Math.round(messages).toLocaleString("en-US")} replica messages in one run ((writes + reads) × duration × 2N: each request goes to the N=${replication.n} replicas of its key and each answers) ` +
      `is above the limit of ${LIMITS.replicaMessagesPerRun.toLocaleString("en-US")}; lower the topology's replication n, the rates, or shorten duration`,
  });
}

/**
 * Refuses a run whose clients could reconnect more often than the engine's bound on requests allows: after a
 * fault, a client without a leader retries every reconnect delay (its mean at the cap: half of
 * failover.reconnect.max with full jitter), for the rest of the run in the worst case, when nothing takes over.
 */
function checkReconnects(workload: ResolvedWorkload, durationMs: number, topology: ResolvedTopology, faults: readonly ResolvedFault[], problems: Problem[]): void {
  if (faults.length === 0) return;
  const reconnect = topology.failover.reconnect;
  const meanDelayMs = Math.max(1, reconnect.jitter === "full" ? reconnect.maxMs / 2 : reconnect.jitter === "equal" ? (3 * reconnect.maxMs) / 4 : reconnect.maxMs);
  const attempts = (workload.clients * (durationMs - Math.min(...faults.map((f) => f.atMs)))) / meanDelayMs;
  if (attempts <= LIMITS.operationsPerRun) return;
  problems.push({
    path: ["workload", "clients"],
    message:
      `up to ${Math.round(attempts).toLocaleString("en-US")} reconnection attempts in one run (clients × the time after the first fault ÷ the mean reconnect delay, ${formatDuration(meanDelayMs)} with reconnect max ${formatDuration(reconnect.maxMs)}) ` +
      `is above the limit of ${LIMITS.operationsPerRun.toLocaleString("en-US")}; raise failover.reconnect.max or lower workload.clients`,
  });
}

/** Compiles `expect:` once, reporting grammar problems and keys that are neither a data class nor a scenario-wide expectation. */
function resolveExpectations(input: ScenarioInput, topology: ResolvedTopology, problems: Problem[]): CompiledExpectations {
  const compiled = compileExpectations(input.expect ?? {});
  for (const problem of compiled.problems) problems.push({ path: problem.path, message: problem.message });
  const classes = topology.dataClasses.map((c) => c.name);
  const expectKeys = [...classes, ...globalExpectationKeys];
  for (const [key, value] of Object.entries(input.expect ?? {})) {
    const message = shapeProblem(key, value, classes, expectKeys);
    if (message !== null) problems.push({ path: ["expect", key], ...(message.key ? { key: true } : {}), message: message.text });
  }
  return compiled.expectations;
}

/** What is wrong with the shape of one top-level `expect:` entry, or null. */
function shapeProblem(key: string, value: unknown, classes: string[], expectKeys: string[]): { text: string; key?: boolean } | null {
  const isClass = classes.includes(key);
  const isGlobal = (globalExpectationKeys as readonly string[]).includes(key);
  const isMapping = typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isClass && !isGlobal) {
    return { key: true, text: `"${key}" is neither a data class nor a scenario-wide expectation${didYouMean(key, expectKeys)} (expected one of: ${expectKeys.join(", ")})` };
  }
  if (isClass && !isMapping) return { text: `expectations for data class "${key}" are a mapping such as { rpo: 0, rto: "<30s" }` };
  if (key === "recovery" && !isMapping) return { text: `"recovery" takes a mapping such as { method: pitr, lost_writes: 0, restore: "<1h" }` };
  if (isGlobal && key !== "timeline" && key !== "recovery" && typeof value === "object") {
    return { text: `"${key}" takes a value such as 0, false or "<5s", not ${Array.isArray(value) ? "a list" : "a mapping"}` };
  }
  if (key === "timeline" && !Array.isArray(value)) return { text: `"timeline" takes a list of events that must appear, e.g. [detect, promote]` };
  return null;
}
