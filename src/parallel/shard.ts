// One slice of a Monte Carlo run, as a file: `simulate --trials N --shard K/M
// --json` writes it and `repl-lab merge` reads the slices back. A slice carries
// what merging needs and nothing that could differ between machines: the
// resolved scenario (so every slice is checked to be of the same run), N, K,
// M, each trial's record, and in the slice that holds trial 0 its full result
// and what validate says of the scenario's file (the HTML page lists it, as
// the unsharded run's does; paths as that slice's job named them). Merging adds the records in seed order, exactly as one process
// would, so the merged result is the unsharded one, byte for byte.
//
// Plain JSON cannot hold Infinity or NaN (an RTO never reached is Infinity),
// so non-finite numbers are written as { "$number": "Infinity" } and read back.
import { createHash } from "node:crypto";
import { formatDuration } from "../base/units.js";
import type { SimulationResult } from "../engine/result.js";
import type { Finding } from "../lint/types.js";
import { shardRange, trialAccumulator, trialSeed, type TrialRecord } from "../engine/trials.js";
import type { ResolvedScenario } from "../model/types.js";
import type { TrialSlice } from "./pool.js";

export const SHARD_FORMAT = "repl-lab/trials-shard";
/** 2: the slice holding trial 0 carries the lint findings of the run's file. */
export const SHARD_VERSION = 2;

export interface ShardDocument {
  format: typeof SHARD_FORMAT;
  version: typeof SHARD_VERSION;
  shard: { index: number; count: number };
  trials: number;
  scenario: ResolvedScenario;
  records: TrialRecord[];
  /** The full result of trial 0: only in the slice that holds it (index 1). */
  first: SimulationResult | null;
  /** What validate says of the run's file (a what-if's: of its topology), for the HTML page: only beside `first`. */
  lint: Finding[] | null;
}

/** `lint` is kept only in the slice that holds trial 0. */
export function shardDocument(scenario: ResolvedScenario, trials: number, index: number, count: number, slice: TrialSlice, lint: Finding[]): ShardDocument {
  const first = slice.full ?? null;
  return { format: SHARD_FORMAT, version: SHARD_VERSION, shard: { index, count }, trials, scenario, records: slice.records, first, lint: first === null ? null : lint };
}

export function writeShards(documents: readonly unknown[]): string {
  const value = documents.length === 1 ? documents[0] : documents;
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v))}\n`;
}

/** A shard file's JSON with its non-finite numbers restored: the items (one, or each of a list), or why it is not JSON. */
export function parseShardJson(text: string): { items: unknown[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, v: unknown) => (isEncodedNumber(v) ? Number(v.$number) : v));
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  const items = Array.isArray(value) ? value : [value];
  return items.length === 0 ? { problem: "holds no shard" } : { items };
}

/** The format a shard item declares ("repl-lab/trials-shard", "repl-lab/explore-shard"), if any. */
export function shardFormat(item: unknown): string | null {
  const format = typeof item === "object" && item !== null ? (item as { format?: unknown }).format : undefined;
  return typeof format === "string" ? format : null;
}

/** The shard documents of one file's text, or the reason it is not one. */
export function readShards(text: string): { documents: ShardDocument[] } | { problem: string } {
  const parsed = parseShardJson(text);
  if ("problem" in parsed) return parsed;
  const list = parsed.items;
  for (const item of list) {
    const problem = shardProblem(item);
    if (problem) return { problem };
  }
  return { documents: list as ShardDocument[] };
}

function isEncodedNumber(v: unknown): v is { $number: string } {
  return typeof v === "object" && v !== null && Object.keys(v).length === 1 && typeof (v as { $number?: unknown }).$number === "string" && ["Infinity", "-Infinity", "NaN"].includes((v as { $number: string }).$number);
}

function shardProblem(item: unknown): string | null {
  const d = item as Partial<ShardDocument> | null;
  if (typeof d !== "object" || d === null || d.format !== SHARD_FORMAT) return `is not a shard of a trials run (expected the JSON of simulate --trials N --shard K/M --json)`;
  if (d.version !== SHARD_VERSION) return `is a shard of format version ${String(d.version)}; this repl-lab reads version ${SHARD_VERSION}`;
  const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  if (!d.shard || !whole(d.shard.count, 1) || !whole(d.shard.index, 1) || d.shard.index > d.shard.count || !whole(d.trials, 1)) return "has a malformed shard header (shard index, count or trials)";
  if (!Array.isArray(d.records) || typeof d.scenario !== "object" || d.scenario === null) return "has no records or no scenario";
  const { from, to } = shardRange(d.trials as number, d.shard.index, d.shard.count);
  if (d.records.length !== to - from) return `holds ${d.records.length} trials, but shard ${d.shard.index}/${d.shard.count} of ${d.trials} has ${to - from}`;
  if (from === 0 && to > 0 && (typeof d.first !== "object" || d.first === null)) return "is the first shard but lacks the full result of trial 0";
  if (from === 0 && to > 0 && !lintFindings(d.lint)) return "is the first shard but lacks the lint findings of its file (or they are malformed)";
  const scenario = d.scenario as Partial<ResolvedScenario>;
  if (typeof scenario.seed !== "number" || typeof scenario.durationMs !== "number" || !Array.isArray(scenario.topology?.dataClasses)) return "has a malformed scenario";
  const classes = scenario.topology.dataClasses.map((c) => c.name);
  const expectations = (d.records[0] as Partial<TrialRecord> | undefined)?.met?.length ?? 0;
  for (let k = 0; k < d.records.length; k++) {
    const problem = recordProblem(d.records[k], trialSeed(scenario.seed, from + k), classes, expectations, scenario.durationMs);
    if (problem !== null) return `trial ${from + k + 1} ${problem}`;
  }
  return null;
}

/** Whether a slice's lint findings are a list of findings the HTML page can print. */
function lintFindings(lint: unknown): lint is Finding[] {
  const text = (v: unknown) => typeof v === "string";
  const place = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  return (
    Array.isArray(lint) &&
    lint.every((f: Partial<Finding> | null) => typeof f === "object" && f !== null && ["error", "warning", "info"].includes(f.severity as string) && text(f.rule) && text(f.file) && place(f.line) && place(f.column) && text(f.message) && text(f.hint) && (f.details === undefined || text(f.details)))
  );
}

/**
 * What is wrong with one trial's record, or null: a slice is a file someone else made, so every figure the
 * merged report will print is checked here (a figure that is not a number would sort and print as nonsense).
 */
function recordProblem(record: unknown, seed: number, classes: readonly string[], expectations: number, durationMs: number): string | null {
  const r = record as Partial<TrialRecord> | null;
  if (typeof r !== "object" || r === null) return "is not a trial record";
  if (r.seed !== seed) return `has seed ${String(r.seed)}; the run's trial there has seed ${seed}`;
  if (!Array.isArray(r.classes) || r.classes.length !== classes.length) return `does not list the scenario's ${classes.length} classes`;
  // Nothing a run measures lasts longer than the run.
  const duration = (v: unknown) => typeof v === "number" && v >= 0 && v <= durationMs;
  for (let i = 0; i < classes.length; i++) {
    const entry = r.classes[i] as unknown;
    if (!Array.isArray(entry) || entry[0] !== classes[i]) return `does not list class "${classes[i]}" in its place`;
    const s = entry[1] as Partial<TrialRecord["classes"][number][1]> | null;
    if (typeof s !== "object" || s === null) return `has no figures for class "${classes[i]}"`;
    if (!duration(s.rpoWindowMs)) return `has a bad RPO for class "${classes[i]}" (expected a duration in ms, at most the run's ${formatDuration(durationMs)})`;
    if (s.rtoWriteMs !== null && !duration(s.rtoWriteMs)) return `has a bad RTO for class "${classes[i]}" (expected a duration in ms, at most the run's ${formatDuration(durationMs)}, or null for never)`;
    if (typeof s.met !== "boolean" || typeof s.rpoMet !== "boolean" || typeof s.rtoMet !== "boolean") return `has a bad verdict for class "${classes[i]}"`;
  }
  if (!Array.isArray(r.met) || r.met.length !== expectations || !r.met.every((m) => typeof m === "boolean")) return `does not say whether each expectation held (as the slice's first trial does, for ${expectations})`;
  if (!Array.isArray(r.violations) || !Number.isSafeInteger(r.violationsDropped) || (r.violationsDropped as number) < 0) return "has malformed violations";
  return null;
}

/** Slices of one run, merged: the unsharded result and the lint findings of its file, or what is wrong with the set. */
export function mergeShards(documents: readonly ShardDocument[]): { result: SimulationResult; lint: Finding[] } | { problem: string } {
  const [head] = documents;
  const identity = JSON.stringify(head.scenario);
  const set = inShardOrder(documents, (d) => {
    if (d.shard.count !== head.shard.count || d.trials !== head.trials) return `shards of different splits: ${head.shard.count} slices of ${head.trials} trials and ${d.shard.count} of ${d.trials}`;
    if (JSON.stringify(d.scenario) !== identity)
      return head.scenario.name === d.scenario.name && head.scenario.seed === d.scenario.seed
        ? `shards of two different versions of scenario "${head.scenario.name}" (seed ${head.scenario.seed}): its contents differ between the files (fingerprints ${scenarioFingerprint(head.scenario)} and ${scenarioFingerprint(d.scenario)})`
        : `shards of different scenarios or seeds ("${head.scenario.name}" seed ${head.scenario.seed} and "${d.scenario.name}" seed ${d.scenario.seed})`;
    return null;
  });
  if ("problem" in set) return set;
  const trials = trialAccumulator(head.scenario, head.trials);
  let index = 0;
  for (const d of set.ordered) {
    for (const record of d.records) trials.addRecord(record, index++ === 0 ? (d.first ?? undefined) : undefined);
  }
  return { result: trials.finish(), lint: set.ordered.find((d) => d.first !== null)?.lint ?? [] };
}

/** A short hash of a slice's resolved scenario, its file's name left out: equal for two files with the same contents. */
export function scenarioFingerprint(scenario: ResolvedScenario): string {
  return createHash("sha256").update(JSON.stringify({ ...scenario, file: undefined })).digest("hex").slice(0, 12);
}

/**
 * Slices 1..M of one run, in order: each slice once, none missing, and each
 * the same run as the first (`differs` says how one is not, or null).
 */
export function inShardOrder<T extends { shard: { index: number; count: number } }>(documents: readonly T[], differs: (d: T) => string | null): { ordered: T[] } | { problem: string } {
  const count = documents[0].shard.count;
  const seen = new Map<number, T>();
  for (const d of documents) {
    const problem = differs(d);
    if (problem) return { problem };
    if (seen.has(d.shard.index)) return { problem: `shard ${d.shard.index}/${d.shard.count} is given twice` };
    seen.set(d.shard.index, d);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) return { problem: `shard${missing.length > 1 ? "s" : ""} ${missing.map((k) => `${k}/${count}`).join(", ")} missing` };
  return { ordered: Array.from({ length: count }, (_, i) => seen.get(i + 1)!) };
}
