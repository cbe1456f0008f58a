// Nobody knows whether a backup restores, or how long a restore takes, until
// someone has restored it; an unrehearsed restore is the one that fails on the
// worst day.
import type { Rule } from "../types.js";

export const restoreDrillMissing: Rule = {
  id: "restore-drill-missing",
  severity: "warning",
  description: "Backups need a scheduled restore drill (backups.drill) with a record of when it last ran.",
  hint: "Schedule a restore drill and record it: drill: { every: 30d, last: YYYY-MM-DD }.",
  docs: {
    why:
      "Nobody knows whether a backup restores, or how long a restore takes, until someone has restored it. " +
      "An unrehearsed restore is the one that fails on the worst day: " +
      "a broken archive, a missing key, a runbook step nobody remembers, a restore time far above the RTO.",
    fix:
      "Schedule a drill (restore into a fresh cluster, run validation queries, time it against the RTO, tear it down) and record it. " +
      "Either keep the date of the last drill in the file, `drill: { every: 30d, last: " +
      "YYYY-MM-DD }` (`restore-drill-overdue` then warns when it lapses), or, when a scheduled job runs the drill and alerts when it fails or does not run, say so: " +
      "`drill: { every: 30d, automated: true }`; its record then lives with the job.",
    example: {
      bad: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "  base_backups: { every: 24h, retain: 30d, region: us-west }",
      ],
      good: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "  base_backups: { every: 24h, retain: 30d, region: us-west }",
        "  drill: { every: 30d, last: 2026-11-01 }",
      ],
    },
  },
  appliesTo: (t) => t.backups !== null,
  check({ topology }) {
    const b = topology.backups;
    // With nothing to restore, no-backups is the finding that matters.
    if (b === null || (b.walArchive.mode === "none" && b.baseBackups === null)) return [];
    if (b.drill === null) {
      return [{ path: ["backups"], key: true, message: "no restore drill is scheduled (backups.drill): nobody knows whether these backups restore, or how long a restore takes" }];
    }
    if (b.drill.last === null && !b.drill.automated) {
      return [
        {
          path: ["backups", "drill"],
          message:
            "a restore drill is planned, but none is recorded (no drill.last) and no job runs it (no automated: true): until one has run, the restore time and the backups themselves are untested",
        },
      ];
    }
    return [];
  },
};
