// `simulate --json`: exactly the documented JSON shape, plus a few extra fields
// (topology, mode, durationMs, firstFaultMs, phases, lag, violations). Keys are
// written in a fixed order and floats rounded to 0.1 ms, so the same result
// always serialises to the same bytes. The derived views here (phase durations,
// lag maxima) are shared with the text and markdown reports.
import { violationText } from "./violations.js";
import { actualText } from "./expectations.js";
import { describeEntry } from "./timeline.js";
import { ackedLossText, drillText, incidentLineText, incidentText, optionReasonText, otherBadWriteText, otherBadWritesText, otherLossesText, projectedLossText, verdictText } from "./recovery-words.js";
import type { Recovery } from "../../engine/recovery.js";
import type { ClassResult, KeyOutageFigures, KeyOutageSpan, KeyOutages, Percentiles, SimulationResult, TrialSummary } from "../../engine/result.js";
import { roundMs } from "../../report/common/format.js";
import { verdictsJson } from "./class-verdict.js";
import { vocabularyOf, type Vocabulary } from "./vocabulary.js";

/** Shares (0..1) to four decimals: 0.9973 = 99.73%. */
export function roundShare(share: number): number {
  return Math.round(share * 10_000) / 10_000;
}

export interface PhaseView {
  phase: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  /** Still under way when the run ended: its end is the run's, its duration a lower bound. */
  ongoing?: true;
}

export function phaseViews(result: SimulationResult): PhaseView[] {
  return result.phases.map((p) => ({ phase: p.phase, startMs: p.startMs, endMs: p.endMs, durationMs: Math.max(0, p.endMs - p.startMs), ...(p.ongoing ? { ongoing: true as const } : {}) }));
}

export interface LagView {
  node: string;
  /** Multi-leader: the leader whose stream `node` applies (one view per stream). */
  origin?: string;
  maxLagBytes: number;
  maxLagMs: number;
  /** When the byte lag peaked. */
  atMs: number;
  /** When the time lag peaked: each figure has its own peak. */
  maxLagMsAtMs: number;
}

/** How a lag view names what is behind: the node, or (multi-leader) the leader and the stream it applies. */
export function lagViewLabel(v: Pick<LagView, "node" | "origin">): string {
  return v.origin === undefined ? v.node : `${v.node} ← ${v.origin}`;
}

/** The worst replication lag of each node (multi-leader: of each leader's apply of each other's stream), in the order they first appear in the samples. */
export function lagViews(result: SimulationResult): LagView[] {
  const byNode = new Map<string, LagView>();
  for (const s of result.lag) {
    const id = s.origin === undefined ? s.node : `${s.node}\u0000${s.origin}`;
    const view = byNode.get(id);
    if (!view) byNode.set(id, { node: s.node, ...(s.origin !== undefined ? { origin: s.origin } : {}), maxLagBytes: s.lagBytes, maxLagMs: s.lagMs, atMs: s.atMs, maxLagMsAtMs: s.atMs });
    else {
      if (s.lagBytes > view.maxLagBytes) {
        view.maxLagBytes = s.lagBytes;
        view.atMs = s.atMs;
      }
      if (s.lagMs > view.maxLagMs) {
        view.maxLagMs = s.lagMs;
        view.maxLagMsAtMs = s.atMs;
      }
    }
  }
  return [...byNode.values()];
}

function percentilesJson(p: Percentiles) {
  return { p50: roundMs(p.p50), p95: roundMs(p.p95), p99: roundMs(p.p99), max: roundMs(p.max) };
}

function trialsJson(t: TrialSummary) {
  return {
    n: t.n,
    rpoMs: percentilesJson(t.rpoMs),
    // null = at least that share of trials never recovered writes (+Infinity in the engine).
    rtoMs: percentilesJson(t.rtoMs),
    metShare: roundShare(t.metShare),
    rpoMetShare: roundShare(t.rpoMetShare),
    rtoMetShare: roundShare(t.rtoMetShare),
  };
}

function classJson(c: ClassResult) {
  return {
    name: c.name,
    rpo: { targetMs: roundMs(c.rpo.targetMs), lostAckedWrites: c.rpo.lostAckedWrites, windowMs: roundMs(c.rpo.windowMs) },
    rto: {
      targetMs: roundMs(c.rto.targetMs),
      writeMs: roundMs(c.rto.writeMs),
      readMs: roundMs(c.rto.readMs),
      p50ClientMs: roundMs(c.rto.p50ClientMs),
      p99ClientMs: roundMs(c.rto.p99ClientMs),
      ...(c.rto.writeOpenMs !== undefined ? { writeOpenMs: roundMs(c.rto.writeOpenMs) } : {}),
      ...(c.rto.readOpenMs !== undefined ? { readOpenMs: roundMs(c.rto.readOpenMs) } : {}),
      ...(c.rto.outages && c.rto.outages.length > 0
        ? {
            outages: c.rto.outages.map((o) => ({ fault: o.fault, startMs: roundMs(o.startMs), firstErrorMs: roundMs(o.firstErrorMs), recoveredMs: roundMs(o.recoveredMs), ms: roundMs(o.ms) })),
            outageCount: c.rto.outageCount ?? c.rto.outages.length,
          }
        : {}),
    },
    latency: {
      writeP50Ms: roundMs(c.latency.writeP50Ms),
      writeP99Ms: roundMs(c.latency.writeP99Ms),
      readP50Ms: roundMs(c.latency.readP50Ms),
      readP99Ms: roundMs(c.latency.readP99Ms),
    },
    met: c.met,
    ...(c.verdicts ? { verdicts: verdictsJson(c.verdicts) } : {}),
    staleReads: c.staleReads,
    writesAcked: c.writesAcked,
    writesRejected: c.writesRejected,
    // Of those, the ones rejected before any fault: the run's own load (absent when none was).
    ...(c.rejectedWithoutFault !== undefined ? { rejectedWithoutFault: c.rejectedWithoutFault } : {}),
    ...(c.keyOutages ? { keyOutages: keyOutagesJson(c.keyOutages) } : {}),
    ...(c.trials ? { trials: trialsJson(c.trials) } : {}),
  };
}

function keySpanJson(s: KeyOutageSpan) {
  return { fault: s.fault, startMs: roundMs(s.startMs), endMs: roundMs(s.endMs), ms: roundMs(s.ms), keys: s.keys, share: roundShare(s.share) };
}

function keyFiguresJson(f: KeyOutageFigures) {
  return {
    needed: f.needed,
    longest: f.longest === null ? null : keySpanJson(f.longest),
    longestPartial: f.longestPartial === null ? null : keySpanJson(f.longestPartial),
    peakKeys: f.peakKeys,
    peakShare: roundShare(f.peakShare),
    affectedKeys: f.affectedKeys,
    affectedShare: roundShare(f.affectedShare),
    shareMs: roundMs(f.shareMs),
    spans: f.spans.map(keySpanJson),
    spanCount: f.spanCount,
  };
}

/** A class's partial outages (leaderless; multi-leader home-region): the keys that could not be written (read), from the cluster's state. */
function keyOutagesJson(k: KeyOutages) {
  return { keys: k.keys, writes: keyFiguresJson(k.writes), reads: keyFiguresJson(k.reads) };
}

/** One scenario's JSON object (the documented JSON shape), as a plain value with a fixed key order. */
export function simulationJson(result: SimulationResult): Record<string, unknown> {
  const t = result.totals;
  return {
    scenario: result.scenario,
    seed: result.seed,
    topology: result.topology,
    mode: result.mode,
    durationMs: roundMs(result.durationMs),
    firstFaultMs: roundMs(result.firstFaultMs),
    classes: result.classes.map(classJson),
    timeline: result.timeline.map((e) => ({
      atMs: roundMs(e.atMs),
      node: e.node,
      event: e.event,
      detail: describeEntry(e, result),
      ...(e.lsn !== undefined ? { lsn: e.lsn } : {}),
    })),
    phases: phaseViews(result).map((p) => ({ phase: p.phase, startMs: roundMs(p.startMs), endMs: roundMs(p.endMs), durationMs: roundMs(p.durationMs), ...(p.ongoing ? { ongoing: true } : {}) })),
    totals: {
      writesAcked: t.writesAcked,
      writesLost: t.writesLost,
      writesRejected: t.writesRejected,
      readsRejected: t.readsRejected,
      staleReads: t.staleReads,
      conflicts: t.conflicts,
      ...(t.siblings !== undefined ? { siblings: t.siblings } : {}),
      ...(t.writesLostProjected !== undefined ? { writesLostProjected: t.writesLostProjected } : {}),
      ...(t.forwarded !== undefined ? { forwarded: t.forwarded } : {}),
      splitBrainMs: roundMs(t.splitBrainMs),
      writeUnavailableMs: roundMs(t.writeUnavailableMs),
      writeUnavailableStretches: t.writeUnavailableStretches,
      failovers: t.failovers,
      readsServed: t.readsServed,
    },
    lag: lagViews(result).map((l) => ({ node: l.node, ...(l.origin !== undefined ? { origin: l.origin } : {}), maxLagBytes: Math.round(l.maxLagBytes), maxLagMs: roundMs(l.maxLagMs), atMs: roundMs(l.atMs), maxLagMsAtMs: roundMs(l.maxLagMsAtMs) })),
    regions: result.regions,
    lagSeries: result.lag.map((l) => ({ atMs: roundMs(l.atMs), node: l.node, ...(l.origin !== undefined ? { origin: l.origin } : {}), lagBytes: Math.round(l.lagBytes), lagMs: roundMs(l.lagMs) })),
    settings: result.settings,
    ...(result.recovery ? { recovery: recoveryJson(result.recovery, vocabularyOf(result)) } : {}),
    expectations: result.expectations.map((e) => ({ path: e.path, expected: e.expected, actual: actualText(e), met: e.met, ...(e.undecided ? { undecided: true } : {}) })),
    violations: result.violations.map(violationText),
  };
}

/** The recovery object: { needed, method, targetAtMs, restoreMs, mergeMs, totalMs, lostWrites, reconcileWrites, options }, plus the story, worded here from the planner's typed facts. */
function recoveryJson(r: Recovery, words: Vocabulary): Record<string, unknown> {
  return {
    needed: r.needed,
    method: r.method,
    targetAtMs: roundMs(r.targetAtMs),
    restoreMs: roundMs(r.restoreMs),
    mergeMs: roundMs(r.mergeMs),
    totalMs: roundMs(r.totalMs),
    lostWrites: r.lostWrites,
    reconcileWrites: r.reconcileWrites,
    options: r.options.map((o) => ({
      method: o.method,
      feasible: o.feasible,
      reason: optionReasonText(o.reason, words),
      targetAtMs: roundMs(o.targetAtMs),
      restoreMs: roundMs(o.restoreMs),
      mergeMs: roundMs(o.mergeMs),
      totalMs: roundMs(o.totalMs),
      // An option that cannot be taken has no loss to count: null, not a 0 that reads "nothing lost".
      lostWrites: o.feasible ? o.lostWrites : null,
      reconcileWrites: o.feasible ? o.reconcileWrites : null,
      rpoMs: roundMs(o.rpoMs),
    })),
    incident: incidentLineText(r, words),
    ...(r.otherBadWrites !== undefined
      ? { otherBadWrites: r.otherBadWrites.map((o) => ({ incident: incidentText(o.incident, words), covered: o.covered, detail: otherBadWriteText(o, r.incident, words) })) }
      : {}),
    ackedLosses: r.ackedLosses.map((l) => ({ cause: l.cause, lostWrites: l.lostWrites, ...("archive" in l && l.archive !== undefined ? { archive: l.archive } : {}), detail: ackedLossText(l, words) })),
    ...(r.projectedLostWrites !== undefined ? { projectedLostWrites: r.projectedLostWrites } : {}),
    extrapolated: r.extrapolated,
    drills: r.drills.map((d) => ({ atMs: d.atMs, ok: d.ok, restoreMs: roundMs(d.restoreMs), reachedAtMs: Number.isFinite(d.reachedAtMs) ? roundMs(d.reachedAtMs) : null, detail: drillText(d, words) })),
    summary: [verdictText(r.verdict, r.writesNotBack, words), otherBadWritesText(r, words), otherLossesText(r, words), projectedLossText(r)].filter((t) => t !== "").join(" "),
  };
}

/**
 * The `--json` document: one object, or an array when several files were
 * given (even if only one of them is a scenario run), with a final newline.
 */
export function renderSimulateJson(results: readonly SimulationResult[], options: { array: boolean }): string {
  const value = options.array ? results.map(simulationJson) : simulationJson(results[0]);
  return `${JSON.stringify(value, null, 2)}\n`;
}
