// The interactive session: choose what to practise (the due cards, a topic,
// one drill, generated questions), answer each drill with the prompt that
// suits its kind, read the feedback, confirm or override the rating, and
// follow the interviewer's follow-up chain. Every answer is saved the moment
// it is graded, so Ctrl-C loses nothing already answered. It lives on the
// CLI side because it prints through the report's renderers: src/drills stays
// the core (content, grading, scheduling) and imports no edge.
import type { ChalkInstance } from "chalk";
import { renderFeedback } from "../report/drill/feedback.js";
import { renderQuestion } from "../report/drill/question.js";
import { renderSessionSummary, when, type Answered } from "../report/drill/tables.js";
import { findDrill, type Catalog, type Resolved } from "../drills/catalog.js";
import { displayOrder, letter, parseNumber } from "../drills/exact.js";
import { gradeAnswer } from "../drills/grade.js";
import { runScenario, predictChoices, type ScenarioRun } from "../drills/predict.js";
import { isPromptExit, type Choice, type Prompter } from "../drills/prompter-types.js";
import { hanging } from "../report/drill/wrap.js";
import { RATING_NAMES, Rating, reviewCard, suggestedRating, type StoredCard } from "../drills/schedule.js";
import { dueDrills, newDrills } from "../drills/stats.js";
import type { ProgressStore } from "../drills/store.js";
import { TOPICS, type Topic } from "../drills/topics.js";
import type { Drill, Grade } from "../drills/types.js";

export interface SessionDeps {
  catalog: Catalog;
  store: ProgressStore | null;
  prompter: Prompter;
  out: (text: string) => void;
  color: ChalkInstance;
  now: () => number;
  run?: (scenario: string) => ScenarioRun;
  /** Columns to wrap questions and feedback at; unwrapped without it. */
  width?: number;
}

export interface SessionStart {
  id?: string;
  topic?: Topic;
  due?: boolean;
}

export interface SessionOutcome {
  answered: Answered[];
  /** Drills skipped with an empty answer: nothing was recorded for them. */
  skipped: string[];
  interrupted: boolean;
}

/** How deep an interviewer's follow-up chain goes before the session moves on. */
const MAX_CHAIN = 4;

export async function runSession(given: SessionDeps, start: SessionStart): Promise<SessionOutcome> {
  const deps = given.width === undefined ? given : { ...given, prompter: fitPrompter(given.prompter, given.width) };
  const log: SessionLog = { answered: [], skipped: [], served: new Set() };
  let interrupted = false;
  try {
    const queue = await plan(deps, start);
    if (queue !== null) await work(deps, queue, log);
  } catch (error) {
    if (!isPromptExit(error)) throw error;
    interrupted = true;
  }
  const { answered, skipped } = log;
  if (interrupted) deps.out(deps.color.yellow(`\nStopped. ${answered.length} answer${answered.length === 1 ? " was" : "s were"} saved.`));
  deps.out(`\n${renderSessionSummary(answered, deps.color)}`);
  if (skipped.length > 0) deps.out(deps.color.dim(`Skipped (no review recorded): ${skipped.join(", ")}`));
  return { answered, skipped, interrupted };
}

/** What a session has done so far: graded answers, skipped drills, and every drill it has served. */
interface SessionLog {
  answered: Answered[];
  skipped: string[];
  served: Set<string>;
}

type Item = { resolved: Resolved; depth: number };

async function plan(deps: SessionDeps, start: SessionStart): Promise<Item[] | null> {
  const { catalog, prompter, color } = deps;
  const progress = deps.store?.load() ?? null;
  const nowMs = deps.now();
  const due = progress ? dueDrills(catalog, progress, nowMs) : [];
  const item = (drill: Drill): Item => ({ resolved: findDrill(catalog, drill.id), depth: 0 });
  if (start.id) return [{ resolved: findDrill(catalog, start.id), depth: 0 }];
  if (start.topic) return orderForPractice(catalog.drills.filter((d) => d.topic === start.topic), due, progress).map(item);
  if (start.due) {
    if (due.length === 0) {
      deps.out(nothingDue(deps));
      return null;
    }
    return due.map(item);
  }
  const fresh = progress ? newDrills(catalog, progress) : catalog.drills;
  const choice = await prompter.select<string>("What would you like to practise?", [
    { name: `The due cards (${due.length})`, value: "due", disabled: due.length === 0 ? "nothing due" : false },
    { name: `New drills (${fresh.length})`, value: "new", disabled: fresh.length === 0 ? "none left" : false },
    { name: "A topic", value: "topic" },
    { name: "A single drill", value: "one" },
    { name: "Generated practice (quorum, RTO budget)", value: "generated" },
  ], due.length > 0 ? "due" : fresh.length > 0 ? "new" : "topic");
  if (choice === "due") return due.map(item);
  if (choice === "new") return fresh.map(item);
  if (choice === "topic") {
    const topic = await prompter.select<Topic>(
      "Which topic?",
      TOPICS.map((t) => ({ name: `${t} (${catalog.drills.filter((d) => d.topic === t).length})`, value: t })),
    );
    return orderForPractice(catalog.drills.filter((d) => d.topic === topic), due, progress).map(item);
  }
  const pool = choice === "generated" ? catalog.drills.filter((d) => d.kind === "generated") : catalog.drills;
  const choices = pool.map((d) => ({ name: `${d.title} ${color.dim(`[${d.topic} · ${d.kind}]`)}`, value: d.id }));
  const id = choice === "generated" ? await prompter.select<string>("Which generator?", choices) : await prompter.search<string>("Which drill? (type to filter by title, topic or id)", choices);
  return [{ resolved: findDrill(catalog, id), depth: 0 }];
}

/** Due cards first (most overdue first), then new ones, then the rest by due date. */
function orderForPractice(drills: Drill[], due: Drill[], progress: ReturnType<ProgressStore["load"]> | null): Drill[] {
  const dueSet = new Set(due.map((d) => d.id));
  const rank = (d: Drill) => (dueSet.has(d.id) ? 0 : progress?.cards[d.id] === undefined ? 1 : 2);
  const dueAt = (d: Drill) => progress?.cards[d.id]?.due ?? 0;
  return [...drills].sort((a, b) => rank(a) - rank(b) || dueAt(a) - dueAt(b));
}

function nothingDue(deps: SessionDeps): string {
  const progress = deps.store?.load();
  const nowMs = deps.now();
  const next = progress ? Math.min(...Object.values(progress.cards).map((c) => c.due).filter((d) => d > nowMs)) : Infinity;
  return `Nothing is due${Number.isFinite(next) ? ` — the next card is due ${when(next, nowMs)}` : ""}. Try \`repl-lab drill\` for new drills or a topic.`;
}

async function work(deps: SessionDeps, queue: Item[], log: SessionLog): Promise<void> {
  const { prompter } = deps;
  while (queue.length > 0) {
    const { resolved, depth } = queue.shift()!;
    // A drill already served in this session comes back only when its card is due again (a lapse scheduled minutes out).
    if (!resolved.instance && log.served.has(resolved.drill.id) && !dueAgain(deps, resolved.drill.id)) continue;
    log.served.add(resolved.drill.id);
    const grade = await practise(deps, resolved, log);
    if (grade === null) log.skipped.push(resolved.drill.id);
    if (resolved.instance) {
      if (await prompter.confirm("Another generated question of this kind?", true)) queue.unshift({ resolved: findDrill(deps.catalog, resolved.drill.id), depth });
      continue;
    }
    const next = resolved.drill.follow_ups.map((id) => deps.catalog.byId.get(id)).find((d) => d !== undefined && !log.served.has(d.id));
    if (grade !== null && next && depth < MAX_CHAIN && (await prompter.confirm(`Interviewer follow-up: “${next.title}” — take it?`, true))) {
      queue.unshift({ resolved: findDrill(deps.catalog, next.id), depth: depth + 1 });
      continue;
    }
    const left = queue.filter((item) => item.resolved.instance || !log.served.has(item.resolved.drill.id) || dueAgain(deps, item.resolved.drill.id)).length;
    if (left > 0 && !(await prompter.confirm(`Next drill? (${left} left in this set)`, true))) break;
  }
}

function dueAgain(deps: SessionDeps, id: string): boolean {
  const card = deps.store?.load().cards[id];
  return card !== undefined && card.due <= deps.now();
}

/** Asks one drill, grades it, shows the feedback, saves the review (into the log too); null when the user skipped it. */
async function practise(deps: SessionDeps, resolved: Resolved, log: SessionLog): Promise<Grade | null> {
  const { prompter, out, color } = deps;
  const drill = resolved.instance ? resolved.instance.drill : resolved.drill;
  out(`\n${renderQuestion(drill, color, resolved.instance ? `generated, seed ${resolved.instance.seed}` : drill.kind, deps.width)}\n`);
  let answer = await ask(prompter, drill);
  while (answer.trim() === "") {
    const choice = await prompter.select<EmptyChoice>("You submitted an empty answer. What now?", emptyChoices(drill.kind), "skip");
    if (choice === "submit") break;
    if (choice === "skip") {
      out(color.dim("Skipped — no review recorded; the drill's schedule is unchanged."));
      return null;
    }
    answer = await ask(prompter, drill);
  }
  let result = null;
  if (drill.kind === "predict") {
    out(color.dim(`Running scenarios/${drill.scenario}.yaml through the engine (about a second)…`));
    result = (deps.run ?? runScenario)(drill.scenario).result;
  }
  const grade = gradeAnswer(resolved, answer, { run: deps.run });
  const followUpId = resolved.drill.follow_ups[0];
  out(`\n${renderFeedback(grade, { drill: resolved.drill, followUp: followUpId ? deps.catalog.byId.get(followUpId) : null, result, width: deps.width }, color)}\n`);
  // Saved the moment it is graded, with the suggested rating: stopping at the rating prompt keeps the answer.
  const suggested = suggestedRating(grade.band);
  const nowMs = deps.now();
  const review = { id: resolved.drill.id, topic: drill.topic, kind: grade.kind, score: grade.score, passed: grade.passed, rating: suggested, atMs: nowMs };
  let before: StoredCard | undefined;
  deps.store?.record(review, (previous) => {
    before = previous;
    return reviewCard(previous, suggested, nowMs);
  });
  log.answered.push({ drill, grade });
  let rating: number;
  try {
    rating = await prompter.select<number>(
      "How did that go? (this schedules the next review)",
      [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy].map((r) => ({ name: `${RATING_NAMES[r as 1 | 2 | 3 | 4]}${r === suggested ? " (suggested)" : ""}`, value: r })),
      suggested,
    );
  } catch (error) {
    if (isPromptExit(error) && deps.store) out(color.dim(`\nThe answer is kept with the suggested rating (${RATING_NAMES[suggested]}).`));
    throw error;
  }
  // Another rating: the review saved above is rated again, and its card rescheduled from where it was before it.
  if (rating !== suggested && deps.store) {
    deps.store.update((progress) => {
      for (let i = progress.reviews.length - 1; i >= 0; i--) {
        if (progress.reviews[i].id !== review.id || progress.reviews[i].atMs !== nowMs) continue;
        progress.reviews[i].rating = rating;
        break;
      }
      progress.cards[review.id] = reviewCard(before, rating as 1 | 2 | 3 | 4, nowMs);
    });
  }
  return grade;
}

type EmptyChoice = "skip" | "submit" | "again";

/** Skip (nothing recorded), submit it empty (graded, free text only), or answer after all. */
function emptyChoices(kind: Drill["kind"]): Array<{ name: string; value: EmptyChoice }> {
  return [
    { name: "Skip this drill (no review recorded)", value: "skip" },
    ...(kind === "text" ? [{ name: "Submit it empty (graded 0 %, recorded as a lapse)", value: "submit" as const }] : []),
    { name: "Answer it after all", value: "again" },
  ];
}

/** The prompt that fits the drill's kind; returns the answer as the text `--answer` would take. */
export async function ask(prompter: Prompter, drill: Exclude<Drill, { kind: "generated" }>): Promise<string> {
  switch (drill.kind) {
    case "text":
      return prompter.multiline("Your answer");
    case "single":
      return prompter.select("Your answer", drill.options.map((o, i) => ({ name: `${letter(i)}) ${o.text}`, value: letter(i) })));
    case "multiple": {
      const chosen = await prompter.checkbox("Select every right option (space to toggle, enter to submit)", drill.options.map((o, i) => ({ name: `${letter(i)}) ${o.text}`, value: letter(i) })));
      return chosen.join(",");
    }
    case "numeric":
      return prompter.input(`Your answer${drill.unit ? ` (${drill.unit}; empty skips)` : " (empty skips)"}`, numberCheck(drill.unit));
    case "ordering": {
      const shown = displayOrder(drill.id, drill.steps.length);
      const remaining = shown.map((step, i) => ({ letter: letter(i), text: drill.steps[step] }));
      const picked: string[] = [];
      while (remaining.length > 1) {
        const choice = await prompter.select(`Step ${picked.length + 1} of ${shown.length}`, remaining.map((r) => ({ name: `${r.letter}) ${r.text}`, value: r.letter })));
        picked.push(choice);
        remaining.splice(remaining.findIndex((r) => r.letter === choice), 1);
      }
      picked.push(remaining[0].letter);
      return picked.join(",");
    }
    case "predict": {
      if (drill.answer.form === "number") return prompter.input(`Your prediction${drill.unit ? ` (${drill.unit}; empty skips)` : " (empty skips)"}`, numberCheck(drill.unit));
      const choices = predictChoices(drill);
      return prompter.select("Your prediction", choices.map((c, i) => ({ name: drill.answer.form === "buckets" ? `${letter(i)}) ${c}` : c, value: drill.answer.form === "buckets" ? letter(i) : c })));
    }
  }
}

function numberCheck(unit: string | undefined): (value: string) => true | string {
  return (value) => {
    // Empty is allowed through: the session then offers to skip the drill.
    if (value.trim() === "") return true;
    try {
      parseNumber(value, unit);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

// What the prompts print before their text: "? " before a question, the
// cursor ("❯ ") before a choice, cursor and box ("❯◯ ") before a checkbox.
const QUESTION_PREFIX = 2;
const CHOICE_PREFIX = 2;
const CHECKBOX_PREFIX = 3;
/** Room kept after a yes/no question for its " (Y/n)". */
const CONFIRM_SUFFIX = 6;

/**
 * The prompts wrapped to `width` columns, so the terminal never breaks a word
 * (or starts an option's second line at column 0): a question's lines
 * continue under its text, an option's under the text after its letter
 * ("b) "), and the answered prompt's echo under the answer.
 */
export function fitPrompter(prompter: Prompter, width: number): Prompter {
  const question = (message: string, reserve = 0) => hanging(" ".repeat(QUESTION_PREFIX), message, width - reserve).slice(QUESTION_PREFIX);
  const option = (name: string, prefix: number) => {
    const lead = /^[a-z]\) /.exec(name)?.[0] ?? "";
    return hanging(" ".repeat(prefix) + lead, name.slice(lead.length), width).slice(prefix);
  };
  // The echo after "✔ question ": wrapped under where the answer starts.
  const echo = (message: string, name: string) => {
    const start = QUESTION_PREFIX + [...(question(message).split("\n").pop() ?? "")].length + 1;
    return hanging(" ".repeat(start), name, width).slice(start);
  };
  const fit = <T>(message: string, choices: Array<Choice<T>>, prefix: number, short: (c: Choice<T>) => string) =>
    choices.map((c) => ({ ...c, name: option(c.name, prefix), short: c.short ?? short(c) }));
  return {
    select: (message, choices, defaultValue) => prompter.select(question(message), fit(message, choices, CHOICE_PREFIX, (c) => echo(message, c.name)), defaultValue),
    search: (message, choices) => prompter.search(question(message), fit(message, choices, CHOICE_PREFIX, (c) => echo(message, c.name))),
    // Several answers are echoed as their letters ("a), c)"), or their names when they have none.
    checkbox: (message, choices) => prompter.checkbox(question(message), fit(message, choices, CHECKBOX_PREFIX, (c) => /^[a-z]\)/.exec(c.name)?.[0] ?? c.name)),
    input: (message, validate) => prompter.input(question(message), validate),
    confirm: (message, defaultValue) => prompter.confirm(question(message, CONFIRM_SUFFIX), defaultValue),
    multiline: (message) => prompter.multiline(question(message)),
  };
}
