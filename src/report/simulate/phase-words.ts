// What a failover phase is, in words, for the phases whose name alone does not
// say it. The engine records each phase as a name and a span; the text,
// markdown and HTML reports print these sentences under their phase charts.
import type { SimulationResult } from "../../engine/result.js";

/** One sentence per kind of phase that needs explaining, in the order the phases first appear. */
export function phaseNotes(r: SimulationResult): string[] {
  const kinds = [...new Set(r.phases.map((p) => p.phase))];
  return kinds.flatMap((kind) => (kind === "sync" ? [syncNote(r)] : []));
}

/**
 * The promoted leader's wait for a synchronous standby (or, in a consensus group, for a majority), which runs
 * beside the endpoint switch and the reconnects: a class that commits synchronously is back when both are over.
 */
function syncNote(r: SimulationResult): string {
  const until = r.mode === "consensus" ? "until it reaches a majority of the members" : `until a standby streams from it and is named its synchronous standby${degradedAtEnd(r) ? ", or its timeout runs out and it commits asynchronously" : ""}`;
  return `sync: the promoted leader's synchronous commits wait ${until}. This runs beside endpoint and reconnect: classes that commit synchronously are back only when both are over.`;
}

/** Whether a sync phase ended with the leader falling back to asynchronous commits (semi-sync's timeout). */
function degradedAtEnd(r: SimulationResult): boolean {
  const ends = r.phases.filter((p) => p.phase === "sync").map((p) => p.endMs);
  return r.timeline.some((e) => e.event === "degrade" && ends.includes(e.atMs));
}
