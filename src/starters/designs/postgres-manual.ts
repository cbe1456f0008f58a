// The starter design of the "postgres-manual" preset (`repl-lab init --preset postgres-manual`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, lfReplicationNote, pgBackups, syncBlock, threeZones } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "plain PostgreSQL (a human fails over)",
  description: "PostgreSQL streaming replication without a failover manager: a paged human promotes a replica",
  regions: threeZones("a second region for a disaster-recovery replica and the backups"),
  nodes: [
    line("  pg-a: { zone: us-east/a, role: leader }", "the primary at the start (default: the first node listed)"),
    line("  pg-b: { zone: us-east/b }", "a streaming replica in another zone"),
    line("  pg-c: { zone: us-east/c }", "another replica, so one synchronous standby may be down"),
    line("  pg-dr: { zone: us-west/a, nofailover: true }", "async DR replica; the runbook never promotes it first"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", lfReplicationNote),
    ...syncBlock("postgres-manual", "ANY 1 (pg-b, pg-c)", {
      block: "synchronous_standby_names is empty (async) by default; set here so orders can have RPO 0",
      standbys: "each commit waits for either in-region replica (ANY 1: a quorum of one)",
      commit: "PostgreSQL's default synchronous_commit: the standby has flushed the WAL to disk",
      strict: "PostgreSQL never drops to async by itself: commits wait until a listed standby is back",
      managed: "no failover manager: the list is static",
    }),
    applyRate("postgres-manual", "writes/s a replica can replay (preset estimate; measure yours)"),
  ],
  failover: failoverBlock("postgres-manual", {
    mode: "no failover manager: an operator promotes a replica (pg_ctl promote) after being paged",
    operator: "preset: time for the on-call engineer to be paged, log in, decide and act",
    detection: ["preset: a monitoring check every 10 s...", "...that pages after 3 misses (30 s)"],
    coordinator: "unused without a failover manager; kept for a later switch to Patroni",
    fencing: "no fencing (preset): the runbook must stop the old primary before promoting, or two primaries accept writes",
    fencingTime: "nothing automatic to wait for",
    election: "the operator picks the replica with the highest replayed LSN",
    electionTime: "preset",
    maximumLag: "a replica further behind than this is not chosen (Patroni's default, kept as a rule of thumb)",
    promotion: "preset: pg_ctl promote, end of recovery and a checkpoint",
    endpoint: [
      "clients find the primary by a DNS name the operator repoints",
      "preset: a 60 s TTL",
      "preset: clients and pools that cache the old address longer...",
      "...and for how long",
    ],
  }),
  backups: backupsBlock(pgBackups()),
  classes: leaderFollowerClasses(
    { rpo: "0", rto: "30m", note: "no acknowledged write lost; a paged human makes failover take about 17 minutes" },
    { rto: "1h", note: "commit local: acknowledged before any replica has it, so a failover may lose the last moments" },
  ),
};
