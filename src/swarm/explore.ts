// `explore`'s core: random fault schedules against the user's design (its
// nodes, zones and regions), run with a workload derived from the design, and
// the worst outcomes found — the largest RPO and the longest RTO of each data
// class, the longest split brain, every oracle violation — each kept as a
// replayable scenario with a one-line story. No files are written here.
import { join, relative } from "node:path";
import type { SimulationResult } from "../engine/result.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedScenario, ResolvedTopology } from "../model/types.js";
import { formatDuration } from "../base/units.js";
import { judgedKeyOutage } from "../engine/key-outages.js";
import { keyShareText } from "../report/simulate/timeline.js";
import { finishCase, resolve } from "./generate.js";
import { Rng } from "./random.js";
import { runScenario } from "./run.js";
import { FAULT_KINDS, FIRST_FAULT_MS, generateSchedule, layoutOfTopology, type FaultKind, type Layout } from "./schedule.js";
import type { CaseSpec, WorkloadSpec } from "./spec.js";
import { story } from "./story.js";

export const EXPLORE_DEFAULTS = { schedules: 100, seed: 1, writes: 200 } as const;
export const EXPLORE_LIMITS = { schedules: 10_000 } as const;
/** Long enough for Patroni's default 30 s lease and a full recovery after the last fault. */
export const DURATION_CAP_MS = 180_000;

export interface ExploreOptions {
  /** The topology file as the user named it, and where scenarios will be written (both resolved against the cwd). */
  topologyFile: string;
  outDir: string;
  schedules: number;
  seed: number;
  kinds: readonly FaultKind[];
  writes: number;
}

export type FindingKind = "rpo" | "rto" | "split-brain" | "violation";

export interface Finding {
  kind: FindingKind;
  /** The data class (rpo, rto) or the oracle (violation). */
  subject: string | null;
  targetMs: number | null;
  /** Lost writes (rpo), ms (rto, split-brain; null: never recovered), findings count (violation). */
  value: number | null;
  /** The figure in words: "4,179 lost · 40s window", "never", "35.4s". */
  label: string;
  broken: boolean;
  story: string;
  /** Where explore suggests saving the scenario (inside outDir). */
  fileName: string;
  spec: CaseSpec;
  /** The schedule's index in the plan, from 0; every output counts from 1 (scheduleNumber, report/explore/json.ts). */
  schedule: number;
  /** Violations: what the oracle found. */
  details?: string[];
  /** The run that found it, which the HTML page draws as swimlanes (the JSON leaves it out). */
  result?: SimulationResult;
}

export interface ExploreReport {
  topology: string;
  topologyFile: string;
  seed: number;
  schedules: number;
  kinds: FaultKind[];
  workload: WorkloadSpec;
  findings: Finding[];
  /** Whether some schedule broke a data class's RPO or RTO target. */
  targetsBroken: boolean;
}

/** A workload any design can take: writes (and, for quorum designs, whose failure is a stale read, as many reads) from clients in every zone, so partitions leave clients on each side. */
export function exploreWorkload(topology: ResolvedTopology, writes: number): WorkloadSpec {
  const zones = Object.entries(topology.regions).flatMap(([r, zs]) => zs.map((z) => `${r}/${z}`));
  const reads = topology.replication.mode === "leaderless" ? writes : 0;
  return { writes: Math.min(writes, LIMITS.writesPerSecond), reads, clients: Math.min(60, 10 * zones.length), keys: 10_000, zones };
}

/**
 * The search in three steps, so that it can be split across threads and
 * machines and still give exactly one answer: plan every schedule up front
 * (one seeded stream, in order: cheap), run each schedule on its own (any
 * thread, any machine: a schedule's findings depend on nothing but its plan),
 * then fold the findings in schedule order (`foldFindings`; ties go to the
 * earlier schedule, so any split folds to the same worst cases).
 */
export function planSchedules(topology: ResolvedTopology, options: ExploreOptions): CaseSpec[] {
  const layout = layoutOfTopology(topology);
  const workload = exploreWorkload(topology, options.writes);
  const rng = new Rng(options.seed);
  return Array.from({ length: options.schedules }, (_, index) => scheduleCase(rng, layout, topology, options, workload, index));
}

/** What schedule `index` (planned as `spec`) finds: nothing when its plan holds no fault. */
export function scheduleFindings(topology: ResolvedTopology, options: ExploreOptions, spec: CaseSpec, index: number): Finding[] {
  if (spec.faults.length === 0) return [];
  return findingsOf(runCase(spec, options, layoutOfTopology(topology), index));
}

/** The worst finding per kind and subject, folded in schedule order. */
export type BestFindings = Map<string, Finding>;

/** Adds one schedule's findings (call in schedule order). */
export function foldFindings(best: BestFindings, findings: readonly Finding[]): void {
  for (const finding of findings) {
    const key = `${finding.kind} ${finding.subject ?? ""}`;
    const current = best.get(key);
    if (current === undefined || worse(finding, current)) best.set(key, finding);
  }
}

export function exploreReport(topology: ResolvedTopology, options: ExploreOptions, best: BestFindings): ExploreReport {
  const findings = [...best.values()].sort(byKind);
  return {
    topology: topology.name,
    topologyFile: options.topologyFile,
    seed: options.seed,
    schedules: options.schedules,
    kinds: [...options.kinds],
    workload: exploreWorkload(topology, options.writes),
    findings,
    targetsBroken: findings.some((f) => f.broken),
  };
}

/** The whole search in this thread. */
export function explore(topology: ResolvedTopology, options: ExploreOptions): ExploreReport {
  const best: BestFindings = new Map();
  planSchedules(topology, options).forEach((spec, index) => foldFindings(best, scheduleFindings(topology, options, spec, index)));
  return exploreReport(topology, options, best);
}

/**
 * The heaviest run a search may make, to project it before searching: the longest duration, the first fault
 * at the earliest a schedule places one, and the loss of a region (whose recovery planning keeps every write)
 * when the search may lose one. Loaded at one write a second; the caller scales the workload.
 */
export function heaviestSchedule(topology: ResolvedTopology, options: ExploreOptions): ResolvedScenario {
  const layout = layoutOfTopology(topology);
  const loseRegion = options.kinds.includes("lose") && layout.regions.length >= 2;
  const spec: CaseSpec = {
    name: `explore-${topology.name}-heaviest`.slice(0, 64),
    seed: 1,
    durationMs: DURATION_CAP_MS,
    workload: exploreWorkload(topology, 1),
    topology: relative(options.outDir, options.topologyFile).split("\\").join("/"),
    faults: [{ atMs: FIRST_FAULT_MS, action: loseRegion ? { lose: layout.regions[0] } : { crash: layout.nodes[0].name } }],
  };
  return resolve(spec, join(options.outDir, `${spec.name}.yaml`));
}

function scheduleCase(rng: Rng, layout: Layout, topology: ResolvedTopology, options: ExploreOptions, workload: WorkloadSpec, index: number): CaseSpec {
  return {
    name: `explore-${topology.name}-${index + 1}`.slice(0, 64),
    seed: rng.nextUint32(),
    durationMs: DURATION_CAP_MS,
    workload,
    topology: relative(options.outDir, options.topologyFile).split("\\").join("/"),
    faults: generateSchedule(rng, layout, { kinds: options.kinds }).filter((f) => f.atMs <= DURATION_CAP_MS - 30_000),
  };
}

interface CaseOutcome {
  spec: CaseSpec;
  result: SimulationResult;
  violations: { oracle: string; findings: string[] }[];
  story: string;
  schedule: number;
}

/** Fits the duration to the schedule (as the swarm does), loads the case from where it would be saved, runs and judges it. */
function runCase(draft: CaseSpec, options: ExploreOptions, layout: Layout, schedule: number): CaseOutcome {
  const { spec, scenario } = finishCase({ spec: draft, capMs: DURATION_CAP_MS, durationJitter: 0.5 }, join(options.outDir, `${draft.name}.yaml`));
  const run = runScenario(scenario);
  const violations = run.judgement.failed.map((v) => ({ oracle: v.oracle, findings: v.findings }));
  return { spec, result: run.result, violations, story: story(layout, spec.faults, run.result), schedule };
}

function worse(a: Finding, b: Finding): boolean {
  if (a.kind === "violation") return false;
  const value = (f: Finding) => (f.value === null ? Infinity : f.value);
  return value(a) > value(b);
}

function findingsOf(o: CaseOutcome): Finding[] {
  const base = { spec: o.spec, story: o.story, schedule: o.schedule, result: o.result };
  const out: Finding[] = [];
  for (const c of o.result.classes) {
    const lost = c.rpo.lostAckedWrites;
    if (lost > 0) {
      const broken = c.rpo.targetMs === 0 ? true : c.rpo.windowMs > c.rpo.targetMs;
      // A zero target counts writes; any other target is a time window.
      const value = c.rpo.targetMs === 0 ? lost : c.rpo.windowMs;
      out.push({ ...base, kind: "rpo", subject: c.name, targetMs: c.rpo.targetMs, value, label: `${lost.toLocaleString("en-US")} lost · ${formatDuration(c.rpo.windowMs)} window`, broken, fileName: `rpo-${c.name}.yaml` });
    }
    const rto = worstRto(c);
    if (rto.ms === null || rto.ms > 0) {
      const never: Record<string, string> = { writes: "never recovers", reads: "reads never recover", "p99 client": "the p99 client never recovers" };
      const label = rto.ms === null ? never[rto.part] : `${formatDuration(rto.ms)}${rto.part === "writes" ? "" : ` (${rto.part})`}`;
      out.push({ ...base, kind: "rto", subject: c.name, targetMs: c.rto.targetMs, value: rto.ms, label, broken: rto.broken, fileName: `rto-${c.name}.yaml` });
    }
  }
  const split = o.result.totals.splitBrainMs;
  if (split > 0) out.push({ ...base, kind: "split-brain", subject: null, targetMs: null, value: split, label: formatDuration(split), broken: false, fileName: "split-brain.yaml" });
  for (const v of o.violations) {
    out.push({ ...base, kind: "violation", subject: v.oracle, targetMs: null, value: v.findings.length, label: v.findings[0] ?? v.oracle, broken: false, fileName: `violation-${v.oracle}.yaml`, details: v.findings });
  }
  return out;
}

/**
 * A class's longest RTO over the parts that have a verdict (writes, reads, the
 * p99 client, some of its keys), as simulate judges them: null when one never
 * recovered; broken when any part (or a restore) missed the target.
 */
function decided(verdict: boolean | null | "undecided"): boolean | null {
  return verdict === "undecided" ? null : verdict;
}

function worstRto(c: SimulationResult["classes"][number]): { ms: number | null; part: string; broken: boolean } {
  const v = c.verdicts;
  const keys = c.keyOutages ? judgedKeyOutage(c.keyOutages, v?.readRto !== null) : null;
  const parts: [string, number | null, boolean | null][] = [
    // An undecided part (the run ended too soon to judge it) neither breaks the target nor sets the worst RTO.
    ["writes", c.rto.writeMs, v ? decided(v.writeRto) : c.rto.writeMs !== null && c.rto.writeMs <= c.rto.targetMs],
    ["reads", c.rto.readMs, decided(v?.readRto ?? null)],
    ["p99 client", c.rto.p99ClientMs, decided(v?.p99ClientRto ?? null)],
    ...(keys && c.keyOutages ? [[`${keyShareText(keys.span.keys, c.keyOutages.keys)} of keys`, keys.span.ms, v?.keyRto ?? null] as [string, number, boolean | null]] : []),
  ];
  let worst: { ms: number | null; part: string } = { ms: c.rto.writeMs, part: "writes" };
  for (const [part, ms, verdict] of parts) {
    if (verdict === null || worst.ms === null) continue;
    if (ms === null || ms > worst.ms) worst = { ms, part };
  }
  const broken = parts.some(([, , verdict]) => verdict === false) || v?.restoreRto === false;
  return { ...worst, broken };
}

const KIND_ORDER: FindingKind[] = ["rpo", "rto", "split-brain", "violation"];

function byKind(a: Finding, b: Finding): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.subject ?? "").localeCompare(b.subject ?? "");
}

/** `--faults crash,partition` → the kinds, or the unknown one. */
export function parseKinds(text: string): { kinds: FaultKind[] } | { unknown: string } {
  const kinds: FaultKind[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter((p) => p.length > 0)) {
    if (!(FAULT_KINDS as readonly string[]).includes(part)) return { unknown: part };
    if (!kinds.includes(part as FaultKind)) kinds.push(part as FaultKind);
  }
  return { kinds };
}
