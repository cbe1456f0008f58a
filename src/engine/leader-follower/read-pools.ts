// The proxy's read pools as data: per pool and node, whether it is listed, and
// the streak of checks that moves it in or out (the rules that drive it are in
// read-pool.ts).
import type { LagBudget } from "../../model/types.js";

export const POOL_REPLICA = 0;
export const POOL_ANY = 1;
/** The first pool of a staleness budget (a class's `reads: { max_lag }` or `{ max_staleness }`): one pool per distinct budget, from here. */
export const POOL_LAG = 2;

const UNBOUNDED: LagBudget = { bytes: Infinity, ms: Infinity };

export class ReadPools {
  /** How many pools: the replica pool, the read-only pool, and one per staleness budget. */
  readonly poolCount: number;
  /** Per pool and node (pool · nodeCount + node): 1 while the proxy sends it reads. */
  readonly listed: Uint8Array;
  /** Per pool and node: consecutive checks passed (while out) or failed (while in). */
  private readonly streak: Uint8Array;
  /** Per pool and node: reads sent to it since it last stopped answering, that failed (for the timeline). */
  private readonly failedReads: Uint32Array;
  /** Per pool and node: when the first of those reads was sent (NaN: none yet). */
  private readonly failedSinceMs: Float64Array;
  /** Per pool and node: reads it served while further behind than the pool's staleness budget (for the timeline). */
  private readonly staleReads: Uint32Array;
  /** Per pool and node: when the first of those reads was sent (NaN: none yet). */
  private readonly staleSinceMs: Float64Array;
  /** Per pool and node: why it left the pool, when that is news (OUT_DOWN, OUT_LAGGING; 0: not news). */
  readonly outFor: Uint8Array;
  /** Per pool: whether a data class reads from it (only those pools are checked). */
  readonly used: Uint8Array;

  constructor(
    private readonly nodeCount: number,
    /** Whether a proxy checks the nodes (false: a DNS endpoint; reads go to whichever nodes answer). */
    readonly checked: boolean,
    /** The staleness budgets of the classes (bytes or time), one pool each from POOL_LAG, in this order. */
    readonly lagBudgets: readonly LagBudget[],
  ) {
    this.poolCount = POOL_LAG + lagBudgets.length;
    const size = this.poolCount * nodeCount;
    this.listed = new Uint8Array(size).fill(1);
    this.streak = new Uint8Array(size);
    this.failedReads = new Uint32Array(size);
    this.failedSinceMs = new Float64Array(size).fill(NaN);
    this.staleReads = new Uint32Array(size);
    this.staleSinceMs = new Float64Array(size).fill(NaN);
    this.outFor = new Uint8Array(size);
    this.used = new Uint8Array(this.poolCount);
  }

  /** The pool a class reading replicas this way goes through. */
  poolOf(routing: "session" | "any" | "max_lag", budget: LagBudget): number {
    if (routing === "any") return POOL_ANY;
    if (routing === "session") return POOL_REPLICA;
    return POOL_LAG + this.lagBudgets.findIndex((b) => b.bytes === budget.bytes && b.ms === budget.ms);
  }

  /** The pool's staleness budget (unbounded for the pools without one). */
  budgetOf(pool: number): LagBudget {
    return pool >= POOL_LAG ? this.lagBudgets[pool - POOL_LAG] : UNBOUNDED;
  }

  /** The pools as the proxy found them before the run: each node listed where its check passes. */
  init(passes: (pool: number, node: number) => boolean): void {
    for (let pool = 0; pool < this.poolCount; pool++) for (let node = 0; node < this.nodeCount; node++) this.listed[pool * this.nodeCount + node] = passes(pool, node) ? 1 : 0;
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
   * A read the proxy sent to `node` was served further behind than the pool's staleness budget (stale), or within
   * it: a read within the budget ends the stretch of stale ones (what the timeline counts is the latest stretch).
   */
  readServed(pool: number, node: number, atMs: number, stale: boolean): void {
    const k = pool * this.nodeCount + node;
    if (!stale) {
      this.staleReads[k] = 0;
      this.staleSinceMs[k] = NaN;
    } else if (this.staleReads[k]++ === 0) this.staleSinceMs[k] = atMs;
  }

  /**
   * One round of checks at `now`: each node of each pool in use passes or fails, and moves in or out after
   * `rise` passes or `fall` failures in a row. Returns the changes, for the timeline.
   */
  check(passes: (pool: number, node: number) => boolean, rise: number, fall: number): PoolChange[] {
    const changes: PoolChange[] = [];
    for (let pool = 0; pool < this.poolCount; pool++) {
      if (this.used[pool] !== 1) continue;
      for (let node = 0; node < this.nodeCount; node++) {
        const k = pool * this.nodeCount + node;
        const listed = this.listed[k] === 1;
        // A check that agrees with the node's state breaks the other streak.
        if (passes(pool, node) === listed) {
          this.streak[k] = 0;
          if (listed) this.forget(k);
          continue;
        }
        if (++this.streak[k] < (listed ? fall : rise)) continue;
        this.streak[k] = 0;
        this.listed[k] = listed ? 0 : 1;
        changes.push({ pool, node, listed: !listed, failedReads: this.failedReads[k], failedSinceMs: this.failedSinceMs[k], staleReads: this.staleReads[k], staleSinceMs: this.staleSinceMs[k] });
        this.forget(k);
        this.staleReads[k] = 0;
        this.staleSinceMs[k] = NaN;
      }
    }
    return changes;
  }

  /** A check that keeps a listed node listed (it answers), or a change told: the reads it failed are no longer news. */
  private forget(k: number): void {
    this.failedReads[k] = 0;
    this.failedSinceMs[k] = NaN;
  }
}

/** A node moved in or out of a pool by a round of checks, with the reads sent to it meanwhile that failed or were stale. */
export interface PoolChange {
  pool: number;
  node: number;
  listed: boolean;
  failedReads: number;
  failedSinceMs: number;
  staleReads: number;
  staleSinceMs: number;
}

/** Why a node left a pool, when its leaving (and return) is news: it stopped answering, or fell behind the budget. */
export const OUT_DOWN = 1;
export const OUT_LAGGING = 2;
