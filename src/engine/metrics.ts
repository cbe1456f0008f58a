// Measurements taken while a run unfolds: latency samples per class, outcomes,
// recovery times. Everything reported is computed from these records.

/** Relative width of a histogram bucket: percentiles are exact to within 0.5%. */
const BUCKET_GROWTH = 1.005;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);
/** Smallest value resolved (1 µs); smaller ones share the first bucket. */
const MIN_VALUE = 0.001;
const BUCKETS = Math.ceil(Math.log(1e9 / MIN_VALUE) / LOG_GROWTH);

/**
 * Latency samples in a log-bucketed histogram (as HdrHistogram does): O(1) to
 * record, no per-sample memory, and nearest-rank percentiles within 0.5%.
 */
export class Samples {
  private readonly buckets = new Uint32Array(BUCKETS + 1);
  count = 0;
  private min = Infinity;
  private max = -Infinity;

  add(value: number): void {
    const index = value <= MIN_VALUE ? 0 : Math.min(BUCKETS, Math.ceil(Math.log(value / MIN_VALUE) / LOG_GROWTH));
    this.buckets[index]++;
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
      for (let i = 0; i <= BUCKETS; i++) {
        seen += this.buckets[i];
        if (seen >= rank) {
          // The bucket's upper edge, clamped to what was really observed.
          const upper = i === 0 ? MIN_VALUE : MIN_VALUE * BUCKET_GROWTH ** i;
          return Math.min(this.max, Math.max(this.min, upper));
        }
      }
      return this.max;
    });
  }
}

export function percentile(sortedValues: number[], p: number): number {
  if (sortedValues.length === 0) return NaN;
  return sortedValues[Math.min(sortedValues.length - 1, Math.max(0, Math.ceil((p / 100) * sortedValues.length) - 1))];
}

/** Per data class: latencies, outcomes, and the recovery clock after the first fault. */
export class ClassMetrics {
  writeLatency = new Samples();
  readLatency = new Samples();
  writesAcked = 0;
  writesRejected = 0;
  writesAmbiguous = 0;
  readsServed = 0;
  readsRejected = 0;
  staleReads = 0;
  /** Send time of the first failed write (or read) sent at or after the first fault. */
  firstWriteErrorMs = Infinity;
  firstReadErrorMs = Infinity;
  /** Acknowledgement time of the first write (read) sent after that error. */
  writeRecoveredMs = Infinity;
  readRecoveredMs = Infinity;
}

/** Per client: when it first failed after the fault and when it first succeeded again. */
export class ClientRecovery {
  firstErrorMs: Float64Array;
  recoveredMs: Float64Array;

  constructor(clients: number) {
    this.firstErrorMs = new Float64Array(clients).fill(Infinity);
    this.recoveredMs = new Float64Array(clients).fill(Infinity);
  }
}
