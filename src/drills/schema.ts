// The drill file format (`kind: drill`), checked with zod like every other
// file, so a typo in a drill file is a file:line:column error, not a silent
// hole in the rubric. One file holds a list of drills; each drill has a kind
// that decides how it is answered and graded.
//
// Written with zod/mini (the functional API), as the model's schemas are
// (src/model/schema.ts), so the drill commands load no classic zod: the same
// core, checks, issues and messages.
import * as z from "zod/mini";
import "../model/zod-locale.js"; // English messages: zod/mini installs no locale
import { UNITS } from "./text/quantity.js";
import { TOPICS } from "./topics.js";

/** Limits: drill files are content, but a runaway file must not hang the grader. */
export const DRILL_LIMITS = { drillsPerFile: 200, patternsPerConcept: 60, conceptsPerRubric: 30, options: 12, steps: 12, textChars: 20_000 } as const;

const text = z.string().check(z.minLength(1), z.maxLength(DRILL_LIMITS.textChars));
const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lower-case id of letters, digits and dashes"));
const topic = z.enum(TOPICS);

/** A fraction from 0 to 1 (a score cap, a relative tolerance). */
function fraction() {
  return z.number().check(z.minimum(0), z.maximum(1));
}

/**
 * A pattern is either a regular expression written `/.../` (matched against the
 * normalised answer) or a bag of terms: every term must appear within a short
 * window, in any order. A term may list alternatives (`promote|elect`) and end
 * in `*` for a prefix.
 */
const pattern = z.string().check(z.minLength(1), z.maxLength(400));

/** The patterns of a concept, a misconception or a related idea. */
function patterns() {
  return z.array(pattern).check(z.minLength(1), z.maxLength(DRILL_LIMITS.patternsPerConcept));
}

/** Words a concept must be stated with, and what they are, for feedback ("a number with its unit"). */
const related = z.strictObject({ what: text, patterns: patterns() });

/** A quantity a concept names, the names an answer calls it by, and the values it may take in a unit of time. */
const valueRange = z
  .strictObject({ names: patterns(), min: z.number().check(z.minimum(0)), max: z.number().check(z.minimum(0)), unit: z.enum(UNITS) })
  .check(z.refine((r) => r.min <= r.max, { message: "expected min <= max" }));

const concept = z.strictObject({
  id,
  label: text,
  weight: z._default(z.number().check(z.positive(), z.maximum(10)), 1),
  /** A concept whose absence is the point: without it an answer cannot be strong. */
  required: z._default(z.boolean(), false),
  /** `ignore`: a nearby negation does not cancel a mention ("without fencing you get split brain" still shows the idea). */
  negation: z._default(z.enum(["cancel", "ignore"]), "cancel"),
  why: text,
  patterns: patterns(),
  /** The qualifier the idea needs in the same sentence ("RTO" counts only with a number and its unit). */
  qualifier: z.optional(related),
  /** A relation of order: the idea counts only when stated before this one ("fence" before "promote"), or with "after"/"once" in front of it. */
  before: z.optional(related),
  /**
   * What the idea is said of, and its rivals: a mention counts unless the role named nearest to it in
   * its sentence is a rival ("non-strict blocks commits" is not "strict blocks commits"). A role word
   * inside a longer rival ("strict" in "non-strict") is the rival.
   */
  about: z.optional(z.strictObject({ what: text, patterns: patterns(), rivals: patterns() })),
  /**
   * The values the idea allows for the quantities it names ("ttl" 5–30 s): a mention is not credited
   * when the answer gives one of them a number outside its range ("the ttl is 300 s").
   */
  values: z._default(z.array(valueRange).check(z.maxLength(10)), []),
});

const misconception = z.strictObject({
  id,
  label: text,
  /** The highest score an answer stating this misconception can get. */
  cap: z._default(fraction(), 0.35),
  why: text,
  patterns: patterns(),
  /** Concepts whose credit this misconception takes back: "no data is lost" said of an async replica is not RPO = 0. */
  voids: z._default(z.array(id).check(z.maxLength(DRILL_LIMITS.conceptsPerRubric)), []),
});

export const rubricSchema = z.strictObject({
  concepts: z.array(concept).check(z.minLength(1), z.maxLength(DRILL_LIMITS.conceptsPerRubric)),
  misconceptions: z._default(z.array(misconception).check(z.maxLength(DRILL_LIMITS.conceptsPerRubric)), []),
  /** The highest score an answer missing a required concept can get (below the strong band). */
  required_cap: z._default(fraction(), 0.7),
});

const samples = z.strictObject({
  strong: z._default(z.array(text), []),
  partial: z._default(z.array(text), []),
  weak: z._default(z.array(text), []),
});

const common = {
  id,
  title: text,
  topic: z.optional(topic),
  prompt: text,
  model_answer: text,
  /** Where the material simplifies and real systems differ (their documentation and measurements), said once, shown with the feedback. */
  note: z.optional(text),
  /** Drills an interviewer would ask next: the session offers them as a chain. */
  follow_ups: z._default(z.array(id).check(z.maxLength(5)), []),
};

const option = z.strictObject({ text, correct: z._default(z.boolean(), false), why: z.optional(text) });

/** A choice drill's options. */
function options() {
  return z.array(option).check(z.minLength(2), z.maxLength(DRILL_LIMITS.options));
}

/** A unit shown beside the answer. */
function unit() {
  return z.optional(z.string().check(z.maxLength(20)));
}

const textDrill = z.strictObject({ ...common, kind: z.literal("text"), rubric: rubricSchema, samples: z.optional(samples) });
const singleDrill = z.strictObject({ ...common, kind: z.literal("single"), options: options() });
const multipleDrill = z.strictObject({ ...common, kind: z.literal("multiple"), options: options() });
const tolerance = z.union([z.strictObject({ absolute: z.number().check(z.minimum(0)) }), z.strictObject({ relative: fraction() })]);
// z.number() takes finite numbers only (zod 4): classic's .finite() was a no-op.
const numericDrill = z.strictObject({
  ...common,
  kind: z.literal("numeric"),
  answer: z.number(),
  tolerance,
  unit: unit(),
});
const orderingDrill = z.strictObject({
  ...common,
  kind: z.literal("ordering"),
  /** The steps in the right order; they are shown shuffled (the same way every time, so letters are stable). */
  steps: z.array(text).check(z.minLength(3), z.maxLength(DRILL_LIMITS.steps)),
});

const bucket = z.strictObject({ label: text, below: z.optional(z.number()) });
const predictAnswer = z.discriminatedUnion("form", [
  z.strictObject({ form: z.literal("number"), tolerance }),
  z.strictObject({ form: z.literal("buckets"), buckets: z.array(bucket).check(z.minLength(2), z.maxLength(DRILL_LIMITS.options)) }),
  z.strictObject({ form: z.literal("yes-no"), claim: z.strictObject({ op: z.enum([">", ">=", "<", "<=", "=="]), value: z.number() }) }),
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
  scenario: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "expected a bundled scenario name (scenarios/NAME.yaml)")),
  /** A path into the simulation result: `totals.splitBrainMs`, `classes[ledger].rpo.lostAckedWrites`. */
  field: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]*(\[[^\]]+\])?(\.[A-Za-z][A-Za-z0-9]*(\[[^\]]+\])?)*$/, "expected a field path like classes[ledger].rto.writeMs")),
  /** The result is in ms or counts; `scale` divides it into the unit the user answers in (1000 for seconds). */
  scale: z._default(z.number().check(z.positive()), 1),
  unit: unit(),
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
  topic: z.optional(topic),
  drills: z.array(drillSchema).check(z.minLength(1), z.maxLength(DRILL_LIMITS.drillsPerFile)),
});

export type DrillInput = z.output<typeof drillSchema>;
export type Rubric = z.output<typeof rubricSchema>;
export type Concept = Rubric["concepts"][number];
export type Misconception = Rubric["misconceptions"][number];
export type PredictAnswer = z.output<typeof predictAnswer>;
export type Tolerance = z.output<typeof tolerance>;
