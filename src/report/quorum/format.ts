// Number formatting and the terminal curve shared by the quorum text and
// markdown reports. Pure.
import { formatSpeculativeRetry } from "../../quorum/fanout.js";
import type { QuorumAnalysis } from "../../quorum/analysis.js";
import type { DownState } from "../../quorum/availability.js";
import type { QuorumLatencyRun } from "../../quorum/result.js";
import type { StaleProbability } from "../../quorum/staleness.js";
import { formatFraction } from "../../quorum/staleness.js";
import type { VisibilityPoint } from "../../quorum/visibility.js";
import { formatDuration } from "../../base/units.js";

/**
 * The levels of nines a figure is read against (99.9% is the t-visibility target), as a percentage and as the
 * probability the reports compare with (p >= 0.999): a rounded figure stays on the value's side of each.
 */
const NINES: readonly [number, number][] = [[90, 0.9], [99, 0.99], [99.9, 0.999], [99.99, 0.9999], [99.999, 0.99999]];

/**
 * A probability as a percentage with at least `digits` decimals, more when
 * needed so a value below 1 never reads "100%" (nor one above 0 "0%"), and
 * one below a level of nines never reads as reaching it: 0.99899 reads
 * "99.899%", not "99.90%", beside a 99.9% point at a later t. Always a
 * percentage: one too small for six decimals reads "5.5e-17%", not the bare
 * probability "5.5e-19" beside "0.01%" elsewhere.
 */
export function formatPercent(p: number, digits = 1): string {
  if (p >= 1) return "100%";
  if (p <= 0) return "0%";
  const percent = p * 100;
  if (percent < 0.0000005) return `${percent.toExponential(1)}%`;
  for (let d = digits; d <= 15; d++) {
    const text = percent.toFixed(d);
    const shown = Number(text);
    if (shown < 100 && shown > 0 && NINES.every(([level, probability]) => shown >= level === p >= probability)) return `${text}%`;
  }
  return `${percent}%`;
}

/** "1 ack", "2 acks", "1 reply", "2 replies". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** Milliseconds with three significant digits or so: 0.655, 1.96, 53, 1364. */
export function formatMsValue(ms: number): string {
  return formatDuration(ms, { style: "milliseconds", unit: false });
}

export function formatMsUnit(ms: number): string {
  return formatDuration(ms, { style: "milliseconds" });
}

/**
 * Rounded up to `digits` decimals: for a threshold such as the 99.9% point, whose printed value must still reach
 * it (rounded to the nearest, 53.00735 printed 53.007, and a read starting 53.007 ms after the commit returned the
 * write in 99.899% of the same trials). Exact: the smallest multiple of 10^-digits at or above the value.
 */
export function roundUpTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  let k = Math.ceil(value * scale);
  // value × scale rounds: a hair above a whole number (2.02 × 1000 = 2020.0000000000002), or down onto one from
  // just above it. Step to the multiple that is the smallest at or above the value as doubles compare.
  if (k / scale < value) k++;
  else if ((k - 1) / scale >= value) k--;
  const up = k / scale;
  return up === 0 ? 0 : up;
}

/**
 * The 99.9% point as the reports print it, rounded up at the precision formatMsUnit prints (3 decimals below 1 ms,
 * 2 below 10, 1 below 100, whole ms above), so that a read starting at the printed t is still consistent in at least
 * 99.9% of the trials: rounded to the nearest, 51.4306 ms printed "51.4 ms", where fewer than 99.9% of the reads were.
 */
export function formatMsAtLeast(ms: number): string {
  const digits = ms < 1 ? 3 : ms < 10 ? 2 : ms < 100 ? 1 : 0;
  return formatMsUnit(roundUpTo(ms, digits));
}

/** A --t value as the user gave it ("53.008 ms"): rounded to three significant digits, 53 and 53.008 were two rows reading "53 ms". */
export function formatAskedMs(ms: number): string {
  return `${Number(ms.toPrecision(12))} ms`;
}

/** "2/3 (66.7%)", "0", or just the percentage when the fraction is long. */
export function formatStale(p: StaleProbability): string {
  if (p.numerator === 0n) return "0";
  const fraction = formatFraction(p);
  return fraction.length <= 15 ? `${fraction} (${formatPercent(p.value)})` : `${formatPercent(p.value)} (${p.value.toPrecision(4)})`;
}

const EIGHTHS = " ▁▂▃▄▅▆▇█";

/** The lowest value of the plot's y axis: P(consistent) at t = 0 rounded down to a step that suits the range. */
export function plotFloor(lowest: number): number {
  const range = 1 - lowest;
  const step = range > 0.2 ? 0.1 : range > 0.02 ? 0.01 : 0.001;
  return Math.max(0, Math.floor(lowest / step + 1e-9) * step);
}

/**
 * A few-row area plot of P(consistent) over t: one column per curve point,
 * eighth blocks for resolution, a ▲ under the column where P reaches 99.9%.
 * Returns the lines without colour; an empty array when there is no curve.
 */
export function visibilityPlot(curve: VisibilityPoint[], tForP999Ms: number, rows = 4): string[] {
  if (curve.length < 2) return [];
  const floor = plotFloor(curve[0].consistent);
  const top = "100%";
  const bottom = formatPercent(floor);
  const labelWidth = Math.max(top.length, bottom.length);
  const heights = curve.map((p) => Math.round(((p.consistent - floor) / (1 - floor)) * rows * 8));
  const lines: string[] = [];
  for (let row = rows - 1; row >= 0; row--) {
    const label = row === rows - 1 ? top : row === 0 ? bottom : "";
    const cells = heights.map((h) => EIGHTHS[Math.max(0, Math.min(8, h - row * 8))]).join("");
    lines.push(`${label.padStart(labelWidth)} ${row === rows - 1 || row === 0 ? "┤" : "│"}${cells}`);
  }
  const end = curve[curve.length - 1].tMs;
  const marker = Math.min(curve.length - 1, Math.max(0, Math.round((tForP999Ms / end) * (curve.length - 1))));
  const axis = Array.from({ length: curve.length }, (_, i) => (i === marker ? "▲" : "─")).join("");
  lines.push(`${" ".repeat(labelWidth)} └${axis}`);
  const left = "0";
  const right = `${formatMsValue(end)} ms`;
  lines.push(`${" ".repeat(labelWidth + 2)}${left}${right.padStart(curve.length - left.length)}`);
  return lines;
}

/**
 * The strong-reads cell of a K row: "yes"; "no, blocked" (no read completes);
 * "no, new writes only" (every replica down: the stand-ins answering hold only
 * the writes made since they stepped in, nothing older is readable);
 * with R + W > N, why stand-ins break the overlap: "no, hints pending" (a write
 * made with K down may rest partly on stand-ins' hints) or "no, stand-ins"
 * (writes are blocked, but the stand-ins answering reads lack earlier ones);
 * else "no" (R + W <= N).
 */
export function strongWord(s: DownState, strong: boolean): string {
  if (s.strongReads) return "yes";
  if (!s.reads.available) return "no, blocked";
  // Every replica down: the stand-ins answering hold only the writes made since they stepped in.
  if (s.reads.standInsOnly) return "no, new writes only";
  if (strong && s.hintsPending) return "no, hints pending";
  if (strong && s.reads.standIns > 0) return "no, stand-ins";
  return "no";
}

/**
 * The reads cell of a K row: "yes"; under a sloppy quorum "yes, via stand-ins"
 * (fewer than R replicas up: every read hears from a stand-in, which lacks the
 * writes made before it stepped in) or "stand-ins only" (every replica down:
 * reads are answered, but nothing written before is readable); "no".
 */
export function readsWord(s: DownState): string {
  if (!s.reads.available) return "no";
  if (s.reads.standInsOnly) return "stand-ins only";
  if (s.reads.viaStandIns) return "yes, via stand-ins";
  return "yes";
}

/** R + W > N, yet with this many replicas down a sloppy quorum's stand-ins can answer a read without the latest write. */
export function standInsBreakOverlap(a: QuorumAnalysis): boolean {
  return a.strong && a.sloppy && a.current.reads.available && !a.current.strongReads;
}

/** One line of the closed-form staleness: its figure, which writes it is for, and what it is the chance of. */
export interface StaleLine {
  value: string;
  /** Stand-ins break the overlap: stale reads are possible though R + W > N (the figure is for writes made before the failure). */
  possible: boolean;
  /** Which writes the figure is for ("writes made before the 2 went down"); null with nothing down. */
  when: string | null;
  meaning: string;
}

/** "when: meaning", or the meaning alone. */
export function staleDetail(line: StaleLine): string {
  return line.when === null ? line.meaning : `${line.when}: ${line.meaning}`;
}

/**
 * The stale-read figures for the verdict: with nothing down, the closed form;
 * with K down, the closed form for a write made before the failure (its W
 * replicas any W of N) and, when it differs, the one for a write made during
 * it (W and R both among the nodes a request reaches), or why there is none.
 */
export function staleLines(a: QuorumAnalysis): StaleLine[] {
  const entirely = "chance a random read quorum misses the write quorum entirely (closed form)";
  const d = a.staleDuring;
  if (standInsBreakOverlap(a)) {
    const standIns = a.current.reads.standIns;
    // The overlap is broken, yet a write made before the failure still has an exact figure: its W replicas are any W
    // of the N, and the read's R are drawn from the up replicas and the stand-ins, which lack it.
    const first: StaleLine = {
      value: formatStale(a.staleBefore),
      possible: true,
      when: `writes made before ${a.down === 1 ? "1 replica" : `${a.down} replicas`} went down`,
      meaning: `R + W = ${a.r + a.w} <= N + S = ${a.n + standIns} (S = ${standIns} stand-in${standIns === 1 ? "" : "s"}): stand-ins lack the writes made before they stepped in, so a read of ${a.r} of the ${a.current.reads.reachable} nodes requests reach ${a.current.reads.standInsOnly ? "always misses them, the stand-ins being all it reaches" : "can miss them"} (closed form; with every replica up: ${formatStale(a.stale)}), and the replicas that return lack the writes the stand-ins took until the hints are replayed`,
    };
    return [first, duringLine(a)];
  }
  if (a.down === 0) return [{ value: formatStale(a.stale), possible: false, when: null, meaning: entirely }];
  const standIns = a.current.reads.standIns;
  const before = a.staleBefore;
  if (d.stale !== null && d.stale.numerator === before.numerator && d.stale.denominator === before.denominator) {
    return [{ value: formatStale(before), possible: false, when: "writes made before or during the failure", meaning: entirely }];
  }
  const when = `writes made before ${a.down === 1 ? "1 replica" : `${a.down} replicas`} went down`;
  // Stand-ins answering reads lack the writes made before they stepped in: such a write is missed more often than with every replica up.
  if (standIns > 0 && !a.current.reads.available) {
    return [{ value: formatStale(a.stale), possible: false, when: "with every replica up", meaning: entirely }, duringLine(a)];
  }
  if (standIns > 0) {
    const nodes = a.current.reads.reachable;
    const meaning = `chance a read of ${a.r} of the ${nodes} nodes requests reach (${a.current.up} up, ${standIns} ${standIns === 1 ? "stand-in, which lacks" : "stand-ins, which lack"} it) misses the write's ${a.w} replica${a.w === 1 ? "" : "s"} (closed form; with every replica up: ${formatStale(a.stale)})`;
    return [{ value: formatStale(before), possible: false, when, meaning }, duringLine(a)];
  }
  return [{ value: formatStale(before), possible: false, when, meaning: entirely }, duringLine(a)];
}

/** The figure for a write made while the K are down, or why there is none. */
function duringLine(a: QuorumAnalysis): StaleLine {
  const d = a.staleDuring;
  const when = `writes made while ${a.down === 1 ? "it is" : "they are"} down`;
  if (d.writesBlocked) return { value: "none", possible: false, when, meaning: "none can be made, writes are blocked" };
  if (d.readsBlocked) return { value: "none", possible: false, when, meaning: "no read completes, reads are blocked" };
  const s = a.current.reads.standIns;
  const where = s > 0 ? `nodes requests reach (${a.current.up} up, ${s} stand-in${s === 1 ? "" : "s"})` : "up replicas";
  return { value: formatStale(d.stale!), possible: false, when, meaning: `they land on ${a.w} of the ${d.nodes} ${where}, which reads ask too (closed form)` };
}

/** "the 1 up replica", "the 3 nodes requests reach (1 up replica, 2 stand-ins)": what each Monte Carlo trial draws with K down. */
function drawnNodes(a: QuorumAnalysis, nodes: number): string {
  const standIns = a.current.reads.standIns;
  const up = `${a.current.up} up replica${a.current.up === 1 ? "" : "s"}`;
  if (standIns === 0) return `the ${up}`;
  return `the ${nodes} nodes requests reach (${up}, ${standIns} stand-in${standIns === 1 ? "" : "s"})`;
}

/**
 * With K down, what the t-visibility section simulated (a write made during
 * the failure, over the nodes a request reaches), or why it simulated
 * nothing; null with nothing down.
 */
export function latencyScope(a: QuorumAnalysis, run: QuorumLatencyRun): string | null {
  if (run.blocked.writes || run.blocked.reads) {
    const parts: string[] = [];
    if (run.blocked.writes) parts.push(`writes are blocked (W = ${a.w}, only ${run.nodes} can take them)`);
    if (run.blocked.reads) parts.push(`reads are blocked (R = ${a.r}, only ${run.nodes} can answer)`);
    return `Not simulated: with ${a.down} of ${a.n} replicas down, ${parts.join(" and ")}, so no write commits and is read back: there is no latency or t-visibility to give.`;
  }
  if (a.down === 0) return null;
  return `With ${a.down} of ${a.n} replicas down, each trial draws ${drawnNodes(a, run.nodes)} only, as a coordinator sends only to nodes its failure detector has not marked down: the write commits at the ${ordinal(a.w)} ack from them and the read, ${run.fanout.kind === "all" ? "sent to all of them" : `sent to ${a.r} of them`}, returns with the first ${a.r === 1 ? "reply" : `${a.r} replies`}. That is a write made during the failure.`;
}

/** With --read-fanout r, which replicas a read asks and when it asks one more; null for a read sent to all. `n`: the key's N. */
export function fanoutScope(run: QuorumLatencyRun, r: number, n: number): string | null {
  if (run.fanout.kind === "all" || run.result === null) return null;
  const retry = run.result.retry;
  const asked = `Reads ask only ${r === 1 ? "1 replica" : `${r} replicas`} of the ${run.nodes}, as Cassandra's coordinator asks only what its consistency level needs (at random${run.remote !== null && run.remote.local < n ? ", the near ones first" : ""})`;
  const spec = formatSpeculativeRetry(run.fanout.retry);
  if (r >= run.nodes) return `${asked}: no replica is left to retry on.`;
  if (retry === null || retry.thresholdMs === null) return `${asked}, and never ask another (speculative retry ${spec}).`;
  const when = run.fanout.retry.kind === "always" ? "at once" : `when a reply is still missing after ${formatMsUnit(retry.thresholdMs)}`;
  const what = run.fanout.retry.kind === "percentile" ? ` (${spec}: that percentile of such a read's latency)` : ` (speculative retry ${spec})`;
  return `${asked}, and ask one more ${when}${what}; ${formatPercent(retry.share, 1)} of reads did. A read returns with the first ${r === 1 ? "reply" : `${r} replies`}.`;
}

/**
 * With the latency file's `remote:`, what the trials add for the replicas far
 * from each operation's coordinator; null without. The near ones are chosen
 * among the key's N, so a down one among them is simply not there.
 */
export function remoteScope(run: QuorumLatencyRun, a: Pick<QuorumAnalysis, "n" | "down">): string | null {
  const remote = run.remote;
  if (remote === null) return null;
  const n = a.n;
  if (remote.local >= n) return `Wide-area replicas (remote:): ${run.nodes === 1 ? "the one node drawn is" : `all ${run.nodes} nodes drawn are`} near the coordinator (local: ${remote.local}), so no message takes the extra ${formatMsUnit(remote.add)}.`;
  const near = remote.local === 1 ? `1 of the ${n} replicas, chosen at random, is` : `${remote.local} of the ${n} replicas, chosen at random, are`;
  const standIns = run.nodes - (n - a.down);
  const parts: string[] = [];
  if (standIns > 0) parts.push(`a stand-in is near or far as the replica it stands in for`);
  if (standIns < a.down) parts.push(`a near replica that is down leaves the operation fewer near ones`);
  const down = a.down === 0 ? "" : ` With ${a.down} down, ${parts.join("; ")}.`;
  return `Wide-area replicas (remote:): for the write, and apart for the read, ${near} near the coordinator; each message to or from the others takes ${formatMsUnit(remote.add)} more.${down}`;
}

/** 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st. */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][k % 10] ?? "th";
  return `${k}${suffix}`;
}

/**
 * Why the 99.9% point is 0 ms: R + W > N (or > the N − K drawn), or the
 * sample's luck. Where stand-ins break the overlap, the run's write and read
 * were both made during the failure, over the same nodes: that is all the
 * 0 ms covers, and a read of the returned replicas can still miss the write.
 */
export function zeroWait(a: QuorumAnalysis, nodes: number): string {
  if (standInsBreakOverlap(a)) {
    return `R + W > ${nodes}, the nodes drawn (the up replicas and the stand-ins), so a read made during the failure returns a write made during it as soon as it commits; a read of the key's replicas once the down ones return can still miss it until the hints are replayed (stale reads: possible)`;
  }
  if (a.strong) return "R + W > N, so every read returns the write as soon as it commits";
  if (a.r + a.w > nodes) return `R + W > ${nodes}, the nodes drawn with ${a.down} down, so every read returns the write as soon as it commits`;
  return "at least 99.9% of reads return the write even right after it commits";
}
