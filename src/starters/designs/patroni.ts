// The starter design of the "patroni" preset (`repl-lab init --preset patroni`).
import { applyRate, backupsBlock, type Design, failoverBlock, leaderFollowerClasses, lfReplicationNote, pgBackups, syncBlock, threeZones } from "../blocks.js";
import { line } from "../entries.js";

export const design: Design = {
  system: "Patroni",
  description: "PostgreSQL managed by Patroni and etcd: three zones, a DR replica in a second region",
  regions: threeZones("a second region for a disaster-recovery replica and the backups"),
  nodes: [
    line("  pg-a: { zone: us-east/a, role: leader }", "the leader at the start (default: the first node listed)"),
    line("  pg-b: { zone: us-east/b }", "a replica in another zone: a synchronous standby candidate"),
    line("  pg-c: { zone: us-east/c }", "another candidate, so losing one standby does not stop writes"),
    line("  pg-dr: { zone: us-west/a, nofailover: true }", "async DR replica; Patroni's nofailover tag keeps it out of the leader race"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leader-follower", lfReplicationNote),
    ...syncBlock(
      "patroni",
      "ANY 1 (pg-b, pg-c)",
      {
        block: "Patroni synchronous_mode: off (async) by default; on here so orders can have RPO 0 (changed from the preset)",
        standbys: "PostgreSQL synchronous_standby_names: each commit waits for either in-region replica",
        commit: "PostgreSQL's default synchronous_commit: the standby has flushed the WAL to disk",
        strict: "Patroni synchronous_mode_strict defaults to false (degrade to async); true keeps RPO 0 (changed from the preset)",
        managed: "Patroni re-picks the sync standby among healthy replicas, so a spare stands in at once",
      },
      { strict: true },
    ),
    applyRate("patroni", "writes/s a replica can replay (preset estimate; no vendor figure: measure yours)"),
  ],
  failover: failoverBlock("patroni", {
    mode: "Patroni promotes a replica by itself",
    detection: [
      "Patroni default: the leader lock expires 30 s after the last renewal",
      "Patroni default: renewed every 10 s HA cycle, so detection takes 20-30 s",
      "Patroni default; Patroni needs loop_wait + 2 x retry_timeout <= ttl",
    ],
    coordinator: "where the etcd cluster lives (default: the leader's region); a node must reach a majority of it",
    fencing: "the lease is the fence: a leader that cannot renew its lock demotes itself",
    fencingTime: "nothing to wait for beyond the lease (preset)",
    election: "Patroni: the healthy replica with the highest WAL position wins the race",
    electionTime: "the race once the lock is gone: well under a second on loopback (measured)",
    maximumLag: "Patroni default 1048576 bytes: a replica further behind does not run",
    promotion: "promotion plus the first write on the new leader: under a second, measured on loopback",
    endpoint: [
      "HAProxy checking Patroni's REST API (GET /primary answers 200 only on the leader)",
      "Patroni's HAProxy example: inter 3s",
      "how long one check may take (preset)",
      "HAProxy example: rise 2 (two passing checks mark the new leader up)",
      "HAProxy example: fall 3 (three failing checks mark the old one down)",
    ],
  }),
  backups: backupsBlock(pgBackups()),
  classes: leaderFollowerClasses(
    { rpo: "0", rto: "1m", note: "no acknowledged write lost; worst-case failover with the defaults is about 45 s" },
    { rto: "5m", note: "commit local: acknowledged before any replica has it, so a failover may lose the last moments" },
  ),
};
