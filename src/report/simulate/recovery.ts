// The recovery section of a simulate report: whether replication handled the
// incident or only the backups saved the data, the options weighed (each with
// its data loss and restore time), and what restore drills found.
import type { ChalkInstance } from "chalk";
import { renderTable, type Column } from "../common/table.js";
import { DEFAULT_LAYOUT, wrapHanging, type TextLayout } from "../common/layout.js";
import type { SimulationResult } from "../../engine/result.js";
import { drillText, extrapolatedText, headlineText, projectedLossText, runClock, incidentLineText, otherBadWritesText, lostWritesCell, optionReasonText, reconcileCell, otherLossesText, recoverySentences, restoreDuration, verdictText } from "./recovery-words.js";
import { vocabularyOf } from "./vocabulary.js";

export const METHOD_NAMES: Record<string, string> = {
  failover: "failover (replication)",
  pitr: "point-in-time restore",
  "base-backup": "base backup (snapshot)",
  "logical-backup": "logical backup",
  none: "nothing",
};

const restore = (ms: number | null) => (ms === null ? "–" : restoreDuration(ms));

/** The options table: the "why" column wraps in a narrow table, and the table stacks when even that does not fit. */
const OPTION_COLUMNS: Column[] = [
  { head: "option" },
  { head: "possible", keep: true },
  { head: "restore time", short: "restore\ntime" },
  { head: "total time", short: "total\ntime" },
  { head: "lost writes", short: "lost\nwrites" },
  { head: "to reconcile", short: "to\nreconcile" },
  { head: "why", wrap: "prose" },
];

export function recoveryText(result: SimulationResult, chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const r = result.recovery;
  if (!r) return "";
  const lostAcked = r.verdict.kind === "acked-writes-lost" || (r.verdict.kind === "failover-handled" && r.verdict.lostWrites > 0);
  const colour = lostAcked ? chalk.red.bold : !r.needed ? chalk.green : r.method === "none" ? chalk.red.bold : chalk.yellow.bold;
  const { width } = layout;
  const words = vocabularyOf(result);
  const lines = [
    chalk.bold("Recovery"),
    ...wrapHanging(headlineText(r, words), width, "  ").map((l) => colour(l)),
    ...wrapHanging(`incident: ${incidentLineText(r, words)}`, width, "  ", "    "),
    ...wrapHanging(verdictText(r.verdict, r.writesNotBack, words, true), width, "  "),
  ];
  const otherBad = otherBadWritesText(r, words);
  if (otherBad) lines.push(...wrapHanging(otherBad, width, "  ").map((l) => chalk.yellow(l)));
  const others = otherLossesText(r, words);
  if (others) lines.push(...wrapHanging(others, width, "  ").map((l) => chalk.red(l)));
  const projected = projectedLossText(r);
  if (projected) lines.push(...wrapHanging(projected, width, "  ").map((l) => chalk.yellow(l)));
  const extrapolated = extrapolatedText(r);
  if (extrapolated) lines.push(...wrapHanging(extrapolated, width, "  ").map((l) => chalk.dim(l)));
  if (r.options.length > 0) {
    const rows = r.options.map((o) => {
      const chosen = o.method === r.method && o.feasible;
      return [`${chosen ? "▶ " : "  "}${METHOD_NAMES[o.method]}`, o.feasible ? chalk.green("yes") : chalk.red("no"), restore(o.restoreMs), restore(o.totalMs), lostWritesCell(o), reconcileCell(o), optionReasonText(o.reason, words)];
    });
    lines.push(renderTable({ columns: OPTION_COLUMNS, rows, indent: "  " }, width, chalk));
  }
  for (const d of r.drills) lines.push(...wrapHanging(`restore drill at ${runClock(d.atMs)}: ${drillText(d, words)}`, width, `  ${d.ok ? chalk.green("✓") : chalk.red("✗")} `, "    "));
  return lines.join("\n");
}

export function recoveryMarkdown(result: SimulationResult): string {
  const r = result.recovery;
  if (!r) return "";
  const words = vocabularyOf(result);
  const rows = r.options.map(
    (o) => `| ${o.method === r.method && o.feasible ? "**▶ " : ""}${METHOD_NAMES[o.method]}${o.method === r.method && o.feasible ? "**" : ""} | ${o.feasible ? "yes" : "no"} | ${restore(o.restoreMs)} | ${restore(o.totalMs)} | ${lostWritesCell(o)} | ${o.feasible ? o.reconcileWrites : "–"} | ${optionReasonText(o.reason, words).replace(/\|/g, "\\|")} |`,
  );
  const table = rows.length > 0 ? ["", "| option | possible | restore time | total time | lost writes | to reconcile | why |", "|---|---|---|---|---|---|---|", ...rows] : [];
  const drills = r.drills.map((d) => `- ${d.ok ? "✅" : "❌"} restore drill at ${runClock(d.atMs)}: ${drillText(d, words)}`);
  return [`#### Recovery — ${headlineText(r, words)}`, "", `Incident: ${incidentLineText(r, words)}. ${recoverySentences(r, words).join(" ")}`, ...table, ...(drills.length > 0 ? ["", ...drills] : [])].join("\n");
}
