// From validated input to the resolved model: presets and built-in defaults
// fill every optional key, names are cross-checked (a node's zone exists, a
// sync standby is a node, a fault names a real node), and each problem is
// reported with the path of the key at fault so the loader can place it.
import { DEFAULT_FSYNC, DEFAULT_NETWORK, DEFAULT_PRESET, PRESETS, type Preset } from "./presets.js";
import type { Latency } from "./schema.js";
import { globalExpectationKeys, LIMITS, type ScenarioInput, type TopologyInput } from "./schema.js";
import { didYouMean } from "./diagnostics.js";
import { compileExpectations } from "./expectations.js";
import { deriveSettings, majorityOf } from "./derived.js";
import type {
  Detection,
  Endpoint,
  ReadRouting,
  ResolvedBackups,
  ResolvedClass,
  ResolvedFailover,
  ResolvedFault,
  ResolvedNode,
  ResolvedReplication,
  ResolvedScenario,
  ResolvedTopology,
  ResolvedWorkload,
} from "./types.js";

export interface Problem {
  path: PropertyKey[];
  message: string;
  /** Point at the key rather than its value. */
  key?: boolean;
}

export function resolveTopology(input: TopologyInput): { topology: ResolvedTopology; problems: Problem[] } {
  const problems: Problem[] = [];
  const preset: Preset = PRESETS[input.preset ?? DEFAULT_PRESET];
  const regions = Object.fromEntries(Object.entries(input.regions).map(([region, r]) => [region, r.zones]));
  const regionNames = Object.keys(regions);
  const checkRegion = (region: string, path: PropertyKey[]) => {
    if (!(region in regions)) problems.push({ path, message: `unknown region "${region}"${didYouMean(region, regionNames)} (regions: ${regionNames.join(", ")})` });
  };

  const replicationInput = input.replication;
  const defaultApply = replicationInput.mode === "leader-follower" || replicationInput.mode === "multi-leader" ? (replicationInput.apply_rate ?? preset.applyRate) : preset.applyRate;

  const nodes: ResolvedNode[] = Object.entries(input.nodes).map(([name, n], index) => {
    const [region, zone] = n.zone.split("/");
    if (!(region in regions)) checkRegion(region, ["nodes", name, "zone"]);
    else if (!regions[region].includes(zone)) {
      problems.push({ path: ["nodes", name, "zone"], message: `region "${region}" has no zone "${zone}"${didYouMean(zone, regions[region])} (zones: ${regions[region].join(", ")})` });
    }
    return {
      name,
      index,
      region,
      zone: n.zone,
      role: n.role ?? "replica",
      nofailover: n.nofailover ?? false,
      nosync: n.nosync ?? false,
      failoverPriority: n.failover_priority ?? 1,
      applyRate: n.apply_rate ?? defaultApply,
    };
  });
  const nodeNames = nodes.map((n) => n.name);

  let leader: string | null = null;
  if (replicationInput.mode === "leader-follower" || replicationInput.mode === "consensus") {
    const leaders = nodes.filter((n) => n.role === "leader");
    if (leaders.length > 1) {
      for (const extra of leaders.slice(1)) problems.push({ path: ["nodes", extra.name, "role"], message: `only one node may start as the leader; "${leaders[0].name}" already is` });
    }
    leader = (leaders[0] ?? nodes[0]).name;
    for (const n of nodes) n.role = n.name === leader ? "leader" : "replica";
  }

  const replication = resolveReplication(input, preset, nodes, leader, regions, problems);
  const checkZone = (region: string, zone: string, path: PropertyKey[]) =>
    problems.push({ path, message: `region "${region}" has no zone "${zone}"${didYouMean(zone, regions[region])} (zones: ${regions[region].join(", ")})` });
  let failover = resolveFailover(input, preset, nodes, leader, checkRegion, checkZone);
  if (replication.mode === "consensus") failover = consensusFailover(failover, replication, input.network?.["cross-region"]);
  const backups = resolveBackups(input, checkRegion, problems);
  const dataClasses = resolveClasses(input, preset, replication, problems);

  if (input.backups?.logical) {
    input.backups.logical.classes.forEach((c, i) => {
      if (!dataClasses.some((d) => d.name === c)) problems.push({ path: ["backups", "logical", "classes", i], message: `unknown data class "${c}"${didYouMean(c, dataClasses.map((d) => d.name))}` });
    });
  }
  void nodeNames;

  const network = {
    sameZone: input.network?.["same-zone"] ?? DEFAULT_NETWORK.sameZone,
    crossZone: input.network?.["cross-zone"] ?? DEFAULT_NETWORK.crossZone,
    crossRegion: input.network?.["cross-region"] ?? DEFAULT_NETWORK.crossRegion,
  };

  return {
    topology: {
      name: input.name,
      description: input.description ?? null,
      preset: input.preset ?? DEFAULT_PRESET,
      regions,
      network,
      nodes,
      leader,
      replication,
      fsync: input.storage?.fsync ?? DEFAULT_FSYNC,
      failover,
      backups,
      dataClasses,
      ignore: input.ignore ?? [],
      derived: deriveSettings({ nodes, replication, failover }),
    },
    problems,
  };
}

function resolveReplication(
  input: TopologyInput,
  preset: Preset,
  nodes: ResolvedNode[],
  leader: string | null,
  regions: Record<string, string[]>,
  problems: Problem[],
): ResolvedReplication {
  const r = input.replication;
  const nodeNames = nodes.map((n) => n.name);
  switch (r.mode) {
    case "leader-follower": {
      let sync: ResolvedReplication & { mode: "leader-follower" } extends { sync: infer S } ? S : never = null;
      if (r.synchronous) {
        const spec = r.synchronous.standbys;
        spec.names.forEach((name, i) => {
          if (!nodeNames.includes(name)) {
            problems.push({ path: ["replication", "synchronous", "standbys"], message: `synchronous standby "${name}" is not a node${didYouMean(name, nodeNames)} (nodes: ${nodeNames.join(", ")})` });
          } else if (name === leader) {
            problems.push({ path: ["replication", "synchronous", "standbys"], message: `"${name}" is the leader; it cannot be its own synchronous standby` });
          }
          void i;
        });
        sync = {
          ...spec,
          commit: r.synchronous.commit ?? preset.commit,
          strict: r.synchronous.strict ?? preset.strict,
          managed: r.synchronous.managed ?? preset.managedSync,
          degradeAfterMs: r.synchronous.degrade_after ?? preset.degradeAfterMs,
          whenNone: r.synchronous.when_none ?? "block",
        };
      } else if (preset.implicitSync === "majority" && nodes.length > 1) {
        const others = nodes.filter((n) => n.name !== leader).map((n) => n.name);
        sync = { method: "any", count: Math.floor(nodes.length / 2), names: others, commit: preset.commit, strict: preset.strict, managed: preset.managedSync, degradeAfterMs: preset.degradeAfterMs, whenNone: "block" };
      }
      return { mode: "leader-follower", sync, applyRate: r.apply_rate ?? preset.applyRate, batchMs: r.wal_sender_batch ?? 1 };
    }
    case "leaderless": {
      if (r.n !== undefined && r.n > nodes.length) problems.push({ path: ["replication", "n"], message: `n = ${r.n} copies of each key, but the topology has only ${nodes.length} nodes` });
      // Left out, n, w and r come from the preset (fewer copies when there are fewer nodes; then a majority of n).
      const n = r.n ?? Math.min(preset.leaderless.n, nodes.length);
      const majority = majorityOf(n);
      const w = r.w ?? (n === preset.leaderless.n ? preset.leaderless.w : majority);
      const reads = r.r ?? (n === preset.leaderless.n ? preset.leaderless.r : majority);
      // W or R above N is a design error the linter reports (quorum-exceeds-n); the engine then refuses those requests.
      const skew = r.clock_skew ?? {};
      for (const name of Object.keys(skew)) {
        if (!nodeNames.includes(name)) problems.push({ path: ["replication", "clock_skew", name], key: true, message: `unknown node "${name}"${didYouMean(name, nodeNames)}` });
      }
      return {
        mode: "leaderless",
        n,
        w,
        r: reads,
        sloppyQuorum: r.sloppy_quorum ?? preset.leaderless.sloppyQuorum,
        hintWindowMs: r.hinted_handoff?.window ?? preset.leaderless.hintWindowMs,
        readRepair: r.read_repair ?? preset.leaderless.readRepair,
        conflict: r.conflict ?? preset.leaderless.conflict,
        vnodes: r.vnodes ?? 16,
        clockSkewMs: skew,
      };
    }
    case "multi-leader": {
      const leaders = r.leaders ?? regionsWithNodes(nodes);
      if (r.leaders === undefined && leaders.length < 2) {
        problems.push({ path: ["replication", "mode"], message: `multi-leader needs nodes in at least two regions (one leader each); this topology has nodes in ${leaders.length}` });
      }
      leaders.forEach((region, i) => {
        if (!(region in regions)) problems.push({ path: ["replication", "leaders", i], message: `unknown region "${region}"${didYouMean(region, Object.keys(regions))}` });
        else if (!nodes.some((n) => n.region === region)) problems.push({ path: ["replication", "leaders", i], message: `region "${region}" has no node to lead it` });
      });
      return { mode: "multi-leader", leaders, conflict: r.conflict ?? "lww", routing: r.routing ?? "any", applyRate: r.apply_rate ?? preset.applyRate };
    }
    case "consensus": {
      const members = r.members ?? regionsWithNodes(nodes);
      members.forEach((region, i) => {
        if (!(region in regions)) problems.push({ path: ["replication", "members", i], message: `unknown region "${region}"${didYouMean(region, Object.keys(regions))}` });
      });
      return {
        mode: "consensus",
        members,
        electionTimeoutMs: r.election_timeout ?? preset.consensus.electionTimeoutMs,
        heartbeatMs: r.heartbeat ?? preset.consensus.heartbeatMs,
      };
    }
  }
}

/** The regions that hold at least one node, in the order their first node appears. */
function regionsWithNodes(nodes: ResolvedNode[]): string[] {
  return [...new Set(nodes.map((n) => n.region))];
}

function resolveFailover(
  input: TopologyInput,
  preset: Preset,
  nodes: ResolvedNode[],
  leader: string | null,
  checkRegion: (region: string, path: PropertyKey[]) => void,
  checkZone: (region: string, zone: string, path: PropertyKey[]) => void,
): ResolvedFailover {
  const f = input.failover ?? {};
  const p = preset.failover;
  let detection: Detection = p.detection;
  if (f.detection) {
    if ("ttl" in f.detection) {
      const base = p.detection.kind === "lease" ? p.detection : { loopWaitMs: 10_000, retryTimeoutMs: 10_000 };
      detection = { kind: "lease", ttlMs: f.detection.ttl, loopWaitMs: f.detection.loop_wait ?? base.loopWaitMs, retryTimeoutMs: f.detection.retry_timeout ?? base.retryTimeoutMs };
    } else {
      detection = { kind: "heartbeat", intervalMs: f.detection.heartbeat, misses: f.detection.misses };
    }
  }
  let endpoint: Endpoint = p.endpoint;
  if (f.endpoint) {
    if (f.endpoint.kind === "dns") {
      const base = p.endpoint.kind === "dns" ? p.endpoint : { ttlMs: 60_000, staleShare: 0, staleForMs: 0 };
      endpoint = { kind: "dns", ttlMs: f.endpoint.ttl ?? base.ttlMs, staleShare: f.endpoint.stale_clients ?? base.staleShare, staleForMs: f.endpoint.stale_for ?? base.staleForMs };
    } else {
      const base = p.endpoint.kind === "proxy" ? p.endpoint : { checkIntervalMs: 1000, checkTimeoutMs: 1000, rise: 1, fall: 3 };
      endpoint = {
        kind: "proxy",
        checkIntervalMs: f.endpoint.check_interval ?? base.checkIntervalMs,
        checkTimeoutMs: f.endpoint.check_timeout ?? base.checkTimeoutMs,
        rise: f.endpoint.rise ?? base.rise,
        fall: f.endpoint.fall ?? base.fall,
      };
    }
  }
  const leaderRegion = nodes.find((n) => n.name === leader)?.region ?? nodes[0].region;
  let coordinator: string[] = [leaderRegion];
  if (f.coordinator !== undefined) {
    coordinator = Array.isArray(f.coordinator) ? f.coordinator : [f.coordinator];
    coordinator.forEach((place, i) => {
      const path = Array.isArray(f.coordinator) ? ["failover", "coordinator", i] : ["failover", "coordinator"];
      const [region, zone] = place.split("/");
      checkRegion(region, path);
      const zones = input.regions[region]?.zones;
      if (zone !== undefined && zones && !zones.includes(zone)) checkZone(region, zone, path);
    });
  }
  return {
    mode: f.mode ?? p.mode,
    operatorDelayMs: f.operator_delay ?? p.operatorDelayMs,
    detection,
    coordinator,
    fencing: f.fencing ?? p.fencing,
    fencingMs: f.fencing_time ?? (f.fencing === "stonith" && p.fencing !== "stonith" ? 2000 : p.fencingMs),
    election: f.election ?? p.election,
    electionMs: f.election_time ?? p.electionMs,
    maximumLagBytes: f.maximum_lag_on_failover ?? p.maximumLagBytes,
    laggingCandidates: f.lagging_candidates ?? p.laggingCandidates,
    promotionMs: f.promotion ?? p.promotionMs,
    endpoint,
    reconnect: {
      backoffMs: f.reconnect?.backoff ?? p.reconnect.backoffMs,
      maxMs: f.reconnect?.max ?? p.reconnect.maxMs,
      jitter: f.reconnect?.jitter ?? p.reconnect.jitter,
    },
    acceptRate: f.accept_rate ?? p.acceptRate,
  };
}

/**
 * A consensus group fails over by its own protocol (Raft): followers that miss
 * heartbeats for an election timeout campaign, a candidate needs a majority of
 * the members, the leader steps down when it loses its majority (check-quorum,
 * leader leases). The group's members are its coordinator.
 */
function consensusFailover(
  failover: ResolvedFailover,
  replication: ResolvedReplication & { mode: "consensus" },
  crossRegion: Latency | undefined,
): ResolvedFailover {
  const rtt = 2 * medianMs(crossRegion ?? DEFAULT_NETWORK.crossRegion);
  return {
    ...failover,
    mode: "automatic",
    detection: { kind: "heartbeat", intervalMs: replication.heartbeatMs, misses: Math.max(1, Math.ceil(replication.electionTimeoutMs / replication.heartbeatMs)) },
    coordinator: replication.members,
    fencing: "lease",
    fencingMs: 0,
    election: "highest-lsn",
    // A candidate asks every member for its vote: one round trip across regions.
    electionMs: Math.round(rtt),
    promotionMs: 0,
    laggingCandidates: "wait",
  };
}

/** The median of a latency given as { median } or { lognormal: { median } }, else a rough centre. */
function medianMs(latency: Latency): number {
  const l = latency as Record<string, unknown>;
  if (typeof l.median === "number") return l.median;
  if (l.lognormal && typeof (l.lognormal as { median?: number }).median === "number") return (l.lognormal as { median: number }).median;
  if (typeof l.constant === "number") return l.constant;
  return 35;
}

function resolveBackups(input: TopologyInput, checkRegion: (region: string, path: PropertyKey[]) => void, problems: Problem[]): ResolvedBackups | null {
  const b = input.backups;
  if (!b) return null;
  const day = 86_400_000;
  if (b.wal_archive?.region) checkRegion(b.wal_archive.region, ["backups", "wal_archive", "region"]);
  if (b.base_backups?.region) checkRegion(b.base_backups.region, ["backups", "base_backups", "region"]);
  if (b.base_backups?.copy_to) checkRegion(b.base_backups.copy_to, ["backups", "base_backups", "copy_to"]);
  void problems;
  return {
    walArchive: {
      mode: b.wal_archive?.mode ?? (b.wal_archive ? "continuous" : "none"),
      archiveTimeoutMs: b.wal_archive?.archive_timeout ?? 60_000,
      everyMs: b.wal_archive?.every ?? 300_000,
      region: b.wal_archive?.region ?? null,
    },
    baseBackups: b.base_backups
      ? { everyMs: b.base_backups.every, retainMs: b.base_backups.retain, region: b.base_backups.region ?? null, copyTo: b.base_backups.copy_to ?? null }
      : null,
    pitrWindowMs: b.pitr_window ?? (b.wal_archive ? 7 * day : 0),
    restore: {
      throughputBytes: b.restore?.throughput ?? 200 * 1024 ** 2,
      walReplayBytes: b.restore?.wal_replay ?? 50 * 1024 ** 2,
      dataSizeBytes: b.restore?.data_size ?? 100 * 1024 ** 3,
    },
    detectionMs: b.detection ?? 0,
    drill: b.drill ? { everyMs: b.drill.every ?? 30 * day, last: b.drill.last ?? null } : null,
    logical: b.logical ? { classes: b.logical.classes, everyMs: b.logical.every ?? day, retainMs: b.logical.retain ?? 90 * day } : null,
    auditLog: b.audit_log ?? false,
    guards: { unqualifiedDml: b.guards?.unqualified_dml ?? "allow" },
  };
}

function resolveClasses(input: TopologyInput, preset: Preset, replication: ResolvedReplication, problems: Problem[]): ResolvedClass[] {
  const entries = Object.entries(input.data_classes);
  const given = entries.filter(([, c]) => c.share !== undefined).reduce((sum, [, c]) => sum + (c.share ?? 0), 0);
  const missing = entries.filter(([, c]) => c.share === undefined).length;
  if (given > 1.0001) {
    problems.push({ path: ["data_classes"], key: true, message: `the data classes' shares add up to ${round(given)}; they must add up to 1 (100%)` });
  } else if (missing === 0 && Math.abs(given - 1) > 0.0001) {
    problems.push({ path: ["data_classes"], key: true, message: `the data classes' shares add up to ${round(given)}; they must add up to 1 (100%), or leave some out to share the rest` });
  }
  const rest = missing > 0 ? Math.max(0, 1 - given) / missing : 0;
  const syncCommit = replication.mode === "leader-follower" && replication.sync ? replication.sync.commit : preset.commit;
  return entries.map(([name, c], index) => {
    const consistency = c.consistency ?? "eventual";
    let reads: ReadRouting;
    if (c.reads === undefined) reads = consistency === "strong" ? { kind: "leader" } : consistency === "read-your-writes" ? { kind: "session" } : { kind: "any" };
    else if (typeof c.reads === "string") reads = { kind: c.reads };
    else reads = { kind: "max_lag", bytes: c.reads.max_lag };
    if ((c.r !== undefined || c.w !== undefined) && replication.mode !== "leaderless") {
      problems.push({ path: ["data_classes", name, c.r !== undefined ? "r" : "w"], key: true, message: `per-class r and w apply only to replication mode "leaderless" (this topology is "${replication.mode}")` });
    }
    return {
      name,
      index,
      rpoMs: c.rpo,
      rtoMs: c.rto,
      share: c.share ?? rest,
      consistency,
      commit: c.commit ?? syncCommit,
      reads,
      r: c.r ?? null,
      w: c.w ?? null,
    };
  });
}

const round = (v: number) => Math.round(v * 1000) / 1000;

// ---------------------------------------------------------------------------
// Scenarios

export function resolveScenario(
  input: ScenarioInput,
  topology: ResolvedTopology,
  file: string,
  topologyFile: string | null,
): { scenario: ResolvedScenario; problems: Problem[] } {
  const problems: Problem[] = [];
  const nodeNames = topology.nodes.map((n) => n.name);
  const zones = Object.entries(topology.regions).flatMap(([region, zs]) => zs.map((z) => `${region}/${z}`));
  const regions = Object.keys(topology.regions);

  const checkNode = (name: string, path: PropertyKey[]) => {
    if (!nodeNames.includes(name)) problems.push({ path, message: `unknown node "${name}"${didYouMean(name, nodeNames)} (nodes: ${nodeNames.join(", ")})` });
  };
  /** A partition side or latency side may name nodes, zones ("region/zone") or regions. */
  const expand = (items: string[], path: PropertyKey[]): string[] => {
    const out: string[] = [];
    items.forEach((item, i) => {
      if (nodeNames.includes(item)) out.push(item);
      else if (zones.includes(item)) out.push(...topology.nodes.filter((n) => n.zone === item).map((n) => n.name));
      else if (regions.includes(item)) out.push(...topology.nodes.filter((n) => n.region === item).map((n) => n.name));
      else problems.push({ path: [...path, i], message: `"${item}" is not a node, zone or region of the topology${didYouMean(item, [...nodeNames, ...zones, ...regions])}` });
    });
    return [...new Set(out)];
  };

  /** The zones a side covers through its zone and region entries (nodes named alone place no clients). */
  const zonesOf = (items: string[]): string[] => [
    ...new Set(items.flatMap((item) => (zones.includes(item) ? [item] : regions.includes(item) ? topology.regions[item].map((z) => `${item}/${z}`) : []))),
  ];

  const duration = input.duration;
  const faults: ResolvedFault[] = (input.faults ?? []).map((f, i): ResolvedFault => {
    const path = ["faults", i];
    if (f.at > duration) problems.push({ path: [...path, "at"], message: `the fault is at ${f.at / 1000}s, after the scenario ends (duration ${duration / 1000}s)` });
    const forMs = f.for ?? null;
    if (f.crash !== undefined) return checkNode(f.crash, [...path, "crash"]), { atMs: f.at, kind: "crash", node: f.crash, forMs };
    if (f.recover !== undefined) return checkNode(f.recover, [...path, "recover"]), { atMs: f.at, kind: "recover", node: f.recover };
    if (f.stall !== undefined) return checkNode(f.stall, [...path, "stall"]), { atMs: f.at, kind: "stall", node: f.stall, forMs };
    if (f.slow !== undefined) return checkNode(f.slow, [...path, "slow"]), { atMs: f.at, kind: "slow", node: f.slow, applyRate: f.apply_rate ?? 0, forMs };
    if (f.promote_fails !== undefined) return checkNode(f.promote_fails, [...path, "promote_fails"]), { atMs: f.at, kind: "promote_fails", node: f.promote_fails };
    if (f.rebuild !== undefined) return checkNode(f.rebuild, [...path, "rebuild"]), { atMs: f.at, kind: "rebuild", node: f.rebuild };
    if (f.partition !== undefined) {
      const sides = f.partition.map((side, s) => expand(side, [...path, "partition", s]));
      return { atMs: f.at, kind: "partition", sides, zones: f.partition.map(zonesOf), forMs };
    }
    if (f.heal !== undefined) return { atMs: f.at, kind: "heal" };
    if (f.latency !== undefined) {
      const between: [string[], string[]] = [expand(f.latency.between[0], [...path, "latency", "between", 0]), expand(f.latency.between[1], [...path, "latency", "between", 1])];
      return { atMs: f.at, kind: "latency", between, addMs: f.latency.add, forMs };
    }
    if (f.lose !== undefined) {
      const target = f.lose;
      const nodes = expand([target], [...path, "lose"]);
      if (nodeNames.includes(target)) problems.push({ path: [...path, "lose"], message: `"lose" takes a zone ("region/zone") or a region; use "crash: ${target}" for one node` });
      return { atMs: f.at, kind: "lose", target, nodes, zones: zonesOf([target]), forMs };
    }
    if (f.bad_write !== undefined) {
      const classes = topology.dataClasses.map((c) => c.name);
      if (!classes.includes(f.bad_write.class)) problems.push({ path: [...path, "bad_write", "class"], message: `unknown data class "${f.bad_write.class}"${didYouMean(f.bad_write.class, classes)}` });
      return {
        atMs: f.at,
        kind: "bad_write",
        dataClass: f.bad_write.class,
        statement: f.bad_write.statement,
        rows: f.bad_write.rows ?? 1,
        noticedAfterMs: f.bad_write.noticed_after ?? topology.backups?.detectionMs ?? 0,
      };
    }
    if (f.archive_fails !== undefined) return { atMs: f.at, kind: "archive_fails", forMs };
    return { atMs: f.at, kind: "restore_drill" };
  });

  const w = input.workload;
  const leaderZone = topology.nodes.find((n) => n.name === topology.leader)?.zone ?? topology.nodes[0].zone;
  const leaderRegion = leaderZone.split("/")[0];
  const defaultZones = [leaderZone, ...topology.regions[leaderRegion].map((z) => `${leaderRegion}/${z}`).filter((z) => z !== leaderZone)];
  (w.zones ?? []).forEach((zone, i) => {
    if (!zones.includes(zone)) problems.push({ path: ["workload", "zones", i], message: `unknown zone "${zone}"${didYouMean(zone, zones)}` });
  });
  const workload: ResolvedWorkload = {
    writes: w.writes,
    reads: w.reads ?? 0,
    clients: w.clients ?? 100,
    keys: w.keys ?? 10_000,
    writeSizeBytes: w.write_size ?? 1024,
    timeoutMs: w.timeout ?? 1000,
    zones: w.zones ?? defaultZones,
  };
  const operations = ((workload.writes + workload.reads) * duration) / 1000;
  if (operations > LIMITS.operationsPerRun) {
    problems.push({
      path: ["workload"],
      key: true,
      message: `${Math.round(operations).toLocaleString("en-US")} requests in one run (rate × duration) is above the limit of ${LIMITS.operationsPerRun.toLocaleString("en-US")}; shorten the scenario or lower the rates`,
    });
  }

  const compiled = compileExpectations(input.expect ?? {});
  for (const problem of compiled.problems) problems.push({ path: problem.path, message: problem.message });
  const classes = topology.dataClasses.map((c) => c.name);
  const expectKeys = [...classes, ...globalExpectationKeys];
  for (const [key, value] of Object.entries(input.expect ?? {})) {
    const isClass = classes.includes(key);
    const isGlobal = (globalExpectationKeys as readonly string[]).includes(key);
    if (!isClass && !isGlobal) {
      problems.push({ path: ["expect", key], key: true, message: `"${key}" is neither a data class nor a scenario-wide expectation${didYouMean(key, expectKeys)} (expected one of: ${expectKeys.join(", ")})` });
    } else if (isClass && (typeof value !== "object" || value === null || Array.isArray(value))) {
      problems.push({ path: ["expect", key], message: `expectations for data class "${key}" are a mapping such as { rpo: 0, rto: "<30s" }` });
    } else if (key === "recovery" && (typeof value !== "object" || value === null || Array.isArray(value))) {
      problems.push({ path: ["expect", key], message: `"recovery" takes a mapping such as { method: pitr, lost_writes: 0, restore: "<1h" }` });
    } else if (isGlobal && key !== "timeline" && key !== "recovery" && typeof value === "object") {
      problems.push({ path: ["expect", key], message: `"${key}" takes a value such as 0, false or "<5s", not ${Array.isArray(value) ? "a list" : "a mapping"}` });
    } else if (key === "timeline" && !Array.isArray(value)) {
      problems.push({ path: ["expect", key], message: `"timeline" takes a list of events that must appear, e.g. [detect, promote]` });
    }
  }

  return {
    scenario: {
      name: input.name,
      description: input.description ?? null,
      file,
      topologyFile,
      topology,
      seed: input.seed ?? 1,
      durationMs: duration,
      workload,
      faults: faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atMs - b.f.atMs || a.i - b.i).map(({ f }) => f),
      expect: input.expect ?? {},
      expectations: compiled.expectations,
      ignore: input.ignore ?? [],
    },
    problems,
  };
}
