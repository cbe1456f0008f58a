// The one failover timing model. The linter's RTO budget and the engine's
// failover both read their numbers from here, so a lint verdict and a
// simulated timeline can never disagree about how long a phase takes.
//
// Phases: detect → fence → elect (→ replay → retry) → promote → endpoint → reconnect (→ storm).
import { formatDuration } from "./units.js";

/** How the failover manager notices a dead leader: a lease it must renew, or heartbeats it must answer. */
export type Detection =
  /** given: the file's loop_wait and retry_timeout when Patroni had to lower them (patroniTimeouts). */
  | { kind: "lease"; ttlMs: number; loopWaitMs: number; retryTimeoutMs: number; given?: { loopWaitMs: number; retryTimeoutMs: number } }
  /**
   * randomizedMs: a voter's election timer is the timeout plus a random extra of up to this much, drawn
   * afresh for every voter, so that voters do not all campaign at once. How much is the preset's (Raft and
   * etcd: one more timeout, [T, 2T); MongoDB: 15% of it, [T, 1.15 T]; see Preset.consensus).
   */
  | { kind: "heartbeat"; intervalMs: number; misses: number; randomizedMs?: number };

/** The shortest loop_wait Patroni lowers a too-long one to. */
const PATRONI_MIN_LOOP_WAIT_MS = 1000;

/**
 * The loop_wait and retry_timeout Patroni runs with under a lease of `ttlMs`. It enforces
 * loop_wait + 2 × retry_timeout ≤ ttl when it loads its configuration, with a warning in its log instead of a
 * refusal: it lowers loop_wait to ttl − 2 × retry_timeout, or, when even a 1 s loop does not fit, sets loop_wait
 * to 1 s and retry_timeout to (ttl − 1 s) / 2. (Since 3.2 it also raises a ttl under 20 s, a loop_wait under 1 s and
 * a retry_timeout under 3 s to those minimums first. The engine does not: the short timings measured on a live
 * cluster ran on a release that predates them. patroniRuns computes what a current release runs, and the lint
 * rule patroni-timing-floor reports it.)
 */
export function patroniTimeouts(ttlMs: number, loopWaitMs: number, retryTimeoutMs: number): { loopWaitMs: number; retryTimeoutMs: number } {
  if (loopWaitMs + 2 * retryTimeoutMs <= ttlMs) return { loopWaitMs, retryTimeoutMs };
  const minLoopMs = Math.min(PATRONI_MIN_LOOP_WAIT_MS, loopWaitMs);
  if (minLoopMs + 2 * retryTimeoutMs > ttlMs) {
    // Patroni counts whole seconds (floor division); a lease under 3 s keeps milliseconds rather than no retry at all.
    const halfMs = (ttlMs - minLoopMs) / 2;
    return { loopWaitMs: minLoopMs, retryTimeoutMs: halfMs >= 1000 ? Math.floor(halfMs / 1000) * 1000 : Math.floor(halfMs) };
  }
  return { loopWaitMs: ttlMs - 2 * retryTimeoutMs, retryTimeoutMs };
}

/** The first Patroni release that raises lease timings to floors, and the last that runs them as written. */
export const PATRONI_FLOORS_SINCE = "3.2";
export const PATRONI_LAST_UNFLOORED = "3.1";

/** The smallest ttl, loop_wait and retry_timeout Patroni 3.2 and later accept (config.py, _validate_and_adjust_timeouts). */
export const PATRONI_FLOORS_MS = { ttlMs: 20_000, loopWaitMs: 1000, retryTimeoutMs: 3000 } as const;

/** The lease timings Patroni 3.2 and later run for the ones a file states, and which of them they change. */
export interface PatroniRuns {
  ttlMs: number;
  loopWaitMs: number;
  retryTimeoutMs: number;
  /** The settings raised to a floor or cut to whole seconds (in file order), empty when it runs them as written. */
  changed: ("ttl" | "loop_wait" | "retry_timeout")[];
  /** loop_wait and retry_timeout after the floors, before the rule loop_wait + 2 × retry_timeout ≤ ttl lowers them. */
  floored: { loopWaitMs: number; retryTimeoutMs: number };
}

/**
 * What Patroni 3.2 and later do with a file's lease timings when they load them: each is read as whole seconds
 * (Python's int()), raised to its floor (ttl 20 s, loop_wait 1 s, retry_timeout 3 s), and only then held to
 * loop_wait + 2 × retry_timeout ≤ ttl (patroniTimeouts). The engine runs the file's timings without the floors
 * (see patroniTimeouts); this is what a current release would run instead, for the linter to say so.
 */
export function patroniRuns(ttlMs: number, loopWaitMs: number, retryTimeoutMs: number): PatroniRuns {
  const changed: PatroniRuns["changed"] = [];
  const read = (name: PatroniRuns["changed"][number], ms: number, floorMs: number): number => {
    const runs = Math.max(Math.trunc(ms / 1000) * 1000, floorMs);
    if (runs !== ms) changed.push(name);
    return runs;
  };
  const ttl = read("ttl", ttlMs, PATRONI_FLOORS_MS.ttlMs);
  const loop = read("loop_wait", loopWaitMs, PATRONI_FLOORS_MS.loopWaitMs);
  const retry = read("retry_timeout", retryTimeoutMs, PATRONI_FLOORS_MS.retryTimeoutMs);
  return { ttlMs: ttl, ...patroniTimeouts(ttl, loop, retry), changed, floored: { loopWaitMs: loop, retryTimeoutMs: retry } };
}

/** How clients find the leader: a DNS name with a TTL, or a proxy that health-checks the nodes. */
export type Endpoint =
  | { kind: "dns"; ttlMs: number; staleShare: number; staleForMs: number }
  | { kind: "proxy"; checkIntervalMs: number; checkTimeoutMs: number; rise: number; fall: number };

/**
 * How the surviving replicas come to stream from a new leader after a promotion: the failover manager's and the
 * database's own rule, which the preset decides (restreamMs).
 */
export type Restream =
  /** Patroni + PostgreSQL: a reload re-points the replica, and a WAL receiver that finds no replication slot yet retries after wal_retrieve_retry_interval. */
  | { kind: "patroni" }
  /** MongoDB: a secondary learns of the new primary from its next heartbeat (every intervalMs) and syncs from it at once. */
  | { kind: "heartbeat"; intervalMs: number }
  /** MySQL + Orchestrator: the recovery relocates the replicas under the new source when it promotes it. */
  | { kind: "relocate" };

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
  restream: Restream;
}

export type PhaseName = "detect" | "operator" | "fence" | "elect" | "replay" | "retry" | "promote" | "endpoint" | "reconnect" | "storm" | "sync";

export interface Phase {
  phase: PhaseName;
  minMs: number;
  maxMs: number;
  /** Which settings produce these numbers, in words. */
  basis: string;
  /**
   * It starts at the promotion and runs alongside the endpoint switch, the reconnects and the storm (the new
   * leader naming a synchronous standby): the budget counts whichever of the two paths is longer.
   */
  alongside?: true;
}

export interface FailoverBudget {
  phases: Phase[];
  minMs: number;
  /** Infinity when a strict leader may be left with too few standbys to acknowledge (`stranded`). */
  maxMs: number;
  stranded?: Stranded;
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

/**
 * etcd's lessor looks for expired leases every 500 ms and revokes them on that check, so the leader key
 * outlives its ttl by up to this much before the replicas see it gone (measured on a live cluster too).
 */
export const LEASE_REVOKE_TICK_MS = 500;

/** How late after its ttl an expired lease is revoked: [0, tick) for a lease in etcd, nothing for heartbeats. */
export function revokeDelayMs(detection: Detection, u: number): number {
  return detection.kind === "lease" ? u * LEASE_REVOKE_TICK_MS : 0;
}

/** The detect phase as a failover sees it: the manager's detection, then (for a lease) etcd's revoke tick. */
export function detectPhaseRange(detection: Detection): { minMs: number; maxMs: number; basis: string } {
  const range = detectionRange(detection);
  const tickMs = revokeDelayMs(detection, 1);
  if (tickMs === 0) return range;
  return { minMs: range.minMs, maxMs: range.maxMs + tickMs, basis: `${range.basis}, then etcd revokes the expired key on its next ${sec(tickMs)} check` };
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

/**
 * How long a synchronous standby that goes silent (its host crashes, or a partition cuts it off: no connection
 * reset reaches the leader) stays listed, and so holds every commit that waits for it, at most. PostgreSQL keeps
 * its WAL sender until wal_sender_timeout passes without a reply. A failover manager that names the standbys
 * (Patroni) drops it sooner when its member key expires, ttl after its last HA loop, at the leader's next loop:
 * but only if the standby lost the DCS too (a crash); one that still reaches the DCS keeps its key, and the WAL
 * sender's timeout decides, again acted on at the leader's next loop. The engine plays this out event by event
 * (engine/leader-follower/sync-set.ts, listedUntil); this is its worst case, for the linter.
 */
export function silentStandbyHold(walSenderTimeoutMs: number, managedLease: { ttlMs: number; loopWaitMs: number } | null): { crashMs: number; partitionMs: number; byMemberKey: boolean } {
  if (managedLease === null) return { crashMs: walSenderTimeoutMs, partitionMs: walSenderTimeoutMs, byMemberKey: false };
  const byMemberKey = managedLease.ttlMs < walSenderTimeoutMs;
  return {
    crashMs: Math.min(managedLease.ttlMs, walSenderTimeoutMs) + managedLease.loopWaitMs,
    partitionMs: walSenderTimeoutMs + managedLease.loopWaitMs,
    byMemberKey,
  };
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

/**
 * The share of clients beyond the 99th percentile. Simulate judges a class's client tail at its p99 client, so
 * a DNS stale tail holds that client only when more than this share of clients is in it; a smaller tail leaves
 * the p99 client following the record at the TTL.
 */
export const P99_TAIL_SHARE = 0.01;

/** Whether the DNS stale tail holds the p99 client: more than P99_TAIL_SHARE of clients keep the old address past the TTL. */
export function staleTailHoldsP99(endpoint: Endpoint): boolean {
  return endpoint.kind === "dns" && endpoint.staleShare > P99_TAIL_SHARE && endpoint.staleForMs > endpoint.ttlMs;
}

/**
 * Whose delay the endpoint phase counts for a DNS endpoint (a proxy switches every client at once, and counts
 * the same whatever this says):
 * - "ttl": a client that follows its cache, up to the TTL (the budget's default);
 * - "p99-client": the client at the 99th percentile, whose wait simulate judges against the RTO: a stale
 *   client's (staleClientDelayMs) when the stale tail holds it (staleTailHoldsP99), else the TTL;
 * - "none": no DNS delay at all, which leaves what the rest of the failover costs.
 */
export type DnsDelay = "ttl" | "p99-client" | "none";

/** The endpoint phase: endpointRange, with a DNS endpoint's delay counted for the client `dns` names. */
export function endpointPhaseRange(endpoint: Endpoint, dns: DnsDelay = "ttl"): { minMs: number; maxMs: number; basis: string } {
  if (endpoint.kind !== "dns" || dns === "ttl") return endpointRange(endpoint);
  if (dns === "none") return { minMs: 0, maxMs: 0, basis: "the DNS delay left out: the rest of the failover on its own" };
  if (!staleTailHoldsP99(endpoint)) return { ...endpointRange(endpoint), basis: `the p99 client follows the DNS record within the ${sec(endpoint.ttlMs)} TTL` };
  const delayMs = staleClientDelayMs(endpoint);
  return {
    minMs: 0,
    maxMs: delayMs,
    basis: `the p99 client is one of the ${pct(endpoint.staleShare)} of clients (more than ${pct(P99_TAIL_SHARE)}) that keep the old address for ${sec(delayMs)}`,
  };
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

/** When a surviving replica is re-pointed by a reload: at once if it could have been promoted, after a 2 s sleep if nofailover. */
function reloadMs(leaderKeyMs: number, eligible: boolean, u: number): number {
  return eligible ? leaderKeyMs + RELOAD_MIN_MS + u * RELOAD_SPREAD_MS : leaderKeyMs + NOFAILOVER_SLEEP_MS + u * RELOAD_MIN_MS;
}

/** The moments a survivor's re-streaming is counted from: the new leader took the key, was promoted, and (Patroni) created its slots. */
export interface RestreamClock {
  leaderKeyMs: number;
  promotedMs: number;
  slotsReadyMs: number;
}

/**
 * When a surviving replica streams from the new leader, by the preset's rule (u uniform in [0, 1)).
 * Patroni: it is re-pointed by a reload after the new leader took the key, its WAL receiver connects at once,
 * and if its slot does not exist yet it retries one full retry interval later. MongoDB: its next heartbeat after
 * the promotion (uniformly within one interval) tells it of the new primary, and it syncs from it at once.
 * Orchestrator: the recovery relocates it under the new source as that is promoted. Then a connect.
 */
export function restreamMs(restream: Restream, at: RestreamClock, eligible: boolean, u: number): number {
  switch (restream.kind) {
    case "patroni": {
      const reload = reloadMs(at.leaderKeyMs, eligible, u);
      return reload >= at.slotsReadyMs ? reload + CONNECT_MS : reload + WAL_RETRIEVE_RETRY_MS;
    }
    case "heartbeat":
      return at.promotedMs + u * restream.intervalMs + CONNECT_MS;
    case "relocate":
      return at.promotedMs + CONNECT_MS;
  }
}

type Range = { minMs: number; maxMs: number };

/**
 * The bounds of when a survivor streams from the new leader, counted from its promotion, over every draw the
 * engine makes (restreamMs, slotsReadyAfterPromotionMs), when the promotion completes `keyToPromoted` after the
 * leader key was taken. A receiver never streams before the promotion.
 */
export function restreamAfterPromotionRange(restream: Restream, eligible: boolean, keyToPromoted: Range): Range {
  if (restream.kind === "heartbeat") return { minMs: CONNECT_MS, maxMs: restream.intervalMs + CONNECT_MS };
  if (restream.kind === "relocate") return { minMs: CONNECT_MS, maxMs: CONNECT_MS };
  const [r0, r1] = [reloadMs(0, eligible, 0), reloadMs(0, eligible, 1)];
  const [s0, s1] = [slotsReadyAfterPromotionMs(keyToPromoted.minMs, 0), slotsReadyAfterPromotionMs(keyToPromoted.maxMs, 1)];
  // Earliest: the reload finds its slot (when it can), else the retry after the earliest reload.
  const earliest = r1 >= s0 ? Math.max(r0, s0) + CONNECT_MS : r0 + WAL_RETRIEVE_RETRY_MS;
  // Latest: the latest reload that still misses its slot waits a full retry, else the latest reload connects.
  const latest = r0 < s1 ? Math.min(r1, s1) + WAL_RETRIEVE_RETRY_MS : r1 + CONNECT_MS;
  return { minMs: Math.max(0, earliest - keyToPromoted.maxMs), maxMs: Math.max(0, latest - keyToPromoted.minMs) };
}

/** How the survivors come to stream from the new leader, in words. */
function restreamBasis(restream: Restream): string {
  switch (restream.kind) {
    case "patroni":
      return `the other replicas stream from the new leader once re-pointed (a replica that finds no replication slot yet retries after ${sec(WAL_RETRIEVE_RETRY_MS)})`;
    case "heartbeat":
      return `the other replicas stream from the new leader once a heartbeat (every ${sec(restream.intervalMs)}) tells them of it`;
    case "relocate":
      return "the other replicas stream from the new leader, relocated under it as it is promoted";
  }
}

/** A replica that survives the leader's crash, as the new leader's synchronous commit rule sees it. */
export interface Survivor {
  name: string;
  /** It may be promoted (not nofailover, priority above 0): re-pointed at once, not after the 2 s sleep. */
  eligible: boolean;
  /** It may be named synchronous standby (managed: not nosync; otherwise listed in synchronous_standby_names). */
  candidate: boolean;
}

/** The synchronous commit rule a promoted leader starts with (a Raft group's majority is not one: its first round is a commit's own trip). */
export interface PromotedSync {
  count: number;
  strict: boolean;
  /** The failover manager names the synchronous standbys (Patroni): a strict leader names one in its first HA loop. */
  managed: boolean;
  /** The count is an upper bound the manager lowers to the standbys that stream (Patroni's synchronous_node_count): one releases commits. */
  lowersCount: boolean;
  whenNone: "block" | "any-standby";
  /** Non-strict: how long a commit waits for acknowledgements before the leader degrades to asynchronous (0: at once). */
  degradeAfterMs: number;
  /** The replicas left when the leader dies. */
  survivors: Survivor[];
}

/**
 * A promoted leader whose strict synchronous commits can never be acknowledged: too few of the replicas left
 * beside it may acknowledge (`capable`, fewer than `needed`), and the old leader is down. Writes wait until a
 * member comes back — the old leader rebuilt as a replica of the new one — which no setting bounds.
 */
export interface Stranded {
  /** The replica promoted (the first of the possible winners that is stranded). */
  promoted: string;
  /** The replicas left beside it that may acknowledge its commits. */
  capable: string[];
  /** The others, which may not (nosync, or not listed). */
  incapable: string[];
  needed: number;
  /** Strict mode with no proper standby lets any streaming standby acknowledge ('*'). */
  anyStandby: boolean;
}

/**
 * How long after its promotion the new leader acknowledges a commit that waits for synchronous standbys, as
 * the engine's sync-set rules decide it: strict and managed, when its first HA loop (one renewal period after
 * the promotion) has named `count` candidates that stream (or, with '*', when any standby streams); strict and
 * unmanaged, when `count` listed standbys stream; non-strict, when they stream or the degrade timeout runs out.
 * Bounded over every survivor that may win the election. The engine names a standby only within 16 MB of
 * the leader: a write rate that piles up more than that during the wait adds its catch-up (and up to one HA
 * loop), which no setting here bounds. Null: commits never wait on the promotion, or no survivor may be
 * promoted. Unbounded (maxMs Infinity, with `stranded`): a strict leader that some possible winner leaves with
 * too few replicas that may acknowledge — writes then wait for a member to come back.
 */
export function syncAfterPromotionRange(sync: PromotedSync, loopMs: number, keyToPromoted: Range, restream: Restream): (Range & { basis: string; stranded?: Stranded }) | null {
  if (!sync.strict && sync.degradeAfterMs === 0) return null;
  const eligible = sync.survivors.filter((x) => x.eligible);
  // Strict synchronous mode promotes only a published sync standby.
  const winners = sync.strict && eligible.some((x) => x.candidate) ? eligible.filter((x) => x.candidate) : eligible;
  if (winners.length === 0) return null;
  const waits = winners.map((w) => ({ w, others: sync.survivors.filter((x) => x !== w) })).map((x) => ({ ...x, ...waitAfterPromotion(sync, loopMs, keyToPromoted, restream, x.others) }));
  const minMs = Math.min(...waits.map((r) => r.minMs));
  const maxMs = Math.max(...waits.map((r) => r.maxMs));
  const stuck = waits.find((r) => !Number.isFinite(r.maxMs));
  if (!stuck) return { minMs, maxMs, basis: syncBasis(sync, loopMs, restream) };
  const anyStandby = sync.strict && sync.managed && sync.whenNone === "any-standby";
  const capable = stuck.others.filter((x) => anyStandby || x.candidate).map((x) => x.name);
  const incapable = stuck.others.filter((x) => !(anyStandby || x.candidate)).map((x) => x.name);
  const stranded: Stranded = { promoted: stuck.w.name, capable, incapable, needed: anyStandby ? 1 : sync.lowersCount ? Math.min(1, sync.count) : sync.count, anyStandby };
  return { minMs, maxMs: Infinity, basis: strandedBasis(stranded), stranded };
}

function strandedBasis(x: Stranded): string {
  const left = x.capable.length === 0 ? "no replica left that may acknowledge" : `only ${x.capable.join(", ")} left to acknowledge`;
  return `after a promotion of ${x.promoted} strict synchronous commit needs ${x.needed} standby acknowledgement${x.needed === 1 ? "" : "s"}, with ${left}: writes wait until the old leader is rebuilt as a replica`;
}

function waitAfterPromotion(sync: PromotedSync, loopMs: number, keyToPromoted: Range, restream: Restream, others: Survivor[]): Range {
  const windows = others.map((x) => ({ ...x, ...restreamAfterPromotionRange(restream, x.eligible, keyToPromoted) }));
  const candidates = windows.filter((x) => x.candidate);
  // The count-th candidate to stream completes the set (never, when too few survive); a count the manager lowers
  // to the standbys it has is met by the first.
  const needed = sync.lowersCount ? Math.min(1, sync.count) : sync.count;
  const kth = (values: number[]) => [...values].sort((a, b) => a - b)[needed - 1] ?? Infinity;
  const named = { minMs: kth(candidates.map((x) => x.minMs)), maxMs: kth(candidates.map((x) => x.maxMs)) };
  if (sync.strict && sync.managed && sync.whenNone === "any-standby") {
    return { minMs: Math.min(...windows.map((x) => x.minMs)), maxMs: Math.min(...windows.map((x) => x.maxMs)) };
  }
  if (sync.strict && sync.managed) return { minMs: Math.max(loopMs, named.minMs), maxMs: Math.max(loopMs, named.maxMs) };
  if (sync.strict) return named;
  return { minMs: Math.min(sync.degradeAfterMs, named.minMs), maxMs: Math.min(sync.degradeAfterMs, named.maxMs) };
}

function syncBasis(sync: PromotedSync, loopMs: number, how: Restream): string {
  const restream = restreamBasis(how);
  if (!sync.strict) return `commits wait for a synchronous standby until ${restream}, or ${sec(sync.degradeAfterMs)} before falling back to asynchronous`;
  if (!sync.managed) return `strict synchronous commit waits until ${restream}`;
  if (sync.whenNone === "any-standby") return `strict synchronous commit waits until ${restream}; any streaming standby acknowledges ('*')`;
  return `strict synchronous commit waits until ${restream} and the new leader's HA loop (every ${sec(loopMs)}) names one`;
}

/** A promotion candidate's apply rate from `fromMs` of the run on (a `slow` fault changes it, and its end restores it). */
export interface ApplyRate {
  fromMs: number;
  applyRate: number;
}

/**
 * A promotion candidate's replay backlog: the leader writes `writeRate` writes/s until it fails at `failureMs`;
 * the candidate applies each at the rate in force (`rates`, in time order, the first from 0), so whenever it
 * applies slower its backlog grows at the difference, and after the failure it replays what it received.
 */
export interface ReplayBacklog {
  writeRate: number;
  rates: ApplyRate[];
  failureMs: number;
}

/**
 * How long after the failure the candidate has replayed what it received (Infinity: never, at a rate of 0), and
 * what it was behind by then: its backlog grows at (writeRate − applyRate) while the leader writes, shrinks at
 * the rate's surplus, and after the failure drains at the rates then in force (a slow fault that ends later
 * speeds it up again), as the engine times each write's replay.
 */
export function replayBehind(backlog: ReplayBacklog): { behindMs: number; writes: number; applyRate: number } {
  const { writeRate, rates, failureMs } = backlog;
  const at = (i: number) => Math.max(0, rates[i].fromMs);
  const until = (i: number) => (i + 1 < rates.length ? at(i + 1) : Infinity);
  let writes = 0;
  let i = 0;
  for (; i < rates.length && at(i) < failureMs; i++) {
    const spanMs = Math.min(until(i), failureMs) - at(i);
    writes = Math.max(0, writes + ((writeRate - rates[i].applyRate) * spanMs) / 1000);
  }
  const start = Math.max(0, i - 1);
  const applyRate = rates[start]?.applyRate ?? 0;
  let left = writes;
  for (let j = start; j < rates.length && left > 0; j++) {
    const from = Math.max(failureMs, at(j));
    const rate = rates[j].applyRate;
    const spanMs = until(j) - from;
    if (rate > 0 && (left * 1000) / rate <= spanMs) return { behindMs: from - failureMs + (left * 1000) / rate, writes, applyRate };
    if (rate > 0) left -= (rate * spanMs) / 1000;
  }
  return { behindMs: left > 0 ? Infinity : 0, writes, applyRate };
}

/**
 * How long a promotion can wait for its candidate to replay what it received (replayBehind), given that it kept
 * replaying during the failover's first phases (`headStartMs`, their shortest). Null when it keeps up, and when
 * it replays nothing at all (a rate of 0: the engine's promotion then waits for nothing it could replay).
 */
export function replayWaitRange(backlog: ReplayBacklog, headStartMs: number): (Range & { basis: string }) | null {
  const { behindMs, applyRate } = replayBehind(backlog);
  if (!(behindMs > 0 && Number.isFinite(behindMs))) return null;
  const slowed = backlog.rates.length > 1 ? " (as the scenario's slow faults set it)" : "";
  return {
    minMs: 0,
    maxMs: Math.max(0, behindMs - headStartMs),
    basis: `a candidate applying ${applyRate} writes/s when the leader fails${slowed} is ${sec(behindMs)} of replay behind the ${backlog.writeRate} writes/s by then (${sec(backlog.failureMs)}); promotion waits until it has replayed that`,
  };
}

/**
 * Promotions that fail (the `promote_fails` fault): each takes its own time, then the next election runs
 * `electionMs` later. When no other candidate is left, the failed ones are tried again a retry later (the next
 * HA loop), and a promotion that failed once then succeeds.
 */
export interface FailedPromotions {
  /** Candidates that may be elected and whose promotion fails, at most (each fails once). */
  count: number;
  /** At least this many fail whoever wins (every possible winner fails). */
  certain: number;
  /** How long the election waits before trying failed candidates again. */
  retryMs: Range;
  /** How many times it waits so: at least, and at most. */
  retries: Range;
}

export function failedPromotionRange(failed: FailedPromotions, failover: FailoverTiming): (Range & { basis: string }) | null {
  if (failed.count === 0) return null;
  const attemptMs = failover.electionMs + failover.promotionMs;
  const { retryMs, retries } = failed;
  const again = retries.maxMs > 0 ? `; with no other candidate left, a failed one is tried again ${sec(retryMs.maxMs)} later` : "";
  return {
    minMs: failed.certain * attemptMs + retries.minMs * retryMs.minMs,
    maxMs: failed.count * attemptMs + retries.maxMs * retryMs.maxMs,
    basis: `up to ${failed.count} failed promotion${failed.count === 1 ? "" : "s"}, each followed by another election (${sec(failover.electionMs)}) and promotion (${sec(failover.promotionMs)})${again}`,
  };
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

export interface BudgetOptions {
  /** The clients that must reconnect, when a workload is known. */
  clients?: number;
  /** The synchronous rule the new leader's commits wait for; left out for commits that do not wait (commit off or local). */
  sync?: PromotedSync;
  /** The slowest promotion candidate's backlog, when the write rate is known. */
  backlog?: ReplayBacklog;
  /** Promotions that fail before one succeeds (a scenario's promote_fails faults). */
  failed?: FailedPromotions;
  /** Whose delay a DNS endpoint's phase counts (DnsDelay); "ttl" when left out. */
  dns?: DnsDelay;
}

/**
 * The failover budget, phase by phase, from the failover settings (plus the
 * clients that must reconnect, the synchronous rule and the replay backlog,
 * when they are known).
 */
export function failoverBudget(failover: FailoverTiming, options: BudgetOptions = {}): FailoverBudget {
  const phases: Phase[] = [];
  phases.push({ phase: "detect", ...detectPhaseRange(failover.detection) });
  if (failover.mode === "manual") {
    phases.push({ phase: "operator", minMs: failover.operatorDelayMs, maxMs: failover.operatorDelayMs, basis: `manual failover: an operator acts after ${sec(failover.operatorDelayMs)}` });
  }
  phases.push({ phase: "fence", ...fencingRange(failover) });
  phases.push({ phase: "elect", minMs: failover.electionMs, maxMs: failover.electionMs, basis: `election by ${failover.election}` });
  const replay = options.backlog && replayWaitRange(options.backlog, total(phases, "minMs"));
  if (replay) phases.push({ phase: "replay", ...replay });
  const retry = options.failed && failedPromotionRange(options.failed, failover);
  if (retry) phases.push({ phase: "retry", ...retry });
  phases.push({ phase: "promote", minMs: failover.promotionMs, maxMs: failover.promotionMs, basis: "promotion: replay the remaining WAL and open for writes" });
  phases.push({ phase: "endpoint", ...endpointPhaseRange(failover.endpoint, options.dns) });
  phases.push({ phase: "reconnect", minMs: 0, maxMs: failover.reconnect.maxMs, basis: `client backoff from ${sec(failover.reconnect.backoffMs)} capped at ${sec(failover.reconnect.maxMs)}, ${failover.reconnect.jitter} jitter` });
  if (options.clients !== undefined && failover.acceptRate > 0) {
    const stormMs = (options.clients / failover.acceptRate) * 1000;
    phases.push({ phase: "storm", minMs: 0, maxMs: stormMs, basis: `${options.clients} clients reconnecting at ${failover.acceptRate} connections/s` });
  }
  const keyToPromoted = { minMs: failover.promotionMs + (replay?.minMs ?? 0), maxMs: failover.promotionMs + (replay?.maxMs ?? 0) };
  const sync = options.sync && syncAfterPromotionRange(options.sync, renewalPeriodMs(failover.detection), keyToPromoted, failover.restream);
  if (sync) phases.push({ phase: "sync", minMs: sync.minMs, maxMs: sync.maxMs, basis: sync.basis, alongside: true });
  const budget: FailoverBudget = { phases, minMs: total(phases, "minMs"), maxMs: total(phases, "maxMs") };
  return sync?.stranded ? { ...budget, stranded: sync.stranded } : budget;
}

/** The phases one after another up to the promotion, then the longer of the clients' path and the phases alongside it. */
function total(phases: Phase[], end: "minMs" | "maxMs"): number {
  const afterPromotion: PhaseName[] = ["endpoint", "reconnect", "storm"];
  const before = sum(phases.filter((p) => !p.alongside && !afterPromotion.includes(p.phase)).map((p) => p[end]));
  const clients = sum(phases.filter((p) => afterPromotion.includes(p.phase)).map((p) => p[end]));
  return before + Math.max(clients, ...phases.filter((p) => p.alongside).map((p) => p[end]));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** A phase's duration as the budget words it (seconds up to two minutes). */
export function sec(ms: number): string {
  return formatDuration(ms, { style: "timing" });
}
const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
