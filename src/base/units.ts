// Parsers for the value syntaxes of the file formats: durations, sizes, throughputs,
// shares and PostgreSQL's synchronous_standby_names. Each returns a typed value
// or a message saying what was expected, so the schema can report it in place.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The durations a field takes, for the examples its messages offer: `min` 0 (the default) takes the number 0. */
export interface DurationRange {
  min?: number;
  max?: number;
}

/** The examples a message offers, in order; the wider list when fewer than three of these fit a field's range. */
const DURATION_EXAMPLES: readonly (readonly [string, number])[] = [["500ms", 500], ["30s", 30_000], ["5m", 300_000], ["1h", 3_600_000], ["7d", 604_800_000]];
const MORE_DURATION_EXAMPLES: readonly (readonly [string, number])[] = [["1ms", 1], ["100ms", 100], ["500ms", 500], ["5s", 5_000], ["30s", 30_000], ["5m", 300_000], ["1h", 3_600_000], ["7d", 604_800_000]];

/** Example durations, each one a field of `range` takes: a hint never offers a value that would itself be refused. */
export function durationExamples(range: DurationRange = {}): string[] {
  const min = range.min ?? 0;
  const max = range.max ?? Infinity;
  const fit = (list: typeof DURATION_EXAMPLES) => list.filter(([, ms]) => ms >= min && ms <= max).map(([text]) => text);
  const examples = fit(DURATION_EXAMPLES);
  return examples.length >= 3 ? examples : fit(MORE_DURATION_EXAMPLES).slice(-3);
}

/** What a duration of `range` is expected to look like: its examples, and the number 0 where 0 is taken. */
export function expectedDuration(range: DurationRange = {}): string {
  const examples = durationExamples(range).map((text) => `"${text}"`);
  const list = examples.length > 1 ? `${examples.slice(0, -1).join(", ")} or ${examples[examples.length - 1]}` : examples.join("");
  return `expected a duration with a unit such as ${list}${(range.min ?? 0) <= 0 ? " (or the number 0)" : ""}`;
}

/**
 * "500ms", "30s", "1.5m", "1h", "7d", "1h30m", or the number 0. Result in milliseconds. `range` words the message
 * only (its examples); the bounds themselves are checked by the caller.
 */
export function parseDuration(input: unknown, range: DurationRange = {}): Parsed<number> {
  const expected = expectedDuration(range);
  if (input === 0) return { ok: true, value: 0 };
  if (typeof input === "number") return { ok: false, message: `${expected}; got the bare number ${input} — add a unit` };
  if (typeof input !== "string") return { ok: false, message: `${expected}; got ${describe(input)}` };
  const text = input.trim();
  if (text === "0") return { ok: true, value: 0 };
  const part = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d|w)/y;
  let total = 0;
  let index = 0;
  let parts = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) return { ok: false, message: `${expected}; got "${input}"` };
    total += Number(match[1]) * DURATION_UNITS[match[2]];
    index = part.lastIndex;
    parts++;
  }
  if (parts === 0) return { ok: false, message: `${expected}; got "${input}"` };
  return { ok: true, value: total };
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** "1KB", "16MB", "500GB", "2TB" (binary units, as PostgreSQL and Patroni use them), or a byte count. */
export function parseSize(input: unknown): Parsed<number> {
  const expected = `expected a size such as "1KB", "1MB" or "500GB" (binary units: 1MB = 1,048,576 bytes) or a byte count`;
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return { ok: true, value: input };
    return { ok: false, message: `${expected}; got ${input}` };
  }
  if (typeof input !== "string") return { ok: false, message: `${expected}; got ${describe(input)}` };
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!match) return { ok: false, message: `${expected}; got "${input}"` };
  const unit = (match[2] || "b").toLowerCase();
  const factor = SIZE_UNITS[unit];
  if (factor === undefined) return { ok: false, message: `${expected}; "${match[2]}" is not a size unit` };
  return { ok: true, value: Math.round(Number(match[1]) * factor) };
}

/** "200MB/s" → bytes per second. */
export function parseThroughput(input: unknown): Parsed<number> {
  const expected = `expected a throughput such as "200MB/s" or "1GB/s"`;
  if (typeof input !== "string") return { ok: false, message: `${expected}; got ${describe(input)}` };
  // No regular expression here: a lazy `(.+?)\s*\/` backtracks quadratically on long runs of spaces.
  const slash = input.lastIndexOf("/");
  if (slash < 0 || input.slice(slash + 1).trim() !== "s") return { ok: false, message: `${expected}; got "${input}"` };
  const size = parseSize(input.slice(0, slash));
  if (!size.ok) return { ok: false, message: `${expected}; got "${input}"` };
  return size;
}

/** 0.4 or "40%" → 0.4. */
export function parseShare(input: unknown): Parsed<number> {
  const expected = `expected a share: a fraction from 0 to 1 (0.4) or a percentage ("40%")`;
  let value: number;
  if (typeof input === "number") value = input;
  else if (typeof input === "string" && /^\s*\d+(?:\.\d+)?\s*%\s*$/.test(input)) value = Number(input.trim().slice(0, -1)) / 100;
  else return { ok: false, message: `${expected}; got ${describe(input)}` };
  if (!(value >= 0 && value <= 1)) return { ok: false, message: `${expected}; got ${JSON.stringify(input)}` };
  return { ok: true, value };
}

export interface SyncStandbys {
  method: "first" | "any";
  count: number;
  names: string[];
}

/**
 * PostgreSQL's synchronous_standby_names: "FIRST n (a, b)", "ANY n (a, b)",
 * "n (a, b)" (= FIRST n) or a bare list "a, b" (= FIRST 1).
 */
export function parseSyncStandbys(input: unknown): Parsed<SyncStandbys> {
  const expected = `expected PostgreSQL synchronous_standby_names syntax: "FIRST n (a, b)", "ANY n (a, b)" or a list of node names`;
  if (Array.isArray(input) && input.every((name) => typeof name === "string")) {
    const names = input.map((n) => n.trim());
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (names.length === 0) return { ok: false, message: `${expected}; the list is empty` };
    if (repeated !== undefined) return { ok: false, message: `the list names "${repeated}" twice; list each standby once` };
    return { ok: true, value: { method: "first", count: 1, names } };
  }
  if (typeof input !== "string") return { ok: false, message: `${expected}; got ${describe(input)}` };
  const text = input.trim();
  const full = /^(?:(FIRST|ANY)\s+)?(\d+)\s*\(([^()]*)\)$/i.exec(text);
  let method: "first" | "any" = "first";
  let count = 1;
  let list: string;
  if (full) {
    method = (full[1] ?? "FIRST").toLowerCase() as "first" | "any";
    count = Number(full[2]);
    list = full[3];
  } else if (/^[\w.-]+(\s*,\s*[\w.-]+)*$/.test(text)) {
    list = text;
  } else {
    return { ok: false, message: `${expected}; got "${input}"` };
  }
  const names = list.split(",").map((n) => n.trim().replace(/^"|"$/g, "")).filter((n) => n.length > 0);
  if (names.length === 0) return { ok: false, message: `${expected}; the list of standbys is empty` };
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) return { ok: false, message: `"${input}" names "${repeated}" twice; list each standby once` };
  if (count < 1) return { ok: false, message: `the number of synchronous standbys must be at least 1; got ${count}` };
  if (count > names.length) {
    return { ok: false, message: `"${input}" asks for ${count} synchronous standbys but lists only ${names.length}` };
  }
  return { ok: true, value: { method, count, names } };
}

/**
 * How a duration reads. The styles differ in rounding because their readers
 * differ: a table cell wants a short value, a timeline must not merge two
 * events a few seconds apart, a file must read back exactly.
 *
 * - short (the default): one unit, one decimal: "950ms", "9.4s", "1.5m", "2h", "7d".
 * - clock: a timeline's clock; never drops precision past a minute ("1m04s",
 *   "1h02m05s"), tenths of a second below it, milliseconds below a second. It
 *   reads the magnitude only: a caller that shows a sign adds it.
 * - minutes: short, except between a minute and an hour, where the seconds
 *   stay ("1m01s"): an RTO of 61 s against a 1m target must not print as "1m".
 * - seconds: milliseconds below a second, else seconds with one decimal
 *   ("12.0s", "75.3s"), as a measured interval on a live cluster reads.
 * - milliseconds: a plain count of milliseconds to about three significant
 *   digits ("0.655 ms", "1.96 ms", "1364 ms"); `unit: false` leaves off " ms".
 * - exact: the largest unit that divides the value evenly ("90s", "1500ms", "7d"),
 *   so that the file loader reads it back to the same number of milliseconds.
 * - sentence: exact enough to add up in a lint message: "0s", "200ms", "9.5s",
 *   "5m40.2s", "1h30m", "7d".
 * - parts: every unit that is there, largest first, nothing rounded ("6h1ms",
 *   "1m30s", "0.0001ms"): a message that compares a value with a limit must not
 *   make them look equal.
 * - timing: the failover-timing model's budget lines: "0s", "950ms", seconds up
 *   to two minutes ("119.5s"), then minutes to a tenth ("2.5m").
 */
export interface DurationFormat {
  style?: "short" | "clock" | "minutes" | "seconds" | "milliseconds" | "exact" | "sentence" | "timing" | "parts";
  /** For the milliseconds style: append " ms" (the default) or not. */
  unit?: boolean;
}

export function formatDuration(ms: number, format: DurationFormat = {}): string {
  // A NaN here is a bug upstream (a division by a period of 0 once printed "NaNd" budgets): fail loudly, never print it.
  if (Number.isNaN(ms)) throw new Error("assertion: a duration that is not a number reached formatDuration");
  switch (format.style ?? "short") {
    case "short":
      return shortDuration(ms);
    case "clock":
      return clockDuration(ms);
    case "minutes":
      return Math.abs(ms) >= 60_000 && Math.abs(ms) < 3_600_000 ? `${ms < 0 ? "-" : ""}${clockDuration(ms)}` : shortDuration(ms);
    case "seconds":
      return ms < 1000 ? `${Math.round(ms)}ms` : `${(Math.round(ms / 100) / 10).toFixed(1)}s`;
    case "milliseconds":
      return format.unit === false ? significantMs(ms) : `${significantMs(ms)} ms`;
    case "exact":
      return exactDuration(ms);
    case "sentence":
      return sentenceDuration(ms);
    case "timing":
      return timingDuration(ms);
    case "parts":
      return partsDuration(ms);
  }
}

const PARTS: [string, number][] = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]];

function partsDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 0) return `-${partsDuration(-ms)}`;
  let rest = ms;
  let out = "";
  for (const [unit, size] of PARTS) {
    const whole = Math.floor(rest / size);
    if (whole > 0) {
      out += `${whole}${unit}`;
      rest -= whole * size;
    }
  }
  // What is left is below a second: milliseconds, with the fraction as written (to 12 significant digits, dropping float noise).
  if (rest > 0) out += `${Number(rest.toPrecision(12))}ms`;
  return out;
}

/** Rounds to a tenth as a number, so that 9.50 prints "9.5" and 9.0 prints "9". */
const tenth = (value: number) => Math.round(value * 10) / 10;

function sentenceDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${tenth(ms)}ms`;
  if (ms < 60_000) return `${tenth(ms / 1000)}s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = tenth((ms - minutes * 60_000) / 1000);
    return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
  }
  if (ms < 2 * 86_400_000) {
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.round((ms - hours * 3_600_000) / 60_000);
    return minutes === 0 ? `${hours}h` : `${hours}h${minutes}m`;
  }
  return `${tenth(ms / 86_400_000)}d`;
}

function timingDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${tenth(ms)}ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10}s`;
  return `${Math.round(ms / 6000) / 10}m`;
}

function shortDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "∞";
  if (ms === 0) return "0";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 1) return `${sign}${round(abs, 2)}ms`;
  if (abs < 1000) return `${sign}${round(abs, 1)}ms`;
  if (abs < 60_000) return `${sign}${round(abs / 1000, 1)}s`;
  if (abs < 3_600_000) return `${sign}${round(abs / 60_000, 1)}m`;
  if (abs < 86_400_000 * 2) return `${sign}${round(abs / 3_600_000, 1)}h`;
  return `${sign}${round(abs / 86_400_000, 1)}d`;
}

function clockDuration(ms: number): string {
  // Round once, up front, so that 999.96 ms reads "1s" and 59.96 s reads "1m", never "1000ms" or "60s".
  const abs = Math.round(Math.abs(ms) * 10) / 10;
  if (abs === 0) return "0";
  if (abs < 1000) return shortDuration(abs);
  const tenths = Math.round(abs / 100);
  // Tenths of a second: the failover story reads in phases of seconds; --json keeps the exact times.
  if (tenths < 600) return `${round(tenths / 10, 1)}s`;
  if (tenths < 36_000) {
    const minutes = Math.floor(tenths / 600);
    const seconds = (tenths - minutes * 600) / 10;
    return `${minutes}m${seconds === 0 ? "" : `${seconds < 10 ? "0" : ""}${round(seconds, 1)}s`}`;
  }
  const total = Math.round(abs / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}h${String(minutes).padStart(2, "0")}m${seconds === 0 ? "" : `${String(seconds).padStart(2, "0")}s`}`;
}

function significantMs(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1) return round(ms, 3);
  if (ms < 10) return round(ms, 2);
  if (ms < 100) return round(ms, 1);
  return ms.toFixed(0);
}

const EXACT_UNITS: [string, number][] = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]];

function exactDuration(ms: number): string {
  if (ms === 0) return "0";
  for (const [unit, size] of EXACT_UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const EXACT_SIZES: [string, number][] = [["TB", 1024 ** 4], ["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]];

/**
 * A size in binary units with one decimal ("1.5MB"); with `exact`, the largest
 * unit that divides it evenly, or the bare byte count, so a file reads back the same.
 */
export function formatSize(bytes: number, options: { exact?: boolean } = {}): string {
  if (options.exact) {
    for (const [unit, factor] of EXACT_SIZES) if (bytes % factor === 0) return `${bytes / factor}${unit}`;
    return `${bytes}`;
  }
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${round(value, 1)}${units[unit]}`;
}

function round(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

/** Whether `text` is a day of the calendar written YYYY-MM-DD (2024-02-29 is, 2024-02-30 is not: Date.parse rolls it over). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCFullYear() === Number(m[1]) && day.getUTCMonth() === Number(m[2]) - 1 && day.getUTCDate() === Number(m[3]);
}
