// `repl-lab drill [ID] [--topic T] [--due] [--list] [--answer TEXT] [--show]
// [--json] [--save]` and `repl-lab drill stats [--json]`.
//
// Non-interactive paths first (list, show, answer, stats), so scripts and
// tests never need a terminal. `--answer` is for scripts: its exit code is the
// grade (0 passed, 1 not passed, 2 bad usage) and it records the review in
// the progress store only with `--save` (a review --save could not record is
// exit 2, the grade still printed; with --json, "saved": false and an "error"). Anything else is an interactive session,
// which needs stdin and stdout to be a TTY: without one the command says so
// and exits 2 rather than waiting for input that will never come.
import { Option, type Command } from "commander";
import { UsageError } from "../model/diagnostics.js";
import { findDrill, loadCatalog, type Catalog, type Resolved } from "../drills/catalog.js";
import { gradeAnswer } from "../drills/grade.js";
import { displayOrder } from "../drills/exact.js";
import { predictChoices, runScenario } from "../drills/predict.js";
import { stateDir } from "../drills/paths.js";
import { reviewCard, suggestedRating } from "../drills/schedule.js";
import { runSession } from "./drill-session.js";
import { computeStats, dueDrills } from "../drills/stats.js";
import { ProgressFileError, ProgressStore } from "../drills/store.js";
import { parseTopic, type Topic } from "../drills/topics.js";
import type { Grade } from "../drills/types.js";
import { renderFeedback } from "../report/drill/feedback.js";
import { renderDrillList, renderGradeJson } from "../report/drill/json.js";
import { renderQuestion } from "../report/drill/question.js";
import { renderListText, renderStatsText } from "../report/drill/tables.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type Io } from "./io.js";
import { parseWidthFlag, resolveWidth } from "./flags.js";

export interface DrillFlags {
  topic?: string;
  due?: boolean;
  list?: boolean;
  answer?: string;
  show?: boolean;
  json?: boolean;
  save?: boolean;
  width?: string;
}

export interface DrillEnv {
  now: () => number;
  env: NodeJS.ProcessEnv;
}

const defaultEnv: DrillEnv = { now: Date.now, env: process.env };

export function registerDrill(program: Command, io: Io, setCode: (code: number) => void): void {
  const drill = program
    .command("drill")
    .description("practise for interviews: drills graded with concept-level feedback, scheduled with spaced repetition")
    .argument("[id]", "a drill id (see --list); a generated drill takes :SEED, e.g. gen-rto-budget:42")
    .option("--topic <topic>", "only drills of this topic (e.g. failover, quorum, backups-and-pitr)")
    .option("--due", "only the cards due for review")
    .option("--list", "list drills (with --topic / --due: only those) and exit")
    .option("--answer <text>", "grade this answer non-interactively (choice: letters; predict: a letter, or a number where it asks for one; ordering: a,b,c; numeric: a number; - reads standard input)")
    .option("--show", "print the question and exit")
    .option("--json", "JSON output (with --list, --answer, --show)")
    .option("--save", "with --answer: record this review in your progress (spaced repetition); without it nothing is written")
    .option("--width <n>", "columns to wrap questions and feedback at (default: the terminal's, 100 when piped)")
    // The default before --save existed; still accepted so old scripts keep working.
    .addOption(new Option("--no-save").hideHelp())
    .addHelpText("after", `\nExamples:\n  $ repl-lab drill --due\n  $ repl-lab drill --list --topic quorum\n  $ repl-lab drill pitr-window-expired --answer "restore the logical dump from day 9"`)
    .action(async (id: string | undefined, flags: DrillFlags) => {
      setCode(await runDrill(id, flags, io));
    });
  drill
    .command("stats")
    .description("progress: due cards, accuracy per topic, streak")
    .option("--json", "JSON output")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .addHelpText("after", `\nExamples:\n  $ repl-lab drill stats\n  $ repl-lab drill stats --json`)
    .action(async (flags: { json?: boolean; width?: string }, command: Command) => {
      const parent = command.parent?.opts() ?? {};
      const json = Boolean(flags.json || parent.json);
      // Either side of "stats" takes --width, as it takes --json.
      setCode(runStats(json, outputWidth({ width: flags.width ?? parent.width }, io), io));
    });
}

function store(env: DrillEnv): ProgressStore {
  return new ProgressStore(stateDir(env.env), { now: env.now });
}

export async function runDrill(id: string | undefined, flags: DrillFlags, io: Io, env: DrillEnv = defaultEnv): Promise<number> {
  const topic: Topic | undefined = flags.topic === undefined ? undefined : parseTopic(flags.topic);
  if (flags.save === true && flags.answer === undefined) {
    throw new UsageError("--save goes with --answer: repl-lab drill ID --answer TEXT --save (an interactive session saves every answer)");
  }
  const width = outputWidth(flags, io);
  const catalog = loadCatalog();
  if (flags.list) return list(catalog, topic, Boolean(flags.due), Boolean(flags.json), io, env, width);
  // Resolve the id before anything else, so a typo is reported the same way in every mode.
  const resolved = id === undefined ? undefined : findDrill(catalog, id);
  if (flags.show) {
    if (!resolved) throw new UsageError("--show needs a drill id (see `repl-lab drill --list`)");
    return show(resolved, Boolean(flags.json), io, width);
  }
  if (flags.answer !== undefined) {
    if (!resolved || id === undefined) throw new UsageError("--answer needs a drill id: repl-lab drill ID --answer TEXT (see `repl-lab drill --list`)");
    if (resolved.instance && !id.includes(":")) {
      throw new UsageError(`"${id}" is generated: give it a seed to answer it, e.g. ${id}:${resolved.instance.seed} (\`repl-lab drill ${id}:${resolved.instance.seed} --show\` prints that question)`);
    }
    return answer(catalog, resolved, flags, io, env);
  }
  if (flags.json) throw new UsageError("--json goes with --list, --answer or --show (an interactive session prints for people)");
  if (!io.isTTY) {
    throw new UsageError(
      "repl-lab drill is interactive and needs a terminal, but stdin or stdout is not one. Without a terminal use: " +
        "`repl-lab drill --list [--json]`, `repl-lab drill ID --show`, `repl-lab drill ID --answer TEXT [--json] [--save]`, `repl-lab drill --due --list`, `repl-lab drill stats`",
    );
  }
  const progress = store(env);
  // Loaded here, not at the top: @inquirer/prompts is only needed on a terminal.
  const { inquirerPrompter } = await import("../drills/prompter.js");
  const outcome = await runSession(
    { catalog, store: progress, prompter: inquirerPrompter, out: io.out, color: io.color, now: env.now, width },
    { id, topic, due: Boolean(flags.due) },
  );
  return outcome.interrupted ? 130 : EXIT_OK;
}

function list(catalog: Catalog, topic: Topic | undefined, dueOnly: boolean, json: boolean, io: Io, env: DrillEnv, width: number): number {
  let drills = catalog.drills.filter((d) => topic === undefined || d.topic === topic);
  let due: Set<string> | undefined;
  if (dueOnly) {
    due = new Set(dueDrills(catalog, store(env).load(), env.now()).map((d) => d.id));
    drills = drills.filter((d) => due!.has(d.id));
  }
  io.out(json ? renderDrillList(drills) : renderListText(drills, io.color, due, width));
  return EXIT_OK;
}

function show(resolved: Resolved, json: boolean, io: Io, width: number): number {
  const drill = resolved.instance ? resolved.instance.drill : resolved.drill;
  if (json) {
    const shape: Record<string, unknown> = { id: drill.id, title: drill.title, topic: drill.topic, kind: resolved.instance ? "generated" : drill.kind, prompt: drill.prompt };
    if (drill.kind === "single" || drill.kind === "multiple") shape.options = drill.options.map((o) => o.text);
    // Steps in the shuffled order they are answered in: letter a is the first of this list.
    if (drill.kind === "ordering") shape.steps = displayOrder(drill.id, drill.steps.length).map((i) => drill.steps[i]);
    if (drill.kind === "predict") Object.assign(shape, { scenario: drill.scenario, field: drill.field, unit: drill.unit ?? null, choices: predictChoices(drill) });
    if (drill.kind === "numeric") shape.unit = drill.unit ?? null;
    io.out(JSON.stringify(shape, null, 2));
    return EXIT_OK;
  }
  io.out(renderQuestion(drill, io.color, resolved.instance ? `generated, seed ${resolved.instance.seed}` : drill.kind, width));
  return EXIT_OK;
}

/** Columns to wrap questions and feedback at: --width, else the terminal's, or 100 when the output is piped. */
function outputWidth(flags: DrillFlags, io: Io): number {
  return resolveWidth(flags.width === undefined ? undefined : parseWidthFlag(flags.width), io.terminal ?? {});
}

/** The largest answer read from standard input with `--answer -`. */
const MAX_STDIN_ANSWER_BYTES = 64 * 1024;

/**
 * `--answer -`: standard input as a stream, so a slow pipe is waited for (a synchronous read of a
 * non-blocking pipe fails with EAGAIN) and an endless one (`< /dev/zero`) is refused at the limit
 * rather than read whole. An answer past the limit is refused, not cut: grading a part of it would
 * grade something the user did not write.
 */
async function readStdinAnswer(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop (the throw below) destroys the stream: nothing more is read.
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN_ANSWER_BYTES) {
      throw new UsageError(`--answer -: standard input holds more than ${MAX_STDIN_ANSWER_BYTES / 1024} KB; an answer read from it is at most ${MAX_STDIN_ANSWER_BYTES.toLocaleString("en-US")} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function answer(catalog: Catalog, resolved: Resolved, flags: DrillFlags, io: Io, env: DrillEnv): Promise<number> {
  // `--answer -` reads the answer from standard input: multi-line free text from a script or a file.
  const text = flags.answer === "-" ? await readStdinAnswer() : (flags.answer ?? "");
  // An empty answer is a slip of the shell (an unset variable), not an attempt to grade (and, with --save, to schedule).
  if (text.trim() === "") throw new UsageError(`--answer is empty: give the answer's text (or - to read it from standard input)`);
  const grade: Grade = gradeAnswer(resolved, text);
  const followUpId = resolved.drill.follow_ups[0] ?? null;
  // The exit code is the grade, so a script can branch on it.
  const code = grade.passed ? EXIT_OK : EXIT_FAILED;
  // With --save, a review that cannot be recorded (a newer or unreadable progress file, a
  // read-only home, a held lock) is a failure, exit 2, as in an interactive session: the grade
  // is still printed, and the progress file is left as it is.
  let saveError: string | undefined;
  let savePosition: { line: number; column: number } | undefined;
  if (flags.save === true) {
    const nowMs = env.now();
    const rating = suggestedRating(grade.band);
    const progress = store(env);
    try {
      progress.record(
        { id: resolved.drill.id, topic: resolved.drill.topic, kind: grade.kind, score: grade.score, passed: grade.passed, rating, atMs: nowMs },
        (previous) => reviewCard(previous, rating, nowMs),
      );
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      saveError = error.message;
      // Where in the progress file it breaks, for a script as for a person (the message names it too).
      if (error instanceof ProgressFileError) savePosition = { line: error.line, column: error.column };
    }
    if (flags.json) {
      if (saveError !== undefined) io.err(`${io.color.red("error")} progress not saved: ${saveError}`);
      const extra = resolved.instance ? { question: resolved.instance.drill.prompt, params: resolved.instance.params } : {};
      const saved = saveError === undefined ? { saved: true } : { saved: false, error: { message: `progress not saved: ${saveError}`, file: progress.path, ...savePosition } };
      io.out(renderGradeJson(grade, { ...extra, followUp: followUpId, ...saved }));
      return saveError === undefined ? code : EXIT_USAGE;
    }
  }
  if (flags.json) {
    const extra = resolved.instance ? { question: resolved.instance.drill.prompt, params: resolved.instance.params } : {};
    io.out(renderGradeJson(grade, { ...extra, followUp: followUpId }));
    return code;
  }
  const drill = resolved.instance ? resolved.instance.drill : resolved.drill;
  // The run behind a predict drill's truth is cached: grading already ran it.
  const result = drill.kind === "predict" ? runScenario(drill.scenario).result : null;
  io.out(renderFeedback(grade, { drill: resolved.drill, followUp: followUpId ? catalog.byId.get(followUpId) : null, result, width: outputWidth(flags, io) }, io.color));
  // On stderr, so stdout stays the grade alone.
  if (flags.save !== true) io.err(io.color.dim("not saved (use --save to record this review)"));
  if (saveError === undefined) return code;
  io.err(`${io.color.red("error")} progress not saved: ${saveError}`);
  return EXIT_USAGE;
}

function runStats(json: boolean, width: number, io: Io, env: DrillEnv = defaultEnv): number {
  const catalog = loadCatalog();
  const nowMs = env.now();
  const stats = computeStats(catalog, store(env).load(), nowMs);
  io.out(json ? JSON.stringify(stats, null, 2) : renderStatsText(stats, io.color, nowMs, width));
  return EXIT_OK;
}

