// The one failover timing model. The linter's RTO budget and the engine's
// failover both read their numbers from here, so a lint verdict and a
// simulated timeline can never disagree about how long a phase takes.
//
// Phases: detect → fence → elect → promote → endpoint → reconnect (→ storm).
import { formatDuration } from "./units.js";

/** How the failover manager notices a dead leader: a lease it must renew, or heartbeats it must answer. */
export type Detection =
  | { kind: "lease"; ttlMs: number; loopWaitMs: number; retryTimeoutMs: number }
  /**
   * randomizedMs: a voter's election timer is the timeout plus a random extra of up to this much, drawn
   * afresh for every voter (Raft and etcd: one more timeout, [T, 2T)), so that voters do not all campaign at once.
   */
  | { kind: "heartbeat"; intervalMs: number; misses: number; randomizedMs?: number };

/** How clients find the leader: a DNS name with a TTL, or a proxy that health-checks the nodes. */
export type Endpoint =
  | { kind: "dns"; ttlMs: number; staleShare: number; staleForMs: number }
  | { kind: "proxy"; checkIntervalMs: number; checkTimeoutMs: number; rise: number; fall: number };

/** The failover settings the timing model reads (the model's resolved failover satisfies it). */
export interface FailoverTiming {
  mode: "automatic" | "manual";
  operatorDelayMs: number;
  detection: Detection;
  fencing: "stonith" | "lease" | "none";
  fencingMs: number;
  election: string;
  electionMs: number;
  promotionMs: number;
  endpoint: Endpoint;
  reconnect: { backoffMs: number; maxMs: number; jitter: "full" | "equal" | "none" };
  acceptRate: number;
}

export type PhaseName = "detect" | "operator" | "fence" | "elect" | "promote" | "endpoint" | "reconnect" | "storm";

export interface Phase {
  phase: PhaseName;
  minMs: number;
  maxMs: number;
  /** Which settings produce these numbers, in words. */
  basis: string;
}

export interface FailoverBudget {
  phases: Phase[];
  minMs: number;
  maxMs: number;
}

/**
 * Time from the leader's failure to the moment the failure is detected.
 * Lease: the lock expires `ttl` after the leader's last renewal, and renewals
 * happen every `loop_wait`, so detection takes between ttl − loop_wait and ttl.
 * Heartbeats: the `misses`-th missed heartbeat, so between (misses − 1) and
 * misses intervals.
 */
export function detectionRange(detection: Detection): { minMs: number; maxMs: number; basis: string } {
  if (detection.kind === "lease") {
    const minMs = Math.max(0, detection.ttlMs - detection.loopWaitMs);
    return { minMs, maxMs: detection.ttlMs, basis: `lease ttl ${sec(detection.ttlMs)} minus time since the last renewal (0–${sec(detection.loopWaitMs)} loop_wait)` };
  }
  const extra = detection.randomizedMs ?? 0;
  return {
    minMs: (detection.misses - 1) * detection.intervalMs,
    maxMs: detection.misses * detection.intervalMs + extra,
    basis: `${detection.misses} missed heartbeats every ${sec(detection.intervalMs)}${extra > 0 ? `, plus a randomized election timer (0–${sec(extra)})` : ""}`,
  };
}

/** Detection delay when the failure happens `sinceRenewalMs` after the leader's last lease renewal or heartbeat. */
export function detectionDelayMs(detection: Detection, sinceRenewalMs: number): number {
  if (detection.kind === "lease") return Math.max(0, detection.ttlMs - sinceRenewalMs);
  return Math.max(0, detection.misses * detection.intervalMs - sinceRenewalMs);
}

/** The period of the leader's liveness signal: lease renewals or heartbeats. */
export function renewalPeriodMs(detection: Detection): number {
  return detection.kind === "lease" ? detection.loopWaitMs : detection.intervalMs;
}

export function fencingRange(failover: FailoverTiming): { minMs: number; maxMs: number; basis: string } {
  switch (failover.fencing) {
    case "stonith":
      return { minMs: failover.fencingMs, maxMs: failover.fencingMs, basis: `STONITH power-off of the old leader (${sec(failover.fencingMs)})` };
    case "lease":
      return { minMs: failover.fencingMs, maxMs: failover.fencingMs, basis: "the expired lease is the fence: the old leader demotes itself when it cannot renew" };
    case "none":
      return { minMs: 0, maxMs: 0, basis: "no fencing: nothing stops the old leader from accepting writes" };
  }
}

/** When clients learn the new leader's address after promotion. */
export function endpointRange(endpoint: Endpoint): { minMs: number; maxMs: number; basis: string } {
  if (endpoint.kind === "dns") {
    const tail = endpoint.staleShare > 0 ? `; ${pct(endpoint.staleShare)} of clients cache it for ${sec(endpoint.staleForMs)}` : "";
    return { minMs: 0, maxMs: endpoint.ttlMs, basis: `DNS record update, cached up to the ${sec(endpoint.ttlMs)} TTL${tail}` };
  }
  return {
    minMs: Math.max(0, endpoint.rise - 1) * endpoint.checkIntervalMs,
    maxMs: endpoint.rise * endpoint.checkIntervalMs + endpoint.checkTimeoutMs,
    basis: `proxy health check every ${sec(endpoint.checkIntervalMs)}, ${endpoint.rise} pass${endpoint.rise === 1 ? "" : "es"} to mark the new leader up`,
  };
}

/** How long a stale client keeps the old address: the DNS tail beyond the TTL. */
export function staleClientDelayMs(endpoint: Endpoint): number {
  return endpoint.kind === "dns" ? Math.max(endpoint.ttlMs, endpoint.staleForMs) : 0;
}

/** PostgreSQL's wal_retrieve_retry_interval default: how long a WAL receiver waits after a failed attempt. */
export const WAL_RETRIEVE_RETRY_MS = 5000;

// Re-streaming after a promotion, measured on Patroni 3.0.2 + PostgreSQL 15 (see the README's engine section).
const RELOAD_MIN_MS = 30;
const RELOAD_SPREAD_MS = 200;
/** Patroni's "give somebody time to take the leader lock" before a nofailover replica follows. */
const NOFAILOVER_SLEEP_MS = 2000;
/** The new leader's Patroni notices the finished promotion by polling once a second, then creates member slots. */
const PROMOTE_POLL_MS = 1000;
const SLOT_CYCLE_MS = 200;
const CONNECT_MS = 50;

/** When the new leader's replication slots for its members exist (u uniform in [0, 1)). */
export function slotsReadyAfterPromotionMs(promotedMs: number, u: number): number {
  return promotedMs + PROMOTE_POLL_MS + SLOT_CYCLE_MS * (1 + u);
}

/**
 * When a surviving replica streams from the new leader, which took the leader key at `leaderKeyMs`: it is
 * re-pointed by a reload (at once if it could have been promoted, after a 2 s sleep if nofailover), its WAL
 * receiver connects at once, and if its slot does not exist yet it retries one full retry interval later.
 */
export function restreamMs(leaderKeyMs: number, slotsReadyMs: number, eligible: boolean, u: number): number {
  const reload = eligible ? leaderKeyMs + RELOAD_MIN_MS + u * RELOAD_SPREAD_MS : leaderKeyMs + NOFAILOVER_SLEEP_MS + u * RELOAD_MIN_MS;
  return reload >= slotsReadyMs ? reload + CONNECT_MS : reload + WAL_RETRIEVE_RETRY_MS;
}

/**
 * The delay before a client's `attempt`-th reconnection (0-based), given a
 * uniform random number `u` in [0, 1): exponential backoff capped at `max`,
 * with AWS-style full or equal jitter.
 */
export function reconnectDelayMs(failover: FailoverTiming, attempt: number, u: number): number {
  const { backoffMs, maxMs, jitter } = failover.reconnect;
  const ceiling = Math.min(maxMs, backoffMs * 2 ** Math.min(attempt, 30));
  if (jitter === "full") return u * ceiling;
  if (jitter === "equal") return ceiling / 2 + (u * ceiling) / 2;
  return ceiling;
}

/**
 * The failover budget, phase by phase, from the failover settings alone (plus
 * the number of clients that must reconnect, when a workload is known).
 */
export function failoverBudget(failover: FailoverTiming, options: { clients?: number } = {}): FailoverBudget {
  const phases: Phase[] = [];
  const detect = detectionRange(failover.detection);
  phases.push({ phase: "detect", ...detect });
  if (failover.mode === "manual") {
    phases.push({ phase: "operator", minMs: failover.operatorDelayMs, maxMs: failover.operatorDelayMs, basis: `manual failover: an operator acts after ${sec(failover.operatorDelayMs)}` });
  }
  phases.push({ phase: "fence", ...fencingRange(failover) });
  phases.push({ phase: "elect", minMs: failover.electionMs, maxMs: failover.electionMs, basis: `election by ${failover.election}` });
  phases.push({ phase: "promote", minMs: failover.promotionMs, maxMs: failover.promotionMs, basis: "promotion: replay the remaining WAL and open for writes" });
  phases.push({ phase: "endpoint", ...endpointRange(failover.endpoint) });
  phases.push({ phase: "reconnect", minMs: 0, maxMs: failover.reconnect.maxMs, basis: `client backoff from ${sec(failover.reconnect.backoffMs)} capped at ${sec(failover.reconnect.maxMs)}, ${failover.reconnect.jitter} jitter` });
  if (options.clients !== undefined && failover.acceptRate > 0) {
    const stormMs = (options.clients / failover.acceptRate) * 1000;
    phases.push({ phase: "storm", minMs: 0, maxMs: stormMs, basis: `${options.clients} clients reconnecting at ${failover.acceptRate} connections/s` });
  }
  return { phases, minMs: sum(phases.map((p) => p.minMs)), maxMs: sum(phases.map((p) => p.maxMs)) };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** A phase's duration as the budget words it (seconds up to two minutes). */
export function sec(ms: number): string {
  return formatDuration(ms, { style: "timing" });
}
const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
