// The words of a MySQL timeline (the `mysql-semisync` preset: lossless
// semi-synchronous replication, Orchestrator for failover, ProxySQL in front).
// It runs on the leader/follower machinery and records the same facts, but a
// MySQL engineer knows no leader key, timeline, LSN, WAL or pg_rewind: a
// source writes its binlog, replicas fetch it into their relay logs and apply
// it, a semi-sync commit waits for a replica's acknowledgement until
// rpl_semi_sync_source_timeout, Orchestrator detects a dead source and
// promotes the most advanced replica, and ProxySQL sends writes to the backend
// that is writable. Only the facts whose words differ are here; the others
// read as timeline.ts says them, with the nouns of vocabulary.ts (source,
// replica, binlog).
import type { Exclusion } from "../../engine/leader-follower/events.js";
import type { TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import { budgetText, positionAgainst, readPoolText, type SharedWords } from "./system-words.js";
import { wordsOf } from "./vocabulary.js";
import { firstTimerText } from "./raft-words.js";

type Facts<K extends TimelineFact["event"]> = Extract<TimelineFact, { event: K }>;

const names = (list: string[]) => list.join(", ");
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);
/** A count as every report prints it: the shared formatter, thousands separators and all. */
const count = formatCount;

/** The fact in MySQL's, Orchestrator's and ProxySQL's words, or null when it reads as timeline.ts says it. */
export function mysqlText(e: TimelineFact, shared: SharedWords): string | null {
  switch (e.event) {
    case "coordinator-lost":
      return `cannot reach Orchestrator (${names(e.coordinator)}); will stop taking writes at T${shared.relative(e.demoteAtMs)}, as its fencing requires of a source cut off from its failover manager`;
    case "demote":
      if (e.reason === "lease-lost") return "cut off from Orchestrator: stops taking writes (read_only on), so no split brain";
      return `sees ${e.leader} is the source now: turns read_only and becomes its replica${e.reason === "sees-leader-split-brain-over" ? "; split brain over" : ""}`;
    case "detect":
      if (e.via !== "heartbeat") return null;
      return `Orchestrator finds the source dead: ${e.misses} checks failed (every ${formatDuration(e.intervalMs)})`;
    case "fence":
      if (e.via === "stonith") return `a fencing hook powers off the old source (${formatDuration(e.fencingMs)})`;
      return e.oldLeaderUp ? "lease expired: the old source has stopped taking writes" : "lease expired: the old source is down and cannot write";
    case "promote-lagging":
      return `no replica is known to hold every acknowledged write (${e.excluded.map((x) => exclusionText(x, shared)).join("; ")}); Orchestrator promotes the most advanced one anyway (lagging_candidates: promote): availability first, accepting the loss`;
    case "no-candidate":
      return `no replica Orchestrator may promote${e.excluded.length ? `: ${e.excluded.map((x) => exclusionText(x, shared)).join("; ")}` : ""} — ${e.policy === "wait" ? 'policy "wait": downtime instead of data loss' : "writes stay down until a candidate appears"}`;
    case "elect":
      return electText(e, shared);
    case "replay-wait":
      return `promotion waits ${formatDuration(e.waitMs)} for its SQL thread to apply the relay log it had received (it applies ${count(e.applyRate)} writes/s): the old source wrote faster`;
    case "promote-failed":
      return e.reason === "died" ? "the chosen replica died during its promotion; Orchestrator tries the next one" : "promotion failed (it cannot apply its relay log); Orchestrator falls back to the next candidate — RTO grows";
    case "promote":
      return `promoted to source: writable (read_only off) from binlog position ${formatSize(e.forkLsn)}; ${e.lostAcked === 0 ? "it has every acknowledged write" : `${count(e.lostAcked)} acknowledged ${plural(e.lostAcked, "write")} of the old source ${e.lostAcked === 1 ? "is" : "are"} not on it (lost)`}`;
    case "recover":
      return recoverText(e);
    case "endpoint":
      if (e.via !== "proxy") return null;
      return `ProxySQL's monitor sees ${e.target} writable (read_only off) and moves it into the writer hostgroup (${e.rise} ${plural(e.rise, "check")}, every ${formatDuration(e.checkIntervalMs)})`;
    case "read-pool-out": case "read-pool-in":
      // ProxySQL's lag check counts seconds (Seconds_Behind_Source against max_replication_lag); a byte budget is none of its settings.
      return readPoolText(
        e,
        "ProxySQL's monitor",
        e.maxLagMs !== undefined
          ? `reader hostgroup (max_replication_lag ${budgetText(e)}, against Seconds_Behind_Source)`
          : e.maxLagBytes !== undefined
            ? `reader hostgroup (a custom ${budgetText(e)} check: ProxySQL's max_replication_lag counts seconds)`
            : "reader hostgroup",
      );
    case "proxy-down": {
      const them = `${count(e.sessionsCut)} client ${plural(e.sessionsCut, "session")}`;
      const after = e.sessionsCut === 1 ? "it reconnects" : "they all reconnect at once";
      if (e.hostDown === true) return `ProxySQL's checks fail: it shuns the backend and closes the ${them} still open to the dead host: ${after}`;
      return `ProxySQL takes it out of the writer hostgroup and cuts ${them}: ${after}`;
    }
    case "archive-fails":
      return `binlog archiving silently stops${e.forMs !== null ? ` for ${formatDuration(e.forMs)}` : " for the rest of the run"}: the binlog backup fails and is retried; finished binlogs wait on the source and ship once it works again`;
    default:
      return replicationText(e);
  }
}

function exclusionText(x: Exclusion, shared: SharedWords): string {
  switch (x.reason) {
    case "nofailover":
      return `${x.node} (nofailover: Orchestrator's must_not promotion rule)`;
    case "failed-leader":
      return `${x.node} (the dead source Orchestrator is recovering from: never promoted)`;
    case "behind-quorum":
      return `${x.node} (behind another semi-sync replica's binlog position: may miss acknowledged transactions)`;
    case "no-coordinator":
      return `${x.node} (Orchestrator cannot reach it)`;
    case "asynchronous":
      return x.degraded ? `${x.node} (the source had switched semi-sync off and gone on without it: may miss acknowledged writes)` : `${x.node} (not a semi-sync replica: may miss acknowledged writes)`;
    case "lag":
      return `${x.node} (${formatSize(x.lagBytes)} of binlog behind > maximum_lag_on_failover ${formatSize(x.maximumLagBytes)})`;
    case "quorum":
      return `ANY ${x.count} of ${x.voters} semi-sync replicas: a candidate must see ${x.needed} of them to know it holds every acknowledged write, and sees ${x.seen}`;
    case "raft":
      return shared.exclusion(x);
  }
}

/** Why Orchestrator picked the winner: the most advanced replica (by its binlog position), then the failover priority, then its own order. */
function electText(f: Facts<"elect">, shared: SharedWords): string {
  const at = formatSize(f.lsn);
  const why = f.why;
  switch (why.kind) {
    case "only-candidate":
      if (why.excluded.length > 0) return `Orchestrator picks it: the only eligible replica, at binlog position ${at}; not eligible: ${why.excluded.map((x) => exclusionText(x, shared)).join("; ")}`;
      return `Orchestrator picks it: the only replica, at binlog position ${at}`;
    case "highest-position":
      return `Orchestrator picks it: the most advanced replica, at binlog position ${at}, ${formatSize(f.lsn - why.runnerUpLsn)} ahead of ${why.runnerUp}`;
    case "priority":
      return `Orchestrator picks it: level with ${names(why.tiedWith)} at binlog position ${at}; preferred on failover priority (${why.priority} vs ${why.runnerUpPriority})`;
    case "preferred":
      return `Orchestrator picks it: its promotion rule prefers it (failover priority ${why.priority}, above ${why.runnerUp}'s ${why.runnerUpPriority}), at binlog position ${at}, ${positionAgainst(f.lsn, why.runnerUp, why.runnerUpLsn)}`;
    case "race":
      return `Orchestrator picks it: level with ${names(why.tiedWith)} at binlog position ${at} with equal priority; the first of equals in its order`;
    case "first-timer":
      return `elected by the votes of a majority: ${firstTimerText(f)}`;
  }
}

function recoverText(e: Facts<"recover">): string | null {
  switch (e.as) {
    case "leader-within-lease":
      return "restarts in place before Orchestrator declared it dead: it is still the source (no failover happened)";
    case "replica-racing":
      return "host back while Orchestrator recovers: starts as a replica";
    case "replica-rewind":
      if (e.noLeader) return "host back with no source up: starts as a replica; its transactions the next source lacks are discarded when it joins it";
      return `host back; rejoins as a replica of the new source in ~${formatDuration(e.rejoinMs)}, its transactions the new source lacks discarded`;
    case "replica-restart":
      if (e.noLeader) return "host back; restarts as a replica (it was not the source: nothing to discard), but no source is up to replicate from: it replicates once one is";
      return `host back; restarts as a replica and replicates again in ~${formatDuration(e.rejoinMs)} (it was not the source: nothing to discard)`;
    default:
      return null;
  }
}

/** Binlog replication, semi-sync acknowledgements and the replicas. */
function replicationText(e: TimelineFact): string | null {
  switch (e.event) {
    case "stall":
      return `its binlog dump threads stall for ${formatDuration(e.forMs)}: it still serves clients but sends its replicas nothing`;
    case "stall-end":
      return "sends binlog events to its replicas again";
    case "bad-write-applied":
      return `applied the ${wordsOf("mysql").statements[e.statement]} from its relay log: the damage is now on this replica too`;
    case "rewind":
      return `discards ${formatSize(e.discardedBytes)} of binlog the new source never received (errant transactions) before it replicates from it`;
    case "follow":
      return `replicates from ${e.leader}${e.catchUpWrites ? ` (fetching the ${count(e.catchUpWrites)} ${plural(e.catchUpWrites, "transaction")} it lacks, ${formatSize(e.catchUpBytes)})` : ""}`;
    case "rebuild-refused":
      return "cannot rebuild the source; fail over first";
    case "rebuild":
      return `re-seeding from a backup: ${formatSize(e.dataSizeBytes)} at ${formatSize(e.throughputBytes)}/s takes ${formatDuration(e.durationMs)}`;
    case "rebuilt":
      return `restored from the backup onto a fresh replica (apply rate ${count(e.applyRate)}/s); replicating the binlog written since`;
    case "writes-blocked": {
      if (e.reason === "too-few") return `semi-sync: ${e.connected} of the ${e.required} replica acknowledgements a commit waits for can come; commits wait`;
      if (e.reason === "none-named") return `semi-sync: no replica acknowledges yet (${e.streaming} ${e.streaming === 1 ? "replicates" : "replicate"} from it); commits wait`;
      return null;
    }
    case "degrade": {
      const why = e.waitedMs === undefined ? `only ${e.connected} of ${e.required} semi-sync replicas connected` : `a commit waited ${formatDuration(e.waitedMs)} (rpl_semi_sync_source_timeout) for a replica's acknowledgement`;
      return `${why}: semi-sync switches off and the source commits asynchronously — running without its safety net`;
    }
    case "sync-restored":
      return `semi-sync back on: ${names(e.standbys)} caught up and ${e.standbys.length === 1 ? "acknowledges" : "acknowledge"} again`;
    case "writes-unblocked":
      return `a semi-sync replica acknowledges again (${names(e.standbys)}); commits resume after ${formatDuration(e.blockedMs)}`;
    case "sync-standby":
      return `semi-sync acknowledgements now from ${names(e.standbys)}`;
    case "redundancy": {
      const sync = e.sync === "async-only" ? "asynchronous only" : e.sync === "none-left" ? "no semi-sync replica left" : `${e.syncCapable} semi-sync ${plural(e.syncCapable, "replica")} can acknowledge`;
      return `${e.up} of ${e.replicas} replicas up; ${sync}`;
    }
    default:
      return null;
  }
}
