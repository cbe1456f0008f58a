// Predict drills: the user guesses a field of a bundled scenario's result and
// the engine supplies the truth by running the scenario. Nothing in a drill
// file holds the answer; the field path is resolved against the result each
// time (cached per process, since a run takes about a second).
import { UsageError } from "../model/diagnostics.js";
import { loadFile } from "../model/load.js";
import { simulate } from "../engine/simulate.js";
import { patroniRuns } from "../base/failover-timing.js";
import { deriveSettings } from "../model/derived.js";
import type { ResolvedScenario } from "../model/types.js";
import type { SimulationResult } from "../engine/result.js";
import { formatNumber, gradeNumeric, parseNumber, parseOption, type ExactGrade } from "./exact.js";
import { scenarioFile } from "./paths.js";
import type { DrillOf } from "./types.js";

export interface ScenarioRun {
  result: SimulationResult;
  /** Wall-clock time the run took, to tell the user. */
  runMs: number;
}

const runs = new Map<string, ScenarioRun>();

/** Runs a bundled scenario (once per process) with its own seed. */
export function runScenario(name: string, clock: () => number = () => performance.now()): ScenarioRun {
  const cached = runs.get(name);
  if (cached) return cached;
  const loaded = loadFile(scenarioFile(name));
  if (loaded.kind !== "scenario") throw new UsageError(`scenarios/${name}.yaml is a ${loaded.kind}, not a scenario`);
  const started = clock();
  const result = simulate(loaded.scenario);
  const run = { result, runMs: clock() - started };
  runs.set(name, run);
  return run;
}

const flooredRuns = new Map<string, ScenarioRun | null>();

/**
 * The scenario with the lease Patroni 3.2 and later run for the one its file states (the ttl raised to 20 s,
 * loop_wait and retry_timeout to their floors), or null when they run it as written or it has no lease. The
 * engine runs the file's lease, as Patroni 3.1 and earlier do; a model answer that says what a current release
 * does instead reads its numbers from a run of this.
 */
export function flooredScenario(scenario: ResolvedScenario): ResolvedScenario | null {
  const t = scenario.topology;
  const d = t.failover.detection;
  if (t.replication.mode !== "leader-follower" || d.kind !== "lease") return null;
  const stated = d.given ?? d;
  const runs = patroniRuns(d.ttlMs, stated.loopWaitMs, stated.retryTimeoutMs);
  if (runs.changed.length === 0) return null;
  const topology = { ...t, failover: { ...t.failover, detection: { kind: "lease" as const, ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs } } };
  return { ...scenario, topology: { ...topology, derived: deriveSettings(topology) } };
}

/** Runs a bundled scenario with the lease Patroni 3.2 and later run (once per process); null when that is the file's. */
export function runFlooredScenario(name: string, clock: () => number = () => performance.now()): ScenarioRun | null {
  if (flooredRuns.has(name)) return flooredRuns.get(name)!;
  const loaded = loadFile(scenarioFile(name));
  if (loaded.kind !== "scenario") throw new UsageError(`scenarios/${name}.yaml is a ${loaded.kind}, not a scenario`);
  const floored = flooredScenario(loaded.scenario);
  const started = clock();
  const run = floored && { result: simulate(floored), runMs: clock() - started };
  flooredRuns.set(name, run);
  return run;
}

interface Segment {
  key: string;
  selector: string | null;
}

function parseField(field: string): Segment[] {
  return field.split(".").map((part) => {
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\[([^\]]+)\])?$/.exec(part);
    if (!m) throw new Error(`bad field segment "${part}" in ${field}`);
    return { key: m[1], selector: m[2] ?? null };
  });
}

/**
 * Resolves `classes[ledger].rpo.lostAckedWrites` against a result. A selector
 * is an index (`[0]`), `key=value`, or a bare value matched against `name`
 * (classes) or `event` (timeline). Returns a number or throws, naming the
 * segment that did not resolve.
 */
export function resolveField(result: unknown, field: string): number {
  let value: unknown = result;
  for (const { key, selector } of parseField(field)) {
    if (value === null || typeof value !== "object") throw new Error(`${field}: "${key}" is not inside an object`);
    value = (value as Record<string, unknown>)[key];
    if (selector === null) continue;
    if (!Array.isArray(value)) throw new Error(`${field}: "${key}" is not a list`);
    if (/^\d+$/.test(selector)) value = value[Number(selector)];
    else {
      const [k, v] = selector.includes("=") ? selector.split("=", 2) : [null, selector];
      value = value.find((item) => {
        const record = item as Record<string, unknown>;
        return k ? String(record[k]) === v : record.name === v || record.event === v;
      });
    }
    if (value === undefined) throw new Error(`${field}: no element [${selector}] in "${key}"`);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${field} is ${JSON.stringify(value)}, not a number`);
  return value;
}

/** The engine's value in the unit the user answers in. */
export function truthOf(drill: DrillOf<"predict">, result: SimulationResult): number {
  return resolveField(result, drill.field) / drill.scale;
}

/** The choices a bucket or yes/no drill offers, in order. */
export function predictChoices(drill: DrillOf<"predict">): string[] {
  if (drill.answer.form === "buckets") return drill.answer.buckets.map((b) => b.label);
  if (drill.answer.form === "yes-no") return ["yes", "no"];
  return [];
}

/** The choice a value falls in: its bucket's label, or yes/no by the drill's claim; null for a number drill. */
export function choiceOf(drill: DrillOf<"predict">, value: number): string | null {
  if (drill.answer.form === "buckets") return drill.answer.buckets[bucketIndex(drill, value)].label;
  if (drill.answer.form === "yes-no") return claimHolds(drill.answer.claim.op, value, drill.answer.claim.value) ? "yes" : "no";
  return null;
}

function bucketIndex(drill: DrillOf<"predict">, value: number): number {
  if (drill.answer.form !== "buckets") return -1;
  const i = drill.answer.buckets.findIndex((b) => b.below !== undefined && value < b.below);
  return i >= 0 ? i : drill.answer.buckets.length - 1;
}

function claimHolds(op: string, left: number, right: number): boolean {
  switch (op) {
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    default:
      return left === right;
  }
}

/** Grades a prediction against the engine's value (already in the drill's unit). */
export function gradePrediction(drill: DrillOf<"predict">, answer: string, truth: number): ExactGrade {
  const unit = drill.unit ?? null;
  if (drill.answer.form === "number") return gradeNumeric(parseNumber(answer, unit), truth, drill.answer.tolerance, unit);
  const choices = predictChoices(drill);
  const options = choices.map((text) => ({ text, correct: false }));
  let right: number;
  if (drill.answer.form === "buckets") right = bucketIndex(drill, truth);
  else right = claimHolds(drill.answer.claim.op, truth, drill.answer.claim.value) ? 0 : 1;
  const trimmed = answer.trim().toLowerCase();
  const chosen = drill.answer.form === "yes-no" && /^(y|yes|true)$/.test(trimmed) ? 0 : drill.answer.form === "yes-no" && /^(n|no|false)$/.test(trimmed) ? 1 : parseOption(answer, options);
  const passed = chosen === right;
  const letterOf = (i: number) => "abcdefghijkl"[i];
  return {
    score: passed ? 1 : 0,
    passed,
    hits: passed ? [letterOf(right)] : [],
    misses: passed ? [] : [letterOf(right)],
    expected: `${letterOf(right)}) ${choices[right]} (the engine measured ${formatNumber(truth)}${unit ? ` ${unit}` : ""})`,
  };
}
