// The starter design of the "mysql-semisync" preset (`repl-lab init --preset mysql-semisync`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, lfReplicationNote, syncBlock, threeZones } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "MySQL semi-sync with Orchestrator",
  description: "MySQL with lossless semi-synchronous replication, Orchestrator for failover and ProxySQL in front",
  regions: threeZones("a second region for a disaster-recovery replica and the backups"),
  nodes: [
    line("  db-a: { zone: us-east/a, role: leader }", "the source (primary) at the start"),
    line("  db-b: { zone: us-east/b }", "a semi-sync replica in another zone"),
    line("  db-c: { zone: us-east/c }", "another semi-sync replica"),
    line(
      "  db-dr: { zone: us-west/a, nofailover: true, nosync: true }",
      "async DR replica: its semi-sync plugin is off, so it never sends the ack (nosync), and it is never promoted first (an Orchestrator promotion rule)",
    ),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", lfReplicationNote),
    ...syncBlock("mysql-semisync", "ANY 1 (db-b, db-c)", {
      block: "semi-synchronous replication (rpl_semi_sync_source_enabled: off by default, on here)",
      standbys: "rpl_semi_sync_source_wait_for_replica_count = 1 (MySQL default): one ack from any semi-sync replica",
      commit: "AFTER_SYNC (MySQL 5.7.2+ default wait point): the replica has the event in its relay log",
      strict: "MySQL falls back to async when no ack arrives in time; RPO 0 then holds no longer",
      degrade: "rpl_semi_sync_source_timeout = 10000 ms (MySQL default)",
      managed: "any connected semi-sync replica may send the ack",
    }),
    applyRate("mysql-semisync", "writes/s a replica's applier can replay (preset estimate; measure yours)"),
  ],
  failover: failoverBlock("mysql-semisync", {
    mode: "Orchestrator promotes a replica (automated master recovery must be enabled: it is opt-in)",
    override: { fencing: "stonith", fencingMs: 2000 },
    detection: ["preset: Orchestrator probes every second...", "...and the failure is confirmed within about 5 s (InstancePollSeconds = 5)"],
    coordinator: "where Orchestrator (and its raft or backend database) runs",
    fencing:
      "changed from the preset (none): Orchestrator does not fence the old source by itself; a STONITH hook (or read_only on the old source) must run before promotion",
    fencingTime: "the fencing hook's time (repl-lab's default for STONITH)",
    election: "Orchestrator promotes the most up-to-date replica",
    electionTime: "preset",
    maximumLag: "a replica within it is preferred; with none, Orchestrator promotes the most advanced one anyway (next key)",
    promotion: "preset: stop the replica threads, apply the relay log, reset and open for writes",
    endpoint: [
      "ProxySQL routes writes to the node that is writable",
      "preset: ProxySQL checks the backends every second",
      "preset",
      "one passing check marks the new source up (preset)",
      "three failing checks mark the old one down (preset)",
    ],
  }),
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", "binlogs streamed to another region (e.g. mysqlbinlog --read-from-remote-server --stop-never)"),
    base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly physical backup (e.g. XtraBackup) kept two weeks, in the other region"),
    pitr: line("  pitr_window: 7d", "how far back point-in-time recovery reaches (the default with an archive)"),
  }),
  classes: leaderFollowerClasses(
    {
      rpo: "1m",
      rto: "30s",
      note: "semi-sync loses nothing while acks arrive; after 10 s without one, MySQL commits alone, so this target allows the async lag (strict: true for RPO 0)",
    },
    { rto: "5m", note: "commit local: acknowledged before any replica has it" },
  ),
};
