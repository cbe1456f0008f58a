// The documented JSON shapes for drills: `drill --list --json` is an array of
// { id, title, topic, kind }; `drill ID --answer TEXT --json` leads with
// { id, kind, score, passed, hits, misses, modelAnswer } and adds details
// after them (band, misconceptions, for free text the concepts only named and
// whether the answer was a list of terms, the expected answer, the engine's truth;
// with --save, "saved" and, when it failed, an "error" { message, file }).
import type { Drill, Grade } from "../../drills/types.js";

export function renderDrillList(drills: readonly Drill[]): string {
  return JSON.stringify(
    drills.map((d) => ({ id: d.id, title: d.title, topic: d.topic, kind: d.kind })),
    null,
    2,
  );
}

export interface GradeJsonExtra {
  followUp?: string | null;
  question?: string;
  params?: Record<string, unknown>;
  /** With --save: whether the review was recorded, and when not, why and in which file. */
  saved?: boolean;
  error?: { message: string; file: string };
}

export function renderGradeJson(grade: Grade, extra: GradeJsonExtra = {}): string {
  const out: Record<string, unknown> = {
    id: grade.id,
    kind: grade.kind,
    score: grade.score,
    passed: grade.passed,
    hits: grade.hits,
    misses: grade.misses,
    modelAnswer: grade.modelAnswer,
    band: grade.band,
    misconceptions: grade.misconceptions,
  };
  if (grade.named !== undefined) out.named = grade.named;
  if (grade.stuffed !== undefined) out.stuffed = grade.stuffed;
  if (grade.expected !== undefined) out.expected = grade.expected;
  if (grade.truth) out.truth = grade.truth;
  if (extra.question !== undefined) out.question = extra.question;
  if (extra.params !== undefined) out.params = extra.params;
  out.followUp = extra.followUp ?? null;
  if (extra.saved !== undefined) out.saved = extra.saved;
  if (extra.error !== undefined) out.error = extra.error;
  return JSON.stringify(out, null, 2);
}
