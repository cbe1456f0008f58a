// A drill schedule that has lapsed proves as little as none: the backups, the
// tooling and the runbook have all changed since the last restore.
import { formatMs, plural } from "../design.js";
import type { Rule } from "../types.js";
import { DAY_MS, drillDueMs, isoDate } from "./restore-drill.js";

export const restoreDrillOverdue: Rule = {
  id: "restore-drill-overdue",
  severity: "warning",
  description: "The last restore drill plus the drill interval must not lie before today (--today).",
  hint: "Run the restore drill, time it against the RTO, and update backups.drill.last.",
  docs: {
    why:
      "A drill schedule that has lapsed proves as little as none: the backups, the tooling and the runbook have all changed since the last restore. " +
      "The rule compares `drill.last` plus `drill.every` with today (`--today` fixes the date, for reproducible CI).",
    fix:
      "Run the restore drill now, measure the restore time against the RTO, and update `backups.drill.last`. " +
      "If a scheduled job runs the drill, say so with `automated: true` and let the job's alerts track it instead of a date in the file.",
    example: {
      bad: [
        "backups:",
        "  drill: { every: 30d, last: 2025-01-10 }   # long ago",
      ],
      good: [
        "backups:",
        "  drill: { every: 30d, last: 2026-11-01 }   # the date of the latest drill",
      ],
    },
  },
  appliesTo: (t) => t.backups?.drill != null,
  check({ topology, today }) {
    const drill = topology.backups?.drill;
    if (!drill || drill.last === null) return [];
    const dueMs = drillDueMs(drill.last, drill.everyMs);
    const lateMs = today.getTime() - dueMs;
    if (lateMs <= 0) return [];
    const days = Math.ceil(lateMs / DAY_MS);
    return [
      {
        path: ["backups", "drill", "last"],
        message: `the last restore drill ran on ${drill.last}; with one due every ${formatMs(drill.everyMs)}, the next was due on ${isoDate(dueMs)} — ${plural(days, "day")} overdue on ${isoDate(today.getTime())}`,
      },
    ];
  },
};
