// The starter design of the "aurora" preset (`repl-lab init --preset aurora`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, syncBlock, threeZones } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "Aurora",
  description: "An Aurora cluster: a writer and two readers in three zones over quorum storage",
  regions: threeZones("a second region for a cross-region copy of the backups"),
  nodes: [
    line("  aurora-a: { zone: us-east/a, role: leader }", "the writer instance"),
    line("  aurora-b: { zone: us-east/b }", "a reader in another zone: a failover target"),
    line("  aurora-c: { zone: us-east/c }", "another reader"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", "one writer; the readers share its storage"),
    ...syncBlock("aurora", "ANY 1 (aurora-b, aurora-c)", {
      block: "the storage acknowledges a write on a quorum across the zones; modelled as a majority of the nodes (the preset fills this in)",
      standbys: "a majority of three: the writer plus one more",
      commit: "durable on the quorum before the ack (preset)",
      strict: "preset (false): the storage quorum does not depend on the readers, so losing them never stops the writer",
      strictDirective: "repl-lab: ignore rpo-zero-degrades-to-async -- the storage keeps six copies whatever the readers do",
      managed: "any copy counts toward the quorum",
    }),
    applyRate("aurora", "writes/s a reader can apply (preset: readers share storage, so they keep up)"),
  ],
  failover: failoverBlock("aurora", {
    mode: "the service promotes a reader",
    detection: ["preset: health checks every 2 s...", "...5 missed before failover starts"],
    coordinator: "the service's control plane, in the region",
    fencing: "the old writer is cut off before a reader takes over (preset)",
    fencingTime: "preset",
    election: "preset: the most up-to-date reader (Aurora also honours promotion tiers)",
    electionTime: "preset",
    maximumLag: "preset",
    promotion: "preset: the reader restarts as the writer",
    endpoint: [
      "the cluster endpoint is a DNS name repointed to the new writer",
      "preset: a short TTL",
      "preset: clients that cache the old address longer...",
      "...and for how long",
    ],
  }),
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: continuous, archive_timeout: 5m, region: us-east }", "continuous backup to S3 in the region; the restorable time is typically within 5 minutes"),
    base: line("  base_backups: { every: 24h, retain: 8d, region: us-east, copy_to: us-west }", "daily snapshots, retention 1-35 days (7 here, plus the snapshot before the window's start), copied to another region"),
    pitr: line("  pitr_window: 7d", "restore to any second inside the retention period"),
  }),
  classes: leaderFollowerClasses(
    { rpo: "0", rto: "1m", note: 'quorum storage loses no acknowledged write; AWS says service returns "typically in under 60 s"' },
    { rto: "5m", note: "commit local: acknowledged before the quorum has it" },
  ),
};
