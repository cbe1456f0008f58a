// A drill schedule that has lapsed proves as little as none: the backups, the
// tooling and the runbook have all changed since the last restore.
import { formatMs, plural } from "../design.js";
import type { Rule } from "../types.js";
import { DAY_MS, drillDueMs, isoDate } from "./restore-drill.js";

export const restoreDrillOverdue: Rule = {
  id: "restore-drill-overdue",
  severity: "warning",
  description: "The last restore drill plus the drill interval must not lie before today (--today).",
  hint: "Run the restore drill now, measure the restore time against the RTO, and update backups.drill.last; a lapsed schedule means the backups are untested again.",
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
