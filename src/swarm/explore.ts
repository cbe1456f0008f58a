// `explore`'s core: random fault schedules against the user's design (its
// nodes, zones and regions), run with a workload derived from the design, and
// the worst outcomes found — the largest RPO and the longest RTO of each data
// class, the longest split brain, every oracle violation — each kept as a
// replayable scenario with a one-line story. No files are written here.
import { join, relative } from "node:path";
import type { SimulationResult } from "../engine/result.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedTopology } from "../model/types.js";
import { formatDuration } from "../base/units.js";
import { finishCase } from "./generate.js";
import { Rng } from "./random.js";
import { runScenario } from "./run.js";
import { FAULT_KINDS, generateSchedule, layoutOfTopology, type FaultKind, type Layout } from "./schedule.js";
import type { CaseSpec, WorkloadSpec } from "./spec.js";
import { story } from "./story.js";

export const EXPLORE_DEFAULTS = { schedules: 100, seed: 1, writes: 200 } as const;
export const EXPLORE_LIMITS = { schedules: 10_000 } as const;
/** Long enough for Patroni's default 30 s lease and a full recovery after the last fault. */
const DURATION_CAP_MS = 180_000;

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

/** Runs schedule by schedule (so a CLI can animate a spinner in between), then reports. */
export interface Explorer {
  runSchedule(index: number): void;
  report(): ExploreReport;
}

export function createExplorer(topology: ResolvedTopology, options: ExploreOptions): Explorer {
  const layout = layoutOfTopology(topology);
  const workload = exploreWorkload(topology, options.writes);
  const rng = new Rng(options.seed);
  const best = new Map<string, Finding>();
  return {
    runSchedule(index) {
      const spec = scheduleCase(rng, layout, topology, options, workload, index);
      if (spec.faults.length > 0) consider(best, runCase(spec, options, layout, index));
    },
    report() {
      const findings = [...best.values()].sort(byKind);
      return {
        topology: topology.name,
        topologyFile: options.topologyFile,
        seed: options.seed,
        schedules: options.schedules,
        kinds: [...options.kinds],
        workload,
        findings,
        targetsBroken: findings.some((f) => f.broken),
      };
    },
  };
}

export function explore(topology: ResolvedTopology, options: ExploreOptions): ExploreReport {
  const explorer = createExplorer(topology, options);
  for (let i = 0; i < options.schedules; i++) explorer.runSchedule(i);
  return explorer.report();
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

/** Keeps, per kind and subject, the worst outcome so far (ties: the earlier schedule, which is the simpler to read). */
function consider(best: Map<string, Finding>, outcome: CaseOutcome): void {
  for (const finding of findingsOf(outcome)) {
    const key = `${finding.kind} ${finding.subject ?? ""}`;
    const current = best.get(key);
    if (current === undefined || worse(finding, current)) best.set(key, finding);
  }
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
    const rto = c.rto.writeMs;
    if (rto === null || rto > 0) {
      out.push({ ...base, kind: "rto", subject: c.name, targetMs: c.rto.targetMs, value: rto, label: rto === null ? "never recovers" : formatDuration(rto), broken: rto === null || rto > c.rto.targetMs, fileName: `rto-${c.name}.yaml` });
    }
  }
  const split = o.result.totals.splitBrainMs;
  if (split > 0) out.push({ ...base, kind: "split-brain", subject: null, targetMs: null, value: split, label: formatDuration(split), broken: false, fileName: "split-brain.yaml" });
  for (const v of o.violations) {
    out.push({ ...base, kind: "violation", subject: v.oracle, targetMs: null, value: v.findings.length, label: v.findings[0] ?? v.oracle, broken: false, fileName: `violation-${v.oracle}.yaml`, details: v.findings });
  }
  return out;
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
