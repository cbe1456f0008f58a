// Latency distributions (the documented latency formats) turned into samplers. A { median, p99 }
// pair is fitted by a log-normal: mu = ln(median), sigma = ln(p99/median)/z99.

/** A latency distribution as written in a file (see the model's schema); read structurally here. */
export type Latency = { readonly [key: string]: unknown };
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
export const TABLE_SIZE = 8192;

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

/**
 * The standard normal's quantiles at the midpoints of TABLE_SIZE slices, the
 * same slices a tabulated sampler uses: normalQuantiles()[i] maps through
 * normalCdf back into slice i, so index i of a link's quantile table and
 * normalQuantiles()[i] are the same draw seen in two spaces.
 */
export function normalQuantiles(): Float64Array {
  if (quantiles === null) {
    quantiles = new Float64Array(TABLE_SIZE);
    for (let i = 0; i < TABLE_SIZE; i++) quantiles[i] = inverseNormal((i + 0.5) / TABLE_SIZE);
  }
  return quantiles;
}
let quantiles: Float64Array | null = null;

/**
 * The same quantiles rescaled to variance exactly 1 (the midpoints lose about
 * 0.02 % of it in the clipped tails and inside each slice), for the innovations
 * of a Gaussian process: an AR(1) step z' = a·z + sqrt(1 − a²)·ε keeps
 * var(z) = var(ε), so a unit-variance ε keeps the process standard normal.
 */
export function unitNormalDraws(): Float64Array {
  if (unitDraws === null) {
    const q = normalQuantiles();
    let sum = 0;
    for (let i = 0; i < TABLE_SIZE; i++) sum += q[i] * q[i];
    const scale = 1 / Math.sqrt(sum / TABLE_SIZE);
    unitDraws = q.map((z) => z * scale);
  }
  return unitDraws;
}
let unitDraws: Float64Array | null = null;

// (The tables are built on first use, not when the module loads: `validate` imports this module and needs none of them.)

/** normalCdf's table: Φ on [−CDF_RANGE, CDF_RANGE] every 1/CDF_STEPS (linear interpolation errs by under 5e-7). */
const CDF_RANGE = 8;
const CDF_STEPS = 256;
const CDF_LAST = 2 * CDF_RANGE * CDF_STEPS;
let cdfTable: Float64Array | null = null;
function buildCdfTable(): Float64Array {
  const table = new Float64Array(CDF_LAST + 1);
  for (let k = 0; k <= CDF_LAST; k++) table[k] = 0.5 * erfc(-(k / CDF_STEPS - CDF_RANGE) / Math.SQRT2);
  return (cdfTable = table);
}

/** The standard normal CDF Φ(z), from a table (two reads, no exp): absolute error under 1e-6. */
export function normalCdf(z: number): number {
  const s = (z + CDF_RANGE) * CDF_STEPS;
  if (!(s > 0)) return 0;
  if (s >= CDF_LAST) return 1;
  const table = cdfTable ?? buildCdfTable();
  const k = s | 0;
  const lo = table[k];
  return lo + (s - k) * (table[k + 1] - lo);
}

/** The slice of TABLE_SIZE equal-probability slices that a standard normal value falls in: floor(Φ(z)·TABLE_SIZE). */
export function normalSlice(z: number): number {
  const slice = (normalCdf(z) * TABLE_SIZE) | 0;
  return slice < TABLE_SIZE ? slice : TABLE_SIZE - 1;
}

/** Complementary error function (Numerical Recipes' Chebyshev fit; relative error under 1.2e-7), for building tables. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** A fast sampler for the engine: the exact distribution, tabulated. */
export function fastSampler(latency: Latency): Sampler {
  // A table depends on the distribution alone (its draws come from a fixed seed), and building one sorts half a
  // million draws: trials and schedules of one scenario share them. Samplers are read-only, so sharing is safe.
  const key = JSON.stringify(latency);
  let found = TABLES.get(key);
  if (found === undefined) {
    if (TABLES.size >= TABLES_KEPT) TABLES.delete(TABLES.keys().next().value as string);
    found = tabulated(latency, sampler(latency), new Rng(0x5eed));
    TABLES.set(key, found);
  }
  return found;
}

/** Tabulated samplers by distribution, oldest first; a bounded few (a scenario has some five distributions). */
const TABLES = new Map<string, Sampler>();
const TABLES_KEPT = 64;

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
    const exponent = 1 / shape;
    // In logarithms: (1 − u)^(1/shape) alone underflows to 0 (a draw of Infinity) for a small shape where the draw is finite.
    const logScale = Math.log(scale);
    return { median: scale * 2 ** exponent, sample: (rng) => Math.exp(logScale - Math.log1p(-rng.next()) / shape) };
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

/** The standard normal's 99.9th percentile. */
const Z999 = 3.090232306167813;

/**
 * The 99.9th percentile of a latency distribution, from its formula (no sampling): what the engine's quantile
 * table and the quorum calculator reach, so a file is refused when it is not finite or past the latency limit.
 * For a mix, the slowest part's plus the shift: a bound, since the mix's is never above every part's.
 */
export function p999Ms(latency: Latency): number {
  const l = latency as Record<string, unknown>;
  if ("mix" in l) return ((l.shift as number | undefined) ?? 0) + Math.max(...(l.mix as Array<Latency & { weight: number }>).map((p) => p999Ms(stripWeight(p))));
  if ("constant" in l) return l.constant as number;
  if ("uniform" in l) return (l.uniform as [number, number])[1];
  if ("exponential" in l) return Math.log(1000) / (l.exponential as { rate: number }).rate;
  if ("pareto" in l) {
    const { scale, shape } = l.pareto as { scale: number; shape: number };
    return scale * Math.exp(Math.log(1000) / shape);
  }
  const { median, p99 } = ("lognormal" in l ? l.lognormal : l) as { median: number; p99: number };
  return p99 > median ? median * Math.exp((Math.log(p99 / median) / Z99) * Z999) : median;
}

/** The median of a latency distribution, without sampling. */
export function medianOf(latency: Latency): number {
  return sampler(latency).median;
}

/**
 * The q-quantile of a round trip over a link: two independent one-way legs, each drawn from the link's quantile
 * table (the table the engine samples). Not twice the one-way quantile: both legs are rarely slow at once, so
 * the round trip's p99 is well under twice the one-way p99. Exact for the tables: P(A + B ≤ x) is the mean over
 * A's quantiles a of the share of B's at or below x − a, and x is found by bisection (deterministic, no draws).
 */
export function roundTripQuantileMs(oneWay: Latency, q: number): number {
  const table = fastSampler(oneWay).table;
  if (table === undefined) throw new Error("assertion: link samplers are tabulated");
  const sorted = Float64Array.from(table).sort();
  const n = sorted.length;
  const atOrBelow = (y: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const cdf = (x: number) => {
    let count = 0;
    for (let i = 0; i < n && sorted[i] <= x; i++) count += atOrBelow(x - sorted[i]);
    return count / (n * n);
  };
  let low = 2 * sorted[0];
  let high = 2 * sorted[n - 1];
  for (let i = 0; i < 60 && high - low > 1e-6 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) < q) low = mid;
    else high = mid;
  }
  return high;
}
