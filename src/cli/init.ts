// `repl-lab init [--kind topology|scenario] [--preset NAME] [--topology FILE] [--out FILE]`:
// a commented starter topology, or a starter scenario that runs against one.
// The starter designs are data in src/starters/; this command picks one by
// preset and prints it, or with --out writes it atomically, never replacing an
// existing file.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { Option, type Command } from "commander";
import { didYouMean, UsageError } from "../model/diagnostics.js";
import { loadFile, loadText } from "../model/load.js";
import { PRESETS, type PresetName } from "../model/presets.js";
import type { ResolvedTopology } from "../model/types.js";
import { presetNames } from "../model/schema.js";
import { starterTopology } from "../starters/index.js";
import { starterScenario } from "../starters/scenario.js";
import { completeWith } from "./completion.js";
import { EXIT_OK, reportError, type Io } from "./io.js";

export const initKinds = ["topology", "scenario"] as const;
export type InitKind = (typeof initKinds)[number];

export interface InitOptions {
  preset: string;
  out?: string;
  kind?: string;
  /** With kind scenario: the topology file the scenario names, relative to it. */
  topology?: string;
}

export const DEFAULT_TOPOLOGY_PATH = "topology.yaml";

export function runInit(options: InitOptions, io: Io): number {
  try {
    const preset = presetName(options.preset);
    const kind = initKind(options.kind ?? "topology");
    // An empty --out (an unset shell variable) names no file; the write would fail with a bare ENOENT.
    if (options.out !== undefined && options.out.trim() === "") throw new UsageError("--out expects a file to write the starter to (e.g. --out topology.yaml); got an empty path (leave --out out to print it)");
    // Said first: an existing --out is the problem whatever the topology it would name.
    if (options.out !== undefined && existsSync(options.out)) throw new UsageError(`${options.out} already exists; init never overwrites a file (choose another --out, or move that file away)`);
    if (kind === "scenario" && options.out !== undefined && resolve(dirname(options.out), options.topology ?? DEFAULT_TOPOLOGY_PATH) === resolve(options.out)) {
      throw new UsageError(`--topology ${options.topology ?? DEFAULT_TOPOLOGY_PATH} is the scenario's own --out ${options.out}: a scenario cannot be its own topology (write the topology first: repl-lab init --preset ${preset} --out topology.yaml)`);
    }
    const text = kind === "topology" ? starterTopology(preset) : scenarioText(preset, options, io);
    if (options.out === undefined) {
      io.out(text);
      return EXIT_OK;
    }
    writeNew(options.out, text);
    const what = kind === "topology" ? `preset ${preset}` : `a scenario on ${options.topology ?? DEFAULT_TOPOLOGY_PATH}`;
    const out = shellWord(options.out);
    io.err(`wrote ${options.out} (${what}); check it with: repl-lab validate ${out}${kind === "scenario" ? `; run it with: repl-lab simulate ${out}` : ""}`);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, false);
  }
}

/** A path as a shell command takes it: as is when it holds only safe characters, else in single quotes. */
export function shellWord(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

function initKind(kind: string): InitKind {
  if ((initKinds as readonly string[]).includes(kind)) return kind as InitKind;
  throw new UsageError(`unknown --kind "${kind}"${didYouMean(kind, initKinds)} (kinds: ${initKinds.join(", ")})`);
}

/**
 * The starter scenario: its names come from the topology file it names when
 * that file exists (relative to where the scenario is written), else from the
 * preset's starter topology, which `init --preset P --out FILE` writes.
 */
function scenarioText(preset: PresetName, options: InitOptions, io: Io): string {
  const path = options.topology ?? DEFAULT_TOPOLOGY_PATH;
  const target = resolve(options.out === undefined ? "." : dirname(options.out), path);
  let topology: ResolvedTopology;
  if (existsSync(target)) {
    const loaded = loadFile(target);
    if (loaded.kind !== "topology") throw new UsageError(`--topology ${path}: ${target} is a ${loaded.kind} file, not a topology`);
    topology = loaded.topology;
  } else {
    const loaded = loadText(`${preset}.yaml`, starterTopology(preset));
    if (loaded.kind !== "topology") throw new Error("a starter topology did not load as a topology");
    topology = loaded.topology;
    // The scenario names its topology relative to itself; init writes relative to here: the command names the file the scenario reads.
    const here = relative(process.cwd(), target) || target;
    io.err(`note: ${path} does not exist yet; the scenario uses the names of the ${preset} starter (write it with: repl-lab init --preset ${preset} --out ${shellWord(here)})`);
  }
  return starterScenario(topology, path);
}

function presetName(name: string): PresetName {
  if ((presetNames as readonly string[]).includes(name)) return name as PresetName;
  throw new UsageError(`unknown preset "${name}"${didYouMean(name, presetNames)} (presets: ${presetNames.join(", ")})`);
}

/**
 * Writes a new file atomically: the text goes to a temporary file in the same
 * directory, is flushed, then linked into place. A hard link, unlike a rename,
 * fails when the target exists, so a file created meanwhile is never replaced;
 * where links are not supported, a rename after a last check stands in.
 */
function writeNew(file: string, text: string): void {
  if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file (choose another --out, or move that file away)`);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new UsageError(`cannot write ${file}: the directory ${dir} does not exist`);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o644);
  } catch (error) {
    throw new UsageError(`cannot write in ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new UsageError(`${file} already exists; init never overwrites a file`);
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") {
        throw new UsageError(`cannot write ${file}: ${code ?? (error as Error).message}`);
      }
      if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file`);
      renameSync(temp, file);
    }
  } finally {
    if (existsSync(temp)) unlinkSync(temp);
  }
}

/** The presets, one a line, for `init --help`. */
function presetList(): string {
  const width = Math.max(...presetNames.map((n) => n.length));
  return presetNames.map((n) => `  ${n.padEnd(width)}  ${PRESETS[n].summary}`).join("\n");
}

/** `init` on the program (called from main.ts). */
export function registerInit(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("init")
    .description("write a commented starter topology from a preset, or a starter scenario to run against one")
    .addOption(new Option("--kind <kind>", "what to write").choices([...initKinds]).default("topology"))
    .addOption(completeWith(new Option("--preset <name>", "the real system whose defaults to start from (see the list below)").default("patroni"), presetNames))
    .option("--topology <file>", `with --kind scenario: the topology file it runs against, relative to the scenario (default ${DEFAULT_TOPOLOGY_PATH})`)
    .option("--out <file>", "write to this file instead of standard output (never overwrites)")
    .addHelpText(
      "after",
      `
Presets:
${presetList()}

Examples:
  $ repl-lab init --preset patroni --out topology.yaml
  $ repl-lab init --kind scenario --out scenario.yaml  # runs against it
  $ repl-lab init --preset cassandra > cassandra.yaml`,
    )
    .action((options: InitOptions) => {
      setCode(runInit(options, io));
    });
}
