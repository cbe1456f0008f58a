// Timeline facts the core records: network faults, zone and region loss,
// archive failures, the endpoint and the clients, and what the measurement
// pass finds (split brain, reconnection). Facts carry numbers and names only;
// the report turns them into sentences.

/** Why a node stopped. */
export type CrashCause = { kind: "host-failed" } | { kind: "fenced" } | { kind: "lost-with"; target: string };

export type CoreEvent =
  | { event: "partition"; sides: string[][]; forMs: number | null }
  | { event: "heal"; scope: "all" | "one" }
  | { event: "latency"; addMs: number; between: [string[], string[]]; forMs: number | null }
  | { event: "latency-end" }
  /** arbiters: the replica set's arbiters (members that vote and hold no data) in the lost zones, when there are any. */
  | { event: "lose"; target: string; nodes: string[]; arbiters?: string[]; forMs: number | null }
  | { event: "restore"; target: string }
  | { event: "archive-fails"; forMs: number | null }
  /**
   * A scheduled crash of a node already down for a reason the schedule cannot show (fenced during a failover,
   * still being rebuilt): nothing happens, and its `for:` restart is not scheduled either.
   */
  | { event: "crash-ignored"; reason: "already-down"; forMs: number | null }
  /** A scheduled recovery of a node that is up (the schedule showed it up too; a failover might have fenced it, and did not). */
  | { event: "recover-ignored"; reason: "already-up" }
  | { event: "noticed"; dataClass: string }
  | { event: "endpoint"; via: "proxy"; target: string; rise: number; checkIntervalMs: number }
  | { event: "endpoint"; via: "dns"; target: string; ttlMs: number; staleShare: number; staleForMs: number }
  /** hostDown: the node's host is down (its sessions were dead already; the proxy closes the client side of them). */
  | { event: "proxy-down"; sessionsCut: number; hostDown?: boolean }
  /**
   * The proxy's read pool (replica: reads: session, and reads: { max_lag } with maxLagBytes; any: reads: any) drops
   * a node that stopped answering queries, or fell further behind than maxLagBytes, after `checks` failed checks, or
   * lists it again after `checks` passes; failedReads: the reads it was sent meanwhile, which failed.
   */
  | ({ event: "read-pool-out" } & ReadPoolChange)
  | ({ event: "read-pool-in" } & ReadPoolChange)
  | { event: "split-brain" }
  /**
   * Requests of a class failed with no fault open (before the first fault, or in a run without faults): the run's own
   * load broke them (a remote_apply commit waiting on a replica that replays slower than the writes come, clients
   * timing out on their own). Noted at the first such outage's start; outages: how many there were, longestMs: the
   * longest (null: one never ended within the run), as the RTO counts them.
   */
  | ({ event: "writes-failing" } & LoadOutages)
  | ({ event: "reads-failing" } & LoadOutages)
  | { event: "split-brain-end"; durationMs: number }
  | { event: "reconnect" }
  | { event: "reconnected"; clients: number; acceptRate: number; jitter: "full" | "equal" | "none"; attempts: number; timedOut: number }
  | { event: "extrapolated" };

/** Outages of a class charged to no fault: the class, how many, and the longest (ms; null: one never ended). */
export interface LoadOutages {
  dataClass: string;
  outages: number;
  longestMs: number | null;
}

/** A read pool's change: which pool, after how many checks of which interval, and the reads that failed meanwhile. */
export interface ReadPoolChange {
  pool: "replica" | "any";
  checks: number;
  checkIntervalMs: number;
  failedReads: number;
  /** read-pool-out: when the first of the failed reads was sent (absent when none failed). */
  failedSinceMs?: number;
  /** The pool's staleness budget (a class's reads: { max_lag }), bytes; absent for the pools without one. */
  maxLagBytes?: number;
  /** The pool's staleness budget in time (a class's reads: { max_staleness }), ms; absent for the pools without one. */
  maxLagMs?: number;
  /** A node that left or rejoined for its lag: how far behind the check found it (Patroni's measure), bytes. */
  lagBytes?: number;
  /** The same in time, for a pool with a budget in time (Seconds_Behind_Source, a driver's staleness estimate), ms. */
  lagMs?: number;
  /** read-pool-out for lag: the reads it served meanwhile further behind than the budget (since its last within it). */
  staleReads?: number;
  /** When the first of those was sent (absent when none was). */
  staleSinceMs?: number;
}
