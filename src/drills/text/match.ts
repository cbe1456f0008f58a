// Matching one rubric pattern against a tokenised answer.
//
// A pattern is a regular expression written `/.../` (for formulas such as
// R + W > N, matched on the normalised text), or a bag of terms that must all
// occur within a short window in any order: candidates reorder sentences
// ("the AZ-B replica gets promoted" / "promote the sync replica in AZ-B"), so
// word order is not required. A term is a word (compared by stem, with a
// typo allowance for longer words), `a|b` alternatives, or `prefix*`.
//
// A match is cancelled when a negation governs it: a cue such as "no",
// "without" or "don't" shortly before it in the same clause, or "won't" /
// "does not" just after it ("a replica won't help"). That is what keeps
// "we don't put the DB behind a load balancer" from counting as a vote for one.
// A mention that carries its own passive predicate ("the AZ-B standby gets
// promoted") is a clause of its own: a cue that already negated another verb
// ("the old primary can no longer write the AZ-B standby gets promoted") does
// not reach it.
import { editDistance } from "../../model/diagnostics.js";
import { isKnownVerbForm, isVerb, mistypedVerb } from "./claims.js";
import { stem, type Token, type Tokenized } from "./tokens.js";

interface Term {
  alternatives: Array<{ raw: string; stem: string; prefix: boolean }>;
}

export type CompiledPattern = { kind: "regex"; source: string; re: RegExp } | { kind: "bag"; source: string; terms: Term[] };

export interface Match {
  pattern: string;
  /** Token indexes of the first and last matched token. */
  first: number;
  last: number;
  /** The matched words, for feedback. */
  excerpt: string;
  /** A negation governs it, before, after or between its words. */
  negated: boolean;
  /** The negation stands between its own words ("replicas don't copy bad writes"): the opposite claim, whatever the concept's `negation`. */
  negatedWithin: boolean;
  /**
   * The negation denies the mention outright ("the old leader is not fenced", "don't fence", "skip
   * fencing", "fencing isn't needed"), outside a condition: the opposite claim, whatever the
   * concept's `negation`. "Without fencing ..." and "if it isn't fenced ..." name the danger instead.
   */
  negatedAsserted: boolean;
  /** The token indexes its terms matched (a bag), or every token of its span (a regular expression). */
  tokens: number[];
}

const PRE_CUES = new Set([
  "no", "not", "never", "without", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt",
  "shouldnt", "cant", "cannot", "couldnt", "nor", "neither", "avoid", "instead", "rather", "none", "nothing", "nobody",
]);
/** "not only", "no matter", "not optional": cues that do not negate what follows. */
const NOT_NEGATING_AFTER = new Set(["only", "just", "matter", "doubt", "later", "sooner", "more", "less", "optional", "negotiable"]);
/** Cues that deny a predicate ("is not fenced", "don't fence", "never fenced"), not a noun ("no fencing", "without fencing"). */
const PREDICATE_CUES = new Set(["not", "never", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "cant", "cannot", "couldnt"]);
/** Verbs that leave out what follows them: "skip fencing", "forget the fence". */
const OMIT_CUES = new Set(["skip", "skips", "skipped", "skipping", "omit", "omits", "omitted", "omitting", "forgo", "forgoes", "forgoing", "forget", "forgets", "forgot", "forgetting"]);
/** Words that may stand between a predicate's negation and the word it denies: "is not even fenced", "doesn't need fencing". */
const DENIAL_BRIDGE = new Set(["be", "been", "being", "get", "gets", "got", "the", "a", "an", "any", "ever", "even", "yet", "actually", "properly", "really", "always", "need", "needs", "needed", "require", "requires", "required", "bother", "bothers", "to", "do", "does", "have", "has", "had", "it", "them", "old", "that"]);
/** Words that make a clause a condition: a negation there names a danger, it does not state a fact. */
const CONDITIONS = new Set(["if", "unless", "when", "whenever", "without", "otherwise", "else", "lest", "until", "whether"]);
const POST_CUES = new Set(["wont", "wouldnt", "doesnt", "dont", "cant", "cannot", "isnt", "arent", "wasnt", "werent", "useless", "pointless", "never"]);
const POST_MODALS = new Set(["will", "would", "does", "do", "is", "are", "can", "could", "should", "was", "were"]);
/**
 * Judgements a negation after a mention may deny: "untested backups are not fine", "async is not
 * safe". The mention is still asserted; it is judged bad, which is what the idea says of it.
 */
const JUDGEMENTS = new Set(["fine", "ok", "okay", "safe", "good", "enough", "reliable", "trustworthy", "acceptable", "sufficient", "great", "harmless", "reassuring"]);
/** Degree words between a negation and its judgement: "not really fine", "isn't always safe". */
const DEGREE = new Set(["really", "very", "always", "necessarily", "entirely", "quite", "so", "that", "actually"]);
/**
 * A subject starts a new clause for negation, even without a comma: in "if it
 * can't keep up I'd rebuild it", "can't" does not reach "rebuild". ("it" is
 * left out: it is as often an object, as in "don't put it behind an LB".)
 */
const SUBJECTS = new Set(["i", "id", "ill", "im", "ive", "we", "wed", "weve", "you", "youd", "youll", "they", "theyd", "he", "she"]);
/** Auxiliaries of a passive predicate: "is promoted", "gets fenced". */
const PASSIVE_AUX = new Set(["is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "getting", "gotten", "becomes", "became"]);
/** Verbs whose object is a clause, so their negation reaches it: "don't let the standby get promoted", "does not need to be fenced". */
const CLAUSE_TAKING = new Set(["let", "lets", "make", "makes", "allow", "allows", "have", "has", "see", "want", "wait", "need", "needs", "require", "requires"]);
const PRE_WINDOW = 6;
const POST_WINDOW = 3;
/** How far after a mention a negation may stand when only the mention's own phrase comes between. */
const POST_REACH = 7;

export function compilePattern(source: string): CompiledPattern {
  if (source.length >= 2 && source.startsWith("/") && source.endsWith("/")) {
    return { kind: "regex", source, re: new RegExp(source.slice(1, -1), "g") };
  }
  const terms = source
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((word) => ({
      alternatives: word.split("|").map((alt) => {
        const prefix = alt.endsWith("*");
        const raw = prefix ? alt.slice(0, -1) : alt;
        return { raw, stem: prefix ? raw : stem(raw), prefix };
      }),
    }));
  return { kind: "bag", source, terms };
}

/**
 * Words an answer uses as themselves that lie one typo from a rubric's word ("state" and "scale" from
 * "stale", "leader" from "lease*", "newer" from "never", "protect" from "prove*"): found by comparing
 * the words of the drills and their sample answers with the rubrics' terms.
 */
const KNOWN_WORDS = new Set([
  "newer", "never", "identity", "defend", "prompt", "provider", "prevention", "protect", "protects", "control", "controls",
  "continuous", "scale", "scales", "state", "states", "style", "matter", "matters", "decision", "decisions", "least", "short",
  "leader", "leaders", "closed", "strong", "retain", "retains", "there", "about", "story", "passed", "clause", "consists",
  "redundant", "still", "throughput", "recovery", "statement", "stable", "table", "tables",
]);

/** A typo allowance that grows with the word: none under 5 letters, one edit from 5, two from 9. */
function allowance(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/** Below this length a term has no typo allowance of its own ("fenc*", "take"). */
const SHORT_TERM = 5;

function termMatches(term: Term, token: Token): boolean {
  // "repoint" is a word of its own, not "rejoin" mistyped, and "state" is not "stale": a known word
  // gets no typo allowance.
  const spelled = isKnownVerbForm(token.raw) || KNOWN_WORDS.has(token.raw);
  // A short term is too short to allow a typo in it, but a word one letter from a verb the grader
  // knows is that verb mistyped: "fense" is "fence", so it matches "fenc*".
  const verb = spelled ? null : mistypedVerb(token.raw);
  for (const alt of term.alternatives) {
    if (verb !== null && alt.raw.length < SHORT_TERM && (alt.prefix ? verb.startsWith(alt.raw) : stem(verb) === alt.stem)) return true;
    if (alt.prefix) {
      if (token.raw.startsWith(alt.raw)) return true;
      if (spelled) continue;
      // A typo inside the prefix: compare it with the token's start, one letter shorter or longer
      // too, so a dropped or doubled letter counts once ("promte" for promot*).
      const allowed = allowance(alt.raw.length);
      if (allowed > 0 && token.raw[0] === alt.raw[0] && token.raw.length >= alt.raw.length - 1) {
        for (let length = alt.raw.length - 1; length <= alt.raw.length + 1; length++) {
          if (editDistance(token.raw.slice(0, length), alt.raw) <= allowed) return true;
        }
      }
      continue;
    }
    if (token.stem === alt.stem || token.raw === alt.raw) return true;
    if (/^\d/.test(alt.raw) || spelled) continue;
    const allowed = allowance(Math.min(alt.raw.length, token.raw.length));
    if (allowed > 0 && token.raw[0] === alt.raw[0] && Math.abs(token.raw.length - alt.raw.length) <= allowed && editDistance(token.raw, alt.raw) <= allowed) return true;
  }
  return false;
}

/** Every match of a pattern in the answer, earliest first, each marked negated or not. */
export function findMatches(pattern: CompiledPattern, answer: Tokenized): Match[] {
  const spans: Array<{ first: number; last: number; matched?: Set<number> }> = pattern.kind === "regex" ? regexSpans(pattern, answer) : bagSpans(pattern, answer);
  const matches = spans.map(({ first, last, matched }) => {
    const found = {
      pattern: pattern.source,
      first,
      last,
      excerpt: answer.text.slice(answer.tokens[first].start, answer.tokens[last].end),
      tokens: matched ? [...matched].sort((a, b) => a - b) : Array.from({ length: last - first + 1 }, (_, k) => first + k),
      ...negation(answer.tokens, first, last, matched),
    };
    return pattern.kind === "regex" && !found.negatedWithin && regexDenied(pattern, answer, first, last) ? { ...found, negated: true, negatedWithin: true } : found;
  });
  // A word read as part of a negated statement is not read again as the positive one: in "replication
  // does not copy the damage to the replicas", "copy ... replicas" is the same denial.
  const denied = new Set<number>();
  spans.forEach(({ matched }, i) => {
    if (matches[i].negatedWithin && matched) for (const t of matched) denied.add(t);
  });
  return matches.map((m, i) => (!m.negatedWithin && [...(spans[i].matched ?? [])].some((t) => denied.has(t)) ? { ...m, negated: true, negatedWithin: true } : m));
}

/**
 * The same across an item's patterns: in "replicas don't copy bad writes" the words "bad writes" are
 * part of the denial "replicas ... don't copy ... bad", so another pattern ("bad write*") may not read
 * them as the positive claim.
 */
export function dropDenied(matches: readonly Match[]): Match[] {
  const denied = new Set<number>();
  for (const m of matches) if (m.negatedWithin) for (const t of m.tokens) denied.add(t);
  return matches.map((m) => (!m.negatedWithin && m.tokens.some((t) => denied.has(t)) ? { ...m, negated: true, negatedWithin: true } : m));
}

function regexSpans(pattern: Extract<CompiledPattern, { kind: "regex" }>, answer: Tokenized): Array<{ first: number; last: number }> {
  const spans: Array<{ first: number; last: number }> = [];
  pattern.re.lastIndex = 0;
  for (let m = pattern.re.exec(answer.text); m !== null && spans.length < 20; m = pattern.re.exec(answer.text)) {
    if (m[0].length === 0) {
      pattern.re.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = m.index + m[0].length;
    const inside = answer.tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.end > start && t.start < end);
    if (inside.length === 0) continue;
    spans.push({ first: inside[0].i, last: inside[inside.length - 1].i });
  }
  return spans;
}

/** Windows holding every term, one from each word a term matches: at most 2k + 3 tokens for k terms (room for "the", "in AZ-B", a hedge). */
function bagSpans(pattern: Extract<CompiledPattern, { kind: "bag" }>, answer: Tokenized): Array<{ first: number; last: number; matched: Set<number> }> {
  const { tokens } = answer;
  const k = pattern.terms.length;
  if (k === 0) return [];
  const window = 2 * k + 3;
  // "RPO > 0" does not state "RPO 0": a number after a greater-than is a bound above it, not that number.
  const hits = pattern.terms.map((term) => tokens.map((token, t) => termMatches(term, token) && !(/^\d/.test(token.raw) && followsGreaterThan(answer, t))));
  const spans: Array<{ first: number; last: number; matched: Set<number> }> = [];
  let i = 0;
  while (i < tokens.length) {
    if (!hits.some((h) => h[i])) {
      i++;
      continue;
    }
    let end = i + 1;
    // The words of one idea stand in one sentence (or line): "long queries\n- cancel" pairs two items.
    while (end < Math.min(tokens.length, i + window) && tokens[end].sentence === tokens[i].sentence) end++;
    let first = Infinity;
    let last = -1;
    let all = true;
    // Each term needs a token of its own: one word must not satisfy two terms at once.
    const used = new Set<number>();
    for (const h of hits) {
      let found = -1;
      for (let j = i; j < end; j++) {
        if (h[j] && !used.has(j)) {
          found = j;
          break;
        }
      }
      used.add(found);
      if (found < 0) {
        all = false;
        break;
      }
      first = Math.min(first, found);
      last = Math.max(last, found);
    }
    // Every start is tried, not only the one after the previous match: in "(DNS or connection string)
    // and clients reconnect", the window opened at "connection" pairs it with "clients", and the
    // pair the answer means, "clients reconnect", starts one word later.
    if (all) spans.push({ first, last, matched: used });
    i++;
  }
  return spans;
}

/**
 * A regular expression's span with a predicate's negation inside it that is not one of its own words:
 * "writes don't fail" matched by "writes ... fail". The negation is the pattern's own word when the
 * span without it no longer matches ("writes cannot be accepted"); it belongs to a later clause when
 * the words before it already match on their own ("writes fail, but reads don't time out").
 */
function regexDenied(pattern: Extract<CompiledPattern, { kind: "regex" }>, answer: Tokenized, first: number, last: number): boolean {
  const { tokens, text } = answer;
  const test = (s: string) => new RegExp(pattern.re.source, pattern.re.flags.replace("g", "")).test(s);
  // The shortest span from the same start that matches: a greedy pattern runs on into later clauses.
  let end = first;
  while (end < last && !test(text.slice(tokens[first].start, tokens[end].end))) end++;
  for (let j = first + 1; j < end; j++) {
    const cue = tokens[j].raw;
    if (!PREDICATE_CUES.has(cue) || NOT_NEGATING_AFTER.has(tokens[j + 1]?.raw ?? "")) continue;
    const without = text.slice(tokens[first].start, tokens[j].start) + text.slice(tokens[j].end + 1, tokens[end].end);
    if (test(without) && !test(text.slice(tokens[first].start, tokens[j].start))) return true;
  }
  return false;
}

/** A number written after ">", "≥", "more than", "greater than" or "above": "RPO > 0", "RPO greater than zero". */
function followsGreaterThan(answer: Tokenized, at: number): boolean {
  const { tokens, text } = answer;
  const from = at > 0 ? tokens[at - 1].end : 0;
  if (/[>\u2265]/.test(text.slice(from, tokens[at].start))) return true;
  const previous = tokens[at - 1]?.raw;
  return previous === "above" || (previous === "than" && ["more", "greater", "higher", "bigger"].includes(tokens[at - 2]?.raw ?? ""));
}

/** Where a mention's own passive auxiliary stands ("gets" in "the standby gets promoted", inside it or just before it), or -1. */
function ownPredicate(tokens: Token[], first: number, last: number): number {
  for (let j = Math.max(0, first - 1); j < last; j++) {
    if (PASSIVE_AUX.has(tokens[j].raw) && isVerb(tokens[j + 1].raw)) return j;
  }
  return -1;
}

/**
 * A cue between the words of a bag, in the clause of the word after it:
 * "replicas don't copy bad writes", "writes never block", "data is not
 * lost". The words the pattern itself matched are not cues ("old leader
 * cannot accept writes" matches "cannot" on purpose).
 */
function negation(tokens: Token[], first: number, last: number, matched: ReadonlySet<number> | undefined): { negated: boolean; negatedWithin: boolean; negatedAsserted: boolean } {
  const negatedWithin = matched !== undefined && negatedInside(tokens, matched, first, last);
  const outside = isNegated(tokens, first, last);
  return { negated: negatedWithin || outside.negated, negatedWithin, negatedAsserted: outside.asserted };
}

/** A clause that states a condition ("if it isn't fenced", "without fencing"): from the clause's start up to `at`. */
function conditional(tokens: Token[], at: number): boolean {
  for (let j = at; j >= 0 && tokens[j].clause === tokens[at].clause; j--) if (CONDITIONS.has(tokens[j].raw)) return true;
  return false;
}

/** "Skip fencing", "skip the fence": a verb of leaving out reaches its object across an article only. */
function omits(tokens: Token[], cue: number, target: number): boolean {
  for (let j = cue + 1; j < target; j++) if (!["the", "a", "an", "any"].includes(tokens[j].raw)) return false;
  return true;
}

/** A predicate's negation at `cue` that reaches the word at `target` across bridge words only: "is not (even) fenced", "don't (need to) fence". */
function denies(tokens: Token[], cue: number, target: number): boolean {
  const raw = tokens[cue].raw;
  const omitting = OMIT_CUES.has(raw);
  // "can no longer be fenced" denies the predicate as "cannot be fenced" does.
  const noLonger = raw === "no" && tokens[cue + 1]?.raw === "longer";
  if (!omitting && !noLonger && !PREDICATE_CUES.has(raw)) return false;
  if (omitting) return omits(tokens, cue, target) && !conditional(tokens, cue);
  for (let j = cue + (noLonger ? 2 : 1); j < target; j++) if (!DENIAL_BRIDGE.has(tokens[j].raw)) return false;
  // "Not fencing means split brain": a bare "not" before a gerund makes a noun, the subject of a claim.
  if (raw === "not" && tokens[target].raw.endsWith("ing") && !PASSIVE_AUX.has(tokens[cue - 1]?.raw ?? "") && !POST_MODALS.has(tokens[cue - 1]?.raw ?? "")) return false;
  return !conditional(tokens, cue);
}

function negatedInside(tokens: Token[], matched: ReadonlySet<number>, first: number, last: number): boolean {
  for (let j = first + 1; j < last; j++) {
    if (matched.has(j) || !PRE_CUES.has(tokens[j].raw) || NOT_NEGATING_AFTER.has(tokens[j + 1]?.raw ?? "")) continue;
    let next = j + 1;
    while (!matched.has(next)) next++;
    if (tokens[next].clause === tokens[j].clause) return true;
  }
  return false;
}

/** The negation at \`cue\` denies a judgement ("not fine", "isn't really safe"), not an event. */
function judges(tokens: Token[], cue: number): boolean {
  let j = cue + 1;
  while (j < tokens.length && j < cue + 3 && DEGREE.has(tokens[j].raw) && !JUDGEMENTS.has(tokens[j].raw)) j++;
  return j < tokens.length && JUDGEMENTS.has(tokens[j].raw) && tokens[j].clause === tokens[cue].clause;
}

function isNegated(tokens: Token[], first: number, last: number): { negated: boolean; asserted: boolean } {
  const clause = tokens[first].clause;
  const predicate = ownPredicate(tokens, first, last);
  for (let j = first - 1; j >= Math.max(0, first - PRE_WINDOW); j--) {
    if (tokens[j].clause !== clause || SUBJECTS.has(tokens[j].raw)) break;
    if (PRE_CUES.has(tokens[j].raw) && !NOT_NEGATING_AFTER.has(tokens[j + 1]?.raw ?? "")) return { negated: true, asserted: denies(tokens, j, first) };
    if (OMIT_CUES.has(tokens[j].raw) && omits(tokens, j, first)) return { negated: true, asserted: denies(tokens, j, first) };
    // A verb in front of the mention's subject belongs to another clause, and so does a cue before it.
    if (predicate >= 0 && j < predicate && isVerb(tokens[j].raw) && !PASSIVE_AUX.has(tokens[j].raw) && !CLAUSE_TAKING.has(tokens[j].raw)) break;
  }
  const endClause = tokens[last].clause;
  // "Fencing is not needed", "fencing won't matter": the mention is the subject of a denied predicate.
  const after = (j: number) => !NOT_NEGATING_AFTER.has(tokens[j + 1]?.raw ?? "") && !conditional(tokens, j);
  for (let j = last + 1; j <= Math.min(tokens.length - 1, last + POST_REACH); j++) {
    if (tokens[j].clause !== endClause) break;
    // Past a few words, a negation still governs the mention when only the mention's own phrase stands
    // between ("long queries on the replica never block replay"), not when a predicate or a subject does.
    if (j > last + POST_WINDOW && tokens.slice(last + 1, j).some((t) => isVerb(t.raw) || POST_MODALS.has(t.raw) || PASSIVE_AUX.has(t.raw) || SUBJECTS.has(t.raw))) break;
    // "Untested backups are not fine": the negation denies a judgement of the mention, not the mention.
    const cue = POST_CUES.has(tokens[j].raw) ? j : POST_MODALS.has(tokens[j].raw) && tokens[j + 1]?.raw === "not" ? j + 1 : -1;
    if (cue >= 0 && judges(tokens, cue)) break;
    if (POST_CUES.has(tokens[j].raw)) return { negated: true, asserted: after(j) };
    // "R + W > N no longer holds".
    if (tokens[j].raw === "no" && tokens[j + 1]?.raw === "longer") return { negated: true, asserted: !conditional(tokens, j) };
    // "The region loses nothing": a verb whose object is "nothing" says it does not happen.
    if (j === last + 1 && (tokens[j].raw === "nothing" || tokens[j].raw === "none") && isVerb(tokens[last].raw)) return { negated: true, asserted: !conditional(tokens, j) };
    if (POST_MODALS.has(tokens[j].raw) && tokens[j + 1]?.raw === "not" && tokens[j + 1].clause === endClause) return { negated: true, asserted: after(j + 1) };
  }
  return { negated: false, asserted: false };
}
