// `repl-lab init [--preset NAME] [--out FILE]`: a commented starter topology.
//
// Every key is written out with the value the preset (or a built-in default)
// would give it anyway, and a comment saying what the key does and where the
// number comes from (the systems' documentation and measurements on a live cluster). Values
// are read from PRESETS, so the file and the model cannot drift apart; where
// the starter departs from a system's default to make a sound design, the
// comment says so. With --out the file is written atomically and never
// replaces an existing one.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { didYouMean, UsageError } from "../model/diagnostics.js";
import { DEFAULT_FSYNC, DEFAULT_NETWORK, PRESETS, type PresetName } from "../model/presets.js";
import { presetNames } from "../model/schema.js";
import type { Detection, Endpoint, Latency } from "../model/types.js";
import { EXIT_OK, reportError, type Io } from "./io.js";

export function runInit(options: { preset: string; out?: string }, io: Io): number {
  try {
    const preset = presetName(options.preset);
    const text = starterTopology(preset);
    if (options.out === undefined) {
      io.out(text);
      return EXIT_OK;
    }
    writeNew(options.out, text);
    io.err(`wrote ${options.out} (preset ${preset}); check it with: repl-lab validate ${options.out}`);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, false);
  }
}

function presetName(name: string): PresetName {
  if ((presetNames as readonly string[]).includes(name)) return name as PresetName;
  throw new UsageError(`unknown preset "${name}"${didYouMean(name, presetNames)} (presets: ${presetNames.join(", ")})`);
}

/**
 * Writes a new file atomically: the text goes to a temporary file in the same
 * directory, is flushed, then linked into place. A hard link, unlike a rename,
 * fails when the target exists, so a file created meanwhile is never replaced;
 * where links are not supported, a rename after a last check stands in.
 */
function writeNew(file: string, text: string): void {
  if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file (choose another --out, or move that file away)`);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new UsageError(`cannot write ${file}: the directory ${dir} does not exist`);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o644);
  } catch (error) {
    throw new UsageError(`cannot write in ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new UsageError(`${file} already exists; init never overwrites a file`);
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") {
        throw new UsageError(`cannot write ${file}: ${code ?? (error as Error).message}`);
      }
      if (existsSync(file)) throw new UsageError(`${file} already exists; init never overwrites a file`);
      renameSync(temp, file);
    }
  } finally {
    if (existsSync(temp)) unlinkSync(temp);
  }
}

// ---------------------------------------------------------------------------
// Rendering: a YAML line and its comment, aligned; long comments go above.

interface Entry {
  /** The YAML text, with its indentation; empty for a comment on a line of its own. */
  yaml: string;
  note?: string;
  /** A `# repl-lab: ...` comment, kept on the line right above the key (where the linter looks for it). */
  directive?: string;
}

const COMMENT_COLUMN = 40;
const WIDTH = 120;

const line = (yaml: string, note?: string): Entry => ({ yaml, note });
const comment = (note: string): Entry => ({ yaml: "", note });
const blank: Entry = { yaml: "" };

function render(entries: Entry[]): string {
  const out: string[] = [];
  for (const { yaml, note, directive } of entries) {
    const indent = /^\s*/.exec(yaml)![0];
    const directiveLine = directive === undefined ? [] : [`${indent}# ${directive}`];
    if (note === undefined) {
      out.push(...directiveLine, yaml);
      continue;
    }
    if (yaml === "") {
      out.push(...(note === "" ? ["#"] : wrap(note, WIDTH - 2).map((l) => `# ${l}`)));
      continue;
    }
    const column = Math.max(COMMENT_COLUMN, yaml.length + 2);
    if (column + 2 + note.length <= WIDTH) out.push(...directiveLine, `${yaml.padEnd(column)}# ${note}`);
    else out.push(...wrap(note, WIDTH - indent.length - 2).map((l) => `${indent}# ${l}`), ...directiveLine, yaml);
  }
  return `${out.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

// Values written so that the loader reads them back exactly.

function dur(ms: number): string {
  if (ms === 0) return "0";
  const units: [string, number][] = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function size(bytes: number): string {
  const units: [string, number][] = [["TB", 1024 ** 4], ["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]];
  for (const [unit, factor] of units) if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  return `${bytes}`;
}

function latency(l: Latency): string {
  if ("median" in l) return `{ median: ${l.median}, p99: ${l.p99} }`;
  throw new Error("assertion: the built-in latencies are { median, p99 }");
}

const yes = (b: boolean) => (b ? "true" : "false");

// ---------------------------------------------------------------------------
// The starter designs

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
    line("storage:", "the nodes' disks"),
    line(`  fsync: ${latency(DEFAULT_FSYNC)}`, "time to flush a write to local disk, ms (built-in default)"),
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

interface Design {
  /** The system's name in sentences ("Patroni"). */
  system: string;
  description: string;
  regions: Entry[];
  nodes: Entry[];
  replication: Entry[];
  failover: Entry[];
  backups: Entry[];
  classes: Entry[];
}

function network(): Entry[] {
  return [
    line("network:", "one-way latency per link class in ms: a log-normal fitted to the median and p99 (built-in defaults)"),
    line(`  same-zone: ${latency(DEFAULT_NETWORK.sameZone)}`, "two nodes in one availability zone"),
    line(`  cross-zone: ${latency(DEFAULT_NETWORK.crossZone)}`, "zones of one region, a few km apart"),
    line(`  cross-region: ${latency(DEFAULT_NETWORK.crossRegion)}`, "e.g. US east to US west"),
  ];
}

const threeZones = (second: string): Entry[] => [
  line("regions:", "regions and their availability zones; nodes are placed as region/zone"),
  line("  us-east: { zones: [a, b, c] }", "the home region: three zones, so losing one leaves a majority"),
  line("  us-west: { zones: [a] }", second),
];

/** The failover keys every leader-follower design shares; notes say where each number comes from. */
interface FailoverNotes {
  mode: string;
  operator?: string;
  detection: string[];
  coordinator: string;
  fencing: string;
  fencingTime: string;
  election: string;
  electionTime: string;
  maximumLag: string;
  promotion: string;
  endpoint: string[];
  reconnect?: string;
  acceptRate?: string;
  /** Values that differ from the preset (a sound design needs them). */
  override?: { fencing?: "stonith" | "lease" | "none"; fencingMs?: number };
}

/** Raft times its own failover from election_timeout and heartbeat; only how clients reach the leader is left to set. */
function consensusFailoverBlock(name: PresetName, endpointNotes: string[]): Entry[] {
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

function failoverBlock(name: PresetName, notes: FailoverNotes): Entry[] {
  const f = PRESETS[name].failover;
  const fencing = notes.override?.fencing ?? f.fencing;
  const fencingMs = notes.override?.fencingMs ?? f.fencingMs;
  const entries: Entry[] = [
    line("failover:", "how a dead leader is replaced: detect, fence, elect, promote, switch the endpoint, reconnect"),
    line(`  mode: ${f.mode}`, notes.mode),
  ];
  if (f.mode === "manual") entries.push(line(`  operator_delay: ${dur(f.operatorDelayMs)}`, notes.operator ?? "time until a human acts"));
  entries.push(line("  detection:", "how the leader's death is noticed"), ...detection(f.detection, notes.detection));
  entries.push(
    line(`  coordinator: us-east`, notes.coordinator),
    line(`  fencing: ${fencing}`, notes.fencing),
    line(`  fencing_time: ${dur(fencingMs)}`, notes.fencingTime),
    line(`  election: ${f.election}`, notes.election),
    line(`  election_time: ${dur(f.electionMs)}`, notes.electionTime),
    line(`  maximum_lag_on_failover: ${size(f.maximumLagBytes)}`, notes.maximumLag),
    line(
      `  lagging_candidates: ${f.laggingCandidates}`,
      "if only replicas missing acknowledged writes are left: wait for a complete one (downtime) or promote (loss)",
    ),
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

function syncBlock(
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

const applyRate = (name: PresetName, note: string): Entry => line(`  apply_rate: ${PRESETS[name].applyRate}`, note);

interface BackupPlan {
  archive: Entry;
  base: Entry;
  pitr: Entry;
  detection?: Entry;
}

function backupsBlock(plan: BackupPlan): Entry[] {
  return [
    line("backups:", "what replication cannot fix (a bad write reaches every replica): archives, base backups, restore"),
    plan.archive,
    plan.base,
    plan.pitr,
    line("  restore:", "restore speed (built-in defaults; no vendor publishes one: measure yours in a drill)"),
    line("    throughput: 200MB/s", "copying a base backup back: pg_basebackup reaches about 300-500 MiB/s single-threaded"),
    line("    wal_replay: 50MB/s", "replaying archived log after the base backup: single-threaded, so often the slow part"),
    line("    data_size: 100GB", "how much data a restore copies"),
    plan.detection ?? line("  detection: 1d", "how long a bad write may go unnoticed: the PITR window must reach back this far"),
    line("  drill:", "restore drills prove the backups restore; validate warns until one is recorded"),
    line("    every: 30d", "how often to rehearse a restore (built-in default)"),
    line("    # add `last: YYYY-MM-DD` once a restore drill has run"),
    line("  audit_log: true", "a DML audit trail, so the writes after a bad one can be replayed after a restore"),
    line("  guards: { unqualified_dml: block }", "refuse UPDATE/DELETE without WHERE (default: allow)"),
  ];
}

const pgBackups = (): BackupPlan => ({
  archive: line("  wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", "WAL shipped to another region; PostgreSQL's archive_timeout is 0 (off) by default, its docs suggest a minute"),
  base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly base backup kept two weeks, in the other region"),
  pitr: line("  pitr_window: 7d", "how far back point-in-time recovery reaches (the default with an archive)"),
});

function leaderFollowerClasses(critical: { rpo: string; rto: string; note: string }, bulk: { rto: string; note: string }): Entry[] {
  return [
    line(`  orders: { rpo: ${critical.rpo}, rto: ${critical.rto}, share: 0.7, consistency: strong }`, critical.note),
    line(`  events: { rpo: 1m, rto: ${bulk.rto}, share: 0.3, consistency: eventual, commit: "local" }`, bulk.note),
    line("  # Per class, commit overrides synchronous_commit for its transactions, and reads picks where reads"),
    line("  # go: leader | session | any | { max_lag: SIZE } (default: leader for strong, session for"),
    line("  # read-your-writes, any otherwise)."),
  ];
}

function leaderlessClasses(critical: string, bulk: string, consistency: "strong" | "eventual"): Entry[] {
  return [
    line(`  orders: { rpo: 0, rto: 30s, share: 0.7, consistency: ${consistency} }`, critical),
    line("  events: { rpo: 1m, rto: 30s, share: 0.3, consistency: eventual, w: 1, r: 1 }", bulk),
  ];
}

const lfReplicationNote = "one writable leader streams its log to the replicas";

const DESIGNS: Record<PresetName, Design> = {
  patroni: {
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
  },

  "postgres-manual": {
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
  },

  "mysql-semisync": {
    system: "MySQL semi-sync with Orchestrator",
    description: "MySQL with lossless semi-synchronous replication, Orchestrator for failover and ProxySQL in front",
    regions: threeZones("a second region for a disaster-recovery replica and the backups"),
    nodes: [
      line("  db-a: { zone: us-east/a, role: leader }", "the source (primary) at the start"),
      line("  db-b: { zone: us-east/b }", "a semi-sync replica in another zone"),
      line("  db-c: { zone: us-east/c }", "another semi-sync replica"),
      line("  db-dr: { zone: us-west/a, nofailover: true }", "async DR replica, never promoted first (an Orchestrator promotion rule)"),
    ],
    replication: [
      line("replication:", "who copies whose writes, and when a write counts as committed"),
      line("  mode: leader-follower", lfReplicationNote),
      ...syncBlock("mysql-semisync", "ANY 1 (db-b, db-c)", {
        block: "semi-synchronous replication (rpl_semi_sync_source_enabled: off by default, on here)",
        standbys: "rpl_semi_sync_source_wait_for_replica_count = 1 (MySQL default): one ack from any semi-sync replica",
        commit: "AFTER_SYNC (MySQL 5.7.2+ default wait point): the replica has the event in its relay log",
        strict: "MySQL falls back to async when no ack arrives in time; RPO 0 then holds no longer",
        degrade: "rpl_semi_sync_source_timeout = 10000 ms (MySQL default)",
        managed: "any connected semi-sync replica may send the ack",
      }),
      applyRate("mysql-semisync", "writes/s a replica's applier can replay (preset estimate; measure yours)"),
    ],
    failover: failoverBlock("mysql-semisync", {
      mode: "Orchestrator promotes a replica (automated master recovery must be enabled: it is opt-in)",
      override: { fencing: "stonith", fencingMs: 2000 },
      detection: ["preset: Orchestrator probes every second...", "...and the failure is confirmed within about 5 s (InstancePollSeconds = 5)"],
      coordinator: "where Orchestrator (and its raft or backend database) runs",
      fencing:
        "changed from the preset (none): Orchestrator does not fence the old source by itself; a STONITH hook (or read_only on the old source) must run before promotion",
      fencingTime: "the fencing hook's time (repl-lab's default for STONITH)",
      election: "Orchestrator promotes the most up-to-date replica",
      electionTime: "preset",
      maximumLag: "a replica further behind is not promoted (Orchestrator's own limit is in seconds: ReasonableReplicationLagSeconds = 10)",
      promotion: "preset: stop the replica threads, apply the relay log, reset and open for writes",
      endpoint: [
        "ProxySQL routes writes to the node that is writable",
        "preset: ProxySQL checks the backends every second",
        "preset",
        "one passing check marks the new source up (preset)",
        "three failing checks mark the old one down (preset)",
      ],
    }),
    backups: backupsBlock({
      archive: line("  wal_archive: { mode: continuous, archive_timeout: 60s, region: us-west }", "binlogs streamed to another region (e.g. mysqlbinlog --read-from-remote-server --stop-never)"),
      base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly physical backup (e.g. XtraBackup) kept two weeks, in the other region"),
      pitr: line("  pitr_window: 7d", "how far back point-in-time recovery reaches (the default with an archive)"),
    }),
    classes: leaderFollowerClasses(
      {
        rpo: "1m",
        rto: "30s",
        note: "semi-sync loses nothing while acks arrive; after 10 s without one, MySQL commits alone, so this target allows the async lag (strict: true for RPO 0)",
      },
      { rto: "5m", note: "commit local: acknowledged before any replica has it" },
    ),
  },

  mongodb: {
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
      detection: ["MongoDB default: members send heartbeats every 2 s (heartbeatIntervalMillis)", "electionTimeoutMillis = 10000 (default): about 5 heartbeats"],
      coordinator: "no external store: the replica set votes; a member needs a majority to lead",
      fencing: "a primary that cannot see a majority steps down by itself",
      fencingTime: "nothing to wait for beyond the step-down",
      election: "the most up-to-date electable secondary wins (priority also counts)",
      electionTime: "preset: the vote itself; the median failover is documented to stay under about 12 s",
      maximumLag: "a member further behind does not stand (preset)",
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
  },

  cassandra: {
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
      line("  vnodes: 16", "token ranges per node on the ring (built-in default)"),
    ],
    failover: [],
    backups: backupsBlock({
      archive: line("  wal_archive: { mode: periodic, every: 1h, region: us-west }", "incremental backups (new SSTables) shipped hourly to another region"),
      base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly nodetool snapshot kept two weeks, in the other region"),
      pitr: line("  pitr_window: 7d", "how far back a restore can reach"),
    }),
    classes: leaderlessClasses(
      "LOCAL_QUORUM both ways: no acknowledged write lost, and reads see it; one node may be down",
      "per-class r and w: ONE for both (cqlsh's default level), fast but may read stale data",
      "strong",
    ),
  },

  dynamo: {
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
      line("  vnodes: 16", "token ranges per node on the ring (built-in default)"),
    ],
    failover: [],
    backups: backupsBlock({
      archive: line("  wal_archive: { mode: periodic, every: 1h, region: us-west }", "changes shipped hourly to another region"),
      base: line("  base_backups: { every: 24h, retain: 14d, region: us-west }", "a nightly snapshot kept two weeks, in the other region"),
      pitr: line("  pitr_window: 7d", "how far back a restore can reach"),
    }),
    classes: leaderlessClasses(
      "carts: never lose an acknowledged add; a sloppy quorum may read from stand-ins, so reads are only eventually consistent",
      "per-class r and w of one: the fastest, the least consistent",
      "eventual",
    ),
  },

  aurora: {
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
        strict: "never acknowledges below the quorum (preset)",
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
      base: line("  base_backups: { every: 24h, retain: 7d, region: us-east, copy_to: us-west }", "daily snapshots, retention 1-35 days (7 here), copied to another region"),
      pitr: line("  pitr_window: 7d", "restore to any second inside the retention period"),
    }),
    classes: leaderFollowerClasses(
      { rpo: "0", rto: "1m", note: 'quorum storage loses no acknowledged write; AWS says service returns "typically in under 60 s"' },
      { rto: "5m", note: "commit local: acknowledged before the quorum has it" },
    ),
  },

  "rds-multi-az": {
    system: "RDS Multi-AZ",
    description: "An RDS Multi-AZ instance deployment: a primary and one synchronous standby in another zone",
    regions: [
      line("regions:", "regions and their availability zones; nodes are placed as region/zone"),
      line("  us-east: { zones: [a, b] }", "the home region: the primary's zone and the standby's"),
      line("  us-west: { zones: [a] }", "a second region for a cross-region copy of the backups"),
    ],
    nodes: [
      line("  db-a: { zone: us-east/a, role: leader }", "the primary instance"),
      line("  db-b: { zone: us-east/b }", "the standby in another zone: not readable, there only for failover"),
    ],
    replication: [
      line("replication:", "who copies whose writes, and when a write counts as committed"),
      line("  mode: leader-follower", "the primary replicates synchronously to its standby"),
      ...syncBlock(
        "rds-multi-az",
        "ANY 1 (db-b)",
        {
          block: "synchronous replication to the standby (the preset fills this in when left out)",
          standbys: "the one standby",
          commit: "the standby has the write on disk before the commit returns (preset)",
          strict:
            "changed from the preset (true): RDS keeps the primary writing while it replaces a lost standby, so RPO 0 holds only while a standby is in sync",
          degrade: "preset: no wait before writing alone",
          managed: "preset",
          strictDirective: "repl-lab: ignore rpo-zero-degrades-to-async -- accepted: one standby, and RDS writes on without it",
        },
        { strict: false },
      ),
      applyRate("rds-multi-az", "writes/s the standby can apply (preset estimate)"),
    ],
    failover: failoverBlock("rds-multi-az", {
      mode: "RDS fails over to the standby by itself",
      detection: ["preset: health checks every 5 s...", "...6 missed (30 s) before failover starts"],
      coordinator: "the service's control plane, in the region",
      fencing: "the old primary is cut off before the standby takes over (preset)",
      fencingTime: "preset",
      election: "there is only one candidate",
      electionTime: "preset",
      maximumLag: "preset",
      promotion: "preset: crash recovery on the standby before it opens",
      endpoint: [
        "the instance endpoint is a DNS name repointed to the standby",
        "preset: a short TTL",
        "preset: clients that cache the old address longer...",
        "...and for how long",
      ],
    }),
    backups: backupsBlock({
      archive: line("  wal_archive: { mode: periodic, every: 5m, region: us-east }", "transaction logs go to S3 about every 5 minutes (the latest restorable time)"),
      base: line("  base_backups: { every: 24h, retain: 7d, region: us-east, copy_to: us-west }", "daily snapshots, retention 7 days (the console default), copied to another region"),
      pitr: line("  pitr_window: 7d", "restore to any second inside the retention period"),
    }),
    classes: leaderFollowerClasses(
      { rpo: "0", rto: "2m", note: 'RPO 0 while the standby is in sync; AWS documents failover as "typically 60-120 s"' },
      { rto: "5m", note: "commit local: acknowledged before the standby has it" },
    ),
  },

  "etcd-raft": {
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
      "clients reach the leader through a proxy (etcd's own clients also retry other members)",
      "preset: a health check every 3 s",
      "preset",
      "preset: two passing checks mark the new leader up",
      "preset: three failing checks mark the old one down",
    ]),
    backups: backupsBlock({
      archive: line("  wal_archive: { mode: none }", "etcd has no log archive: restores start from a snapshot"),
      base: line("  base_backups: { every: 1h, retain: 7d, region: us-west }", "etcdctl snapshot save every hour, kept a week, in another region"),
      pitr: line("  pitr_window: 0", "no point-in-time recovery: a restore returns to the last snapshot"),
      detection: line("  detection: 0", "no PITR window to check a bad write's detection time against"),
    }),
    classes: [
      line("  config: { rpo: 0, rto: 30s, consistency: strong }", "a majority commit loses no acknowledged write; share defaults to all of the workload"),
    ],
  },
};
