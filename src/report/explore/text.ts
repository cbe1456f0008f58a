// `repl-lab explore` as text: one table of the worst outcomes found (against
// each data class's targets), then each outcome's story and the scenario file
// that replays it. Fits 80 columns.
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import { formatDuration } from "../../base/units.js";
import type { ExploreReport, Finding } from "../../swarm/explore.js";

const WIDTH = 80;

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
export function wrap(text: string, indent: string, first = "", width = WIDTH): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ").filter((w) => w.length > 0)) {
    if (line.trim().length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim().length === 0 ? line + word : `${line} ${word}`;
  }
  if (line.trim().length > 0) lines.push(line);
  return lines.join("\n");
}

export interface SavedFile {
  finding: Finding;
  path: string;
}

export function renderExploreText(report: ExploreReport, saved: SavedFile[], chalk: ChalkInstance): string {
  const w = report.workload;
  const head = [
    chalk.bold(`Explore ${report.topology}`) + ` · ${report.schedules} schedules from seed ${report.seed}`,
    wrap(`workload ${w.writes} writes/s${w.reads ? `, ${w.reads} reads/s` : ""} from ${w.clients} clients in ${w.zones?.length ?? 1} zones; faults: ${report.kinds.join(", ")}`, "  "),
    "",
  ];
  if (report.findings.length === 0) return [...head, chalk.green("No schedule hurt this design: nothing lost, no outage, no split brain.")].join("\n");
  const table = new Table({ head: ["worst outcome", "target", "found", "verdict"].map((h) => chalk.bold(h)), style: { head: [], border: [] }, colWidths: [24, 8, 29, 13], wordWrap: true });
  for (const f of report.findings) table.push([what(f), target(f), f.kind === "violation" ? `${f.value} finding${f.value === 1 ? "" : "s"}` : f.label, verdict(f, chalk)]);
  const stories = saved.map(({ finding, path }, i) => {
    const lines = [wrap(`${i + 1}. ${what(finding)}: ${finding.story}`, "   ")];
    if (finding.kind === "violation") for (const detail of finding.details?.slice(0, 2) ?? []) lines.push(wrap(`found: ${detail}`, "     ", "   "));
    lines.push(`   → repl-lab simulate ${path}`);
    return lines.join("\n");
  });
  return [...head, table.toString(), "", ...stories, "", summaryLine(report, chalk)].join("\n");
}

function summaryLine(report: ExploreReport, chalk: ChalkInstance): string {
  const broken = report.findings.filter((f) => f.broken).map((f) => `${what(f)} (${f.label} against ${target(f)})`);
  if (broken.length === 0) return chalk.green("✓ no schedule found breaks a data class's RPO or RTO target");
  return chalk.red(wrap(`✗ some schedule breaks a target: ${broken.join("; ")}`, "  "));
}
