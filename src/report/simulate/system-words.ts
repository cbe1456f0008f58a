// What a system family's own sentences (raft-words.ts, mongodb-words.ts,
// mysql-words.ts) may ask of timeline.ts: the shared ways of saying an
// exclusion and a time, and the facts around the entry being said.
import type { Exclusion } from "../../engine/leader-follower/events.js";
import type { TimelineFact } from "../../engine/result.js";
import { formatSize } from "../../base/units.js";

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
