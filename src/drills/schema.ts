// The drill file format (`kind: drill`), checked with zod like every other
// file, so a typo in a drill file is a file:line:column error, not a silent
// hole in the rubric. One file holds a list of drills; each drill has a kind
// that decides how it is answered and graded.
import * as z from "zod";
import { TOPICS } from "./topics.js";

/** Limits: drill files are content, but a runaway file must not hang the grader. */
export const DRILL_LIMITS = { drillsPerFile: 200, patternsPerConcept: 60, conceptsPerRubric: 30, options: 12, steps: 12, textChars: 20_000 } as const;

const text = z.string().min(1).max(DRILL_LIMITS.textChars);
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lower-case id of letters, digits and dashes");
const topic = z.enum(TOPICS);

/**
 * A pattern is either a regular expression written `/.../` (matched against the
 * normalised answer) or a bag of terms: every term must appear within a short
 * window, in any order. A term may list alternatives (`promote|elect`) and end
 * in `*` for a prefix.
 */
const pattern = z.string().min(1).max(400);

/** Words a concept must be stated with, and what they are, for feedback ("a number with its unit"). */
const related = z.strictObject({ what: text, patterns: z.array(pattern).min(1).max(DRILL_LIMITS.patternsPerConcept) });

const concept = z.strictObject({
  id,
  label: text,
  weight: z.number().positive().max(10).default(1),
  /** A concept whose absence is the point: without it an answer cannot be strong. */
  required: z.boolean().default(false),
  /** `ignore`: a nearby negation does not cancel a mention ("without fencing you get split brain" still shows the idea). */
  negation: z.enum(["cancel", "ignore"]).default("cancel"),
  why: text,
  patterns: z.array(pattern).min(1).max(DRILL_LIMITS.patternsPerConcept),
  /** The qualifier the idea needs in the same sentence ("RTO" counts only with a number and its unit). */
  qualifier: related.optional(),
  /** A relation of order: the idea counts only when stated before this one ("fence" before "promote"), or with "after"/"once" in front of it. */
  before: related.optional(),
});

const misconception = z.strictObject({
  id,
  label: text,
  /** The highest score an answer stating this misconception can get. */
  cap: z.number().min(0).max(1).default(0.35),
  why: text,
  patterns: z.array(pattern).min(1).max(DRILL_LIMITS.patternsPerConcept),
});

export const rubricSchema = z.strictObject({
  concepts: z.array(concept).min(1).max(DRILL_LIMITS.conceptsPerRubric),
  misconceptions: z.array(misconception).max(DRILL_LIMITS.conceptsPerRubric).default([]),
  /** The highest score an answer missing a required concept can get (below the strong band). */
  required_cap: z.number().min(0).max(1).default(0.7),
});

const samples = z.strictObject({
  strong: z.array(text).default([]),
  partial: z.array(text).default([]),
  weak: z.array(text).default([]),
});

const common = {
  id,
  title: text,
  topic: topic.optional(),
  prompt: text,
  model_answer: text,
  /** Where the material simplifies and real systems differ (their documentation and measurements), said once, shown with the feedback. */
  note: text.optional(),
  /** Drills an interviewer would ask next: the session offers them as a chain. */
  follow_ups: z.array(id).max(5).default([]),
};

const option = z.strictObject({ text, correct: z.boolean().default(false), why: text.optional() });

const textDrill = z.strictObject({ ...common, kind: z.literal("text"), rubric: rubricSchema, samples: samples.optional() });
const singleDrill = z.strictObject({ ...common, kind: z.literal("single"), options: z.array(option).min(2).max(DRILL_LIMITS.options) });
const multipleDrill = z.strictObject({ ...common, kind: z.literal("multiple"), options: z.array(option).min(2).max(DRILL_LIMITS.options) });
const tolerance = z.union([z.strictObject({ absolute: z.number().min(0) }), z.strictObject({ relative: z.number().min(0).max(1) })]);
const numericDrill = z.strictObject({
  ...common,
  kind: z.literal("numeric"),
  answer: z.number().finite(),
  tolerance,
  unit: z.string().max(20).optional(),
});
const orderingDrill = z.strictObject({
  ...common,
  kind: z.literal("ordering"),
  /** The steps in the right order; they are shown shuffled (the same way every time, so letters are stable). */
  steps: z.array(text).min(3).max(DRILL_LIMITS.steps),
});

const bucket = z.strictObject({ label: text, below: z.number().finite().optional() });
const predictAnswer = z.discriminatedUnion("form", [
  z.strictObject({ form: z.literal("number"), tolerance }),
  z.strictObject({ form: z.literal("buckets"), buckets: z.array(bucket).min(2).max(DRILL_LIMITS.options) }),
  z.strictObject({ form: z.literal("yes-no"), claim: z.strictObject({ op: z.enum([">", ">=", "<", "<=", "=="]), value: z.number().finite() }) }),
]);
/**
 * A predict drill's title, prompt, note and model answer state the scenario's
 * settings and numbers as facts, `{topology.sync}`, `{failover.fencing}`,
 * `{fault.crash.at}`, filled from the files; the model answer may also name
 * the run's `{answer}`, `{event.NAME.after}` and `{result.PATH}` (facts.ts).
 */
const predictDrill = z.strictObject({
  ...common,
  kind: z.literal("predict"),
  /** A bundled scenario: scenarios/NAME.yaml. */
  scenario: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a bundled scenario name (scenarios/NAME.yaml)"),
  /** A path into the simulation result: `totals.splitBrainMs`, `classes[ledger].rpo.lostAckedWrites`. */
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\[[^\]]+\])?(\.[A-Za-z][A-Za-z0-9]*(\[[^\]]+\])?)*$/, "expected a field path like classes[ledger].rto.writeMs"),
  /** The result is in ms or counts; `scale` divides it into the unit the user answers in (1000 for seconds). */
  scale: z.number().positive().default(1),
  unit: z.string().max(20).optional(),
  answer: predictAnswer,
});
const generatedDrill = z.strictObject({
  ...common,
  kind: z.literal("generated"),
  generator: z.enum(["quorum-availability", "quorum-staleness", "rto-budget"]),
});

export const drillSchema = z.discriminatedUnion("kind", [textDrill, singleDrill, multipleDrill, numericDrill, orderingDrill, predictDrill, generatedDrill]);

export const drillFileSchema = z.strictObject({
  kind: z.literal("drill"),
  /** The topic of every drill in the file that does not name its own. */
  topic: topic.optional(),
  drills: z.array(drillSchema).min(1).max(DRILL_LIMITS.drillsPerFile),
});

export type DrillInput = z.output<typeof drillSchema>;
export type Rubric = z.output<typeof rubricSchema>;
export type Concept = Rubric["concepts"][number];
export type Misconception = Rubric["misconceptions"][number];
export type PredictAnswer = z.output<typeof predictAnswer>;
export type Tolerance = z.output<typeof tolerance>;
