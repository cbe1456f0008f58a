// Monte Carlo (`simulate --trials N`): rerun a scenario with seeds
// seed..seed+N-1 and summarise, per data class, the distribution of RPO and
// write RTO and the share of trials that met each target (the documented engine semantics).
//
// Only a few numbers per class and trial are kept, never the N full results, so
// that 10,000 trials of a scenario with a long timeline fit in memory.
import type { ResolvedScenario } from "../model/types.js";
import type { ClassResult, ExpectationResult, Percentiles, SimulationResult, TrialSummary, Violation } from "./result.js";
import { evaluateExpectations } from "./expect.js";

/** The engine as trials call it; `series: false` skips the over-time series (charts) a trial past the first does not need. */
export type SimulateFn = (scenario: ResolvedScenario, options: { seed: number; series?: boolean }) => SimulationResult;

/** What one trial contributes to a class's summary. */
export interface ClassSample {
  rpoWindowMs: number;
  /** The write RTO; null = writes never recovered within the run. */
  rtoWriteMs: number | null;
  met: boolean;
  rpoMet: boolean;
  rtoMet: boolean;
}

/** At most this many invariant violations are carried over from other trials (each names its seed). */
export const MAX_TRIAL_VIOLATIONS = 50;

const SEED_SPACE = 2 ** 32;

/**
 * RPO met: no acknowledged write lost, or (for a target above 0) a loss window
 * within the target. RTO met: writes came back within the target.
 */
export function classSample(cls: ClassResult): ClassSample {
  const rpoMet = cls.rpo.lostAckedWrites === 0 || (cls.rpo.targetMs > 0 && cls.rpo.windowMs <= cls.rpo.targetMs);
  const rtoMet = cls.rto.writeMs !== null && cls.rto.writeMs <= cls.rto.targetMs;
  return { rpoWindowMs: cls.rpo.windowMs, rtoWriteMs: cls.rto.writeMs, met: cls.met, rpoMet, rtoMet };
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% of the values at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** p50/p95/p99/max; +Infinity (never recovered) sorts last and is kept as Infinity. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
  };
}

export function summarizeClass(samples: readonly ClassSample[]): TrialSummary {
  const n = samples.length;
  const share = (count: number) => (n === 0 ? 0 : count / n);
  return {
    n,
    rpoMs: percentiles(samples.map((s) => s.rpoWindowMs)),
    // A class that never recovered counts as the worst possible RTO, not as a missing sample.
    rtoMs: percentiles(samples.map((s) => s.rtoWriteMs ?? Infinity)),
    metShare: share(samples.filter((s) => s.met).length),
    rpoMetShare: share(samples.filter((s) => s.rpoMet).length),
    rtoMetShare: share(samples.filter((s) => s.rtoMet).length),
    samples: { rpoMs: samples.map((s) => s.rpoWindowMs), rtoMs: samples.map((s) => s.rtoWriteMs ?? Infinity) },
  };
}

/** Summaries per class name, for results already in hand (classes in the first result's order). */
export function summarizeTrials(results: readonly SimulationResult[]): Map<string, TrialSummary> {
  const samples = new Map<string, ClassSample[]>();
  for (const result of results) {
    for (const cls of result.classes) {
      if (!samples.has(cls.name)) samples.set(cls.name, []);
      samples.get(cls.name)!.push(classSample(cls));
    }
  }
  return new Map([...samples].map(([name, list]) => [name, summarizeClass(list)]));
}

/** Trial indices of shard k of m (1-based k): [from, to), contiguous, covering 0..n-1 exactly once over k = 1..m. */
export function shardRange(n: number, k: number, m: number): { from: number; to: number } {
  return { from: Math.floor(((k - 1) * n) / m), to: Math.floor((k * n) / m) };
}

/** The seed of trial i: seed + i, wrapped into the 32-bit seed space (LIMITS.seed). */
export function trialSeed(seed: number, index: number): number {
  return (seed + index) % SEED_SPACE;
}

/**
 * What one trial contributes to the summary, computed where the trial ran (a
 * worker thread, another machine's shard) and combined in seed order, so that
 * any split of the trials gives the same summary as one loop.
 */
export interface TrialRecord {
  seed: number;
  /** One sample per class, by class name. */
  classes: [string, ClassSample][];
  /** Per expectation (in the scenario's order): whether it held in this trial. */
  met: boolean[];
  /** Its invariant violations, at most MAX_TRIAL_VIOLATIONS of them, and how many more there were. */
  violations: Violation[];
  violationsDropped: number;
}

/** The record of trial `index` (its seed is trialSeed(scenario.seed, index)). */
export function trialRecord(scenario: ResolvedScenario, result: SimulationResult, index: number): TrialRecord {
  const expectations = evaluateExpectations(scenario.expectations, result);
  return {
    seed: trialSeed(scenario.seed, index),
    classes: result.classes.map((cls) => [cls.name, classSample(cls)]),
    met: expectations.map((e) => e.met),
    violations: result.violations.slice(0, MAX_TRIAL_VIOLATIONS),
    violationsDropped: Math.max(0, result.violations.length - MAX_TRIAL_VIOLATIONS),
  };
}

/** Collects trials one result (or one record) at a time, in seed order, so a caller may yield between trials (a spinner, Ctrl+C). */
export interface TrialAccumulator {
  readonly n: number;
  /** The seed of the next trial to run. */
  nextSeed(): number;
  add(result: SimulationResult): void;
  /** A trial run elsewhere; the first trial must come with its full result (the run that is shown). */
  addRecord(record: TrialRecord, full?: SimulationResult): void;
  /** The base seed's result with `classes[].trials`, aggregated expectations and violations. */
  finish(): SimulationResult;
}

export function trialAccumulator(scenario: ResolvedScenario, n: number): TrialAccumulator {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`trials: n must be a positive integer; got ${n}`);
  let done = 0;
  let base: SimulationResult | undefined;
  const samples = new Map<string, ClassSample[]>();
  const failures: { count: number; firstSeed: number }[] = [];
  const violations: Violation[] = [];
  let violationsDropped = 0;

  const addRecord = (record: TrialRecord, full?: SimulationResult) => {
    if (done >= n) throw new RangeError(`trials: all ${n} trials were already added`);
    if (record.seed !== trialSeed(scenario.seed, done)) throw new RangeError(`trials: expected the trial of seed ${trialSeed(scenario.seed, done)}, got ${record.seed}`);
    if (done === 0) {
      if (!full) throw new RangeError("trials: the first trial needs its full result");
      base = { ...full, expectations: evaluateExpectations(scenario.expectations, full) };
    }
    for (const [name, sample] of record.classes) {
      if (!samples.has(name)) samples.set(name, []);
      samples.get(name)!.push(sample);
    }
    record.met.forEach((met, k) => {
      failures[k] ??= { count: 0, firstSeed: record.seed };
      if (!met && failures[k].count++ === 0) failures[k].firstSeed = record.seed;
    });
    if (done > 0) {
      for (const v of record.violations) {
        if (violations.length < MAX_TRIAL_VIOLATIONS) violations.push({ ...v, seed: record.seed });
        else violationsDropped++;
      }
      violationsDropped += record.violationsDropped;
    }
    done++;
  };

  return {
    n,
    nextSeed: () => trialSeed(scenario.seed, done),
    add: (result) => addRecord(trialRecord(scenario, result, done), done === 0 ? result : undefined),
    addRecord,
    finish() {
      if (done !== n || !base) throw new RangeError(`trials: ${done} of ${n} trials were added`);
      const first = base;
      const extra: Violation[] = violationsDropped > 0 ? [...violations, { check: "more-in-trials", count: violationsDropped }] : violations;
      return {
        ...first,
        classes: first.classes.map((cls) => ({ ...cls, trials: summarizeClass(samples.get(cls.name) ?? []) })),
        expectations: first.expectations.map((e, k) => aggregateExpectation(e, failures[k], done)),
        violations: [...first.violations, ...extra],
      };
    },
  };
}

/**
 * Runs n trials (seeds seed..seed+n-1) and returns the base seed's result with
 * `classes[].trials` filled in. An expectation is met only when it held in
 * every trial; when it failed in some, its actual value says how often and
 * names a seed to replay. Invariant violations of other trials are added, each
 * with its seed. Pure apart from `onProgress`, called after each trial.
 */
export function runTrials(
  scenario: ResolvedScenario,
  n: number,
  simulateFn: SimulateFn,
  onProgress?: (done: number, total: number) => void,
): SimulationResult {
  const trials = trialAccumulator(scenario, n);
  for (let i = 0; i < n; i++) {
    trials.add(simulateFn(scenario, { seed: trials.nextSeed(), series: i === 0 }));
    onProgress?.(i + 1, n);
  }
  return trials.finish();
}

/**
 * Called after each step with the steps done so far. A returned promise is
 * awaited before the next step, which is how a caller on the edge (a spinner,
 * Ctrl+C) gets a turn of the event loop without the engine knowing about one.
 */
export type TrialProgress = (done: number, total: number) => void | Promise<void>;

/** Runs `count` steps in order and reports after each: the loop behind every repeated run (trials, explore's schedules). */
export async function repeatWithProgress(count: number, step: (index: number) => void, onProgress?: TrialProgress): Promise<void> {
  for (let i = 0; i < count; i++) {
    step(i);
    const pending = onProgress?.(i + 1, count);
    if (pending) await pending;
  }
}

/** runTrials for a caller that yields between trials: the same result, with `onProgress` awaited after each trial. */
export async function runTrialsWithProgress(scenario: ResolvedScenario, n: number, simulateFn: SimulateFn, onProgress?: TrialProgress): Promise<SimulationResult> {
  const trials = trialAccumulator(scenario, n);
  await repeatWithProgress(n, (i) => trials.add(simulateFn(scenario, { seed: trials.nextSeed(), series: i === 0 })), onProgress);
  return trials.finish();
}

function aggregateExpectation(e: ExpectationResult, failure: { count: number; firstSeed: number } | undefined, n: number): ExpectationResult {
  if (!failure || failure.count === 0 || n === 1) return e;
  return { ...e, trials: { failed: failure.count, n, firstSeed: failure.firstSeed }, met: false };
}
