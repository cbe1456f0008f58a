// `repl-lab merge FILE...`: combine the slices written by `simulate --trials N
// --shard K/M --json` or `explore --shard K/M --json` (one per CI job, say)
// into exactly the result of the unsharded run, in any output format. Slices
// of several runs are grouped by run, in the order first met. Merging an
// explore search also saves its scenarios, as the unsharded explore does.
import { relative } from "node:path";
import { Option, type Command } from "commander";
import type { SimulationResult } from "../engine/result.js";
import type { Finding as LintFinding } from "../lint/types.js";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { jsonErrorOffset } from "../model/json-position.js";
import { readBounded, textPosition } from "../model/yaml.js";
import { EXPLORE_SHARD_FORMAT, exploreShardProblem, insideWorkingDirectory, mergeExploreShards, type ExploreShardDocument } from "../parallel/explore-shard.js";
import { loadFile } from "../model/load.js";
import type { ResolvedTopology } from "../model/types.js";
import { mergeShards, parseShardJson, readShards, scenarioFingerprint, SHARD_FORMAT, shardFormat, type ShardDocument } from "../parallel/shard.js";
import type { ExploreReport } from "../swarm/explore.js";
import { renderSimulateJson } from "../report/simulate/json.js";
import { renderSimulateMarkdown } from "../report/simulate/markdown.js";
import { renderSimulateText, runFailed } from "../report/simulate/text.js";
import { exploreOptionsOf, renderExplore, saveFindings } from "./explore.js";
import { checkFormat, parseWidthFlag, pickFormat, resolveWidth } from "./flags.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";

export const mergeFormats = ["json", "text", "markdown", "html"] as const;
export type MergeFormat = (typeof mergeFormats)[number];

/** A shard holds one record per trial plus one full result: 256 MB is far above any the limits allow. */
const MAX_SHARD_BYTES = 256 * 1024 * 1024;

interface Slices {
  trials: ShardDocument[];
  explore: ExploreShardDocument[];
  /** The file each slice was read from, to name it in a message. */
  files: Map<object, string>;
}

function readAll(files: readonly string[]): Slices {
  const diagnostics: Diagnostic[] = [];
  const slices: Slices = { trials: [], explore: [], files: new Map() };
  for (const file of files) {
    try {
      const text = readBounded(file, MAX_SHARD_BYTES, "the JSON of a shard").toString("utf8");
      const before = [slices.trials.length, slices.explore.length];
      const problem = readOne(text, slices);
      for (const d of [...slices.trials.slice(before[0]), ...slices.explore.slice(before[1])]) slices.files.set(d, file);
      // One line per problem: V8 quotes the text around a syntax error, line breaks and all.
      if (problem) diagnostics.push({ file, ...jsonPosition(text, problem), message: problem.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1)) });
    } catch (error) {
      if (error instanceof InputError) diagnostics.push(...error.diagnostics);
      else throw error;
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics);
  if (slices.trials.length > 0 && slices.explore.length > 0) throw new UsageError("merge one kind of run at a time: these files hold slices of both simulate --trials and explore");
  return slices;
}

/**
 * Where a problem of a file points: a JSON syntax error where V8 says it is ("at position N"), else at the first
 * character that breaks the grammar (most of V8's messages on Node 20 give no position, so a shard cut short or
 * edited by hand was reported at 1:1); any other
 * problem (the shard's content) at the file's start.
 */
function jsonPosition(text: string, problem: string): { line: number; column: number } {
  if (!problem.startsWith("is not JSON")) return { line: 1, column: 1 };
  const given = /at position (\d+)/.exec(problem);
  const at = given === null ? jsonErrorOffset(text) : Number(given[1]);
  return at < 0 ? { line: 1, column: 1 } : textPosition(text, Math.min(text.length, at));
}

/** Files one file's slices under their kind; returns what is wrong with it, or null. */
function readOne(text: string, slices: Slices): string | null {
  const parsed = parseShardJson(text);
  if ("problem" in parsed) return parsed.problem;
  if (parsed.items.every((item) => shardFormat(item) === EXPLORE_SHARD_FORMAT)) {
    for (const item of parsed.items) {
      const problem = exploreShardProblem(item);
      if (problem) return problem;
    }
    slices.explore.push(...(parsed.items as ExploreShardDocument[]));
    return null;
  }
  if (parsed.items.some((item) => shardFormat(item) !== SHARD_FORMAT)) return "is not a shard (expected the JSON of simulate --trials N --shard K/M --json or of explore --shard K/M --json)";
  const read = readShards(text);
  if ("problem" in read) return read.problem;
  slices.trials.push(...read.documents);
  return null;
}

type Slice = { shard: { index: number; count: number } };

/**
 * Runs are told apart by their scenario and seed (explore: its search), so a slice of another run forms a group of
 * its own and the run it was meant for looks short of it. When a slice missing from one group is in another with the
 * same split, say that it is there but from another run, and how that run differs, rather than that it is missing.
 */
function strayProblem<T extends Slice>(groups: readonly T[][], files: Map<object, string>, differs: (stray: T, others: T) => string): string | null {
  const named = (d: T) => `${d.shard.index}/${d.shard.count}${files.has(d) ? ` (${files.get(d)})` : ""}`;
  for (const group of groups) {
    const count = group[0].shard.count;
    const have = new Set(group.map((d) => d.shard.index));
    for (const other of groups) {
      // A complete run beside an incomplete one is two runs, one of them short of a slice: that is "missing".
      if (other === group || new Set(other.map((d) => d.shard.index)).size >= other[0].shard.count) continue;
      const stray = other.find((d) => d.shard.count === count && !have.has(d.shard.index));
      if (stray === undefined) continue;
      // The larger group is "the others"; a tie keeps the order first met.
      const [odd, rest] = other.length > group.length ? [group.find((d) => !new Set(other.map((o) => o.shard.index)).has(d.shard.index)) ?? group[0], other] : [stray, group];
      return `slice ${named(odd)} comes from ${differs(odd, rest[0])} than the other${rest.length > 1 ? "s" : ""} (${rest.map(named).join(", ")}): make every slice with the same command, changing only --shard`;
    }
  }
  return null;
}

/** How a slice of simulate --trials differs from another: scenario, seed, the scenario's file or contents, or settings. */
function trialsDiffer(a: ShardDocument, b: ShardDocument): string {
  const [x, y] = [a.scenario, b.scenario];
  if (x.name !== y.name) return `a different scenario ("${x.name}", where the others ran "${y.name}")`;
  if (x.seed !== y.seed) return `a different seed (${x.seed}, where the others used ${y.seed})`;
  if (x.file === y.file) return `different settings (trials or the scenario's contents)`;
  // One name, two files: an edited copy (its contents differ), or a copy as it was (a run still names its file).
  const [fx, fy] = [scenarioFingerprint(x), scenarioFingerprint(y)];
  if (fx !== fy) return `a different version of scenario "${x.name}" (its contents differ: ${x.file} resolves to fingerprint ${fx}, where the others ran ${y.file}, fingerprint ${fy})`;
  return `another file of scenario "${x.name}" (${x.file}, where the others ran ${y.file}; the contents are the same, but a run names its file)`;
}

/** How a slice of explore differs from another. */
function exploreDiffer(a: ExploreShardDocument, b: ExploreShardDocument): string {
  if (a.search.topologyFile !== b.search.topologyFile) return `a search of another design (${a.search.topologyFile}, where the others searched ${b.search.topologyFile})`;
  if (a.search.seed !== b.search.seed) return `a different seed (${a.search.seed}, where the others used ${b.search.seed})`;
  const keys = (["schedules", "kinds", "writes", "outDir"] as const).filter((k) => JSON.stringify(a.search[k]) !== JSON.stringify(b.search[k]));
  return `different settings (${keys.length > 0 ? keys.map((k) => `--${k === "kinds" ? "faults" : k === "outDir" ? "out" : k}`).join(", ") : "the design's contents"})`;
}

/** Items grouped by run, in the order first met. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return [...groups.values()];
}

export async function runMerge(files: readonly string[], format: MergeFormat, io: Io, width?: number, out?: string): Promise<number> {
  checkFormat(mergeFormats, format);
  if (files.length === 0) throw new UsageError("merge needs the shard files of a run");
  const slices = readAll(files);
  if (slices.explore.length > 0) return await mergeExplore(slices.explore, slices.files, format, io, resolveWidth(width, io.terminal ?? {}), out);
  if (out !== undefined) throw new UsageError("--out is where merge saves an explore search's scenarios; slices of simulate --trials save nothing");
  const results: SimulationResult[] = [];
  const lint: LintFinding[][] = [];
  const groups = groupBy(slices.trials, (d) => JSON.stringify([d.scenario.name, d.scenario.file, d.scenario.seed]));
  const stray = strayProblem(groups, slices.files, trialsDiffer);
  if (stray !== null) throw new UsageError(`cannot merge "${groups[0][0].scenario.name}": ${stray}`);
  for (const group of groups) {
    const merged = mergeShards(group);
    // Beside another run of the same scenario, say which run this is.
    const twin = groups.some((g) => g !== group && g[0].scenario.name === group[0].scenario.name);
    if ("problem" in merged) throw new UsageError(`cannot merge "${group[0].scenario.name}"${twin ? ` (seed ${group[0].scenario.seed})` : ""}: ${merged.problem}`);
    results.push(merged.result);
    lint.push(merged.lint);
  }
  if (format === "json") io.out(renderSimulateJson(results, { array: results.length > 1 }));
  else if (format === "markdown") io.out(results.map((r) => renderSimulateMarkdown(r)).join("\n---\n\n"));
  else if (format === "html") io.out((await import("../report/html/page.js")).renderSimulateHtml(results, lint));
  else io.out(results.map((r) => renderSimulateText(r, io.color, { width: resolveWidth(width, io.terminal ?? {}) })).join("\n"));
  return results.some(runFailed) ? EXIT_FAILED : EXIT_OK;
}

/**
 * The design the slices searched, read again from its file here: the report
 * and the saved scenarios rest on the file, not on what a slice claims, and a
 * file that changed since the slices were made is refused.
 */
function sameTopology(slice: ExploreShardDocument): ResolvedTopology {
  const file = slice.search.topologyFile;
  const loaded = loadFile(file);
  if (loaded.kind !== "topology") throw new UsageError(`the explore slices searched ${file}, which is now a ${loaded.kind} file`);
  if (JSON.stringify(loaded.topology) !== JSON.stringify(slice.topology)) throw new UsageError(`the explore slices searched another version of ${file}: run explore again on the design as it is now`);
  return loaded.topology;
}

/** Folds each explore search's slices, saves its scenarios where the unsharded search would have (or in --out), and reports. */
async function mergeExplore(documents: readonly ExploreShardDocument[], files: Map<object, string>, format: MergeFormat, io: Io, width: number, out: string | undefined): Promise<number> {
  if (format === "markdown") throw new UsageError("explore reports are text, json or html: merge explore slices with --format text, json or html");
  const reports: string[] = [];
  let broken = false;
  const groups = groupBy(documents, (d) => JSON.stringify(d.search));
  const stray = strayProblem(groups, files, exploreDiffer);
  if (stray !== null) throw new UsageError(`cannot merge the explore search of "${groups[0][0].topology.name}": ${stray}`);
  for (const group of groups) {
    const search = group[0].search;
    // Scenarios are saved where the slices say only when that stays inside this folder (a slice is someone else's file).
    if (out === undefined && !insideWorkingDirectory(search.outDir)) throw new UsageError(`the explore slices save into ${JSON.stringify(search.outDir)}, outside this folder: give merge --out DIR`);
    const options = exploreOptionsOf({ ...search, outDir: out ?? search.outDir });
    const merged = mergeExploreShards(group, options, sameTopology(group[0]));
    if ("problem" in merged) throw new UsageError(`cannot merge the explore search of "${group[0].topology.name}": ${merged.problem}`);
    const report: ExploreReport = merged.report;
    // Each saved scenario names its topology relative to where it is saved here, not where the slice ran.
    for (const finding of report.findings) finding.spec = { ...finding.spec, topology: relative(options.outDir, options.topologyFile).split("\\").join("/") };
    reports.push(await renderExplore(report, saveFindings(report, options.outDir, io), format, io, width));
    broken ||= report.targetsBroken;
  }
  io.out(reports.join("\n"));
  return broken ? EXIT_FAILED : EXIT_OK;
}

/** `merge` on the program (called from main.ts). */
export function registerMerge(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("merge")
    .description("combine the slices of simulate --trials N --shard K/M --json, or of explore --shard K/M --json, into exactly the unsharded result")
    .argument("<files...>", "shard files (every K of 1..M, in any order)")
    .addOption(new Option("--format <format>", "output format (default: json, as the unsharded --json run)").choices([...mergeFormats]))
    .option("--json", "same as --format json")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .option("--out <dir>", "explore slices: where the scenarios are saved (default: the slices' --out)")
    .addHelpText(
      "after",
      `\nExamples:\n  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml --trials 1000 --shard 1/2 --json > part1.json\n  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml --trials 1000 --shard 2/2 --json > part2.json\n  $ repl-lab merge part1.json part2.json > trials.json\n  $ repl-lab merge explore-part*.json --format text`,
    )
    .action(async (files: string[], flags: { format?: MergeFormat; json?: boolean; width?: string; out?: string }) => {
      const format = flags.format === undefined && !flags.json ? "json" : pickFormat<MergeFormat>(flags);
      setCode(await runMerge(files, format, io, flags.width === undefined ? undefined : parseWidthFlag(flags.width), flags.out));
    });
}
