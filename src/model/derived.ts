// Settings that follow from other settings, computed once when a topology is
// resolved, so that the engine, the linter, the drills and the live runner
// read one number instead of each re-deriving it (and one of them drifting).
// None of this is user input: it never appears in the file format's schema.
import { detectionRange, renewalPeriodMs, type Detection } from "../base/failover-timing.js";
import type { ResolvedFailover, ResolvedNode, ResolvedReplication } from "./types.js";

/** Patroni's rule for its three timings: loop_wait + 2 × retry_timeout ≤ ttl. */
export interface PatroniTiming {
  ttlMs: number;
  loopWaitMs: number;
  retryTimeoutMs: number;
  /**
   * loop_wait + 2 × retry_timeout: one loop's wait plus two DCS retries, the
   * longest a healthy leader may go without renewing when the DCS is flaky.
   */
  neededMs: number;
  /** ttl − neededMs: how much room the lease leaves; negative breaks the rule. */
  slackMs: number;
  /** Whether the lease survives two failed DCS attempts in a row (slackMs ≥ 0). */
  fits: boolean;
}

export interface DerivedDetection {
  /**
   * The longest the failover manager waits after the leader's last renewal
   * before declaring it dead: the lease ttl, or misses × heartbeat interval.
   */
  ttlMs: number;
  /** The period of the leader's liveness signal: loop_wait, or the heartbeat interval. */
  renewalPeriodMs: number;
  /** Detection after a failure, depending on when in the renewal period it strikes. */
  minMs: number;
  maxMs: number;
}

export interface DerivedSettings {
  /** Votes (or acknowledgements) a majority of the topology's nodes makes: ⌊nodes / 2⌋ + 1. */
  majority: number;
  /** Leaderless: a majority of the n copies of a key, ⌊n / 2⌋ + 1; null in other modes. */
  quorumMajority: number | null;
  detection: DerivedDetection;
  /** Lease detection only (Patroni's timings); null for heartbeats. */
  patroni: PatroniTiming | null;
}

/** A strict majority of `count` members. */
export function majorityOf(count: number): number {
  return Math.floor(count / 2) + 1;
}

/** Patroni's timing relation for a lease; null for heartbeat detection. */
export function patroniTiming(detection: Detection): PatroniTiming | null {
  if (detection.kind !== "lease") return null;
  const neededMs = detection.loopWaitMs + 2 * detection.retryTimeoutMs;
  const slackMs = detection.ttlMs - neededMs;
  return { ttlMs: detection.ttlMs, loopWaitMs: detection.loopWaitMs, retryTimeoutMs: detection.retryTimeoutMs, neededMs, slackMs, fits: slackMs >= 0 };
}

export function deriveDetection(detection: Detection): DerivedDetection {
  const range = detectionRange(detection);
  const ttlMs = detection.kind === "lease" ? detection.ttlMs : detection.misses * detection.intervalMs;
  return { ttlMs, renewalPeriodMs: renewalPeriodMs(detection), minMs: range.minMs, maxMs: range.maxMs };
}

/**
 * Computes the derived block from resolved settings. Code that builds or
 * rewrites a topology (the live runner rounding Patroni's timings, a test)
 * calls it again so that the block matches the settings it carries.
 */
export function deriveSettings(settings: { nodes: readonly ResolvedNode[]; replication: ResolvedReplication; failover: ResolvedFailover }): DerivedSettings {
  const { nodes, replication, failover } = settings;
  return {
    majority: majorityOf(nodes.length),
    quorumMajority: replication.mode === "leaderless" ? majorityOf(replication.n) : null,
    detection: deriveDetection(failover.detection),
    patroni: patroniTiming(failover.detection),
  };
}
