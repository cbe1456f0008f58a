// The starter topologies of `repl-lab init`, one data module per preset in
// designs/. Every key is written out with the value the preset (or a built-in
// default) would give it anyway, and a comment saying what the key does and
// where the number comes from (the systems' documentation and measurements on
// a live cluster); where a starter departs from a system's default to make a
// sound design, the comment says so.
import { DEFAULT_FSYNC, PRESETS, type PresetName } from "../model/presets.js";
import { presetNames } from "../model/schema.js";
import { network, type Design } from "./blocks.js";
import { blank, comment, latency, line, render, type Entry } from "./entries.js";
import { design as patroni } from "./designs/patroni.js";
import { design as postgresManual } from "./designs/postgres-manual.js";
import { design as mysqlSemisync } from "./designs/mysql-semisync.js";
import { design as mongodb } from "./designs/mongodb.js";
import { design as cassandra } from "./designs/cassandra.js";
import { design as dynamo } from "./designs/dynamo.js";
import { design as aurora } from "./designs/aurora.js";
import { design as rdsMultiAz } from "./designs/rds-multi-az.js";
import { design as etcdRaft } from "./designs/etcd-raft.js";

const DESIGNS: Record<PresetName, Design> = {
  patroni,
  "postgres-manual": postgresManual,
  "mysql-semisync": mysqlSemisync,
  mongodb,
  cassandra,
  dynamo,
  aurora,
  "rds-multi-az": rdsMultiAz,
  "etcd-raft": etcdRaft,
};

export function starterTopology(name: PresetName): string {
  const design = DESIGNS[name];
  const p = PRESETS[name];
  const entries: Entry[] = [
    comment(`A starter topology for repl-lab, from the "${name}" preset: ${p.summary}.`),
    comment(`The numbers follow ${p.version}.`),
    comment(""),
    comment(
      "Only kind, name, regions, nodes, replication.mode and data_classes are required. The other keys are written out " +
        "with a comment on what each does and where its number comes from: the system's documented default, the preset " +
        "(repl-lab's model of the system, which a key left out takes), repl-lab's built-in default, or a choice made for " +
        'this design. "Changed from the preset" marks where the starter departs from the system\'s default to make a sound design.',
    ),
    comment(
      "Sources for the numbers: the systems' own code and documentation, summarised in repl-lab's docs/file-format.md (presets table).",
    ),
    comment(`Check it with \`repl-lab validate FILE\`; simulate it by naming it in a scenario's \`topology:\` key.`),
    blank,
    line("kind: topology", "this file describes a topology (the other kinds: scenario, latency)"),
    line(`name: ${name}-starter`, "a name for reports: letters, digits, '-', '_', '.'"),
    line(`description: ${JSON.stringify(design.description)}`, "free text, shown in reports"),
    line(`preset: ${name}`, `every key left out takes ${design.system}'s default`),
    line(`# (other presets: ${presetNames.filter((n) => n !== name).join(", ")})`),
    blank,
    ...design.regions,
    blank,
    ...network(),
    blank,
    ...(design.storage ?? [line("storage:", "the nodes' disks"), line(`  fsync: ${latency(DEFAULT_FSYNC)}`, "time to flush a write to local disk, ms (built-in default)")]),
    blank,
    line("nodes:", "every database node: its zone (region/zone) and, for one of them, the starting role"),
    ...design.nodes,
    blank,
    ...design.replication,
    ...(design.failover.length > 0 ? [blank, ...design.failover] : []),
    blank,
    ...design.backups,
    blank,
    line("data_classes:", "the kinds of data this database holds, each with its own targets; shares split the workload"),
    ...design.classes,
  ];
  return render(entries);
}
