// The words of an expectation's verdict: what the run measured, as every
// report prints it in the "actual" column. The engine judges and records the
// measurement as data (see Measured in the engine's result types).
import type { ExpectationResult, Measured } from "../../engine/result.js";
import { formatDuration } from "../../base/units.js";
import { formatCount } from "../common/format.js";

/** The "actual" of an expectation, with the Monte Carlo tally when trials failed it. */
export function actualText(e: ExpectationResult): string {
  const text = measuredText(e.measured);
  if (!e.trials) return text;
  return `${text}; failed in ${formatCount(e.trials.failed)}/${formatCount(e.trials.n)} trials (first: seed ${e.trials.firstSeed})`;
}

export function measuredText(m: Measured): string {
  switch (m.kind) {
    case "duration":
      return formatMeasuredMs(m.ms);
    case "never":
      return "never";
    case "undecided":
      return `undecided: not back ${formatMeasuredMs(m.openMs)} into the outage when the run ended`;
    case "nothing":
      return "n/a (nothing measured)";
    case "count":
      return formatCount(m.n);
    case "value":
      return String(m.value);
    case "split-brain":
      return `true (${formatMeasuredMs(m.ms)})`;
    case "rpo":
      return rpoText(m.lostWrites, m.windowMs);
    case "no-drill":
      return "no drill ran";
    case "timeline":
      return timelineText(m);
    case "timeline-empty":
      return "invalid expectation: expected a list of event names";
    case "unknown-field":
      return `unknown expectation "${m.field}"`;
    case "no-class":
      return `no data class "${m.className}" in the result`;
    case "no-recovery":
      return "no recovery in the result (the scenario has no faults)";
    case "error":
      return m.message;
    case "invalid":
      return `${measuredText(m.measured)} (invalid expectation: ${m.message})`;
  }
}

function rpoText(lostWrites: number, windowMs: number): string {
  if (lostWrites === 0 && windowMs === 0) return "0";
  return `${formatMeasuredMs(windowMs)} (${formatCount(lostWrites)} lost write${lostWrites === 1 ? "" : "s"})`;
}

/** Where each expected event was found, in order, and why the first one missing was not. */
function timelineText(m: Measured & { kind: "timeline" }): string {
  const found = m.found.map((f) => `${f.event} ${formatMeasuredMs(f.atMs)}`);
  if (m.missing === null) return found.join(" → ");
  const where = found.length === 0 ? "" : ` after ${found[found.length - 1]}`;
  const reason = m.missing.occursEarlier ? `"${m.missing.event}" not found${where} (it occurs earlier)` : `no "${m.missing.event}" event`;
  return found.length === 0 ? reason : `${found.join(" → ")}; ${reason}`;
}

/**
 * formatDuration, except between a minute and an hour, where it keeps the
 * seconds: an RTO of 61 s checked against "<1m" must not read "1m"; and
 * between an hour and two days, where it keeps the minutes and seconds: a
 * 63-minute restore checked against "<1h" must not read "1h".
 */
export function formatMeasuredMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 3_600_000 && abs < 2 * 86_400_000) {
    const total = Math.round(abs / 1000);
    const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    return `${ms < 0 ? "-" : ""}${hours}h${String(minutes).padStart(2, "0")}m${seconds === 0 ? "" : `${String(seconds).padStart(2, "0")}s`}`;
  }
  if (!(abs >= 60_000 && abs < 3_600_000)) return formatDuration(ms);
  const tenths = Math.round(Math.abs(ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths - minutes * 600) / 10;
  const secondsText = seconds === 0 ? "" : `${seconds < 10 ? "0" : ""}${seconds.toFixed(1).replace(/\.0$/, "")}s`;
  return `${ms < 0 ? "-" : ""}${minutes}m${secondsText}`;
}
