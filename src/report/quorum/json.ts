// `repl-lab quorum --json` (the documented JSON shape): the documented keys first, in their order,
// then the extras (sloppy, cluster, the exact stale fraction, the stale-read
// chance for a write made during the failure, notes). Pure and
// deterministic: the same input prints the same bytes.
import { formatSpeculativeRetry } from "../../quorum/fanout.js";
import type { DownState } from "../../quorum/availability.js";
import type { QuorumResult } from "../../quorum/result.js";
import type { VisibilityResult } from "../../quorum/visibility.js";
import { formatFraction } from "../../quorum/staleness.js";
import { roundUpTo } from "./format.js";

/** Milliseconds to the microsecond; probabilities to six decimals. No -0. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

function writesView(state: DownState, sloppy: boolean, detail: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = { available: state.writes.available };
  if (detail) Object.assign(view, { needed: state.writes.needed, reachable: state.writes.reachable });
  if (sloppy) {
    view.hinted = state.writes.hinted;
    if (detail) view.standIns = state.writes.standIns;
  }
  return view;
}

export function quorumJson(result: QuorumResult): Record<string, unknown> {
  const a = result.analysis;
  const out: Record<string, unknown> = {
    n: a.n,
    r: a.r,
    w: a.w,
    down: a.down,
    strong: a.strong,
    reads: { available: a.current.reads.available, needed: a.current.reads.needed, reachable: a.current.reads.reachable, ...(a.sloppy ? { viaStandIns: a.current.reads.viaStandIns, standInsOnly: a.current.reads.standInsOnly } : {}) },
    writes: writesView(a.current, a.sloppy, true),
    staleProbability: a.stale.value,
    byDown: a.byDown.map((s) => ({
      down: s.down,
      reads: { available: s.reads.available, ...(a.sloppy ? { viaStandIns: s.reads.viaStandIns, standInsOnly: s.reads.standInsOnly } : {}) },
      writes: writesView(s, a.sloppy, false),
      strongReads: s.strongReads,
      ...(a.sloppy ? { hintsPending: s.hintsPending } : {}),
    })),
  };
  if (result.latency) {
    // null when writes or reads are blocked with K down: nothing was simulated (latency.blocked says which).
    const v = result.latency.result;
    out.visibility = v === null ? null : v.visibility.map((p) => ({ tMs: p.tMs, consistent: roundTo(p.consistent, 6) }));
    // Rounded up: P(consistent) at the printed t is still at least 99.9% in this sample.
    out.tForP999Ms = v === null ? null : roundUpTo(v.tForP999Ms, 3);
    out.latencyP999Ms = v === null ? null : { read: roundTo(v.latencyP999Ms.read, 3), write: roundTo(v.latencyP999Ms.write, 3) };
  }
  out.strongReads = a.current.strongReads;
  out.sloppy = a.sloppy;
  out.cluster = a.cluster;
  out.staleFraction = formatFraction(a.stale);
  // staleProbability is the closed form with every replica up, which a write made before the K went down keeps under
  // a strict quorum. Read while they are down, such a write is missed more often when stand-ins answer reads (they lack
  // it): that is the text's first stale-read figure, given here for every K (equal to staleProbability without stand-ins).
  out.staleBeforeFailure = { probability: a.staleBefore.value, fraction: formatFraction(a.staleBefore) };
  // And for a write made while they are down, null when writes or reads are blocked.
  const during = a.staleDuring;
  out.staleDuringFailure = {
    nodes: during.nodes,
    probability: during.stale === null ? null : during.stale.value,
    fraction: during.stale === null ? null : formatFraction(during.stale),
    writesBlocked: during.writesBlocked,
    readsBlocked: during.readsBlocked,
  };
  out.tolerates = a.tolerates;
  if (result.latency) {
    const v = result.latency.result;
    out.latency = {
      file: result.latency.file,
      name: result.latency.name,
      trials: v === null ? null : v.trials,
      seed: v === null ? null : v.seed,
      latencyP50Ms: v === null ? null : { read: roundTo(v.latencyP50Ms.read, 3), write: roundTo(v.latencyP50Ms.write, 3) },
      // The nodes each trial draws (those a request reaches with K down), and which operations had too few of them.
      nodes: result.latency.nodes,
      blocked: result.latency.blocked,
      // The latency file's wide-area replicas, only when it has them.
      ...(result.latency.remote === null ? {} : { remote: result.latency.remote }),
      // Which replicas a read asks; with r, when it asks one more (null: never) and the share of reads that did.
      readFanout: result.latency.fanout.kind,
      ...(result.latency.fanout.kind === "r"
        ? { speculativeRetry: formatSpeculativeRetry(result.latency.fanout.retry), retryAfterMs: retryAfterMs(v), retriedShare: v?.retry?.share ?? null }
        : {}),
    };
  }
  out.notes = a.remarks.map((r) => r.text);
  return out;
}

/** When a read that asks R replicas asks one more (ms, rounded); null when it never does or nothing ran. */
function retryAfterMs(v: VisibilityResult | null): number | null {
  const ms = v?.retry?.thresholdMs ?? null;
  return ms === null ? null : roundTo(ms, 3);
}

export function renderQuorumJson(result: QuorumResult): string {
  return `${JSON.stringify(quorumJson(result), null, 2)}\n`;
}
