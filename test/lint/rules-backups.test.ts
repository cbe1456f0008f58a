// Durability rules: replication is not a backup, and an untested backup proves nothing.
import { backupsSameRegion } from "../../src/lint/rules/backups-same-region.js";
import { baseRetentionShorterThanPitr } from "../../src/lint/rules/base-retention-shorter-than-pitr.js";
import { noBackups } from "../../src/lint/rules/no-backups.js";
import { pitrShorterThanDetection } from "../../src/lint/rules/pitr-shorter-than-detection.js";
import { restoreDrillMissing } from "../../src/lint/rules/restore-drill-missing.js";
import { restoreDrillOverdue } from "../../src/lint/rules/restore-drill-overdue.js";
import { at, ruleTester, topology } from "./helpers.js";

const backups = (lines: string) => topology({ backups: `backups:\n${lines}` });
const none = topology({ backups: "" });
const empty = topology({ backups: "backups: { detection: 1d }" });

ruleTester(noBackups, "error", {
  valid: [
    { name: "WAL archive and base backups", yaml: topology() },
    { name: "base backups alone", yaml: backups("  base_backups: { every: 24h, retain: 30d, region: west }") },
  ],
  invalid: [
    { name: "no backups block", yaml: none, findings: [{ line: 1, column: 1, includes: ["no backups: block"] }] },
    { name: "a block with nothing to restore", yaml: empty, findings: [{ ...at(empty, "backups:"), includes: ["neither a WAL archive nor base backups"] }] },
  ],
});

const local = backups("  wal_archive: { mode: continuous, region: east }\n  base_backups: { every: 24h, retain: 30d, region: east }\n  drill: { every: 30d, last: 2026-11-01 }");
const leaderless = topology({
  regions: "regions:\n  east: { zones: [a, b, c] }",
  nodes: "nodes:\n  n1: { zone: east/a }\n  n2: { zone: east/b }\n  n3: { zone: east/c }",
  replication: "replication: { mode: leaderless, n: 3, w: 2, r: 2 }",
  failover: "",
  backups: "backups:\n  wal_archive: { mode: continuous, region: east }\n  base_backups: { every: 24h, retain: 30d, region: east }\n  drill: { every: 30d, last: 2026-11-01 }",
  classes: "data_classes:\n  carts: { rpo: 1m, rto: 1m }",
});
const unset = backups("  wal_archive: { mode: continuous }\n  base_backups: { every: 24h, retain: 30d }\n  drill: { every: 30d, last: 2026-11-01 }");
// One half shipped away, the other beside the data: simulate's region loss finds no way back (found by a review: validate was silent).
const baseLocal = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: east }\n  drill: { every: 30d, last: 2026-11-01 }");
const archiveLocal = backups("  wal_archive: { mode: continuous, region: east }\n  base_backups: { every: 24h, retain: 30d, region: west }\n  drill: { every: 30d, last: 2026-11-01 }");
// Base backups copied out but the archive left behind: the copy has no WAL to replay onto (it was a "valid" case before the review).
const copiedNoArchive = backups("  wal_archive: { mode: continuous, region: east }\n  base_backups: { every: 24h, retain: 30d, region: east, copy_to: west }");
const baseUnset = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d }\n  drill: { every: 30d, last: 2026-11-01 }");

ruleTester(backupsSameRegion, "warning", {
  valid: [
    { name: "archive in another region", yaml: topology() },
    { name: "local base backups copied to another region, the archive there", yaml: backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: east, copy_to: west }") },
    { name: "no backups (no-backups reports it)", yaml: none },
  ],
  invalid: [
    { name: "everything in the leader's region", yaml: local, findings: [{ ...at(local, "region: east", "east"), includes: ["all in east, the leader's region", "losing east"] }] },
    // A design with no leader is not told about "the leader's region" (found by a review).
    { name: "a leaderless design in one region, backups beside it", yaml: leaderless, findings: [{ ...at(leaderless, "region: east", "east"), includes: ["all in east, the only region with nodes", "losing east"] }] },
    { name: "no region stated", yaml: unset, findings: [{ ...at(unset, "backups:", "backups"), includes: ["say no region"] }] },
    { name: "archive elsewhere, base backups in the leader's region", yaml: baseLocal, findings: [{ ...at(baseLocal, "retain: 30d, region: east", "east"), includes: ["base backups are in east", "WAL archive in west nothing to replay onto"] }] },
    { name: "base backups elsewhere, archive in the leader's region", yaml: archiveLocal, findings: [{ ...at(archiveLocal, "region: east", "east"), includes: ["WAL archive is in east", "base backups in west have no WAL to replay"] }] },
    { name: "base backups copied out, the archive left in the leader's region", yaml: copiedNoArchive, findings: [{ ...at(copiedNoArchive, "region: east", "east"), includes: ["WAL archive is in east", "base backups in west have no WAL to replay"] }] },
    { name: "archive elsewhere, base backups with no region", yaml: baseUnset, findings: [{ ...at(baseUnset, "backups:", "backups"), includes: ["base backups say no region", "nothing to replay onto"] }] },
  ],
});

const shortPitr = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: west }\n  pitr_window: 7d\n  detection: 9d\n  drill: { every: 30d, last: 2026-11-01 }");

/** A 7d window claimed with no WAL archive: simulate's bad write finds "point-in-time restore — no WAL archive" and restores a snapshot. */
const noArchive = backups("  wal_archive: { mode: none }\n  base_backups: { every: 24h, retain: 30d, region: west }\n  pitr_window: 7d\n  detection: 2d");

const shortReach = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 3d, region: west }\n  pitr_window: 7d\n  detection: 2.5d");

ruleTester(pitrShorterThanDetection, "warning", {
  valid: [
    { name: "7d window, 2d detection", yaml: topology() },
    { name: "base backups only, no window claimed", yaml: backups("  wal_archive: { mode: none }\n  base_backups: { every: 24h, retain: 30d, region: west }\n  detection: 2d") },
    { name: "detection not stated", yaml: backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: west }") },
  ],
  invalid: [
    { name: "9 days unnoticed, 7 days of PITR", yaml: shortPitr, findings: [{ ...at(shortPitr, "pitr_window: 7d", "7d"), includes: ["back 7d", "unnoticed for 9d"] }] },
    // A 7d window with 3d of daily base backups reaches back only 2d to 3d: a review found the simulator refusing a
    // bad write noticed 2.9d later that this rule passed (it compared pitr_window alone with detection).
    { name: "2.5d unnoticed, 7d window but 3d of base backups", yaml: shortReach, findings: [{ ...at(shortReach, "retain: 3d", "3d"), includes: ["reaches back only 2d to 3d", "not the 7d of pitr_window", "unnoticed for 2.5d"], hintIncludes: ["retain ≥ 3.5d"] }] },
    { name: "a window claimed without a WAL archive", yaml: noArchive, findings: [{ ...at(noArchive, "pitr_window: 7d", "7d"), includes: ["pitr_window claims 7d", "no WAL archive", "newest base backup", "every 24h"], hintIncludes: ["wal_archive"] }] },
  ],
});

const shortRetain = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 3d, region: west }\n  pitr_window: 7d");
const walOnly = backups("  wal_archive: { mode: continuous, region: west }\n  pitr_window: 7d");

const retained = (retain: string) => backups(`  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: ${retain}, region: west }\n  pitr_window: 7d`);

ruleTester(baseRetentionShorterThanPitr, "warning", {
  valid: [
    { name: "30d of base backups for a 7d window", yaml: topology() },
    { name: "no WAL archive, so no PITR window", yaml: backups("  base_backups: { every: 24h, retain: 3d, region: west }") },
    { name: "the window plus one interval: 8d of daily backups for a 7d window", yaml: retained("8d") },
  ],
  invalid: [
    { name: "3d of base backups for a 7d window", yaml: shortRetain, findings: [{ ...at(shortRetain, "retain: 3d", "3d"), includes: ["kept 3d", "PITR window is 7d"] }] },
    // A bad write 6d22h ago needs the backup taken before it, up to a day older: a review found the simulator refusing what the linter passed.
    { name: "retention equal to the window (7d of daily backups for 7d)", yaml: retained("7d"), findings: [{ ...at(retained("7d"), "retain: 7d", "7d"), includes: ["kept 7d", "keep them 8d"] }] },
    { name: "a WAL archive with no base backups", yaml: walOnly, findings: [{ ...at(walOnly, "wal_archive:", "wal_archive"), includes: ["no base backups"], hintIncludes: ["retain: 8d"] }] },
  ],
});

const noDrill = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: west }");
const neverRan = backups("  wal_archive: { mode: continuous, region: west }\n  base_backups: { every: 24h, retain: 30d, region: west }\n  drill: { every: 30d }");

ruleTester(restoreDrillMissing, "warning", {
  valid: [
    { name: "a monthly drill that ran", yaml: topology() },
    { name: "no backups (no-backups reports it)", yaml: none },
  ],
  invalid: [
    { name: "no drill", yaml: noDrill, findings: [{ ...at(noDrill, "backups:", "backups"), includes: ["no restore drill"] }] },
    { name: "a drill that never ran", yaml: neverRan, findings: [{ ...at(neverRan, "{ every: 30d }", "{"), includes: ["none is recorded"] }] },
  ],
});

const lastRun = at(topology(), "last: 2026-11-01", "2026-11-01");

ruleTester(restoreDrillOverdue, "warning", {
  valid: [
    { name: "due 2026-12-01, today 2026-11-26", yaml: topology() },
    { name: "due today", yaml: topology(), today: "2026-12-01" },
    { name: "no date recorded (restore-drill-missing reports it)", yaml: neverRan },
  ],
  invalid: [
    { name: "one day late", yaml: topology(), today: "2026-12-02", findings: [{ ...lastRun, includes: ["due on 2026-12-01", "1 day overdue"] }] },
    { name: "months late", yaml: topology(), today: "2027-03-01", findings: [{ ...lastRun, includes: ["every 30d", "90 days overdue on 2027-03-01"] }] },
  ],
});
