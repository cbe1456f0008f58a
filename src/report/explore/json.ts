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
      label: f.label,
      broken: f.broken,
      story: f.story,
      schedule: f.schedule,
      file: pathOf.get(f) ?? null,
      ...(f.details ? { details: f.details } : {}),
    })),
    targetsBroken: report.targetsBroken,
  };
}

export function renderExploreJson(report: ExploreReport, saved: SavedFile[]): string {
  return JSON.stringify(exploreJson(report, saved), null, 2);
}
