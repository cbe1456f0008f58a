// The proxy's read pools as data: per pool and node, whether it is listed, and
// the streak of checks that moves it in or out (the rules that drive it are in
// read-pool.ts).

export const POOL_REPLICA = 0;
export const POOL_ANY = 1;

export class ReadPools {
  /** Per pool and node (pool · nodeCount + node): 1 while the proxy sends it reads. */
  readonly listed: Uint8Array;
  /** Per pool and node: consecutive checks passed (while out) or failed (while in). */
  private readonly streak: Uint8Array;
  /** Per pool and node: reads sent to it since it last stopped answering, that failed (for the timeline). */
  private readonly failedReads: Uint32Array;
  /** Per pool and node: when the first of those reads was sent (NaN: none yet). */
  private readonly failedSinceMs: Float64Array;
  /** Per pool and node: 1 when it left the pool because it stopped answering queries (its return is news too). */
  readonly outForDown: Uint8Array;
  /** Per pool: whether a data class reads from it (only those pools are checked). */
  readonly used = new Uint8Array(2);

  constructor(
    private readonly nodeCount: number,
    /** Whether a proxy checks the nodes (false: a DNS endpoint; reads go to whichever nodes answer). */
    readonly checked: boolean,
  ) {
    this.listed = new Uint8Array(2 * nodeCount).fill(1);
    this.streak = new Uint8Array(2 * nodeCount);
    this.failedReads = new Uint32Array(2 * nodeCount);
    this.failedSinceMs = new Float64Array(2 * nodeCount).fill(NaN);
    this.outForDown = new Uint8Array(2 * nodeCount);
  }

  /** The pools as the proxy found them before the run: each node listed where its check passes. */
  init(passes: (pool: number, node: number) => boolean): void {
    for (let pool = 0; pool < 2; pool++) for (let node = 0; node < this.nodeCount; node++) this.listed[pool * this.nodeCount + node] = passes(pool, node) ? 1 : 0;
  }

  /** Whether the proxy sends reads of `pool` to `node` now. */
  lists(pool: number, node: number): boolean {
    return !this.checked || this.listed[pool * this.nodeCount + node] === 1;
  }

  /** A read the proxy sent to `node` found it not answering. */
  readFailed(pool: number, node: number, atMs: number): void {
    const k = pool * this.nodeCount + node;
    if (this.failedReads[k]++ === 0) this.failedSinceMs[k] = atMs;
  }

  /**
   * One round of checks at `now`: each node of each pool in use passes or fails, and moves in or out after
   * `rise` passes or `fall` failures in a row. Returns the changes, for the timeline.
   */
  check(passes: (pool: number, node: number) => boolean, rise: number, fall: number): { pool: number; node: number; listed: boolean; failedReads: number; failedSinceMs: number }[] {
    const changes: { pool: number; node: number; listed: boolean; failedReads: number; failedSinceMs: number }[] = [];
    for (let pool = 0; pool < 2; pool++) {
      if (this.used[pool] !== 1) continue;
      for (let node = 0; node < this.nodeCount; node++) {
        const k = pool * this.nodeCount + node;
        const listed = this.listed[k] === 1;
        // A check that agrees with the node's state breaks the other streak.
        if (passes(pool, node) === listed) {
          this.streak[k] = 0;
          if (listed) {
            this.failedReads[k] = 0;
            this.failedSinceMs[k] = NaN;
          }
          continue;
        }
        if (++this.streak[k] < (listed ? fall : rise)) continue;
        this.streak[k] = 0;
        this.listed[k] = listed ? 0 : 1;
        changes.push({ pool, node, listed: !listed, failedReads: this.failedReads[k], failedSinceMs: this.failedSinceMs[k] });
        this.failedReads[k] = 0;
        this.failedSinceMs[k] = NaN;
      }
    }
    return changes;
  }
}
