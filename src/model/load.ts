// Loading a file end to end: read safely, parse YAML with positions, validate
// against the schema, resolve presets and defaults, cross-check names. Every
// problem in a file is collected and thrown at once as an InputError.
import { dirname, resolve as resolvePath, relative } from "node:path";
import type { z } from "zod";
import { didYouMean, InputError, MAX_DIAGNOSTICS, truncationNote, type Diagnostic } from "./diagnostics.js";
import { issuesToDiagnostics } from "./issues.js";
import { resolveTopology, type Problem } from "./resolve.js";
import { resolveScenario } from "./scenario.js";
import { fileSchemas, latencyFileSchema, scenarioSchema, topologySchema, type LatencyFileInput } from "./schema.js";
import type { ResolvedScenario, ResolvedTopology } from "./types.js";
import { loadYaml, locate, parseYaml, type YamlSource } from "./yaml.js";

export type Loaded =
  | { kind: "topology"; source: YamlSource; topology: ResolvedTopology }
  | { kind: "scenario"; source: YamlSource; scenario: ResolvedScenario; topologySource: YamlSource; topologyPrefix: PropertyKey[] }
  | { kind: "latency"; source: YamlSource; latency: LatencyFileInput }
  | { kind: "drill"; source: YamlSource };

const KINDS = ["topology", "scenario", "latency", "drill"];

/** A display name for a file: relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && rel.length < file.length ? rel : file;
}

export function loadFile(file: string): Loaded {
  return loadSource(loadYaml(displayPath(file)), resolvePath(file));
}

export function loadText(file: string, text: string): Loaded {
  return loadSource(parseYaml(file, text), resolvePath(file));
}

function loadSource(source: YamlSource, absolute: string): Loaded {
  const data = source.data as Record<string, unknown>;
  const kind = data.kind;
  if (kind === undefined) {
    throw new InputError([{ file: source.file, ...locate(source, []), message: `missing "kind:"; expected one of ${KINDS.join(", ")}` }]);
  }
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    throw new InputError([{ file: source.file, ...locate(source, ["kind"]), message: `unknown kind ${JSON.stringify(kind)}${typeof kind === "string" ? didYouMean(kind, KINDS) : ""}; expected one of ${KINDS.join(", ")}` }]);
  }
  if (kind === "drill") return { kind: "drill", source };
  if (kind === "latency") return { kind: "latency", source, latency: validate(source, latencyFileSchema) };
  if (kind === "topology") {
    const input = validate(source, topologySchema);
    const { topology, problems } = resolveTopology(input);
    throwProblems(source, problems);
    return { kind: "topology", source, topology };
  }
  const input = validate(source, scenarioSchema);
  let topologySource = source;
  let topologyPrefix: PropertyKey[] = ["topology"];
  let topologyFile: string | null = null;
  let topology: ResolvedTopology;
  if (typeof input.topology === "string") {
    const target = resolvePath(dirname(absolute), input.topology);
    try {
      topologySource = loadYaml(displayPath(target));
    } catch (error) {
      if (error instanceof InputError && error.diagnostics.length === 1 && error.diagnostics[0].line === 0) {
        const d = error.diagnostics[0];
        throw new InputError([{ file: source.file, ...locate(source, ["topology"]), message: `topology "${input.topology}" (${d.file}): ${d.message}` }]);
      }
      throw error;
    }
    topologyPrefix = [];
    topologyFile = target;
    const kindOf = (topologySource.data as Record<string, unknown>).kind;
    if (kindOf !== "topology") {
      throw new InputError([{ file: source.file, ...locate(source, ["topology"]), message: `"${input.topology}" is a ${String(kindOf ?? "file without kind")}, not a topology` }]);
    }
    const resolved = resolveTopology(validate(topologySource, topologySchema));
    throwProblems(topologySource, resolved.problems);
    topology = resolved.topology;
  } else {
    const resolved = resolveTopology(input.topology);
    throwProblems(source, resolved.problems.map((p) => ({ ...p, path: ["topology", ...p.path] })));
    topology = resolved.topology;
  }
  const { scenario, problems } = resolveScenario(input, topology, absolute, topologyFile);
  throwProblems(source, problems);
  return { kind: "scenario", source, scenario, topologySource, topologyPrefix };
}

function validate<S extends z.ZodType>(source: YamlSource, schema: S): z.output<S> {
  const result = schema.safeParse(source.data, { reportInput: true });
  if (result.success) return result.data;
  throw new InputError(sortDiagnostics(issuesToDiagnostics(source, schema, result.error.issues as never)));
}

function throwProblems(source: YamlSource, problems: Problem[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, MAX_DIAGNOSTICS).map((p) => ({ file: source.file, ...locate(source, p.path, { key: p.key }), message: p.message }));
  throw new InputError(sortDiagnostics(problems.length > MAX_DIAGNOSTICS ? [...shown, truncationNote(source.file, problems.length)] : shown));
}

/** By position; diagnostics about the whole file (line 0) come last. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const line = (d: Diagnostic) => (d.line === 0 ? Number.MAX_SAFE_INTEGER : d.line);
  return [...diagnostics].sort((a, b) => line(a) - line(b) || a.column - b.column);
}

export { fileSchemas };
