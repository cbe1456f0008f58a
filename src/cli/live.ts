// `repl-lab live FILE [--runs N] [--trials N] [--keep] [--json] [--format text|markdown|html]`:
// parse the flags, hand the session to src/live/session.ts (which checks the
// machine, maps the scenario onto a real cluster, runs it and stops it), show
// its progress on a spinner, and print live beside simulated. Exit 2 on bad
// input or a scenario that cannot run live, 1 when a run failed or an
// expectation was not met, 130/143/129 after Ctrl+C, SIGTERM or SIGHUP.
import { Option, type Command } from "commander";
import type { Ora } from "ora";
import { LIMITS } from "../model/schema.js";
import { LIVE_LIMITS } from "../live/plan.js";
import type { LiveReport } from "../live/report-model.js";
import { defaultLiveDeps, runLiveSession, type LiveDeps, type LiveSessionView } from "../live/session.js";
import { renderLiveJson } from "../report/live/json.js";
import { renderLiveMarkdown } from "../report/live/markdown.js";
import { renderLiveText } from "../report/live/text.js";
import { checkFormat, checkWholeNumber, parseIntegerFlag, parseWidthFlag, pickFormat, resolveWidth } from "./flags.js";
import { EXIT_FAILED, EXIT_OK, type Io } from "./io.js";
import { startSpinner } from "./progress.js";

export const liveFormats = ["text", "json", "markdown", "html"] as const;
export type LiveFormat = (typeof liveFormats)[number];

export const DEFAULT_LIVE_TRIALS = 20;

/** The exit codes of a command ended by a signal: 128 + the signal's number. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export interface LiveCommandOptions {
  runs: number;
  trials: number;
  keep: boolean;
  format: LiveFormat;
  /** Columns of the text output (--width); the terminal's, or 100 when piped, when absent. */
  width?: number;
}

function checkOptions(options: LiveCommandOptions): void {
  checkWholeNumber("--runs", options.runs, 1, LIVE_LIMITS.runs);
  checkWholeNumber("--trials", options.trials, 1, LIMITS.trials);
  checkFormat(liveFormats, options.format);
}

/**
 * The session's progress on a spinner (on a terminal only). The spinner starts
 * with the first progress line, so nothing animates while the machine and the
 * scenario are checked, and never starts again once stopped.
 */
function spinnerView(io: Io): LiveSessionView {
  let spinner: Ora | null = null;
  let stopped = false;
  return {
    progress: (text) => {
      if (!spinner && !stopped) spinner = startSpinner(io, text);
      if (spinner) spinner.text = text;
    },
    stopProgress: () => {
      stopped = true;
      spinner?.stop();
    },
    notice: (text) => io.err(text),
  };
}

export async function runLive(file: string, options: LiveCommandOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<number> {
  checkOptions(options);
  const outcome = await runLiveSession(file, options, deps, spinnerView(io));
  if ("signal" in outcome) return SIGNAL_EXIT[outcome.signal] ?? EXIT_FAILED;
  if ("failed" in outcome) {
    io.err(`${io.color.red("error")} live run failed: ${outcome.failed}`);
    return EXIT_FAILED;
  }
  // The HTML page loads its charting library only when asked for.
  if (options.format === "html") io.out((await import("../report/html/live.js")).renderLiveHtml(outcome.report));
  else io.out(render(outcome.report, options.format, io, resolveWidth(options.width, io.terminal ?? {})));
  return outcome.report.runs.some((r) => r.result.expectations.some((e) => !e.met)) ? EXIT_FAILED : EXIT_OK;
}

function render(report: LiveReport, format: LiveFormat, io: Io, width: number): string {
  switch (format) {
    case "json":
      return renderLiveJson(report);
    case "markdown":
      return renderLiveMarkdown(report);
    case "html":
      throw new Error("html is rendered by renderLiveHtml");
    case "text":
      return renderLiveText(report, io.color, { width });
  }
}

/** `live` on the program (called from main.ts). */
export function registerLive(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("live")
    .description("run the scenario on a real PostgreSQL + Patroni + etcd cluster started on loopback; live vs simulated side by side")
    .argument("<file>", "a scenario file (kind: scenario) with a leader/follower topology")
    .option("--runs <n>", `repeat the live fault N times on one cluster (1 to ${LIVE_LIMITS.runs})`, "1")
    .option("--trials <n>", "Monte Carlo trials of the engine for the simulated side", String(DEFAULT_LIVE_TRIALS))
    .option("--keep", "leave the cluster running and print its folder, connection strings and how to stop it")
    .addOption(new Option("--format <format>", "output format (default: text)").choices([...liveFormats]))
    .option("--json", "same as --format json")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .addHelpText("after", `\nExamples:\n  $ repl-lab live scenarios/live/leader-crash.yaml\n  $ repl-lab live scenarios/live/three-nodes-sync.yaml --runs 5 --format markdown`)
    .action(async (file: string, options: { runs: string; trials: string; keep?: boolean; format?: LiveFormat; json?: boolean; width?: string }) => {
      const format = pickFormat<LiveFormat>(options);
      const runs = parseIntegerFlag("--runs", options.runs, 1, LIVE_LIMITS.runs);
      const trials = parseIntegerFlag("--trials", options.trials, 1, LIMITS.trials);
      const width = options.width === undefined ? undefined : parseWidthFlag(options.width);
      setCode(await runLive(file, { runs, trials, keep: Boolean(options.keep), format, width }, io));
    });
}
