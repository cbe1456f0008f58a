// Which system's words a report speaks. The engine runs every leader/follower
// system on one machinery and records its facts in one shape (a leader, a
// position in its log, a timeline per promotion); each real system names those
// things its own way. This is the one place that maps a run (its preset and
// its mode) to a system family and that family's nouns. The sentences that
// differ by more than a noun are each family's own: raft-words.ts,
// mongodb-words.ts and mysql-words.ts, which timeline.ts chooses by family.
import type { PresetName } from "../../model/presets.js";
import type { BadStatement } from "../../engine/recovery/types.js";

/** The systems whose words the reports speak. */
export type SystemFamily = "postgres" | "mongodb" | "mysql" | "raft";

export interface Vocabulary {
  family: SystemFamily;
  /** The node that takes writes: the leader (PostgreSQL, Raft), the primary (MongoDB), the source (MySQL). */
  leader: string;
  /** A node that copies its log, and the plural. */
  replica: string;
  replicas: string;
  /** The replication log: PostgreSQL's WAL, MongoDB's oplog, MySQL's binlog. */
  log: string;
  /** The log a commit is durable in once flushed, which an asynchronous commit returns before. */
  durableLog: string;
  /** The continuous archive of the log that a point-in-time restore replays. */
  archive: string;
  /** How a logical dump is loaded back, as the subject of "… re-inserts its 1GB row by row". */
  dumpReload: string;
  /** What a logical dump re-inserts one at a time. */
  row: string;
  /** The HTML lanes' roles as the system calls them, where it does not call them as PostgreSQL does ("sync standby"). */
  roles: Readonly<Record<string, string>>;
  /** The mistakes a `bad_write` makes, as the system's users write them: an UPDATE without WHERE, an updateMany with an empty filter. */
  statements: Readonly<Record<BadStatement, string>>;
  /** What the guard against unqualified writes finds missing: "no WHERE clause", "an empty filter". */
  unqualified: string;
  /** What discards the WAL an old leader wrote past the fork when it rejoins: pg_rewind, or a managed service's rebuild. */
  rewinder: string;
}

const SQL_STATEMENTS: Record<BadStatement, string> = { "update-all": "UPDATE without WHERE", delete: "buggy DELETE", drop: "DROP TABLE" };

/**
 * The family of each preset's system. Aurora and RDS Multi-AZ are modelled as PostgreSQL behind a managed
 * control plane, and a preset's leaderless or multi-leader runs share no words with leader/follower ones, so
 * those keep PostgreSQL's. Raft's words belong to a consensus run, whatever its preset (except MongoDB's,
 * whose replica set keeps its own words, primary, secondary, oplog and term, in either mode); an etcd-raft
 * topology in leader/follower mode runs the leader/follower machinery with the preset's Raft rules (heartbeats
 * and an election timeout, a majority to commit, members that elect the leader) and speaks Raft's words too:
 * nothing of that run has a leader key, an HA loop or pg_rewind.
 */
const FAMILY_OF_PRESET: Record<PresetName, SystemFamily> = {
  patroni: "postgres",
  "postgres-manual": "postgres",
  aurora: "postgres",
  "rds-multi-az": "postgres",
  cassandra: "postgres",
  dynamo: "postgres",
  "mysql-semisync": "mysql",
  mongodb: "mongodb",
  "etcd-raft": "raft",
};

const VOCABULARIES: Record<SystemFamily, Vocabulary> = {
  postgres: { family: "postgres", leader: "leader", replica: "replica", replicas: "replicas", log: "WAL", durableLog: "WAL", archive: "WAL archive", dumpReload: "pg_restore", row: "row", roles: {}, statements: SQL_STATEMENTS, unqualified: "no WHERE clause", rewinder: "pg_rewind" },
  // A Raft run's own sentences are in raft-words.ts (and its lanes' roles in the HTML lanes); the facts it shares with PostgreSQL keep these nouns.
  raft: { family: "raft", leader: "leader", replica: "replica", replicas: "replicas", log: "WAL", durableLog: "WAL", archive: "WAL archive", dumpReload: "pg_restore", row: "row", roles: {}, statements: SQL_STATEMENTS, unqualified: "no WHERE clause", rewinder: "pg_rewind" },
  mongodb: {
    family: "mongodb",
    leader: "primary",
    replica: "secondary",
    replicas: "secondaries",
    log: "oplog",
    durableLog: "journal",
    archive: "oplog archive",
    dumpReload: "mongorestore",
    row: "document",
    // A majority write counts any secondary it may: none is a "sync standby" of its own.
    roles: { leader: "primary", "sync standby": "secondary", "async replica": "async secondary", rewinding: "rolling back", follower: "secondary", "truncating log": "rolling back" },
    statements: { "update-all": "updateMany with an empty filter", delete: "buggy deleteMany", drop: "collection drop" },
    unqualified: "an empty filter",
    rewinder: "rollback",
  },
  mysql: {
    family: "mysql",
    leader: "source",
    replica: "replica",
    replicas: "replicas",
    log: "binlog",
    durableLog: "binlog",
    archive: "binlog archive",
    dumpReload: "reloading the mysqldump",
    row: "row",
    roles: { leader: "source", "sync standby": "semi-sync replica", rewinding: "rejoining" },
    statements: SQL_STATEMENTS,
    unqualified: "no WHERE clause",
    rewinder: "re-cloning",
  },
};

/** One family's nouns (for the sentences each family words itself: mongodb-words.ts, mysql-words.ts, raft-words.ts). */
export function wordsOf(family: SystemFamily): Vocabulary {
  return VOCABULARIES[family];
}

/** PostgreSQL's words: what a report says when it knows nothing of the run's system. */
export const POSTGRES_WORDS: Vocabulary = VOCABULARIES.postgres;

/** The system a run's words come from, by its preset (the built-in default, Patroni's, when it has none) and its mode. */
export function familyOf(run: { mode: string; preset?: string }): SystemFamily {
  const byPreset = run.preset !== undefined && Object.hasOwn(FAMILY_OF_PRESET, run.preset) ? FAMILY_OF_PRESET[run.preset as PresetName] : "postgres";
  if (run.mode === "consensus") return byPreset === "mongodb" ? "mongodb" : "raft";
  if (run.mode === "leader-follower") return byPreset;
  return byPreset === "raft" ? "postgres" : byPreset;
}

/** A lane role as the run's system calls it. */
export function roleWord(v: Vocabulary, role: string): string {
  return Object.hasOwn(v.roles, role) ? v.roles[role] : role;
}

/** The presets whose failover a managed control plane runs: nobody runs pg_rewind on their old primary, the service rebuilds it. */
const MANAGED_PRESETS: readonly string[] = ["aurora", "rds-multi-az"];
const MANAGED_WORDS: Vocabulary = { ...VOCABULARIES.postgres, rewinder: "the service's rebuild" };

/** The nouns of a run's system. */
export function vocabularyOf(run: { mode: string; preset?: string }): Vocabulary {
  const family = familyOf(run);
  return family === "postgres" && run.preset !== undefined && MANAGED_PRESETS.includes(run.preset) ? MANAGED_WORDS : VOCABULARIES[family];
}
