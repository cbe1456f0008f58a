// The words of a class's verdict. The engine judges each figure that has a
// target on its own (RPO, write and read RTO, the p99 client, the restore the
// class's data needs); the verdict cell says which part missed, so "met" next
// to a write RTO within target never hides a client tail or a restore over it.
import type { Recovery } from "../../engine/recovery.js";
import type { ClassResult, ClassVerdicts } from "../../engine/result.js";
import { restoreDuration } from "./recovery-words.js";
import { formatCount } from "../common/format.js";

type Part = keyof ClassVerdicts;

/** The parts measured in time against the RTO besides the write RTO. */
const OTHER_RTO_PARTS: Part[] = ["readRto", "p99ClientRto", "restoreRto"];

/** What one missed part says; "" for a part another phrase already covers. */
function missedText(part: Part, v: ClassVerdicts, recovery: Recovery | undefined): string {
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
    case "restoreRto":
      // The rows are back once the merge is done: the total is what missed, said as the recovery section says it.
      if (unrecoverable) return "data unrecoverable";
      return `${recovery.mergeMs ? "restore and merge" : "restore"} ${restoreDuration(recovery.totalMs ?? 0)} missed`;
    case "restoreRpo":
      if (unrecoverable) return v.restoreRto === false ? "" : "data unrecoverable";
      return `restore loses ${formatCount(recovery.lostWrites)} ${recovery.lostWrites === 1 ? "write" : "writes"}`;
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
  if (missed.length === 0) return "met";
  const parts = missed.map((p) => missedText(p, v, recovery)).filter((t) => t !== "");
  if (v.writeRto && missed.some((p) => OTHER_RTO_PARTS.includes(p))) parts.unshift("write RTO met");
  return parts.join(" · ");
}

/** Whether one figure met its target (true when the run has no such figure, or for a live run's classes without verdicts). */
export function partMet(c: ClassResult, part: Part): boolean {
  return c.verdicts ? c.verdicts[part] !== false : true;
}

/** The per-part verdicts as the JSON carries them: true, false, or null where the run has no such figure. */
export function verdictsJson(v: ClassVerdicts): Record<Part, boolean | null> {
  return { rpo: v.rpo, writeRto: v.writeRto, readRto: v.readRto, p99ClientRto: v.p99ClientRto, restoreRto: v.restoreRto, restoreRpo: v.restoreRpo };
}
