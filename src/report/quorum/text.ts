// The text report of `repl-lab quorum`: the verdict for the given number of
// replicas down, the table for every K, the closed-form staleness, and with a
// latency file the t-visibility table, a small curve and the 99.9% point.
// Pure: takes a result and a chalk instance (level 0 for plain text).
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";
import type { DownState } from "../../quorum/availability.js";
import type { QuorumResult } from "../../quorum/result.js";
import { formatCount } from "../../report/shared/format.js";
import { formatMsUnit, formatPercent, formatStale, visibilityPlot } from "./format.js";

/** Table borders without a rule between rows: the K table can have 65 of them. */
const COMPACT = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

function table(head: string[], chalk: ChalkInstance): Table.Table {
  return new Table({ head: head.map((h) => chalk.bold(h)), chars: COMPACT, style: { head: [], border: [], "padding-left": 1, "padding-right": 1 } }) as Table.Table;
}

/** The compact table with one rule under its header, drawn from the top border. */
function tableText(t: Table.Table): string {
  const lines = t.toString().split("\n");
  if (lines.length < 3) return lines.join("\n");
  const rule = lines[0].replace("┌", "├").replace("┐", "┤").replace(/┬/g, "┼");
  return [lines[0], lines[1], rule, ...lines.slice(2)].join("\n");
}

function yesNo(ok: boolean, chalk: ChalkInstance, words: [string, string] = ["yes", "no"]): string {
  return ok ? chalk.green(words[0]) : chalk.red(words[1]);
}

function writesWord(state: DownState, chalk: ChalkInstance): string {
  if (state.writes.hinted) return chalk.yellow("yes, hinted");
  return yesNo(state.writes.available, chalk);
}

function mode(result: QuorumResult): string {
  const a = result.analysis;
  if (!a.sloppy) return "strict quorum";
  return a.cluster === null ? "sloppy quorum" : `sloppy quorum, ${a.cluster}-node cluster`;
}

function header(result: QuorumResult, chalk: ChalkInstance): string {
  const a = result.analysis;
  return chalk.bold(`Quorum N=${a.n} R=${a.r} W=${a.w}`) + ` · ${a.down} of ${a.n} replicas down · ${mode(result)}`;
}

function verdict(result: QuorumResult, chalk: ChalkInstance): string {
  const a = result.analysis;
  const s = a.current;
  const writeDetail = s.writes.available
    ? s.writes.hinted
      ? `needs ${plural(s.writes.needed, "ack")}: ${s.up} replicas up, the rest from stand-ins keeping hints for the ${s.down} down`
      : `needs ${plural(s.writes.needed, "ack")}, ${s.up} replicas up`
    : `needs ${plural(s.writes.needed, "ack")}, only ${s.writes.reachable} ${a.sloppy ? "nodes" : "replicas"} can take it`;
  const readDetail = s.reads.standIns > 0
    ? `needs ${plural(s.reads.needed, "reply", "replies")}: ${s.up} replicas up and ${s.reads.standIns} stand-in${s.reads.standIns === 1 ? "" : "s"} (which lack earlier writes)`
    : `needs ${plural(s.reads.needed, "reply", "replies")}, ${s.reads.available ? "" : "only "}${s.up} replicas up`;
  const writes = s.writes.hinted ? chalk.yellow("available, hinted") : yesNo(s.writes.available, chalk, ["available", "BLOCKED"]);
  const rows: [string, string, string][] = [
    ["writes", writes, writeDetail],
    ["reads", yesNo(s.reads.available, chalk, ["available", "BLOCKED"]), readDetail],
    ["R + W > N", a.strong ? chalk.green("yes") : chalk.yellow("no"), `${a.r} + ${a.w} ${a.strong ? ">" : "<="} ${a.n}: ${a.strong ? `every read quorum shares at least ${a.overlap} with every write quorum` : "a read quorum can miss the write quorum"}`],
    ["stale reads", formatStale(a.stale), "chance a random read quorum misses the write quorum entirely (closed form)"],
  ];
  return rows.map(([label, value, detail]) => `  ${label.padEnd(11)} ${padVisible(value, 19)} ${detail}`).join("\n");
}

function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** Pads by visible width: colour codes do not count. */
function padVisible(text: string, width: number): string {
  const visible = text.replace(/\u001b\[[0-9;]*m/g, "").length;
  return text + " ".repeat(Math.max(0, width - visible));
}

function downTable(result: QuorumResult, chalk: ChalkInstance): string {
  const a = result.analysis;
  const t = table(["down", "up", "writes", "reads", "strong reads"], chalk);
  for (const s of a.byDown) {
    const current = s.down === a.down;
    const down = current ? chalk.bold(`▶ ${s.down}`) : `  ${s.down}`;
    const strong = s.strongReads ? chalk.green("yes") : !s.reads.available ? chalk.red("no, blocked") : s.hintsPending && a.strong ? chalk.yellow("no, hints pending") : chalk.yellow("no");
    t.push([down, String(s.up), writesWord(s, chalk), yesNo(s.reads.available, chalk), strong]);
  }
  return `By replicas down (${mode(result)}; ▶ = --down ${a.down})\n${tableText(t)}`;
}

function visibilitySection(result: QuorumResult, chalk: ChalkInstance): string {
  const run = result.latency;
  if (!run) return "";
  const v = run.result;
  const a = result.analysis;
  const source = run.name ? `${run.name} (${run.file})` : run.file;
  const lines: string[] = [];
  lines.push(`${chalk.bold("t-visibility")} · WARS Monte Carlo · ${source} · ${formatCount(v.trials)} trials · seed ${v.seed}`);
  const t = table(["t after commit", "P(read returns the write)"], chalk);
  for (const p of v.visibility) {
    const text = formatPercent(p.consistent, 2);
    t.push([formatMsUnit(p.tMs), p.consistent >= 0.999 ? chalk.green(text) : p.consistent >= 0.99 ? text : chalk.yellow(text)]);
  }
  lines.push(tableText(t));
  const plot = visibilityPlot(v.curve, v.tForP999Ms);
  if (plot.length > 0) {
    lines.push("", "P(consistent) as the read starts later (▲ = 99.9%)");
    lines.push(...plot.map((l) => chalk.cyan(l)));
  }
  lines.push("");
  if (v.tForP999Ms === 0) {
    lines.push(`  99.9% point   ${chalk.green("0 ms")}: ${a.strong ? "R + W > N, so every read returns the write as soon as it commits" : "at least 99.9% of reads return the write even right after it commits"}`);
  } else {
    lines.push(`  99.9% point   ${chalk.bold(formatMsUnit(v.tForP999Ms))}: a read that starts this long after the write commits returns it in 99.9% of trials`);
  }
  if (!a.strong) {
    lines.push(
      `  closed form   ${formatStale(a.stale)} stale if the write stopped at its W replicas; simulated, ${formatPercent(1 - v.consistentAtCommit, 2)} of reads right after the commit are stale, because the write keeps reaching the other replicas`,
    );
  }
  lines.push(`  latency p99.9 read ${formatMsUnit(v.latencyP999Ms.read)} (the R-th reply) · write ${formatMsUnit(v.latencyP999Ms.write)} (the W-th ack); p50 ${formatMsUnit(v.latencyP50Ms.read)} / ${formatMsUnit(v.latencyP50Ms.write)}`);
  lines.push(
    `  ${chalk.dim("t-visibility: the chance that a read starting t ms after the write is acknowledged returns it. It grows with t because replicas the write had not reached at the ack keep receiving it.")}`,
  );
  return lines.join("\n");
}

function notes(result: QuorumResult, chalk: ChalkInstance): string {
  const a = result.analysis;
  const lines = a.remarks.map((r) => `  • ${r.text}`);
  if (!a.strong && !result.latency) lines.push("  • To see how fast the stale window closes with real latencies: --latency FILE (e.g. scenarios/latency/lnkd-ssd.yaml).");
  return `${chalk.bold("What this means")}\n${lines.join("\n")}`;
}

export function renderQuorumText(result: QuorumResult, chalk: ChalkInstance): string {
  const sections = [header(result, chalk), verdict(result, chalk), downTable(result, chalk), visibilitySection(result, chalk), notes(result, chalk)];
  return `${sections.filter((s) => s !== "").join("\n\n")}\n`;
}
