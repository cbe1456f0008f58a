// Loading every drill file into one catalogue. Files are read with the
// project's safe YAML loader (positions, alias limits) and checked with the
// drill schema; then the checks a schema cannot make: ids unique across
// files, follow-ups that exist, one right option for single choice, a
// bundled scenario for each predict drill, and patterns that compile.
// A predict drill's texts name the facts they state (`{topology.sync}`):
// they are filled from the scenario's files when read, so a prompt can never
// contradict the topology it describes (see facts.ts).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { displayPath, loadFile } from "../model/load.js";
import { didYouMean, InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { issuesToDiagnostics } from "../model/issues.js";
import { loadYaml, locate, type YamlSource } from "../model/yaml.js";
import { fillTemplate, isEngineKey, placeholders, reflow, scenarioFacts, type Facts } from "./facts.js";
import { instantiate, MAX_SEED, randomSeed, type GeneratedInstance } from "./generate.js";
import { DRILLS_DIR, scenarioFile } from "./paths.js";
import { drillFileSchema } from "./schema.js";
import { compilePattern } from "./text/match.js";
import type { Drill, DrillOf } from "./types.js";

/** Terms one bag pattern may have (see semanticProblems). */
export const MAX_BAG_TERMS = 4;

export interface Catalog {
  drills: Drill[];
  byId: Map<string, Drill>;
}

/** Reads every *.yaml under `dir`; every problem in every file is reported at once. */
export function loadCatalog(dir: string = DRILLS_DIR): Catalog {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    throw new UsageError(`cannot read the drills folder ${dir}`);
  }
  const diagnostics: Diagnostic[] = [];
  const drills: Drill[] = [];
  const where = new Map<string, { source: YamlSource; index: number }>();
  for (const name of names) {
    try {
      const { source, loaded, problems } = loadDrillFile(join(dir, name));
      diagnostics.push(...problems);
      loaded.forEach((drill, index) => {
        const seen = where.get(drill.id);
        if (seen) {
          const first = locate(seen.source, ["drills", seen.index, "id"]);
          diagnostics.push({ file: source.file, ...locate(source, ["drills", index, "id"]), message: `duplicate drill id "${drill.id}" (first defined at ${seen.source.file}:${first.line}:${first.column})` });
          return;
        }
        where.set(drill.id, { source, index });
        drills.push(drill);
      });
    } catch (error) {
      if (error instanceof InputError) diagnostics.push(...error.diagnostics);
      else throw error;
    }
  }
  const byId = new Map(drills.map((d) => [d.id, d]));
  for (const drill of drills) {
    const { source, index } = where.get(drill.id)!;
    drill.follow_ups.forEach((next, i) => {
      if (!byId.has(next)) diagnostics.push({ file: source.file, ...locate(source, ["drills", index, "follow_ups", i]), message: `unknown follow-up "${next}"${didYouMean(next, [...byId.keys()])}` });
    });
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics);
  return { drills, byId };
}

/** Schema errors throw (nothing in the file can be trusted); later problems are returned so every one is reported. */
function loadDrillFile(file: string): { source: YamlSource; loaded: Drill[]; problems: Diagnostic[] } {
  const source = loadYaml(displayPath(file));
  const data = source.data as Record<string, unknown>;
  if (data.kind !== "drill") {
    throw new InputError([{ file: source.file, ...locate(source, ["kind"]), message: `expected "kind: drill" in a drill file, got ${JSON.stringify(data.kind ?? null)}` }]);
  }
  const parsed = drillFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new InputError(issuesToDiagnostics(source, drillFileSchema, parsed.error.issues as never));
  const diagnostics: Diagnostic[] = [];
  const loaded: Drill[] = parsed.data.drills.map((input, index) => {
    const at = (path: PropertyKey[]) => ({ file: source.file, ...locate(source, ["drills", index, ...path]) });
    const topic = input.topic ?? parsed.data.topic;
    if (!topic) diagnostics.push({ ...at(["id"]), message: `drill "${input.id}" has no topic: give it "topic:" or give the file one` });
    diagnostics.push(...semanticProblems(input as Drill, at));
    const drill = { ...input, topic: topic!, origin: at([]) } as Drill;
    if (drill.kind === "predict") diagnostics.push(...deferFacts(drill, at));
    return drill;
  });
  return { source, loaded, problems: diagnostics };
}

const factsCache = new Map<string, Facts | Error>();

/** The facts of a bundled scenario (loaded once per process), or the error that kept it from loading. */
export function bundledFacts(name: string): Facts | Error {
  let facts = factsCache.get(name);
  if (facts === undefined) {
    try {
      const loaded = loadFile(scenarioFile(name));
      facts = loaded.kind === "scenario" ? scenarioFacts(loaded.scenario) : new Error(`scenarios/${name}.yaml is a ${loaded.kind}, not a scenario`);
    } catch (error) {
      facts = error instanceof InputError ? new Error(`scenarios/${name}.yaml does not load: ${error.diagnostics[0]?.message ?? error.message}`) : (error as Error);
    }
    factsCache.set(name, facts);
  }
  return facts;
}

const TEXT_FIELDS = ["title", "prompt", "note", "model_answer"] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/**
 * A predict drill's texts as written are kept in `template`; each text that
 * names file facts is filled the first time it is read (loading a scenario
 * costs tens of milliseconds, and `drill --list` needs none of them). Engine
 * facts may appear in the model answer only — it is shown after the run —
 * and stay for grading to fill; that rule is checked here, at load. An
 * unknown fact is an InputError at its place when the text is read;
 * `checkFacts` reads them all.
 */
function deferFacts(drill: Drill & { kind: "predict" }, at: (path: PropertyKey[]) => Omit<Diagnostic, "message">): Diagnostic[] {
  const template = { title: drill.title, prompt: drill.prompt, model_answer: drill.model_answer, ...(drill.note !== undefined ? { note: drill.note } : {}) };
  drill.template = template;
  const out: Diagnostic[] = [];
  for (const field of TEXT_FIELDS) {
    const text = template[field];
    if (text === undefined) continue;
    for (const key of new Set(placeholders(text))) {
      if (isEngineKey(key) && field !== "model_answer") out.push({ ...at([field]), message: `{${key}} comes from the engine's run, which happens after the question is asked; only model_answer may name it` });
    }
    if (placeholders(text).every(isEngineKey)) continue;
    let filled: string | undefined;
    Object.defineProperty(drill, field, { enumerable: true, configurable: true, get: () => (filled ??= fillFacts(drill, field, text, at)) });
  }
  return out;
}

function fillFacts(drill: Drill & { kind: "predict" }, field: TextField, text: string, at: (path: PropertyKey[]) => Omit<Diagnostic, "message">): string {
  const facts = bundledFacts(drill.scenario);
  if (facts instanceof Error) throw new InputError([{ ...at(["scenario"]), message: facts.message }]);
  const { text: filled, left } = fillTemplate(text, (key) => facts.get(key));
  const unknown = [...new Set(left)].filter((key) => !isEngineKey(key));
  if (unknown.length > 0) {
    throw new InputError(
      unknown.map((key) => ({
        ...at([field]),
        message: `unknown fact {${key}} for scenarios/${drill.scenario}.yaml${didYouMean(key, [...facts.keys()])} (src/drills/facts.ts lists the facts; engine facts are {answer}, {event.NAME.at|after|node} and {result.PATH})`,
      })),
    );
  }
  return field === "title" ? filled : reflow(filled);
}

/** Reads every predict drill's texts, filling their facts: the problems a lazy fill would report later, all at once. */
export function checkFacts(catalog: Catalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const drill of catalog.drills) {
    if (drill.kind !== "predict") continue;
    for (const field of TEXT_FIELDS) {
      try {
        void drill[field];
      } catch (error) {
        if (error instanceof InputError) out.push(...error.diagnostics);
        else throw error;
      }
    }
  }
  return out;
}

function semanticProblems(drill: Drill, at: (path: PropertyKey[]) => Omit<Diagnostic, "message">): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (drill.kind === "single" && drill.options.filter((o) => o.correct).length !== 1) {
    out.push({ ...at(["options"]), message: `a single-choice drill needs exactly one option with "correct: true" (found ${drill.options.filter((o) => o.correct).length})` });
  }
  if (drill.kind === "multiple" && !drill.options.some((o) => o.correct)) out.push({ ...at(["options"]), message: 'a multiple-choice drill needs at least one option with "correct: true"' });
  if (drill.kind === "predict") {
    if (!existsSync(scenarioFile(drill.scenario))) out.push({ ...at(["scenario"]), message: `no bundled scenario "${drill.scenario}" (expected scenarios/${drill.scenario}.yaml)` });
    if (drill.answer.form === "buckets") {
      const bounds = drill.answer.buckets.map((b) => b.below);
      const last = bounds.length - 1;
      if (bounds.slice(0, last).some((b) => b === undefined) || bounds[last] !== undefined) out.push({ ...at(["answer", "buckets"]), message: 'every bucket but the last needs "below:", and the last none (it takes everything above)' });
      else if (bounds.slice(0, last).some((b, i) => i > 0 && (b as number) <= (bounds[i - 1] as number))) out.push({ ...at(["answer", "buckets"]), message: 'bucket bounds ("below:") must increase' });
    }
  }
  if (drill.kind === "text") {
    const conceptIds = new Set(drill.rubric.concepts.map((c) => c.id));
    drill.rubric.misconceptions.forEach((m, i) => {
      m.voids.forEach((voided, j) => {
        if (!conceptIds.has(voided)) out.push({ ...at(["rubric", "misconceptions", i, "voids", j]), message: `no concept "${voided}" in this rubric to void` });
      });
    });
    const lists = [
      ...drill.rubric.concepts.map((c, i) => ({ patterns: c.patterns, path: ["rubric", "concepts", i, "patterns"] })),
      ...drill.rubric.misconceptions.map((m, i) => ({ patterns: m.patterns, path: ["rubric", "misconceptions", i, "patterns"] })),
    ];
    for (const { patterns, path } of lists) {
      patterns.forEach((p, i) => {
        try {
          const compiled = compilePattern(p);
          // Terms are separated by spaces and alternatives by "|": "lsn|log position" is two terms,
          // not two alternatives. Long bags are almost always that mistake, so they are refused.
          if (compiled.kind === "bag" && compiled.terms.length > MAX_BAG_TERMS) {
            out.push({ ...at([...path, i]), message: `a pattern of ${compiled.terms.length} terms (at most ${MAX_BAG_TERMS}): spaces separate terms that must all appear, "|" separates alternatives for one word; split multi-word alternatives into separate patterns` });
          }
        } catch (error) {
          out.push({ ...at([...path, i]), message: `bad pattern: ${(error as Error).message}` });
        }
      });
    }
  }
  return out;
}

/** A catalogue entry, or a generated drill's instance (`gen-x` or `gen-x:SEED`). */
export type Resolved = { drill: Exclude<Drill, DrillOf<"generated">>; instance: null } | { drill: DrillOf<"generated">; instance: GeneratedInstance };

export function findDrill(catalog: Catalog, id: string, seed?: () => number): Resolved {
  const [base, seedText] = id.split(":", 2);
  const drill = catalog.byId.get(base);
  if (!drill) throw new UsageError(`unknown drill "${id}"${didYouMean(base, [...catalog.byId.keys()])} (\`repl-lab drill --list\` lists them)`);
  if (drill.kind !== "generated") {
    if (seedText !== undefined) throw new UsageError(`"${base}" is not a generated drill; it takes no ":SEED"`);
    return { drill, instance: null };
  }
  let value: number;
  if (seedText === undefined) value = (seed ?? randomSeed)();
  else {
    value = /^\d+$/.test(seedText) ? Number(seedText) : NaN;
    if (!Number.isSafeInteger(value) || value > MAX_SEED) throw new UsageError(`"${id}": the seed after ":" must be a whole number from 0 to ${MAX_SEED}`);
  }
  return { drill, instance: instantiate(drill, value) };
}
