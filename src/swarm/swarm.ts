// The swarm: N generated cases, each run and judged by every oracle; failing
// cases are minimised (the first of each oracle and mode: the rest are most
// likely the same bug). Case i of a swarm seeded S is generated from seed
// S + i, so `--seed S+i --schedules 1` replays it alone.
import { formatDiagnostic, InputError } from "../model/diagnostics.js";
import { draftCase, finishCase, MODES, resolve, type GeneratedCase, type Mode, type Scale } from "./generate.js";
import { ORACLES, type OracleKind } from "./oracles.js";
import { runScenario } from "./run.js";
import { shrink } from "./shrink.js";
import type { CaseSpec } from "./spec.js";

/** A generated case the loader refuses: the generator's fault, reported like an oracle. */
export const GENERATOR_ORACLE = "generator-valid";

export interface SwarmOptions {
  schedules: number;
  seed: number;
  mode?: Mode;
  scale?: Scale;
  /** Minimise failing cases (default true). */
  shrink?: boolean;
  shrinkRuns?: number;
  onCase?: (done: number, total: number, failures: number) => void;
}

export interface SwarmFailure {
  caseSeed: number;
  /** The generator's scale (needed with the seed to regenerate the case). */
  scale: Scale;
  mode: string;
  oracle: string;
  kind: OracleKind | "generator";
  findings: string[];
  spec: CaseSpec;
  /** The minimised case (the first failure of each oracle and mode). */
  minimised?: CaseSpec;
  minimisedFindings?: string[];
}

export interface OracleTally {
  kind: OracleKind | "generator";
  applied: number;
  failed: number;
}

export interface SwarmSummary {
  schedules: number;
  seed: number;
  byMode: Record<string, { cases: number; failed: number }>;
  byOracle: Record<string, OracleTally>;
  failures: SwarmFailure[];
}

export function emptySummary(options: Pick<SwarmOptions, "schedules" | "seed">): SwarmSummary {
  const byOracle: Record<string, OracleTally> = { [GENERATOR_ORACLE]: { kind: "generator", applied: 0, failed: 0 } };
  for (const o of ORACLES) byOracle[o.id] = { kind: o.kind, applied: 0, failed: 0 };
  return { schedules: options.schedules, seed: options.seed, byMode: Object.fromEntries(MODES.map((m) => [m, { cases: 0, failed: 0 }])), byOracle, failures: [] };
}

export function runSwarm(options: SwarmOptions): SwarmSummary {
  const summary = emptySummary(options);
  for (let i = 0; i < options.schedules; i++) {
    runOne((options.seed + i) >>> 0, options, summary);
    options.onCase?.(i + 1, options.schedules, summary.failures.length);
  }
  return summary;
}

/** Runs case `caseSeed` into the summary. */
export function runOne(caseSeed: number, options: SwarmOptions, summary: SwarmSummary): void {
  const generated = tryGenerate(caseSeed, options, summary);
  if (generated === null) return;
  const { spec, scenario } = generated;
  const mode = scenario.topology.replication.mode;
  summary.byMode[mode] ??= { cases: 0, failed: 0 };
  summary.byMode[mode].cases++;
  const { judgement } = runScenario(scenario);
  for (const id of judgement.applied) summary.byOracle[id].applied++;
  if (judgement.failed.length > 0) summary.byMode[mode].failed++;
  for (const verdict of judgement.failed) {
    summary.byOracle[verdict.oracle].failed++;
    const failure: SwarmFailure = { caseSeed, scale: options.scale ?? "full", mode, oracle: verdict.oracle, kind: verdict.kind, findings: verdict.findings, spec };
    const first = !summary.failures.some((f) => f.oracle === verdict.oracle && f.mode === mode);
    if (first && options.shrink !== false) minimise(failure, options.shrinkRuns);
    summary.failures.push(failure);
  }
}

function tryGenerate(caseSeed: number, options: SwarmOptions, summary: SwarmSummary): GeneratedCase | null {
  summary.byOracle[GENERATOR_ORACLE].applied++;
  const draft = draftCase(caseSeed, { mode: options.mode, scale: options.scale });
  try {
    return finishCase(draft);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    summary.byOracle[GENERATOR_ORACLE].failed++;
    const mode = typeof draft.spec.topology === "string" ? "unknown" : draft.spec.topology.replication.mode;
    summary.failures.push({ caseSeed, scale: options.scale ?? "full", mode, oracle: GENERATOR_ORACLE, kind: "generator", findings: error.diagnostics.map(formatDiagnostic), spec: draft.spec });
    return null;
  }
}

/** Findings of `oracle` on a case, or null when the case does not load or the oracle holds. */
export function findingsOf(spec: CaseSpec, oracle: string): string[] | null {
  let scenario;
  try {
    scenario = resolve(spec);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
  const verdict = runScenario(scenario).judgement.failed.find((v) => v.oracle === oracle);
  return verdict ? verdict.findings : null;
}

function minimise(failure: SwarmFailure, maxRuns = 150): void {
  const { spec } = shrink(failure.spec, (candidate) => findingsOf(candidate, failure.oracle) !== null, { maxRuns });
  failure.minimised = { ...spec, description: `minimised by the swarm from seed ${failure.caseSeed}: ${failure.oracle}` };
  failure.minimisedFindings = findingsOf(spec, failure.oracle) ?? failure.findings;
}
