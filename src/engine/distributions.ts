// Latency distributions (SPEC §2.3) turned into samplers. A { median, p99 }
// pair is fitted by a log-normal: mu = ln(median), sigma = ln(p99/median)/z99.
import type { Latency } from "../model/types.js";
import { Rng } from "./rng.js";

const Z99 = 2.3263478740408408;

export interface Sampler {
  sample(rng: Rng): number;
  /** The distribution's median, for budgets and lint messages. */
  readonly median: number;
  /** For tabulated samplers: the quantile table (its length a power of two). */
  readonly table?: Float64Array;
}

/** Quantiles per tabulated distribution: enough to resolve the 99.9th percentile. */
const TABLE_SIZE = 8192;

/**
 * A sampler that draws from a precomputed quantile table: one random integer
 * and one array read per sample, instead of logarithms and square roots in
 * the engine's hot loop. The table holds the distribution's quantiles at the
 * midpoints of TABLE_SIZE equal-probability slices (exact for log-normals;
 * from a fixed-seed sample of 64 × TABLE_SIZE draws otherwise), so it is
 * deterministic and independent of the run's seed.
 */
export function tabulated(latency: Latency, exactSampler: Sampler, tableRng: Rng): Sampler {
  const table = new Float64Array(TABLE_SIZE);
  const l = latency as Record<string, unknown>;
  const logNormal = !("mix" in l || "constant" in l || "uniform" in l || "exponential" in l || "pareto" in l);
  if (logNormal) {
    const { median, p99 } = ("lognormal" in l ? l.lognormal : l) as { median: number; p99: number };
    const sigma = p99 > median ? Math.log(p99 / median) / Z99 : 0;
    for (let i = 0; i < TABLE_SIZE; i++) table[i] = median * Math.exp(sigma * inverseNormal((i + 0.5) / TABLE_SIZE));
  } else {
    const draws = new Float64Array(TABLE_SIZE * 64);
    for (let i = 0; i < draws.length; i++) draws[i] = exactSampler.sample(tableRng);
    draws.sort();
    for (let i = 0; i < TABLE_SIZE; i++) table[i] = draws[i * 64 + 32];
  }
  const mask = TABLE_SIZE - 1;
  return { median: exactSampler.median, table, sample: (rng) => table[rng.nextUint32() & mask] };
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** A fast sampler for the engine: the exact distribution, tabulated. */
export function fastSampler(latency: Latency): Sampler {
  return tabulated(latency, sampler(latency), new Rng(0x5eed));
}

export function sampler(latency: Latency): Sampler {
  const l = latency as Record<string, unknown>;
  if ("mix" in l) {
    const parts = (l.mix as Array<Latency & { weight: number }>).map((p) => ({ weight: p.weight, sampler: sampler(stripWeight(p)) }));
    const total = parts.reduce((sum, p) => sum + p.weight, 0);
    const shift = (l.shift as number | undefined) ?? 0;
    const cumulative = parts.map((_, i) => parts.slice(0, i + 1).reduce((sum, p) => sum + p.weight, 0) / total);
    const median = shift + parts.reduce((sum, p) => sum + (p.weight / total) * p.sampler.median, 0);
    return {
      median,
      sample(rng) {
        const u = rng.next();
        let i = 0;
        while (i < cumulative.length - 1 && u >= cumulative[i]) i++;
        return shift + parts[i].sampler.sample(rng);
      },
    };
  }
  if ("constant" in l) {
    const value = l.constant as number;
    return { median: value, sample: () => value };
  }
  if ("uniform" in l) {
    const [low, high] = l.uniform as [number, number];
    return { median: (low + high) / 2, sample: (rng) => low + rng.next() * (high - low) };
  }
  if ("exponential" in l) {
    const rate = (l.exponential as { rate: number }).rate;
    return { median: Math.LN2 / rate, sample: (rng) => rng.exponential(rate) };
  }
  if ("pareto" in l) {
    const { scale, shape } = l.pareto as { scale: number; shape: number };
    return { median: scale * 2 ** (1 / shape), sample: (rng) => scale / (1 - rng.next()) ** (1 / shape) };
  }
  const { median, p99 } = ("lognormal" in l ? l.lognormal : l) as { median: number; p99: number };
  const mu = Math.log(median);
  const sigma = p99 > median ? Math.log(p99 / median) / Z99 : 0;
  if (sigma === 0) return { median, sample: () => median };
  return { median, sample: (rng) => Math.exp(mu + sigma * rng.normal()) };
}

function stripWeight(part: Latency & { weight: number }): Latency {
  const { weight: _weight, ...rest } = part as Record<string, unknown>;
  return rest as Latency;
}

/** The median of a latency distribution, without sampling. */
export function medianOf(latency: Latency): number {
  return sampler(latency).median;
}
