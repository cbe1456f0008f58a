// `repl-lab explore TOPOLOGY [--schedules N] [--seed S] [--faults KINDS]
// [--writes N] [--out DIR] [--json|--format html]`: search fault schedules against a design,
// save the worst outcomes as replayable scenarios, report them. Exit 1 when a
// schedule breaks a data class's RPO or RTO target, 2 on bad input.
import { makeDirectory } from "../base/make-dir.js";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { Command, Option } from "commander";
import { InputError, UsageError } from "../model/diagnostics.js";
import { displayPath, loadFile } from "../model/load.js";
import { projectedRunBytes, runBudgetProblems } from "../model/scenario.js";
import { LIMITS } from "../model/schema.js";
import type { ResolvedTopology } from "../model/types.js";
import { formatDuration } from "../base/units.js";
import { locate } from "../model/yaml.js";
import { renderExploreJson, scheduleNumber } from "../report/explore/json.js";
import { renderExploreText, type SavedFile } from "../report/explore/text.js";
import { DURATION_CAP_MS, EXPLORE_DEFAULTS, EXPLORE_LIMITS, exploreWorkload, heaviestSchedule, parseKinds, type ExploreOptions, type ExploreReport, type Finding } from "../swarm/explore.js";
import { exploreOnPool, exploreRange } from "../parallel/explore-pool.js";
import { exploreShardDocument, type ExploreSearch } from "../parallel/explore-shard.js";
import { defaultJobs } from "../parallel/pool.js";
import { shardRange } from "../engine/trials.js";
import { writeShards } from "../parallel/shard.js";
import { FAULT_KINDS, kindsFor } from "../swarm/schedule.js";
import { caseYaml } from "../swarm/spec.js";
import { jobsWithinMemory, MAX_JOBS, parseIntegerFlag, parseSeedFlag, parseShardFlag, SEED_RANGE, parseWidthFlag, pickFormat, resolveWidth } from "./flags.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";
import { spinnerProgress, startSpinner } from "./progress.js";

export const exploreFormats = ["text", "json", "html"] as const;
export type ExploreFormat = (typeof exploreFormats)[number];

/** The first line of every file explore writes: how it recognises its own files (which it may replace). */
const MARKER = "# repl-lab explore:";

interface ExploreFlags {
  schedules: string;
  seed: string;
  faults?: string;
  writes?: string;
  out?: string;
  format?: ExploreFormat;
  json?: boolean;
  width?: string;
  jobs?: string;
  shard?: string;
}

export function registerExplore(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("explore")
    .description("search fault schedules against a design: the worst RPO/RTO per class, any split brain or oracle violation, each saved as a scenario")
    .argument("<topology>", "a topology file (kind: topology)")
    .option("--schedules <n>", `fault schedules to try (1 to ${EXPLORE_LIMITS.schedules.toLocaleString("en-US")})`, String(EXPLORE_DEFAULTS.schedules))
    .option("--seed <s>", `seed of the search (${SEED_RANGE})`, String(EXPLORE_DEFAULTS.seed))
    .option("--faults <kinds>", `fault kinds to use, comma-separated (default all: ${FAULT_KINDS.join(",")})`)
    .option("--writes <n>", `workload writes per second (default ${EXPLORE_DEFAULTS.writes})`)
    .option("--out <dir>", "where the scenarios are saved (default: explore-<topology>/)")
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...exploreFormats]))
    .option("--json", "same as --format json")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .option("--jobs <n>", "worker threads (default: one per core); the report is the same for any N")
    .option("--shard <k/m>", "with --json: search only slice K of M of the schedules, for repl-lab merge (one per CI job)")
    .addHelpText(
      "after",
      `\nExamples:\n  $ repl-lab explore topologies/payments.yaml\n  $ repl-lab explore topologies/async-replicas.yaml --schedules 500 --faults crash,partition --out found/\n  $ repl-lab explore topologies/payments.yaml --schedules 1000 --shard 1/4 --json > part1.json`,
    )
    .action(async (file: string, flags: ExploreFlags) => {
      setCode(await runExplore(file, flags, io));
    });
}

/** What explore says of a file that is not a topology (read at its kind line, before the file's own checks). */
function notATopology(kind: string, data: Readonly<Record<string, unknown>>): string {
  const hint = kind === "scenario" && typeof data.topology === "string" ? `; explore its topology instead: ${data.topology}` : "";
  return `this is a ${kind} file, but explore searches a design (kind: topology)${hint}`;
}

function loadTopology(file: string): ResolvedTopology {
  // The kind is read first: a broken scenario is named a scenario, not listed by its schema's errors.
  const loaded = loadFile(file, { expect: { kinds: ["topology"], wrongKind: notATopology } });
  if (loaded.kind === "topology") return loaded.topology;
  throw new InputError([{ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: notATopology(loaded.kind, loaded.source.data as Record<string, unknown>) }]);
}

function parseOptions(file: string, flags: ExploreFlags, topology: ResolvedTopology): ExploreOptions {
  if (flags.faults !== undefined && flags.faults.split(",").every((k) => k.trim() === "")) {
    throw new UsageError(`--faults: expected some of ${FAULT_KINDS.join(", ")}, comma-separated; got ${flags.faults === "" ? "an empty list" : `"${flags.faults}"`} (leave --faults out to use every kind)`);
  }
  const parsed = parseKinds(flags.faults ?? FAULT_KINDS.join(","));
  if ("unknown" in parsed) throw new UsageError(`--faults: unknown fault kind "${parsed.unknown}"; expected some of ${FAULT_KINDS.join(", ")}`);
  const kinds = kindsFor(topology.replication.mode, parsed.kinds);
  if (kinds.length === 0) throw new UsageError(`--faults: none of ${parsed.kinds.join(", ")} applies to a ${topology.replication.mode} design (it reacts to ${kindsFor(topology.replication.mode).join(", ")})`);
  return {
    topologyFile: resolvePath(file),
    outDir: resolvePath(flags.out ?? `explore-${topology.name}`),
    schedules: parseIntegerFlag("--schedules", flags.schedules, 1, EXPLORE_LIMITS.schedules),
    seed: parseSeedFlag(flags.seed),
    kinds,
    writes: flags.writes === undefined ? EXPLORE_DEFAULTS.writes : parseIntegerFlag("--writes", flags.writes, 1, LIMITS.writesPerSecond),
  };
}

export async function runExplore(file: string, flags: ExploreFlags, io: Io): Promise<number> {
  const format = pickFormat<ExploreFormat>(flags);
  const width = resolveWidth(flags.width === undefined ? undefined : parseWidthFlag(flags.width), io.terminal ?? {});
  const asked = flags.jobs === undefined ? undefined : parseIntegerFlag("--jobs", flags.jobs, 1, MAX_JOBS);
  const shard = flags.shard === undefined ? undefined : parseShardFlag(flags.shard, EXPLORE_LIMITS.schedules);
  if (shard && format !== "json") throw new UsageError("--shard writes a slice for repl-lab merge: use --json (merge prints the report and saves the scenarios)");
  if (flags.out !== undefined && flags.out.trim() === "") throw new UsageError("--out expects a folder for the scenarios; got an empty path");
  const topology = loadTopology(file);
  const options = parseOptions(file, flags, topology);
  const heaviestBytes = checkBudget(topology, options, shard ? shardSize(options.schedules, shard) : options.schedules);
  const jobs = jobsWithinMemory(asked ?? defaultJobs(), asked !== undefined, heaviestBytes, "the schedules", (text) => io.err(io.color.dim(text)));
  // A --out that cannot hold the scenarios is said now, not after the search.
  if (!shard) checkOutDir(options.outDir);
  if (shard) {
    if (shard.count > options.schedules) throw new UsageError(`--shard ${shard.index}/${shard.count}: more slices than the ${options.schedules} schedules`);
    const search: ExploreSearch = { topologyFile: file, outDir: flags.out ?? `explore-${topology.name}`, seed: options.seed, schedules: options.schedules, kinds: [...options.kinds], writes: options.writes };
    const { from, to } = shardRange(options.schedules, shard.index, shard.count);
    const best = await withSpinner(io, topology.name, (onProgress) => exploreRange(topology, options, { jobs, onProgress }, from, to));
    io.out(writeShards([exploreShardDocument(topology, search, shard.index, shard.count, best)]));
    return EXIT_OK;
  }
  const report = await withSpinner(io, topology.name, (onProgress) => exploreOnPool(topology, options, { jobs, onProgress }));
  io.out(await renderExplore(report, saveFindings(report, options.outDir, io), format, io, width));
  return report.targetsBroken ? EXIT_FAILED : EXIT_OK;
}

/** How many schedules slice K/M of a search runs. */
function shardSize(schedules: number, shard: { index: number; count: number }): number {
  const { from, to } = shardRange(schedules, shard.index, shard.count);
  return to - from;
}

/**
 * Said before any schedule runs, in terms of the flags that set them: a --writes at which the heaviest
 * schedule would pass the engine's per-run limits (memory, requests), and a search (schedules × requests
 * per schedule) past the per-command budget that simulate's trials have too. Returns the memory the heaviest
 * schedule may take, which bounds the schedules run side by side.
 */
function checkBudget(topology: ResolvedTopology, options: ExploreOptions, schedules: number): number {
  const heaviest = heaviestSchedule(topology, options);
  const rates = (writes: number) => {
    const workload = exploreWorkload(topology, writes);
    return { writes: workload.writes, reads: workload.reads ?? 0 };
  };
  const refused = (writes: number) => runBudgetProblems({ ...heaviest.workload, ...rates(writes) }, DURATION_CAP_MS, heaviest.topology, heaviest.faults).length > 0;
  const longest = formatDuration(DURATION_CAP_MS);
  const count = (x: number) => Math.round(x).toLocaleString("en-US");
  if (refused(options.writes)) {
    // The largest rate that fits: the projections grow with the rate, so a bisection finds it.
    let [fits, fails] = [1, options.writes];
    while (fails - fits > 1) {
      const mid = Math.floor((fits + fails) / 2);
      if (refused(mid)) fails = mid;
      else fits = mid;
    }
    throw new UsageError(
      `--writes ${count(options.writes)}: explore runs each schedule for up to ${longest}, and a run that long at ${count(options.writes)} writes/s would pass the engine's limits on one run ` +
        `(the memory its write records take, or the requests it simulates); use --writes ${count(fits)} or fewer`,
    );
  }
  const workload = rates(options.writes);
  const perSchedule = ((workload.writes + workload.reads) * DURATION_CAP_MS) / 1000;
  if (schedules * perSchedule <= LIMITS.operationsPerCommand) return projectedRunBytes({ ...heaviest.workload, ...workload }, DURATION_CAP_MS, heaviest.topology, heaviest.faults);
  const most = Math.max(1, Math.floor(LIMITS.operationsPerCommand / perSchedule));
  throw new UsageError(
    `--schedules ${count(schedules)} × up to ${count(perSchedule)} requests per schedule (--writes ${count(options.writes)}${workload.reads > 0 ? " and as many reads" : ""} for up to ${longest}) is above the limit of ` +
      `${LIMITS.operationsPerCommand.toLocaleString("en-US")} requests per command (about an hour of engine time); use --schedules ${count(most)} or fewer, or lower --writes`,
  );
}

/** The search's options as explore's flags give them (merge rebuilds them from a slice's header). */
export function exploreOptionsOf(search: ExploreSearch): ExploreOptions {
  return { topologyFile: resolvePath(search.topologyFile), outDir: resolvePath(search.outDir), schedules: search.schedules, seed: search.seed, kinds: search.kinds, writes: search.writes };
}

export async function renderExplore(report: ExploreReport, saved: SavedFile[], format: ExploreFormat, io: Io, width: number): Promise<string> {
  switch (format) {
    case "json":
      return renderExploreJson(report, saved);
    case "html":
      // The HTML page loads its charting library only when asked for.
      return (await import("../report/html/explore.js")).renderExploreHtml(report, saved);
    case "text":
      return renderExploreText(report, saved, io.color, { width });
  }
}

/** A search with a spinner (on a terminal only) that moves as schedules finish. */
async function withSpinner<T>(io: Io, name: string, search: (onProgress: ReturnType<typeof spinnerProgress>) => Promise<T>): Promise<T> {
  const spinner = startSpinner(io, `exploring ${name}`);
  try {
    return await search(spinnerProgress(spinner, (done, total) => `exploring ${name}: schedule ${done} of ${total}`));
  } finally {
    spinner?.stop();
  }
}

/**
 * Writes each finding's scenario into the output folder. A file explore wrote
 * before and nobody edited since (it starts with the marker and ends with the
 * checksum of what it wrote) is replaced; anything else, a file someone edited,
 * anyone else's file, a symbolic link (never written through), is left alone
 * and the scenario goes next to it under a new name — either way, said.
 */
export function saveFindings(report: ExploreReport, outDir: string, io: Io): SavedFile[] {
  if (report.findings.length === 0) return [];
  makeOutDir(outDir);
  const saved: SavedFile[] = [];
  let replaced = 0;
  for (const finding of report.findings) {
    const path = freePath(outDir, finding.fileName, io);
    const text = withChecksum(scenarioText(report, finding));
    if (lstatSync(path, { throwIfNoEntry: false }) === undefined) writeFileSync(path, text, { flag: "wx" });
    else {
      // Our own unedited file: replaced by a rename, which swaps the name itself and never follows a link.
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, text, { flag: "wx" });
      renameSync(temporary, path);
      replaced++;
    }
    saved.push({ finding, path: displayPath(path) });
  }
  if (replaced > 0) io.err(`replaced ${replaced} scenario${replaced === 1 ? "" : "s"} from an earlier explore run in ${displayPath(outDir)}/`);
  return saved;
}

/**
 * A --out that exists must be a folder we can write in; one that does not exist yet, a folder under the
 * nearest one that does. Tried with a file made and removed at once, since permissions alone do not tell
 * (a folder under /proc refuses every new file, even to root).
 */
function checkOutDir(outDir: string): void {
  const found = statSync(outDir, { throwIfNoEntry: false });
  if (found !== undefined && !found.isDirectory()) throw new UsageError(`--out ${displayPath(outDir)}: expected a folder for the scenarios; it is a file`);
  let existing = resolvePath(outDir);
  while (statSync(existing, { throwIfNoEntry: false }) === undefined && dirname(existing) !== existing) existing = dirname(existing);
  const probe = join(existing, `.repl-lab-write-check.${process.pid}`);
  try {
    writeFileSync(probe, "", { flag: "wx" });
    unlinkSync(probe);
  } catch (error) {
    throw new UsageError(`--out ${displayPath(outDir)}: cannot write the scenarios in ${displayPath(existing)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The output folder, made if missing; a path that is a file, or cannot be made, is a usage error. */
export function makeOutDir(outDir: string): void {
  checkOutDir(outDir);
  try {
    makeDirectory(outDir);
  } catch (error) {
    throw new UsageError(`--out ${displayPath(outDir)}: cannot make the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

const CHECKSUM = "# explore checksum: ";

/** The scenario text with a last line holding the SHA-256 of everything above it, so that an edit shows. */
function withChecksum(text: string): string {
  return `${text}${text.endsWith("\n") ? "" : "\n"}${CHECKSUM}${createHash("sha256").update(text).digest("hex")}\n`;
}

/** Whether `path` is a regular file explore wrote and nobody changed since. */
function ownUnedited(path: string): boolean {
  const found = lstatSync(path, { throwIfNoEntry: false });
  if (found === undefined || !found.isFile()) return false;
  const text = readFileSync(path, "utf8");
  const at = text.lastIndexOf(CHECKSUM);
  if (!text.startsWith(MARKER) || at < 0) return false;
  return createHash("sha256").update(text.slice(0, at)).digest("hex") === text.slice(at + CHECKSUM.length).trim();
}

function freePath(dir: string, name: string, io: Io): string {
  const wanted = join(dir, name);
  const free = (path: string) => lstatSync(path, { throwIfNoEntry: false }) === undefined || ownUnedited(path);
  if (free(wanted)) return wanted;
  for (let i = 2; ; i++) {
    const candidate = join(dir, name.replace(/\.yaml$/, `-${i}.yaml`));
    if (free(candidate)) {
      io.err(`${displayPath(wanted)} exists and is not explore's unedited file: leaving it alone, writing ${basename(candidate)} instead`);
      return candidate;
    }
  }
}

function scenarioText(report: ExploreReport, finding: Finding): string {
  const name = `${report.topology}-${finding.fileName.replace(/\.yaml$/, "")}`.slice(0, 64);
  const header = [
    `${MARKER.slice(2)} the worst ${finding.kind === "violation" ? `violation of oracle ${finding.subject}` : `${finding.subject ? `${finding.subject} ` : ""}${finding.kind}`} found in ${report.schedules} schedules (seed ${report.seed}, schedule ${scheduleNumber(finding)})`,
    `${finding.story}`,
    `found: ${finding.label}${finding.targetMs !== null ? ` (target ${formatDuration(finding.targetMs) || "0"}: ${finding.broken ? "broken" : "met"})` : ""}`,
  ].join("\n");
  return caseYaml({ ...finding.spec, name, description: finding.story }, header);
}
