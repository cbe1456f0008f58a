// Point-in-time restore only helps if the moment before the mistake is still
// in the window when someone notices the mistake.
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const pitrShorterThanDetection: Rule = {
  id: "pitr-shorter-than-detection",
  severity: "warning",
  description: "Point-in-time restore (the PITR window, bounded by the base backups' retention) must reach back at least as far as a bad write may go unnoticed (backups.detection).",
  hint: "Make pitr_window at least backups.detection, or keep logical dumps for longer.",
  docs: {
    why:
      "Point-in-time restore only helps if the moment before the mistake is still in the window when someone notices the mistake. " +
      "If a bad write can go unnoticed longer than the window reaches back, the clean state has already left it. " +
      "The window reaches back no further than the oldest base backup still kept, whatever `pitr_window` says: a replay starts from a base backup older than its target, and the WAL before the oldest one expires with the older backups. " +
      "Without a WAL archive there is no window at all: a restore reaches only the newest base backup before the mistake.",
    fix:
      "Size the PITR window from how long mistakes go unnoticed, not from storage cost: " +
      "set `pitr_window` ≥ `detection` and keep base backups at least `detection` + `every`, or keep logical dumps of the critical classes (`backups.logical`) for longer than that.",
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
    if (b === null) return [];
    if (b.walArchive.mode === "none") {
      // Without an archive a window is only a claim (the resolver gives 0 unless pitr_window is written out).
      if (b.pitrWindowMs === 0) return [];
      const base = b.baseBackups === null ? "and there are no base backups either: nothing can be restored" : `so a restore reaches only the newest base backup before the bad write (one is taken every ${formatMs(b.baseBackups.everyMs)}), losing the writes since it`;
      return [
        {
          path: ["backups", "pitr_window"],
          message: `pitr_window claims ${formatMs(b.pitrWindowMs)}, but there is no WAL archive (wal_archive mode none): point-in-time restore reaches back nothing, ${base}`,
          hint: "Archive WAL (wal_archive: { mode: continuous, region: R }) or drop the pitr_window claim.",
        },
      ];
    }
    // The reach is the smaller of the window and the oldest base backup still kept (the WAL before it expires with
    // the older backups): between retain − every and retain old, so retain − every is what is sure to be reached.
    const bb = b.baseBackups;
    const sure = bb === null ? b.pitrWindowMs : Math.min(b.pitrWindowMs, Math.max(0, bb.retainMs - bb.everyMs));
    if (sure >= b.detectionMs) return [];
    const reach =
      bb !== null && sure < b.pitrWindowMs
        ? `PITR reaches back only ${formatMs(sure)} to ${formatMs(Math.min(b.pitrWindowMs, bb.retainMs))}, not the ${formatMs(b.pitrWindowMs)} of pitr_window (base backups are kept ${formatMs(bb.retainMs)}, taken every ${formatMs(bb.everyMs)}: the WAL before the oldest one expires with the older backups)`
        : `PITR reaches back ${formatMs(b.pitrWindowMs)}`;
    return [
      {
        path: bb !== null && sure < b.pitrWindowMs ? ["backups", "base_backups", "retain"] : ["backups", "pitr_window"],
        message: `${reach}, but a bad write may go unnoticed for ${formatMs(b.detectionMs)} (backups.detection): by the time someone notices, the moment just before it has left the window`,
        ...(bb !== null && sure < b.pitrWindowMs ? { hint: b.pitrWindowMs < b.detectionMs ? `Raise pitr_window to ${formatMs(b.detectionMs)} and retain to ${formatMs(b.detectionMs + bb.everyMs)}, or keep dumps longer.` : `Keep base backups for detection + every (retain ≥ ${formatMs(b.detectionMs + bb.everyMs)}), or dumps for longer.` } : {}),
      },
    ];
  },
};
