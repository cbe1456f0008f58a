// The starter design of the "cassandra" preset (`repl-lab init --preset cassandra`).
import { PRESETS } from "../../model/presets.js";
import { backupsBlock, type Design, leaderlessClasses, threeZones } from "../blocks.js";
import { line, dur, yes } from "../entries.js";

export const design: Design = {
  system: "Cassandra",
  description: "A Cassandra data center of three nodes in three racks (zones), RF 3 with LOCAL_QUORUM",
  regions: threeZones("a second region for the backups"),
  nodes: [
    line("  cass-a: { zone: us-east/a }", "no leader: any node coordinates any request"),
    line("  cass-b: { zone: us-east/b }", "one node per zone (rack), as NetworkTopologyStrategy places replicas"),
    line("  cass-c: { zone: us-east/c }", "three racks: losing one leaves two replicas of every key"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leaderless", "every replica takes writes; the client's consistency level decides when a request is done"),
    line(`  n: ${PRESETS.cassandra.leaderless.n}`, "replication factor 3 per data center: the usual choice (Cassandra has no server default)"),
    line(`  w: ${PRESETS.cassandra.leaderless.w}`, "LOCAL_QUORUM writes: floor(3/2) + 1 = 2 acks"),
    line(`  r: ${PRESETS.cassandra.leaderless.r}`, "LOCAL_QUORUM reads: 2 replies, so every read overlaps the last write (R + W > N)"),
    line(`  sloppy_quorum: ${yes(PRESETS.cassandra.leaderless.sloppyQuorum)}`, "Cassandra counts only the real replicas toward a quorum; hints do not count"),
    line("  hinted_handoff:", "a coordinator keeps writes for a down replica and replays them when it returns"),
    line(`    window: ${dur(PRESETS.cassandra.leaderless.hintWindowMs)}`, "max_hint_window: 3h (cassandra.yaml default); a longer outage needs a repair"),
    line(`  read_repair: ${yes(PRESETS.cassandra.leaderless.readRepair)}`, "read_repair = BLOCKING, the table default since 4.0"),
    line(`  conflict: ${PRESETS.cassandra.leaderless.conflict}`, "last write wins, by cell timestamp"),
    line(`  placement: ${PRESETS.cassandra.leaderless.placement}`, "NetworkTopologyStrategy: a key's replicas go to distinct racks (zones) first"),
    line("  vnodes: 16", "token ranges per node on the ring (built-in default)"),
  ],
  failover: [],
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: periodic, every: 1h, region: us-west }", "incremental backups (new SSTables) shipped hourly to another region"),
    base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly nodetool snapshot kept two weeks, in the other region"),
    pitr: line("  pitr_window: 7d", "how far back a restore can reach"),
  }),
  classes: leaderlessClasses(
    {
      // Not RPO 0: last-write-wins silently drops one of two concurrent writes to a row, both acknowledged (leaderless-lww-rpo-zero).
      rpo: "1s",
      note: "LOCAL_QUORUM both ways, one node may be down. RPO 1s, not 0: last-write-wins keeps one of two concurrent writes to a row",
    },
    "per-class r and w: ONE for both (cqlsh's default level), fast but may read stale data",
    "strong",
  ),
};
