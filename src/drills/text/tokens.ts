// Turning a free-text answer into tokens the rubric can match: lower-cased,
// apostrophes dropped ("don't" → "dont"), digits split from letters ("30s" →
// "30", "s"), each word reduced by a small suffix-stripping stemmer. The
// stemmer is crude on purpose: it only has to treat the rubric's words and
// the answer's words the same way ("fencing", "fenced", "fence" → "fenc").
// Each token also records its clause, so a negation only reaches words in the
// same clause ("no LB, writes go to the leader" does not negate "leader"),
// its segment (a clause or a list item: the unit that must make a claim,
// claims.ts) and its sentence (where a concept's qualifier must appear).

export interface Token {
  raw: string;
  stem: string;
  /** Offsets into the normalised text. */
  start: number;
  end: number;
  clause: number;
  /** Index into `segments`: split at punctuation, arrows, slashes and coordinators ("and", "or", "then"). */
  segment: number;
  /** Split at sentence ends, semicolons and line breaks only. */
  sentence: number;
}

/** A run of tokens between separators: the unit a claim is judged on. */
export interface Segment {
  first: number;
  last: number;
  /** Its words, not counting the "and" or "or" it starts with. */
  words: number;
  /** It follows a list marker ("2. fence the old primary", "3) promote"): a step, stated as an order. */
  step: boolean;
  /** A relation written as a symbol inside it: `R + W > N`, `RPO=0`, `RTO < 30s`, `~20 s`. */
  symbol: boolean;
  /**
   * It stands inside brackets ("a pooler (pgbouncer)"), or goes on with the words before them ("a
   * pooler (pgbouncer) in front"): an aside or the rest of a segment, not an item of a list.
   */
  aside: boolean;
  /** Which bracket it stands in (a count from 0), or -1: outside brackets, or going on after them. */
  bracket: number;
  /**
   * In a sentence of steps joined by arrows ("detect -> fence the old primary -> promote B, no data
   * lost"), which step it belongs to (a count over the answer); -1 elsewhere. A step is one statement,
   * however many commas it holds.
   */
  link: number;
}

export interface Tokenized {
  /** The answer lower-cased, quotes straightened, apostrophes inside words dropped. */
  text: string;
  tokens: Token[];
  segments: Segment[];
}

/** Words that start a new clause for the purpose of negation scope. */
const CLAUSE_WORDS = new Set(["but", "however", "although", "though", "whereas", "while", "because", "so", "and", "then", "otherwise", "unless", "except", "which", "that", "if", "when"]);
/** Words that join list items as readily as clauses: a new segment starts at each. */
const SEGMENT_WORDS = new Set(["and", "or", "then", "plus", "but", "nor", "so", "vs", "versus"]);
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
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(SOFT_BREAK, "$1 ");
}

/**
 * A line break inside wrapped prose (a long line, the next one not a list
 * item) is a space, not the end of a sentence: the model answers are wrapped
 * in YAML, and so are answers pasted from an editor.
 */
const SOFT_BREAK = /^([^\n]{48,}[^\n.;:!?])\n(?![ \t]*(?:[-*\u2022>]|\d+[.)]|\n))/gm;

export function tokenize(answer: string): Tokenized {
  const text = normalize(answer);
  const tokens: Token[] = [];
  const cursor = { clause: 0, segment: 0, sentence: 0, symbolAt: -1 };
  const symbolSegments = new Set<number>();
  const stepSegments = new Set<number>(BULLET.test(text.slice(0, 8)) ? [0] : []);
  const asideSegments = new Map<number, number>();
  let depth = 0;
  let brackets = 0;
  let link = 0;
  const links: number[] = [];
  const arrowSentences = new Set<number>();
  const re = /(\d+(?:\.\d+)?)|([a-z]+)|([.;!?\n])|(->|=>|\u2192|[<>=\u2264\u2265~+:])|([()[\]{}\u2014\u2013/]|,|\s-\s)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // Arrows separate steps ("detect -> fence -> promote"); the other symbols state a relation inside one.
    if (m[3] !== undefined || m[5] !== undefined || m[4]?.length === 2 || m[4] === "\u2192") {
      if (m[4] !== undefined || m[3] !== undefined) link++;
      if (m[4] !== undefined) arrowSentences.add(cursor.sentence);
      // A slash joins alternatives ("LB/proxy"): it ends a list item, not a negation's reach.
      if (m[5] !== "/") cursor.clause++;
      cursor.segment++;
      if (m[5] !== undefined && "([{".includes(m[5]) && depth++ === 0) brackets++;
      if (m[5] !== undefined && ")]}".includes(m[5])) depth = Math.max(0, depth - 1);
      if (depth > 0) asideSegments.set(cursor.segment, brackets - 1);
      else if (m[5] !== undefined && ")]}".includes(m[5])) asideSegments.set(cursor.segment, -1);
      if (m[3] !== undefined) cursor.sentence++;
      // A bulleted line is a step, like a numbered one.
      if (m[3] === "\n" && BULLET.test(text.slice(m.index + 1, m.index + 8))) stepSegments.add(cursor.segment);
      continue;
    }
    if (m[4] !== undefined) {
      // "ledger: RPO 0" relates its key and value, but a colon still ends a negation's reach.
      if (m[4] === ":") cursor.clause++;
      cursor.symbolAt = cursor.segment;
      continue;
    }
    const raw = m[0];
    if (LIST_MARKER.test(text.slice(m.index, m.index + 5))) {
      // "1. detect" or "2) fence": the number orders a step, it is not a quantity of the sentence before.
      cursor.clause++;
      cursor.segment++;
      cursor.sentence++;
      link++;
      stepSegments.add(cursor.segment);
      re.lastIndex = m.index + raw.length + 1;
      continue;
    }
    if (CLAUSE_WORDS.has(raw)) cursor.clause++;
    if (SEGMENT_WORDS.has(raw)) cursor.segment++;
    tokens.push({ raw, stem: stem(raw), start: m.index, end: m.index + raw.length, clause: cursor.clause, segment: cursor.segment, sentence: cursor.sentence });
    links.push(link);
    if (cursor.symbolAt === cursor.segment) symbolSegments.add(cursor.segment);
  }
  const segments = segmentsOf(tokens, symbolSegments, stepSegments, asideSegments);
  for (const segment of segments) {
    if (arrowSentences.has(tokens[segment.first].sentence)) segment.link = links[segment.first];
  }
  return { text, tokens, segments };
}

/** A bullet at the start of a line: "- ", "* ", "• ". */
const BULLET = /^[ \t]*[-*\u2022][ \t]/;

/** A list marker: a small whole number, then "." or ")", then a space (not "0.5", not "RPO 0."). */
const LIST_MARKER = /^(?:[1-9]|1\d)[.)][ \t\n]/;

function segmentsOf(tokens: Token[], symbolSegments: Set<number>, stepSegments: Set<number>, asideSegments: Map<number, number>): Segment[] {
  const segments: Segment[] = [];
  let previous = -1;
  tokens.forEach((token, i) => {
    if (token.segment !== previous) segments.push({ first: i, last: i, words: 0, step: stepSegments.has(token.segment), symbol: symbolSegments.has(token.segment), aside: asideSegments.has(token.segment), bracket: asideSegments.get(token.segment) ?? -1, link: -1 });
    const segment = segments[segments.length - 1];
    segment.last = i;
    if (i > segment.first || !SEGMENT_WORDS.has(token.raw)) segment.words++;
    previous = token.segment;
  });
  // Renumber: a token's segment becomes the index of its entry in the list.
  segments.forEach((segment, index) => {
    for (let i = segment.first; i <= segment.last; i++) tokens[i].segment = index;
  });
  return segments;
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
