// The quorum report as GitHub-flavoured markdown, for design docs and PR
// comments: the same content as the text report, as tables, with the curve in
// a fenced block so its columns stay aligned. Pure.
import type { DownState } from "../../quorum/availability.js";
import type { QuorumResult } from "../../quorum/result.js";
import { formatCount } from "../../report/common/format.js";
import { cell, mdTable } from "../../report/common/markdown.js";
import { formatAskedMs, formatMsAtLeast, formatMsUnit, formatPercent, formatStale, fanoutScope, latencyScope, plural, readsWord, standInsBreakOverlap, remoteScope, staleLines, strongWord, visibilityPlot, zeroWait } from "./format.js";

/** Text for a table cell: pipes escaped, HTML neutralised, one line. */
const mark = (ok: boolean) => (ok ? "✅ yes" : "❌ no");

function writesCell(s: DownState): string {
  return s.writes.hinted ? "⚠️ yes, hinted" : mark(s.writes.available);
}

function readsCell(s: DownState): string {
  return s.reads.available && s.reads.viaStandIns ? `⚠️ ${readsWord(s)}` : mark(s.reads.available);
}

function strongCell(s: DownState, strong: boolean): string {
  const word = strongWord(s, strong);
  if (s.strongReads) return `✅ ${word}`;
  return !s.reads.available ? `❌ ${word}` : `⚠️ ${word}`;
}

export function renderQuorumMarkdown(result: QuorumResult): string {
  const a = result.analysis;
  const s = a.current;
  const mode = a.sloppy ? `sloppy quorum${a.cluster === null ? "" : `, ${a.cluster}-node cluster`}` : "strict quorum";
  const parts: string[] = [];
  parts.push(`### Quorum N=${a.n}, R=${a.r}, W=${a.w} — ${a.down} of ${a.n} replicas down (${mode})`);
  parts.push(
    mdTable(
      ["", "available", "needs", "can answer"],
      [
        ["writes", writesCell(s), plural(s.writes.needed, "ack"), String(s.writes.reachable)],
        ["reads", s.reads.standInsOnly ? "⚠️ yes, stale: stand-ins only" : readsCell(s), plural(s.reads.needed, "reply", "replies"), String(s.reads.reachable)],
      ],
      ["l", "l", "r", "r"],
    ),
  );
  parts.push(
    [
      `- **R + W > N:** ${a.strong ? `yes (${a.r} + ${a.w} > ${a.n}; every read quorum shares at least ${a.overlap} with every write quorum${standInsBreakOverlap(a) ? " of the key's own replicas; stand-ins break that" : ""})` : `no (${a.r} + ${a.w} <= ${a.n})`}`,
      ...staleLines(a).map((line, i) => {
        const label = i > 0 ? `Stale-read probability, ${line.when}` : line.possible ? "Stale reads" : line.when === null ? "Stale-read probability (closed form)" : `Stale-read probability, ${line.when}`;
        const value = line.possible ? `possible with ${a.down} down: ${cell(line.value)} for ${line.when}` : cell(line.value);
        if (label === "Stale-read probability (closed form)") return `- **${label}:** ${value} — the chance that a random read quorum misses the write quorum entirely`;
        return `- **${cell(label)}:** ${value} — ${cell(line.meaning)}`;
      }),
    ].join("\n"),
  );
  parts.push(
    `#### By replicas down\n\n${mdTable(
      ["down", "up", "writes", "reads", "strong reads"],
      a.byDown.map((d) => [d.down === a.down ? `**${d.down}** ◀` : String(d.down), String(d.up), writesCell(d), readsCell(d), strongCell(d, a.strong)]),
      ["r", "r", "l", "l", "l"],
    )}`,
  );
  if (result.latency) {
    const v = result.latency.result;
    const source = result.latency.name ? `${result.latency.name} (\`${result.latency.file}\`)` : `\`${result.latency.file}\``;
    const scope = latencyScope(a, result.latency);
    if (v === null) {
      parts.push(`#### t-visibility — WARS Monte Carlo, ${cell(source)}: blocked`, cell(scope ?? ""));
    } else {
      parts.push(`#### t-visibility — WARS Monte Carlo, ${cell(source)}, ${formatCount(v.trials)} trials, seed ${v.seed}`);
      if (scope !== null) parts.push(cell(scope));
      const wide = remoteScope(result.latency, a);
      if (wide !== null) parts.push(cell(wide));
      const fanout = fanoutScope(result.latency, a.r, a.n);
      if (fanout !== null) parts.push(cell(fanout));
      parts.push(mdTable(["t after commit", "P(read returns the write)"], v.visibility.map((p) => [formatAskedMs(p.tMs), formatPercent(p.consistent, 2)]), ["r", "r"]));
      const plot = visibilityPlot(v.curve, v.tForP999Ms);
      if (plot.length > 0) parts.push(["```text", "P(consistent) as the read starts later (▲ = 99.9%)", ...plot, "```"].join("\n"));
      parts.push(
        [
          v.tForP999Ms === 0
            ? `- **t for 99.9%:** 0 ms — ${zeroWait(a, result.latency.nodes)}`
            : `- **t for 99.9%:** ${formatMsAtLeast(v.tForP999Ms)} — a read starting this long after the write commits returns it in 99.9% of trials`,
          ...(a.strong ? [] : [`- **Closed form vs simulated:** ${cell(formatStale(a.down > 0 && a.staleDuring.stale !== null ? a.staleDuring.stale : a.stale))} stale if the write stopped at its W replicas${a.down > 0 ? ` (of the ${result.latency.nodes} drawn)` : ""}; ${formatPercent(1 - v.consistentAtCommit, 2)} of reads right after the commit are stale in the simulation`]),
          `- **Latency p99.9:** read ${formatMsUnit(v.latencyP999Ms.read)}, write ${formatMsUnit(v.latencyP999Ms.write)} (p50 ${formatMsUnit(v.latencyP50Ms.read)} / ${formatMsUnit(v.latencyP50Ms.write)})`,
        ].join("\n"),
      );
    }
  }
  parts.push(`#### What this means\n\n${a.remarks.map((r) => `- ${r.text}`).join("\n")}`);
  return `${parts.join("\n\n")}\n`;
}
