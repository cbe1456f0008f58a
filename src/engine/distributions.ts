// Latency distributions (SPEC §2.3) turned into samplers. A { median, p99 }
// pair is fitted by a log-normal: mu = ln(median), sigma = ln(p99/median)/z99.
import type { Latency } from "../model/types.js";
import type { Rng } from "./rng.js";

const Z99 = 2.3263478740408408;

export interface Sampler {
  sample(rng: Rng): number;
  /** The distribution's median, for budgets and lint messages. */
  readonly median: number;
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
