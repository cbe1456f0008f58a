// The words of a MongoDB replica set's timeline (the `mongodb` preset). It runs
// on the leader/follower machinery and records the same facts, but a MongoDB
// engineer knows no leader key, timeline, LSN, WAL or synchronous standby: the
// members elect a primary for a term by a majority's votes (each votes only
// for a candidate whose oplog is at least as recent as its own), secondaries
// fetch the primary's oplog, a write with w: "majority" is acknowledged once a
// majority of the members (the primary included) has it, a former primary
// rolls back what the new one lacks into its rollback files, and drivers find
// the primary by monitoring the members. Only the facts whose words differ are
// here; the others read as timeline.ts says them, with the nouns of
// vocabulary.ts (primary, secondary, oplog).
import type { Exclusion } from "../../engine/leader-follower/events.js";
import type { TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import { budgetText, fallingBehindReadsText, positionAgainst, readPoolText, type SharedWords } from "./system-words.js";
import { wordsOf } from "./vocabulary.js";
import { firstTimerText } from "./raft-words.js";

type Facts<K extends TimelineFact["event"]> = Extract<TimelineFact, { event: K }>;

const names = (list: string[]) => list.join(", ");
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);
/** A count as every report prints it: the shared formatter, thousands separators and all. */
const count = formatCount;

/** The term a run's elections reach: the run starts in the initial primary's term, 1, and each election won starts the next. */
function termText(shared: SharedWords): string {
  const elections = shared.electionsSoFar();
  return elections === null ? "a new term" : `term ${elections + 1}`;
}

/** The fencing step while the old primary is still up and primary (the quorum fences it, in time). */
function stillPrimaryText(e: Extract<TimelineFact, { event: "fence"; via: "lease" }>, shared: SharedWords): string {
  const head =
    e.stillLeads === "cut-off"
      ? `no fencing needed: the old primary is still up and still primary, cut off from the majority; it steps down${e.stepsDownAtMs !== undefined ? ` at T${shared.relative(e.stepsDownAtMs)}` : ""}, when it has heard from no majority for an election timeout`
      : "no fencing needed: the old primary is still up and primary, but its heartbeats come too late: the secondaries call an election, and it steps down when the new term reaches it";
  const n = e.unreplicatedAcked ?? 0;
  if (n === 0) return `${head}; meanwhile no write it takes can be majority-committed`;
  return `${head}; meanwhile it acknowledges w: 1 writes that no other member has (${count(n)} so far: rolled back if a primary is elected without ${n === 1 ? "it" : "them"})`;
}

/** The fact in a MongoDB replica set's words, or null when it reads as timeline.ts says it. */
export function mongodbText(e: TimelineFact, shared: SharedWords): string | null {
  switch (e.event) {
    case "coordinator-lost":
      return `cannot see a majority of the members; will step down to secondary at T${shared.relative(e.demoteAtMs)}, when it has heard from no majority for an election timeout`;
    case "demote":
      if (e.reason === "lease-lost") {
        const head = "steps down to secondary: it has not seen a majority of the members for an election timeout";
        if (!e.unreplicatedAcked) return `${head}, and without one it could not have a write majority-committed anyway (no split brain)`;
        return `${head} (no split brain); ${unreplicatedText(e.unreplicatedAcked)}`;
      }
      return `hears of ${e.leader}, primary in a later term: steps down to secondary${e.reason === "sees-leader-split-brain-over" ? "; split brain over" : ""}`;
    case "fence":
      if (e.via !== "lease") return null;
      if (e.stillLeads !== undefined) return stillPrimaryText(e, shared);
      if (e.unreplicatedAcked) {
        const n = e.unreplicatedAcked;
        return `no fencing needed: the old primary ${e.oldLeaderUp ? "has stepped down" : "is down"}; fencing could not save the ${count(n)} ${plural(n, "write")} it acknowledged with w: 1 that no other member has (rolled back if a primary is elected without ${n === 1 ? "it" : "them"})`;
      }
      return `no fencing needed: the old primary ${e.oldLeaderUp ? "has stepped down" : "is down"}, and a primary that sees no majority has no write majority-committed`;
    case "no-candidate":
      return `no secondary can be elected${e.excluded.length ? `: ${e.excluded.map((x) => exclusionText(x, shared)).join("; ")}` : ""} — ${e.policy === "wait" ? 'policy "wait": downtime instead of data loss' : "writes stay down until a member can win a majority's votes"}`;
    case "promote-lagging":
      return `no secondary is known to hold every majority-committed write (${e.excluded.map((x) => exclusionText(x, shared)).join("; ")}); policy "promote": availability first, accepting the loss`;
    case "elect":
      return electText(e, shared);
    case "replay-wait":
      return `steps up ${formatDuration(e.waitMs)} later, after drain mode: it first applies the oplog entries it had fetched (it applies ${count(e.applyRate)} writes/s; the old primary wrote faster)`;
    case "promote-failed":
      return e.reason === "died" ? "the elected member died before stepping up; another member calls an election" : "the elected member cannot apply its oplog and never steps up; another member calls an election — RTO grows";
    case "promote":
      return `steps up to primary in ${termText(shared)}, its oplog ending at ${formatSize(e.forkLsn)}; ${e.lostAcked === 0 ? "it has every acknowledged write" : `${count(e.lostAcked)} acknowledged ${plural(e.lostAcked, "write")} of the old primary ${e.lostAcked === 1 ? "is" : "are"} not in its oplog: lost here, and rolled back on the old primary when it rejoins`}`;
    case "promote-will-fail":
      return "if elected, it will fail to step up";
    case "recover":
      return recoverText(e);
    case "endpoint":
      if (e.via !== "proxy") return null;
      return `drivers find ${e.target} primary: while an operation waits for a primary, a driver re-checks the members every ${formatDuration(e.checkIntervalMs)} (minHeartbeatFrequencyMS), and ${e.rise === 1 ? "its first check" : `${e.rise} checks`} after the step-up ${e.rise === 1 ? "finds" : "find"} it`;
    case "read-pool-out": case "read-pool-in":
      // A driver bounds staleness in seconds (maxStalenessSeconds); a byte budget is none of its settings.
      return readPoolText(
        e,
        "drivers' monitoring",
        e.pool === "any"
          ? "members they read from (readPreference nearest)"
          : e.maxLagMs !== undefined
            ? `secondaries they read from (readPreference secondary, maxStalenessSeconds ${Math.round(e.maxLagMs / 1000)})`
            : e.maxLagBytes !== undefined
              ? `secondaries they read from (readPreference secondary, with a custom ${budgetText(e)} check: a driver's maxStalenessSeconds counts seconds)`
              : "secondaries they read from (readPreference secondary)",
      );
    case "proxy-down": {
      const them = `${count(e.sessionsCut)} client ${plural(e.sessionsCut, "connection")}`;
      const after = e.sessionsCut === 1 ? "it reconnects" : "they all reconnect at once";
      if (e.hostDown === true) return `drivers' checks fail: they mark it Unknown and close the ${them} still open to the dead host: ${after}`;
      return `no longer primary: drivers mark it Unknown at the first "not primary" error and close ${them}: ${after}`;
    }
    case "archive-fails":
      return `oplog archiving silently stops${e.forMs !== null ? ` for ${formatDuration(e.forMs)}` : " for the rest of the run"}: the backup agent fails and retries; the primary's oplog still holds the entries, shipped once it works again`;
    default:
      return replicationText(e);
  }
}

/** Writes a primary acknowledged without a majority (w: 1) that no other member has: a primary elected without them rolls them back. */
function unreplicatedText(n: number): string {
  return `${count(n)} ${plural(n, "write")} it acknowledged without a majority (w: 1) ${n === 1 ? "is" : "are"} on no other member: not majority-committed, ${n === 1 ? "it is" : "they are"} rolled back (into its rollback files) if a primary is elected without ${n === 1 ? "it" : "them"}`;
}

function exclusionText(x: Exclusion, shared: SharedWords): string {
  switch (x.reason) {
    case "nofailover":
      return `${x.node} (nofailover: priority 0, never stands for election)`;
    case "no-coordinator":
      return `${x.node} (cannot reach a majority of the members)`;
    case "asynchronous":
      return `${x.node} (not known to hold every majority-committed write)`;
    case "lag":
      return `${x.node} (its oplog ${formatSize(x.lagBytes)} behind, more than maximum_lag_on_failover ${formatSize(x.maximumLagBytes)})`;
    case "quorum":
      return `a candidate must reach ${x.needed} of the ${x.voters} ${plural(x.voters, "secondary", "secondaries")} that may hold a majority-committed write to know its oplog has them all, and reaches ${x.seen}`;
    case "raft": case "failed-leader": case "behind-quorum":
      return shared.exclusion(x);
  }
}

/** Why the winner won: a member votes only for a candidate whose oplog is at least as recent as its own; priority and the first timer to run out decide between equals. */
function electText(f: Facts<"elect">, shared: SharedWords): string {
  const at = formatSize(f.lsn);
  const why = f.why;
  const head = `elected primary in ${termText(shared)} by a majority's votes`;
  switch (why.kind) {
    case "only-candidate":
      if (why.excluded.length > 0) return `${head}: the only member that could win, its oplog at ${at}; could not: ${why.excluded.map((x) => exclusionText(x, shared)).join("; ")}`;
      return `${head}: the only candidate, its oplog at ${at}`;
    case "highest-position":
      return `${head}: the most recent oplog (${at}), ${formatSize(f.lsn - why.runnerUpLsn)} ahead of ${why.runnerUp}'s`;
    case "priority":
      return `${head}: its oplog level with ${names(why.tiedWith)}'s at ${at}; won on priority (${why.priority} vs ${why.runnerUpPriority})`;
    case "preferred":
      return `${head}: its priority ${why.priority}, above ${why.runnerUp}'s ${why.runnerUpPriority}, won; its oplog at ${at}, ${positionAgainst(f.lsn, why.runnerUp, why.runnerUpLsn)}`;
    case "race":
      return `${head}: its oplog level with ${names(why.tiedWith)}'s at ${at}, equal priority; its randomized election timer ran out first, so it called the election`;
    case "first-timer":
      return `elected by the votes of a majority: ${firstTimerText(f)}`;
  }
}

function recoverText(e: Facts<"recover">): string | null {
  switch (e.as) {
    case "leader-within-lease":
      return "back before the secondaries' election timers ran out: it is primary again (no election happened)";
    case "replica-racing":
      return "host back after the election timeout: starts as a secondary and may stand for election";
    case "replica-rewind":
      // With no primary elected yet there is no oplog to roll back against: that waits until it syncs from the next one.
      if (e.noLeader) return `host back with no primary elected: restarts as a secondary in ~${formatDuration(e.rejoinMs)} and may stand for election; any writes of its own the next primary's oplog lacks are rolled back when it syncs from it`;
      return `host back; rejoins as a secondary in ~${formatDuration(e.rejoinMs)}, rolling back any writes the primary's oplog lacks`;
    case "replica-restart":
      if (e.awaitsElection) return `host back before the secondaries' election timers ran out: restarts as a secondary (a member keeps its term and oplog across a restart, never its role) and may stand for election once up in ~${formatDuration(e.rejoinMs)}`;
      if (e.consensus) return `host back; the member restarts from its own oplog and syncs again in ~${formatDuration(e.rejoinMs)}`;
      if (e.noLeader) return "host back with no primary: restarts as a secondary (it was not primary: nothing to roll back) and syncs once one is elected";
      return `host back; restarts as a secondary and syncs again in ~${formatDuration(e.rejoinMs)} (it was not primary: nothing to roll back)`;
    default:
      return null;
  }
}

/** Oplog replication, the write majority and the secondaries. */
function replicationText(e: TimelineFact): string | null {
  switch (e.event) {
    case "stall":
      return `stops serving its oplog for ${formatDuration(e.forMs)}: it still serves clients, but the secondaries fetch nothing`;
    case "stall-end":
      return "serves its oplog to the secondaries again";
    case "bad-write-applied":
      return `applied the ${wordsOf("mongodb").statements[e.statement]} from the oplog: the damage is now on this secondary too`;
    case "falling-behind":
      return `applies ${count(e.applyRate)} writes/s but the primary commits ${count(e.commitRate)}/s: it will never catch up; ${fallingBehindReadsText(e.reads, "primary")}resync it or give it capacity`;
    case "rewind":
      return `rollback: discards ${formatSize(e.discardedBytes)} of oplog entries the new primary does not have, writing the documents they changed to its rollback files`;
    case "follow":
      return `syncs from ${e.leader}${e.catchUpWrites ? ` (fetching the ${count(e.catchUpWrites)} oplog ${plural(e.catchUpWrites, "entry", "entries")} it lacks, ${formatSize(e.catchUpBytes)})` : ""}`;
    case "rebuild-refused":
      return "cannot resync the primary; step it down first";
    case "rebuild":
      return `re-seeding from a snapshot: ${formatSize(e.dataSizeBytes)} at ${formatSize(e.throughputBytes)}/s takes ${formatDuration(e.durationMs)}`;
    case "rebuilt":
      return `restored from the snapshot onto a fresh member (apply rate ${count(e.applyRate)}/s); fetching the oplog written since`;
    case "writes-blocked":
      return blockedText(e);
    case "degrade": {
      const why = e.waitedMs === undefined ? `only ${e.connected} of the ${e.required} ${plural(e.required, "secondary", "secondaries")} a majority needs replicate from it` : `a write waited ${formatDuration(e.waitedMs)} (degrade_after) for a majority`;
      return `${why}: now acknowledging writes on the primary alone, as with w: 1 — running without its safety net`;
    }
    case "sync-restored":
      return `majority writes again (with ${names(e.standbys)})`;
    case "writes-unblocked":
      return `a majority again (with ${names(e.standbys)}); majority writes resume after ${formatDuration(e.blockedMs)}`;
    case "sync-standby":
      return `the majority now counts on ${names(e.standbys)}`;
    case "redundancy":
      return redundancyText(e);
    default:
      return null;
  }
}

/** Majority writes that cannot be acknowledged: too few secondaries replicate from the primary. */
function blockedText(e: Facts<"writes-blocked">): string {
  switch (e.reason) {
    case "no-majority":
      return `no majority: it reaches ${e.members} of the ${e.groupSize} members and needs ${e.majority}; majority writes wait`;
    case "too-few": {
      const needs = `${e.required} ${plural(e.required, "secondary", "secondaries")}`;
      if (e.connected === 0) return `w: "majority" cannot be met: no secondary replicates from it, and a majority needs ${needs}; majority writes wait`;
      return `w: "majority" cannot be met: only ${e.connected} of the ${needs} a majority needs ${e.connected === 1 ? "replicates" : "replicate"} from it; majority writes wait`;
    }
    case "none-named":
      return `w: "majority" cannot be met yet: ${e.streaming} ${plural(e.streaming, "secondary", "secondaries")} replicate from it; majority writes wait`;
  }
}

/** How many secondaries the primary reaches, and whether they make a majority with it. */
function redundancyText(e: Facts<"redundancy">): string {
  const up = `${e.up} of ${e.replicas} ${plural(e.replicas, "secondary", "secondaries")} up`;
  if (e.sync === "async-only") return `${up}; writes wait for no secondary (w: 1)`;
  if (e.sync === "none-left") return `${up}; too few left for a majority: majority writes wait`;
  return `${up}: enough to make a majority (${e.syncCapable} ${plural(e.syncCapable, "secondary", "secondaries")} can), once they replicate from it`;
}
