// A scenario's `expect:` block, judged against a SimulationResult.
//
// The loader reads the block once (src/model/expectations.ts holds the
// grammar) into compiled expectations; this module only measures each one on
// a result and compares. It never throws: a value the grammar could not read
// is reported as a failed expectation saying why.
import type { Check, CompiledExpectations, Comparator, Expectation, Operator } from "../model/expectations.js";
import type { ClassResult, ExpectationResult, Measured, SimulationResult } from "./result.js";

// ---------------------------------------------------------------------------
// Evaluation

/**
 * Judges every expectation, in the order the scenario lists them. Never throws.
 * The loader compiles `expect:` once (scenario.expectations); a raw block is
 * still accepted from callers that have not switched, and is compiled here.
 */
export function evaluateExpectations(groups: CompiledExpectations, result: SimulationResult): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const group of groups) {
    try {
      out.push(...group.items.map((item) => evaluateOne(item, result)));
    } catch (error) {
      // A bug here must not hide the run's output: report it as a failed expectation.
      out.push({ path: group.key, expected: group.expected, measured: { kind: "error", message: `could not evaluate: ${error instanceof Error ? error.message : String(error)}` }, met: false });
    }
  }
  return out;
}

function evaluateOne(item: Expectation, result: SimulationResult): ExpectationResult {
  switch (item.target) {
    case "recovery":
      return evaluateRecovery(item, result);
    case "class":
      return evaluateClass(item, result);
    case "global":
      return evaluateGlobal(item, result);
    case "timeline":
      return evaluateTimeline(item, result);
  }
}

/** One field of `recovery: { needed, method, lost_writes, reconcile_writes, restore, total, drill_passed }` against result.recovery. */
function evaluateRecovery(item: Expectation & { target: "recovery" }, result: SimulationResult): ExpectationResult {
  const recovery = result.recovery;
  const { path, value } = item;
  if (!recovery) return { path, expected: item.expected, measured: { kind: "no-recovery" }, met: false };
  switch (item.field) {
    case "method":
      return { path, expected: String(value), measured: { kind: "value", value: recovery.method }, met: recovery.method === value };
    case "needed":
      return { path, expected: String(value), measured: { kind: "value", value: recovery.needed }, met: recovery.needed === value };
    case "drill_passed": {
      const passed = recovery.drills.length > 0 && recovery.drills.every((d) => d.ok);
      return { path, expected: String(value), measured: recovery.drills.length === 0 ? { kind: "no-drill" } : { kind: "value", value: passed }, met: recovery.drills.length > 0 && passed === value };
    }
    case "lost_writes":
      return judge(item, countMeasure(recovery.lostWrites));
    case "reconcile_writes":
      return judge(item, countMeasure(recovery.reconcileWrites));
    case "restore":
      return judge(item, timeMeasure(recovery.restoreMs, "never"));
    case "total":
      return judge(item, timeMeasure(recovery.totalMs, "never"));
    default:
      return { path, expected: item.expected, measured: { kind: "unknown-field", field: item.field }, met: false };
  }
}

function evaluateClass(item: Expectation & { target: "class" }, result: SimulationResult): ExpectationResult {
  const cls = result.classes.find((c) => c.name === item.className);
  if (!cls) return { path: item.path, expected: item.expected, measured: { kind: "no-class", className: item.className }, met: false };
  if (!item.check) return { path: item.path, expected: item.expected, measured: { kind: "unknown-field", field: item.field }, met: false };
  return judge(item, classMeasure(item.field, cls));
}

/** A measured value: a number (ms or a count; Infinity = never), a boolean, or null (nothing measured). */
interface Measure {
  value: number | boolean | null;
  measured: Measured;
  /** An extra condition for met, with the reason it failed (rpo 0 also needs no lost writes). */
  alsoRequired?: (comparator: Comparator) => boolean;
  /** An RTO whose outage was still open at the end, this long into it: the value is known only to exceed it. */
  openMs?: number;
}

/** An RTO measure (Infinity: never back) whose outage was still open at the end of the run, `openMs` into it. */
function openOutage(measure: Measure, ms: number | null, openMs: number | undefined): Measure {
  return ms === null && openMs !== undefined ? { ...measure, openMs } : measure;
}

/**
 * Whether a comparison holds for every value an RTO still open `openMs` into its outage may take (any value above
 * openMs, or never): true or false when all agree, "undecided" when the rest of the outage would decide it.
 */
function judgeOpen(comparator: Comparator, openMs: number): boolean | "undecided" {
  const atInfinity = compare(comparator, Infinity);
  if (comparator.kind !== "compare") return atInfinity;
  const { op, value } = comparator;
  // Every value just above openMs and every larger one give the same answer unless the bound lies above openMs.
  if (value > openMs) return "undecided";
  // (== and != at or below openMs: no value above it equals the bound.)
  return op === "==" ? false : op === "!=" ? true : atInfinity;
}

function classMeasure(field: string, cls: ClassResult): Measure {
  switch (field) {
    case "rpo":
      return {
        value: cls.rpo.windowMs,
        measured: { kind: "rpo", lostWrites: cls.rpo.lostAckedWrites, windowMs: roundMs(cls.rpo.windowMs) },
        // RPO 0 means no acknowledged write lost, even when the losses share one instant (window 0).
        alsoRequired: (c) => !(c.kind === "compare" && acceptsOnlyZero(c)) || cls.rpo.lostAckedWrites === 0,
      };
    case "rto":
      return openOutage(timeMeasure(cls.rto.writeMs, "never"), cls.rto.writeMs, cls.rto.writeOpenMs);
    case "read_rto":
      return openOutage(timeMeasure(cls.rto.readMs, "never"), cls.rto.readMs, cls.rto.readOpenMs);
    case "client_p99":
      // The engine reports null both when no client was cut off and when the tail never came back: nothing to compare.
      return timeMeasure(cls.rto.p99ClientMs, "n/a");
    case "lost_writes":
      return countMeasure(cls.rpo.lostAckedWrites);
    case "write_p50":
      return timeMeasure(cls.latency.writeP50Ms, "n/a");
    case "write_p99":
      return timeMeasure(cls.latency.writeP99Ms, "n/a");
    case "read_p50":
      return timeMeasure(cls.latency.readP50Ms, "n/a");
    case "read_p99":
      return timeMeasure(cls.latency.readP99Ms, "n/a");
    case "stale_reads":
      return countMeasure(cls.staleReads);
    case "met":
      return { value: cls.met, measured: { kind: "value", value: cls.met } };
    default:
      return { value: null, measured: { kind: "unknown-field", field } };
  }
}

/** `0`, `"==0"`, `"<=0"`: the comparisons that only a zero window satisfies. */
function acceptsOnlyZero(c: { op: Operator; value: number }): boolean {
  return (c.op === "==" && c.value === 0) || (c.op === "<=" && c.value === 0);
}

/** Null never recovered (RTO: +Infinity, so every `<` fails) or measured nothing (latency: every comparison fails). */
function timeMeasure(ms: number | null, nullWord: "never" | "n/a"): Measure {
  if (ms === null) return nullWord === "never" ? { value: Infinity, measured: { kind: "never" } } : { value: null, measured: { kind: "nothing" } };
  return { value: roundMs(ms), measured: { kind: "duration", ms: roundMs(ms) } };
}

function countMeasure(n: number): Measure {
  return { value: n, measured: { kind: "count", n } };
}

/** Durations compare at the 0.1 ms resolution the JSON output shows, so a verdict agrees with the printed number. */
function roundMs(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 10) / 10 : ms;
}

function evaluateGlobal(item: Expectation & { target: "global" }, result: SimulationResult): ExpectationResult {
  if (!item.check) return { path: item.path, expected: item.expected, measured: { kind: "unknown-field", field: item.key }, met: false };
  const t = result.totals;
  const check = item.check;
  const measures: Record<string, () => Measure> = {
    split_brain: () => splitBrainMeasure(t.splitBrainMs, check),
    writes_lost: () => countMeasure(t.writesLost),
    writes_rejected: () => countMeasure(t.writesRejected),
    reads_rejected: () => countMeasure(t.readsRejected),
    stale_reads: () => countMeasure(t.staleReads),
    conflicts: () => countMeasure(t.conflicts),
    write_unavailable: () => timeMeasure(t.writeUnavailableMs, "n/a"),
    writes_acked: () => countMeasure(t.writesAcked),
    failovers: () => countMeasure(t.failovers),
  };
  return judge(item, measures[item.key]());
}

/** split_brain: a boolean (any split brain at all) or a duration comparison on its length. */
function splitBrainMeasure(splitBrainMs: number, check: Check): Measure {
  const ms = roundMs(splitBrainMs);
  if (check.ok && check.comparator.kind === "bool") return { value: ms > 0, measured: ms > 0 ? { kind: "split-brain", ms } : { kind: "value", value: false } };
  return { value: ms, measured: { kind: "duration", ms } };
}

/** Compares a measure with an expectation whose grammar is known (its check is not null). */
function judge(item: { path: string; expected: string; check: Check | null }, measure: Measure): ExpectationResult {
  const check = item.check!;
  const base = { path: item.path, expected: item.expected, measured: measure.measured };
  if (!check.ok) return { ...base, measured: { kind: "invalid", measured: measure.measured, message: check.message }, met: false };
  if (measure.openMs !== undefined) {
    const open = judgeOpen(check.comparator, measure.openMs);
    // Undecided is not met: nothing shows the expectation holds (the SPEC's met is a boolean).
    if (open === "undecided") return { ...base, measured: { kind: "undecided", openMs: measure.openMs }, met: false, undecided: true };
    return { ...base, met: open };
  }
  const met = compare(check.comparator, measure.value) && (measure.alsoRequired?.(check.comparator) ?? true);
  return { ...base, met };
}

export function compare(comparator: Comparator, actual: number | boolean | null): boolean {
  if (actual === null) return false;
  if (comparator.kind === "bool") return actual === comparator.value;
  if (typeof actual === "boolean") return false;
  const v = comparator.value;
  switch (comparator.op) {
    case "<":
      return actual < v;
    case "<=":
      return actual <= v;
    case ">":
      return actual > v;
    case ">=":
      return actual >= v;
    case "==":
      return actual === v;
    case "!=":
      return actual !== v;
  }
}

/**
 * `timeline: [crash, detect, promote]`: each event must appear, in that order
 * (other events may come between). The actual value shows where each was found.
 */
function evaluateTimeline(item: Expectation & { target: "timeline" }, result: SimulationResult): ExpectationResult {
  const names = item.events;
  const base = { path: item.path, expected: item.expected };
  if (names.length === 0) return { ...base, measured: { kind: "timeline-empty" }, met: false };
  const found: { event: string; atMs: number }[] = [];
  let from = 0;
  for (const name of names) {
    const index = result.timeline.findIndex((entry, i) => i >= from && entry.event === name);
    if (index < 0) {
      const occursEarlier = result.timeline.some((entry) => entry.event === name);
      return { ...base, measured: { kind: "timeline", found, missing: { event: name, occursEarlier } }, met: false };
    }
    found.push({ event: name, atMs: roundMs(result.timeline[index].atMs) });
    from = index + 1;
  }
  return { ...base, measured: { kind: "timeline", found, missing: null }, met: true };
}
