// Salvage: what can still be checked in a file that breaks the schema. A
// scenario with a missing `workload`, a missing `writes` and an unknown node
// used to take three runs to fix, because the cross-checks (names of nodes,
// zones, classes, faults after the end) ran only once the schema passed. Here
// the parts of the data that pass the schema on their own are kept, the parts
// that do not are left out (or stood in for by a neutral placeholder when the
// key is required), and the result is checked again. If it passes, the
// cross-checks run on it, and their problems are kept except those about a
// part that was left out or stood in for: those would be the salvage's, not
// the user's.
import type * as z from "zod/mini";
import type { Problem } from "./resolve.js";

type Path = readonly PropertyKey[];

export interface Placeholder {
  /** The raw value (as written in YAML) that stands in for a required key that is missing or invalid. */
  value: unknown;
  /** Problems at exactly these paths depend on the placeholder's value and are dropped. */
  dependents?: Path[];
}

export interface SalvagePlan {
  placeholders?: Record<string, Placeholder>;
  /** Keys holding a list or a mapping whose entries stand alone: an invalid entry is left out, the others are kept. */
  entryWise?: string[];
}

export interface Salvaged<T> {
  value: T;
  /** The problem as the user's file has it (list indexes restored), or null when it is about a part left out. */
  keep(problem: Problem): Problem | null;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  innerType?: z.ZodMiniType;
  element?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
}

const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A schema without its optional wrapper. */
function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  const def = defOf(schema);
  return def.type === "optional" && def.innerType ? unwrap(def.innerType) : schema;
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The salvageable part of `data` for an object schema, or null when not even that passes. */
export function salvage<S extends z.ZodMiniType>(schema: S, data: unknown, plan: SalvagePlan): Salvaged<z.output<S>> | null {
  const shape = defOf(schema).shape;
  if (!shape || !isMapping(data)) return null;
  const out: Record<string, unknown> = {};
  const state: SalvageState = { dropped: [], dependents: [], indexes: new Map() };
  for (const [key, value] of Object.entries(data)) {
    const field = shape[key];
    if (!field) continue; // An unknown key is reported by the schema and means nothing to the cross-checks.
    if (field.safeParse(value).success) out[key] = value;
    else if (plan.entryWise?.includes(key) && keepEntries(key, unwrap(field), value, out, state)) continue;
    else state.dropped.push([key]);
  }
  for (const [key, placeholder] of Object.entries(plan.placeholders ?? {})) {
    if (key in out) continue;
    out[key] = placeholder.value;
    state.dropped.push([key]);
    state.dependents.push(...(placeholder.dependents ?? []));
  }
  const result = schema.safeParse(out);
  if (!result.success) return null;
  return { value: result.data, keep: (problem) => keepProblem(problem, state) };
}

interface SalvageState {
  dropped: Path[];
  dependents: Path[];
  /** For a list salvaged entry by entry: the original index of each kept entry. */
  indexes: Map<string, number[]>;
}

/** Keeps the valid entries of a list or mapping; false when the value is neither. */
function keepEntries(key: string, field: z.ZodMiniType, value: unknown, out: Record<string, unknown>, state: SalvageState): boolean {
  const def = defOf(field);
  if (def.type === "array" && def.element && Array.isArray(value)) {
    const kept: unknown[] = [];
    const indexes: number[] = [];
    value.forEach((entry, i) => {
      if (def.element!.safeParse(entry).success) {
        kept.push(entry);
        indexes.push(i);
      }
    });
    out[key] = kept;
    state.indexes.set(key, indexes);
    return true;
  }
  if (def.type === "record" && def.valueType && isMapping(value)) {
    const kept: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value)) {
      if (def.valueType.safeParse(entry).success) kept[name] = entry;
      else state.dropped.push([key, name]);
    }
    out[key] = kept;
    return true;
  }
  return false;
}

function keepProblem(problem: Problem, state: SalvageState): Problem | null {
  const [head, index, ...rest] = problem.path;
  const indexes = typeof head === "string" ? state.indexes.get(head) : undefined;
  const path = indexes && typeof index === "number" ? [head, indexes[index], ...rest] : problem.path;
  if (state.dropped.some((d) => startsWith(path, d))) return null;
  if (state.dependents.some((d) => d.length === path.length && startsWith(path, d))) return null;
  return path === problem.path ? problem : { ...problem, path };
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
