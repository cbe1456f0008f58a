// `repl-lab merge FILE...`: combine the slices written by `simulate --trials N
// --shard K/M --json` (one per CI job, say) into exactly the result of the
// unsharded run, in any output format. Slices of several scenarios (a shard
// run of several files) are grouped by scenario, in the order first met.
import { Option, type Command } from "commander";
import type { SimulationResult } from "../engine/result.js";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { readBounded } from "../model/yaml.js";
import { mergeShards, readShards, type ShardDocument } from "../parallel/shard.js";
import { renderSimulateJson } from "../report/simulate/json.js";
import { renderSimulateMarkdown } from "../report/simulate/markdown.js";
import { renderSimulateText, runFailed } from "../report/simulate/text.js";
import { checkFormat, pickFormat } from "./flags.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";

export const mergeFormats = ["json", "text", "markdown"] as const;
export type MergeFormat = (typeof mergeFormats)[number];

/** A shard holds one record per trial plus one full result: 256 MB is far above any the limits allow. */
const MAX_SHARD_BYTES = 256 * 1024 * 1024;

function readAll(files: readonly string[]): ShardDocument[] {
  const diagnostics: Diagnostic[] = [];
  const documents: ShardDocument[] = [];
  for (const file of files) {
    try {
      const read = readShards(readBounded(file, MAX_SHARD_BYTES, "the JSON of a shard").toString("utf8"));
      if ("problem" in read) diagnostics.push({ file, line: 1, column: 1, message: read.problem });
      else documents.push(...read.documents);
    } catch (error) {
      if (error instanceof InputError) diagnostics.push(...error.diagnostics);
      else throw error;
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics);
  return documents;
}

/** Slices grouped by run (scenario and seed), in the order first met. */
function groupByRun(documents: readonly ShardDocument[]): ShardDocument[][] {
  const groups = new Map<string, ShardDocument[]>();
  for (const d of documents) {
    const key = JSON.stringify([d.scenario.name, d.scenario.file, d.scenario.seed]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(d);
  }
  return [...groups.values()];
}

export function runMerge(files: readonly string[], format: MergeFormat, io: Io): number {
  checkFormat(mergeFormats, format);
  if (files.length === 0) throw new UsageError("merge needs the shard files of a run");
  const groups = groupByRun(readAll(files));
  const results: SimulationResult[] = [];
  for (const group of groups) {
    const merged = mergeShards(group);
    if ("problem" in merged) throw new UsageError(`cannot merge "${group[0].scenario.name}": ${merged.problem}`);
    results.push(merged.result);
  }
  if (format === "json") io.out(renderSimulateJson(results, { array: results.length > 1 }));
  else if (format === "markdown") io.out(results.map((r) => renderSimulateMarkdown(r)).join("\n---\n\n"));
  else io.out(results.map((r) => renderSimulateText(r, io.color)).join("\n"));
  return results.some(runFailed) ? EXIT_FAILED : EXIT_OK;
}

/** `merge` on the program (called from main.ts). */
export function registerMerge(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("merge")
    .description("combine the slices of simulate --trials N --shard K/M --json into exactly the unsharded result")
    .argument("<files...>", "shard files (every K of 1..M, in any order)")
    .addOption(new Option("--format <format>", "output format (default: json, as the unsharded --json run)").choices([...mergeFormats]))
    .option("--json", "same as --format json")
    .addHelpText(
      "after",
      `\nExamples:\n  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml --trials 1000 --shard 1/2 --json > part1.json\n  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml --trials 1000 --shard 2/2 --json > part2.json\n  $ repl-lab merge part1.json part2.json > trials.json`,
    )
    .action((files: string[], flags: { format?: MergeFormat; json?: boolean }) => {
      const format = flags.format === undefined && !flags.json ? "json" : pickFormat<MergeFormat>(flags);
      setCode(runMerge(files, format, io));
    });
}
