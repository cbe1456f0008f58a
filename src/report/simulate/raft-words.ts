// The words of a consensus (Raft) run's timeline. A Raft group runs on the
// leader/follower machinery and records the same facts, but a Raft engineer
// knows no pg_rewind, leader key, timeline or synchronous standby: leaders are
// elected for a term by the votes of a majority, followers' logs are made to
// match the leader's by AppendEntries (a follower's uncommitted conflicting
// suffix is truncated), and a write commits once a majority has it in its log.
// Only the facts whose words differ are here; the others read the same in
// every mode (see timeline.ts).
import type { Exclusion } from "../../engine/leader-follower/events.js";
import type { TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import { positionAgainst, readPoolText, type SharedWords } from "./system-words.js";
import { wordsOf } from "./vocabulary.js";

type Facts<K extends TimelineFact["event"]> = Extract<TimelineFact, { event: K }>;

const names = (list: string[]) => list.join(", ");

/** The fact in Raft's words, or null when it reads the same in every mode. */
export function raftText(e: TimelineFact, shared: SharedWords): string | null {
  switch (e.event) {
    case "coordinator-lost":
      return `hears from no majority of the members; will step down to follower at T${shared.relative(e.demoteAtMs)}, ${stepDownWhen(e.quorumCheckEveryMs)}`;
    case "demote":
      if (e.reason === "lease-lost") return "steps down to follower: its quorum check finds no majority answered it over the last election timeout (CheckQuorum); alone it could commit nothing anyway (no split brain)";
      return `hears from ${e.leader}, leader of a later term: steps down to follower${e.reason === "sees-leader-split-brain-over" ? "; split brain over" : ""}`;
    case "fence":
      if (e.via !== "lease") return null;
      if (e.stillLeads === "cut-off") {
        const when = e.stepsDownAtMs !== undefined ? ` at T${shared.relative(e.stepsDownAtMs)}` : "";
        return `no fencing needed: the old leader is still up and still takes itself for the leader, but cut off from the majority it can commit nothing; it steps down${when}, ${e.quorumCheckEveryMs !== undefined ? "at its first quorum check that finds no majority answered it (CheckQuorum)" : stepDownWhen(undefined)}`;
      }
      if (e.stillLeads === "outvoted") {
        return "no fencing needed: the old leader is still up and leading, but its heartbeats come too late: once the followers vote for a new leader they refuse its entries, so it can commit nothing more, and it steps down when the new term reaches it";
      }
      return `no fencing needed: the old leader ${e.oldLeaderUp ? "has stepped down" : "is down"}, and without a majority it can commit nothing`;
    case "no-candidate":
      return `no member can be elected${e.excluded.length ? `: ${e.excluded.map((x) => raftExclusion(x, shared)).join("; ")}` : ""} — writes stay down until a majority of the members can vote again`;
    case "elect":
      return electText(e, shared);
    case "replay-wait":
      return `takes over ${formatDuration(e.waitMs)} later: it first applies the log entries it had received to its state machine (it applies ${formatCount(e.applyRate)} writes/s; the old leader wrote faster)`;
    case "promote-failed":
      return e.reason === "died" ? "the elected member died before taking over; another member campaigns" : "the elected member cannot apply its log; another member campaigns — RTO grows";
    case "promote":
      // No term number: the fact's timeline counts the leaders that took over, and a Raft term also counts elections whose winner never did.
      return `leader for a new term, its log ending at ${formatSize(e.forkLsn)}; ${e.lostAcked === 0 ? "it holds every committed write" : `${formatCount(e.lostAcked)} acknowledged ${e.lostAcked === 1 ? "write" : "writes"} of the old leader ${e.lostAcked === 1 ? "is" : "are"} not in its log (lost)`}`;
    case "promote-will-fail":
      return "if elected, it will fail to take over";
    case "recover":
      return recoverText(e);
    case "writes-blocked":
      return blockedText(e);
    case "writes-unblocked":
      return `a majority again (with ${names(e.standbys)}); commits resume after ${formatDuration(e.blockedMs)}`;
    case "read-pool-out": case "read-pool-in":
      // etcd's client reads from any member it reaches: no proxy pool, no Patroni check.
      if (shared.preset !== "etcd-raft") return null;
      return readPoolText(e, "etcd's client", "members it sends reads to");
    case "endpoint":
      // etcd's own client: no proxy in the way (the preset's endpoint stands for the client's retries).
      if (e.via !== "proxy" || shared.preset !== "etcd-raft") return null;
      return `clients reach ${e.target}: etcd's client retries another member as soon as a request fails, and any member passes a proposal on to the leader`;
    case "proxy-down":
      if (shared.preset !== "etcd-raft") return null;
      return `clients drop their ${e.sessionsCut === 1 ? "connection" : `${e.sessionsCut.toLocaleString("en-US")} connections`} to it ${e.hostDown === true ? "(its host is down)" : "(it is no longer the leader)"} and retry another member`;
    default:
      return replicationText(e);
  }
}

/**
 * When a leader cut off from the majority steps down: at the first of its quorum checks (one every election timeout
 * since it was elected, as etcd's CheckQuorum runs) that finds no majority answered since the check before, or,
 * checking continuously, an election timeout after a majority last answered it.
 */
function stepDownWhen(checkEveryMs: number | undefined): string {
  return checkEveryMs !== undefined
    ? `at its first quorum check (one every election timeout, ${formatDuration(checkEveryMs)}, since it was elected) that finds no majority answered it since the check before (CheckQuorum): between one and two election timeouts after the last answer`
    : "an election timeout after a majority last answered it (CheckQuorum)";
}

function raftExclusion(x: Exclusion, shared: SharedWords): string {
  return x.reason === "no-coordinator" ? `${x.node} (cannot reach a majority)` : shared.exclusion(x);
}

/** Why the winner won: Raft voters grant their vote only to a candidate whose log is at least as up to date as theirs. */
function electText(f: Facts<"elect">, shared: SharedWords): string {
  const at = formatSize(f.lsn);
  const why = f.why;
  const head = "elected by the votes of a majority";
  switch (why.kind) {
    case "only-candidate":
      if (why.excluded.length > 0) return `${head}: the only member that could win, its log at ${at}; could not: ${why.excluded.map((x) => raftExclusion(x, shared)).join("; ")}`;
      return `${head}: the only candidate, its log at ${at}`;
    case "highest-position":
      return `${head}: the most up-to-date log (${at}), ${formatSize(f.lsn - why.runnerUpLsn)} ahead of ${why.runnerUp}'s`;
    case "priority":
      return `${head}: its log level with ${names(why.tiedWith)}'s at ${at}; won on failover priority (${why.priority} vs ${why.runnerUpPriority})`;
    case "preferred":
      return `${head}: failover priority ${why.priority}, above ${why.runnerUp}'s ${why.runnerUpPriority}, won; its log at ${at}, ${positionAgainst(f.lsn, why.runnerUp, why.runnerUpLsn)}`;
    case "race":
      return `${head}: its log level with ${names(why.tiedWith)}'s at ${at}; its randomized election timer ran out first, so it asked for votes first`;
    case "first-timer":
      return `${head}: ${firstTimerText(f)}`;
  }
}

/**
 * A Raft winner: its own election timer ran out first among the members a majority would vote for; where its log
 * stands against the others' (a longer log's extra entries were never committed, and are truncated when it follows).
 */
export function firstTimerText(f: Facts<"elect">): string {
  const why = f.why;
  if (why.kind !== "first-timer") return "";
  const at = formatSize(f.lsn);
  const behind = f.others.filter((o) => o.lsn < f.lsn).sort((x, y) => y.lsn - x.lsn);
  const stands = [
    ...(why.level.length > 0 ? [`level with ${names(why.level)}'s`] : []),
    ...(behind.length > 0 ? [`${formatSize(f.lsn - behind[0].lsn)} ahead of ${behind[0].node}'s`] : []),
  ];
  const ahead = why.ahead.map((a) => `${a.node}'s log reaches ${formatSize(a.lsn - f.lsn)} further, entries no majority acknowledged, truncated when it follows`);
  return [`its randomized election timer ran out first of the members a majority would vote for; its log at ${at}${stands.length > 0 ? `, ${stands.join(", ")}` : ""}`, ...ahead].join("; ");
}

/**
 * Commits that wait for a majority (a leader/follower run under etcd-raft counts it in followers besides the
 * leader: `required`; a consensus run, in members): no standby is named, nothing but the leader notices.
 */
function blockedText(e: Facts<"writes-blocked">): string {
  const since = e.noticedAfterMs === undefined ? "" : ` from this moment (the leader noticed ${formatDuration(e.noticedAfterMs)} later)`;
  switch (e.reason) {
    case "no-majority":
      return `no majority: it reaches ${e.members} of the ${e.groupSize} members and needs ${e.majority} to commit; commits wait${since}`;
    case "too-few":
      return `a commit needs a majority: ${e.required} ${e.required === 1 ? "follower" : "followers"} besides the leader, and ${e.connected === 0 ? "none follows it yet" : `only ${e.connected} ${e.connected === 1 ? "follows" : "follow"} it`}; commits wait${since}`;
    case "none-named":
      return `a commit needs a majority, and ${e.streaming === 0 ? "no follower follows it yet" : `none of the ${e.streaming} following it has acknowledged yet`}; commits wait${since}`;
  }
}

function recoverText(e: Facts<"recover">): string | null {
  switch (e.as) {
    // A leader/follower run under etcd-raft: back before the followers' election timeout ran out, nobody campaigned.
    case "leader-within-lease":
      return "host back before the followers' election timeout ran out: no member campaigned, so it leads on with its log intact (no failover happened)";
    case "replica-racing":
      return "host back after the followers' election timeout ran out: restarts as a follower and campaigns like the others";
    case "replica-rewind": case "replica-restart":
      if (e.noLeader) return `host back with no leader up: restarts as a follower from its own log; it follows (its diverged entries truncated) once a leader is elected`;
      // A Raft leader never comes back leading or racing for a key (see recoverNode): it restarts as a follower.
      if (e.as === "replica-restart" && e.awaitsElection) return `host back before the followers' election timers ran out: restarts as a follower (a member keeps its term, vote and log across a restart, never its role) and votes or campaigns once up in ~${formatDuration(e.rejoinMs)}; with no heartbeat, the followers will elect a leader`;
      return `host back; the member restarts from its own log and rejoins the group in ~${formatDuration(e.rejoinMs)}; the leader's AppendEntries then bring its log up to date`;
    default:
      return null;
  }
}

/** Log replication: entries sent by AppendEntries, a follower's conflicting suffix truncated, the majority that commits. */
function replicationText(e: TimelineFact): string | null {
  switch (e.event) {
    case "stall":
      return `stops sending log entries for ${formatDuration(e.forMs)} (its AppendEntries stall): it still serves clients but replicates nothing`;
    case "stall-end":
      return "sends log entries again";
    case "bad-write-applied":
      return `applied the ${wordsOf("raft").statements[e.statement]} from the log: the damage is now on this member too`;
    case "rewind":
      return `AppendEntries' consistency check finds its log diverged: truncates ${formatSize(e.discardedBytes)} of uncommitted entries from an older term that the leader's log does not have`;
    case "follow":
      return `follows ${e.leader}${e.catchUpWrites ? `; the leader's AppendEntries send it the ${formatCount(e.catchUpWrites)} log ${e.catchUpWrites === 1 ? "entry" : "entries"} it lacks (${formatSize(e.catchUpBytes)})` : ""}`;
    case "rebuild-refused":
      return "cannot rebuild the leader; transfer leadership first";
    case "rebuild":
      return `re-seeding from a snapshot: ${formatSize(e.dataSizeBytes)} at ${formatSize(e.throughputBytes)}/s takes ${formatDuration(e.durationMs)}`;
    case "rebuilt":
      return `restored from the snapshot onto a fresh member (apply rate ${formatCount(e.applyRate)}/s); the leader sends the log entries written since`;
    case "redundancy":
      return redundancyText(e);
    default:
      return null;
  }
}

/** How many members the leader reaches against the majority a commit needs (the group is the leader and its followers). */
function redundancyText(e: Facts<"redundancy">): string {
  const members = e.replicas + 1;
  const reached = e.up + 1;
  const majority = Math.floor(members / 2) + 1;
  const spare = reached - majority;
  const margin = spare < 0 ? "too few to commit" : spare === 0 ? "commits go on; losing one more member stops them" : `commits go on and survive losing ${spare} more ${spare === 1 ? "member" : "members"}`;
  return `${reached} of ${members} members reach the leader (itself included); a majority is ${majority}: ${margin}`;
}
