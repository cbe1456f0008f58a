// A drill after loading: its topic resolved (from the drill or its file), the
// place it was written, so later checks can point at it, and — for predict
// drills — the texts as written, before their facts were filled in.
import type { DrillInput } from "./schema.js";
import type { Topic } from "./topics.js";

/** The texts of a drill that may name facts (`{topology.sync}`, `{answer}`): see facts.ts. */
export interface DrillTexts {
  title: string;
  prompt: string;
  model_answer: string;
  note?: string;
}

export type Drill = DrillInput & {
  topic: Topic;
  origin: { file: string; line: number; column: number };
  /** Predict drills: the texts as written in the file. File facts are filled when a text is first read, the model answer's engine facts after the run. */
  template?: DrillTexts;
};
export type DrillKind = Drill["kind"];
export type DrillOf<K extends DrillKind> = Extract<Drill, { kind: K }>;

export const DRILL_KINDS: readonly DrillKind[] = ["text", "single", "multiple", "numeric", "ordering", "predict", "generated"];

export type Band = "strong" | "partial" | "weak";

/** What grading an answer produces, whatever the drill kind. */
export interface Grade {
  id: string;
  kind: DrillKind;
  /** 0..1. */
  score: number;
  passed: boolean;
  band: Band;
  /** Concept ids (free text), option letters (choice, ordering), or "answer" (numeric, predict). */
  hits: string[];
  misses: string[];
  modelAnswer: string;
  /** Lines of feedback that say why, in order: concepts hit and missed, misconceptions, the truth. */
  feedback: FeedbackLine[];
  misconceptions: string[];
  /** Free text: concepts among the misses that were only named, not claimed (they earned half). */
  named?: string[];
  /** Free text: the answer was a list of terms rather than claims, and capped. */
  stuffed?: boolean;
  /** What the right answer is, in words, for exact kinds (choice letters, a number). */
  expected?: string;
  /** Predict drills: the engine's value, in the drill's unit. */
  truth?: { scenario: string; seed: number; field: string; value: number; unit: string | null; runMs: number };
}

export interface FeedbackLine {
  status: "hit" | "miss" | "warn" | "info";
  text: string;
  why?: string;
}

/** Score bands: strong passes; partial and weak do not. */
export const STRONG = 0.75;
export const PARTIAL = 0.4;

export function bandOf(score: number): Band {
  return score >= STRONG ? "strong" : score >= PARTIAL ? "partial" : "weak";
}
