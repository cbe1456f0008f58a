// Number formatting every report shares: times rounded the way the JSON shows
// them, durations for timelines and table cells, counts and shares. The
// durations come from src/base/units.ts, so a report and a lint message that
// print the same number print it the same way.
import { formatDuration } from "../../base/units.js";

/** Milliseconds to one decimal, the resolution every report prints; null for a missing or infinite value. */
export function roundMs(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const rounded = Math.round(ms * 10) / 10;
  return rounded === 0 ? 0 : rounded; // no -0 in the output
}

/**
 * A clock reading for timelines. Unlike a table cell it never drops precision
 * past a minute: two events at 61 s and 64 s must not both read "1m".
 */
export function formatClock(ms: number): string {
  return formatDuration(ms, { style: "clock" });
}

/**
 * A duration for a table cell; null reads as `nullWord` ("never" for RTO, "–"
 * for latencies nobody measured). Between a minute and an hour it keeps the
 * seconds: an RTO of 61 s against a 1m target must not print as "1m".
 */
export function formatMs(ms: number | null, nullWord = "–"): string {
  if (ms === null || !Number.isFinite(ms)) return ms === null ? nullWord : "never";
  return formatDuration(roundMs(ms) ?? 0, { style: "minutes" });
}

/**
 * A measured duration judged against a target. When the two would print alike yet differ (an RTO of
 * 14,060.9 ms against a 14,050 ms target both read "14.1s"), it prints with every digit the JSON keeps, in the same
 * units as the other cells ("14.0609s", "1m00.0004s"), so that a verdict of "missed" never stands beside two equal
 * figures; `formatTargetBeside` prints the target the same way ("14.05s", and "1m" for exactly a minute).
 */
export function formatVersus(ms: number | null, targetMs: number, nullWord = "–"): string {
  const text = formatMs(ms, nullWord);
  return ms !== null && Number.isFinite(ms) && collides(ms, targetMs) ? formatMsPrecise(ms) : text;
}

/** A target beside the figures judged against it (see formatVersus): with every digit when one of them would print alike. */
export function formatTargetBeside(targetMs: number, measured: readonly (number | null)[]): string {
  return measured.some((ms) => ms !== null && Number.isFinite(ms) && collides(ms, targetMs)) ? formatMsPrecise(targetMs) : formatMs(targetMs);
}

function collides(ms: number, targetMs: number): boolean {
  return roundMs(ms) !== roundMs(targetMs) && formatMs(ms) === formatMs(targetMs);
}

/**
 * A duration in the units formatMs would use (ms, s, then minutes and seconds, then hours), with every digit of its
 * tenth-of-a-millisecond resolution: 14,060.9 ms reads "14.0609s", 60,000.4 ms "1m00.0004s", and a whole minute "1m".
 */
export function formatMsPrecise(ms: number): string {
  const r = roundMs(ms) ?? 0;
  const abs = Math.abs(r);
  const sign = r < 0 ? "-" : "";
  if (abs < 1000) return formatMs(r);
  const seconds = (n: number) => String(Number(n.toFixed(4)));
  if (abs < 60_000) return `${sign}${seconds(abs / 1000)}s`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs - hours * 3_600_000) / 60_000);
  const rest = (abs - hours * 3_600_000 - minutes * 60_000) / 1000;
  const sec = rest === 0 ? "" : `${rest < 10 ? "0" : ""}${seconds(rest)}s`;
  if (hours === 0) return `${sign}${minutes}m${sec}`;
  return `${sign}${hours}h${minutes === 0 && sec === "" ? "" : `${minutes < 10 ? "0" : ""}${minutes}m`}${sec}`;
}

/** A whole number with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A count and its noun, singular for one: "1 trial", "20 trials". */
export function formatCountOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${Math.round(n) === 1 ? "" : "s"}`;
}

/** The seeds of `n` trials from `first` to `last`: "seeds 42..61", or "seed 42" for one. */
export function formatTrialSeeds(first: number, last: number, n: number): string {
  if (n === 1) return `seed ${first}`;
  // Seeds wrap past the largest (2^32 - 1) to 0: say both stretches, never a range that runs backwards.
  return last < first ? `seeds ${first}..${2 ** 32 - 1} and 0..${last}` : `seeds ${first}..${last}`;
}

/** A share (0..1) as a percentage with at most one decimal: 0.997 → "99.7%". */
export function formatShare(share: number): string {
  const fixed = (share * 100).toFixed(1);
  return `${fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed}%`;
}

/**
 * The writes-unavailable total with the number of separate stretches it adds up, when more than one: many short
 * stretches (clients failing on their own while the class kept serving) beside one long outage explain a total
 * far above the RTO.
 */
export function formatUnavailable(totals: { writeUnavailableMs: number; writeUnavailableStretches: number }, format: (ms: number) => string = formatMs): string {
  const n = totals.writeUnavailableStretches;
  return n > 1 ? `${format(totals.writeUnavailableMs)} in ${formatCount(n)} stretches` : format(totals.writeUnavailableMs);
}
