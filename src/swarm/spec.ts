// A generated case in the shape of the YAML it becomes. Times are kept as
// milliseconds (so the shrinker can halve and shift them) and written with a
// unit only when the case is rendered; everything else is already the
// YAML-ready value. Every case renders to one self-contained scenario file, so
// a failure is replayed with `repl-lab simulate FILE`.
import { Document, isCollection, isMap, isPair, visit } from "yaml";

/** One fault: when, for how long, and its single action key(s) exactly as the scenario format spells them. */
export interface FaultSpec {
  atMs: number;
  forMs?: number;
  /** e.g. { crash: "n0" }, { slow: "n1", apply_rate: 100 }, { partition: [["east/a"], ["east/b"]] }. */
  action: Record<string, unknown>;
}

export interface WorkloadSpec {
  writes: number;
  reads?: number;
  clients?: number;
  keys?: number;
  timeoutMs?: number;
  zones?: string[];
}

/** A topology as YAML-ready data (durations already written with units). */
export interface TopologySpec {
  kind: "topology";
  name: string;
  preset?: string;
  regions: Record<string, { zones: string[] }>;
  network?: Record<string, unknown>;
  nodes: Record<string, Record<string, unknown> & { zone: string }>;
  replication: Record<string, unknown> & { mode: string };
  failover?: Record<string, unknown>;
  data_classes: Record<string, Record<string, unknown>>;
}

export interface CaseSpec {
  name: string;
  description?: string;
  seed: number;
  durationMs: number;
  workload: WorkloadSpec;
  /** Inline (generated designs) or a path relative to the scenario file (explore: the user's topology). */
  topology: TopologySpec | string;
  faults: FaultSpec[];
}

/** Milliseconds → a duration string the loader reads back exactly ("12s", "1500ms"). */
export function durationText(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return "0s";
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}

export function faultDocument(fault: FaultSpec): Record<string, unknown> {
  return { at: durationText(fault.atMs), ...fault.action, ...(fault.forMs !== undefined ? { for: durationText(fault.forMs) } : {}) };
}

export function caseDocument(spec: CaseSpec): Record<string, unknown> {
  const w = spec.workload;
  const workload = {
    writes: w.writes,
    ...(w.reads !== undefined ? { reads: w.reads } : {}),
    ...(w.clients !== undefined ? { clients: w.clients } : {}),
    ...(w.keys !== undefined ? { keys: w.keys } : {}),
    ...(w.timeoutMs !== undefined ? { timeout: durationText(w.timeoutMs) } : {}),
    ...(w.zones !== undefined ? { zones: w.zones } : {}),
  };
  return {
    kind: "scenario",
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    topology: spec.topology,
    seed: spec.seed,
    duration: durationText(spec.durationMs),
    workload,
    faults: spec.faults.map(faultDocument),
  };
}

/** Small collections go on one line (as the bundled scenarios write them); the rest stay in block style. */
const FLOW_MAX_CHARS = 96;

export function toYaml(value: unknown, header?: string): string {
  const document = new Document(value);
  visit(document, {
    Map: (_, node, path) => flowIfSmall(node, path.length),
    Seq: (_, node, path) => flowIfSmall(node, path.length),
  });
  const body = document.toString({ lineWidth: 0, flowCollectionPadding: true });
  if (header === undefined) return body;
  return `${header
    .split("\n")
    .map((line) => `# ${line}`.trimEnd())
    .join("\n")}\n${body}`;
}

function flowIfSmall(node: unknown, depth: number): void {
  if (!isCollection(node) || depth < 2) return;
  // A collection of mappings (nodes, faults, data classes) stays a block, one entry per line.
  const items = node.items.map((item) => (isPair(item) ? item.value : item));
  if (items.some((item) => isMap(item))) return;
  if (JSON.stringify(node.toJSON()).length <= FLOW_MAX_CHARS) node.flow = true;
}

export function caseYaml(spec: CaseSpec, header?: string): string {
  return toYaml(caseDocument(spec), header);
}

/** A deep copy (specs are plain data). */
export function cloneCase(spec: CaseSpec): CaseSpec {
  return structuredClone(spec);
}
