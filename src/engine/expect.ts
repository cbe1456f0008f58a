// A scenario's `expect:` block, judged against a SimulationResult.
//
// The grammar of one expected value:
//   a number          equality: `lost_writes: 3`, `rpo: 0` (durations take only the number 0)
//   a boolean         `split_brain: false`, `met: true`
//   a string          an optional operator (<, <=, >, >=, ==, =, !=) and an operand:
//                     a duration with a unit for time fields ("<30s", "<=5ms", "0"),
//                     a plain number for counts (">0", ">=100", "==2", "!=0"),
//                     or `never` for the RTO fields (a class that never recovered).
//
// validateExpectations() checks the grammar up front so that a malformed value is
// a user error with a position (exit 2); evaluateExpectations() never throws: a
// value it cannot read is reported as a failed expectation saying why.
import type { ExpectationValue } from "../model/schema.js";
import { formatDuration, parseDuration } from "../base/units.js";
import type { ClassResult, ExpectationResult, SimulationResult } from "./result.js";

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type Comparator =
  | { kind: "compare"; op: Operator; value: number }
  | { kind: "bool"; value: boolean };

/** What a field holds, which decides the operands it accepts. */
export type FieldKind = "duration" | "count" | "bool" | "durationOrBool";

export interface FieldSpec {
  kind: FieldKind;
  /** Whether the operand `never` (no recovery: the value is null) is meaningful. */
  never?: boolean;
}

export const CLASS_FIELDS: Record<string, FieldSpec> = {
  rpo: { kind: "duration" },
  rto: { kind: "duration", never: true },
  read_rto: { kind: "duration", never: true },
  client_p99: { kind: "duration" },
  lost_writes: { kind: "count" },
  write_p50: { kind: "duration" },
  write_p99: { kind: "duration" },
  read_p50: { kind: "duration" },
  read_p99: { kind: "duration" },
  stale_reads: { kind: "count" },
  met: { kind: "bool" },
};

export const GLOBAL_FIELDS: Record<string, FieldSpec> = {
  split_brain: { kind: "durationOrBool" },
  writes_lost: { kind: "count" },
  writes_rejected: { kind: "count" },
  reads_rejected: { kind: "count" },
  stale_reads: { kind: "count" },
  conflicts: { kind: "count" },
  write_unavailable: { kind: "duration" },
  writes_acked: { kind: "count" },
  failovers: { kind: "count" },
};

/** Recovery fields: comparisons, or null for the ones the schema already checks (method, booleans). */
export const RECOVERY_FIELDS: Record<string, FieldSpec | null> = {
  needed: null,
  method: null,
  drill_passed: null,
  lost_writes: { kind: "count" },
  reconcile_writes: { kind: "count" },
  restore: { kind: "duration", never: true },
};

/** A problem with an expectation, at a path from the scenario's root (the loader's Problem shape). */
export interface ExpectationProblem {
  path: PropertyKey[];
  message: string;
}

type Parsed = { ok: true; comparator: Comparator } | { ok: false; message: string };

const OPERATOR = /^\s*(<=|>=|==|!=|<|>|=)?\s*(.*?)\s*$/s;

/** Reads one expected value for a field of the given kind. */
export function parseComparator(value: unknown, spec: FieldSpec): Parsed {
  const hint = hintFor(spec);
  if (typeof value === "boolean") {
    if (spec.kind === "bool" || spec.kind === "durationOrBool") return { ok: true, comparator: { kind: "bool", value } };
    return { ok: false, message: `expected ${hint}; got ${value}` };
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return { ok: false, message: `expected ${hint}; got ${value}` };
    if (spec.kind === "count") return { ok: true, comparator: { kind: "compare", op: "==", value } };
    if (spec.kind === "bool") return { ok: false, message: `expected ${hint}; got ${value}` };
    // A bare number for a time is ambiguous (ms? s?) unless it is 0, as the file format says.
    if (value === 0) return { ok: true, comparator: { kind: "compare", op: "==", value: 0 } };
    return { ok: false, message: `expected ${hint}; got the bare number ${value} — add a unit, e.g. "${value}ms" or "${value}s"` };
  }
  if (typeof value !== "string") return { ok: false, message: `expected ${hint}; got ${describeValue(value)}` };
  return parseString(value, spec, hint);
}

function parseString(text: string, spec: FieldSpec, hint: string): Parsed {
  const match = OPERATOR.exec(text)!;
  const op = (match[1] === "=" ? "==" : match[1] ?? "==") as Operator;
  const operand = match[2];
  const bad: Parsed = { ok: false, message: `expected ${hint}; got "${text}"` };
  if (operand === "") return bad;
  if (operand === "true" || operand === "false") {
    if (spec.kind !== "bool" && spec.kind !== "durationOrBool") return bad;
    // Only equality makes sense for a yes/no value; "!=false" reads as true.
    if (op !== "==" && op !== "!=") return bad;
    return { ok: true, comparator: { kind: "bool", value: (operand === "true") === (op === "==") } };
  }
  if (operand === "never") {
    if (!spec.never || (op !== "==" && op !== "!=")) return bad;
    return { ok: true, comparator: { kind: "compare", op, value: Infinity } };
  }
  if (spec.kind === "bool") return bad;
  if (spec.kind === "count") {
    if (!/^\d+(?:\.\d+)?$/.test(operand)) return bad;
    return { ok: true, comparator: { kind: "compare", op, value: Number(operand) } };
  }
  if (/^\d+(?:\.\d+)?$/.test(operand) && Number(operand) !== 0) {
    return { ok: false, message: `expected ${hint}; got "${text}" — add a unit, e.g. "${op === "==" ? "" : op}${operand}ms" or "${op === "==" ? "" : op}${operand}s"` };
  }
  const duration = parseDuration(operand);
  if (!duration.ok) return bad;
  return { ok: true, comparator: { kind: "compare", op, value: duration.value } };
}

function hintFor(spec: FieldSpec): string {
  switch (spec.kind) {
    case "bool":
      return "true or false";
    case "count":
      return 'a count or a comparison such as 0, ">0", ">=100", "==2" or "!=0"';
    case "durationOrBool":
      return 'true, false or a duration comparison such as "<5s"';
    case "duration":
      return `a duration comparison such as 0, "<30s", "<=5ms" or ">0"${spec.never ? ', or "never"' : ""}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/**
 * Checks every expectation's grammar. Paths start at the scenario root
 * (["expect", "ledger", "rto"]) so that the loader can point at the value.
 * Which top-level keys are data classes is the resolver's business; here a
 * mapping is a class's expectations and anything else a scenario-wide one.
 */
export function validateExpectations(expect: Record<string, ExpectationValue> | Record<string, unknown>): ExpectationProblem[] {
  const problems: ExpectationProblem[] = [];
  for (const [key, value] of Object.entries(expect)) {
    if (key === "recovery" && isMapping(value)) {
      for (const [field, expected] of Object.entries(value)) {
        const spec = RECOVERY_FIELDS[field];
        if (expected === undefined || spec === null) continue;
        if (spec === undefined) {
          problems.push({ path: ["expect", key, field], message: `expect.recovery.${field}: unknown; expected one of ${Object.keys(RECOVERY_FIELDS).join(", ")}` });
          continue;
        }
        const parsed = parseComparator(expected, spec);
        if (!parsed.ok) problems.push({ path: ["expect", key, field], message: `expect.recovery.${field}: ${parsed.message}` });
      }
    } else if (isMapping(value)) {
      for (const [field, expected] of Object.entries(value)) {
        if (expected === undefined) continue;
        const spec = CLASS_FIELDS[field];
        if (!spec) {
          problems.push({ path: ["expect", key, field], message: `expect.${key}.${field}: unknown class expectation; expected one of ${Object.keys(CLASS_FIELDS).join(", ")}` });
          continue;
        }
        const parsed = parseComparator(expected, spec);
        if (!parsed.ok) problems.push({ path: ["expect", key, field], message: `expect.${key}.${field}: ${parsed.message}` });
      }
    } else if (key === "timeline") {
      problems.push(...validateTimeline(value));
    } else {
      const spec = GLOBAL_FIELDS[key];
      if (!spec) continue; // an unknown key is reported by the resolver, with "did you mean"
      const parsed = parseComparator(value, spec);
      if (!parsed.ok) problems.push({ path: ["expect", key], message: `expect.${key}: ${parsed.message}` });
    }
  }
  return problems;
}

function validateTimeline(value: unknown): ExpectationProblem[] {
  if (!Array.isArray(value)) return [{ path: ["expect", "timeline"], message: "expect.timeline: expected a list of event names that must appear in order, e.g. [crash, detect, promote]" }];
  if (value.length === 0) return [{ path: ["expect", "timeline"], message: "expect.timeline: the list of events is empty" }];
  const problems: ExpectationProblem[] = [];
  value.forEach((item, index) => {
    if (typeof item !== "string" || item.trim() === "") {
      problems.push({ path: ["expect", "timeline", index], message: `expect.timeline[${index}]: expected an event name such as "promote"; got ${describeValue(item)}` });
    }
  });
  return problems;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// Evaluation

/** Judges every expectation, in the order the scenario lists them. Never throws. */
export function evaluateExpectations(expect: Record<string, ExpectationValue> | Record<string, unknown>, result: SimulationResult): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const [key, value] of Object.entries(expect)) {
    try {
      if (key === "recovery" && isMapping(value)) out.push(...evaluateRecovery(value, result));
      else if (isMapping(value)) out.push(...evaluateClass(key, value, result));
      else if (key === "timeline") out.push(evaluateTimeline(value, result));
      else out.push(evaluateGlobal(key, value, result));
    } catch (error) {
      // A bug here must not hide the run's output: report it as a failed expectation.
      out.push({ path: key, expected: display(value), actual: `could not evaluate: ${error instanceof Error ? error.message : String(error)}`, met: false });
    }
  }
  return out;
}

/** `recovery: { needed, method, lost_writes, reconcile_writes, restore, drill_passed }` against result.recovery. */
function evaluateRecovery(fields: Record<string, unknown>, result: SimulationResult): ExpectationResult[] {
  const recovery = result.recovery;
  const out: ExpectationResult[] = [];
  for (const [field, expected] of Object.entries(fields)) {
    if (expected === undefined) continue;
    const path = `recovery.${field}`;
    if (!recovery) {
      out.push({ path, expected: display(expected), actual: "no recovery in the result (the scenario has no faults)", met: false });
      continue;
    }
    switch (field) {
      case "method":
        out.push({ path, expected: String(expected), actual: recovery.method, met: recovery.method === expected });
        break;
      case "needed":
        out.push({ path, expected: String(expected), actual: String(recovery.needed), met: recovery.needed === expected });
        break;
      case "drill_passed": {
        const passed = recovery.drills.length > 0 && recovery.drills.every((d) => d.ok);
        out.push({ path, expected: String(expected), actual: recovery.drills.length === 0 ? "no drill ran" : String(passed), met: recovery.drills.length > 0 && passed === expected });
        break;
      }
      case "lost_writes":
        out.push(judge(path, expected, { kind: "count" }, countMeasure(recovery.lostWrites)));
        break;
      case "reconcile_writes":
        out.push(judge(path, expected, { kind: "count" }, countMeasure(recovery.reconcileWrites)));
        break;
      case "restore":
        out.push(judge(path, expected, { kind: "duration", never: true }, timeMeasure(recovery.restoreMs, "never")));
        break;
      default:
        out.push({ path, expected: display(expected), actual: `unknown expectation "${field}"`, met: false });
    }
  }
  return out;
}

function evaluateClass(name: string, fields: Record<string, unknown>, result: SimulationResult): ExpectationResult[] {
  const cls = result.classes.find((c) => c.name === name);
  const out: ExpectationResult[] = [];
  for (const [field, expected] of Object.entries(fields)) {
    if (expected === undefined) continue;
    const path = `${name}.${field}`;
    const spec = CLASS_FIELDS[field];
    if (!cls) {
      out.push({ path, expected: display(expected), actual: `no data class "${name}" in the result`, met: false });
      continue;
    }
    if (!spec) {
      out.push({ path, expected: display(expected), actual: `unknown expectation "${field}"`, met: false });
      continue;
    }
    out.push(judge(path, expected, spec, classMeasure(field, cls)));
  }
  return out;
}

/** A measured value: a number (ms or a count; Infinity = never), a boolean, or null (nothing measured). */
interface Measure {
  value: number | boolean | null;
  actual: string;
  /** An extra condition for met, with the reason it failed (rpo 0 also needs no lost writes). */
  alsoRequired?: (comparator: Comparator) => boolean;
}

function classMeasure(field: string, cls: ClassResult): Measure {
  switch (field) {
    case "rpo":
      return {
        value: cls.rpo.windowMs,
        actual: rpoActual(cls.rpo.lostAckedWrites, cls.rpo.windowMs),
        // RPO 0 means no acknowledged write lost, even when the losses share one instant (window 0).
        alsoRequired: (c) => !(c.kind === "compare" && acceptsOnlyZero(c)) || cls.rpo.lostAckedWrites === 0,
      };
    case "rto":
      return timeMeasure(cls.rto.writeMs, "never");
    case "read_rto":
      return timeMeasure(cls.rto.readMs, "never");
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
      return { value: cls.met, actual: String(cls.met) };
    default:
      return { value: null, actual: `unknown expectation "${field}"` };
  }
}

/** `0`, `"==0"`, `"<=0"`: the comparisons that only a zero window satisfies. */
function acceptsOnlyZero(c: { op: Operator; value: number }): boolean {
  return (c.op === "==" && c.value === 0) || (c.op === "<=" && c.value === 0);
}

export function rpoActual(lostAckedWrites: number, windowMs: number): string {
  if (lostAckedWrites === 0 && windowMs === 0) return "0";
  const lost = `${lostAckedWrites} lost write${lostAckedWrites === 1 ? "" : "s"}`;
  return `${formatMeasuredMs(roundMs(windowMs))} (${lost})`;
}

/** Null never recovered (RTO: +Infinity, so every `<` fails) or measured nothing (latency: every comparison fails). */
function timeMeasure(ms: number | null, nullWord: "never" | "n/a"): Measure {
  if (ms === null) return nullWord === "never" ? { value: Infinity, actual: "never" } : { value: null, actual: "n/a (nothing measured)" };
  return { value: roundMs(ms), actual: formatMeasuredMs(roundMs(ms)) };
}

function countMeasure(n: number): Measure {
  return { value: n, actual: String(n) };
}

/**
 * formatDuration, except between a minute and an hour, where it keeps the
 * seconds: an RTO of 61 s checked against "<1m" must not read "1m".
 */
export function formatMeasuredMs(ms: number): string {
  if (!(Math.abs(ms) >= 60_000 && Math.abs(ms) < 3_600_000)) return formatDuration(ms);
  const tenths = Math.round(Math.abs(ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths - minutes * 600) / 10;
  const secondsText = seconds === 0 ? "" : `${seconds < 10 ? "0" : ""}${seconds.toFixed(1).replace(/\.0$/, "")}s`;
  return `${ms < 0 ? "-" : ""}${minutes}m${secondsText}`;
}

/** Durations compare at the 0.1 ms resolution the JSON output shows, so a verdict agrees with the printed number. */
function roundMs(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 10) / 10 : ms;
}

function evaluateGlobal(key: string, expected: unknown, result: SimulationResult): ExpectationResult {
  const spec = GLOBAL_FIELDS[key];
  if (!spec) return { path: key, expected: display(expected), actual: `unknown expectation "${key}"`, met: false };
  const t = result.totals;
  const measures: Record<string, () => Measure> = {
    split_brain: () => splitBrainMeasure(t.splitBrainMs, expected),
    writes_lost: () => countMeasure(t.writesLost),
    writes_rejected: () => countMeasure(t.writesRejected),
    reads_rejected: () => countMeasure(t.readsRejected),
    stale_reads: () => countMeasure(t.staleReads),
    conflicts: () => countMeasure(t.conflicts),
    write_unavailable: () => timeMeasure(t.writeUnavailableMs, "n/a"),
    writes_acked: () => countMeasure(t.writesAcked),
    failovers: () => countMeasure(t.failovers),
  };
  return judge(key, expected, spec, measures[key]());
}

/** split_brain: a boolean (any split brain at all) or a duration comparison on its length. */
function splitBrainMeasure(splitBrainMs: number, expected: unknown): Measure {
  const ms = roundMs(splitBrainMs);
  const isBool = typeof expected === "boolean" || (typeof expected === "string" && /^\s*(==|=|!=)?\s*(true|false)\s*$/.test(expected));
  if (isBool) return { value: ms > 0, actual: ms > 0 ? `true (${formatMeasuredMs(ms)})` : "false" };
  return { value: ms, actual: formatMeasuredMs(ms) };
}

function judge(path: string, expected: unknown, spec: FieldSpec, measure: Measure): ExpectationResult {
  const parsed = parseComparator(expected, spec);
  const base = { path, expected: display(expected), actual: measure.actual };
  if (!parsed.ok) return { ...base, actual: `${measure.actual} (invalid expectation: ${parsed.message})`, met: false };
  const met = compare(parsed.comparator, measure.value) && (measure.alsoRequired?.(parsed.comparator) ?? true);
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
function evaluateTimeline(expected: unknown, result: SimulationResult): ExpectationResult {
  const names = Array.isArray(expected) ? expected.map((e) => String(e).trim()) : [];
  const base = { path: "timeline", expected: names.join(" → ") };
  if (names.length === 0) return { ...base, expected: display(expected), actual: "invalid expectation: expected a list of event names", met: false };
  const found: string[] = [];
  let from = 0;
  for (const name of names) {
    const index = result.timeline.findIndex((entry, i) => i >= from && entry.event === name);
    if (index < 0) {
      const anywhere = result.timeline.some((entry) => entry.event === name);
      const where = found.length === 0 ? "" : ` after ${found[found.length - 1]}`;
      const reason = anywhere ? `"${name}" not found${where} (it occurs earlier)` : `no "${name}" event`;
      return { ...base, actual: found.length === 0 ? reason : `${found.join(" → ")}; ${reason}`, met: false };
    }
    found.push(`${name} ${formatMeasuredMs(roundMs(result.timeline[index].atMs))}`);
    from = index + 1;
  }
  return { ...base, actual: found.join(" → "), met: true };
}

/** The expected value as the user wrote it. */
function display(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (Array.isArray(value)) return value.map(String).join(" → ");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? String(value);
}
