// Quantiles of the latency distributions of the documented latency formats, for rules that quote a
// latency (a cross-region sync ack). Every form is reduced to a CDF and the
// quantile is found by bisection, so mixtures need no special case: a closed
// form per family would be shorter to read but wrong for `mix`.
import type { Latency } from "../model/types.js";

/** 2.3263 is the 99th percentile of the standard normal: a {median, p99} log-normal has sigma = ln(p99/median) / 2.3263. */
const Z99 = 2.3263478740408408;

type Cdf = (ms: number) => number;

export function medianMs(latency: Latency): number {
  return quantileMs(latency, 0.5);
}

export function p99Ms(latency: Latency): number {
  return quantileMs(latency, 0.99);
}

export function quantileMs(latency: Latency, q: number): number {
  const { cdf, shift } = cdfOf(latency);
  // The distributions are bounded by the schema's latency limit (600,000 ms) in
  // their parameters; heavy tails may reach past it, so widen until covered.
  let high = 1;
  while (cdf(high) < q && high < 1e12) high *= 2;
  let low = 0;
  for (let i = 0; i < 100 && high - low > 1e-9 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) < q) low = mid;
    else high = mid;
  }
  return shift + high;
}

function cdfOf(latency: Latency): { cdf: Cdf; shift: number } {
  if ("mix" in latency) {
    const parts = latency.mix.map((part) => ({ weight: (part as { weight: number }).weight, cdf: basicCdf(part as Latency) }));
    const total = parts.reduce((sum, p) => sum + p.weight, 0);
    return { cdf: (x) => parts.reduce((sum, p) => sum + (p.weight / total) * p.cdf(x), 0), shift: latency.shift ?? 0 };
  }
  return { cdf: basicCdf(latency), shift: 0 };
}

function basicCdf(latency: Latency): Cdf {
  if ("median" in latency) return logNormalCdf(latency.median, latency.p99);
  if ("lognormal" in latency) return logNormalCdf(latency.lognormal.median, latency.lognormal.p99);
  if ("constant" in latency) {
    const c = latency.constant;
    return (x) => (x >= c ? 1 : 0);
  }
  if ("uniform" in latency) {
    const [a, b] = latency.uniform;
    return (x) => (x >= b ? 1 : x <= a ? 0 : (x - a) / (b - a));
  }
  if ("exponential" in latency) {
    const rate = latency.exponential.rate;
    return (x) => (x <= 0 ? 0 : 1 - Math.exp(-rate * x));
  }
  if ("pareto" in latency) {
    const { scale, shape } = latency.pareto;
    return (x) => (x < scale ? 0 : 1 - (scale / x) ** shape);
  }
  throw new Error(`unsupported latency form: ${JSON.stringify(latency)}`);
}

function logNormalCdf(median: number, p99: number): Cdf {
  const sigma = Math.log(p99 / median) / Z99;
  if (sigma === 0) return (x) => (x >= median ? 1 : 0);
  return (x) => (x <= 0 ? 0 : normalCdf(Math.log(x / median) / sigma));
}

/** Standard normal CDF via Abramowitz & Stegun 7.1.26 (error below 1.5e-7: plenty for a lint message). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
