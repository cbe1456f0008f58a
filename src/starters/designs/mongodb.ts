// The starter design of the "mongodb" preset (`repl-lab init --preset mongodb`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, syncBlock, threeZones } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "MongoDB",
  description: "A MongoDB replica set of three members in three zones, writing with w: majority",
  regions: threeZones("a second region for the backups"),
  nodes: [
    line("  mongo-a: { zone: us-east/a, role: leader }", "the primary at the start"),
    line("  mongo-b: { zone: us-east/b }", "a secondary in another zone"),
    line("  mongo-c: { zone: us-east/c }", "a secondary in the third zone: any two members are a majority"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", "one primary replicates its oplog to the secondaries"),
    ...syncBlock("mongodb", "ANY 1 (mongo-b, mongo-c)", {
      block: 'write concern w: "majority", the implicit default since MongoDB 5.0 (the preset fills this in when left out)',
      standbys: "a majority of three is the primary plus either secondary",
      commit: "acknowledged once a majority has the write durably (preset)",
      strict: "a majority write waits rather than succeeding on fewer members (no wtimeout)",
      managed: "any secondary counts toward the majority",
    }),
    applyRate("mongodb", "writes/s a secondary can apply (preset estimate; measure yours)"),
  ],
  failover: failoverBlock("mongodb", {
    mode: "the members elect a new primary among themselves",
    detection: ["MongoDB default: members send heartbeats every 2 s (heartbeatIntervalMillis)", "electionTimeoutMillis = heartbeat x misses = 10000 (default); to change the heartbeat alone, keep the product"],
    fencing: "a primary that cannot see a majority steps down by itself",
    fencingTime: "nothing to wait for beyond the step-down",
    election: "a member needs the votes of a majority, each for a candidate at least as up to date as itself",
    electionTime: "preset: the vote itself; the median failover is documented to stay under about 12 s",
    promotion: "preset: catch-up and the step to primary",
    endpoint: [
      "drivers monitor the members and send writes to the primary they discover",
      "preset: how often a driver rechecks after an error",
      "preset",
      "one successful check finds the new primary (preset)",
      "three failed checks drop the old one (preset)",
    ],
  }),
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", "the oplog shipped to another region (continuous backup, e.g. a backup agent)"),
    base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly snapshot kept two weeks, in the other region"),
    pitr: line("  pitr_window: 7d", "how far back point-in-time recovery reaches (the default with an archive)"),
  }),
  classes: leaderFollowerClasses(
    { rpo: "0", rto: "30s", note: "w: majority loses no acknowledged write; worst-case failover is about 18 s" },
    { rto: "5m", note: "commit local = w: 1, acknowledged by the primary alone" },
  ),
};
