// `repl-lab live --format markdown`: the same content as the text report, as
// GitHub-flavoured markdown (for a PR comment or the calibration table).
import { Chalk } from "chalk";
import type { LiveReport } from "../../live/report-model.js";
import { compareRows, phaseRows, verdictLines } from "./compare.js";
import { clusterLines } from "./text.js";
import { renderSimulateMarkdown } from "../simulate/markdown.js";
import { cell, mdTable } from "../../report/common/markdown.js";
import { formatCount, formatMs } from "../../report/common/format.js";
import { latencyPair, rpoMeasured, timelineLines } from "../simulate/text.js";

const plain = new Chalk({ level: 0 });

/** Every cell of the live tables is escaped: node names and verdicts come from the scenario file. */
function escapedTable(head: string[], rows: string[][]): string {
  return mdTable(head.map(cell), rows.map((row) => row.map(cell)));
}

export function renderLiveMarkdown(report: LiveReport): string {
  const parts: string[] = [];
  parts.push(`## Live: ${cell(report.plan.scenario.name)} on a real cluster`);
  parts.push(clusterLines(report).map((l) => `- ${cell(l)}`).join("\n"));
  for (const run of report.runs) {
    const r = run.result;
    parts.push(`### Run ${run.run} of ${report.runs.length} (leader ${run.leaderBefore} → ${run.leaderAfter})`);
    if (r.timeline.length > 0) parts.push(["```text", ...timelineLines(r, plain, ""), "```"].join("\n"));
    parts.push(
      escapedTable(
        ["class", "RPO measured", "ambiguous", "RTO write", "p99 client", "write p50/p99", "verdict"],
        r.classes.map((c) => [c.name, rpoMeasured(c), formatCount(run.ambiguousByClass[c.name] ?? 0), formatMs(c.rto.writeMs, "never"), formatMs(c.rto.p99ClientMs), latencyPair(c.latency.writeP50Ms, c.latency.writeP99Ms), c.met ? "met" : "missed"]),
      ),
    );
  }
  if (report.runs.length > 0) {
    const heads = report.runs.map((r) => `live run ${r.run}`);
    parts.push("### Live vs simulated");
    parts.push(escapedTable(["class", "measure", `simulated (p50 of ${formatCount(report.trials)})`, ...heads, "live/sim"], compareRows(report).map((row) => [row.cls, row.metric, row.simulated, ...row.live, row.ratio])));
    const phases = phaseRows(report);
    if (phases.length > 0) parts.push(escapedTable(["failover phase", `simulated (seed ${report.simulated.seed})`, ...heads], phases.map((p) => [p.phase, p.simulated, ...p.live])));
    parts.push(verdictLines(report).map((l) => `**${cell(l)}**`).join("\n\n"));
  }
  if (report.kept) parts.push(`Cluster kept running in \`${report.kept.folder}\`; stop it with \`sh ${report.kept.stopScript}\`.`);
  parts.push("---");
  parts.push(`<details><summary>Simulated: the engine's report (${formatCount(report.trials)} trials)</summary>\n\n${renderSimulateMarkdown(report.simulated).trimEnd()}\n\n</details>`);
  return `${parts.join("\n\n")}\n`;
}
