// The words of a class's verdict. The engine judges each figure that has a
// target on its own (RPO, write and read RTO, the p99 client, the restore the
// class's data needs); the verdict cell says which part missed, so "met" next
// to a write RTO within target never hides a client tail, some keys out for
// longer, or a restore over it.
import type { Recovery } from "../../engine/recovery.js";
import type { ClassResult, ClassVerdicts } from "../../engine/result.js";
import { judgedKeyOutage } from "../../engine/key-outages.js";
import { restoreDuration } from "./recovery-words.js";
import { formatCount, formatMs } from "../common/format.js";
import { keyShareText } from "./timeline.js";

type Part = keyof ClassVerdicts;

/** The parts measured in time against the RTO besides the write RTO. */
const OTHER_RTO_PARTS: Part[] = ["readRto", "p99ClientRto", "keyRto", "restoreRto"];

/** What one missed part says; "" for a part another phrase already covers. */
function missedText(part: Part, c: ClassResult, recovery: Recovery | undefined): string {
  const v = c.verdicts!;
  const unrecoverable = !recovery || recovery.method === "none" || recovery.totalMs === null;
  switch (part) {
    case "rpo":
      return "RPO missed";
    case "writeRto":
      return "write RTO missed";
    case "readRto":
      return "read RTO missed";
    case "p99ClientRto":
      return "p99 client missed";
    case "keyRto":
      return keyRtoMissedText(c);
    case "restoreRto":
      // The rows are back once the merge is done: the total is what missed, said as the recovery section says it.
      if (unrecoverable) return "data unrecoverable";
      return `${recovery.mergeMs ? "restore and merge" : "restore"} ${restoreDuration(recovery.totalMs ?? 0)} missed`;
    case "restoreRpo":
      if (unrecoverable) return v.restoreRto === false ? "" : "data unrecoverable";
      return `restore loses ${formatCount(recovery.lostWrites)} ${recovery.lostWrites === 1 ? "write" : "writes"}`;
    case "noFaultRejects":
      return `${formatCount(c.rejectedWithoutFault ?? 0)} ${c.rejectedWithoutFault === 1 ? "write" : "writes"} rejected with no fault`;
  }
}

/**
 * "met", or the parts that missed ("RPO missed", "write RTO met · p99 client missed"): when the write RTO met its
 * target and another RTO figure did not, the cell says both, so the table's RTO column cannot read as the verdict.
 */
export function classVerdictText(c: ClassResult, recovery?: Recovery): string {
  const v = c.verdicts;
  if (!v) return c.met ? "met" : "missed";
  const missed = (Object.keys(v) as Part[]).filter((p) => v[p] === false);
  const undecided = undecidedText(c);
  if (missed.length === 0) return undecided ?? "met";
  const parts = missed.map((p) => missedText(p, c, recovery)).filter((t) => t !== "");
  if (v.writeRto === true && missed.some((p) => OTHER_RTO_PARTS.includes(p))) parts.unshift("write RTO met");
  if (undecided !== null) parts.push(undecided);
  return parts.join(" · ");
}

/**
 * "write RTO undecided: not back 5s into the outage when the run ended": the RTO figures the run ended too soon to
 * judge (null: none).
 */
function undecidedText(c: ClassResult): string | null {
  const v = c.verdicts;
  if (!v) return null;
  const names = [v.writeRto === "undecided" ? "write RTO" : null, v.readRto === "undecided" ? "read RTO" : null, v.p99ClientRto === "undecided" ? "p99 client" : null].filter((n) => n !== null);
  if (names.length === 0) return null;
  const openMs = c.rto.writeOpenMs ?? c.rto.readOpenMs;
  const when = openMs === undefined ? "" : `: not back ${formatMs(openMs)} into the outage when the run ended`;
  return `${names.join(", ")} undecided${when}`;
}

/**
 * The RTO cell of an outage the run ended too soon to judge: "> its age so far?" (">5s?"); null when the figure is
 * judged (met or missed). Every format prints this one text.
 */
export function undecidedRtoCell(c: ClassResult, part: "writeRto" | "readRto"): string | null {
  if (c.verdicts?.[part] !== "undecided") return null;
  const openMs = part === "writeRto" ? c.rto.writeOpenMs : c.rto.readOpenMs;
  return openMs === undefined ? null : `>${formatMs(openMs)}?`;
}

/** "RTO missed on 16.2% of keys (30s)": the share of the class's keys out longer than its RTO, and for how long. */
function keyRtoMissedText(c: ClassResult): string {
  const judged = c.keyOutages ? judgedKeyOutage(c.keyOutages, c.verdicts?.readRto !== null) : null;
  if (!judged || !c.keyOutages) return "RTO missed on some keys";
  const { span } = judged;
  return `RTO missed on ${keyShareText(span.keys, c.keyOutages.keys)} of keys (${formatMs(span.ms)}${span.endMs === null ? "+" : ""})`;
}

/** Whether any figure of the class missed its target (not merely undecided: the run ended too soon to judge it). */
export function classMissed(c: ClassResult): boolean {
  return !c.verdicts || Object.values(c.verdicts).some((part) => part === false);
}

/** Whether one figure met its target (true when the run has no such figure, or for a live run's classes without verdicts). */
export function partMet(c: ClassResult, part: Part): boolean {
  return c.verdicts ? c.verdicts[part] !== false : true;
}

/**
 * The per-part verdicts as the JSON carries them: true, false, null where the run has no such figure, or
 * "undecided" for an RTO figure the run ended too soon to judge.
 */
export function verdictsJson(v: ClassVerdicts): Record<Part, boolean | null | "undecided"> {
  return { rpo: v.rpo, writeRto: v.writeRto, readRto: v.readRto, p99ClientRto: v.p99ClientRto, keyRto: v.keyRto, restoreRto: v.restoreRto, restoreRpo: v.restoreRpo, noFaultRejects: v.noFaultRejects };
}
