// The recovery section of a simulate report: whether replication handled the
// incident or only the backups saved the data, the options weighed (each with
// its data loss and restore time), and what restore drills found.
import type { ChalkInstance } from "chalk";
import { renderTable } from "../shared/table.js";
import { DEFAULT_LAYOUT, wrapHanging, type TextLayout } from "../shared/layout.js";
import type { Recovery } from "../../engine/recovery.js";
import type { SimulationResult } from "../../engine/result.js";
import { formatDuration } from "../../base/units.js";
import { drillText, incidentText, optionReasonText, verdictText } from "./recovery-words.js";

const METHOD_NAMES: Record<string, string> = {
  failover: "failover (replication)",
  pitr: "point-in-time restore",
  "base-backup": "base backup (snapshot)",
  "logical-backup": "logical backup",
  none: "nothing",
};

function headline(r: Recovery): string {
  if (r.incident.kind === "none" && r.drills.some((d) => !d.ok)) return "NO INCIDENT — BUT THE RESTORE DRILL FAILED: these backups would not have saved you.";
  if (r.incident.kind === "none" && r.drills.length > 0) return "NO INCIDENT — the restore drill passed.";
  if (!r.needed && r.method === "failover" && r.lostWrites > 0) return `REPLICATION HANDLED IT, WITH LOSS — ${r.lostWrites.toLocaleString("en-US")} acknowledged writes did not survive; no backup was needed.`;
  if (!r.needed && r.method === "failover") return "REPLICATION HANDLED IT — no backup was needed.";
  if (!r.needed) return "NOTHING TO RECOVER — the damage never happened.";
  if (r.method === "none") return "UNRECOVERABLE — no replica and no backup can bring this data back.";
  if (r.method === "failover") return "REPLICATION HANDLED IT, WITH LOSS.";
  return "ONLY THE BACKUPS SAVED THE DATA — replication had copied the damage everywhere.";
}

const restore = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));

/** The options table: the "why" column wraps in a narrow table, and the table stacks when even that does not fit. */
const OPTION_COLUMNS = [
  { head: "option" },
  { head: "possible", keep: true },
  { head: "restore time", short: "restore\ntime" },
  { head: "lost writes", short: "lost\nwrites" },
  { head: "to reconcile", short: "to\nreconcile" },
  { head: "why", wrap: true },
];

export function recoveryText(result: SimulationResult, chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const r = result.recovery;
  if (!r) return "";
  const colour = !r.needed ? chalk.green : r.method === "none" ? chalk.red.bold : chalk.yellow.bold;
  const { width } = layout;
  const lines = [
    chalk.bold("Recovery"),
    ...wrapHanging(headline(r), width, "  ").map((l) => colour(l)),
    ...wrapHanging(`incident: ${incidentText(r.incident)}`, width, "  ", "    "),
    ...wrapHanging(verdictText(r.verdict), width, "  "),
  ];
  if (r.extrapolated) lines.push(chalk.dim("  (noticed after the simulated run ends: writes after it are extrapolated at the workload's steady rate)"));
  if (r.options.length > 0) {
    const rows = r.options.map((o) => {
      const chosen = o.method === r.method && o.feasible;
      return [`${chosen ? "▶ " : "  "}${METHOD_NAMES[o.method]}`, o.feasible ? chalk.green("yes") : chalk.red("no"), restore(o.restoreMs), o.lostWrites.toLocaleString("en-US"), o.reconcileWrites.toLocaleString("en-US"), optionReasonText(o.reason)];
    });
    lines.push(renderTable({ columns: OPTION_COLUMNS, rows, indent: "  " }, width, chalk));
  }
  for (const d of r.drills) lines.push(...wrapHanging(`restore drill at ${formatDuration(d.atMs)}: ${drillText(d)}`, width, `  ${d.ok ? chalk.green("✓") : chalk.red("✗")} `, "    "));
  return lines.join("\n");
}

export function recoveryMarkdown(result: SimulationResult): string {
  const r = result.recovery;
  if (!r) return "";
  const rows = r.options.map(
    (o) => `| ${o.method === r.method && o.feasible ? "**▶ " : ""}${METHOD_NAMES[o.method]}${o.method === r.method && o.feasible ? "**" : ""} | ${o.feasible ? "yes" : "no"} | ${restore(o.restoreMs)} | ${o.lostWrites} | ${o.reconcileWrites} | ${optionReasonText(o.reason).replace(/\|/g, "\\|")} |`,
  );
  const table = rows.length > 0 ? ["", "| option | possible | restore time | lost writes | to reconcile | why |", "|---|---|---|---|---|---|", ...rows] : [];
  const drills = r.drills.map((d) => `- ${d.ok ? "✅" : "❌"} restore drill at ${formatDuration(d.atMs)}: ${drillText(d)}`);
  return [`#### Recovery — ${headline(r)}`, "", `Incident: ${incidentText(r.incident)}. ${verdictText(r.verdict)}`, ...table, ...(drills.length > 0 ? ["", ...drills] : [])].join("\n");
}
