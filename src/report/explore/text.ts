// `repl-lab explore` as text: one table of the worst outcomes found (against
// each data class's targets), then each outcome's story and the scenario file
// that replays it. Fits the width it is given (100 unless the CLI says otherwise).
import type { ChalkInstance } from "chalk";
import { DEFAULT_LAYOUT, wrapHanging, type TextLayout } from "../common/layout.js";
import { renderTable, type Column } from "../common/table.js";
import { formatDuration } from "../../base/units.js";
import { formatCount } from "../common/format.js";
import type { ExploreReport, Finding } from "../../swarm/explore.js";

function what(f: Finding): string {
  switch (f.kind) {
    case "rpo":
      return `${f.subject} RPO`;
    case "rto":
      return `${f.subject} RTO`;
    case "split-brain":
      return "split brain";
    case "violation":
      return `oracle ${f.subject}`;
  }
}

function target(f: Finding): string {
  return f.targetMs === null ? "–" : formatDuration(f.targetMs) || "0";
}

function verdict(f: Finding, chalk: ChalkInstance): string {
  if (f.kind === "violation") return chalk.red("bug");
  if (f.kind === "split-brain") return chalk.red("two leaders");
  return f.broken ? chalk.red("broken") : chalk.green("met");
}

/** Wraps a paragraph to the width: the first line starts with `first`, the others with `indent`. */
export function wrap(text: string, indent: string, first: string, width: number): string {
  return wrapHanging(text, width, first, indent).join("\n");
}

const COLUMNS: Column[] = [{ head: "worst outcome", wrap: true }, { head: "target" }, { head: "found", wrap: true }, { head: "verdict" }];

export interface SavedFile {
  finding: Finding;
  path: string;
}

export function renderExploreText(report: ExploreReport, saved: SavedFile[], chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const { width } = layout;
  const w = report.workload;
  const head = [
    wrap(chalk.bold(`Explore ${report.topology}`) + ` · ${formatCount(report.schedules)} schedules from seed ${report.seed}`, "  ", "", width),
    wrap(`workload ${formatCount(w.writes)} writes/s${w.reads ? `, ${formatCount(w.reads)} reads/s` : ""} from ${w.clients} clients in ${w.zones?.length ?? 1} zones; faults: ${report.kinds.join(", ")}`, "  ", "", width),
    "",
  ];
  if (report.findings.length === 0) return [...head, ...wrapHanging("No schedule hurt this design: nothing lost, no outage, no split brain.", width).map((l) => chalk.green(l))].join("\n");
  const rows = report.findings.map((f) => [what(f), target(f), f.kind === "violation" ? `${f.value} finding${f.value === 1 ? "" : "s"}` : f.label, verdict(f, chalk)]);
  const stories = saved.map(({ finding, path }, i) => {
    const lines = [wrap(`${i + 1}. ${what(finding)}: ${finding.story}`, "   ", "", width)];
    if (finding.kind === "violation") for (const detail of finding.details?.slice(0, 2) ?? []) lines.push(wrap(`found: ${detail}`, "     ", "   ", width));
    lines.push(wrap(`→ repl-lab simulate ${path}`, "     ", "   ", width));
    return lines.join("\n");
  });
  return [...head, renderTable({ columns: COLUMNS, rows }, width, chalk), "", ...stories, "", summaryLine(report, chalk, width)].join("\n");
}

function summaryLine(report: ExploreReport, chalk: ChalkInstance, width: number): string {
  const broken = report.findings.filter((f) => f.broken).map((f) => `${what(f)} (${f.label} against ${target(f)})`);
  if (broken.length === 0) return wrap("✓ no schedule found breaks a data class's RPO or RTO target", "  ", "", width).split("\n").map((l) => chalk.green(l)).join("\n");
  return wrap(`✗ some schedule breaks a target: ${broken.join("; ")}`, "  ", "", width).split("\n").map((l) => chalk.red(l)).join("\n");
}
