// Point-in-time restore only helps if the moment before the mistake is still
// in the window when someone notices the mistake.
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const pitrShorterThanDetection: Rule = {
  id: "pitr-shorter-than-detection",
  severity: "warning",
  description: "The PITR window must reach back at least as far as a bad write may go unnoticed (backups.detection).",
  hint:
    "Size the PITR window from how long mistakes go unnoticed, not from storage cost: set pitr_window ≥ detection, " +
    "or keep logical dumps of the critical classes (backups.logical) for longer than that.",
  check({ topology }) {
    const b = topology.backups;
    if (b === null || b.walArchive.mode === "none" || b.pitrWindowMs >= b.detectionMs) return [];
    return [
      {
        path: ["backups", "pitr_window"],
        message: `PITR reaches back ${formatMs(b.pitrWindowMs)}, but a bad write may go unnoticed for ${formatMs(b.detectionMs)} (backups.detection): by the time someone notices, the moment just before it has left the window`,
      },
    ];
  },
};
