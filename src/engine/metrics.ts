// Measurements taken while a run unfolds: latency samples per class, outcomes,
// recovery times. Everything reported is computed from these records.

export class Samples {
  private values = new Float64Array(1024);
  count = 0;

  add(value: number): void {
    if (this.count === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.count++] = value;
  }

  /** Nearest-rank percentiles (p in 0..100); null when there are no samples. */
  percentiles(ps: number[]): (number | null)[] {
    if (this.count === 0) return ps.map(() => null);
    const sorted = this.values.slice(0, this.count).sort();
    return ps.map((p) => sorted[Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1))]);
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
