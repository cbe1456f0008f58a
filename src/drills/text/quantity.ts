// Numbers an answer states for a named quantity, with their units.
//
// A concept that carries a number ("the TTL is 30 s", "RTO under about
// 30 s") must not be credited when the answer gives that same quantity a
// value the rubric rules out: "the ttl is 300 s" or "RTO under 30 minutes"
// names the right thing with the wrong number. A rubric says which values
// it accepts per quantity (`values`: the quantity's names, a range and its
// unit); the grader reads the number written next to each mention of a name
// ("ttl 300 s", "ttl is 300s", "ttl = 300", "a 300 s ttl", "RTT of 60-150
// ms"), converts it to the range's unit and compares. A number written
// without a unit is read in the range's unit (Patroni's `ttl: 30` is in
// seconds).
import { compilePattern, findMatches, type CompiledPattern, type Match } from "./match.js";
import type { Tokenized } from "./tokens.js";

export type Unit = "ms" | "s" | "min" | "h" | "d";
export const UNITS: readonly Unit[] = ["ms", "s", "min", "h", "d"];

const SECONDS: Record<Unit, number> = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400 };

/** The words an answer writes a unit of time with. */
const UNIT_WORDS = new Map<string, number>([
  ...["ms", "msec", "msecs", "millisecond", "milliseconds"].map((w): [string, number] => [w, SECONDS.ms]),
  ...["s", "sec", "secs", "second", "seconds"].map((w): [string, number] => [w, SECONDS.s]),
  ...["m", "min", "mins", "minute", "minutes"].map((w): [string, number] => [w, SECONDS.min]),
  ...["h", "hr", "hrs", "hour", "hours"].map((w): [string, number] => [w, SECONDS.h]),
  ...["d", "day", "days"].map((w): [string, number] => [w, SECONDS.d]),
  ...["w", "wk", "wks", "week", "weeks"].map((w): [string, number] => [w, 7 * SECONDS.d]),
]);

export interface ValueRange {
  /** Patterns that name the quantity ("ttl", "loop wait", "rto|recovery time"). */
  names: string[];
  min: number;
  max: number;
  unit: Unit;
}

export interface Contradiction {
  /** The words that state the value, for feedback: "ttl lease is 300 s". */
  excerpt: string;
  /** What was expected, in words: "ttl: 5–30 s". */
  expected: string;
}

/** How far after a name its number may stand ("the ttl lease is set to 300 s"). */
const AFTER_WINDOW = 6;
/** How far it may stand in the name's own segment ("Patroni notices that the leader has died after about 30 minutes"). */
const SEGMENT_WINDOW = 12;

const compiled = new WeakMap<ValueRange, CompiledPattern[]>();

function namesOf(range: ValueRange): CompiledPattern[] {
  let list = compiled.get(range);
  if (!list) {
    list = range.names.map(compilePattern);
    compiled.set(range, list);
  }
  return list;
}

const isNumber = (raw: string | undefined): boolean => raw !== undefined && /^\d/.test(raw);

/** A number (or a range "60-150", "20 to 30") starting at token `at`, with its unit if one follows: values in seconds, or unitless. */
function readNumber(answer: Tokenized, at: number): { values: number[]; factor: number | null; last: number } {
  const { tokens, text } = answer;
  const values = [Number(tokens[at].raw)];
  let last = at;
  const next = tokens[at + 1];
  if (isNumber(next?.raw) && /^\s*(-|\u2013|\u2014|to)\s*$/.test(text.slice(tokens[at].end, next.start))) {
    values.push(Number(next.raw));
    last = at + 1;
  } else if (next?.raw === "to" && isNumber(tokens[at + 2]?.raw)) {
    values.push(Number(tokens[at + 2].raw));
    last = at + 2;
  }
  const unit = tokens[last + 1];
  const factor = unit && unit.sentence === tokens[at].sentence ? UNIT_WORDS.get(unit.raw) ?? null : null;
  return { values, factor, last: factor === null ? last : last + 1 };
}

/**
 * The number an answer states for one mention of a quantity: the first one
 * after it in the same sentence (a few words on, or further in its own segment),
 * before the name of another quantity, or one
 * written just in front of it ("a 300 s ttl", "a 30-second timeout").
 */
function valueOf(answer: Tokenized, mention: Match, others: ReadonlySet<number>, broader: ReadonlySet<number> = new Set()): { values: number[]; factor: number | null; first: number; last: number } | null {
  const { tokens } = answer;
  const sentence = tokens[mention.first].sentence;
  for (let j = mention.last + 1; j <= Math.min(tokens.length - 1, mention.last + SEGMENT_WINDOW); j++) {
    if (tokens[j].sentence !== sentence || others.has(j)) break;
    // Past a few words, only a number in the name's own segment (no comma, "and" or "or" between) is its value.
    if (j > mention.last + AFTER_WINDOW && tokens[j].segment !== tokens[mention.last].segment) break;
    if (!isNumber(tokens[j].raw)) continue;
    const read = readNumber(answer, j);
    // "1–5 ms between AZs, 60–150 ms across regions": a number written right in front of another
    // quantity's name, in its segment, is that one's.
    const next = read.last + 1;
    if (others.has(next) && tokens[next].segment === tokens[read.last].segment) break;
    return { ...read, first: mention.first };
  }
  // In front: "300 s ttl", "300 ttl", "30 to 60 s timeout", "100 ms of latency". A broader name of the
  // same quantity just in front of the mention is part of it: "100 ms latency in the same region"
  // gives the in-region latency 100 ms.
  let anchor = mention.first;
  while (broader.has(anchor - 1)) anchor--;
  const before = tokens[anchor - 1]?.raw === "of" ? anchor - 2 : anchor - 1;
  if (before >= 0 && tokens[before].sentence === sentence) {
    for (let start = Math.max(0, before - 3); start <= before; start++) {
      if (!isNumber(tokens[start].raw) || tokens[start].sentence !== sentence) continue;
      const read = readNumber(answer, start);
      if (read.last === before) return { ...read, first: start, last: mention.last };
    }
  }
  // "Total RTO: it follows detection. We measured about 45 minutes.": a sentence that names the
  // quantity without a number gives it the first number of the next one (the grader credits that
  // number as the concept's qualifier too, grade.ts).
  if (tokens.some((t) => t.sentence === sentence && isNumber(t.raw))) return null;
  for (let j = mention.last + 1; j < tokens.length && tokens[j].sentence <= sentence + 1; j++) {
    // A quantity named in the next sentence before its number takes the number ("... reach back 30 days").
    if (others.has(j) && tokens[j].sentence > sentence) return null;
    if (isNumber(tokens[j].raw)) return { ...readNumber(answer, j), first: mention.first };
  }
  return null;
}

/** One range is a broader reading of the other: the same unit of time, the other's values all inside it. */
function contains(broad: ValueRange, narrow: ValueRange): boolean {
  const to = (v: number, r: ValueRange) => v * SECONDS[r.unit];
  return to(broad.min, broad) <= to(narrow.min, narrow) && to(narrow.max, narrow) <= to(broad.max, broad);
}

/** The first value the answer states for one of the ranges of `own` that falls outside it, or null. */
/**
 * `context` holds every quantity the rubric names (the other concepts' too): a number belongs to the
 * quantity named nearest it, whichever concept holds it ("its window ends seven days back. The base
 * backups reach back 30 days": the 30 is the backups', not the window's).
 */
export function contradiction(own: readonly ValueRange[], answer: Tokenized, context: readonly ValueRange[] = own): Contradiction | null {
  const ranges = [...own, ...context.filter((r) => !own.includes(r))];
  const mentions = ranges.map((range) => namesOf(range).flatMap((p) => findMatches(p, answer)).filter((m) => !m.negated));
  for (const [i, range] of own.entries()) {
    // Where another quantity is named, a number belongs to that one: "ttl 30 s, loop_wait 10 s". A
    // broader name of the same quantity (a concept's any latency, 0.1–300 ms) does not take a number
    // from a narrower one (in-region, 0.1–10 ms): "between regions the round trip is 2 ms" is about regions.
    const others = new Set<number>();
    const broader = new Set<number>();
    mentions.forEach((list, k) => {
      if (k === i) return;
      const set = k < own.length && contains(ranges[k], range) ? broader : others;
      for (const m of list) for (let t = m.first; t <= m.last; t++) set.add(t);
    });
    for (const mention of mentions[i]) {
      const stated = valueOf(answer, mention, others, broader);
      if (!stated) continue;
      const factor = stated.factor ?? SECONDS[range.unit];
      const inUnit = stated.values.map((v) => (v * factor) / SECONDS[range.unit]);
      if (inUnit.every((v) => v >= range.min - 1e-9 && v <= range.max + 1e-9)) continue;
      const excerpt = answer.text.slice(answer.tokens[stated.first].start, answer.tokens[Math.max(stated.last, mention.last)].end);
      // A name written as a regular expression reads as the answer's own words for it ("in the same region").
      const name = range.names[0].startsWith("/") ? answer.text.slice(answer.tokens[mention.first].start, answer.tokens[mention.last].end) : range.names[0].replace(/[|*]/g, (c) => (c === "|" ? " or " : ""));
      return { excerpt, expected: `${name} ${range.min}–${range.max} ${range.unit}` };
    }
  }
  return null;
}
