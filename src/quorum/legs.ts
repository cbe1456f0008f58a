// The four WARS legs as inverse-CDF samplers that fill whole buffers. Every
// latency format has a closed-form quantile function Q(u) (a log-normal's
// through the normal quantile), and a mix is sampled by composition: one
// uniform u picks the component by its cumulative weight and, rescaled to
// that component's share of [0, 1), is the component's own u. So each draw
// is one 32-bit random number, a table read and a linear interpolation.
//
// Why the ends are exact: a heavy tail (Pareto) has a quantile function that
// bends sharply as u nears 1, where interpolation between table points would
// shave the tail that the 99.9th percentile of t-visibility lives in. The
// outermost EDGE_SLICES slices at each end (1.6 % of draws) therefore call
// Q(u) itself, and a Pareto's upper exact region widens with its tail: linear
// interpolation between slices m and m+1 from the top is off by about
// a(a+1)/(8m²) of the value (a = 1/shape), so the region starts where that is
// under MAX_INTERPOLATION_ERROR (shape 1.1: 47 slices; shape 0.1: 117).
// Inside, the interpolation error is under 1e-5 in probability
// (test/quorum/legs.test.ts measures about 2e-6 at worst, for the bundled
// fits and heavier tails), far below the sampling error of a million trials
// (3e-5 at the 99.9th percentile).
//
// Pure: no I/O, no wall clock; every draw comes from the seeded bit stream.
import { inverseNormal } from "../base/distributions.js";
import type { Rng } from "../base/rng.js";
import type { BitStream } from "./bits.js";
import type { Latency } from "../model/types.js";

const Z99 = 2.3263478740408408;

/** Slices of [0, 1) in a quantile table; a power of two so that scaling a 32-bit draw is exact. */
export const QUANTILE_SLICES = 4096;
/** Slices at each end of [0, 1) where the sampler evaluates the quantile function instead of interpolating. */
export const EDGE_SLICES = 32;
/** The largest relative error of an interpolated value a Pareto's table may make (see the header). */
const MAX_INTERPOLATION_ERROR = 1e-4;
/** Maps a 32-bit integer (plus one half) to its position in slices: (k + 0.5) · 2^-32 · QUANTILE_SLICES. */
const TO_SLICES = QUANTILE_SLICES / 4294967296;
/** 2^-32: a 32-bit draw as a fraction of [0, 1). */
const UNIT = 2 ** -32;
/** The largest double below 1, for a rescaled u that rounding pushed to 1. */
const BELOW_ONE = 1 - 2 ** -53;

/** Turns uniform 32-bit draws into one leg's delays (ms): out[k] from bits[k], for k < count. */
export interface BufferSampler {
  fromBits(bits: Uint32Array, out: Float64Array, count: number): void;
}

/** A sampler that draws one delay at a time from the generator (tests inject scripted ones). */
export interface SingleSampler {
  sample(rng: Rng): number;
}

export type DelaySampler = BufferSampler | SingleSampler;

/** Where a chunk's draws come from: its bit stream (with a buffer for it) and, for one-at-a-time samplers, a generator of their own. */
export interface DrawSource {
  stream: BitStream;
  bits: Uint32Array;
  rng(): Rng;
}

/** Fills out[0..count) with one leg's delays, from either kind of sampler. */
export function drawDelays(sampler: DelaySampler, source: DrawSource, out: Float64Array, count: number): void {
  if ("fromBits" in sampler) {
    source.stream.fill(source.bits, count);
    sampler.fromBits(source.bits, out, count);
    return;
  }
  const rng = source.rng();
  for (let k = 0; k < count; k++) out[k] = sampler.sample(rng);
}

/** The quantile function Q(u), 0 < u < 1, of one basic distribution (not a mix). */
export function quantileFunction(latency: Latency): (u: number) => number {
  const l = latency as Record<string, unknown>;
  if ("constant" in l) {
    const value = l.constant as number;
    return () => value;
  }
  if ("uniform" in l) {
    const [low, high] = l.uniform as [number, number];
    return (u) => low + u * (high - low);
  }
  if ("exponential" in l) {
    const rate = (l.exponential as { rate: number }).rate;
    return (u) => -Math.log1p(-u) / rate;
  }
  if ("pareto" in l) {
    const { scale, shape } = l.pareto as { scale: number; shape: number };
    // In logarithms: (1 − u)^(−1/shape) alone overflows to Infinity for a small shape where scale × it is finite.
    const logScale = Math.log(scale);
    return (u) => Math.exp(logScale - Math.log1p(-u) / shape);
  }
  const { median, p99 } = ("lognormal" in l ? l.lognormal : l) as { median: number; p99: number };
  const sigma = p99 > median ? Math.log(p99 / median) / Z99 : 0;
  if (sigma === 0) return () => median;
  return (u) => median * Math.exp(sigma * inverseNormal(u));
}

/** One basic distribution of a leg: its share of [0, 1), its quantile function and table. */
interface Component {
  /** Where its share of [0, 1) starts, and 1 / its width. */
  start: number;
  scale: number;
  quantile: (u: number) => number;
  /** Q(j / QUANTILE_SLICES) for the interpolated slices' ends (the edge entries are unused). */
  table: Float64Array;
  /** The first slice of the upper end where Q(u) is evaluated, not interpolated. */
  high: number;
}

/** Slices at the top evaluated exactly: EDGE_SLICES, or more for a Pareto whose tail bends harder (see the header). */
export function upperEdgeSlices(latency: Latency): number {
  const l = latency as Record<string, unknown>;
  if (!("pareto" in l)) return EDGE_SLICES;
  const a = 1 / (l.pareto as { shape: number }).shape;
  return Math.min(QUANTILE_SLICES / 2, Math.max(EDGE_SLICES, Math.ceil(Math.sqrt((a * (a + 1)) / (8 * MAX_INTERPOLATION_ERROR)))));
}

function component(latency: Latency, start: number, width: number): Component {
  const quantile = quantileFunction(latency);
  const table = new Float64Array(QUANTILE_SLICES + 1);
  const high = QUANTILE_SLICES - upperEdgeSlices(latency);
  for (let j = EDGE_SLICES; j <= high; j++) table[j] = quantile(j / QUANTILE_SLICES);
  return { start, scale: 1 / width, quantile, table, high };
}

/** A leg with a single distribution: the common case, with the component lookup left out. */
class SingleLeg implements BufferSampler {
  constructor(private readonly c: Component) {}

  fromBits(bits: Uint32Array, out: Float64Array, count: number): void {
    const c = this.c;
    const table = c.table;
    const high = c.high;
    for (let k = 0; k < count; k++) {
      const x = (bits[k] + 0.5) * TO_SLICES;
      const j = x | 0;
      if (j >= EDGE_SLICES && j < high) {
        const low = table[j];
        out[k] = low + (x - j) * (table[j + 1] - low);
      } else {
        out[k] = c.quantile(x / QUANTILE_SLICES);
      }
    }
  }
}

/**
 * A mix: the component whose share holds u, sampled at u rescaled to that
 * share, plus the shift. The components' starts, scales and tables sit in
 * flat typed arrays so that the loop reads no objects.
 */
class MixLeg implements BufferSampler {
  private readonly starts: Float64Array;
  /** QUANTILE_SLICES / the component's width: u − start in slices of the component. */
  private readonly toSlices: Float64Array;
  /** The components' tables one after another, QUANTILE_SLICES + 1 entries each. */
  private readonly tables: Float64Array;
  private readonly quantiles: ReadonlyArray<(u: number) => number>;
  /** Per component: the first upper slice evaluated exactly. */
  private readonly highs: Int32Array;

  constructor(
    components: readonly Component[],
    private readonly shift: number,
  ) {
    this.starts = Float64Array.from(components, (c) => c.start);
    this.toSlices = Float64Array.from(components, (c) => c.scale * QUANTILE_SLICES);
    this.tables = new Float64Array(components.length * (QUANTILE_SLICES + 1));
    components.forEach((c, i) => this.tables.set(c.table, i * (QUANTILE_SLICES + 1)));
    this.quantiles = components.map((c) => c.quantile);
    this.highs = Int32Array.from(components, (c) => c.high);
  }

  fromBits(bits: Uint32Array, out: Float64Array, count: number): void {
    const { starts, toSlices, tables, shift, highs } = this;
    const last = starts.length - 1;
    for (let k = 0; k < count; k++) {
      const u = (bits[k] + 0.5) * UNIT;
      let i = 0;
      while (i < last && u >= starts[i + 1]) i++;
      const x = (u - starts[i]) * toSlices[i];
      const j = x | 0;
      if (j >= EDGE_SLICES && j < highs[i]) {
        const at = i * (QUANTILE_SLICES + 1) + j;
        const low = tables[at];
        out[k] = shift + low + (x - j) * (tables[at + 1] - low);
      } else {
        const v = x / QUANTILE_SLICES;
        out[k] = shift + this.quantiles[i](v < 1 ? v : BELOW_ONE);
      }
    }
  }
}

/** The buffer sampler of one leg's distribution. */
export function legSampler(latency: Latency): BufferSampler {
  const l = latency as Record<string, unknown>;
  if (!("mix" in l)) return new SingleLeg(component(latency, 0, 1));
  const parts = l.mix as Array<Latency & { weight: number }>;
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  const components: Component[] = [];
  let start = 0;
  parts.forEach((part, i) => {
    const { weight, ...rest } = part as Record<string, unknown> & { weight: number };
    // The last share ends at 1 exactly, whatever the rounding of the sums before it.
    const width = i === parts.length - 1 ? 1 - start : weight / total;
    components.push(component(rest as Latency, start, width));
    start += weight / total;
  });
  return new MixLeg(components, (l.shift as number | undefined) ?? 0);
}
