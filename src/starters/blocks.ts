// The building blocks the starter designs share: the network, the failover,
// synchronous replication, backups and data-class sections. Numbers are read
// from PRESETS, so a starter and the model it describes cannot drift apart;
// the designs add only their own notes and deliberate departures.
import { DEFAULT_NETWORK, PRESETS, type PresetName } from "../model/presets.js";
import type { Detection, Endpoint } from "../model/types.js";
import { dur, latency, line, size, yes, type Entry } from "./entries.js";

export interface Design {
  /** The system's name in sentences ("Patroni"). */
  system: string;
  description: string;
  regions: Entry[];
  nodes: Entry[];
  replication: Entry[];
  /** The storage block, where the system's is not each node's own disk (Aurora's shared volume). */
  storage?: Entry[];
  failover: Entry[];
  backups: Entry[];
  classes: Entry[];
}

export function network(): Entry[] {
  return [
    line("network:", "one-way latency per link class in ms: a log-normal fitted to the median and p99 (built-in defaults)"),
    line(`  same-zone: ${latency(DEFAULT_NETWORK.sameZone)}`, "two nodes in one availability zone"),
    line(`  cross-zone: ${latency(DEFAULT_NETWORK.crossZone)}`, "zones of one region, a few km apart"),
    line(`  cross-region: ${latency(DEFAULT_NETWORK.crossRegion)}`, "e.g. US east to US west"),
  ];
}

export const threeZones = (second: string): Entry[] => [
  line("regions:", "regions and their availability zones; nodes are placed as region/zone"),
  line("  us-east: { zones: [a, b, c] }", "the home region: three zones, so losing one leaves a majority"),
  line("  us-west: { zones: [a] }", second),
];

/** The failover keys every leader-follower design shares; notes say where each number comes from. */
export interface FailoverNotes {
  mode: string;
  operator?: string;
  detection: string[];
  /** Not written for members that vote (no store to place). */
  coordinator?: string;
  fencing: string;
  fencingTime: string;
  election: string;
  electionTime: string;
  /** Not written for members that vote (no lag limit). */
  maximumLag?: string;
  promotion: string;
  endpoint: string[];
  reconnect?: string;
  acceptRate?: string;
  /** Values that differ from the preset (a sound design needs them). */
  override?: { fencing?: "stonith" | "lease" | "none"; fencingMs?: number };
}

/** Raft times its own failover from election_timeout and heartbeat; only how clients reach the leader is left to set. */
export function consensusFailoverBlock(name: PresetName, endpointNotes: string[]): Entry[] {
  const f = PRESETS[name].failover;
  return [
    line("failover:", "Raft elects by itself (replication.election_timeout, heartbeat); these keys say how clients follow"),
    line("  endpoint:", "how clients find the new leader"),
    ...endpoint(f.endpoint, endpointNotes),
    line("  reconnect:", "how clients retry after their connection breaks (built-in default)"),
    line(`    backoff: ${dur(f.reconnect.backoffMs)}`, "first retry delay, doubled on each failure"),
    line(`    max: ${dur(f.reconnect.maxMs)}`, "cap on the delay between retries"),
    line(`    jitter: ${f.reconnect.jitter}`, "full jitter: a uniform random delay up to the cap, so clients do not retry in step"),
    line(`  accept_rate: ${f.acceptRate}`, "new connections per second the new leader accepts: the reconnect storm (built-in default)"),
  ];
}

export function failoverBlock(name: PresetName, notes: FailoverNotes): Entry[] {
  const f = PRESETS[name].failover;
  const fencing = notes.override?.fencing ?? f.fencing;
  const fencingMs = notes.override?.fencingMs ?? f.fencingMs;
  const entries: Entry[] = [
    line("failover:", "how a dead leader is replaced: detect, fence, elect, promote, switch the endpoint, reconnect"),
    line(`  mode: ${f.mode}`, notes.mode),
  ];
  if (f.mode === "manual") entries.push(line(`  operator_delay: ${dur(f.operatorDelayMs)}`, notes.operator ?? "time until a human acts"));
  entries.push(line("  detection:", "how the leader's death is noticed"), ...detection(f.detection, notes.detection));
  // Members that elect their leader by majority vote need no store to place, and vote for the most up-to-date
  // member whatever its lag: the coordinator and the lag limit are a failover manager's keys.
  const managerKeys = PRESETS[name].electedBy !== "members";
  entries.push(
    ...(managerKeys ? [line(`  coordinator: us-east`, notes.coordinator ?? "")] : []),
    line(`  fencing: ${fencing}`, notes.fencing),
    line(`  fencing_time: ${dur(fencingMs)}`, notes.fencingTime),
    line(`  election: ${f.election}`, notes.election),
    line(`  election_time: ${dur(f.electionMs)}`, notes.electionTime),
    ...(managerKeys
      ? [
          line(`  maximum_lag_on_failover: ${size(f.maximumLagBytes)}`, notes.maximumLag ?? ""),
          line(
            `  lagging_candidates: ${f.laggingCandidates}`,
            "if only replicas missing acknowledged writes are left: wait for a complete one (downtime) or promote (loss)",
          ),
        ]
      : []),
    line(`  promotion: ${dur(f.promotionMs)}`, notes.promotion),
    line("  endpoint:", "how clients find the new leader"),
    ...endpoint(f.endpoint, notes.endpoint),
    line("  reconnect:", notes.reconnect ?? "how clients retry after their connection breaks (built-in default)"),
    line(`    backoff: ${dur(f.reconnect.backoffMs)}`, "first retry delay, doubled on each failure"),
    line(`    max: ${dur(f.reconnect.maxMs)}`, "cap on the delay between retries"),
    line(`    jitter: ${f.reconnect.jitter}`, "full jitter: a uniform random delay up to the cap, so clients do not retry in step"),
    line(`  accept_rate: ${f.acceptRate}`, notes.acceptRate ?? "new connections per second the new leader accepts: the reconnect storm (built-in default)"),
  );
  return entries;
}

function detection(d: Detection, notes: string[]): Entry[] {
  if (d.kind === "lease") {
    return [
      line(`    ttl: ${dur(d.ttlMs)}`, notes[0]),
      line(`    loop_wait: ${dur(d.loopWaitMs)}`, notes[1]),
      line(`    retry_timeout: ${dur(d.retryTimeoutMs)}`, notes[2]),
    ];
  }
  return [line(`    heartbeat: ${dur(d.intervalMs)}`, notes[0]), line(`    misses: ${d.misses}`, notes[1])];
}

function endpoint(e: Endpoint, notes: string[]): Entry[] {
  if (e.kind === "dns") {
    return [
      line("    kind: dns", notes[0]),
      line(`    ttl: ${dur(e.ttlMs)}`, notes[1]),
      line(`    stale_clients: ${Math.round(e.staleShare * 1000) / 10}%`, notes[2]),
      line(`    stale_for: ${dur(e.staleForMs)}`, notes[3]),
    ];
  }
  return [
    line("    kind: proxy", notes[0]),
    line(`    check_interval: ${dur(e.checkIntervalMs)}`, notes[1]),
    line(`    check_timeout: ${dur(e.checkTimeoutMs)}`, notes[2]),
    line(`    rise: ${e.rise}`, notes[3]),
    line(`    fall: ${e.fall}`, notes[4]),
  ];
}

export function syncBlock(
  name: PresetName,
  standbys: string,
  notes: { block: string; standbys: string; commit: string; strict: string; degrade?: string; managed: string; strictDirective?: string },
  override: { strict?: boolean } = {},
): Entry[] {
  const p = PRESETS[name];
  const strict = override.strict ?? p.strict;
  const entries = [
    line("  synchronous:", notes.block),
    line(`    standbys: "${standbys}"`, notes.standbys),
    line(`    commit: "${p.commit}"`, notes.commit),
    { ...line(`    strict: ${yes(strict)}`, notes.strict), directive: notes.strictDirective },
  ];
  if (!strict) entries.push(line(`    degrade_after: ${dur(p.degradeAfterMs)}`, notes.degrade ?? "with strict: false, how long a commit waits before the leader goes async"));
  entries.push(line(`    managed: ${yes(p.managedSync)}`, notes.managed));
  return entries;
}

export const applyRate = (name: PresetName, note: string): Entry => line(`  apply_rate: ${PRESETS[name].applyRate}`, note);

export interface BackupPlan {
  archive: Entry;
  base: Entry;
  pitr: Entry;
  detection?: Entry;
}

export function backupsBlock(plan: BackupPlan): Entry[] {
  return [
    line("backups:", "what replication cannot fix (a bad write reaches every replica): archives, base backups, restore"),
    plan.archive,
    plan.base,
    plan.pitr,
    line("  restore:", "restore speed (built-in defaults; no vendor publishes one: measure yours in a drill)"),
    line("    throughput: 200MB/s", "copying a base backup back: a single-threaded copy (pg_basebackup, a snapshot restore) reaches about 300-500 MiB/s"),
    line("    wal_replay: 50MB/s", "replaying archived log after the base backup: single-threaded, so often the slow part"),
    line("    data_size: 100GB", "how much data a restore copies"),
    plan.detection ?? line("  detection: 1d", "how long a bad write may go unnoticed: the PITR window must reach back this far"),
    line("  drill:", "restore drills prove the backups restore; validate warns until one is recorded"),
    line("    every: 30d", "how often to rehearse a restore (built-in default)"),
    line("    # add `last: YYYY-MM-DD` after each restore drill,"),
    line("    # or `automated: true` when a scheduled job runs it and alerts on failure"),
    line("  audit_log: true", "a DML audit trail, so the writes after a bad one can be replayed after a restore"),
    line("  guards: { unqualified_dml: block }", "refuse UPDATE/DELETE without WHERE (default: allow)"),
  ];
}

export const pgBackups = (): BackupPlan => ({
  archive: line("  wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", "WAL shipped to another region; PostgreSQL's archive_timeout is 0 (off) by default, its docs suggest a minute"),
  base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly base backup kept two weeks, in the other region"),
  pitr: line("  pitr_window: 7d", "how far back point-in-time recovery reaches (the default with an archive)"),
});

export function leaderFollowerClasses(critical: { rpo: string; rto: string; note: string }, bulk: { rto: string; note: string; commit?: "local" | "off" }): Entry[] {
  return [
    line(`  orders: { rpo: ${critical.rpo}, rto: ${critical.rto}, share: 0.7, consistency: strong }`, critical.note),
    line(`  events: { rpo: 1m, rto: ${bulk.rto}, share: 0.3, consistency: eventual, commit: "${bulk.commit ?? "local"}" }`, bulk.note),
    line("  # Per class, commit overrides synchronous_commit for its transactions, and reads picks where reads"),
    line("  # go: leader | session | any | { max_lag: SIZE } (default: leader for strong, session for"),
    line("  # read-your-writes, any otherwise)."),
  ];
}

export function leaderlessClasses(critical: { rpo: string; note: string }, bulk: string, consistency: "strong" | "eventual"): Entry[] {
  return [
    line(`  orders: { rpo: ${critical.rpo}, rto: 30s, share: 0.7, consistency: ${consistency} }`, critical.note),
    line("  events: { rpo: 1m, rto: 30s, share: 0.3, consistency: eventual, w: 1, r: 1 }", bulk),
  ];
}

export const lfReplicationNote = "one writable leader streams its log to the replicas";
