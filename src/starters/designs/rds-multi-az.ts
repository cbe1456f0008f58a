// The starter design of the "rds-multi-az" preset (`repl-lab init --preset rds-multi-az`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, syncBlock } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "RDS Multi-AZ",
  description: "An RDS Multi-AZ instance deployment: a primary and one synchronous standby in another zone",
  regions: [
    line("regions:", "regions and their availability zones; nodes are placed as region/zone"),
    line("  us-east: { zones: [a, b] }", "the home region: the primary's zone and the standby's"),
    line("  us-west: { zones: [a] }", "a second region for a cross-region copy of the backups"),
  ],
  nodes: [
    line("  db-a: { zone: us-east/a, role: leader }", "the primary instance"),
    line("  db-b: { zone: us-east/b }", "the standby in another zone: not readable, there only for failover"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", "the primary replicates synchronously to its standby"),
    ...syncBlock(
      "rds-multi-az",
      "ANY 1 (db-b)",
      {
        block: "synchronous replication to the standby (the preset fills this in when left out)",
        standbys: "the one standby",
        commit: "the standby has the write on disk before the commit returns (preset)",
        strict: "preset (false): RDS keeps the primary writing while it replaces a lost standby, so RPO 0 holds only while a standby is in sync",
        degrade: "preset: no wait before writing alone",
        managed: "preset",
        strictDirective: "repl-lab: ignore rpo-zero-degrades-to-async -- accepted: one standby, and RDS writes on without it",
      },
      { strict: false },
    ),
    applyRate("rds-multi-az", "writes/s the standby can apply (preset estimate)"),
  ],
  failover: failoverBlock("rds-multi-az", {
    mode: "RDS fails over to the standby by itself",
    detection: ["preset: health checks every 5 s...", "...6 missed (30 s) before failover starts"],
    coordinator: "the service's control plane, in the region",
    fencing: "the old primary is cut off before the standby takes over (preset)",
    fencingTime: "preset",
    election: "there is only one candidate",
    electionTime: "preset",
    maximumLag: "preset",
    promotion: "preset: crash recovery on the standby before it opens",
    endpoint: [
      "the instance endpoint is a DNS name repointed to the standby",
      "preset: a short TTL",
      "preset: clients that cache the old address longer...",
      "...and for how long",
    ],
  }),
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: periodic, every: 5m, region: us-east }", "transaction logs go to S3 about every 5 minutes (the latest restorable time), in the region unless cross-region backup replication is on"),
    base: line("  base_backups: { every: 24h, retain: 8d, region: us-east, copy_to: us-west }", "daily snapshots, retention 7 days (the console default) plus the snapshot before the window's start, copied to another region"),
    pitr: line("  pitr_window: 7d", "restore to any second inside the retention period"),
  }),
  classes: leaderFollowerClasses(
    {
      rpo: "0",
      rto: "2m30s",
      note:
        'RPO 0 while the standby is in sync. RTO 2m30s, not 2m: AWS documents failover as "typically 60-120 s", and the clients ' +
        "that cache the old address for up to 60 s (over 1% of them: the p99 client) reconnect only after that",
    },
    { rto: "5m", note: "commit local: acknowledged before the standby has it" },
  ),
};
