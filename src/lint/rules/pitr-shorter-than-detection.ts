// Point-in-time restore only helps if the moment before the mistake is still
// in the window when someone notices the mistake.
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const pitrShorterThanDetection: Rule = {
  id: "pitr-shorter-than-detection",
  severity: "warning",
  description: "The PITR window must reach back at least as far as a bad write may go unnoticed (backups.detection).",
  hint: "Make pitr_window at least backups.detection, or keep logical dumps for longer.",
  docs: {
    why:
      "Point-in-time restore only helps if the moment before the mistake is still in the window when someone notices the mistake. " +
      "If a bad write can go unnoticed longer than the window reaches back, the clean state has already left it.",
    fix:
      "Size the PITR window from how long mistakes go unnoticed, not from storage cost: " +
      "set `pitr_window` ≥ `detection`, or keep logical dumps of the critical classes (`backups.logical`) for longer than that.",
    example: {
      bad: [
        "backups:",
        "  pitr_window: 1d",
        "  detection: 2d",
      ],
      good: [
        "backups:",
        "  pitr_window: 7d",
        "  detection: 2d",
      ],
    },
  },
  appliesTo: (t) => t.backups !== null,
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
