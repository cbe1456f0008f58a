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
import { isPromptExit, type Prompter } from "../drills/prompter-types.js";
import { RATING_NAMES, Rating, reviewCard, suggestedRating } from "../drills/schedule.js";
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
}

export interface SessionStart {
  id?: string;
  topic?: Topic;
  due?: boolean;
}

export interface SessionOutcome {
  answered: Answered[];
  interrupted: boolean;
}

/** How deep an interviewer's follow-up chain goes before the session moves on. */
const MAX_CHAIN = 4;

export async function runSession(deps: SessionDeps, start: SessionStart): Promise<SessionOutcome> {
  const answered: Answered[] = [];
  let interrupted = false;
  try {
    const queue = await plan(deps, start);
    if (queue !== null) await work(deps, queue, answered);
  } catch (error) {
    if (!isPromptExit(error)) throw error;
    interrupted = true;
  }
  if (interrupted) deps.out(deps.color.yellow(`\nStopped. ${answered.length} answer${answered.length === 1 ? " was" : "s were"} saved.`));
  deps.out(`\n${renderSessionSummary(answered, deps.color)}`);
  return { answered, interrupted };
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

async function work(deps: SessionDeps, queue: Item[], answered: Answered[]): Promise<void> {
  const { prompter } = deps;
  while (queue.length > 0) {
    const { resolved, depth } = queue.shift()!;
    const grade = await practise(deps, resolved);
    answered.push({ drill: resolved.instance ? resolved.instance.drill : resolved.drill, grade });
    if (resolved.instance) {
      if (await prompter.confirm("Another generated question of this kind?", true)) queue.unshift({ resolved: findDrill(deps.catalog, resolved.drill.id), depth });
      continue;
    }
    const next = resolved.drill.follow_ups.map((id) => deps.catalog.byId.get(id)).find((d) => d !== undefined && !answered.some((a) => a.drill.id === d.id));
    if (next && depth < MAX_CHAIN && (await prompter.confirm(`Interviewer follow-up: “${next.title}” — take it?`, true))) {
      queue.unshift({ resolved: findDrill(deps.catalog, next.id), depth: depth + 1 });
      continue;
    }
    if (queue.length > 0 && !(await prompter.confirm(`Next drill? (${queue.length} left in this set)`, true))) break;
  }
}

/** Asks one drill, grades it, shows the feedback, saves the review. */
async function practise(deps: SessionDeps, resolved: Resolved): Promise<Grade> {
  const { prompter, out, color } = deps;
  const drill = resolved.instance ? resolved.instance.drill : resolved.drill;
  out(`\n${renderQuestion(drill, color, resolved.instance ? `generated, seed ${resolved.instance.seed}` : drill.kind)}\n`);
  const answer = await ask(prompter, drill);
  let result = null;
  if (drill.kind === "predict") {
    out(color.dim(`Running scenarios/${drill.scenario}.yaml through the engine (about a second)…`));
    result = (deps.run ?? runScenario)(drill.scenario).result;
  }
  const grade = gradeAnswer(resolved, answer, { run: deps.run });
  const followUpId = resolved.drill.follow_ups[0];
  out(`\n${renderFeedback(grade, { drill: resolved.drill, followUp: followUpId ? deps.catalog.byId.get(followUpId) : null, result }, color)}\n`);
  const suggested = suggestedRating(grade.band);
  const rating = await prompter.select<number>(
    "How did that go? (this schedules the next review)",
    [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy].map((r) => ({ name: `${RATING_NAMES[r as 1 | 2 | 3 | 4]}${r === suggested ? " (suggested)" : ""}`, value: r })),
    suggested,
  );
  if (deps.store) {
    const nowMs = deps.now();
    deps.store.record(
      { id: resolved.drill.id, topic: drill.topic, kind: grade.kind, score: grade.score, passed: grade.passed, rating, atMs: nowMs },
      (previous) => reviewCard(previous, rating as 1 | 2 | 3 | 4, nowMs),
    );
  }
  return grade;
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
      return prompter.input(`Your answer${drill.unit ? ` (${drill.unit})` : ""}`, numberCheck(drill.unit));
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
      if (drill.answer.form === "number") return prompter.input(`Your prediction${drill.unit ? ` (${drill.unit})` : ""}`, numberCheck(drill.unit));
      const choices = predictChoices(drill);
      return prompter.select("Your prediction", choices.map((c, i) => ({ name: drill.answer.form === "buckets" ? `${letter(i)}) ${c}` : c, value: drill.answer.form === "buckets" ? letter(i) : c })));
    }
  }
}

function numberCheck(unit: string | undefined): (value: string) => true | string {
  return (value) => {
    try {
      parseNumber(value, unit);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}
