// The recovery section of a simulate report: whether replication handled the
// incident or only the backups saved the data, the options weighed (each with
// its data loss and restore time), and what restore drills found.
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import type { SimulationResult } from "../../engine/result.js";
import { formatDuration } from "../../base/units.js";
import { drillText, headlineText, incidentText, optionReasonText, otherLossesText, verdictText } from "./recovery-words.js";

const METHOD_NAMES: Record<string, string> = {
  failover: "failover (replication)",
  pitr: "point-in-time restore",
  "base-backup": "base backup (snapshot)",
  "logical-backup": "logical backup",
  none: "nothing",
};

const restore = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));

export function recoveryText(result: SimulationResult, chalk: ChalkInstance): string {
  const r = result.recovery;
  if (!r) return "";
  const lostAcked = r.verdict.kind === "acked-writes-lost" || (r.verdict.kind === "failover-handled" && r.verdict.lostWrites > 0);
  const colour = lostAcked ? chalk.red.bold : !r.needed ? chalk.green : r.method === "none" ? chalk.red.bold : chalk.yellow.bold;
  const lines = [chalk.bold("Recovery"), `  ${colour(headlineText(r))}`, `  incident: ${incidentText(r.incident)}`, `  ${verdictText(r.verdict)}`];
  const others = otherLossesText(r);
  if (others) lines.push(`  ${chalk.red(others)}`);
  if (r.extrapolated) lines.push(chalk.dim("  (noticed after the simulated run ends: writes after it are extrapolated at the workload's steady rate)"));
  if (r.options.length > 0) {
    const t = new Table({ head: ["option", "possible", "restore time", "lost writes", "to reconcile", "why"], style: { head: [], border: [] }, wordWrap: true, colWidths: [26, 10, 14, 13, 14, 60] });
    for (const o of r.options) {
      const chosen = o.method === r.method && o.feasible;
      t.push([`${chosen ? "▶ " : "  "}${METHOD_NAMES[o.method]}`, o.feasible ? chalk.green("yes") : chalk.red("no"), restore(o.restoreMs), o.lostWrites.toLocaleString("en-US"), o.reconcileWrites.toLocaleString("en-US"), optionReasonText(o.reason)]);
    }
    lines.push(t.toString().split("\n").map((l) => `  ${l}`).join("\n"));
  }
  for (const d of r.drills) lines.push(`  ${d.ok ? chalk.green("✓") : chalk.red("✗")} restore drill at ${formatDuration(d.atMs)}: ${drillText(d)}`);
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
  return [`#### Recovery — ${headlineText(r)}`, "", `Incident: ${incidentText(r.incident)}. ${verdictText(r.verdict)}${otherLossesText(r) ? ` ${otherLossesText(r)}` : ""}`, ...table, ...(drills.length > 0 ? ["", ...drills] : [])].join("\n");
}
