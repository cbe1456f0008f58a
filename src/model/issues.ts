// Turns zod issues into diagnostics a user can act on: the position of the
// offending key or value, what was expected, and a "did you mean" for typos.
import type * as z from "zod/mini";
import { didYouMean, MAX_DIAGNOSTICS, truncationNote, type Diagnostic } from "./diagnostics.js";
import { describe } from "../base/units.js";
import { locate, type YamlSource } from "./yaml.js";

type Issue = z.core.$ZodIssue & { input?: unknown };
type Path = readonly PropertyKey[];

export function issuesToDiagnostics(source: YamlSource, schema: z.ZodMiniType, issues: readonly Issue[], prefix: Path = []): Diagnostic[] {
  const { diagnostics, total } = countedDiagnostics(source, schema, issues, prefix);
  return total > diagnostics.length ? [...diagnostics, truncationNote(source.file, total - diagnostics.length)] : diagnostics;
}

/**
 * The diagnostics of the first MAX_DIAGNOSTICS issues (locating one walks the
 * document, so the rest are only counted), and how many problems there were.
 * With a prefix, the schema describes the value at that path of the document.
 */
export function countedDiagnostics(source: YamlSource, schema: z.ZodMiniType, issues: readonly Issue[], prefix: Path = []): { diagnostics: Diagnostic[]; total: number } {
  const scope: Scope = { source, schema, prefix };
  const out: Diagnostic[] = [];
  let total = 0;
  for (const issue of tightestBounds(issues)) {
    const count = issue.code === "unrecognized_keys" ? issue.keys.length : 1;
    total += count;
    const room = MAX_DIAGNOSTICS - out.length;
    if (room <= 0) continue;
    const trimmed = issue.code === "unrecognized_keys" && count > room ? { ...issue, keys: issue.keys.slice(0, room) } : issue;
    out.push(...convert(scope, trimmed, [...prefix, ...(issue.path as PropertyKey[])]));
  }
  // One message per position: a union can report the same spot twice.
  const seen = new Set<string>();
  const unique = out.filter((d) => {
    const key = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const shown = unique.slice(0, MAX_DIAGNOSTICS);
  return { diagnostics: shown, total: total - (out.length - unique.length) };
}

/**
 * One value checked against two bounds on one side (z.int()'s safe-integer range beside the field's own limit)
 * breaks both: `seed: 1e30` is one mistake, reported once, with the limit that binds (the tighter one).
 */
function tightestBounds(issues: readonly Issue[]): Issue[] {
  const bound = (issue: Issue) => (issue.code === "too_big" ? Number((issue as { maximum: number | bigint }).maximum) : -Number((issue as { minimum: number | bigint }).minimum));
  const keyOf = (issue: Issue) => (issue.code === "too_big" || issue.code === "too_small" ? `${issue.code} ${issue.path.map(String).join("\u0000")}` : null);
  const tightest = new Map<string, Issue>();
  for (const issue of issues) {
    const key = keyOf(issue);
    if (key === null) continue;
    const seen = tightest.get(key);
    if (seen === undefined || bound(issue) < bound(seen)) tightest.set(key, issue);
  }
  return issues.filter((issue) => {
    const key = keyOf(issue);
    return key === null || tightest.get(key) === issue;
  });
}

/** Where the issues come from: the schema checks the value at `prefix` in the source's data. */
interface Scope {
  source: YamlSource;
  schema: z.ZodMiniType;
  prefix: Path;
}

function convert(scope: Scope, issue: Issue, path: Path): Diagnostic[] {
  const { source } = scope;
  const at = (p: Path, key = false) => ({ file: source.file, ...locate(source, p, { key }) });
  const field = path.length > 0 ? String(path[path.length - 1]) : "";
  // What the value is, said before what was expected: its key, or for an item of a list the list's key and the
  // item's place (not the bare index, "0").
  const label = itemLabel(path) ?? (field ? `"${field}"` : "");
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = keysAt(scope.schema, path.slice(scope.prefix.length), valueAt(source.data, scope.prefix));
      const here = valueAt(source.data, path);
      const present = here !== null && typeof here === "object" ? Object.keys(here) : [];
      return issue.keys.map((key) => ({
        ...at([...path, key], true),
        // A key that another form of this value takes is no typo: two forms were mixed in one mapping.
        message: known.includes(key) ? mixedForms(key, present.filter((k) => k !== key && known.includes(k) && !issue.keys.includes(k)), known) : `unknown key "${key}"${didYouMean(key, known)}${known.length > 0 && known.length <= 14 ? ` (expected one of: ${known.join(", ")})` : ""}`,
      }));
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        return [{ ...at(path.slice(0, -1)), message: `missing required key "${field}"${expectedSuffix(issue.expected)}` }];
      }
      // A number too large for a double (1e400 reads as Infinity) or .nan: a number, but not one the schema takes.
      // The schema may say what the number measures ("expected a finite number of milliseconds").
      if (typeof issue.input === "number" && !Number.isFinite(issue.input)) {
        const expected = issue.message.startsWith("expected a finite number") ? issue.message : "expected a finite number";
        return [{ ...at(path), message: `${label ? `${label}: ` : ""}${expected}, got ${issue.input}` }];
      }
      return [{ ...at(path), message: `${label ? `${label}: ` : ""}expected ${article(issue.expected)}, got ${describe(issue.input)}` }];
    }
    case "invalid_value": {
      const values = issue.values.map((v) => String(v));
      const hint = typeof issue.input === "string" ? didYouMean(issue.input, values) : "";
      const list = values.length === 1 ? `"${values[0]}"` : `one of ${values.map((v) => `"${v}"`).join(", ")}`;
      return [{ ...at(path), message: `${label ? `${label}: ` : ""}expected ${list}, got ${describe(issue.input)}${hint}` }];
    }
    case "invalid_union":
      return convertUnion(scope, issue, path);
    case "invalid_key": {
      // A record's key (a node, class, region or zone name): said at the key, with what a name may be.
      const inner = issue.issues[0];
      const what =
        inner === undefined ? "is not a valid name" : inner.code === "too_big" ? `is longer than ${String(inner.maximum)} characters` : inner.code === "invalid_format" || inner.code === "custom" ? inner.message : "is not a valid name";
      return [{ ...at(path, true), message: `name "${field}" ${what.startsWith("expected") ? `is not valid: ${what}` : what}` }];
    }
    case "too_big":
    case "too_small":
      return [{ ...at(path), message: sizeMessage(issue, label) }];
    case "invalid_format": {
      // A name or zone of the wrong shape: say which value it was (a list's items are told apart by it).
      const got = typeof issue.input === "string" ? `, got ${describe(issue.input)}` : "";
      return [{ ...at(path), message: `${label ? `${label}: ` : ""}${issue.message}${got}` }];
    }
    case "custom":
    default:
      // A refinement's message says it whole; an item of a list still needs its place said.
      return [{ ...at(path), message: `${issue.code === "custom" ? (itemLabel(path) !== null ? `${itemLabel(path)}: ` : "") : label ? `${label}: ` : ""}${issue.message}` }];
  }
}

/** An item of a list, by the list's key and its place from 1 ("item 2 of "members""), or null when the value is no list item. */
function itemLabel(path: Path): string | null {
  const last = path[path.length - 1];
  if (typeof last !== "number") return null;
  const parent = path.length > 1 ? path[path.length - 2] : undefined;
  // A list inside a list (a partition's sides): "item 1 of item 2 of "partition"".
  const of = typeof parent === "string" ? `"${parent}"` : (itemLabel(path.slice(0, -1)) ?? "the list");
  return `item ${last + 1} of ${of}`;
}

/** A union no branch of which matched: a missing key, a wrong discriminator, or the inner issues of the likeliest branch. */
function convertUnion(scope: Scope, issue: Issue & { code: "invalid_union" }, path: Path): Diagnostic[] {
  const { source } = scope;
  const at = (p: Path) => ({ file: source.file, ...locate(source, p) });
  const field = path.length > 0 ? String(path[path.length - 1]) : "";
  // A key that is absent fails every branch of its union: say it is missing.
  if (issue.input === undefined && path.length > 0 && typeof path[path.length - 1] === "string") {
    return [{ ...at(path.slice(0, -1)), message: `missing required key "${field}"` }];
  }
  if (issue.errors.length === 0) {
    const options = (issue as unknown as { options?: unknown[] }).options ?? [];
    const got = (issue as unknown as { discriminator?: string }).discriminator;
    const input = got && issue.input && typeof issue.input === "object" ? (issue.input as Record<string, unknown>)[got] : issue.input;
    const names = options.map(String);
    const hint = typeof input === "string" ? didYouMean(input, names) : "";
    return [{ ...at(path), message: `expected ${field ? `"${field}" to be ` : ""}one of ${names.map((n) => `"${n}"`).join(", ")}, got ${describe(input)}${hint}` }];
  }
  const branch = bestBranch(issue.errors as Issue[][]);
  const onlyRootTypes = issue.errors.every((b) => b.every((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "unrecognized_keys")));
  if (onlyRootTypes) {
    const expected = [...new Set(issue.errors.flatMap((b) => b.filter((i) => i.code === "invalid_type").map((i) => (i as { expected: string }).expected)))];
    if (expected.length > 0 && !issue.errors.some((b) => b.length === 1 && b[0].code === "unrecognized_keys")) {
      return [{ ...at(path), message: `${field ? `"${field}": ` : ""}expected ${expected.map(article).join(" or ")}, got ${describe(issue.input)}` }];
    }
  }
  // Which branch the user meant is a guess: beside an unknown key, the guessed branch's
  // missing keys are noise (the unknown key's did-you-mean draws on every branch).
  const unknownAt = new Set(branch.filter((i) => i.code === "unrecognized_keys").map((i) => JSON.stringify(i.path)));
  const shown = branch.filter((i) => !(i.code === "invalid_type" && i.input === undefined && unknownAt.has(JSON.stringify(i.path.slice(0, -1)))));
  return shown.flatMap((inner) => convert(scope, inner, [...path, ...(inner.path as PropertyKey[])]));
}

/** The latency distribution's shapes (schema.ts latencySchema): a distribution is one of them. */
const LATENCY_SHAPES = ["median", "constant", "uniform", "exponential", "pareto", "lognormal", "mix"];

/** `key` belongs to another form of the value than `others` (keys of the form the value was read as). */
function mixedForms(key: string, others: string[], known: string[]): string {
  const beside = others.length > 0 ? others.map((k) => `"${k}"`).join(" and ") : "the other keys";
  if (LATENCY_SHAPES.every((shape) => known.includes(shape))) {
    return `a latency distribution takes exactly one shape; this one has "${key}" beside ${beside}: keep one of ${LATENCY_SHAPES.filter((s) => s !== "median").join(", ")} or median/p99`;
  }
  return `"${key}" does not go with ${beside}: they belong to different forms of this value; give one form`;
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
  return value;
}

/** A value, string or list outside its bounds. */
function sizeMessage(issue: Issue & { code: "too_big" | "too_small" }, label: string): string {
  const big = issue.code === "too_big";
  const limit = big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum;
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  const origin = (issue as { origin?: string }).origin;
  // Its key, or for an item of a list its place in the list ('item 2 of "partition"', not '"1"').
  const subject = label || "the value";
  let message: string;
  if (origin === "array") message = `${subject} ${big ? "may have at most" : "needs at least"} ${limit} item${Number(limit) === 1 ? "" : "s"}`;
  else if (origin === "string") message = `${subject} ${big ? "may be at most" : "needs at least"} ${limit} characters`;
  else if (big) message = `${subject} is ${describe(issue.input)}, above the limit of ${limit}${inclusive ? "" : " (exclusive)"}`;
  else message = `${subject} is ${describe(issue.input)}; expected ${inclusive ? "at least" : "more than"} ${limit}`;
  return message;
}

function expectedSuffix(expected: string): string {
  return expected && expected !== "unknown" ? ` (${article(expected)})` : "";
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    tuple: "a list",
    string: "a string",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    record: "a mapping",
  };
  return names[type] ?? type;
}

/** Among a union's branches, the one whose issues say most about what the user meant. */
function bestBranch(branches: Issue[][]): Issue[] {
  let best = branches[0];
  let bestScore = Infinity;
  for (const branch of branches) {
    const score = branchScore(branch);
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/** How little a branch's issues say about what the user meant (lower: likelier the branch meant). */
function branchScore(branch: Issue[]): number {
  // A branch that is itself a union (the latency shapes inside a WARS leg) is as good as its best branch: one
  // issue saying "no shape matched" is no closer a fit than a branch that names the one wrong value.
  if (branch.length === 1 && branch[0].code === "invalid_union" && branch[0].path.length === 0 && branch[0].errors.length > 0) {
    return Math.min(...(branch[0].errors as Issue[][]).map(branchScore));
  }
  // A branch of the wrong type altogether says least; one with a wrong key or tag next to least.
  const wrongType = branch.some((i) => i.path.length === 0 && i.code === "invalid_type");
  const rootMismatch = branch.some(
    (i) => i.path.length <= 1 && (i.code === "unrecognized_keys" || (i.code === "invalid_type" && i.input === undefined) || i.code === "invalid_value"),
  );
  return (wrongType ? 100_000 : 0) + (rootMismatch ? 1000 : 0) + branch.length;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  valueType?: z.ZodMiniType;
  element?: z.ZodMiniType;
  items?: z.ZodMiniType[];
  options?: z.ZodMiniType[];
  innerType?: z.ZodMiniType;
  in?: z.ZodMiniType;
  discriminator?: string;
}

const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The keys an object schema allows at a path, found by walking the schema beside the data. */
export function keysAt(schema: z.ZodMiniType, path: Path, data: unknown): string[] {
  const candidates = schemasAt(schema, path, data);
  const keys = new Set<string>();
  for (const candidate of candidates) {
    const def = defOf(candidate);
    if (def.type === "object" && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

function schemasAt(schema: z.ZodMiniType, path: Path, data: unknown): z.ZodMiniType[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      return schemasAt(def.innerType!, path, data);
    case "pipe":
      return schemasAt(def.in!, path, data);
    case "union": {
      let options = def.options!;
      if (def.discriminator && data && typeof data === "object") {
        const value = (data as Record<string, unknown>)[def.discriminator];
        const matching = options.filter((o) => {
          const shape = defOf(o).shape;
          const literal = shape?.[def.discriminator!] && defOf(shape[def.discriminator!]) as unknown as { values?: unknown[] };
          return literal?.values?.includes(value);
        });
        if (matching.length > 0) options = matching;
      }
      return options.flatMap((o) => schemasAt(o, path, data));
    }
  }
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  const child = data && typeof data === "object" ? (data as Record<string, unknown>)[head as string] : undefined;
  switch (def.type) {
    case "object":
      return def.shape && def.shape[head as string] ? schemasAt(def.shape[head as string], rest, child) : [];
    case "record":
      return schemasAt(def.valueType!, rest, child);
    case "array":
      return schemasAt(def.element!, rest, child);
    case "tuple":
      return def.items && def.items[head as number] ? schemasAt(def.items[head as number], rest, child) : [];
    default:
      return [];
  }
}
