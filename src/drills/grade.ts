// One entry point for grading any drill from the answer text: free text
// against its rubric, exact kinds by parsing the answer, predict drills by
// running the engine, generated drills as the exact drill they generate.
import { displayOrder, formatNumber, gradeMultiple, gradeNumeric, gradeOrdering, gradeSingle, letter, parseNumber, parseOption, parseOptions, parseOrdering, type ExactGrade } from "./exact.js";
import type { Resolved } from "./catalog.js";
import { renderModelAnswer } from "./facts.js";
import { gradePrediction, runFlooredScenario, runScenario, truthOf, type ScenarioRun } from "./predict.js";
import { gradeText } from "./text/grade.js";
import { bandOf, type Drill, type DrillOf, type FeedbackLine, type Grade } from "./types.js";

export interface GradeOptions {
  /** Runs a bundled scenario; tests may pass a stub. */
  run?: (scenario: string) => ScenarioRun;
  /** Runs a bundled scenario with the lease Patroni 3.2 and later run ({floor.*} facts); null when that is its own. */
  runFloored?: (scenario: string) => ScenarioRun | null;
}

type Exact = Exclude<Drill, DrillOf<"text"> | DrillOf<"predict"> | DrillOf<"generated">>;

export function gradeAnswer(resolved: Resolved, answer: string, options: GradeOptions = {}): Grade {
  if (resolved.instance) {
    const grade = gradeExact(resolved.instance.drill, answer);
    return { ...grade, id: resolved.instance.drill.id, kind: "generated" };
  }
  const drill = resolved.drill;
  if (drill.kind === "text") {
    const graded = gradeText(drill.rubric, answer);
    return {
      id: drill.id,
      kind: "text",
      score: graded.score,
      passed: graded.band === "strong",
      band: graded.band,
      hits: graded.concepts.filter((c) => c.hit).map((c) => c.concept.id),
      misses: graded.concepts.filter((c) => !c.hit).map((c) => c.concept.id),
      misconceptions: graded.misconceptions.map((m) => m.misconception.id),
      named: graded.concepts.filter((c) => c.named).map((c) => c.concept.id),
      stuffed: graded.stuffed,
      modelAnswer: drill.model_answer.trim(),
      feedback: graded.feedback,
    };
  }
  if (drill.kind === "predict") {
    const run = (options.run ?? runScenario)(drill.scenario);
    const value = truthOf(drill, run.result);
    const exact = gradePrediction(drill, answer, value);
    // A model answer that says what Patroni 3.2 and later do with this lease reads it from a run with that lease.
    const flooredRun = drill.model_answer.includes("{floor.") ? (options.runFloored ?? runFlooredScenario)(drill.scenario) : null;
    const floored = flooredRun && { truth: truthOf(drill, flooredRun.result) };
    return {
      ...fromExact(drill, exact, [{ status: "info", text: `The engine ran scenarios/${drill.scenario}.yaml (seed ${run.result.seed}): ${drill.field} = ${formatNumber(value)}${drill.unit ? ` ${drill.unit}` : ""}` }]),
      // The model answer states the run's numbers (`{answer}`, `{event.promote.after}`): filled from this run.
      modelAnswer: renderModelAnswer(drill, run.result, value, floored).trim(),
      truth: { scenario: drill.scenario, seed: run.result.seed, field: drill.field, value, unit: drill.unit ?? null, runMs: Math.round(run.runMs) },
    };
  }
  return gradeExact(drill, answer);
}

function gradeExact(drill: Exact, answer: string): Grade {
  switch (drill.kind) {
    case "single": {
      const chosen = parseOption(answer, drill.options);
      return fromExact(drill, gradeSingle(drill.options, chosen), optionFeedback(drill.options, [chosen]));
    }
    case "multiple": {
      const chosen = parseOptions(answer, drill.options);
      return fromExact(drill, gradeMultiple(drill.options, chosen), optionFeedback(drill.options, chosen));
    }
    case "numeric":
      return fromExact(drill, gradeNumeric(parseNumber(answer, drill.unit), drill.answer, drill.tolerance, drill.unit), []);
    case "ordering": {
      const shown = displayOrder(drill.id, drill.steps.length);
      const given = parseOrdering(answer, shown);
      const grade = gradeOrdering(drill.steps, shown, given);
      const feedback: FeedbackLine[] = drill.steps.map((step, i) => ({
        status: grade.hits.includes(letter(shown.indexOf(i))) ? "hit" : "miss",
        text: `${i + 1}. ${step}`,
      }));
      return fromExact(drill, grade, feedback);
    }
  }
}

/** Per option: chosen right (hit), right but not chosen (miss), chosen wrong (warn), with its reason. */
function optionFeedback(options: DrillOf<"single">["options"], chosen: readonly number[]): FeedbackLine[] {
  const picked = new Set(chosen);
  return options.flatMap((o, i): FeedbackLine[] => {
    const label = `${letter(i)}) ${o.text}`;
    if (o.correct && picked.has(i)) return [{ status: "hit", text: label, why: o.why }];
    if (o.correct) return [{ status: "miss", text: label, why: o.why }];
    if (picked.has(i)) return [{ status: "warn", text: `${label} — not correct`, why: o.why }];
    return [];
  });
}

function fromExact(drill: Drill, exact: ExactGrade, feedback: FeedbackLine[]): Grade {
  return {
    id: drill.id,
    kind: drill.kind,
    score: exact.score,
    passed: exact.passed,
    band: exact.passed ? "strong" : bandOf(Math.min(exact.score, 0.74)),
    hits: exact.hits,
    misses: exact.misses,
    misconceptions: [],
    modelAnswer: drill.model_answer.trim(),
    feedback,
    expected: exact.expected,
  };
}
