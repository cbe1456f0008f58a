// Live versus simulated, as numbers the three renderers share: per data class,
// the engine's p50 (of --trials) beside each live run and the ratio of the live
// median to the engine's p50; per failover phase, the engine's base run beside
// each live run; and the one honest sentence that sums it up.
import type { SimulationResult } from "../../engine/result.js";
import type { LiveReport } from "../../live/report-model.js";
import { formatCount, formatMs } from "../../report/common/format.js";

export interface CompareRow {
  cls: string;
  metric: "RTO write" | "RPO window" | "acked writes lost" | "ambiguous writes";
  simulated: string;
  live: string[];
  ratio: string;
}

export function median(values: readonly number[]): number | null {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** live / simulated, to two decimals; "–" when either side is missing or zero. */
export function ratio(live: number | null, simulated: number | null): number | null {
  if (live === null || simulated === null || !Number.isFinite(live) || !Number.isFinite(simulated) || simulated === 0) return null;
  return Math.round((live / simulated) * 100) / 100;
}

/** A count as every report prints it: the shared formatter, thousands separators and all. */
const count = formatCount;

export function compareRows(report: LiveReport): CompareRow[] {
  const sim = report.simulated;
  const rows: CompareRow[] = [];
  for (const cls of sim.classes) {
    const runs = report.runs.map((r) => r.result.classes.find((c) => c.name === cls.name)!).filter(Boolean);
    const simRto = cls.trials ? cls.trials.rtoMs.p50 : cls.rto.writeMs;
    const liveRto = runs.map((c) => (c.rto.writeMs === null ? Infinity : c.rto.writeMs));
    const r = ratio(median(liveRto), simRto);
    rows.push({
      cls: cls.name,
      metric: "RTO write",
      simulated: cls.trials ? `${formatMs(cls.trials.rtoMs.p50, "never")} (p95 ${formatMs(cls.trials.rtoMs.p95, "never")})` : formatMs(cls.rto.writeMs, "never"),
      live: runs.map((c) => formatMs(c.rto.writeMs, "never")),
      ratio: r === null ? "–" : r.toFixed(2),
    });
    const simWindow = cls.trials ? cls.trials.rpoMs.p50 : cls.rpo.windowMs;
    const liveWindow = median(runs.map((c) => c.rpo.windowMs));
    const rw = ratio(liveWindow, simWindow);
    rows.push({
      cls: cls.name,
      metric: "RPO window",
      simulated: cls.trials ? `${formatMs(cls.trials.rpoMs.p50)} (max ${formatMs(cls.trials.rpoMs.max)})` : formatMs(cls.rpo.windowMs),
      live: runs.map((c) => formatMs(c.rpo.windowMs)),
      ratio: rw === null ? (simWindow === 0 && liveWindow === 0 ? "=" : "–") : rw.toFixed(2),
    });
    const liveLost = median(runs.map((c) => c.rpo.lostAckedWrites));
    const rl = ratio(liveLost, cls.rpo.lostAckedWrites);
    rows.push({
      cls: cls.name,
      metric: "acked writes lost",
      simulated: `${count(cls.rpo.lostAckedWrites)} (seed ${sim.seed})`,
      live: runs.map((c) => count(c.rpo.lostAckedWrites)),
      ratio: rl === null ? (cls.rpo.lostAckedWrites === 0 && liveLost === 0 ? "=" : "–") : rl.toFixed(2),
    });
    rows.push({
      cls: cls.name,
      metric: "ambiguous writes",
      simulated: "–",
      live: report.runs.map((r) => count(r.ambiguousByClass[cls.name] ?? 0)),
      ratio: "",
    });
  }
  return rows;
}

export interface PhaseRow {
  phase: string;
  simulated: string;
  live: string[];
}

/** The failover phases side by side: the engine's base run and each live run (– where a side has no such phase). */
export function phaseRows(report: LiveReport): PhaseRow[] {
  const names: string[] = [];
  const add = (r: SimulationResult) => r.phases.forEach((p) => names.includes(p.phase) || names.push(p.phase));
  add(report.simulated);
  report.runs.forEach((r) => add(r.result));
  const duration = (r: SimulationResult, phase: string) => {
    const ps = r.phases.filter((p) => p.phase === phase);
    return ps.length === 0 ? "–" : formatMs(ps.reduce((s, p) => s + Math.max(0, p.endMs - p.startMs), 0));
  };
  return names.map((phase) => ({ phase, simulated: duration(report.simulated, phase), live: report.runs.map((r) => duration(r.result, phase)) }));
}

/** The class the one-line verdict speaks for: the one with the largest share of writes (the first on a tie). */
function mainClass(report: LiveReport): string | null {
  const classes = report.plan.scenario.topology.dataClasses;
  if (classes.length === 0) return null;
  return [...classes].sort((a, b) => b.share - a.share || a.index - b.index)[0].name;
}

/**
 * "engine predicted p50 11.3s, live measured 9.1s (median of 3 runs): live/sim
 * 0.81, outside ±20%" and the same for lost writes.
 */
export function verdictLines(report: LiveReport): string[] {
  const name = mainClass(report);
  if (name === null || report.runs.length === 0) return [];
  const sim = report.simulated.classes.find((c) => c.name === name)!;
  const runs = report.runs.map((r) => r.result.classes.find((c) => c.name === name)!);
  const simP50 = sim.trials ? sim.trials.rtoMs.p50 : sim.rto.writeMs;
  const liveMedian = median(runs.map((c) => (c.rto.writeMs === null ? Infinity : c.rto.writeMs)));
  const r = ratio(liveMedian, simP50);
  const n = report.runs.length;
  const of = n === 1 ? "1 run" : `median of ${n} runs`;
  const band = r === null ? "" : Math.abs(r - 1) <= 0.2 ? ", within ±20%" : `, outside ±20%: the engine ${r < 1 ? "is slower than" : "is faster than"} the real cluster`;
  const lines = [
    `${name}: engine predicted RTO p50 ${formatMs(simP50, "never")} (${count(report.trials)} trials), live measured ${liveMedian === null ? "never" : formatMs(liveMedian, "never")} (${of})${r === null ? "" : `: live/sim ${r.toFixed(2)}`}${band}`,
  ];
  const simLost = sim.rpo.lostAckedWrites;
  const liveLost = runs.map((c) => c.rpo.lostAckedWrites);
  const simRpoP50 = sim.trials ? sim.trials.rpoMs.p50 : sim.rpo.windowMs;
  lines.push(
    `${name}: engine predicted ${count(simLost)} acknowledged writes lost (seed ${report.simulated.seed}; RPO window p50 ${formatMs(simRpoP50)}), live lost ${liveLost.map(count).join(" / ")}${n > 1 ? " (per run)" : ""}; ambiguous ${report.runs.map((x) => count(x.ambiguousByClass[name] ?? 0)).join(" / ")}`,
  );
  return lines;
}
