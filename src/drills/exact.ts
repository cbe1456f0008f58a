// Exact grading for the drills with one right answer: single and multiple
// choice, numbers with a tolerance, and orderings scored by the longest
// common subsequence with the right order (a swapped pair of steps costs one
// step, not the whole answer). Answers arrive as text (`--answer`, or what a
// prompt returned), so parsing them lives here too; a malformed answer is a
// UsageError (exit 2) that says what the drill expects.
import { UsageError } from "../model/diagnostics.js";
import type { Tolerance } from "./schema.js";

export const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export function letter(index: number): string {
  return LETTERS[index];
}

export interface OptionLike {
  text: string;
  correct: boolean;
}

function simplify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** One option, by letter ("b", "(b)", "B.") or by its text (exactly, or a unique start of it). */
export function parseOption(answer: string, options: readonly OptionLike[]): number {
  const trimmed = answer.trim();
  const byLetter = /^\(?([a-z])[).]?$/i.exec(trimmed);
  if (byLetter) {
    const index = LETTERS.indexOf(byLetter[1].toLowerCase());
    if (index < options.length) return index;
  }
  const wanted = simplify(trimmed);
  if (wanted.length > 0) {
    const exact = options.findIndex((o) => simplify(o.text) === wanted);
    if (exact >= 0) return exact;
    const starts = options.map((o, i) => ({ o, i })).filter(({ o }) => wanted.length >= 3 && simplify(o.text).startsWith(wanted));
    if (starts.length === 1) return starts[0].i;
  }
  throw new UsageError(`"${answer}" is not one of the options; answer with a letter from a to ${letter(options.length - 1)} (or the option's text)`);
}

/** Several options: letters separated by commas or spaces ("a,c", "a c", "ac"), or option texts separated by commas. */
export function parseOptions(answer: string, options: readonly OptionLike[]): number[] {
  const trimmed = answer.trim().toLowerCase();
  if (trimmed === "" || trimmed === "none" || trimmed === "-") return [];
  let parts: string[];
  if (/^[a-z]+$/.test(trimmed) && trimmed.length <= options.length && new Set(trimmed).size === trimmed.length && [...trimmed].every((c) => LETTERS.indexOf(c) < options.length)) {
    parts = [...trimmed];
  } else {
    parts = trimmed.split(/\s*[,;/]\s*|\s+(?=\(?[a-z][).]?(?:\s|$))/).filter((p) => p.length > 0);
  }
  const chosen = new Set<number>();
  for (const part of parts) chosen.add(parseOption(part, options));
  return [...chosen].sort((a, b) => a - b);
}

export interface ExactGrade {
  score: number;
  passed: boolean;
  hits: string[];
  misses: string[];
  expected: string;
}

export function gradeSingle(options: readonly OptionLike[], chosen: number): ExactGrade {
  const right = options.findIndex((o) => o.correct);
  const passed = chosen === right;
  return {
    score: passed ? 1 : 0,
    passed,
    hits: passed ? [letter(right)] : [],
    misses: passed ? [] : [letter(right)],
    expected: `${letter(right)}) ${options[right].text}`,
  };
}

/** Right choices minus wrong ones, over the number of right ones (never below 0); passed only when exact. */
export function gradeMultiple(options: readonly OptionLike[], chosen: readonly number[]): ExactGrade {
  const right = options.map((o, i) => (o.correct ? i : -1)).filter((i) => i >= 0);
  const picked = new Set(chosen);
  const hits = right.filter((i) => picked.has(i)).map(letter);
  const missed = right.filter((i) => !picked.has(i)).map(letter);
  const wrong = [...picked].filter((i) => !options[i].correct).map((i) => `${letter(i)} (not correct)`);
  const score = right.length === 0 ? (picked.size === 0 ? 1 : 0) : Math.max(0, (hits.length - wrong.length) / right.length);
  return {
    score: Math.round(score * 1000) / 1000,
    passed: missed.length === 0 && wrong.length === 0,
    hits,
    misses: [...missed, ...wrong],
    expected: right.map((i) => `${letter(i)}) ${options[i].text}`).join("; ") || "none of them",
  };
}

const UNIT_FACTORS: Record<string, number> = {
  ms: 0.001, msec: 0.001, msecs: 0.001, millisecond: 0.001, milliseconds: 0.001,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
};

/**
 * A number, optionally with a time unit that is converted into the drill's
 * unit when both are times ("1.5 min" for a drill in seconds is 90, "71
 * milliseconds" for a drill in ms is 71), optionally a percentage ("25%" is
 * 0.25 when the drill's unit is not "%"), or a fraction ("2/3", which the
 * probability drills ask for).
 */
export function parseNumber(answer: string, unit: string | null | undefined): number {
  const text = answer.trim().toLowerCase().replace(/^(?:(?:[~≈]|about\b|around\b|roughly\b)\s*)+/, "").replace(/,(?=\d{3}\b)/g, "");
  const m = /^([-+]?\d*\.?\d+(?:e[-+]?\d+)?)(?:\s*\/\s*(\d*\.?\d+))?\s*([a-z%]*)\.?$/.exec(text);
  if (!m) throw new UsageError(`"${answer}" is not a number${unit ? ` (answer in ${unit})` : ""}`);
  let value = Number(m[1]);
  if (m[2] !== undefined) {
    if (Number(m[2]) === 0) throw new UsageError(`"${answer}" divides by zero`);
    value /= Number(m[2]);
  }
  const given = m[3];
  unit = unit?.toLowerCase();
  if (given === "%" && unit !== "%") value /= 100;
  else if (given && unit && UNIT_FACTORS[given] !== undefined && UNIT_FACTORS[unit] !== undefined) value = (value * UNIT_FACTORS[given]) / UNIT_FACTORS[unit];
  else if (given && given !== unit && given !== "%" && !(unit && unit.startsWith(given))) {
    throw new UsageError(`"${answer}": unknown unit "${given}"${unit ? `; answer in ${unit}` : ""}`);
  }
  if (!Number.isFinite(value)) throw new UsageError(`"${answer}" is not a finite number`);
  return value;
}

export function withinTolerance(value: number, answer: number, tolerance: Tolerance): boolean {
  const allowed = "absolute" in tolerance ? tolerance.absolute : Math.abs(answer) * tolerance.relative;
  // A hair of slack so that 0.1 + 0.2 style rounding never fails an exact answer.
  return Math.abs(value - answer) <= allowed + 1e-9 * Math.max(1, Math.abs(answer));
}

export function describeTolerance(answer: number, tolerance: Tolerance, unit: string | null | undefined): string {
  const u = unit ? ` ${unit}` : "";
  if ("absolute" in tolerance) return tolerance.absolute === 0 ? `${formatNumber(answer)}${u}` : `${formatNumber(answer)}${u} ± ${formatNumber(tolerance.absolute)}`;
  return `${formatNumber(answer)}${u} ± ${Math.round(tolerance.relative * 100)}%`;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  return Number(value.toFixed(digits)).toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function gradeNumeric(value: number, answer: number, tolerance: Tolerance, unit: string | null | undefined): ExactGrade {
  const passed = withinTolerance(value, answer, tolerance);
  return { score: passed ? 1 : 0, passed, hits: passed ? ["answer"] : [], misses: passed ? [] : ["answer"], expected: describeTolerance(answer, tolerance, unit) };
}

/** The order steps are shown in: a shuffle seeded by the drill id, so letters are the same on every run. */
export function displayOrder(id: string, count: number): number[] {
  let seed = 2166136261;
  for (const c of id) seed = Math.imul(seed ^ c.charCodeAt(0), 16777619) >>> 0;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const order = Array.from({ length: count }, (_, i) => i);
  for (let attempt = 0; attempt < 8; attempt++) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    // Never show the steps already in the right order.
    if (order.some((v, i) => v !== i)) break;
  }
  return order;
}

/** The user's order as indexes into the right order; every shown letter exactly once. */
export function parseOrdering(answer: string, shown: readonly number[]): number[] {
  const trimmed = answer.trim().toLowerCase();
  const parts = /^[a-z]+$/.test(trimmed) ? [...trimmed] : trimmed.split(/[\s,;>\-]+/).filter((p) => p.length > 0);
  const last = letter(shown.length - 1);
  const indexes: number[] = [];
  for (const part of parts) {
    const m = /^\(?([a-z])\)?$/.exec(part);
    const at = m ? LETTERS.indexOf(m[1]) : -1;
    if (at < 0 || at >= shown.length) throw new UsageError(`"${part}" is not a step; give every letter from a to ${last} once, in order, e.g. "c,a,b"`);
    indexes.push(shown[at]);
  }
  if (new Set(indexes).size !== indexes.length || indexes.length !== shown.length) {
    throw new UsageError(`give every step letter from a to ${last} exactly once, in your order (got "${answer}")`);
  }
  return indexes;
}

/** The longest common subsequence of two sequences, as the list of shared elements. */
export function longestCommonSubsequence(a: readonly number[], b: readonly number[]): number[] {
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return out;
}

/** Score = LCS length / steps; hits and misses name steps by the letter they were shown with. */
export function gradeOrdering(steps: readonly string[], shown: readonly number[], given: readonly number[]): ExactGrade {
  const right = steps.map((_, i) => i);
  const kept = new Set(longestCommonSubsequence(given, right));
  const letterOf = (step: number) => letter(shown.indexOf(step));
  const score = Math.round((kept.size / steps.length) * 1000) / 1000;
  return {
    score,
    passed: kept.size === steps.length,
    hits: right.filter((i) => kept.has(i)).map(letterOf),
    misses: right.filter((i) => !kept.has(i)).map(letterOf),
    expected: right.map(letterOf).join(","),
  };
}
