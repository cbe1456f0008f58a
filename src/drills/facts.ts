// What a predict drill may state about its scenario, and where each fact
// comes from. A drill's title, prompt, note and model answer name facts as
// placeholders — `{topology.sync}`, `{failover.fencing}`, `{fault.crash.at}`,
// `{answer}` — and they are filled from the resolved scenario (the files, with
// presets and defaults applied) and from the engine's result. A setting typed
// into the prose could contradict the file it describes; a placeholder
// cannot.
//
// File facts come from loading the scenario (tens of milliseconds, so a
// drill's texts are filled when first read); engine facts only once the
// scenario has run, so they may appear in a model answer only, which is shown
// after grading.
//
// File facts (scenarioFacts has them all; a fact the scenario lacks, such as
// {topology.sync} without synchronous standbys, is an error):
//   scenario.file, topology, topology.file, topology.preset, topology.nodes,
//   topology.leader, topology.sync ("FIRST 1 (pg-b)"), topology.sync.names,
//   topology.sync.strict, topology.sync.mode, topology.sync.summary,
//   topology.commit, topology.sync_capable, topology.async_classes,
//   node.NAME.apply_rate, class.NAME.{share,rpo,rto,commit},
//   network.cross_region[.rtt|.p99], quorum.{n,w,r,kind},
//   failover.{mode,operator_delay,detection,ttl,loop_wait,heartbeat,misses,
//   detect,revoke_tick,fencing,fencing_time,election_time,promotion,endpoint,
//   check_interval,rise,dns_ttl,stale_clients,stale_for,coordinator},
//   failover.floor.{ttl,loop_wait,detect} (the lease Patroni 3.2 and later run
//   for the file's: ttl at least 20 s, loop_wait 1 s, retry_timeout 3 s),
//   patroni.{floors_since,unfloored,floor_ttl} ("Patroni 3.2", "Patroni 3.1", "20 s"),
//   preset.{ttl,loop_wait,detect}, backups.{summary,pitr_window,base_every,
//   data_size,throughput,wal_replay,merge,logical_restore,base_restore},
//   workload.{writes,reads,clients},
//   fault.KIND.{at,for,node,nodes,count,...} and fault.KIND.NODE.*,
//   lag.* (a replica slower than the commit rate), engine.lag_* (the
//   engine's lag alerting).
// Engine facts: {answer}, {event.NAME.at|after|node}, {result.PATH}, and
// {floor.answer} / {floor.choice}: the answer (and its bucket, or yes/no) of a
// run with the lease Patroni 3.2 and later run instead of the file's.
import { relative } from "node:path";
import { deriveDetection } from "../model/derived.js";
import { LEASE_REVOKE_TICK_MS, patroniRuns, PATRONI_FLOORS_MS, PATRONI_FLOORS_SINCE, PATRONI_LAST_UNFLOORED } from "../base/failover-timing.js";
import type { SimulationResult } from "../engine/result.js";
import { PRESETS, type PresetName } from "../model/presets.js";
import type { Latency } from "../model/schema.js";
import type { ResolvedFault, ResolvedScenario, ResolvedTopology } from "../model/types.js";
import { formatNumber } from "./exact.js";
import { PACKAGE_ROOT } from "./paths.js";
import { choiceOf, resolveField } from "./predict.js";
import type { DrillOf } from "./types.js";

/**
 * The engine's lag alerting, as src/engine/leader-follower.ts (lagSample)
 * applies it: lag is the age of the oldest write a replica has not applied
 * yet, sampled once a second; 5 s of lag warns, 30 s pages, and an alert
 * fires when two samples in a row agree (an alerting rule's `for:`). The
 * engine keeps these inside lagSample, so they are written down here for the
 * drills' explanations, and test/drills checks them against the engine's own
 * lag samples and alerts: if the engine changes, that test fails.
 */
export const ENGINE_LAG = { sampleMs: 1_000, warnMs: 5_000, pageMs: 30_000, inARow: 2 } as const;

export type Facts = ReadonlyMap<string, string>;

/** `{key}`: a letter, then anything but braces and spaces (field paths carry `[name]` and `=`). */
export const PLACEHOLDER = /\{([A-Za-z][^{}\s]*)\}/g;

/** Facts only a run of the scenario can supply. */
export function isEngineKey(key: string): boolean {
  return key === "answer" || key.startsWith("event.") || key.startsWith("result.") || key.startsWith("floor.");
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Replaces every placeholder `lookup` knows; the others stay as they are and are returned. */
export function fillTemplate(text: string, lookup: (key: string) => string | undefined): { text: string; left: string[] } {
  const left: string[] = [];
  const filled = text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = lookup(key);
    if (value === undefined) {
      left.push(key);
      return whole;
    }
    return value;
  });
  return { text: filled, left };
}

/**
 * Re-wraps prose after its facts were filled in (a fact is rarely as long as
 * its placeholder). Paragraphs are separated by blank lines; a paragraph with
 * a list item or an indented line keeps its lines.
 */
export function reflow(text: string, width = 76): string {
  const trailing = text.endsWith("\n") ? "\n" : "";
  return (
    text
      .trimEnd()
      .split(/\n[ \t]*\n/)
      .map((paragraph) => {
        const lines = paragraph.split("\n");
        if (lines.some((l) => /^(\s+\S|\s*(?:[-*•]|\d+\.)\s)/.test(l))) return paragraph;
        const out: string[] = [];
        let line = "";
        // A number stays on the line of what it counts ("30 s", "FIRST 1 (pg-b)").
        const words: string[] = [];
        for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
          const previous = words[words.length - 1];
          if (previous !== undefined && /(^|[^A-Za-z])[\d.,]*\d$|^\(?(FIRST|ANY)$/.test(previous) && !/^[-–—]$/.test(word)) words[words.length - 1] = `${previous} ${word}`;
          else words.push(word);
        }
        for (const word of words) {
          if (line.length > 0 && line.length + 1 + word.length > width) {
            out.push(line);
            line = word;
          } else line = line.length > 0 ? `${line} ${word}` : word;
        }
        if (line.length > 0) out.push(line);
        return out.join("\n");
      })
      .join("\n\n") + trailing
  );
}

// ---------------------------------------------------------------------------
// Formatting: numbers as the drills write them ("1,500", "10 s", "7 days").

function trim(value: number, digits: number): string {
  return formatNumber(Number(value.toFixed(digits)));
}

/** A duration: whole hours (up to a day), days, or minutes (from 5 min) when it is one, else seconds (milliseconds below 1 s). */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs === 0) return "0 s";
  if (abs < 1000) return `${trim(ms, 1)} ms`;
  const day = 86_400_000;
  if (abs % 3_600_000 === 0 && abs <= day) return `${formatNumber(ms / 3_600_000)} h`;
  if (abs % day === 0) return `${formatNumber(ms / day)} days`;
  if (abs % 3_600_000 === 0) return `${formatNumber(ms / 3_600_000)} h`;
  if (abs % 60_000 === 0 && abs >= 300_000) return `${formatNumber(ms / 60_000)} min`;
  if (abs < 600_000) return `${trim(ms / 1000, 1)} s`;
  return `${trim(ms / 60_000, 1)} min`;
}

export function percent(share: number): string {
  return `${trim(share * 100, 1)}%`;
}

function size(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trim(value, 1)} ${units[unit]}`;
}

/** "8–10 s" when both ends share a unit, else "500 ms–2 s". */
export function range(minMs: number, maxMs: number): string {
  const low = duration(minMs);
  const high = duration(maxMs);
  const unit = (d: string) => d.replace(/^[-\d.,]+ /, "");
  return unit(low) === unit(high) ? `${low.slice(0, low.length - unit(low).length - 1)}–${high}` : `${low}–${high}`;
}

/** "pg-b", "pg-b and pg-c", "n3, n4 and n5". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function median(latency: Latency): number | null {
  const l = latency as Record<string, unknown>;
  if (typeof l.median === "number") return l.median;
  if (l.lognormal && typeof (l.lognormal as { median?: unknown }).median === "number") return (l.lognormal as { median: number }).median;
  if (typeof l.constant === "number") return l.constant;
  return null;
}

const STATEMENTS: Record<string, string> = { "update-all": "UPDATE without a WHERE clause", delete: "DELETE", drop: "DROP TABLE" };

// ---------------------------------------------------------------------------
// File facts

/** Every fact the scenario's files give, by key. */
export function scenarioFacts(scenario: ResolvedScenario): Facts {
  const facts = new Map<string, string>();
  const set = (key: string, value: string | number) => facts.set(key, typeof value === "number" ? formatNumber(value) : value);
  const t = scenario.topology;
  const path = (file: string) => relative(PACKAGE_ROOT, file).split("\\").join("/");

  set("scenario", scenario.name);
  set("scenario.file", path(scenario.file));
  set("scenario.duration", duration(scenario.durationMs));
  set("topology", t.name);
  set("topology.file", scenario.topologyFile ? path(scenario.topologyFile) : `${path(scenario.file)} (inline)`);
  set("topology.preset", t.preset);
  set("topology.mode", t.replication.mode);
  set("topology.nodes", t.nodes.length);
  set("topology.node_names", list(t.nodes.map((n) => n.name)));
  if (t.leader) set("topology.leader", t.leader);

  designFacts(t, set);
  const r = t.replication;
  if (r.mode === "leader-follower" || r.mode === "consensus") failoverFacts(scenario, set);
  backupFacts(scenario, set);

  set("workload.writes", scenario.workload.writes);
  set("workload.reads", scenario.workload.reads);
  set("workload.clients", scenario.workload.clients);

  faultFacts(scenario, set);
  lagFacts(scenario, set);
  set("engine.lag_sample", duration(ENGINE_LAG.sampleMs));
  set("engine.lag_warn", duration(ENGINE_LAG.warnMs));
  set("engine.lag_page", duration(ENGINE_LAG.pageMs));
  set("engine.lag_in_a_row", ENGINE_LAG.inARow);
  return facts;
}

type Put = (key: string, value: string | number) => void;

/** The nodes, data classes and network of the topology. */
function designFacts(t: ResolvedTopology, set: Put): void {
  for (const n of t.nodes) {
    set(`node.${n.name}.zone`, n.zone);
    set(`node.${n.name}.apply_rate`, n.applyRate);
  }
  for (const c of t.dataClasses) {
    set(`class.${c.name}.share`, percent(c.share));
    set(`class.${c.name}.rpo`, duration(c.rpoMs));
    set(`class.${c.name}.rto`, duration(c.rtoMs));
    set(`class.${c.name}.commit`, c.commit);
    set(`class.${c.name}.consistency`, c.consistency);
  }
  for (const [key, latency] of [["same_zone", t.network.sameZone], ["cross_zone", t.network.crossZone], ["cross_region", t.network.crossRegion]] as const) {
    const m = median(latency);
    if (m === null) continue;
    set(`network.${key}`, duration(m));
    set(`network.${key}.rtt`, duration(2 * m));
    const p99 = (latency as { p99?: number }).p99 ?? (latency as { lognormal?: { p99?: number } }).lognormal?.p99;
    if (typeof p99 === "number") set(`network.${key}.p99`, duration(p99));
  }
  replicationFacts(t, set);
}

/** How the topology replicates: synchronous standbys, or the quorum of a leaderless store. */
function replicationFacts(t: ResolvedTopology, set: Put): void {
  const r = t.replication;
  if (r.mode === "leader-follower") {
    set("apply_rate", r.applyRate);
    const replicas = t.nodes.filter((n) => n.name !== t.leader);
    if (r.sync) {
      const spec = `${r.sync.method.toUpperCase()} ${r.sync.count} (${r.sync.names.join(", ")})`;
      set("topology.sync", spec);
      set("topology.sync.method", r.sync.method.toUpperCase());
      set("topology.sync.count", r.sync.count);
      set("topology.sync.names", list(r.sync.names));
      set("topology.sync.strict", String(r.sync.strict));
      set("topology.sync.mode", r.sync.strict ? "strict" : "non-strict");
      set("topology.sync.summary", `synchronous_standby_names = '${spec}', synchronous_commit = ${r.sync.commit}, strict: ${r.sync.strict}`);
      set("topology.commit", r.sync.commit);
      // Patroni re-picks sync standbys among healthy replicas (managed); plain PostgreSQL keeps to the list.
      const capable = r.sync.managed ? replicas.filter((n) => !n.nosync).map((n) => n.name) : r.sync.names;
      set("topology.sync_capable", list(capable));
      set("topology.sync_capable.count", capable.length);
    } else {
      set("topology.sync.summary", "asynchronous replicas only");
    }
    const waitless = t.dataClasses.filter((c) => c.commit === "local" || c.commit === "off").map((c) => c.name);
    if (waitless.length > 0) set("topology.async_classes", list(waitless));
  }
  if (r.mode === "leaderless") {
    set("quorum.n", r.n);
    set("quorum.w", r.w);
    set("quorum.r", r.r);
    set("quorum.kind", r.sloppyQuorum ? "sloppy" : "strict");
    if (r.sloppyQuorum) set("quorum.hint_window", duration(r.hintWindowMs));
  }
}

function failoverFacts(scenario: ResolvedScenario, set: Put): void {
  const f = scenario.topology.failover;
  set("failover.mode", f.mode);
  if (f.mode === "manual") set("failover.operator_delay", duration(f.operatorDelayMs));
  const d = f.detection;
  if (d.kind === "lease") {
    set("failover.detection", `a ${duration(d.ttlMs)} leader lease renewed every ${duration(d.loopWaitMs)} (loop_wait)`);
    set("failover.ttl", duration(d.ttlMs));
    set("failover.loop_wait", duration(d.loopWaitMs));
    set("failover.retry_timeout", duration(d.retryTimeoutMs));
    // etcd deletes an expired key on a tick, so the replicas see the lease gone up to this long after the ttl.
    set("failover.revoke_tick", duration(LEASE_REVOKE_TICK_MS));
    // What Patroni 3.2 and later run instead: the engine keeps the file's lease (as 3.1 and earlier do).
    const stated = d.given ?? d;
    const runs = patroniRuns(d.ttlMs, stated.loopWaitMs, stated.retryTimeoutMs);
    const floored = deriveDetection({ kind: "lease", ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs });
    set("failover.floor.ttl", duration(runs.ttlMs));
    set("failover.floor.loop_wait", duration(runs.loopWaitMs));
    set("failover.floor.detect", range(floored.minMs, floored.maxMs));
    set("patroni.floors_since", `Patroni ${PATRONI_FLOORS_SINCE}`);
    set("patroni.unfloored", `Patroni ${PATRONI_LAST_UNFLOORED}`);
    set("patroni.floor_ttl", duration(PATRONI_FLOORS_MS.ttlMs));
  } else {
    set("failover.detection", `heartbeats every ${duration(d.intervalMs)}, the leader declared dead after ${d.misses} misses`);
    set("failover.heartbeat", duration(d.intervalMs));
    set("failover.misses", d.misses);
  }
  const detect = scenario.topology.derived.detection;
  set("failover.detect_min", duration(detect.minMs));
  set("failover.detect_max", duration(detect.maxMs));
  set("failover.detect", range(detect.minMs, detect.maxMs));
  set("failover.fencing", f.fencing === "stonith" ? "STONITH fencing" : f.fencing === "lease" ? "lease fencing" : "no fencing");
  set("failover.fencing.kind", f.fencing);
  if (f.fencing === "stonith") set("failover.fencing_time", duration(f.fencingMs));
  set("failover.election", f.election);
  set("failover.election_time", duration(f.electionMs));
  set("failover.promotion", duration(f.promotionMs));
  set("failover.coordinator", list(f.coordinator));
  set("failover.max_lag", size(f.maximumLagBytes));
  const e = f.endpoint;
  set("failover.endpoint.kind", e.kind);
  if (e.kind === "proxy") {
    set("failover.endpoint", `a proxy that health-checks every ${duration(e.checkIntervalMs)} and needs ${e.rise} passing check${e.rise === 1 ? "" : "s"} to mark the new leader up`);
    set("failover.check_interval", duration(e.checkIntervalMs));
    set("failover.rise", e.rise);
  } else {
    set("failover.endpoint", `a DNS record with a ${duration(e.ttlMs)} TTL`);
    set("failover.dns_ttl", duration(e.ttlMs));
    if (e.staleShare > 0) {
      set("failover.stale_clients", percent(e.staleShare));
      set("failover.stale_for", duration(e.staleForMs));
    }
  }
  const preset = PRESETS[scenario.topology.preset as PresetName];
  if (preset?.failover.detection.kind === "lease") {
    const p = preset.failover.detection;
    set("preset.ttl", duration(p.ttlMs));
    set("preset.loop_wait", duration(p.loopWaitMs));
    const pr = deriveDetection(p);
    set("preset.detect_min", duration(pr.minMs));
    set("preset.detect_max", duration(pr.maxMs));
    set("preset.detect", range(pr.minMs, pr.maxMs));
  }
}

function backupFacts(scenario: ResolvedScenario, set: Put): void {
  const b = scenario.topology.backups;
  if (!b) {
    set("backups.summary", "no backups of any kind");
    return;
  }
  const parts: string[] = [];
  const reach = pitrReach(b);
  if (b.walArchive.mode !== "none") parts.push(`a ${b.walArchive.mode} WAL archive (PITR window ${reach})`);
  if (b.baseBackups) parts.push(`base backups every ${duration(b.baseBackups.everyMs)}, kept ${duration(b.baseBackups.retainMs)}`);
  if (b.logical) parts.push(`logical dumps of ${list(b.logical.classes)}`);
  if (b.auditLog) parts.push("an audit log");
  set("backups.summary", parts.length > 0 ? list(parts) : "a backups block with nothing in it");
  if (b.walArchive.mode !== "none") set("backups.pitr_window", reach);
  if (b.baseBackups) {
    set("backups.base_every", duration(b.baseBackups.everyMs));
    set("backups.base_retain", duration(b.baseBackups.retainMs));
  }
  set("backups.audit_log", b.auditLog ? "an audit log" : "no audit log");
  set("backups.data_size", size(b.restore.dataSizeBytes));
  set("backups.throughput", `${size(b.restore.throughputBytes)}/s`);
  set("backups.wal_replay", `${size(b.restore.walReplayBytes)}/s`);
  set("backups.merge", `${size(b.restore.mergeBytes)}/s`);
  if (b.logical) set("backups.logical_restore", `${size(b.logical.restoreBytes)}/s`);
  // Copying a base backup back: data size over restore throughput (no WAL to replay).
  set("backups.base_restore", duration((b.restore.dataSizeBytes / b.restore.throughputBytes) * 1000));
}

/**
 * How far back point-in-time restore reaches, as the engine plans it (recovery/bad-write.ts): pitr_window, or less
 * when the oldest base backup still kept is younger (the WAL before it expired with the backups before it). That
 * backup's age runs from `retain` down to `retain` minus `every` as the schedule turns, so a window the retention
 * can cut is stated as that range, with why.
 */
function pitrReach(b: NonNullable<ResolvedScenario["topology"]["backups"]>): string {
  const window = duration(b.pitrWindowMs);
  const base = b.baseBackups;
  if (base === null || base.retainMs - base.everyMs >= b.pitrWindowMs) return window;
  const low = Math.max(0, base.retainMs - base.everyMs);
  const high = Math.min(b.pitrWindowMs, base.retainMs);
  const reach = low === 0 ? `up to ${duration(high)}` : range(low, high);
  return `${reach} — pitr_window is ${window}, but a restore reaches back only to the oldest base backup still kept (taken every ${duration(base.everyMs)}, kept ${duration(base.retainMs)})`;
}

function faultNode(f: ResolvedFault): string | null {
  return "node" in f ? f.node : null;
}

function faultFacts(scenario: ResolvedScenario, set: Put): void {
  const byKind = new Map<string, ResolvedFault[]>();
  for (const f of scenario.faults) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  const props = (prefix: string, f: ResolvedFault) => {
    set(`${prefix}.at`, duration(f.atMs));
    const forMs = "forMs" in f ? f.forMs : null;
    if (forMs !== null) {
      set(`${prefix}.for`, duration(forMs));
      set(`${prefix}.until`, duration(f.atMs + forMs));
    }
    const node = faultNode(f);
    if (node) set(`${prefix}.node`, node);
    if (f.kind === "slow") set(`${prefix}.apply_rate`, f.applyRate);
    if (f.kind === "bad_write") {
      set(`${prefix}.class`, f.dataClass);
      set(`${prefix}.statement`, STATEMENTS[f.statement] ?? f.statement);
      set(`${prefix}.rows`, percent(f.rows));
      set(`${prefix}.noticed_after`, duration(f.noticedAfterMs));
    }
    if (f.kind === "partition") {
      f.sides.forEach((side, i) => {
        set(`${prefix}.side.${i}`, list(f.zones[i]?.length ? f.zones[i] : side));
        set(`${prefix}.nodes.${i}`, list(side));
      });
    }
    if (f.kind === "latency") set(`${prefix}.add`, duration(f.addMs));
  };
  for (const [kind, faults] of byKind) {
    props(`fault.${kind}`, faults[0]);
    set(`fault.${kind}.count`, faults.length);
    const nodes = [...new Set(faults.map(faultNode).filter((n): n is string => n !== null))];
    if (nodes.length > 0) set(`fault.${kind}.nodes`, list(nodes));
    for (const node of nodes) props(`fault.${kind}.${node}`, faults.find((f) => faultNode(f) === node)!);
  }
  const crashes = byKind.get("crash");
  if (crashes) {
    const together = crashes.filter((f) => f.atMs === crashes[0].atMs).length;
    set("fault.crash.together", together);
    set("fault.crash.survivors", scenario.topology.nodes.length - together);
  }
}

/**
 * A replica that applies fewer writes per second than the leader commits
 * falls behind for good. Lag in time is the age of the oldest write it has
 * not applied: after t seconds it has applied A·t writes, the ones the leader
 * committed in its first (A/W)·t seconds, so it is t·(W − A)/W behind. The
 * engine samples that every second and pages when enough samples in a row
 * are at or over its threshold.
 */
function lagFacts(scenario: ResolvedScenario, set: Put): void {
  const t = scenario.topology;
  if (t.replication.mode !== "leader-follower") return;
  const commit = scenario.workload.writes;
  const slow = scenario.faults.find((f): f is Extract<ResolvedFault, { kind: "slow" }> => f.kind === "slow" && f.applyRate < commit);
  const node = slow ? t.nodes.find((n) => n.name === slow.node) : t.nodes.find((n) => n.name !== t.leader && n.applyRate < commit);
  if (!node || commit <= 0) return;
  const apply = slow ? slow.applyRate : node.applyRate;
  const startMs = slow ? slow.atMs : 0;
  const growth = (commit - apply) / commit;
  // The first sample at or over the threshold, then as many more as an alert needs in a row.
  const at = (thresholdMs: number) => (Math.ceil((startMs + thresholdMs / growth) / ENGINE_LAG.sampleMs) + ENGINE_LAG.inARow - 1) * ENGINE_LAG.sampleMs;
  const pageAt = at(ENGINE_LAG.pageMs);
  const backlog = ((commit - apply) * (pageAt - startMs)) / 1000;
  set("lag.replica", node.name);
  set("lag.apply_rate", apply);
  set("lag.commit_rate", commit);
  set("lag.deficit", commit - apply);
  set("lag.growth", trim(growth, 3));
  set("lag.start", startMs === 0 ? "the start of the run" : `${duration(startMs)} into the run`);
  set("lag.warn_at", duration(at(ENGINE_LAG.warnMs)));
  set("lag.page_after", duration(ENGINE_LAG.pageMs / growth));
  set("lag.page_at", duration(pageAt));
  set("lag.page_backlog", Math.round(backlog));
  set("lag.drain", duration((backlog / apply) * 1000));
}

// ---------------------------------------------------------------------------
// Engine facts

/** The drill's value in a run with the lease Patroni 3.2 and later run ({floor.*}). */
export interface FlooredTruth {
  truth: number;
}

/** The engine's value in the drill's unit, as the grader prints it. */
export function formatTruth(value: number, unit: string | null | undefined): string {
  return `${formatNumber(value)}${unit ? ` ${unit}` : ""}`;
}

/**
 * `{answer}`: the truth in the drill's unit. `{event.NAME.at}`: when the first
 * NAME event happened, into the run; `.after`: after the first fault; `.node`:
 * where. `{result.PATH}`: any field of the result (a path as in `field:`),
 * a duration when its name ends in Ms. Undefined when the run has no such fact.
 */
export function engineFact(key: string, drill: DrillOf<"predict">, result: SimulationResult, truth: number, floored: FlooredTruth | null = null): string | undefined {
  if (key === "answer") return formatTruth(truth, drill.unit);
  if (key === "floor.answer") return floored ? formatTruth(floored.truth, drill.unit) : undefined;
  if (key === "floor.choice") return floored ? (choiceOf(drill, floored.truth) ?? undefined) : undefined;
  if (key.startsWith("event.")) {
    const m = /^event\.(.+)\.(at|after|node)$/.exec(key);
    if (!m) return undefined;
    const entry = result.timeline.find((e) => e.event === m[1]);
    if (!entry) return undefined;
    if (m[2] === "node") return entry.node;
    if (m[2] === "at") return duration(entry.atMs);
    if (result.firstFaultMs === null || entry.atMs < result.firstFaultMs) return undefined;
    return duration(entry.atMs - result.firstFaultMs);
  }
  if (key.startsWith("result.")) {
    const path = key.slice("result.".length);
    let value: number;
    try {
      value = resolveField(result, path);
    } catch {
      return undefined;
    }
    return /Ms$/.test(path) ? duration(value) : formatNumber(value);
  }
  return undefined;
}

/** Fills a model answer's engine facts; a fact the run does not have is an error, never a silent gap. */
export function renderModelAnswer(drill: DrillOf<"predict">, result: SimulationResult, truth: number, floored: FlooredTruth | null = null): string {
  const { text, left } = fillTemplate(drill.model_answer, (key) => engineFact(key, drill, result, truth, floored));
  if (left.length > 0) throw new Error(`drill ${drill.id}: the run of scenarios/${drill.scenario}.yaml has no ${left.map((k) => `{${k}}`).join(", ")}`);
  return reflow(text);
}
