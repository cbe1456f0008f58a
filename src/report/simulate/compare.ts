// One table comparing several runs — the cross-region follow-up's model
// answer: for each design and fault, what writes cost per region, what the
// fault cost in data and time, and what consistency gave way.
import type { ChalkInstance } from "chalk";
import { renderTable, type Column } from "../common/table.js";
import { DEFAULT_LAYOUT, fitLines, type TextLayout } from "../common/layout.js";
import type { SimulationResult } from "../../engine/result.js";
import { formatMs } from "../common/format.js";
import { judgedKeyOutage } from "../../engine/key-outages.js";
import { keyShareText } from "./timeline.js";

interface Row {
  design: string;
  mode: string;
  scenario: string;
  latency: string;
  lost: string;
  rto: string;
  conflicts: string;
  stale: string;
  splitBrain: string;
}

const ms = (v: number | null) => (v === null ? "–" : v < 10 ? `${Math.round(v * 10) / 10}ms` : `${Math.round(v)}ms`);

function row(r: SimulationResult): Row {
  const worstRto = r.classes.reduce<number | null>((worst, c) => (c.rto.writeMs === null ? Infinity : Math.max(worst ?? 0, c.rto.writeMs)), null);
  const lost = r.totals.writesLost;
  const window = Math.max(...r.classes.map((c) => c.rpo.windowMs));
  return {
    design: r.topology,
    mode: r.mode,
    scenario: r.scenario,
    latency: r.regions.map((g) => `${g.region} ${ms(g.writeP50Ms)}/${ms(g.writeP99Ms)}`).join("\n"),
    lost: lost === 0 ? "0" : `${lost.toLocaleString("en-US")} (${formatMs(window)})`,
    rto: (worstRto === null ? "–" : Number.isFinite(worstRto) ? formatMs(worstRto) : "never") + keysOut(r),
    conflicts: r.totals.conflicts.toLocaleString("en-US"),
    stale: r.totals.staleReads.toLocaleString("en-US"),
    splitBrain: r.totals.splitBrainMs > 0 ? formatMs(r.totals.splitBrainMs) : "0",
  };
}

/**
 * The longest partial outage of some class's keys, as its verdict judges it (" · 50% of keys out 1m10s+"), or "":
 * the RTO times classes as a whole, and some keys out for long must not read as a design that never went down.
 */
function keysOut(r: SimulationResult): string {
  let worst: { keys: number; total: number; ms: number; open: boolean } | null = null;
  for (const c of r.classes) {
    const judged = c.keyOutages ? judgedKeyOutage(c.keyOutages, c.verdicts?.readRto !== null) : null;
    if (judged && (worst === null || judged.span.ms > worst.ms)) worst = { keys: judged.span.keys, total: c.keyOutages!.keys, ms: judged.span.ms, open: judged.span.endMs === null };
  }
  return worst === null ? "" : ` · ${keyShareText(worst.keys, worst.total)} of keys out ${formatMs(worst.ms)}${worst.open ? "+" : ""}`;
}

const HEAD = ["design", "mode", "scenario", "write p50/p99 by client region", "acked writes lost (RPO)", "RTO", "conflicts", "stale reads", "split brain"];

/** The text table's columns: HEAD's words in full, shorter ones for a compact table, and which may wrap. */
const COLUMNS: Column[] = [
  { head: HEAD[0], wrap: true },
  { head: HEAD[1] },
  { head: HEAD[2], wrap: true },
  { head: HEAD[3], short: "write p50/p99\nby client region", wrap: true },
  { head: HEAD[4], short: "acked writes\nlost (RPO)", wrap: true },
  { head: HEAD[5], wrap: true },
  { head: HEAD[6], short: "con-\nflicts" },
  { head: HEAD[7], short: "stale\nreads" },
  { head: HEAD[8], short: "split\nbrain" },
];

export function renderCompareText(results: readonly SimulationResult[], chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const rows = results.map((r) => {
    const x = row(r);
    return [x.design, x.mode, x.scenario, x.latency, x.lost === "0" ? chalk.green(x.lost) : chalk.red(x.lost), x.rto, x.conflicts, x.stale, x.splitBrain];
  });
  const title = `${chalk.bold("Comparison")} (${results.length} run${results.length === 1 ? "" : "s"}; latency is client-observed, from each client region)`;
  return `${fitLines(title, layout.width)}\n${renderTable({ columns: COLUMNS, rows, rowNoun: "run" }, layout.width, chalk)}\n`;
}

export function renderCompareMarkdown(results: readonly SimulationResult[]): string {
  const lines = [`| ${HEAD.join(" | ")} |`, `|${HEAD.map(() => "---").join("|")}|`];
  for (const r of results) {
    const x = row(r);
    lines.push(`| ${[x.design, x.mode, x.scenario, x.latency.replace(/\n/g, "<br>"), x.lost, x.rto, x.conflicts, x.stale, x.splitBrain].join(" | ")} |`);
  }
  return `### Comparison\n\n${lines.join("\n")}\n`;
}
