// The starter design of the "dynamo" preset (`repl-lab init --preset dynamo`).
import { PRESETS } from "../../model/presets.js";
import { backupsBlock, type Design, leaderlessClasses, threeZones } from "../blocks.js";
import { line, dur, yes } from "../entries.js";

export const design: Design = {
  system: "Dynamo",
  description: "A Dynamo-style store: N=3, R=2, W=2 over five nodes, sloppy quorum and hinted handoff",
  regions: threeZones("a second region for the backups"),
  nodes: [
    line("  dyn-a: { zone: us-east/a }", "no leader: the first healthy node of a key's preference list coordinates"),
    line("  dyn-b: { zone: us-east/b }", "five nodes on a ring of virtual nodes"),
    line("  dyn-c: { zone: us-east/c }", "spread over three zones"),
    line("  dyn-d: { zone: us-east/a }", "more nodes than N, so a sloppy quorum has stand-ins to write to"),
    line("  dyn-e: { zone: us-east/b }", "a second node in zone b"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: leaderless", "every replica takes writes; a request completes on the first W acks or R replies"),
    line(`  n: ${PRESETS.dynamo.leaderless.n}`, '(N, R, W) = (3, 2, 2): "the common configuration" in the Dynamo paper'),
    line(`  w: ${PRESETS.dynamo.leaderless.w}`, "write acks awaited"),
    line(`  r: ${PRESETS.dynamo.leaderless.r}`, "read replies awaited"),
    line(`  sloppy_quorum: ${yes(PRESETS.dynamo.leaderless.sloppyQuorum)}`, "writes go to the first N healthy nodes, skipping down ones: always writable"),
    line("  hinted_handoff:", "a stand-in keeps a hint naming the intended node and hands the write back on recovery"),
    line(`    window: ${dur(PRESETS.dynamo.leaderless.hintWindowMs)}`, "preset: how long hints are kept (Cassandra's figure; the paper gives none)"),
    line(`  read_repair: ${yes(PRESETS.dynamo.leaderless.readRepair)}`, "a read that sees old versions writes the newest back"),
    line(`  conflict: ${PRESETS.dynamo.leaderless.conflict}`, "concurrent versions are kept and merged by the application (the shopping cart)"),
    line(`  placement: ${PRESETS.dynamo.leaderless.placement}`, "a key's replicas are the first N distinct nodes clockwise on the ring, zones aside"),
    line("  vnodes: 16", "token ranges per node on the ring (built-in default)"),
  ],
  failover: [],
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: periodic, every: 1h, region: us-west }", "changes shipped hourly to another region"),
    base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly snapshot kept two weeks, in the other region"),
    pitr: line("  pitr_window: 7d", "how far back a restore can reach"),
  }),
  classes: leaderlessClasses(
    { rpo: "0", note: "carts: never lose an acknowledged add; a sloppy quorum may read from stand-ins, so reads are only eventually consistent" },
    "per-class r and w of one: the fastest, the least consistent",
    "eventual",
  ),
};
