// Nobody knows whether a backup restores, or how long a restore takes, until
// someone has restored it; an unrehearsed restore is the one that fails on the
// worst day.
import type { Rule } from "../types.js";

export const restoreDrillMissing: Rule = {
  id: "restore-drill-missing",
  severity: "warning",
  description: "Backups need a scheduled restore drill (backups.drill) with a record of when it last ran.",
  hint:
    "A backup counts only once it has been restored. Schedule a drill — restore into a fresh cluster, run validation queries, time it against the RTO, tear it down — " +
    "and record it: drill: { every: 30d, last: YYYY-MM-DD }.",
  check({ topology }) {
    const b = topology.backups;
    // With nothing to restore, no-backups is the finding that matters.
    if (b === null || (b.walArchive.mode === "none" && b.baseBackups === null)) return [];
    if (b.drill === null) {
      return [{ path: ["backups"], key: true, message: "no restore drill is scheduled (backups.drill): nobody knows whether these backups restore, or how long a restore takes" }];
    }
    if (b.drill.last === null) {
      return [{ path: ["backups", "drill"], message: "a restore drill is planned, but none is recorded (no drill.last): until one has run, the restore time and the backups themselves are untested" }];
    }
    return [];
  },
};
