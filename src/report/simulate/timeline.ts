// The words of the timeline. The engine records each fact as data (which
// event, which node, how many writes, which reason); this is the one place
// that says them in English, for the text, markdown and JSON reports alike.
// A fact is said in the words of the run's system (vocabulary.ts picks it):
// that family's own sentences first (raft-words.ts, mongodb-words.ts,
// mysql-words.ts), then the shared ones below with the family's nouns, which
// are PostgreSQL's own.
import type { CrashCause } from "../../engine/core/events.js";
import type { Exclusion } from "../../engine/leader-follower/events.js";
import type { ConflictPolicy, HomeKeys } from "../../engine/shape-events.js";
import type { TimelineEntry, TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import { LEASE_REVOKE_TICK_MS } from "../../base/failover-timing.js";
import { drillText } from "./recovery-words.js";
import { raftText } from "./raft-words.js";
import { mongodbText } from "./mongodb-words.js";
import { mysqlText } from "./mysql-words.js";
import { fallingBehindReadsText, positionAgainst, readPoolText, type SharedWords, type SystemWords } from "./system-words.js";
import { familyOf, vocabularyOf, type SystemFamily, type Vocabulary } from "./vocabulary.js";
import { managedText } from "./managed-words.js";
import { firstTimerText } from "./raft-words.js";

/**
 * What a sentence may need beyond the fact itself: the run's first fault (the origin of "T+" times), its mode
 * and preset (whose system's words it speaks, see vocabulary.ts), and its whole timeline (a MongoDB term counts
 * the elections before an entry).
 */
export interface DescribeContext {
  firstFaultMs: number | null;
  mode: string;
  preset?: string;
  timeline?: readonly TimelineEntry[];
}

/** Each family's own sentences; PostgreSQL's are the shared ones. */
const SYSTEM_WORDS: Record<SystemFamily, SystemWords> = {
  // PostgreSQL's words are the shared ones, but a managed service's control plane (Aurora, RDS) words its own failover.
  postgres: managedText,
  raft: raftText,
  mongodb: mongodbText,
  mysql: mysqlText,
};

/** The entry's sentence, as every report prints it. */
export function describeEntry(entry: TimelineEntry, context: DescribeContext): string {
  if ("observed" in entry) return entry.observed;
  return describeFact(entry, context);
}

/** A count as every report prints it: the shared formatter, thousands separators and all. */
const count = formatCount;
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);
const forText = (forMs: number | null) => (forMs !== null ? ` for ${formatDuration(forMs)}` : "");
const names = (list: string[]) => list.join(", ");

/** A time relative to the first fault, as the timeline's own column shows it ("+29.6s"). */
function relative(atMs: number, context: DescribeContext): string {
  const delta = atMs - (context.firstFaultMs ?? 0);
  return `${delta >= 0 ? "+" : "-"}${formatDuration(Math.abs(delta)) || "0"}`;
}

function describeFact(e: TimelineFact, context: DescribeContext): string {
  const shared: SharedWords = { exclusion: exclusionText, relative: (atMs) => relative(atMs, context), electionsSoFar: () => electionsSoFar(e, context), preset: context.preset };
  return SYSTEM_WORDS[familyOf(context)](e, shared) ?? describeShared(e, context, vocabularyOf(context));
}

/** Requests of a class failing with no fault open: the run's own load broke them, and the RTO counts it. */
function loadOutageText(e: Extract<TimelineFact, { event: "writes-failing" | "reads-failing" }>, faults: boolean): string {
  const what = `${e.event === "writes-failing" ? "writes" : "reads"} of ${e.dataClass}`;
  const cause = "with no fault open, under the run's own load";
  if (e.outages === 1) return e.longestMs === null ? `${what} start failing ${cause}, and never come back within the run` : `${what} fail ${cause}, for ${formatDuration(e.longestMs)}`;
  const longest = e.longestMs === null ? "one never ends within the run" : `the longest ${formatDuration(e.longestMs)}`;
  return `${what} start failing ${cause}: ${count(e.outages)} outages ${faults ? "before the first fault" : "in the run"}, ${longest}`;
}

/** Whether any node was promoted before entry `e` (null when the context has no timeline with it). */
function promotedBefore(e: TimelineFact, context: DescribeContext): boolean | null {
  const timeline = context.timeline;
  if (!timeline) return null;
  for (const x of timeline) {
    if (x === e) return false;
    if (x.event === "promote" || x.event === "repromote") return true;
  }
  return null;
}

/** The elections won up to and including entry `e` of the run's timeline (null when the context has no timeline with it). */
function electionsSoFar(e: TimelineFact, context: DescribeContext): number | null {
  const index = context.timeline?.findIndex((entry) => entry === e) ?? -1;
  if (index < 0) return null;
  let elections = 0;
  for (let i = 0; i <= index; i++) if (context.timeline![i].event === "elect") elections++;
  return elections;
}

function describeShared(e: TimelineFact, context: DescribeContext, v: Vocabulary): string {
  switch (e.event) {
    case "partition":
      return `partition ${e.sides.map((side) => `[${names(side)}]`).join(" | ")}${forText(e.forMs)}`;
    case "heal":
      return e.scope === "all" ? "all partitions healed" : "partition healed";
    case "latency":
      return `+${formatDuration(e.addMs)} between [${names(e.between[0])}] and [${names(e.between[1])}]${forText(e.forMs)}`;
    case "latency-end":
      return "added latency removed";
    case "lose":
      return `${e.target.includes("/") ? "zone" : "region"} ${e.target} lost: ${e.nodes.length ? names(e.nodes) : "no nodes"}${e.arbiters ? `, the arbiter${e.arbiters.length === 1 ? "" : "s"} ${names(e.arbiters)}` : ""}, and the clients there${forText(e.forMs)}`;
    case "restore":
      return `${e.target} is back`;
    case "archive-fails":
      return `WAL archiving silently stops${e.forMs !== null ? ` for ${formatDuration(e.forMs)}` : " for the rest of the run"}: archive_command fails and is retried; finished segments wait in the primary's pg_wal (.ready) and ship once it works again`;
    case "noticed":
      return `someone notices the damage to ${e.dataClass}; every replica has it, so failover cannot help`;
    case "endpoint":
      if (e.via === "proxy") return `proxy health checks mark ${e.target} up (${e.rise} ${plural(e.rise, "pass", "passes")}, every ${formatDuration(e.checkIntervalMs)})`;
      return `DNS record now points at ${e.target}; clients follow as their ${formatDuration(e.ttlMs)} TTL expires${e.staleShare > 0 ? `, ${Math.round(e.staleShare * 1000) / 10}% only after ${formatDuration(e.staleForMs)}` : ""}`;
    case "proxy-down":
      return proxyDownText(e.sessionsCut, e.hostDown === true);
    case "read-pool-out": case "read-pool-in":
      return readPoolText(
        e,
        "proxy",
        e.pool === "any"
          ? "read-only pool (Patroni's /read-only check)"
          : e.maxLagMs !== undefined
            ? `pool of replicas within ${formatDuration(e.maxLagMs)} (a custom check of now() − pg_last_xact_replay_timestamp(): Patroni's /replica?lag= counts bytes)`
            : e.maxLagBytes !== undefined
              ? `pool of replicas within ${formatSize(e.maxLagBytes)} (Patroni's /replica?lag=${formatSize(e.maxLagBytes)} check)`
              : "replica pool (Patroni's /replica check)",
      );
    case "split-brain":
      return `two nodes would each acknowledge a write sent to them: two ${v.leader.endsWith("y") ? `${v.leader.slice(0, -1)}ies` : `${v.leader}s`}`;
    case "split-brain-end":
      return `split brain over after ${formatDuration(e.durationMs)}`;
    case "writes-failing": case "reads-failing":
      return loadOutageText(e, context.firstFaultMs !== null);
    case "reconnect":
      // A leader back within its lease (no promotion before this entry) is the same one the clients had.
      return `first client reconnected to the ${promotedBefore(e, context) === false ? "" : "new "}${v.leader}`;
    case "reconnected":
      return `99% of ${count(e.clients)} reconnecting clients are back (accept rate ${count(e.acceptRate)}/s, ${e.jitter === "none" ? "no" : e.jitter} jitter; ${count(e.attempts)} connection attempts, ${count(e.timedOut)} timed out in the accept queue)`;
    case "restore-drill": case "restore-drill-failed":
      return drillText(e.drill, v);
    case "extrapolated":
      return "the damage is noticed after the simulated run ends: writes after it are extrapolated at the workload's steady rate";
    case "crash":
      return crashText(e.cause) + unflushedText(e);
    case "crash-ignored":
      return `crash not applied: the node is already down (fenced, or not yet back)${e.forMs !== null ? `, so its restart after ${formatDuration(e.forMs)} is not scheduled either` : ""}`;
    case "recover-ignored":
      return "recovery not applied: the node is already up (no failover fenced it), so there is nothing to restart";
    case "recover":
      return recoverText(e);
    case "lease-lowered": case "failover-unused": case "coordinator-lost": case "demote": case "detect": case "page": case "fence": case "no-fence": case "promote-lagging": case "no-candidate": case "instance-replacing": case "instance-replaced":
    case "elect": case "replay-wait": case "promote-failed": case "promote": case "promote-will-fail": case "start-readonly": case "repromote":
      return describeFailover(e, context, v);
    case "stall": case "stall-end": case "slow": case "slow-end": case "guard-blocked": case "bad-write": case "bad-write-applied":
    case "lag-warning": case "lag-page": case "lag-recovered": case "falling-behind": case "rewind": case "follow": case "rebuild-refused":
    case "rebuild": case "rebuilt": case "writes-blocked": case "degrade": case "sync-restored": case "writes-unblocked": case "sync-standby":
    case "redundancy": case "silent-standby":
      return describeReplication(e, v);
    case "quorum-unavailable": case "hints-dropped": case "hinted-write": case "hints-replayed": case "not-applicable": case "lww-dropped": case "conflict":
    case "unreplicated": case "unshipped": case "catch-up": case "apply-falling-behind": case "conflicts-surface": case "conflicts-pending":
    case "clients-home":
      return describeOtherShapes(e);
    case "keys-unavailable": case "keys-available":
      return keysText(e);
    default:
      // A new kind of fact fails to compile here until it has its words.
      return assertNever(e);
  }
}

function crashText(cause: CrashCause): string {
  switch (cause.kind) {
    case "host-failed":
      return "host failed";
    case "fenced":
      return "fenced";
    case "lost-with":
      return `lost with ${cause.target}`;
  }
}

/** What a crashed leader's disk lacked: asynchronous commits acknowledged before their WAL flush. */
function unflushedText(e: Facts<"crash">): string {
  const n = "lostUnflushed" in e ? (e.lostUnflushed ?? 0) : 0;
  if (n === 0) return "";
  return `; ${count(n)} acknowledged ${n === 1 ? "write" : "writes"} (commit: off) not yet flushed to its disk ${n === 1 ? "is" : "are"} lost with it`;
}

function recoverText(e: Facts<"recover">): string {
  switch (e.as) {
    case "leader-within-lease":
      return "restarts in place within its lease and keeps leading (no failover happened)";
    case "replica-racing":
      return "host back after its lease expired: starts as a replica and joins the race for the leader key";
    case "replica-rewind":
      // No leader up: nothing to rewind against or stream from until one leads.
      if (e.noLeader) return "host back with no leader up: starts as a replica; pg_rewind against the next leader's timeline, and streaming, wait until one leads";
      return `host back; rejoins as a replica via pg_rewind in ~${formatDuration(e.rejoinMs)}`;
    case "replica-restart":
      if (e.noLeader) return "host back; restarts as a replica (it never led: nothing to rewind), but no leader is up to stream from: it streams once one leads";
      return `host back; restarts as a replica and streams again in ~${formatDuration(e.rejoinMs)} (it never led: nothing to rewind)`;
    case "leaderless": {
      const held = e.hintsHeld > 0 ? `; other nodes hold ${count(e.hintsHeld)} hinted ${plural(e.hintsHeld, "write")} for it` : "";
      const dropped = e.hintsNotKept > 0 ? `; ${count(e.hintsNotKept)} more were not kept (down past the hint window)` : "";
      return `back: it serves requests again${held}${dropped}`;
    }
    case "multi-leader":
      return "back; it ships what it had not shipped, and the other leaders send it what it missed";
  }
}

/** The facts of the given kinds. */
type Facts<K extends TimelineFact["event"]> = Extract<TimelineFact, { event: K }>;
type FailoverKinds = "lease-lowered" | "failover-unused" | "coordinator-lost" | "demote" | "detect" | "page" | "fence" | "no-fence" | "promote-lagging" | "no-candidate" | "instance-replacing" | "instance-replaced" | "elect" | "replay-wait" | "promote-failed" | "promote" | "promote-will-fail" | "start-readonly" | "repromote";

/** Detection, fencing, the election and promotion (leader/follower and consensus). */
function describeFailover(f: Facts<FailoverKinds>, context: DescribeContext, v: Vocabulary): string {
  switch (f.event) {
    case "lease-lowered":
      return `runs with loop_wait ${formatDuration(f.loopWaitMs)} and retry_timeout ${formatDuration(f.retryTimeoutMs)}, as Patroni lowers them: the file's ${formatDuration(f.givenLoopWaitMs)} and ${formatDuration(f.givenRetryTimeoutMs)} break its rule loop_wait + 2 × retry_timeout ≤ ttl (${formatDuration(f.ttlMs)})`;
    case "failover-unused": {
      const named = f.keys.map((k) => `failover.${k}`);
      const keys = named.length > 1 ? `${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}` : named[0];
      const timer = f.randomizedMs > 0 ? `, each voter's timer firing between ${formatDuration(f.electionTimeoutMs)} and ${formatDuration(f.electionTimeoutMs + f.randomizedMs)}` : "";
      return `${keys} ${f.keys.length === 1 ? "is" : "are"} not used: a consensus group's members elect the leader among themselves, timed by its election timeout (${formatDuration(f.electionTimeoutMs)}${timer}) and heartbeat (${formatDuration(f.heartbeatMs)})`;
    }
    case "coordinator-lost":
      return f.demoteAtMs < f.leaseExpiresMs
        ? `cannot reach the coordinator (${names(f.coordinator)}); will demote itself at T${relative(f.demoteAtMs, context)}, when its retries run out (retry_timeout), before its lease expires at T${relative(f.leaseExpiresMs, context)}`
        : `cannot reach the coordinator (${names(f.coordinator)}); will demote itself when its lease expires at T${relative(f.demoteAtMs, context)}`;
    case "demote":
      if (f.reason === "lease-lost") return "lease lost: the old leader demotes itself to read-only (no split brain)";
      return `sees ${f.leader} holds the leader key: demotes itself${f.reason === "sees-leader-split-brain-over" ? "; split brain over" : ""}`;
    case "detect":
      if (f.via === "lease") {
        const lease = `leader lease expired (${formatDuration(f.ttlMs)} ttl, last renewed at T${relative(f.lastRenewalMs, context)})`;
        // The expiry and the detection differ by etcd's revoke tick: said, so that the renewal, the ttl and the time add up.
        return f.revokedAfterMs >= 0.1 ? `${lease}; the coordinator removed the key ${formatDuration(f.revokedAfterMs)} later, at its next expiry check (every ${formatDuration(LEASE_REVOKE_TICK_MS)})` : lease;
      }
      if (f.campaigner !== undefined) {
        // A Raft group: the member whose own timer ran out first, a real one (never a draw over members that run none).
        const timer = `${f.campaigner}'s own randomized election timeout (between ${formatDuration(f.misses * f.intervalMs)} and ${formatDuration(f.misses * f.intervalMs + (f.randomizedMs ?? 0))}), the first to run out`;
        if (f.cannotWin) {
          const votes = `only ${formatCount(f.votes ?? 0)} of the ${formatCount(f.needed ?? 0)} votes a majority needs, its own included`;
          return `no leader's heartbeat for ${timer}: it campaigns but cannot win (${votes})`;
        }
        if (f.lateMs !== undefined) return `the ${v.leader} is up, but its heartbeats (sent every ${formatDuration(f.intervalMs)}) now take ${formatDuration(f.lateMs)} one way: none arrived for ${timer}, so it campaigns against it`;
        return `no heartbeat (sent every ${formatDuration(f.intervalMs)}) for ${timer}: it campaigns`;
      }
      if (f.lateMs !== undefined) {
        const timer = f.randomizedMs !== undefined ? `the first voter's randomized election timeout (between ${formatDuration(f.misses * f.intervalMs)} and ${formatDuration(f.misses * f.intervalMs + f.randomizedMs)})` : `the election timeout (${formatDuration(f.misses * f.intervalMs)})`;
        const campaign = v.family === "mongodb" ? "the secondaries call an election against it" : "the followers campaign against it";
        return `the ${v.leader} is up, but its heartbeats (sent every ${formatDuration(f.intervalMs)}) now take ${formatDuration(f.lateMs)} one way: none arrived for ${timer}, so ${campaign}`;
      }
      return f.randomizedMs !== undefined
        ? `no heartbeat (sent every ${formatDuration(f.intervalMs)}) for the first voter's randomized election timeout (between ${formatDuration(f.misses * f.intervalMs)} and ${formatDuration(f.misses * f.intervalMs + f.randomizedMs)})`
        : `${f.misses} heartbeats missed (every ${formatDuration(f.intervalMs)})`;
    case "page":
      return `manual failover: an operator is paged and acts after ${formatDuration(f.operatorDelayMs)}${f.afterRunEnd ? ", after the run ends: no failover happens within it" : ""}`;
    case "fence":
      if (f.via === "stonith") return `STONITH: power off the old ${v.leader} (${formatDuration(f.fencingMs)})`;
      if (f.stillLeads !== undefined) {
        const when = f.stepsDownAtMs !== undefined ? ` at T${relative(f.stepsDownAtMs, context)}` : "";
        return f.stillLeads === "cut-off"
          ? `lease expired: the old ${v.leader} is still up and has not demoted itself yet; cut off, it demotes itself${when}`
          : `the old ${v.leader} is still up and reaches the coordinator, but is being replaced; it demotes itself when it sees the new ${v.leader}`;
      }
      return f.oldLeaderUp ? "lease expired: the old leader has demoted itself" : "lease expired: the old leader is down and cannot write";
    case "no-fence":
      if (f.asReplica) return `no fencing configured (the old ${v.leader} is back, as a ${v.replica}: it takes no writes)`;
      return f.oldLeaderUp ? `no fencing: the old ${v.leader} is still up and nothing stops it accepting writes` : `no fencing configured (the old ${v.leader} happens to be down)`;
    case "promote-lagging":
      return `no ${v.replica} is known to hold every acknowledged write (${f.excluded.map(exclusionText).join("; ")}); policy "promote": availability first, accepting the loss`;
    case "instance-replacing":
      return `no ${v.replica} left to promote: the service creates a new instance for it on the same storage, ready in ~${formatDuration(f.readyInMs)}`;
    case "instance-replaced":
      return "its new instance is up, with every write flushed to the storage: it restarts as the leader";
    case "no-candidate": {
      const reasons = f.excluded.length ? `: ${f.excluded.map(exclusionText).join("; ")}` : "";
      return `no eligible ${v.replica}${reasons} — ${f.policy === "wait" ? 'policy "wait": downtime instead of data loss' : "writes stay down until a candidate appears"}`;
    }
    case "elect":
      return electText(f);
    case "replay-wait":
      return `promotion waits ${formatDuration(f.waitMs)} for it to replay the WAL it received (it applies ${count(f.applyRate)} writes/s): the old leader wrote faster`;
    case "promote-failed":
      return f.reason === "died" ? "the candidate died during promotion; trying the next one" : "promotion failed (it cannot replay its WAL); falling back to the next candidate — RTO grows";
    case "promote":
      return `promoted: new timeline ${f.timeline} from LSN ${formatSize(f.forkLsn)}; ${f.lostAcked === 0 ? "it has every acknowledged write" : `${count(f.lostAcked)} acknowledged ${plural(f.lostAcked, "write")} of the old leader ${f.lostAcked === 1 ? "is" : "are"} not on it (lost)`}`;
    case "promote-will-fail":
      return "if chosen, its promotion will fail";
    case "start-readonly":
      return "reaches the coordinator again and still holds the leader key (it had not expired): starts read-only and renews it";
    case "repromote":
      return `promoted again: it held the leader key, so no other node could be elected (no election; stays on timeline ${f.timeline}, nothing to rewind)`;
  }
}

/** Why the winner won: the position it had over the runner-up, or what broke a tie at the same position. */
function electText(f: Facts<"elect">): string {
  const at = formatSize(f.lsn);
  const why = f.why;
  switch (why.kind) {
    case "only-candidate": {
      if (why.excluded.length > 0) return `elected: the only eligible candidate, at WAL position ${at}; not eligible: ${why.excluded.map(exclusionText).join("; ")}`;
      return `elected: the only candidate, at WAL position ${at}`;
    }
    case "highest-position":
      return `elected: highest WAL position ${at}, ${formatSize(f.lsn - why.runnerUpLsn)} ahead of ${why.runnerUp}`;
    case "priority":
      return `elected: tied with ${names(why.tiedWith)} at WAL position ${at}; won on failover priority (${why.priority} vs ${why.runnerUpPriority})`;
    case "preferred":
      return `elected: failover priority ${why.priority}, above ${why.runnerUp}'s ${why.runnerUpPriority} (election: priority), at WAL position ${at}, ${positionAgainst(f.lsn, why.runnerUp, why.runnerUpLsn)}`;
    case "race":
      return `elected: tied with ${names(why.tiedWith)} at WAL position ${at} with equal priority; first to take the leader key`;
    case "first-timer":
      return `elected by the votes of a majority: ${firstTimerText(f)}`;
  }
}

function exclusionText(x: Exclusion): string {
  switch (x.reason) {
    case "nofailover":
      return `${x.node} (nofailover)`;
    case "failed-leader":
      return `${x.node} (the failed leader this failover replaces: it is not promoted again)`;
    case "behind-quorum":
      return `${x.node} (behind what the reachable standbys of the quorum show was acknowledged: may miss acknowledged writes)`;
    case "no-coordinator":
      return `${x.node} (cannot reach the coordinator)`;
    case "asynchronous":
      return x.degraded ? `${x.node} (the leader had gone on without synchronous standbys: may miss acknowledged writes)` : `${x.node} (asynchronous: may miss acknowledged writes)`;
    case "lag":
      return `${x.node} (lag ${formatSize(x.lagBytes)} > maximum_lag_on_failover ${formatSize(x.maximumLagBytes)})`;
    case "quorum":
      return `ANY ${x.count} of ${x.voters}: a candidate must see ${x.needed} of the listed standbys to know it holds every acknowledged write, and sees ${x.seen}`;
    case "raft":
      return `only ${x.seen} of the ${x.needed} votes a majority of ${x.members} members needs`;
  }
}

type ReplicationKinds =
  | "stall" | "stall-end" | "slow" | "slow-end" | "guard-blocked" | "bad-write" | "bad-write-applied" | "lag-warning" | "lag-page" | "lag-recovered"
  | "falling-behind" | "rewind" | "follow" | "rebuild-refused" | "rebuild" | "rebuilt" | "writes-blocked" | "degrade" | "sync-restored" | "writes-unblocked"
  | "sync-standby" | "redundancy" | "silent-standby";

/** Streaming, the synchronous set, replicas joining, lag and faults on replicas. */
function describeReplication(f: Facts<ReplicationKinds>, v: Vocabulary): string {
  switch (f.event) {
    case "stall":
      return `WAL sender stalled for ${formatDuration(f.forMs)}: it still serves clients but ships nothing`;
    case "stall-end":
      return "WAL sender resumes shipping";
    case "slow":
      return `apply rate drops from ${count(f.fromRate)}/s to ${count(f.toRate)}/s`;
    case "slow-end":
      return `apply rate back to ${count(f.rate)}/s`;
    case "guard-blocked":
      return `the guard refused the ${v.statements[f.statement]} on ${f.dataClass}: ${v.unqualified}, no write`;
    case "bad-write":
      return `the ${v.statements[f.statement]} on ${f.dataClass} touches ${Math.round(f.rowsShare * 100)}% of its rows; committed like any write`;
    case "bad-write-applied":
      return `replayed the ${v.statements[f.statement]}: the damage is now on this replica too`;
    case "lag-warning": case "lag-page":
      return `replication lag ${formatDuration(f.lagMs)} (${formatSize(f.lagBytes)}) crossed the ${f.event === "lag-page" ? "30s paging" : "5s warning"} threshold`;
    case "lag-recovered":
      return "replication lag back under 5s";
    case "falling-behind":
      return `applies ${count(f.applyRate)} writes/s but the ${v.leader} commits ${count(f.commitRate)}/s: it will never catch up; ${fallingBehindReadsText(f.reads, v.leader)}rebuild it or give it capacity`;
    case "rewind":
      return `pg_rewind: discards ${formatSize(f.discardedBytes)} of WAL not on timeline ${f.timeline}`;
    case "follow":
      return `streams from ${f.leader}${f.catchUpWrites ? ` (catching up ${count(f.catchUpWrites)} writes, ${formatSize(f.catchUpBytes)})` : ""}`;
    case "rebuild-refused":
      return "cannot rebuild the leader; fail over first";
    case "rebuild":
      return `re-seeding from a base backup: ${formatSize(f.dataSizeBytes)} at ${formatSize(f.throughputBytes)}/s takes ${formatDuration(f.durationMs)}`;
    case "rebuilt":
      return `restored from the base backup onto a fresh replica (apply rate ${count(f.applyRate)}/s); replaying the WAL written since`;
    case "writes-blocked": {
      const since = f.noticedAfterMs === undefined ? "" : ` from this moment (the leader's HA loop noticed ${formatDuration(f.noticedAfterMs)} later)`;
      if (f.reason === "no-majority") return `no majority: it reaches ${f.members} of the ${f.groupSize} members and needs ${f.majority} to commit; commits wait${since}`;
      const why = f.reason === "none-named" ? `no synchronous standby named yet (${namingText(f)})` : `${f.connected} of ${f.required} required sync standbys connected`;
      return `strict synchronous mode: ${why}; commits wait${since}`;
    }
    case "degrade": {
      const why = f.waitedMs === undefined ? `only ${f.connected} of ${f.required} sync standbys connected` : `a commit waited ${formatDuration(f.waitedMs)} (degrade_after) without a standby's acknowledgement`;
      return `${why}: now committing asynchronously — running without its safety net`;
    }
    case "sync-restored":
      return `synchronous replication restored (${names(f.standbys)})`;
    case "writes-unblocked":
      return f.majority ? `a majority again (with ${names(f.standbys)}); commits resume after ${formatDuration(f.blockedMs)}` : `sync standby back (${names(f.standbys)}); commits resume after ${formatDuration(f.blockedMs)}`;
    case "sync-standby":
      return syncStandbyText(f);
    case "silent-standby": {
      const until = f.by === "member-key" ? `Patroni drops ${f.standbys.length === 1 ? "it" : "them"} when ${f.standbys.length === 1 ? "its member key expires" : "their member keys expire"}` : "its WAL sender times out (wal_sender_timeout)";
      return `commits wait for ${names(f.standbys)}: silent, but no connection reset reached the ${v.leader}, which keeps ${f.standbys.length === 1 ? "it" : "them"} listed until ${until}, ${formatDuration(f.listedForMs)} from now, unless ${f.standbys.length === 1 ? "it answers" : "they answer"} again first`;
    }
    case "redundancy": {
      const sync = f.sync === "async-only" ? "asynchronous only" : f.sync === "none-left" ? "no sync standby left" : `${f.syncCapable} sync-capable ${plural(f.syncCapable, "standby")}`;
      return `${f.up} of ${f.replicas} replicas up; ${sync}`;
    }
  }
}

/** The synchronous standbys the leader names now, and the count it asks of them when it lowered or restored it. */
function syncStandbyText(f: Facts<"sync-standby">): string {
  const head = f.quorum !== undefined ? `synchronous quorum now any ${f.quorum} of ${names(f.standbys)}` : `synchronous ${plural(f.standbys.length, "standby", "standbys")} now ${names(f.standbys)}`;
  if (f.required === undefined || f.configured === undefined) return head;
  return `${head}: count lowered from ${f.configured} to ${f.required} while only ${f.required} eligible ${plural(f.required, "standby streams", "standbys stream")} (raised again as they come back)`;
}

/** Who names the synchronous standby after a promotion: a newly elected leader, or one that leads again on the key it kept. */
function namingText(f: Extract<Facts<"writes-blocked">, { reason: "none-named" }>): string {
  const whose = f.leadsAgain ? "it leads again: its HA loop" : "the new leader's HA loop";
  const among = f.streaming === 0 ? `the replicas that stream from it${f.leadsAgain ? " once more" : ""}, and none does yet` : `the ${f.streaming} streaming`;
  return `${whose} names one among ${among}`;
}

type OtherKinds = "quorum-unavailable" | "hints-dropped" | "hinted-write" | "hints-replayed" | "not-applicable" | "lww-dropped" | "conflict" | "unreplicated" | "unshipped" | "catch-up" | "apply-falling-behind" | "conflicts-surface" | "conflicts-pending" | "clients-home";

/** Leaderless quorums and hinted handoff; multi-leader shipping and conflicts. */
function describeOtherShapes(f: Facts<OtherKinds>): string {
  switch (f.event) {
    case "quorum-unavailable":
    {
      const head = `a write needs W=${f.w} replicas of its key but only ${f.reachable} of N=${f.n} are reachable${f.sloppy ? " even with stand-ins" : " (strict quorum)"}`;
      if (f.answer === "timeout") return `${head}: its coordinator has not marked the missing replicas down yet, so it waits for them and the write times out`;
      return `${head}: its coordinator has marked the missing replicas down: it answers UNAVAILABLE at once, which a client's driver retries once on another node if it can reach one`;
    }
    case "hints-dropped":
      return `down longer than the ${formatDuration(f.hintWindowMs)} hint window: no more hints are kept for it; what it misses from now on reaches it only when a key is written again${f.readRepair ? " or read-repaired" : " (read repair is off)"}, as no anti-entropy repair (nodetool repair) runs here`;
    case "hinted-write":
      return f.standIn ? `sloppy quorum: stands in for ${f.owner} and keeps a hint to replay when it returns` : `${f.owner} is down or cut off: the coordinator keeps a hint of the write to replay when it is back (it counts towards no quorum)`;
    case "hints-replayed": {
      if (f.replayed === 0) return `hinted handoff: none of the ${count(f.owed)} hinted ${plural(f.owed, "write")} ${f.owner} was owed had been replayed ${f.outcome === "crashed" ? "when it went down again" : "when the run ended"}`;
      const head = `hinted handoff: replayed ${count(f.replayed)} hinted ${plural(f.replayed, "write")} to ${f.owner} (from ${names(f.from)})`;
      if (f.outcome === "done") {
        if (f.notKept === 0) return `${head}: all ${count(f.owed)} it was owed`;
        return `${head}: all ${count(f.owed)} kept for it; ${count(f.notKept)} ${plural(f.notKept, "write")} made past the hint window ${f.notKept === 1 ? "was" : "were"} never hinted: it stays behind on ${f.notKept === 1 ? "that key" : "those keys"} until each is written again${f.readRepair ? " or read-repaired" : ""}`;
      }
      return `${head} of the ${count(f.owed)} it was owed; ${count(f.stillWaiting)} still waiting ${f.outcome === "crashed" ? "as it went down again" : "when the run ended"}`;
    }
    case "not-applicable":
      return `${f.faultKind} does not apply to a ${f.mode} cluster; ignored`;
    case "lww-dropped":
      if (f.concurrent) return "first write dropped by last-write-wins: a concurrent write to the same key through this coordinator carried a later timestamp; the other is silently discarded";
      if (f.as === "leader") return `first write dropped by last-write-wins although made after this leader's write to the key had reached its own leader: this leader's clock runs ${formatDuration(f.aheadMs)} ahead of that one's, so the earlier write carries the later timestamp and the later one, acknowledged, is silently discarded (as is every write to a key made elsewhere within ${formatDuration(f.aheadMs)} after this leader's)`;
      return `first write dropped by last-write-wins: this coordinator's clock runs ${formatDuration(f.aheadMs)} ahead, so its earlier write to the key carries the later timestamp and a write made after it, even acknowledged, is silently discarded`;
    case "conflict":
      return `first conflict: two leaders accepted writes to the same key concurrently; ${firstConflictText(f.policy)}`;
    case "unreplicated":
      return `${count(f.writes)} ${plural(f.writes, "write")} it had acknowledged had not reached another region yet: gone with it for good`;
    case "unshipped":
      return `${count(f.writes)} ${plural(f.writes, "write")} it had acknowledged had not reached another region yet: they wait on its disk and ship when it is back`;
    case "catch-up": {
      const head = `receives ${count(f.writes)} ${plural(f.writes, "write")} queued for it (${formatDuration(f.shipMs)} to ship at ${formatSize(f.bytesPerSecond)}/s, ${formatDuration(f.applyMs)} to apply at ${count(f.applyRate)} writes/s`;
      const arriving = `about ${count(Math.round(f.incomingRate))} writes/s more arrive`;
      if (f.caughtUpMs === Infinity) return `${head}; never caught up: ${arriving} meanwhile, as fast as it applies or faster)`;
      // Writes still arriving (a tenth of the apply rate or more) put the catch-up visibly past the backlog's apply time.
      if (f.caughtUpMs - f.applyMs < Math.max(1, f.applyMs * 0.1)) return `${head})`;
      return `${head}; caught up after ${formatDuration(f.caughtUpMs)}, as ${arriving} meanwhile)`;
    }
    case "apply-falling-behind": {
      const rate = (r: number) => count(Math.round(r));
      if (f.applyRate === 0) return `applies none of ${f.origin}'s writes (apply_rate 0) while ${f.origin} makes ${rate(f.incomingRate)}/s: every one waits unapplied, reads from it missing all of them; give it an apply_rate`;
      return `applies ${f.origin}'s writes at ${rate(f.applyRate)}/s but ${f.origin} makes ${rate(f.incomingRate)}/s: it falls ${rate(f.incomingRate - f.applyRate)} writes further behind every second and never catches up, reads from it missing ever more of them; give it a higher apply_rate or send it fewer writes`;
    }
    case "clients-home": {
      const head = `${count(f.clients)} ${plural(f.clients, "client")} writing to another region's leader meanwhile go back to it`;
      if (f.via === "proxy") return `${head} once the proxy's health checks mark it up, ${formatDuration(f.afterMs)} later`;
      const late = f.stale > 0 ? ` (${count(f.stale)} caching it longer, after up to ${formatDuration(Math.max(f.ttlMs, f.staleForMs))})` : "";
      return `${head} as their DNS caches expire, within the ${formatDuration(f.ttlMs)} TTL${late}`;
    }
    case "conflicts-surface":
      return `${count(f.conflicts)} ${plural(f.conflicts, "conflict")} surface as the queued writes arrive (each a pair of writes to one key made on leaders that had not seen each other): ${surfacedConflictText(f.policy)}`;
    case "conflicts-pending":
      return `the run ends with ${count(f.queued)} ${plural(f.queued, "write")} still queued between leaders: the conflicts they carry are not resolved yet, so no write is counted lost to them; ${pendingConflictText(f.policy, f.projectedLost)}`;
  }
}

/** A share of keys as a percentage that never reads 0% for some keys nor 100% for not all of them. */
export function keyShareText(keys: number, totalKeys: number): string {
  const share = totalKeys === 0 ? 0 : keys / totalKeys;
  if (share > 0 && share < 0.001) return "<0.1%";
  if (share < 1 && share > 0.999) return ">99.9%";
  const fixed = (share * 100).toFixed(1);
  return `${fixed.replace(/\.0$/, "")}%`;
}

/** The keys that cannot be written or read (a partial outage, from the cluster's state), or that all are back. */
function keysText(f: Facts<"keys-unavailable" | "keys-available">): string {
  const who = `${names(f.classes)}: `;
  if (f.event === "keys-available") return `${who}every key can be written and read again`;
  const some = (keys: number) => `${count(keys)} of ${count(f.totalKeys)} keys (${keyShareText(keys, f.totalKeys)})`;
  if (!("n" in f)) return `${who}${homeKeysText(f, some)}`;
  const { writes, reads } = f;
  const why = (needed: number) =>
    f.sloppy ? `fewer than ${needed} healthy nodes, stand-ins included, can be reached for them` : `fewer than ${needed} of their N=${f.n} replicas can be reached (strict quorum)`;
  if (writes.keys === reads.keys) {
    const needs = writes.needed === reads.needed ? `W=R=${writes.needed}` : `W=${writes.needed}, R=${reads.needed}`;
    return `${who}${some(writes.keys)} cannot be written or read (${needs}): ${why(Math.min(writes.needed, reads.needed))}`;
  }
  if (reads.keys === 0) return `${who}${some(writes.keys)} cannot be written (W=${writes.needed}): ${why(writes.needed)}; every key can be read (R=${reads.needed})`;
  if (writes.keys === 0) return `${who}${some(reads.keys)} cannot be read (R=${reads.needed}): ${why(reads.needed)}; every key can be written (W=${writes.needed})`;
  return `${who}${some(writes.keys)} cannot be written (W=${writes.needed}) and ${count(reads.keys)} (${keyShareText(reads.keys, f.totalKeys)}) cannot be read (R=${reads.needed}): too few ${f.sloppy ? "healthy nodes, stand-ins included," : `of their N=${f.n} replicas`} can be reached${f.sloppy ? " for them" : " (strict quorum)"}`;
}

/**
 * A multi-leader home-region partial outage: the regions whose clients reach no live home leader (their keys
 * written nowhere else), and those whose clients reach no leader at all (their keys not even read). A key that
 * cannot be read cannot be written either: its home leader is one of the leaders.
 */
function homeKeysText(f: { writes: HomeKeys; reads: HomeKeys }, some: (keys: number) => string): string {
  const { writes, reads } = f;
  const regions = (k: HomeKeys) => `${plural(k.regions.length, "region")} ${names(k.regions)}`;
  if (reads.keys === writes.keys) return `${some(writes.keys)} cannot be written or read: no leader is up and in reach of the clients of their home ${regions(writes)}`;
  const leaders = `${plural(writes.leaders.length, "leader")} ${names(writes.leaders)}`;
  const written = `${some(writes.keys)} cannot be written: their home ${leaders} (${names(writes.regions)}) ${writes.leaders.length === 1 ? "is" : "are"} down or out of their clients' reach, and home-region routing writes them nowhere else`;
  if (reads.keys === 0) return `${written}; another region's leader still serves their reads`;
  return `${written}; those of ${regions(reads)} (${count(reads.keys)}) cannot be read either: no leader is up and in their clients' reach`;
}

/**
 * A proxy marking a node down: it cuts the sessions of a node that is up but no longer the leader; after a host
 * failure the sessions died with the host, and the proxy closes the client side of those still open to it.
 */
function proxyDownText(sessions: number, hostDown: boolean): string {
  const them = `${count(sessions)} client ${plural(sessions, "session")}`;
  const after = sessions === 1 ? "it reconnects" : "they all reconnect at once";
  if (hostDown) return `proxy health checks mark it down and close the ${them} still open to the dead host: ${after}`;
  return `proxy marks it down and cuts ${them}: ${after}`;
}

function firstConflictText(policy: ConflictPolicy): string {
  if (policy === "lww") return "last-write-wins keeps the later timestamp and silently drops the other";
  return policy === "crdt" ? "the CRDT merges both: nothing is lost" : "both are kept as siblings for the application to resolve";
}

/** What the conflicts still queued at the end of the run would do once they arrive (projected, not measured). */
function pendingConflictText(policy: ConflictPolicy, projectedLost: number): string {
  if (policy === "crdt") return "once they arrive, the CRDT merges them: nothing is lost";
  if (policy === "app") return "once they arrive, each conflict leaves siblings for the application to merge";
  if (projectedLost === 0) return "once they arrive, last-write-wins would drop no acknowledged write (projected)";
  return `once they arrive, last-write-wins would silently drop ${count(projectedLost)} acknowledged ${plural(projectedLost, "write")} (projected, not measured)`;
}

function surfacedConflictText(policy: ConflictPolicy): string {
  if (policy === "lww") return "last-write-wins keeps each key's latest timestamp and silently drops the other side's whole line of versions (writes lost count each write once, not each pair)";
  return policy === "crdt" ? "each merges; nothing is lost" : "each leaves the other side's line as siblings for the application to merge; nothing is lost";
}

function assertNever(x: never): never {
  throw new Error(`assertion: a timeline fact with no words: ${JSON.stringify(x)}`);
}

