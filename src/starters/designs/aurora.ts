// The starter design of the "aurora" preset (`repl-lab init --preset aurora`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, threeZones } from "../blocks.js";
import { DEFAULT_FSYNC } from "../../model/presets.js";
import { latency, line } from "../entries.js";

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
    line("  mode: leader-follower", "one writer; the readers share its volume and replay its redo stream asynchronously"),
    line("  # no synchronous standbys: a commit waits for the shared volume's quorum (storage: above), never for the readers"),
    applyRate("aurora", "writes/s a reader can apply (preset: readers share storage, so they keep up)"),
  ],
  storage: [
    line("storage:", "the cluster's shared volume: six copies of every write, two in each of three zones"),
    line(`  fsync: ${latency(DEFAULT_FSYNC)}`, "a storage node's own disk write, ms (built-in default)"),
    line("# a flush (a commit) is durable once four of the six copies have it: the engine adds each copy's round trip"),
    line("# from the writer and waits for the fourth answer, so slow links between zones slow every commit, and a lost"),
    line("# zone leaves four copies that must all answer"),
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
    archive: line("  wal_archive: { mode: continuous, archive_timeout: 5m, region: us-east }", "continuous backup to S3 in the region (the restorable time is typically within 5 minutes); it stays there, so losing the region falls back to the copied snapshot"),
    base: line("  base_backups: { every: 24h, retain: 8d, region: us-east, copy_to: us-west }", "daily snapshots, retention 1-35 days (7 here, plus the snapshot before the window's start), copied to another region"),
    pitr: line("  pitr_window: 7d", "restore to any second inside the retention period"),
  }),
  classes: leaderFollowerClasses(
    { rpo: "0", rto: "1m", note: 'quorum storage loses no acknowledged write; AWS says service returns "typically in under 60 s"' },
    { rto: "5m", commit: "off", note: "commit off: acknowledged before the volume's quorum has it (a writer crash loses its last moments)" },
  ),
};
