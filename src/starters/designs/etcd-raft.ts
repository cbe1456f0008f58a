// The starter design of the "etcd-raft" preset (`repl-lab init --preset etcd-raft`).
import { PRESETS } from "../../model/presets.js";
import { backupsBlock, consensusFailoverBlock, type Design, threeZones } from "../blocks.js";
import { line, dur } from "../entries.js";

const endpoint = PRESETS["etcd-raft"].failover.endpoint;
if (endpoint.kind !== "proxy") throw new Error("assertion: the etcd-raft preset's endpoint is a proxy");
/** "one check", "two checks": the comments follow the preset's values. */
const checks = (n: number) => `${["no", "one", "two", "three", "four", "five"][n] ?? n} check${n === 1 ? "" : "s"}`;

export const design: Design = {
  system: "etcd",
  description: "A three-member etcd (Raft) cluster across three zones",
  regions: threeZones("a second region for the snapshots"),
  nodes: [
    line("  etcd-a: { zone: us-east/a, role: leader }", "the Raft leader at the start"),
    line("  etcd-b: { zone: us-east/b }", "a follower: any two of three members are a majority"),
    line("  etcd-c: { zone: us-east/c }", "the third member: the cluster survives one member down"),
  ],
  replication: [
    line("replication:", "who copies whose writes, and when a write counts as committed"),
    line("  mode: consensus", "Raft: a write commits once a majority of members has it in its log"),
    line("  members: [us-east]", "the regions whose nodes vote (default: every region that holds a node)"),
    line(`  election_timeout: ${dur(PRESETS["etcd-raft"].consensus.electionTimeoutMs)}`, "etcd --election-timeout default 1000 ms; its docs want at least 10 x the round trip"),
    line(`  heartbeat: ${dur(PRESETS["etcd-raft"].consensus.heartbeatMs)}`, "etcd --heartbeat-interval default 100 ms"),
  ],
  failover: consensusFailoverBlock("etcd-raft", [
    "clientv3 holds connections to the members and any member passes a proposal to the leader; a proxy stands for that",
    `preset: a check every ${dur(endpoint.checkIntervalMs)}, as quickly as the client tries another member`,
    "preset",
    `preset: ${checks(endpoint.rise)} passing mark${endpoint.rise === 1 ? "s" : ""} the new leader up`,
    `preset: ${checks(endpoint.fall)} failing mark${endpoint.fall === 1 ? "s" : ""} the old one down`,
  ]),
  backups: backupsBlock({
    archive: line("  wal_archive: { mode: none }", "etcd has no log archive: restores start from a snapshot"),
    base: line("  base_backups: { every: 1h, retain: 7d, region: us-west }", "etcdctl snapshot save every hour, kept a week, in another region"),
    pitr: line("  pitr_window: 0", "no point-in-time recovery: a restore returns to the last snapshot"),
    detection: line("  detection: 0", "no PITR window to check a bad write's detection time against"),
  }),
  classes: [
    line("  config: { rpo: 0, rto: 15s, consistency: strong }", "a majority commit loses no acknowledged write; share defaults to all of the workload"),
  ],
};
