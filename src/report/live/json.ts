// `repl-lab live --json` (the documented JSON shape): { "simulated": <simulate result with
// trials>, "live": { "runs": [ <the same shape, measured> ] } }, plus what the
// live side adds: the cluster as mapped, ambiguous writes per run, and the
// comparison. Fixed key order, rounded floats: same report, same bytes.
import type { LiveReport } from "../../live/report-model.js";
import { compareRows, median, ratio, verdictLines } from "./compare.js";
import { roundMs } from "../../report/common/format.js";
import { simulationJson } from "../simulate/json.js";

export function liveJson(report: LiveReport): Record<string, unknown> {
  const { plan } = report;
  return {
    simulated: simulationJson(report.simulated),
    live: {
      runs: report.runs.map((run) => ({
        ...simulationJson(run.result),
        run: run.run,
        leaderBefore: run.leaderBefore,
        leaderAfter: run.leaderAfter,
        ambiguousWrites: run.ambiguousWrites,
        ambiguousByClass: run.ambiguousByClass,
      })),
      cluster: {
        versions: report.versions,
        nodes: plan.nodes.map((n) => ({ name: n.name, leader: n.leader, tags: n.tags })),
        dcs: plan.dcs,
        parameters: plan.parameters,
        syncMapping: plan.syncMapping,
        adjustments: plan.adjustments,
        faults: plan.faults,
        skipped: plan.skipped,
        notes: plan.notes,
        bootstrapSeconds: report.bootstrapSeconds === null ? null : Math.round(report.bootstrapSeconds * 10) / 10,
        kept: report.kept,
      },
      comparison: {
        trials: report.trials,
        classes: report.simulated.classes.map((c) => {
          const live = report.runs.map((r) => r.result.classes.find((x) => x.name === c.name)!);
          const simP50 = c.trials ? c.trials.rtoMs.p50 : c.rto.writeMs;
          const liveMedian = median(live.map((x) => (x.rto.writeMs === null ? Infinity : x.rto.writeMs)));
          return {
            name: c.name,
            simulatedRtoP50Ms: roundMs(simP50),
            liveRtoMs: live.map((x) => roundMs(x.rto.writeMs)),
            liveRtoMedianMs: roundMs(liveMedian),
            rtoRatio: ratio(liveMedian, simP50),
            simulatedLostAckedWrites: c.rpo.lostAckedWrites,
            liveLostAckedWrites: live.map((x) => x.rpo.lostAckedWrites),
          };
        }),
        rows: compareRows(report),
        verdict: verdictLines(report),
      },
    },
  };
}

export function renderLiveJson(report: LiveReport): string {
  return `${JSON.stringify(liveJson(report), null, 2)}\n`;
}
