// What a failover phase is, in words, for the phases whose name alone does not
// say it. The engine records each phase as a name and a span; the text,
// markdown and HTML reports print these sentences under their phase charts.
import type { SimulationResult } from "../../engine/result.js";
import { familyOf } from "./vocabulary.js";
import { formatMs } from "../common/format.js";

/** One sentence per kind of phase that needs explaining, in the order the phases first appear. */
export function phaseNotes(r: SimulationResult): string[] {
  const kinds = [...new Set(r.phases.map((p) => p.phase))];
  const ongoing = ongoingNote(r);
  return [...kinds.flatMap((kind) => (kind === "sync" ? [syncNote(r)] : [])), ...(ongoing ? [ongoing] : [])];
}

/** A duration of a phase as the charts print it: "3m30s+" for one still under way when the run ended (a lower bound). */
export function phaseDurationText(durationText: string, ongoing: boolean | undefined): string {
  return ongoing ? `${durationText}+` : durationText;
}

/** What the phase chart's heading says the chart spans: to the last phase's end, or to the run's end when one is still under way. */
export function phaseSpanText(spanMs: number, phases: readonly { ongoing?: true }[]): string {
  return `${formatMs(spanMs)} from first to ${phases.some((p) => p.ongoing) ? "the run's end" : "last"}`;
}

/** The phases still under way when the run ended: what their bars and "+" durations mean ("" when none). */
function ongoingNote(r: SimulationResult): string {
  const names = [...new Set(r.phases.filter((p) => p.ongoing).map((p) => p.phase))];
  if (names.length === 0) return "";
  const one = names.length === 1;
  return `${names.join(", ")}: still under way when the run ended; ${one ? "its bar stops" : "their bars stop"} there, and the duration marked + is how long ${one ? "it" : "each"} had lasted by then.`;
}

/**
 * The promoted leader's wait for a synchronous standby (or, in a consensus group, for a majority; a MongoDB
 * primary, for secondaries that make a majority; a MySQL source, for a semi-sync replica's acknowledgement),
 * which runs beside the endpoint switch and the reconnects: a class that commits synchronously is back when both
 * are over. Said in the words of the run's system (vocabulary.ts).
 */
function syncNote(r: SimulationResult): string {
  const degraded = degradedAtEnd(r);
  switch (familyOf(r)) {
    case "mongodb":
      return `sync: the new primary's majority writes wait ${r.mode === "consensus" ? "until it reaches a majority of the members" : "until enough secondaries, told of it by a heartbeat, replicate from it to make a majority"}${degraded ? ", or until its timeout runs out and it acknowledges writes alone" : ""}. This runs beside endpoint and reconnect: classes that write with a majority are back only when both are over.`;
    case "mysql":
      return `sync: the new source's semi-sync commits wait until a replica replicates from it and acknowledges${degraded ? ", or rpl_semi_sync_source_timeout runs out and it commits asynchronously" : ""}. This runs beside endpoint and reconnect: classes that commit semi-synchronously are back only when both are over.`;
    case "raft":
      return "sync: the promoted leader's synchronous commits wait until it reaches a majority of the members. This runs beside endpoint and reconnect: classes that commit synchronously are back only when both are over.";
    case "postgres": {
      const until = `until a standby streams from it and is named its synchronous standby${degraded ? ", or its timeout runs out and it commits asynchronously" : ""}`;
      return `sync: the promoted leader's synchronous commits wait ${until}. This runs beside endpoint and reconnect: classes that commit synchronously are back only when both are over.`;
    }
  }
}

/** Whether a sync phase ended with the leader falling back to asynchronous commits (semi-sync's timeout). */
function degradedAtEnd(r: SimulationResult): boolean {
  const ends = r.phases.filter((p) => p.phase === "sync").map((p) => p.endMs);
  return r.timeline.some((e) => e.event === "degrade" && ends.includes(e.atMs));
}
