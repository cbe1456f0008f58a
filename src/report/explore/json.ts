// `repl-lab explore --json`: the worst outcomes found, each with its story,
// the figure, the target, whether the target broke, and the scenario file
// that replays it.
import type { ExploreReport } from "../../swarm/explore.js";
import type { SavedFile } from "./text.js";

export function exploreJson(report: ExploreReport, saved: SavedFile[]): Record<string, unknown> {
  const pathOf = new Map(saved.map((s) => [s.finding, s.path]));
  return {
    topology: report.topology,
    topologyFile: report.topologyFile,
    seed: report.seed,
    schedules: report.schedules,
    faults: report.kinds,
    workload: report.workload,
    findings: report.findings.map((f) => ({
      kind: f.kind,
      subject: f.subject,
      targetMs: f.targetMs,
      value: f.value,
      unit: valueUnit(f),
      label: f.label,
      broken: f.broken,
      story: f.story,
      schedule: scheduleNumber(f),
      file: pathOf.get(f) ?? null,
      ...(f.details ? { details: f.details } : {}),
    })),
    targetsBroken: report.targetsBroken,
  };
}

/**
 * The number of the schedule behind a finding, as every output gives it (the JSON, the HTML page, the header of the
 * saved scenario, its name, the progress line): counted from 1 (found by a review: the JSON counted from 0).
 */
export function scheduleNumber(f: Pick<ExploreReport["findings"][number], "schedule">): number {
  return f.schedule + 1;
}

/**
 * What a finding's value counts (found by a review: an RPO's value was writes for one class and ms for
 * another): an RPO of zero is broken by any lost write, so its value counts them; any other RPO is a window.
 */
export function valueUnit(f: Pick<ExploreReport["findings"][number], "kind" | "targetMs">): "writes" | "ms" | "findings" {
  if (f.kind === "violation") return "findings";
  return f.kind === "rpo" && f.targetMs === 0 ? "writes" : "ms";
}

export function renderExploreJson(report: ExploreReport, saved: SavedFile[]): string {
  return JSON.stringify(exploreJson(report, saved), null, 2);
}
