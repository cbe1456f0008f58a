// Percentiles: a log-linear latency histogram with bounded memory, and the
// nearest-rank percentile of a sorted array.
import { selectKthIn } from "./order.js";

/**
 * Latency samples in a log-linear histogram (as HdrHistogram does): a bucket
 * per 1/256 of each power of two, so percentiles are exact to within 0.4%.
 * The bucket comes from the float's exponent and top mantissa bits — no
 * logarithm, no per-sample memory.
 */
const SUB_BITS = 8;
const MIN_EXPONENT = -20; // about 1 ns in ms
const MAX_EXPONENT = 40;
const BUCKETS = (MAX_EXPONENT - MIN_EXPONENT + 1) << SUB_BITS;
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function bucketOf(value: number): number {
  if (!(value > 0)) return 0;
  scratch[0] = value;
  const high = scratchWords[HIGH];
  const exponent = ((high >>> 20) & 0x7ff) - 1023;
  if (exponent < MIN_EXPONENT) return 0;
  if (exponent > MAX_EXPONENT) return BUCKETS - 1;
  return ((exponent - MIN_EXPONENT) << SUB_BITS) | ((high >>> (20 - SUB_BITS)) & ((1 << SUB_BITS) - 1));
}

/** The upper edge of a bucket. */
function upperEdge(bucket: number): number {
  const exponent = (bucket >> SUB_BITS) + MIN_EXPONENT;
  const sub = bucket & ((1 << SUB_BITS) - 1);
  return 2 ** exponent * (1 + (sub + 1) / (1 << SUB_BITS));
}

export class Samples {
  private readonly buckets = new Uint32Array(BUCKETS);
  count = 0;
  private min = Infinity;
  private max = -Infinity;

  add(value: number): void {
    this.buckets[bucketOf(value)]++;
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** Nearest-rank percentiles (p in 0..100); null when there are no samples. */
  percentiles(ps: number[]): (number | null)[] {
    if (this.count === 0) return ps.map(() => null);
    return ps.map((p) => {
      const rank = Math.min(this.count, Math.max(1, Math.ceil((p / 100) * this.count)));
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += this.buckets[i];
        // The bucket's upper edge, clamped to what was really observed.
        if (seen >= rank) return Math.min(this.max, Math.max(this.min, upperEdge(i)));
      }
      return this.max;
    });
  }
}

export function percentile(sortedValues: ArrayLike<number>, p: number): number {
  if (sortedValues.length === 0) return NaN;
  return sortedValues[rankOf(sortedValues.length, p)];
}

/** The index nearest-rank percentile p of n sorted values reads (as `percentile` does). */
function rankOf(n: number, p: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
}

/**
 * Nearest-rank percentiles (`ps` in ascending order) of the first n values, as `percentile` would read them
 * once the values were sorted, found by selection instead (order.ts's quickselect: each rank searched only to
 * the right of the previous one). Linear on average; the values are reordered.
 */
export function percentilesInPlace(values: Float64Array, n: number, ps: readonly number[]): number[] {
  let from = 0;
  return ps.map((p) => {
    if (n === 0) return NaN;
    const k = rankOf(n, p);
    const value = selectKthIn(values, k, from, n - 1);
    from = k;
    return value;
  });
}
