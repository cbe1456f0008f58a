// Order statistics of a million per-trial values without sorting them:
// percentiles by quickselect, and "how many values are at most t" for a few
// dozen t at once by one pass that drops each value into the bucket of the
// first t at or above it. Pure.

/** Nearest-rank percentile of an ascending array: the smallest value with at least p of the sample at or below it. */
export function percentileSorted(sorted: Float64Array, perMille: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[nearestRank(n, perMille)];
}

/** The 0-based index of the nearest-rank percentile in a sample of n. */
function nearestRank(n: number, perMille: number): number {
  const rank = Math.max(1, Math.ceil((n * perMille) / 1000));
  return Math.min(n, rank) - 1;
}

/**
 * The k-th smallest value (0-based) of the array, by quickselect in place
 * (Hoare partition, median-of-three pivot): O(n), where a sort is O(n log n).
 * The array's order is lost, but afterwards no value before index k is above
 * the k-th and none after it is below, so a later selection of a larger k
 * may start at k (selectKthIn).
 */
export function selectKth(values: Float64Array, k: number): number {
  return selectKthIn(values, k, 0, values.length - 1);
}

/** selectKth within values[lo..hi], given that k lies there and the range already holds its own order statistics. */
export function selectKthIn(values: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Nearest-rank percentiles (as percentileSorted) of an unsorted array, by selection; perMilles ascending. */
export function percentilesSelect(values: Float64Array, perMilles: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return perMilles.map(() => NaN);
  let from = 0;
  return perMilles.map((perMille) => {
    const k = nearestRank(n, perMille);
    if (k < from) throw new Error("assertion: percentilesSelect needs ascending per-mille values");
    const value = selectKthIn(values, k, from, n - 1);
    from = k;
    return value;
  });
}

/** Nearest-rank percentile of an unsorted array, by selection (the array's order is lost). */
export function percentileSelect(values: Float64Array, perMille: number): number {
  return percentilesSelect(values, [perMille])[0];
}

/**
 * For each query t, how many of the values are <= t: what a binary search in
 * the sorted values gives, in one pass over them and without sorting them.
 * Each value lands in the bucket of the first query (in ascending order) at
 * or above it, and a query's count is the sum of the buckets up to its own.
 */
export function countAtMostEach(values: Float64Array, queries: readonly number[]): number[] {
  const order = queries.map((_, i) => i).sort((x, y) => queries[x] - queries[y]);
  const ascending = Float64Array.from(order, (i) => queries[i]);
  const q = ascending.length;
  const buckets = new Float64Array(q + 1);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    let lo = 0;
    let hi = q;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ascending[mid] >= v) hi = mid;
      else lo = mid + 1;
    }
    buckets[lo]++;
  }
  const counts = new Array<number>(q);
  let running = 0;
  for (let rank = 0; rank < q; rank++) {
    running += buckets[rank];
    counts[order[rank]] = running;
  }
  return counts;
}

/**
 * Keeps the k smallest values seen so far in best[0..k), ascending (start it filled with Infinity): value
 * t goes in its place and the largest falls off. best[k − 1] is then the k-th smallest (Infinity: fewer than
 * k seen). For a handful of values (a commit rule's acknowledgements, a heartbeat round): no allocation.
 */
export function keepSmallest(best: Float64Array, k: number, t: number): void {
  if (t >= best[k - 1]) return;
  let j = k - 1;
  while (j > 0 && best[j - 1] > t) {
    best[j] = best[j - 1];
    j--;
  }
  best[j] = t;
}
