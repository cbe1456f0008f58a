// The text report of `repl-lab live`: the engine's usual report (the
// prediction), how the scenario was mapped onto the real cluster, each live
// run's timeline and RPO/RTO, and the side-by-side comparison with its verdict.
// Pure: a report, a chalk instance and the width to fit in, a string out.
import { actualText } from "../simulate/expectations.js";
import type { ChalkInstance } from "chalk";
import { renderTable, type Column } from "../../report/common/table.js";
import { DEFAULT_LAYOUT, fitLines, packParts, wrapHanging, type TextLayout } from "../../report/common/layout.js";
import type { LiveRun } from "../../live/measure.js";
import type { LiveReport } from "../../live/report-model.js";
import { formatSize } from "../../base/units.js";
import { compareRows, phaseRows, verdictLines } from "./compare.js";
import { formatClock, formatCount, formatMs, formatUnavailable } from "../../report/common/format.js";
import { expectationSummary, latencyPair, renderSimulateText, rpoMeasured, rpoMet, rtoMet, timelineLines } from "../simulate/text.js";

export function renderLiveText(report: LiveReport, chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const { width } = layout;
  const sections = [
    chalk.bold.underline(`Simulated: the engine's prediction (${formatCount(report.trials)} trials)`),
    renderSimulateText(report.simulated, chalk, layout).trimEnd(),
    chalk.bold.underline(`Live: ${report.plan.scenario.name} on a real cluster`),
    clusterSection(report, chalk, width),
    ...report.runs.map((run) => runSection(report, run, chalk, width)),
    compareSection(report, chalk, width),
    keptSection(report, chalk),
  ];
  // Tables and the cluster's lines lay themselves out; any other line still too wide wraps under its indent.
  return `${fitLines(sections.filter((s) => s !== "").join("\n\n"), width)}\n`;
}

export function clusterLines(report: LiveReport): string[] {
  const { plan } = report;
  const d = plan.dcs;
  const syncMode = d.synchronous_mode === false ? "off" : d.synchronous_mode === "quorum" ? "quorum" : `on${d.synchronous_mode_strict ? " (strict)" : ""}`;
  const tagged = plan.nodes.filter((n) => n.tags.nofailover || n.tags.nosync).map((n) => `${n.name} ${[n.tags.nofailover ? "nofailover" : "", n.tags.nosync ? "nosync" : ""].filter(Boolean).join("+")}`);
  const lines = [
    `Patroni ${report.versions.patroni} · PostgreSQL ${report.versions.postgres} · etcd ${report.versions.etcd} · ${plan.nodes.length} nodes on 127.0.0.1 · leader ${plan.leader}${report.bootstrapSeconds !== null ? ` · bootstrap ${report.bootstrapSeconds.toFixed(1)}s` : ""}`,
    `DCS: ttl ${d.ttl}s · loop_wait ${d.loop_wait}s · retry_timeout ${d.retry_timeout}s · maximum_lag_on_failover ${formatSize(d.maximum_lag_on_failover)} · synchronous_mode ${syncMode}${d.synchronous_mode === false ? "" : ` · synchronous_node_count ${d.synchronous_node_count}`} · synchronous_commit ${plan.parameters.synchronous_commit}`,
    `tags: ${tagged.length > 0 ? tagged.join(", ") : "none"}`,
  ];
  if (plan.syncMapping) lines.push(`sync standbys: ${plan.syncMapping}`);
  for (const a of plan.adjustments) lines.push(`adjusted: ${a}`);
  lines.push(`faults injected: ${plan.faults.map((f) => `${formatClock(f.atMs)} ${f.kind} ${f.node}`).join(", ")}`);
  for (const s of plan.skipped) lines.push(`skipped (not injected): ${formatClock(s.atMs)} ${s.kind}${s.target ? ` ${s.target}` : ""} — ${s.reason}`);
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return lines;
}

function clusterSection(report: LiveReport, chalk: ChalkInstance, width: number): string {
  // A line of settings breaks between settings ("ttl 10s · loop_wait 10s"), continuing under its first.
  const lines = clusterLines(report).flatMap((l) => packParts(l.split(" · "), width, "  ", "    "));
  return `${chalk.bold("Cluster")}\n${lines.join("\n")}`;
}

const RUN_COLUMNS: Column[] = [
  { head: "class" },
  { head: "RPO target", short: "RPO\ntarget" },
  { head: "RPO measured", short: "RPO\nmeasured", wrap: true },
  { head: "ambiguous" },
  { head: "RTO target", short: "RTO\ntarget" },
  { head: "RTO write", short: "RTO\nwrite" },
  { head: "p99 client", short: "p99\nclient" },
  { head: "write p50/p99", short: "write\np50/p99" },
  { head: "verdict", wrap: true, keep: true },
];

function runSection(report: LiveReport, run: LiveRun, chalk: ChalkInstance, width: number): string {
  const r = run.result;
  const title = `Run ${run.run} of ${report.runs.length} (leader ${run.leaderBefore}${run.leaderAfter !== run.leaderBefore ? ` → ${run.leaderAfter}` : ", unchanged"})`;
  const timeline = r.timeline.length > 0 ? timelineLines(r, chalk, "  ", width).join("\n") : "  (no events)";
  const rows: string[][] = [];
  for (const c of r.classes) {
    const bad = (ok: boolean, text: string) => (ok ? text : chalk.red(text));
    rows.push([
      c.name,
      formatMs(c.rpo.targetMs),
      bad(rpoMet(c), rpoMeasured(c)),
      formatCount(run.ambiguousByClass[c.name] ?? 0),
      formatMs(c.rto.targetMs),
      bad(rtoMet(c.rto.writeMs, c.rto.targetMs), formatMs(c.rto.writeMs, "never")),
      formatMs(c.rto.p99ClientMs),
      latencyPair(c.latency.writeP50Ms, c.latency.writeP99Ms),
      c.met ? chalk.green("met") : chalk.red("missed"),
    ]);
  }
  const tt = r.totals;
  const totals = packParts(
    [
      `writes ${formatCount(tt.writesAcked)} acked`,
      tt.writesLost > 0 ? chalk.red(`${formatCount(tt.writesLost)} lost`) : "0 lost",
      `${formatCount(run.ambiguousWrites)} ambiguous (error seen, row present)`,
      `${formatCount(tt.writesRejected)} failed cleanly`,
      `writes unavailable ${formatUnavailable(tt)}`,
      `failovers ${tt.failovers}`,
    ],
    width,
    "  ",
    "    ",
  ).join("\n");
  const expectations =
    r.expectations.length === 0
      ? ""
      : `\n  expectations (measured fields): ${expectationSummary(r.expectations)}${r.expectations
          .filter((e) => !e.met)
          .map((e) => `\n${wrapHanging(`${e.path} expected ${e.expected}, actual ${actualText(e)}`, width, `    ${chalk.red("✗")} `, "      ").join("\n")}`)
          .join("")}`;
  return `${chalk.bold(title)}\n${timeline}\n\n${renderTable({ columns: RUN_COLUMNS, rows }, width, chalk)}\n${totals}${expectations}`;
}

function compareSection(report: LiveReport, chalk: ChalkInstance, width: number): string {
  if (report.runs.length === 0) return "";
  const runColumns: Column[] = report.runs.map((r) => ({ head: `live run ${r.run}`, short: `run ${r.run}` }));
  const columns: Column[] = [{ head: "class" }, { head: "measure", wrap: true }, { head: `simulated (p50 of ${formatCount(report.trials)})`, short: `simulated\n(p50 of ${formatCount(report.trials)})`, wrap: true }, ...runColumns, { head: "live/sim" }];
  const rows = compareRows(report).map((row) => [row.cls, row.metric, row.simulated, ...row.live, row.ratio]);
  // Stacked, a row's title names both its class and its measure.
  const title = (row: string[]) => `${row[0]} · ${row[1]}`;
  const table = renderTable({ columns, rows, title }, width, chalk);
  const phases = phaseRows(report);
  let phaseTable = "";
  if (phases.length > 0) {
    const phaseColumns: Column[] = [{ head: "failover phase", short: "failover\nphase" }, { head: `simulated (seed ${report.simulated.seed})`, short: `simulated\n(seed ${report.simulated.seed})` }, ...runColumns];
    phaseTable = `\n${renderTable({ columns: phaseColumns, rows: phases.map((row) => [row.phase, row.simulated, ...row.live]) }, width, chalk)}`;
  }
  const verdict = verdictLines(report)
    .flatMap((l) => wrapHanging(l, width, "  ", "    "))
    .map((l) => chalk.bold(l))
    .join("\n");
  return `${chalk.bold("Live vs simulated")}\n${table}${phaseTable}\n${verdict}`;
}

function keptSection(report: LiveReport, chalk: ChalkInstance): string {
  if (!report.kept) return "";
  const k = report.kept;
  return `${chalk.bold("Cluster kept running (--keep)")}\n  folder ${k.folder}\n${k.connections.map((c) => `  ${c}`).join("\n")}\n  stop it with: sh ${k.stopScript}`;
}
