// Turning a free-text answer into tokens the rubric can match: lower-cased,
// apostrophes dropped ("don't" → "dont"), digits split from letters ("30s" →
// "30", "s"), each word reduced by a small suffix-stripping stemmer. The
// stemmer is crude on purpose: it only has to treat the rubric's words and
// the answer's words the same way ("fencing", "fenced", "fence" → "fenc").
// Each token also records its clause, so a negation only reaches words in the
// same clause ("no LB, writes go to the leader" does not negate "leader").

export interface Token {
  raw: string;
  stem: string;
  /** Offsets into the normalised text. */
  start: number;
  end: number;
  clause: number;
}

export interface Tokenized {
  /** The answer lower-cased, quotes straightened, apostrophes inside words dropped. */
  text: string;
  tokens: Token[];
}

/** Words that start a new clause for the purpose of negation scope. */
const CLAUSE_WORDS = new Set(["but", "however", "although", "though", "whereas", "while", "because", "so", "and", "then", "otherwise", "unless", "except", "which", "that", "if", "when"]);
/** Longest an answer may be before the grader looks only at its start (a limit on work, not a judgement). */
export const MAX_ANSWER_CHARS = 20_000;

export function normalize(answer: string): string {
  return answer
    .slice(0, MAX_ANSWER_CHARS)
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/([a-z])'([a-z])/g, "$1$2")
    .replace(/_/g, " ")
    .replace(/[ \t\u00a0]+/g, " ");
}

export function tokenize(answer: string): Tokenized {
  const text = normalize(answer);
  const tokens: Token[] = [];
  let clause = 0;
  const re = /(\d+(?:\.\d+)?)|([a-z]+)|([.;:!?()[\]{}\n\u2014\u2013]|,|\s-\s)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[3] !== undefined) {
      clause++;
      continue;
    }
    const raw = m[0];
    if (CLAUSE_WORDS.has(raw)) clause++;
    tokens.push({ raw, stem: stem(raw), start: m.index, end: m.index + raw.length, clause });
  }
  return { text, tokens };
}

const SUFFIXES: Array<[string, string]> = [
  ["ational", "ate"],
  ["ization", "ize"],
  ["isation", "ize"],
  ["ations", "ate"],
  ["ation", "ate"],
  ["ments", ""],
  ["ment", ""],
  ["ness", ""],
  ["ities", ""],
  ["ity", ""],
  ["ings", ""],
  ["ing", ""],
  ["ions", ""],
  ["ion", ""],
  ["ies", "y"],
  ["ied", "y"],
  ["ed", ""],
  ["ers", "er"],
  ["ly", ""],
  ["es", ""],
  ["s", ""],
];

export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  let s = word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (!s.endsWith(suffix) || s.length - suffix.length < 3) continue;
    // "loss", "status", "analysis" keep their final s.
    if (suffix === "s" && /[sui]s$/.test(s)) break;
    s = s.slice(0, s.length - suffix.length) + replacement;
    break;
  }
  if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith("e") && s.length > 4) s = s.slice(0, -1);
  return s;
}
