// Grading a free-text answer against a rubric, offline and explainably.
//
// Score = weight of the concepts found / weight of all concepts. Two caps
// keep the score honest: an answer that misses a required concept (fencing
// in a failover answer, R + W > N in a quorum answer) cannot reach the
// strong band however much else it says, and an answer that states a known
// misconception ("async replication loses nothing") is capped low even if
// it also lists the right words.
import type { Concept, Misconception, Rubric } from "../schema.js";
import { bandOf, type Band, type FeedbackLine } from "../types.js";
import { compilePattern, findMatches, type CompiledPattern, type Match } from "./match.js";
import { tokenize, type Tokenized } from "./tokens.js";

export interface ConceptVerdict {
  concept: Concept;
  hit: boolean;
  /** The words that matched, when hit. */
  evidence: string | null;
  /** True when the only mentions were negated ("no fencing"). */
  negatedOnly: boolean;
}

export interface TextGrade {
  score: number;
  band: Band;
  concepts: ConceptVerdict[];
  misconceptions: Array<{ misconception: Misconception; evidence: string }>;
  /** Required concepts that were missed (the reason a thorough answer still is not strong). */
  missingRequired: string[];
  feedback: FeedbackLine[];
}

const compiled = new WeakMap<object, CompiledPattern[]>();

function patternsOf(item: Concept | Misconception): CompiledPattern[] {
  let list = compiled.get(item);
  if (!list) {
    list = item.patterns.map(compilePattern);
    compiled.set(item, list);
  }
  return list;
}

function firstMatch(item: Concept | Misconception, answer: Tokenized, honourNegation: boolean): { match: Match | null; negatedOnly: boolean } {
  let negatedSeen = false;
  for (const pattern of patternsOf(item)) {
    for (const match of findMatches(pattern, answer)) {
      if (match.negated && honourNegation) {
        negatedSeen = true;
        continue;
      }
      return { match, negatedOnly: false };
    }
  }
  return { match: null, negatedOnly: negatedSeen };
}

export function gradeText(rubric: Rubric, answer: string): TextGrade {
  const tokens = tokenize(answer);
  const concepts: ConceptVerdict[] = rubric.concepts.map((concept) => {
    const { match, negatedOnly } = firstMatch(concept, tokens, concept.negation === "cancel");
    return { concept, hit: match !== null, evidence: match?.excerpt ?? null, negatedOnly };
  });
  const misconceptions = rubric.misconceptions.flatMap((misconception) => {
    const { match } = firstMatch(misconception, tokens, true);
    return match ? [{ misconception, evidence: match.excerpt }] : [];
  });

  const total = concepts.reduce((sum, v) => sum + v.concept.weight, 0);
  const found = concepts.reduce((sum, v) => sum + (v.hit ? v.concept.weight : 0), 0);
  let score = total > 0 ? found / total : 0;
  const missingRequired = concepts.filter((v) => v.concept.required && !v.hit).map((v) => v.concept.id);
  if (missingRequired.length > 0) score = Math.min(score, rubric.required_cap);
  for (const m of misconceptions) score = Math.min(score, m.misconception.cap);
  score = Math.round(score * 1000) / 1000;

  const feedback: FeedbackLine[] = [];
  for (const v of concepts) {
    if (v.hit) feedback.push({ status: "hit", text: `${v.concept.label}${v.evidence ? ` — “${v.evidence}”` : ""}` });
  }
  for (const v of concepts) {
    if (v.hit) continue;
    const tag = v.concept.required ? " (required for a strong answer)" : v.negatedOnly ? " (mentioned only in the negative)" : "";
    feedback.push({ status: "miss", text: `${v.concept.label}${tag}`, why: v.concept.why });
  }
  for (const m of misconceptions) {
    feedback.push({ status: "warn", text: `${m.misconception.label} — “${m.evidence}”`, why: m.misconception.why });
  }
  return { score, band: bandOf(score), concepts, misconceptions, missingRequired, feedback };
}
