// `repl-lab quorum --n N --r R --w W [--down K] [--sloppy] [--cluster C]
// [--latency FILE] [--read-fanout all|r] [--speculative-retry V] [--t MS,...] [--trials N] [--seed N] [--format F] [--json]`:
// parse and check the flags (exit 2 on anything out of range), compute the
// closed-form analysis, run the WARS Monte Carlo when a latency file is given,
// render. A calculator: it exits 0 whether or not the quorum is available.
import { Command, Option } from "commander";
import { InputError, UsageError } from "../model/diagnostics.js";
import { loadFile, type Loaded } from "../model/load.js";
import { LIMITS } from "../model/schema.js";
import { locate } from "../model/yaml.js";
import { analyzeQuorum, CLUSTER_MAX, type QuorumInput } from "../quorum/analysis.js";
import { latencyRun, type QuorumLatencyRun, type QuorumResult } from "../quorum/result.js";
import { DEFAULT_RETRY, parseSpeculativeRetry, type ReadFanout } from "../quorum/fanout.js";
import { DEFAULT_SEED, DEFAULT_T_MS, DEFAULT_TRIALS, LEGS, legSamplers, resolveLegs, VISIBILITY_LIMITS, type RemoteReplicas } from "../quorum/visibility.js";
import { renderQuorumJson } from "../report/quorum/json.js";
import { renderQuorumMarkdown } from "../report/quorum/markdown.js";
import { renderQuorumText } from "../report/quorum/text.js";
import { checkFormat, checkWholeNumber, parseSeedFlag, parseWholeFlag, SEED_RANGE, parseWidthFlag, pickFormat, resolveWidth } from "./flags.js";
import { EXIT_OK, type Io } from "./io.js";

export const quorumFormats = ["text", "json", "markdown"] as const;
export type QuorumFormat = (typeof quorumFormats)[number];

export interface QuorumCommandOptions extends QuorumInput {
  latency: string | null;
  /** Which replicas a read asks in the Monte Carlo (--read-fanout, --speculative-retry). */
  fanout: ReadFanout;
  tMs: number[];
  trials: number;
  seed: number;
  format: QuorumFormat;
  /** Columns of the text output (--width); the terminal's, or 100 when piped, when absent. */
  width?: number;
}

/** The flags as commander hands them over: strings, booleans, or absent. */
export interface QuorumFlags {
  n?: string;
  r?: string;
  w?: string;
  down?: string;
  sloppy?: boolean;
  cluster?: string;
  latency?: string;
  readFanout?: string;
  speculativeRetry?: string;
  t?: string;
  trials?: string;
  seed?: string;
  format?: string;
  json?: boolean;
  width?: string;
}

function wholeFlag(flag: string, text: string | undefined, what: string): number {
  return parseWholeFlag("quorum", flag, text, what);
}

/** `--t 0,1,5` → ascending distinct milliseconds, or a UsageError. */
export function parseTFlag(text: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const expected = `--t expects comma-separated milliseconds >= 0 (at most ${VISIBILITY_LIMITS.tValues} values, each at most ${LIMITS.latencyMs.toLocaleString("en-US")})`;
  if (parts.length > VISIBILITY_LIMITS.tValues) throw new UsageError(`${expected}; got ${parts.length} values`);
  const values = parts.map((part) => {
    const value = /^(\d+(\.\d*)?|\.\d+)$/.test(part) ? Number(part) : NaN;
    if (!Number.isFinite(value) || value > LIMITS.latencyMs) throw new UsageError(`${expected}; got "${part === "" ? text : part}"`);
    return value;
  });
  return [...new Set(values)].sort((x, y) => x - y);
}

/** Turns commander's strings into checked options; throws a UsageError naming the first bad flag. */
export function parseQuorumFlags(flags: QuorumFlags): QuorumCommandOptions {
  const format = pickFormat<QuorumFormat>(flags);
  checkFormat(quorumFormats, format);
  const n = wholeFlag("--n", flags.n, `replicas per key, 1 to ${LIMITS.quorumN}`);
  const r = wholeFlag("--r", flags.r, "replies a read waits for, 1 to N");
  const w = wholeFlag("--w", flags.w, "acks a write waits for, 1 to N");
  const down = flags.down === undefined ? 0 : wholeFlag("--down", flags.down, "replicas down, 0 to N");
  const cluster = flags.cluster === undefined ? null : wholeFlag("--cluster", flags.cluster, `nodes in the whole cluster, N to ${CLUSTER_MAX.toLocaleString("en-US")}`);
  if (cluster !== null && !flags.sloppy) throw new UsageError("--cluster counts the stand-ins a sloppy quorum can use; add --sloppy (a strict quorum only uses the key's N replicas)");
  const latency = flags.latency ?? null;
  if (latency === null) {
    for (const [flag, value] of [["--t", flags.t], ["--trials", flags.trials], ["--seed", flags.seed], ["--read-fanout", flags.readFanout], ["--speculative-retry", flags.speculativeRetry]] as const) {
      if (value !== undefined) throw new UsageError(`${flag} applies to the t-visibility simulation; add --latency FILE (a kind: latency file)`);
    }
  }
  const tMs = flags.t === undefined ? [...DEFAULT_T_MS] : parseTFlag(flags.t);
  const trials = flags.trials === undefined ? DEFAULT_TRIALS : wholeFlag("--trials", flags.trials, `1 to ${VISIBILITY_LIMITS.trials.toLocaleString("en-US")}`);
  checkWholeNumber("--trials", trials, 1, VISIBILITY_LIMITS.trials);
  const seed = flags.seed === undefined ? DEFAULT_SEED : parseSeedFlag(flags.seed);
  const width = flags.width === undefined ? undefined : parseWidthFlag(flags.width);
  return { n, r, w, down, sloppy: Boolean(flags.sloppy), cluster, latency, fanout: parseFanout(flags), tMs, trials, seed, format, width };
}

/** `--read-fanout all|r` and `--speculative-retry NONE|ALWAYS|99p|20ms` (only with r; Cassandra's default 99p). */
function parseFanout(flags: QuorumFlags): ReadFanout {
  const fanout = flags.readFanout ?? "all";
  if (fanout !== "all" && fanout !== "r") throw new UsageError(`--read-fanout expects all (every replica, as Dynamo and Riak ask) or r (the R replicas the read needs, as Cassandra asks); got "${fanout}"`);
  if (fanout === "all") {
    if (flags.speculativeRetry !== undefined) throw new UsageError("--speculative-retry applies to a read that asks only R replicas; add --read-fanout r");
    return { kind: "all" };
  }
  if (flags.speculativeRetry === undefined) return { kind: "r", retry: DEFAULT_RETRY };
  const retry = parseSpeculativeRetry(flags.speculativeRetry);
  if (retry === null || (retry.kind === "fixed" && retry.ms > LIMITS.latencyMs)) {
    throw new UsageError(`--speculative-retry expects NONE, ALWAYS, a percentile of the read latency such as 99p (between 0p and 100p), or a delay such as 20ms (at most ${LIMITS.latencyMs.toLocaleString("en-US")}ms); got "${flags.speculativeRetry}"`);
  }
  return { kind: "r", retry };
}

/** Loads a latency file: exit 2 with the file's name and position when it is missing, invalid, or another kind. */
const wrongKind = (kind: string) => `this is a ${kind} file, but --latency expects a latency file (kind: latency, with legs w, a, r, s)`;

/** A latency file, or exit 2 at the kind line of another kind of file, before (and instead of) that kind's schema errors. */
const loadLatency = (file: string) => loadFile(file, { expect: { kinds: ["latency"], wrongKind } });

export function loadLatencyFile(file: string, load: (file: string) => Loaded = loadLatency): { name: string | null; samplers: ReturnType<typeof legSamplers>; remote: RemoteReplicas | null } {
  const loaded = load(file);
  if (loaded.kind !== "latency") {
    throw new InputError([{ file: loaded.source.file, ...locate(loaded.source, ["kind"]), message: wrongKind(loaded.kind) }]);
  }
  const resolved = resolveLegs(loaded.latency);
  if ("cycle" in resolved) {
    throw new InputError([
      { file: loaded.source.file, ...locate(loaded.source, [resolved.cycle]), message: `leg ${resolved.cycle}: its "same:" references go round in a loop (${LEGS.join(", ")} must end at a distribution)` },
    ]);
  }
  return { name: loaded.latency.name ?? null, samplers: legSamplers(resolved.legs), remote: loaded.latency.remote ?? null };
}

export function runQuorum(options: QuorumCommandOptions, io: Io, load: (file: string) => Loaded = loadLatency): number {
  const analysis = analyzeQuorum(options);
  let latency: QuorumLatencyRun | null = null;
  if (options.latency !== null) {
    if (options.trials * options.n > VISIBILITY_LIMITS.replicaDraws) {
      throw new UsageError(
        `--trials ${options.trials.toLocaleString("en-US")} × --n ${options.n} is above the limit of ${VISIBILITY_LIMITS.replicaDraws.toLocaleString("en-US")} replica draws; use --trials ${Math.floor(VISIBILITY_LIMITS.replicaDraws / options.n).toLocaleString("en-US")} or fewer`,
      );
    }
    const file = loadLatencyFile(options.latency, load);
    latency = latencyRun(analysis, { file: options.latency, ...file }, { trials: options.trials, seed: options.seed, tMs: options.tMs, fanout: options.fanout });
  }
  const output: QuorumResult = { analysis, latency };
  io.out(render(output, options.format, io, resolveWidth(options.width, io.terminal ?? {})));
  return EXIT_OK;
}

function render(result: QuorumResult, format: QuorumFormat, io: Io, width: number): string {
  switch (format) {
    case "json":
      return renderQuorumJson(result);
    case "markdown":
      return renderQuorumMarkdown(result);
    case "text":
      return renderQuorumText(result, io.color, { width });
  }
}

/**
 * What --latency simulates, for --help: the WARS model as the PBS paper defines
 * it, and what it leaves out (the README's "The t-visibility model" says more).
 */
export const MODEL_HELP = [
  "t-visibility (--latency) follows the WARS model of the PBS paper (Bailis et al., VLDB 2012). Each trial draws, for each of the N replicas (with --down K, each node a request reaches), four one-way delays: w (the write to the replica), a (its ack), r (the read request), s (the read response). The write commits at the W-th ack (the W-th smallest w + a). A read starting t ms later is sent to all N replicas, as Dynamo's and Riak's coordinators do, and returns with the first R replies (the smallest r + s); it returns the write if one of those replicas had it when the read request reached it (w <= commit + t + r).",
  "",
  "With --read-fanout r the read asks only R replicas, as Cassandra's coordinator asks the replicas its consistency level needs (R of them at random, the near ones first with a latency file's remote:), and asks one more when a reply is still missing after --speculative-retry (NONE, ALWAYS, 99p: the 99th percentile of the read's latency, Cassandra's default, or a delay such as 20ms); it returns with the first R replies.",
  "",
  "Not modelled: read repair, anti-entropy, a coordinator that is itself a replica, and the delay between the client and the coordinator.",
].join("\n");

/** Adds the `quorum` command to the program (called once from main.ts). */
export function registerQuorum(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("quorum")
    .description("instant quorum calculator: availability with K replicas down, R + W > N and whether reads are strong, staleness; t-visibility from a latency file")
    .option("--n <n>", `replicas per key (1 to ${LIMITS.quorumN})`)
    .option("--r <r>", "replies a read waits for (1 to N)")
    .option("--w <w>", "acks a write waits for (1 to N)")
    .option("--down <k>", "replicas of the key that are down (0 to N; default 0)")
    .option("--sloppy", "sloppy quorum: stand-in nodes take reads and writes for down replicas, with hinted handoff; reads are then strong only if R + W > N + the stand-ins in play")
    .option("--cluster <size>", "with --sloppy: nodes in the whole cluster (>= N), which bounds the stand-ins")
    .option("--latency <file>", "a latency file (kind: latency, WARS legs w/a/r/s): simulate t-visibility")
    .option("--read-fanout <all|r>", "with --latency: a read asks all replicas (Dynamo, Riak; default) or only R (Cassandra)")
    .option("--speculative-retry <v>", "with --read-fanout r: when to ask one more replica: NONE, ALWAYS, 99p (default), 20ms")
    .option("--t <ms,...>", `read start times after the commit to report (default ${DEFAULT_T_MS.join(",")})`)
    .option("--trials <n>", `Monte Carlo trials (default ${DEFAULT_TRIALS.toLocaleString("en-US")})`)
    .option("--seed <n>", `seed of the Monte Carlo (${SEED_RANGE}; default ${DEFAULT_SEED})`)
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...quorumFormats]))
    .option("--json", "same as --format json")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .addHelpText("after", `\n${MODEL_HELP}\n\nExamples:\n  $ repl-lab quorum --n 3 --r 2 --w 2 --down 1\n  $ repl-lab quorum --n 5 --r 1 --w 1 --sloppy --cluster 8\n  $ repl-lab quorum --n 3 --r 1 --w 1 --latency scenarios/latency/lnkd-ssd.yaml --t 1,10,100\n  $ repl-lab quorum --n 3 --r 2 --w 1 --latency scenarios/latency/lnkd-disk.yaml --read-fanout r`)
    .action((flags: QuorumFlags) => {
      setCode(runQuorum(parseQuorumFlags(flags), io));
    });
}
