// The grammar of a scenario's `expect:` block, read once by the loader into
// the compiled form that the engine evaluates against each run.
//
// The grammar of one expected value:
//   a number          equality: `lost_writes: 3`, `rpo: 0` (durations take only the number 0)
//   a boolean         `split_brain: false`, `met: true`
//   a string          an optional operator (<, <=, >, >=, ==, =, !=) and an operand:
//                     a duration with a unit for time fields ("<30s", "<=5ms", "0"),
//                     a plain number for counts (">0", ">=100", "==2", "!=0"),
//                     or `never` for the RTO fields (a class that never recovered).
//
// compileExpectations() reports every grammar problem with a path, so that a
// malformed value is a user error with a position (exit 2). The compiled form
// still records a value it could not read, so that an evaluator handed an
// unchecked block reports it as a failed expectation instead of throwing.
import { parseDuration } from "../base/units.js";

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
  total: { kind: "duration", never: true },
};

/** A problem with an expectation, at a path from the scenario's root (the loader's Problem shape). */
export interface ExpectationProblem {
  path: PropertyKey[];
  message: string;
}

/** One expected value as read: the comparison, or why it could not be read. */
export type Check = { ok: true; comparator: Comparator } | { ok: false; message: string };

/**
 * One expectation to judge, in the form the engine evaluates. `path` names it
 * in the results ("ledger.rto"), `expected` is the value as the user wrote it,
 * and `check` is its parsed comparison (null for a field the grammar does not
 * know, or one the schema checks, such as recovery.method).
 */
export type Expectation =
  | { target: "class"; path: string; expected: string; className: string; field: string; check: Check | null }
  | { target: "global"; path: string; expected: string; key: string; check: Check | null }
  | { target: "recovery"; path: string; expected: string; field: string; value: unknown; check: Check | null }
  | { target: "timeline"; path: string; expected: string; events: string[] };

/** The expectations under one top-level key of `expect:`, in the order the scenario lists them. */
export interface ExpectationGroup {
  key: string;
  /** The whole value under the key as written, for reporting an evaluation that failed outright. */
  expected: string;
  items: Expectation[];
}

/** A scenario's compiled `expect:` block. */
export type CompiledExpectations = ExpectationGroup[];

type RawExpectations = Readonly<Record<string, unknown>>;

const OPERATOR = /^\s*(<=|>=|==|!=|<|>|=)?\s*(.*?)\s*$/s;

/** Reads one expected value for a field of the given kind. */
export function parseComparator(value: unknown, spec: FieldSpec): Check {
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

function parseString(text: string, spec: FieldSpec, hint: string): Check {
  const match = OPERATOR.exec(text)!;
  const op = (match[1] === "=" ? "==" : match[1] ?? "==") as Operator;
  const operand = match[2];
  const bad: Check = { ok: false, message: `expected ${hint}; got "${text}"` };
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
 * Reads every expectation once. Problem paths start at the scenario root
 * (["expect", "ledger", "rto"]) so that the loader can point at the value.
 * Which top-level keys are data classes is the resolver's business; here a
 * mapping is a class's expectations and anything else a scenario-wide one.
 */
export function compileExpectations(expect: RawExpectations): { expectations: CompiledExpectations; problems: ExpectationProblem[] } {
  const problems: ExpectationProblem[] = [];
  const expectations = Object.entries(expect).map(([key, value]): ExpectationGroup => {
    let items: Expectation[];
    if (key === "recovery" && isMapping(value)) items = compileRecovery(value, problems);
    else if (isMapping(value)) items = compileClass(key, value, problems);
    else if (key === "timeline") items = [compileTimeline(value, problems)];
    else items = [compileGlobal(key, value, problems)];
    return { key, expected: display(value), items };
  });
  return { expectations, problems };
}

/** The grammar problems of an `expect:` block (compileExpectations without the compiled form). */
export function validateExpectations(expect: RawExpectations): ExpectationProblem[] {
  return compileExpectations(expect).problems;
}

function compileRecovery(fields: Record<string, unknown>, problems: ExpectationProblem[]): Expectation[] {
  const items: Expectation[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const spec = RECOVERY_FIELDS[field];
    const check = spec ? parseComparator(value, spec) : null;
    if (spec === undefined) {
      problems.push({ path: ["expect", "recovery", field], message: `expect.recovery.${field}: unknown; expected one of ${Object.keys(RECOVERY_FIELDS).join(", ")}` });
    } else if (check && !check.ok) {
      problems.push({ path: ["expect", "recovery", field], message: `expect.recovery.${field}: ${check.message}` });
    }
    items.push({ target: "recovery", path: `recovery.${field}`, expected: display(value), field, value, check });
  }
  return items;
}

function compileClass(className: string, fields: Record<string, unknown>, problems: ExpectationProblem[]): Expectation[] {
  const items: Expectation[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const spec = CLASS_FIELDS[field];
    const check = spec ? parseComparator(value, spec) : null;
    if (!spec) {
      problems.push({ path: ["expect", className, field], message: `expect.${className}.${field}: unknown class expectation; expected one of ${Object.keys(CLASS_FIELDS).join(", ")}` });
    } else if (check && !check.ok) {
      problems.push({ path: ["expect", className, field], message: `expect.${className}.${field}: ${check.message}` });
    }
    items.push({ target: "class", path: `${className}.${field}`, expected: display(value), className, field, check });
  }
  return items;
}

function compileGlobal(key: string, value: unknown, problems: ExpectationProblem[]): Expectation {
  const spec = GLOBAL_FIELDS[key];
  // An unknown key is reported by the resolver, with "did you mean"; the evaluator reports it as unknown.
  const check = spec ? parseComparator(value, spec) : null;
  if (check && !check.ok) problems.push({ path: ["expect", key], message: `expect.${key}: ${check.message}` });
  return { target: "global", path: key, expected: display(value), key, check };
}

function compileTimeline(value: unknown, problems: ExpectationProblem[]): Expectation {
  const events = Array.isArray(value) ? value.map((e) => String(e).trim()) : [];
  if (!Array.isArray(value)) {
    problems.push({ path: ["expect", "timeline"], message: "expect.timeline: expected a list of event names that must appear in order, e.g. [crash, detect, promote]" });
  } else if (value.length === 0) {
    problems.push({ path: ["expect", "timeline"], message: "expect.timeline: the list of events is empty" });
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== "string" || item.trim() === "") {
        problems.push({ path: ["expect", "timeline", index], message: `expect.timeline[${index}]: expected an event name such as "promote"; got ${describeValue(item)}` });
      }
    });
  }
  return { target: "timeline", path: "timeline", expected: events.length === 0 ? display(value) : events.join(" → "), events };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The expected value as the user wrote it. */
function display(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (Array.isArray(value)) return value.map(String).join(" → ");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? String(value);
}
