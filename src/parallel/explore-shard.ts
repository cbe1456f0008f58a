// One slice of an explore search, as a file: `explore --shard K/M --json`
// writes it and `repl-lab merge` folds the slices back into the unsharded
// report. A slice carries the resolved design and the search's settings (so
// every slice is checked to belong to the same search), K and M, and the
// worst findings of its range of schedules. Paths are kept as the user gave
// them (relative to where explore ran), so a merge in another checkout of the
// same repository resolves them against its own working directory.
import type { ResolvedTopology } from "../model/types.js";
import { shardRange } from "../engine/trials.js";
import { exploreReport, foldFindings, type BestFindings, type ExploreOptions, type ExploreReport, type Finding } from "../swarm/explore.js";
import { FAULT_KINDS, type FaultKind } from "../swarm/schedule.js";
import { inShardOrder } from "./shard.js";
import { isAbsolute } from "node:path";

export const EXPLORE_SHARD_FORMAT = "repl-lab/explore-shard";
export const EXPLORE_SHARD_VERSION = 1;

/** The search a slice belongs to; equal in every slice of one search. */
export interface ExploreSearch {
  /** The topology file and the output folder as given on the command line. */
  topologyFile: string;
  outDir: string;
  seed: number;
  schedules: number;
  kinds: FaultKind[];
  writes: number;
}

export interface ExploreShardDocument {
  format: typeof EXPLORE_SHARD_FORMAT;
  version: typeof EXPLORE_SHARD_VERSION;
  shard: { index: number; count: number };
  search: ExploreSearch;
  topology: ResolvedTopology;
  /** The worst finding per kind and subject among the slice's schedules (schedule numbers are the whole search's). */
  findings: Finding[];
}

export function exploreShardDocument(topology: ResolvedTopology, search: ExploreSearch, index: number, count: number, best: BestFindings): ExploreShardDocument {
  return { format: EXPLORE_SHARD_FORMAT, version: EXPLORE_SHARD_VERSION, shard: { index, count }, search, topology, findings: [...best.values()] };
}

/** What is wrong with an item that claims to be an explore slice, or null. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function exploreShardProblem(item: unknown): string | null {
  const d = item as Partial<ExploreShardDocument>;
  if (d.version !== EXPLORE_SHARD_VERSION) return `is an explore shard of format version ${String(d.version)}; this repl-lab reads version ${EXPLORE_SHARD_VERSION}`;
  const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  const search = d.search;
  if (!d.shard || !whole(d.shard.count, 1) || !whole(d.shard.index, 1) || d.shard.index > d.shard.count) return "has a malformed shard header (shard index or count)";
  if (typeof search !== "object" || search === null || !whole(search.schedules, 1) || !whole(search.seed, 0) || typeof search.topologyFile !== "string" || typeof search.outDir !== "string" || !Array.isArray(search.kinds) || !whole(search.writes, 1)) return "has a malformed search header";
  if (d.shard.count > search.schedules) return `is slice ${d.shard.index}/${d.shard.count} of only ${search.schedules} schedules`;
  if (!search.kinds.every((k) => (FAULT_KINDS as readonly unknown[]).includes(k))) return `names fault kinds explore does not have (expected some of ${FAULT_KINDS.join(", ")})`;
  if (typeof d.topology !== "object" || d.topology === null || typeof d.topology.name !== "string" || !Array.isArray(d.findings)) return "has no topology or no findings";
  const { from, to } = shardRange(search.schedules, d.shard.index, d.shard.count);
  for (const f of d.findings) {
    const problem = findingProblem(f);
    if (problem) return problem;
    if (f.schedule < from || f.schedule >= to) return `holds a finding outside its schedules ${from + 1}..${to}`;
  }
  return null;
}

/** A relative path that stays inside the folder it is resolved in. */
export function insideWorkingDirectory(path: string): boolean {
  return path.length > 0 && !isAbsolute(path) && !path.split(/[\\/]/).includes("..");
}

const KINDS: readonly string[] = ["rpo", "rto", "split-brain", "violation"];
/** Explore's own file names: "rpo-ledger.yaml", "violation-single-writer.yaml" — never a path. */
const FILE_NAME = /^[A-Za-z0-9_-]+\.yaml$/;

function findingProblem(item: unknown): string | null {
  const f = item as Partial<Finding> | null;
  if (typeof f !== "object" || f === null || !KINDS.includes(f.kind as string)) return "holds a finding of no known kind";
  if (typeof f.fileName !== "string" || !FILE_NAME.test(f.fileName)) return `holds a finding whose file name is not explore's (${JSON.stringify(f.fileName)})`;
  const numberOrNull = (v: unknown) => v === null || (typeof v === "number" && Number.isFinite(v));
  if (!Number.isSafeInteger(f.schedule) || !numberOrNull(f.value) || !numberOrNull(f.targetMs) || typeof f.broken !== "boolean") return "holds a malformed finding (schedule, value, target or verdict)";
  if (typeof f.label !== "string" || typeof f.story !== "string" || (f.subject !== null && typeof f.subject !== "string")) return "holds a malformed finding (label, story or subject)";
  // These are printed to a terminal and into the saved scenario: no control characters (an escape sequence would reach the terminal).
  if ([f.label, f.story, f.subject ?? ""].some((text) => CONTROL.test(text))) return "holds a finding whose words have control characters";
  if (typeof f.spec !== "object" || f.spec === null || !Array.isArray(f.spec.faults) || typeof f.spec.name !== "string") return "holds a finding without its scenario";
  return null;
}

/** Slices of one search, folded in order: the unsharded report, or what is wrong with the set. */
export function mergeExploreShards(documents: readonly ExploreShardDocument[], options: ExploreOptions, topology: ResolvedTopology = documents[0].topology): { report: ExploreReport } | { problem: string } {
  const [head] = documents;
  const identity = JSON.stringify([head.search, head.topology]);
  const set = inShardOrder(documents, (d) => {
    if (d.shard.count !== head.shard.count) return `slices of different splits: ${head.shard.count} and ${d.shard.count}`;
    return JSON.stringify([d.search, d.topology]) !== identity ? "slices of different searches (design, seed, schedules, fault kinds or writes differ)" : null;
  });
  if ("problem" in set) return set;
  const best: BestFindings = new Map();
  for (const d of set.ordered) foldFindings(best, d.findings);
  return { report: exploreReport(topology, options, best) };
}
