// A point-in-time restore starts from a base backup older than its target and
// replays WAL forward; where no such base backup is kept, the archived WAL
// alone restores nothing.
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const baseRetentionShorterThanPitr: Rule = {
  id: "base-retention-shorter-than-pitr",
  severity: "warning",
  description: "Base backups must be retained at least as long as the PITR window plus one backup interval, or the window's oldest part cannot be restored.",
  hint: "Keep base backups at least pitr_window + every (retain ≥ pitr_window + every).",
  docs: {
    why:
      "A point-in-time restore starts from a base backup older than its target and replays WAL forward. " +
      "Where no such base backup is kept, the archived WAL alone restores nothing: the oldest part of the PITR window is out of reach.",
    fix:
      "Keep base backups at least as long as the PITR window plus one backup interval (retain ≥ pitr_window + every), so that the oldest point in the window always has a base backup before it.",
    example: {
      bad: [
        "backups:",
        "  base_backups: { every: 24h, retain: 3d }",
        "  pitr_window: 7d",
      ],
      good: [
        "backups:",
        "  base_backups: { every: 24h, retain: 8d }",
        "  pitr_window: 7d",
      ],
    },
  },
  appliesTo: (t) => t.backups !== null,
  check({ topology }) {
    const b = topology.backups;
    if (b === null || b.walArchive.mode === "none" || b.pitrWindowMs === 0) return [];
    if (b.baseBackups === null) {
      return [
        {
          path: ["backups", "wal_archive"],
          key: true,
          message: `WAL is archived for point-in-time restore (a ${formatMs(b.pitrWindowMs)} window), but there are no base backups: replaying archived WAL needs a base backup to start from`,
          hint: "Add base backups kept longer than the PITR window, in another region.",
          details: `Add base backups kept longer than the window, e.g. base_backups: { every: 24h, retain: ${formatMs(b.pitrWindowMs + 86_400_000)}, region: <another region> }.`,
        },
      ];
    }
    // The oldest point of the window needs a base backup taken before it, up to one interval earlier.
    const needed = b.pitrWindowMs + b.baseBackups.everyMs;
    if (b.baseBackups.retainMs >= needed) return [];
    const reach = Math.max(0, b.baseBackups.retainMs - b.baseBackups.everyMs);
    return [
      {
        path: ["backups", "base_backups", "retain"],
        message:
          `base backups are kept ${formatMs(b.baseBackups.retainMs)}, taken every ${formatMs(b.baseBackups.everyMs)}, but the PITR window is ${formatMs(b.pitrWindowMs)}: ` +
          `a restore needs a base backup older than its target, so only the last ${formatMs(reach)} to ${formatMs(b.baseBackups.retainMs)} can be reached (keep them ${formatMs(needed)})`,
      },
    ];
  },
};
