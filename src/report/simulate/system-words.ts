// What a system family's own sentences (raft-words.ts, mongodb-words.ts,
// mysql-words.ts) may ask of timeline.ts: the shared ways of saying an
// exclusion and a time, and the facts around the entry being said.
import type { Exclusion, FallingBehindReads } from "../../engine/leader-follower/events.js";
import type { TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import { formatCount } from "../common/format.js";

export interface SharedWords {
  /** An exclusion in PostgreSQL's words, for the reasons a family words the same. */
  exclusion: (x: Exclusion) => string;
  /** A time relative to the first fault, as the timeline's own column shows it ("+29.6s"). */
  relative: (atMs: number) => string;
  /**
   * The elections won up to and including this entry (null when the report does not have the whole timeline):
   * a term counts elections, including those whose winner never took over.
   */
  electionsSoFar: () => number | null;
  /** The run's preset (a family's words may depend on its system's clients: etcd's client reaches any member). */
  preset?: string;
}

/** A family's sentence for a fact, or null when it reads as timeline.ts says it (with the family's nouns). */
export type SystemWords = (e: TimelineFact, shared: SharedWords) => string | null;

/** Where a winner preferred on priority stands against the runner-up: "17KB behind pg-b", "level with pg-b". */
export function positionAgainst(lsn: number, runnerUp: string, runnerUpLsn: number): string {
  if (lsn === runnerUpLsn) return `level with ${runnerUp}`;
  return lsn < runnerUpLsn ? `${formatSize(runnerUpLsn - lsn)} behind ${runnerUp}` : `${formatSize(lsn - runnerUpLsn)} ahead of ${runnerUp}`;
}

const pluralOf = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** A node leaves or rejoins a read pool; `who` checks (a proxy, drivers), `pool` names the pool in the system's words. */
export function readPoolText(e: (Extract<TimelineFact, { event: "read-pool-out" }> | Extract<TimelineFact, { event: "read-pool-in" }>) & { atMs?: number }, who: string, pool: string): string {
  const every = `every ${formatDuration(e.checkIntervalMs)}`;
  if (e.lagBytes !== undefined && (e.maxLagBytes !== undefined || e.maxLagMs !== undefined)) return lagPoolText(e, who, pool, every);
  if (e.event === "read-pool-in") return `answers queries again: ${who} puts it back in the ${pool} after ${e.checks} ${pluralOf(e.checks, "pass", "passes")} (${every})`;
  // The span the failures covered: the reads routed elsewhere were served meanwhile, so the class's read RTO (an
  // outage of the whole class, until any client's next read is served) is far shorter than it.
  const span = e.failedSinceMs !== undefined && e.atMs !== undefined && e.atMs > e.failedSinceMs ? e.atMs - e.failedSinceMs : null;
  const failed =
    e.failedReads === 0
      ? "no read was sent to it meanwhile"
      : span === null
        ? `${e.failedReads.toLocaleString("en-US")} ${pluralOf(e.failedReads, "read")} sent to it meanwhile failed`
        : `${e.failedReads.toLocaleString("en-US")} ${pluralOf(e.failedReads, "read")} sent to it over ${formatDuration(span)} failed (the reads routed there; the RTO read column times only outages of a whole class)`;
  return `${who} takes it out of the ${pool} after ${e.checks} failed ${pluralOf(e.checks, "check")} (${every}); ${failed}`;
}

/** A replica leaves a staleness budget's pool for its lag, or rejoins it once caught up. */
function lagPoolText(e: Extract<TimelineFact, { event: "read-pool-out" | "read-pool-in" }> & { atMs?: number }, who: string, pool: string, every: string): string {
  // A budget in time is told in time (Seconds_Behind_Source, a driver's staleness), one in bytes in bytes.
  const inTime = e.maxLagMs !== undefined;
  const behind = inTime ? `${formatDuration(e.lagMs ?? 0)} behind` : `${formatSize(e.lagBytes ?? 0)} behind`;
  const budget = inTime ? formatDuration(e.maxLagMs ?? 0) : formatSize(e.maxLagBytes ?? 0);
  // Back under the budget is not caught up: it may still be most of the budget behind.
  const caughtUp = (inTime ? (e.lagMs ?? 0) : (e.lagBytes ?? 0)) === 0;
  if (e.event === "read-pool-in") return `${caughtUp ? "caught up" : `back within the ${budget} budget (${behind})`}: ${who} puts it back in the ${pool} after ${e.checks} ${pluralOf(e.checks, "pass", "passes")} (${every})`;
  const stale = e.staleReads ?? 0;
  const span = e.staleSinceMs !== undefined && e.atMs !== undefined && e.atMs > e.staleSinceMs ? ` over ${formatDuration(e.atMs - e.staleSinceMs)}` : "";
  const served = stale === 0 ? "it served no read beyond the budget meanwhile" : `it served ${formatCount(stale)} ${pluralOf(stale, "read")}${span} staler than ${budget} before that`;
  return `${behind}: ${who} takes it out of the ${pool} after ${e.checks} failed ${pluralOf(e.checks, "check")} (${every}); ${served}`;
}

/**
 * What a replica falling ever further behind does to the reads sent to replicas, with its "; " (nothing when no
 * class reads from replicas): bounded reads (sessions, max_lag) move to the leader, the others stay, ever staler.
 */
export function fallingBehindReadsText(reads: FallingBehindReads, leader: string): string {
  switch (reads) {
    case "bounded":
      return `reads fall back to the ${leader}; `;
    case "unbounded":
      return "the reads it serves grow ever staler; ";
    case "both":
      return `reads with a staleness bound fall back to the ${leader}, the others it serves grow ever staler; `;
    case "none":
      return "";
  }
}

/** The budget a lag pool keeps its replicas within, as the report says it: "10MB", "30s". */
export function budgetText(e: { maxLagBytes?: number; maxLagMs?: number }): string {
  return e.maxLagMs !== undefined ? formatDuration(e.maxLagMs) : formatSize(e.maxLagBytes ?? 0);
}
