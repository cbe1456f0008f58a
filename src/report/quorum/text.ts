// The text report of `repl-lab quorum`: the verdict for the given number of
// replicas down, the table for every K, the closed-form staleness, and with a
// latency file the t-visibility table, a small curve and the 99.9% point.
// Pure: takes a result, a chalk instance (level 0 for plain text) and the
// width to fit, which long details wrap to under their own column.
import type { ChalkInstance } from "chalk";
import { DEFAULT_LAYOUT, fitLines, padVisible, wrapHanging, type TextLayout } from "../common/layout.js";
import { renderTable, type Column } from "../common/table.js";
import type { DownState } from "../../quorum/availability.js";
import type { QuorumResult } from "../../quorum/result.js";
import { formatCount } from "../../report/common/format.js";
import { formatAskedMs, formatMsAtLeast, formatMsUnit, formatPercent, formatStale, fanoutScope, latencyScope, plural, readsWord, remoteScope, standInsBreakOverlap, staleDetail, staleLines, strongWord, visibilityPlot, zeroWait } from "./format.js";

/** Table borders without a rule between rows: the K table can have 65 of them. */
const COMPACT = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

/** A compact table (one rule, under its header) laid out to the width. */
function table(head: string[], rows: string[][], chalk: ChalkInstance, width: number): string {
  const columns: Column[] = head.map((h) => ({ head: h }));
  return renderTable({ columns, rows, chars: COMPACT }, width, chalk);
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

/** Below this many columns beside the value, a verdict row's detail goes on the lines under it. */
const DETAIL_MIN_WIDTH = 40;

function verdict(result: QuorumResult, chalk: ChalkInstance, width: number): string {
  const a = result.analysis;
  const s = a.current;
  // Sloppy writes and reads go to the same first N healthy nodes: both lines count the stand-ins among them.
  const upReplicas = plural(s.up, "replica");
  const standIns = (n: number) => plural(n, "stand-in");
  const writeDetail = s.writes.available
    ? s.writes.hinted
      ? `needs ${plural(s.writes.needed, "ack")}: ${upReplicas} up, the rest from stand-ins keeping hints for the ${s.down} down`
      : s.writes.standIns > 0
        ? `needs ${plural(s.writes.needed, "ack")}: ${upReplicas} up and ${standIns(s.writes.standIns)} keeping hints for the ${s.down} down`
        : `needs ${plural(s.writes.needed, "ack")}, ${upReplicas} up`
    : `needs ${plural(s.writes.needed, "ack")}, only ${s.writes.reachable} ${a.sloppy ? "node" : "replica"}${s.writes.reachable === 1 ? "" : "s"} can take it`;
  const readDetail = s.reads.standInsOnly
    ? `needs ${plural(s.reads.needed, "reply", "replies")}: no replica up, so only ${standIns(s.reads.standIns)} answer${s.reads.standIns === 1 ? "s" : ""}, holding only the writes made since ${s.reads.standIns === 1 ? "it" : "they"} stepped in: a key written before reads as not found (Cassandra, which never reads a hint, fails these reads)`
    : s.reads.standIns > 0
    ? `needs ${plural(s.reads.needed, "reply", "replies")}: ${upReplicas} up and ${standIns(s.reads.standIns)} (which lack earlier writes)`
    : `needs ${plural(s.reads.needed, "reply", "replies")}, ${s.reads.available ? "" : "only "}${upReplicas} up`;
  const writes = s.writes.hinted ? chalk.yellow("available, hinted") : yesNo(s.writes.available, chalk, ["available", "BLOCKED"]);
  const rows: [string, string, string][] = [
    ["writes", writes, writeDetail],
    ["reads", s.reads.standInsOnly ? chalk.yellow("available, stale") : s.reads.viaStandIns ? chalk.yellow("available, stand-ins") : yesNo(s.reads.available, chalk, ["available", "BLOCKED"]), readDetail],
    ["R + W > N", a.strong ? chalk.green("yes") : chalk.yellow("no"), `${a.r} + ${a.w} ${a.strong ? ">" : "<="} ${a.n}: ${a.strong ? `every read quorum shares at least ${a.overlap} with every write quorum${standInsBreakOverlap(a) ? " of the key's own replicas; stand-ins break that" : ""}` : "a read quorum can miss the write quorum"}`],
    ...staleLines(a).map((line, i): [string, string, string] => [i === 0 ? "stale reads" : "", line.possible ? chalk.yellow(line.value) : line.value, staleDetail(line)]),
  ];
  const detailColumn = " ".repeat(2 + 11 + 1 + 19 + 1);
  const beside = width - detailColumn.length >= DETAIL_MIN_WIDTH;
  return rows
    .flatMap(([label, value, detail]) => {
      const head = `  ${label.padEnd(11)} ${padVisible(value, 19)} `;
      return beside ? wrapHanging(detail, width, head, detailColumn) : [head.trimEnd(), ...wrapHanging(detail, width, "    ")];
    })
    .join("\n");
}

/** Why the curve rises with t, or, when it is flat at 100%, why it is. */
function visibilityGrowth(a: QuorumResult["analysis"], nodes: number, atCommit: number): string {
  if (atCommit < 1) return "It grows with t because replicas the write had not reached at the ack keep receiving it.";
  if (a.r + a.w > nodes) return `It is 100% at every t: R + W > ${nodes === a.n ? "N" : `${nodes}, the nodes drawn`}, so every read hears from a replica that acknowledged the write.`;
  return "It is 100% at every t: in every trial the read reached a replica the write had already reached, even right after the commit.";
}

function downTable(result: QuorumResult, chalk: ChalkInstance, width: number): string {
  const a = result.analysis;
  const rows: string[][] = [];
  for (const s of a.byDown) {
    const current = s.down === a.down;
    const down = current ? chalk.bold(`▶ ${s.down}`) : `  ${s.down}`;
    const word = strongWord(s, a.strong);
    const strong = s.strongReads ? chalk.green(word) : !s.reads.available ? chalk.red(word) : chalk.yellow(word);
    const reads = s.reads.available && s.reads.viaStandIns ? chalk.yellow(readsWord(s)) : yesNo(s.reads.available, chalk);
    rows.push([down, String(s.up), writesWord(s, chalk), reads, strong]);
  }
  return `By replicas down (${mode(result)}; ▶ = --down ${a.down})\n${table(["down", "up", "writes", "reads", "strong reads"], rows, chalk, width)}`;
}

function visibilitySection(result: QuorumResult, chalk: ChalkInstance, width: number): string {
  const run = result.latency;
  if (!run) return "";
  const v = run.result;
  const a = result.analysis;
  const source = run.name ? `${run.name} (${run.file})` : run.file;
  const lines: string[] = [];
  const scope = latencyScope(a, run);
  if (v === null) {
    lines.push(`${chalk.bold("t-visibility")} · WARS Monte Carlo · ${source} · ${chalk.red("blocked")}`);
    lines.push(...wrapHanging(scope ?? "", width, "  "));
    return lines.join("\n");
  }
  lines.push(`${chalk.bold("t-visibility")} · WARS Monte Carlo · ${source} · ${formatCount(v.trials)} trials · seed ${v.seed}`);
  if (scope !== null) lines.push(...wrapHanging(scope, width, "  "));
  const wide = remoteScope(run, a);
  if (wide !== null) lines.push(...wrapHanging(wide, width, "  "));
  const fanout = fanoutScope(run, a.r, a.n);
  if (fanout !== null) lines.push(...wrapHanging(fanout, width, "  "));
  const rows = v.visibility.map((p) => {
    const text = formatPercent(p.consistent, 2);
    return [formatAskedMs(p.tMs), p.consistent >= 0.999 ? chalk.green(text) : p.consistent >= 0.99 ? text : chalk.yellow(text)];
  });
  lines.push(table(["t after commit", "P(read returns the write)"], rows, chalk, width));
  const plot = visibilityPlot(fewerPoints(v.curve, width - 8), v.tForP999Ms);
  if (plot.length > 0) {
    lines.push("", "P(consistent) as the read starts later (▲ = 99.9%)");
    lines.push(...plot.map((l) => chalk.cyan(l)));
  }
  lines.push("");
  // Each figure's sentence continues under the sentence, past its label.
  const labelled = (label: string, text: string) => lines.push(...wrapHanging(text, width, `  ${label.padEnd(13)} `, " ".repeat(16)));
  if (v.tForP999Ms === 0) {
    labelled("99.9% point", `${chalk.green("0 ms")}: ${zeroWait(a, run.nodes)}`);
  } else {
    labelled("99.9% point", `${chalk.bold(formatMsAtLeast(v.tForP999Ms))}: a read that starts this long after the write commits returns it in 99.9% of trials`);
  }
  if (!a.strong) {
    const closed = a.down > 0 && a.staleDuring.stale !== null ? a.staleDuring.stale : a.stale;
    const simulated = 1 - v.consistentAtCommit;
    // The write spreading past its W replicas is why the simulation is below the closed form; when both are 0 it explains nothing.
    const why = simulated < closed.value ? ", because the write keeps reaching the other replicas" : "";
    labelled("closed form", `${formatStale(closed)} stale if the write stopped at its W replicas${a.down > 0 ? ` (of the ${run.nodes} drawn)` : ""}; simulated, ${formatPercent(simulated, 2)} of reads right after the commit are stale${why}`);
  }
  labelled("latency p99.9", `read ${formatMsUnit(v.latencyP999Ms.read)} (the R-th reply) · write ${formatMsUnit(v.latencyP999Ms.write)} (the W-th ack); p50 ${formatMsUnit(v.latencyP50Ms.read)} / ${formatMsUnit(v.latencyP50Ms.write)}`);
  lines.push(
    ...wrapHanging(`t-visibility: the chance that a read starting t ms after the write is acknowledged returns it. ${visibilityGrowth(a, run.nodes, v.consistentAtCommit)}`, width, "  ").map((l) => chalk.dim(l)),
  );
  return lines.join("\n");
}

/** At most `n` points of the curve, evenly spaced and keeping both ends: one plot column each. */
function fewerPoints<T>(curve: T[], n: number): T[] {
  if (curve.length <= n || n < 2) return curve;
  return Array.from({ length: n }, (_, i) => curve[Math.round((i * (curve.length - 1)) / (n - 1))]);
}

function notes(result: QuorumResult, chalk: ChalkInstance, width: number): string {
  const a = result.analysis;
  const texts = a.remarks.map((r) => r.text);
  if (!a.strong && !result.latency) texts.push("To see how fast the stale window closes with real latencies: --latency FILE (e.g. scenarios/latency/lnkd-ssd.yaml).");
  const lines = texts.flatMap((text) => wrapHanging(text, width, "  • ", "    "));
  return `${chalk.bold("What this means")}\n${lines.join("\n")}`;
}

export function renderQuorumText(result: QuorumResult, chalk: ChalkInstance, layout: TextLayout = DEFAULT_LAYOUT): string {
  const { width } = layout;
  const sections = [header(result, chalk), verdict(result, chalk, width), downTable(result, chalk, width), visibilitySection(result, chalk, width), notes(result, chalk, width)];
  // Headers and the t-visibility line are short phrases; any that is still too wide wraps under its indent.
  return `${fitLines(sections.filter((s) => s !== "").join("\n\n"), width)}\n`;
}
