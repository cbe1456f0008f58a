// Loading a file end to end: read safely, parse YAML with positions, validate
// against the schema, resolve presets and defaults, cross-check names. Every
// problem of a file is collected and thrown at once as an InputError: the
// cross-checks run even when the schema fails, on what can be salvaged.
import { dirname, resolve as resolvePath, relative } from "node:path";
import * as z from "zod/mini";
import { didYouMean, fileProblem, InputError, MAX_DIAGNOSTICS, truncationNote, type Diagnostic } from "./diagnostics.js";
import { countedDiagnostics } from "./issues.js";
import { resolveTopology, type Problem } from "./resolve.js";
import { salvage, type Salvaged, type SalvagePlan } from "./salvage.js";
import type { LineOf } from "./fault-schedule.js";
import { resolveScenario } from "./scenario.js";
import { fileSchemas, latencyFileSchema, LIMITS, scenarioSchema, topologySchema, type LatencyFileInput, type ScenarioInput } from "./schema.js";
import type { ResolvedScenario, ResolvedTopology } from "./types.js";
import { outsideRoot, outsideRootMessage } from "./root.js";
import { loadYaml, locate, parseYaml, type YamlSource } from "./yaml.js";

export type Loaded =
  | { kind: "topology"; source: YamlSource; topology: ResolvedTopology }
  | { kind: "scenario"; source: YamlSource; scenario: ResolvedScenario; topologySource: YamlSource; topologyPrefix: PropertyKey[] }
  | { kind: "latency"; source: YamlSource; latency: LatencyFileInput }
  | { kind: "drill"; source: YamlSource };

const KINDS = ["topology", "scenario", "latency", "drill"];
/** The longest `topology:` path a scenario may give. */
const TOPOLOGY_PATH_MAX = 1000;

/** A display name for a file: relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && rel.length < file.length ? rel : file;
}

/** How files are read: with `root`, every file (and every topology path) must resolve inside that folder. */
export interface LoadOptions {
  /** A real path (see checkRoot). */
  root?: string;
  /**
   * false: leave out the checks that read the faults as a schedule (fault-schedule.ts), for a generator that
   * draws random schedules and prunes them with those same checks.
   */
  scheduleChecks?: boolean;
  /**
   * The kinds the caller can use, and what to say of another: a file of the wrong kind is refused at its kind line
   * before its own schema is checked, so that a broken topology given where a latency file is expected is named for
   * what it is, not listed by the topology schema's errors.
   */
  expect?: { kinds: readonly string[]; wrongKind: (kind: string, data: Readonly<Record<string, unknown>>) => string };
}

export function loadFile(file: string, options: LoadOptions = {}): Loaded {
  if (options.root !== undefined) {
    const outside = outsideRoot(options.root, file);
    if (outside !== null) throw new InputError([fileProblem(displayPath(file), outsideRootMessage(outside, options.root))]);
  }
  return loadSource(loadYaml(displayPath(file)), resolvePath(file), options);
}

export function loadText(file: string, text: string, options: LoadOptions = {}): Loaded {
  return loadSource(parseYaml(file, text), resolvePath(file), options);
}

function loadSource(source: YamlSource, absolute: string, options: LoadOptions): Loaded {
  const data = source.data as Record<string, unknown>;
  const kind = data.kind;
  if (kind === undefined) {
    throw new InputError([{ file: source.file, ...locate(source, []), message: `missing "kind:"; expected one of ${KINDS.join(", ")}` }]);
  }
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    throw new InputError([{ file: source.file, ...locate(source, ["kind"]), message: `unknown kind ${JSON.stringify(kind)}${typeof kind === "string" ? didYouMean(kind, KINDS) : ""}; expected one of ${KINDS.join(", ")}` }]);
  }
  if (options.expect !== undefined && !options.expect.kinds.includes(kind)) {
    throw new InputError([{ file: source.file, ...locate(source, ["kind"]), message: options.expect.wrongKind(kind, data) }]);
  }
  if (kind === "drill") return { kind: "drill", source };
  const problems = new Problems();
  if (kind === "latency") {
    const latency = problems.check(source, latencyFileSchema, source.data, [], {});
    problems.throwIfAny();
    return { kind: "latency", source, latency: latency!.value };
  }
  if (kind === "topology") {
    const topology = problems.topology(source, source.data, []);
    problems.throwIfAny();
    return { kind: "topology", source, topology: topology! };
  }
  return loadScenario(source, absolute, problems, options);
}

/**
 * A scenario's own keys and its topology are checked apart, so that a broken
 * topology does not hide the scenario's problems, nor the reverse; the
 * cross-checks run on whatever of both can be salvaged.
 */
function loadScenario(source: YamlSource, absolute: string, problems: Problems, options: LoadOptions): Loaded {
  const shell = problems.check(source, scenarioShell, source.data, [], SCENARIO_SALVAGE);
  const reference = (source.data as Record<string, unknown>).topology;
  let linked: LinkedTopology = { topology: null, source, prefix: ["topology"], file: null };
  if (typeof reference === "string" && reference.length <= TOPOLOGY_PATH_MAX) linked = linkTopology(source, absolute, reference, problems, options);
  else if (isMapping(reference)) linked.topology = problems.topology(source, reference, ["topology"]);
  if (shell && linked.topology) {
    const input = { ...shell.value, topology: reference } as ScenarioInput;
    const resolved = resolveScenario(input, linked.topology, absolute, linked.file, options.scheduleChecks === false ? null : scheduleOf(source, shell.value.faults));
    problems.add(source, resolved.problems, shell.keep);
    problems.throwIfAny();
    return { kind: "scenario", source, scenario: resolved.scenario, topologySource: linked.source, topologyPrefix: linked.prefix };
  }
  problems.throwIfAny();
  // The schema passed but a part could not be salvaged: an assertion, never a user's error.
  throw new Error(`${source.file}: the scenario passed its checks but could not be resolved`);
}

/** How the schedule checks name a fault's line; null when an invalid fault was left out (the rest is not the file's schedule). */
function scheduleOf(source: YamlSource, kept: readonly unknown[] | undefined): { lineOf: LineOf } | null {
  const written = (source.data as Record<string, unknown>).faults;
  if ((kept?.length ?? 0) !== (Array.isArray(written) ? written.length : 0)) return null;
  return { lineOf: (path) => locate(source, path).line };
}

interface LinkedTopology {
  topology: ResolvedTopology | null;
  source: YamlSource;
  prefix: PropertyKey[];
  file: string | null;
}

/** A topology named by path: its own file's problems are reported in that file. */
function linkTopology(source: YamlSource, absolute: string, reference: string, problems: Problems, options: LoadOptions): LinkedTopology {
  const target = resolvePath(dirname(absolute), reference);
  const unlinked: LinkedTopology = { topology: null, source, prefix: ["topology"], file: target };
  const outside = options.root === undefined ? null : outsideRoot(options.root, target);
  if (outside !== null) {
    problems.push({ file: source.file, ...locate(source, ["topology"]), message: `topology "${reference}" ${outsideRootMessage(outside, options.root!)}` });
    return unlinked;
  }
  let topologySource: YamlSource;
  try {
    topologySource = loadYaml(displayPath(target));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    if (error.diagnostics.length === 1 && error.diagnostics[0].wholeFile === true) {
      const d = error.diagnostics[0];
      problems.push({ file: source.file, ...locate(source, ["topology"]), message: `topology "${reference}" (${d.file}): ${d.message}` });
    } else {
      for (const d of error.diagnostics) problems.push(d);
    }
    return unlinked;
  }
  const kindOf = (topologySource.data as Record<string, unknown>).kind;
  if (kindOf !== "topology") {
    problems.push({ file: source.file, ...locate(source, ["topology"]), message: `"${reference}" is a ${String(kindOf ?? "file without kind")}, not a topology` });
    return unlinked;
  }
  return { topology: problems.topology(topologySource, topologySource.data, []), source: topologySource, prefix: [], file: target };
}

/** The scenario's own keys; its topology (a path or an inline mapping) is checked on its own. */
const scenarioShell = z.extend(scenarioSchema, { topology: z.union([z.string().check(z.maxLength(TOPOLOGY_PATH_MAX)), z.record(z.string(), z.unknown())]) });

/** What stands in for a scenario's broken required keys while its cross-checks run. */
const SCENARIO_SALVAGE: SalvagePlan = {
  placeholders: {
    name: { value: "unnamed" },
    // The longest run allowed: no fault is "after the end" because the duration is broken; the request limit it implies is not the user's.
    duration: { value: `${LIMITS.scenarioDurationMs / 1000}s`, dependents: [["workload"]] },
    workload: { value: { writes: 0 } },
  },
  entryWise: ["faults", "expect"],
};

/** A topology's required keys have no stand-in: the cross-checks need its real names. */
const TOPOLOGY_SALVAGE: SalvagePlan = { placeholders: { name: { value: "unnamed" } } };

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every problem of the files being loaded, gathered before one InputError is
 * thrown: schema issues, then the cross-checks of whatever could be salvaged.
 */
class Problems {
  private readonly byFile = new Map<string, { diagnostics: Diagnostic[]; uncounted: number }>();

  /** The value checked against a schema, else its diagnostics and the salvageable part (or null). */
  check<S extends z.ZodMiniType>(source: YamlSource, schema: S, data: unknown, prefix: PropertyKey[], plan: SalvagePlan): Salvaged<z.output<S>> | null {
    // jitless: a file is checked once, and zod's generated fast path costs more to compile than it saves.
    const result = schema.safeParse(data, { reportInput: true, jitless: true });
    if (result.success) return { value: result.data, keep: (p) => p };
    const { diagnostics, total } = countedDiagnostics(source, schema, result.error.issues as never, prefix);
    for (const d of diagnostics) this.push(d);
    this.entry(source.file).uncounted += total - diagnostics.length;
    return salvage(schema, data, plan);
  }

  /**
   * A topology checked and resolved (from salvage when its schema fails); null
   * when not even that is possible, or when its cross-checks fail (a node in an
   * unknown zone): a scenario's cross-checks need a consistent topology.
   */
  topology(source: YamlSource, data: unknown, prefix: PropertyKey[]): ResolvedTopology | null {
    const input = this.check(source, topologySchema, data, prefix, TOPOLOGY_SALVAGE);
    if (!input) return null;
    const resolved = resolveTopology(input.value);
    this.add(source, resolved.problems.map((p) => ({ ...p, path: [...prefix, ...p.path] })), (p) => {
      const kept = input.keep({ ...p, path: p.path.slice(prefix.length) });
      return kept && { ...kept, path: [...prefix, ...kept.path] };
    });
    return resolved.problems.length === 0 ? resolved.topology : null;
  }

  add(source: YamlSource, problems: readonly Problem[], keep: (p: Problem) => Problem | null): void {
    for (const problem of problems) {
      const kept = keep(problem);
      if (kept) this.push({ file: source.file, ...locate(source, kept.path, { key: kept.key }), message: kept.message });
    }
  }

  push(d: Diagnostic): void {
    this.entry(d.file).diagnostics.push(d);
  }

  /** Throws every problem: by file in order of appearance, by position in a file, at most MAX_DIAGNOSTICS a file. */
  throwIfAny(): void {
    const out: Diagnostic[] = [];
    for (const [file, { diagnostics, uncounted }] of this.byFile) {
      const unique = [...new Map(diagnostics.map((d) => [`${d.line}:${d.column}:${d.message}`, d])).values()];
      const sorted = sortDiagnostics(unique);
      out.push(...sorted.slice(0, MAX_DIAGNOSTICS));
      const hidden = sorted.length - Math.min(sorted.length, MAX_DIAGNOSTICS) + uncounted;
      if (hidden > 0) out.push(truncationNote(file, hidden));
    }
    if (out.length > 0) throw new InputError(out);
  }

  private entry(file: string): { diagnostics: Diagnostic[]; uncounted: number } {
    let entry = this.byFile.get(file);
    if (!entry) this.byFile.set(file, (entry = { diagnostics: [], uncounted: 0 }));
    return entry;
  }
}

/** By position; diagnostics about the whole file (line 0) come last. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const line = (d: Diagnostic) => (d.line === 0 ? Number.MAX_SAFE_INTEGER : d.line);
  return [...diagnostics].sort((a, b) => line(a) - line(b) || a.column - b.column);
}

export { fileSchemas };
