// Grading a free-text answer against a rubric, offline and explainably.
//
// Score = weight of the concepts claimed / weight of all concepts. A concept
// is claimed when the answer says something about it in a clause (claims.ts)
// with the qualifier the rubric asks for (a number with its unit) and in the
// order it asks for (fence before promoting); a concept that is only named —
// a bare term in a list — earns half its weight. Three caps keep the score
// honest: an answer that misses a required concept (fencing in a failover
// answer, R + W > N in a quorum answer) cannot reach the strong band however
// much else it says; an answer that states a known misconception ("async
// replication loses nothing") is capped low even if it also lists the right
// words; and an answer whose concepts are mostly bare names (a list of the
// right words, or the words strung together with "and") is capped well below
// a pass. A misconception may also take back the credit of the concepts it
// contradicts: "we fail over to the async DR replica; no data is lost" says
// the words of RPO = 0 about the one replica that cannot give it.
import type { Concept, Misconception, Rubric } from "../schema.js";
import { bandOf, type Band, type FeedbackLine } from "../types.js";
import { isStuffed, structureOf, type Structure } from "./claims.js";
import { compilePattern, dropDenied, findMatches, type CompiledPattern, type Match } from "./match.js";
import { contradiction, type ValueRange } from "./quantity.js";
import { tokenize, type Tokenized } from "./tokens.js";

/** What a named-only concept earns of its weight. */
export const NAMED_CREDIT = 0.5;
/** The highest score of an answer that is a list of terms rather than claims. */
export const STUFFED_CAP = 0.25;

export interface ConceptVerdict {
  concept: Concept;
  /** Claimed: stated in a clause, with its qualifier and order. */
  hit: boolean;
  /** Found only as a bare name (or without its qualifier or order): part credit at most. */
  named: boolean;
  /** The words that matched, when hit or named. */
  evidence: string | null;
  /** True when the only mentions were negated ("no fencing"). */
  negatedOnly: boolean;
  /** Why a mention did not count as the claim: its qualifier or its order was missing, it was said of a rival ("non-strict blocks") or its own side was called a poor fit for it, or the answer gave one of its quantities a value outside its range. */
  lacking: "qualifier" | "order" | "role" | "unfit" | "value" | null;
  /**
   * With lacking "value": what the rubric allows for that quantity ("ttl 5–30 s"); with lacking "role":
   * the rival it was said of ("non-strict"); with lacking "unfit": the concept's own side, judged a poor fit for it ("postgres").
   */
  expected?: string;
  /** The label of a misconception stated in the answer that takes this concept's credit back. */
  voidedBy: string | null;
}

export interface TextGrade {
  score: number;
  band: Band;
  concepts: ConceptVerdict[];
  misconceptions: Array<{ misconception: Misconception; evidence: string }>;
  /** Required concepts that were missed (the reason a thorough answer still is not strong). */
  missingRequired: string[];
  /** How the answer is built: claims or bare names. */
  structure: Structure;
  /** Most of the concepts found are bare names: a list of terms (keyword stuffing). */
  stuffed: boolean;
  feedback: FeedbackLine[];
}

const compiled = new WeakMap<object, CompiledPattern[]>();

function compiledOf(key: object, patterns: readonly string[]): CompiledPattern[] {
  let list = compiled.get(key);
  if (!list) {
    list = patterns.map(compilePattern);
    compiled.set(key, list);
  }
  return list;
}

/**
 * Every match of an item's patterns, pattern by pattern (the first pattern is the best evidence);
 * negated ones dropped when negation cancels. A denial is dropped even where negation is ignored:
 * "without fencing you get split brain" names the danger, "the old leader is not fenced" says the
 * opposite of the idea.
 */
function matchesOf(key: object, patterns: readonly string[], answer: Tokenized, honourNegation: boolean): { matches: Match[]; negatedSeen: boolean } {
  const all = dropDenied(compiledOf(key, patterns).flatMap((p) => findMatches(p, answer)));
  const matches = all.filter((m) => !m.negatedWithin && !m.negatedAsserted && !(m.negated && honourNegation));
  return { matches, negatedSeen: all.length > matches.length };
}

export function gradeText(rubric: Rubric, answer: string): TextGrade {
  const tokens = tokenize(answer);
  const found = rubric.concepts.map((concept) => ({ concept, ...matchesOf(concept, concept.patterns, tokens, concept.negation === "cancel") }));
  const structure = structureOf(tokens);
  // Every quantity the rubric names: a number belongs to the one named nearest it, whichever concept holds it.
  const context = rubric.concepts.flatMap((c) => c.values);
  const misconceptions = rubric.misconceptions.flatMap((misconception) => {
    const [match] = matchesOf(misconception, misconception.patterns, tokens, true).matches;
    return match ? [{ misconception, evidence: match.excerpt }] : [];
  });
  const concepts = found.map((f) => {
    const verdict = verdictOf(f.concept, f.matches, f.negatedSeen, tokens, structure, context);
    const voiding = misconceptions.find((m) => m.misconception.voids.includes(f.concept.id));
    return voiding && (verdict.hit || verdict.named) ? { ...verdict, hit: false, named: false, voidedBy: voiding.misconception.label } : verdict;
  });

  const total = concepts.reduce((sum, v) => sum + v.concept.weight, 0);
  const earned = concepts.reduce((sum, v) => sum + (v.hit ? v.concept.weight : v.named ? v.concept.weight * NAMED_CREDIT : 0), 0);
  let score = total > 0 ? earned / total : 0;
  const missingRequired = concepts.filter((v) => v.concept.required && !v.hit).map((v) => v.concept.id);
  if (missingRequired.length > 0) score = Math.min(score, rubric.required_cap);
  const stuffed = isStuffed(concepts.filter((v) => v.hit || v.named).length, concepts.filter((v) => v.named).length);
  if (stuffed) score = Math.min(score, STUFFED_CAP);
  for (const m of misconceptions) score = Math.min(score, m.misconception.cap);
  score = Math.round(score * 1000) / 1000;
  return { score, band: bandOf(score), concepts, misconceptions, missingRequired, structure, stuffed, feedback: feedbackOf(concepts, misconceptions, stuffed) };
}

/** The best a concept's mentions earn: a claim with its qualifier and order, else a bare name, else nothing. */
function verdictOf(concept: Concept, found: Match[], negatedSeen: boolean, answer: Tokenized, structure: Structure, context: readonly ValueRange[]): ConceptVerdict {
  let matches = found;
  const base = { concept, negatedOnly: matches.length === 0 && negatedSeen, voidedBy: null };
  if (matches.length === 0) return { ...base, hit: false, named: false, evidence: null, lacking: null };
  // "Strict mode keeps writing; non-strict blocks commits": the idea said of its rival is not the idea.
  const own = concept.about ? matches.filter((m) => saidOf(concept.about!, m, answer) === null) : matches;
  if (own.length === 0) {
    const role = saidOf(concept.about!, matches[0], answer);
    if (role !== null && typeof role === "object") return { ...base, hit: false, named: false, evidence: matches[0].excerpt, lacking: "unfit", expected: role.unfit };
    return { ...base, hit: false, named: false, evidence: matches[0].excerpt, lacking: "role", expected: role ?? undefined };
  }
  matches = own;
  const qualifiers = concept.qualifier ? allMatches(concept.qualifier, answer).filter((q) => !q.negated) : [];
  const qualified = concept.qualifier ? matches.filter((m) => hasQualifier(qualifiers, m, answer)) : matches;
  // "Nothing is promoted before the old leader is fenced": a negated mention of the later step is not that step.
  const later = concept.before ? allMatches(concept.before, answer).filter((m) => !m.negated) : [];
  const ordered = concept.before ? qualified.filter((m) => comesBefore(later, m, answer)) : qualified;
  const lacking = qualified.length === 0 ? "qualifier" : ordered.length === 0 ? "order" : null;
  if (lacking) return { ...base, hit: false, named: false, evidence: matches[0].excerpt, lacking };
  // "The ttl is 300 s": the right quantity with a number the idea rules out is not the idea.
  const wrong = concept.values.length > 0 ? contradiction(concept.values, answer, context) : null;
  if (wrong) return { ...base, hit: false, named: false, evidence: wrong.excerpt, lacking: "value", expected: wrong.expected };
  const claimed = ordered.find((m) => spannedSegments(m, answer).every((s) => structure.counted[s]));
  const shown = claimed ?? ordered[0];
  return { ...base, hit: claimed !== undefined, named: claimed === undefined, evidence: shown.excerpt, lacking: null };
}

/**
 * The rival a mention is said of (its words), or null: the role named nearest to it in its sentence
 * (before it on a tie) is the concept's own, or none is named. A sentence that names no role but
 * refers back with a pronoun ("Promote the DR replica; it has every acknowledged write") speaks of
 * the role named last in the sentence before. A role word inside a longer mention of the other side
 * belongs to that side: "strict" in "non-strict", "sync" in "semi-sync".
 */
function saidOf(about: NonNullable<Concept["about"]>, match: Match, answer: Tokenized): string | { unfit: string } | null {
  const { tokens } = answer;
  const sentence = tokens[match.first].sentence;
  const all = rolesOf(about, answer);
  let roles = all.filter(({ m }) => tokens[m.first].sentence === sentence);
  if (roles.length === 0 && tokens.some((t, i) => t.sentence === sentence && i < match.first && PRONOUNS.has(t.raw))) {
    roles = all.filter(({ m }) => tokens[m.first].sentence === sentence - 1);
  }
  const distance = ({ m }: { m: Match }) => (m.last < match.first ? match.first - m.last : m.first > match.last ? m.first - match.last + 0.5 : 0);
  const nearest = roles.sort((a, b) => distance(a) - distance(b))[0];
  if (nearest === undefined) return null;
  // "Leaderless is a poor fit for strongly consistent queries" says the idea belongs to the other side:
  // a role judged unfit for the mention stands for its opposite.
  const unfit = nearest.m.last < match.first && tokens.slice(nearest.m.last + 1, match.first).some((t) => t.sentence === sentence && UNFIT.has(t.raw));
  if (unfit) return nearest.own ? { unfit: nearest.m.excerpt } : null;
  return nearest.own ? null : nearest.m.excerpt;
}

/** Pronouns that refer back to something named before: "it has every acknowledged write". */
const PRONOUNS = new Set(["it", "its", "itself", "they", "their", "them"]);

/** Every mention of a role in the answer, the concept's own or a rival's. */
function rolesOf(about: NonNullable<Concept["about"]>, answer: Tokenized): Array<{ m: Match; own: boolean }> {
  const own = compiledOf(about, about.patterns).flatMap((p) => findMatches(p, answer));
  const rivals = compiledOf(about.rivals, about.rivals).flatMap((p) => findMatches(p, answer));
  const inside = (m: Match, others: Match[]) => others.some((o) => o.first <= m.first && m.last <= o.last && o.last - o.first > m.last - m.first);
  return [...own.filter((m) => !inside(m, rivals)).map((m) => ({ m, own: true })), ...rivals.filter((m) => !inside(m, own)).map((m) => ({ m, own: false }))];
}

/** Judgements that a role is unfit for what follows it: "a poor fit for", "bad at", "weak on". */
const UNFIT = new Set(["poor", "bad", "worst", "weak", "weakest", "unsuited", "unsuitable", "terrible", "awful", "unfit", "struggles", "struggle"]);

function spannedSegments(match: Match, answer: Tokenized): number[] {
  const segments: number[] = [];
  for (let i = match.first; i <= match.last; i++) segments.push(answer.tokens[i].segment);
  return segments;
}

function allMatches(related: { patterns: string[] }, answer: Tokenized): Match[] {
  return compiledOf(related, related.patterns).flatMap((p) => findMatches(p, answer));
}

/**
 * A qualifier counts in the sentence of the mention (split at full stops, semicolons and line breaks),
 * or in the next one when the mention's own sentence states no number: "Total RTO: it follows the
 * detection settings. The engine measures about 14 s."
 */
function hasQualifier(qualifiers: readonly Match[], match: Match, answer: Tokenized): boolean {
  const sentence = answer.tokens[match.first].sentence;
  const numberless = !answer.tokens.some((t) => t.sentence === sentence && /^\d/.test(t.raw));
  const last = numberless ? sentence + 1 : sentence;
  return qualifiers.some((q) => answer.tokens[q.first].sentence <= last && answer.tokens[q.last].sentence >= sentence);
}

/** Words in front of a mention that state the order the other way round: "promote B once A is fenced". */
const AFTER_CUES = new Set(["after", "once", "having"]);
const AFTER_WINDOW = 4;
/** Words between "promote B" and "fenced" across which an "after" still ties them. */
const WAIT_WINDOW = 16;
const BEFORE_CUES = new Set(["before", "until", "prior", "ahead"]);

/** The mention comes before every mention of what must follow it, or its sentence says the order in words. */
function comesBefore(later: readonly Match[], match: Match, answer: Tokenized): boolean {
  for (let j = match.first - 1; j >= Math.max(0, match.first - AFTER_WINDOW); j--) {
    if (answer.tokens[j].sentence !== answer.tokens[match.first].sentence) break;
    if (AFTER_CUES.has(answer.tokens[j].raw)) return true;
  }
  const sentence = answer.tokens[match.first].sentence;
  // "Before promoting, the old leader is fenced" states the order wherever the sentence stands.
  if (later.some((other) => answer.tokens[other.first].sentence === sentence && (saysBefore(answer, other.first) || waitsFor(answer, other.last, match.first)))) return true;
  return later.every((other) => other.first > match.last || saysBefore(answer, other.first));
}

/** "Promote B only after A is fenced": an "after" between the later step and the mention. */
function waitsFor(answer: Tokenized, from: number, to: number): boolean {
  if (to <= from || to - from > WAIT_WINDOW) return false;
  for (let j = from + 1; j < to; j++) if (AFTER_CUES.has(answer.tokens[j].raw)) return true;
  return false;
}

/** "Before promoting anything, fence": a mention of the later step that says it waits. */
function saysBefore(answer: Tokenized, first: number): boolean {
  for (let j = first - 1; j >= Math.max(0, first - 2); j--) if (BEFORE_CUES.has(answer.tokens[j].raw)) return true;
  return false;
}

function feedbackOf(concepts: ConceptVerdict[], misconceptions: TextGrade["misconceptions"], stuffed: boolean): FeedbackLine[] {
  const feedback: FeedbackLine[] = [];
  if (stuffed) {
    feedback.push({
      status: "warn",
      text: "This reads as a list of terms, not an answer — capped below a pass",
      why: "A term earns credit when the answer says something about it: what happens, in what order, with what number. Write it out in sentences.",
    });
  }
  for (const v of concepts) {
    if (v.hit) feedback.push({ status: "hit", text: `${v.concept.label}${v.evidence ? ` — “${v.evidence}”` : ""}` });
  }
  for (const v of concepts) {
    if (v.named) feedback.push({ status: "warn", text: `${v.concept.label} — only named (“${v.evidence}”), half credit: say what it does or why`, why: v.concept.why });
  }
  for (const v of concepts) {
    if (v.hit || v.named) continue;
    feedback.push({ status: "miss", text: `${v.concept.label}${missTag(v)}`, why: v.concept.why });
  }
  for (const m of misconceptions) {
    feedback.push({ status: "warn", text: `${m.misconception.label} — “${m.evidence}”`, why: m.misconception.why });
  }
  return feedback;
}

function missTag(v: ConceptVerdict): string {
  if (v.voidedBy) return ` (“${v.evidence}” does not count: ${lowerFirst(v.voidedBy)})`;
  if (v.lacking === "qualifier") return ` (“${v.evidence}” said without ${v.concept.qualifier!.what})`;
  if (v.lacking === "value") return ` (“${v.evidence}” states a value outside ${v.expected})`;
  if (v.lacking === "role") return ` (“${v.evidence}” is said of ${v.expected ? `“${v.expected}”` : "something else"}, not ${v.concept.about!.what})`;
  if (v.lacking === "unfit") return ` (“${v.expected}” is called a poor fit for “${v.evidence}”)`;
  if (v.lacking === "order") return ` (“${v.evidence}” not said to come before ${v.concept.before!.what})`;
  if (v.concept.required) return " (required for a strong answer)";
  return v.negatedOnly ? " (mentioned only in the negative)" : "";
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
