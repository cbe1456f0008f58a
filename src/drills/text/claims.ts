// Telling a claim from a named term.
//
// A rubric credits ideas, and an idea in an answer is a claim: a clause that
// says something about the term ("the old leader is fenced before anything
// is promoted", "RTO under 30 s"), not the term on its own ("fencing",
// "RTO"). Without a parser, a segment (a clause or a list item: the words
// between punctuation, arrows, slashes and "and"/"or"/"then") is a claim when
// it has at least three words and something that relates them (a verb, an
// auxiliary, a preposition, a pronoun, a subordinator or negation), or gives
// a thing a value: a number, or a relation written as a symbol (R + W > N,
// "ledger: RPO 0").
// Articles and adjectives do not relate anything: "the sync standby" names a
// thing, "promote the sync standby" says what to do with it.
//
// An answer whose concepts sit mostly in bare names is keyword stuffing: a
// list of the right words, the same words strung together with "and", or
// run together with no punctuation at all (a long segment with hardly a
// function word in it is a list, whatever verbs its nouns look like).
import { editDistance } from "../../model/diagnostics.js";
import type { Segment, Token, Tokenized } from "./tokens.js";

/** Function words that relate the words around them. */
const RELATING = new Set([
  // auxiliaries, modals and copulas
  "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "can", "could", "will", "would",
  "should", "must", "may", "might", "shall", "cant", "cannot", "wont", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
  "wouldnt", "shouldnt", "couldnt", "its", "thats", "theres", "ll", "id", "ill", "im", "ive", "youd", "youll", "wed", "weve", "theyre",
  // pronouns
  "it", "they", "them", "we", "us", "you", "i", "he", "she", "him", "her", "this", "these", "those", "who", "whom", "what", "which",
  "our", "their", "your", "my", "his", "itself", "themselves", "one", "ones", "something", "nothing", "anything", "everything",
  // prepositions
  "to", "of", "in", "on", "at", "from", "for", "with", "by", "into", "onto", "over", "under", "before", "after", "until", "till",
  "since", "during", "within", "without", "behind", "through", "across", "via", "than", "per", "as", "about", "against", "between",
  "below", "above", "beyond", "past", "instead", "away", "back", "up", "down", "out", "off", "toward", "towards", "around", "like",
  // subordinators, negation and adverbs of time and degree that only modify a predicate
  "if", "when", "once", "because", "unless", "while", "whether", "where", "so", "not", "no", "never", "only", "still", "already",
  "first", "next", "later", "again", "too", "also", "even", "just", "why", "how", "otherwise", "else", "every", "each", "all", "both",
]);

/** Verbs an answer states steps and effects with, in their base form ("-s", "-es" and "-ed" forms follow). */
const VERB_BASES = [
  "get", "go", "take", "make", "keep", "need", "use", "send", "wait", "lose", "fail", "promote", "fence", "detect", "restore", "replay",
  "switch", "update", "point", "repoint", "move", "reconnect", "follow", "stream", "catch", "hold", "contain", "serve", "accept",
  "block", "return", "come", "happen", "cost", "pay", "add", "rebuild", "replace", "provision", "merge", "extract", "find", "pull",
  "copy", "run", "stop", "route", "remove", "drain", "cancel", "kill", "throttle", "alert", "check", "mean", "say", "know", "think",
  "put", "set", "let", "become", "elect", "pick", "choose", "spin", "flip", "open", "reach", "write", "read", "break", "win", "lag",
  "expire", "notice", "decide", "apply", "replicate", "propagate", "reinsert", "insert", "import", "export", "compare", "ensure",
  "guarantee", "prevent", "avoid", "allow", "require", "depend", "cause", "give", "tell", "ask", "try", "work", "start", "begin",
  "build", "rejoin", "rewind", "resubscribe", "reattach", "own", "see", "look", "watch", "monitor", "page", "investigate",
  "diagnose", "fix", "extend", "keep", "store", "archive", "drop", "delete", "lock", "reject", "refuse", "survive", "handle",
  "tolerate", "wipe", "overwrite", "identify", "forward", "backfill", "reconcile", "review", "grant", "revoke", "answer", "respond",
  "recover", "kick", "trigger", "sit", "live", "show", "shows", "lead", "drive", "split", "diverge", "heal", "partition", "rely",
];
const IRREGULAR = ["got", "went", "gone", "took", "taken", "made", "kept", "sent", "lost", "came", "held", "ran", "broke", "broken", "won", "found", "gave", "given", "told", "built", "saw", "seen", "led", "chose", "chosen", "done", "said", "means"];
const BASE_VERBS = new Set(VERB_BASES);
const VERBS = new Set([...VERB_BASES, ...VERB_BASES.map((v) => `${v}s`), ...VERB_BASES.map((v) => `${v}es`), ...IRREGULAR]);

/**
 * A correctly spelled form of a verb the grader knows ("repoint", "repointed", "repointing"): such a
 * word is what it says, never a typo of a rubric's other word ("rejoin*").
 */
export function isKnownVerbForm(raw: string): boolean {
  if (VERBS.has(raw)) return true;
  const base = raw.endsWith("ing") ? raw.slice(0, -3) : raw.endsWith("ed") ? raw.slice(0, -2) : null;
  return base !== null && (BASE_VERBS.has(base) || BASE_VERBS.has(`${base}e`) || (base.length > 2 && base.at(-1) === base.at(-2) && BASE_VERBS.has(base.slice(0, -1))));
}

export function isVerb(raw: string): boolean {
  return VERBS.has(raw) || (raw.length >= 5 && raw.endsWith("ed") && !raw.endsWith("eed"));
}

/** A verb with one typo ("fense", "promte"): candidates type fast. Only for words of five letters or more. */
function isMistypedVerb(raw: string): boolean {
  return mistypedVerb(raw) !== null;
}

/**
 * Real words one letter from a verb the grader knows, with a meaning of their own: "server" is not
 * "serve" mistyped, nor "remote" "remove" (found by comparing the words of the drills, the docs and
 * the sample answers with the verbs; "began", "known", "rebuilt" are forms of theirs and stay).
 */
const NOT_TYPOS = new Set([
  "eject", "ready", "router", "server", "storm", "story", "streak", "remote", "thing", "reply", "print", "reuse", "recovery", "identity",
  "defend", "clause", "drawn", "driver", "writer", "snitch", "loser", "expiry", "loose", "score", "relay", "react", "spend", "white",
]);

/** The verb a word is one typo of ("fense" → "fence"), or null: a correctly spelled form ("writes", "hinted") is not a typo of its base. */
export function mistypedVerb(raw: string): string | null {
  if (raw.length < 5 || isVerb(raw) || NOT_TYPOS.has(raw)) return null;
  return VERB_BASES.find((verb) => verb[0] === raw[0] && Math.abs(verb.length - raw.length) <= 1 && editDistance(verb, raw) <= 1) ?? null;
}

function relates(raw: string): boolean {
  return RELATING.has(raw) || isVerb(raw);
}

/** Articles and "that": they do not relate words, but prose this long without any of them is rare. */
const FUNCTION_WORDS = new Set(["the", "a", "an", "that"]);
/** A segment this long with almost no function words is a run of terms with the punctuation left out. */
const RUN_ON_WORDS = 8;
/** The share of function words below which it is one: prose runs at a third or more, a list of terms at a tenth or less. */
const RUN_ON_SHARE = 0.15;

/**
 * "synchronous replica async replicas RPO RTO Patroni failover PITR WAL ...
 * writes to leader": many words and hardly an article, preposition, pronoun
 * or auxiliary among them. Nouns that double as verbs ("writes", "restore",
 * "archive") do not make it a claim.
 */
function isRunOnList(segment: Segment, words: readonly string[]): boolean {
  if (segment.words < RUN_ON_WORDS) return false;
  const functionWords = words.filter((w) => RELATING.has(w) || FUNCTION_WORDS.has(w)).length;
  return functionWords / segment.words < RUN_ON_SHARE;
}

/** Answers to the question's yes/no parts: "No and no." */
const YES_NO = new Set(["yes", "no", "nope", "neither", "nor", "both"]);

/** A segment says something (three words or more, one that relates the others), or only names a thing. */
export function isClaim(segment: Segment, tokens: readonly Token[]): boolean {
  const words = tokens.slice(segment.first, segment.last + 1).map((t) => t.raw);
  if (words.every((w) => YES_NO.has(w) || w === "and")) return true;
  if (segment.words < 2) return false;
  if (isRunOnList(segment, words)) return false;
  if (isImperative(segment, tokens)) return true;
  // A value given to a thing ("RPO 0", "W=2", "ledger: RPO 0") is a claim even in note form.
  if (segment.symbol || words.some((w) => /^\d/.test(w))) return true;
  // "... so clients reconnect": a clause of result has its subject and verb, however short.
  if (words[0] === "so" && segment.words >= 2 && words.slice(1).some(isVerb)) return true;
  // Two words are too few to tell a claim from a name: "writes fail" reads like "stale reads".
  if (segment.words < 3) return false;
  // A mistyped verb is looked for where an imperative puts it: first ("fense the old primary").
  return words.some(relates) || words.slice(0, 2).some(isMistypedVerb);
}

/** A step of a numbered or bulleted list that starts with its verb, however short: "- update DNS", "2. fense it". */
function isImperative(segment: Segment, tokens: readonly Token[]): boolean {
  if (!segment.step || segment.words < 2) return false;
  // The bare form only: "writes fail" and "hinted handoff" start with a verb's other forms and are names.
  const first = tokens[segment.first].raw;
  return BASE_VERBS.has(first) || isMistypedVerb(first);
}

export interface Structure {
  /** Per segment of the answer: a claim, or a bare name. */
  claims: boolean[];
  /** Per segment: its words count — a claim in a sentence, or a short enumeration next to one. */
  counted: boolean[];
}

/** Bare names a sentence with a claim may carry as its enumeration ("check why it lags: CPU, disk, network"). */
const ENUMERATION_NAMES = 3;
/** Most names a bracket may hold and still be an aside rather than a list. */
const ASIDE_NAMES = 2;
/** Words a claim needs to stand out in a list ("remove it from the read pool" does; "RPO 0" does not). */
const LIST_CLAIM_WORDS = 4;

/** Fewest sentences (or lines) before an answer can be a list of short ones. */
const LIST_MIN_LINES = 4;

/** A sentence of this many short segments (under four words), most of them short, is a list strung together. */
const STRUNG_SHORT = 6;

/** What a list is made of: a segment, or a step between arrows with all its segments. */
interface Unit {
  sentence: number;
  /** One of its segments makes a claim. */
  claim: boolean;
  words: number;
  /** A short aside in brackets, or the words going on after one. */
  aside: boolean;
  /** Its first segment is a bulleted or numbered step that starts with its verb. */
  imperative: boolean;
}

interface Tally {
  claims: number;
  names: number;
  words: number;
  /** A verb among its words: a short line that says what to do ("update DNS") is a step, not a name. */
  verb: boolean;
  /** Segments of fewer than four words. */
  short: number;
  segments: number;
}

/**
 * Which segments count. A sentence that makes a claim may name a few things
 * around it. A sentence of names with a claim or two among them ("you need
 * detection and fencing and promotion and DNS and ..."), a sentence of many
 * short pieces strung together ("the N=5 and the W=3 and the sloppy quorum
 * and ..."), a line of three words or fewer among names, and an answer made
 * mostly of such short lines are lists: in a list only a claim of four words
 * or more counts. In a sentence of steps joined by arrows ("detect -> fence
 * the old primary -> promote B, no data lost") the unit is the step, not the
 * comma-separated pieces inside it, and a short aside in brackets is no item.
 */
export function structureOf(answer: Tokenized): Structure {
  const claims = answer.segments.map((segment) => isClaim(segment, answer.tokens));
  // A bracket of a few names is an aside ("a pooler (pgbouncer)"); one of many is a list in brackets.
  const bracketNames = new Map<number, number>();
  answer.segments.forEach((segment, i) => {
    if (segment.bracket >= 0 && !claims[i]) bracketNames.set(segment.bracket, (bracketNames.get(segment.bracket) ?? 0) + 1);
  });
  const aside = (segment: Segment) => segment.aside && (segment.bracket < 0 || (bracketNames.get(segment.bracket) ?? 0) <= ASIDE_NAMES);
  // The unit a list is judged on: a segment, or a whole step of a sentence of steps joined by arrows.
  const units = new Map<string, Unit>();
  const unitOf = answer.segments.map((segment, i) => {
    const key = segment.link >= 0 ? `step ${segment.link}` : `segment ${i}`;
    const unit = units.get(key) ?? { sentence: answer.tokens[segment.first].sentence, claim: false, words: 0, aside: true, imperative: false };
    if (!units.has(key)) unit.imperative = isImperative(segment, answer.tokens);
    unit.claim ||= claims[i];
    unit.words += segment.words;
    // "a connection pooler (pgbouncer) in front": the bracket names an example and "in front" goes on
    // with the pooler; neither is one more item of a list.
    unit.aside &&= segment.link < 0 && aside(segment);
    units.set(key, unit);
    return unit;
  });
  const tallies = new Map<number, Tally>();
  answer.segments.forEach((segment) => {
    const sentence = answer.tokens[segment.first].sentence;
    const tally = tallies.get(sentence) ?? { claims: 0, names: 0, words: 0, short: 0, segments: 0, verb: false };
    for (let t = segment.first; t <= segment.last; t++) if (isVerb(answer.tokens[t].raw)) tally.verb = true;
    tally.words += segment.words;
    tallies.set(sentence, tally);
  });
  for (const unit of units.values()) {
    const tally = tallies.get(unit.sentence)!;
    if (unit.claim) tally.claims++;
    else if (!unit.aside) tally.names++;
    if (!unit.aside) {
      tally.segments++;
      if (unit.words < LIST_CLAIM_WORDS) tally.short++;
    }
  }
  // An answer of many short lines without a verb is a list, whatever each line holds ("RPO > 0", "60-150 ms").
  const short = [...tallies.values()].filter((t) => t.words < LIST_CLAIM_WORDS && !t.verb).length;
  const listAnswer = tallies.size >= LIST_MIN_LINES && short / tallies.size >= 0.5;
  const counted = answer.segments.map((segment, i) => {
    const tally = tallies.get(answer.tokens[segment.first].sentence)!;
    const list = listAnswer || isListSentence(tally);
    const unit = unitOf[i];
    // A short step ("- update DNS") stands out in a list sentence, but not among lines that are mostly
    // terms: there "- cancel queries", "- apply rate" and "- read-your-writes" are more terms.
    if (list) return unit.claim && (unit.words >= LIST_CLAIM_WORDS || (!listAnswer && unit.imperative));
    return unit.claim || tally.claims > 0;
  });
  return { claims, counted };
}

function isListSentence(tally: Tally): boolean {
  if (tally.names > 0 && tally.words < LIST_CLAIM_WORDS) return true;
  if (tally.names > Math.max(ENUMERATION_NAMES, tally.claims)) return true;
  return tally.short >= STRUNG_SHORT && tally.short / tally.segments >= 0.6;
}

/** Fewest concepts found before the shape of an answer can call it stuffing. */
const STUFFING_MIN_CONCEPTS = 4;
/** Share of the concepts found that are only named, from which an answer is a list of terms. */
const STUFFING_SHARE = 0.5;

export function isStuffed(found: number, namedOnly: number): boolean {
  return found >= STUFFING_MIN_CONCEPTS && namedOnly / found >= STUFFING_SHARE;
}
