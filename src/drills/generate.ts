// Generated drills: quorum and RTO-budget questions with random parameters,
// so practice never runs out. The parameters come from a seed (the same seed
// gives the same question, so `drill gen-quorum-staleness:7 --answer ...`
// grades the question `--show` printed), and the right answer comes from the
// project's own calculators — the quorum module and the failover timing model
// the engine uses — never from a table typed into the drill.
import { Rng } from "../base/rng.js";
import { failoverBudget, patroniRuns, PATRONI_FLOORS_MS, PATRONI_FLOORS_SINCE, PATRONI_LAST_UNFLOORED, sec } from "../base/failover-timing.js";
import type { ResolvedFailover } from "../model/types.js";
import { atDown, isStrong } from "../quorum/availability.js";
import { formatFraction, staleProbability } from "../quorum/staleness.js";
import { formatNumber } from "./exact.js";
import type { Drill, DrillOf } from "./types.js";

export type Concrete = DrillOf<"multiple"> | DrillOf<"numeric">;

export interface GeneratedInstance {
  base: DrillOf<"generated">;
  seed: number;
  /** The question as an ordinary exact drill, graded like one. */
  drill: Concrete;
  params: Record<string, unknown>;
}

export const MAX_SEED = 4_294_967_295;

/** A fresh seed when the user did not give one (the one place randomness enters). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

export function instantiate(base: DrillOf<"generated">, seed: number): GeneratedInstance {
  const rng = new Rng(seed);
  const shell = { id: `${base.id}:${seed}`, title: base.title, topic: base.topic, origin: base.origin, follow_ups: base.follow_ups, note: base.note };
  switch (base.generator) {
    case "quorum-availability":
      return { base, seed, ...quorumAvailability(rng, shell) };
    case "quorum-staleness":
      return { base, seed, ...quorumStaleness(rng, shell) };
    case "rto-budget":
      return { base, seed, ...rtoBudget(rng, shell) };
  }
}

type Shell = Pick<Drill, "id" | "title" | "topic" | "origin" | "follow_ups" | "note">;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];

function quorumAvailability(rng: Rng, shell: Shell): { drill: Concrete; params: Record<string, unknown> } {
  const n = pick(rng, [3, 5, 5, 7]);
  const r = 1 + rng.int(n);
  const w = 1 + rng.int(n);
  const down = 1 + rng.int(n - 1);
  const sloppy = rng.next() < 0.3;
  const cluster = sloppy ? n + 3 : null;
  const state = atDown({ n, r, w, sloppy, cluster }, down);
  const strong = isStrong({ n, r, w });
  const options = [
    { text: "Writes succeed", correct: state.writes.available, why: `a write needs ${w} acks; ${state.writes.reachable} node${state.writes.reachable === 1 ? "" : "s"} can take it${state.writes.standIns > 0 ? ` (${state.writes.standIns} stand-in${state.writes.standIns === 1 ? "" : "s"} with hints)` : ""}` },
    { text: "Reads succeed", correct: state.reads.available, why: `a read needs ${r} replies; ${state.reads.reachable} node${state.reads.reachable === 1 ? "" : "s"} can answer${state.reads.standIns > 0 ? ` (${state.reads.standIns} stand-in${state.reads.standIns === 1 ? "" : "s"}, which lack writes from before the failure)` : ""}` },
    { text: "R + W > N holds", correct: strong, why: `${r} + ${w} = ${r + w} ${strong ? ">" : "<="} ${n}` },
    { text: "A read that completes now is guaranteed to return the latest acknowledged write", correct: state.strongReads, why: state.strongReads ? state.reads.standIns > 0 ? `reads are available and R + W = ${r + w} > N + S = ${n + state.reads.standIns} (S = ${state.reads.standIns} stand-in${state.reads.standIns === 1 ? "" : "s"}): every read still meets every write's acks` : "the quorums overlap and reads are available" : !strong ? "R + W <= N: a read quorum can miss the write quorum entirely" : !state.reads.available ? "no read completes at all" : `with ${state.reads.standIns} stand-in${state.reads.standIns === 1 ? "" : "s"} in play a read's ${r} replies and a write's ${w} acks need not meet (R + W = ${r + w} <= N + S = ${n + state.reads.standIns}): stand-ins lack earlier writes, and returning replicas lack the writes held as hints until they are replayed` },
  ];
  const mode = sloppy ? `sloppy quorum with hinted handoff on a ring of ${cluster} nodes` : "strict quorum";
  const drill: DrillOf<"multiple"> = {
    ...shell,
    kind: "multiple",
    prompt: `A Dynamo-style store keeps N=${n} replicas of each key, writes wait for W=${w} acks and reads for R=${r} replies (${mode}). ${down} of a key's ${n} replicas are down. Which statements hold? (Select all that apply.)`,
    options,
    model_answer: options.map((o) => `${o.correct ? "✓" : "✗"} ${o.text}: ${o.why}.`).join("\n"),
  };
  return { drill, params: { n, r, w, down, sloppy, cluster } };
}

function quorumStaleness(rng: Rng, shell: Shell): { drill: Concrete; params: Record<string, unknown> } {
  const n = 3 + rng.int(5);
  const w = 1 + rng.int(n);
  // Mostly partial quorums (where the answer is not 0), sometimes an overlapping one to keep the user honest.
  const overlap = rng.next() < 0.2;
  const r = overlap ? Math.min(n, n - w + 1 + rng.int(w)) : 1 + rng.int(Math.max(1, n - w));
  const p = staleProbability(n, Math.min(r, n), w);
  const drill: DrillOf<"numeric"> = {
    ...shell,
    kind: "numeric",
    prompt: `N=${n}, W=${w}, R=${r}. A write was acknowledged by exactly W replicas and has reached no other yet; a read then asks R replicas chosen at random. What is the probability that the read misses the write (reads no replica that has it)? Answer as a fraction between 0 and 1 (two decimals are enough).`,
    answer: p.value,
    tolerance: { absolute: 0.01 },
    model_answer: `C(N−W, R) / C(N, R) = C(${n - w}, ${r}) / C(${n}, ${r}) = ${formatFraction(p)} ≈ ${formatNumber(p.value)}. ${r + w > n ? `R + W = ${r + w} > ${n}: every read quorum overlaps every write quorum, so it is exactly 0.` : `R + W = ${r + w} <= ${n}: the quorums need not overlap, so a read can be stale until anti-entropy or read repair spreads the write.`}`,
  };
  return { drill, params: { n, r, w } };
}

function randomFailover(rng: Rng): ResolvedFailover {
  const lease = rng.next() < 0.6;
  const ttlMs = pick(rng, [10_000, 20_000, 30_000]);
  const loopWaitMs = pick(rng, [1_000, 2_000, 5_000, 10_000].filter((l) => l * 2 <= ttlMs));
  const fencing = pick(rng, ["stonith", "lease"] as const);
  const dns = rng.next() < 0.5;
  return {
    mode: "automatic",
    operatorDelayMs: 0,
    detection: lease ? { kind: "lease", ttlMs, loopWaitMs, retryTimeoutMs: Math.floor((ttlMs - loopWaitMs) / 2) } : { kind: "heartbeat", intervalMs: pick(rng, [500, 1_000, 2_000]), misses: 3 + rng.int(3) },
    coordinator: [],
    fencing,
    fencingMs: fencing === "stonith" ? pick(rng, [1_000, 2_000, 5_000]) : 0,
    election: "highest-lsn",
    electionMs: 200,
    maximumLagBytes: 1_048_576,
    laggingCandidates: "wait",
    promotionMs: pick(rng, [1_000, 2_000, 3_000, 5_000]),
    endpoint: dns ? { kind: "dns", ttlMs: pick(rng, [5_000, 30_000, 60_000]), staleShare: 0, staleForMs: 0 } : { kind: "proxy", checkIntervalMs: pick(rng, [1_000, 2_000, 3_000]), checkTimeoutMs: 1_000, rise: 2 + rng.int(2), fall: 3 },
    reconnect: { backoffMs: 100, maxMs: pick(rng, [2_000, 5_000, 10_000]), jitter: "full" },
    acceptRate: 500,
    restream: { kind: "patroni" },
  };
}

function describeFailover(f: ResolvedFailover): string {
  const d = f.detection.kind === "lease" ? `leader lease ttl ${sec(f.detection.ttlMs)}, renewed every ${sec(f.detection.loopWaitMs)} (loop_wait)` : `heartbeats every ${sec(f.detection.intervalMs)}, failure declared after ${f.detection.misses} misses`;
  const fence = f.fencing === "stonith" ? `STONITH fencing taking ${sec(f.fencingMs)}` : "lease fencing (the expired lease is the fence, no extra time)";
  const e = f.endpoint.kind === "dns" ? `a DNS record with a ${sec(f.endpoint.ttlMs)} TTL` : `a proxy health-checking every ${sec(f.endpoint.checkIntervalMs)} (timeout ${sec(f.endpoint.checkTimeoutMs)}), ${f.endpoint.rise} passes to mark the new leader up`;
  return `Detection: ${d}. ${fence}. Election ${sec(f.electionMs)}. Promotion ${sec(f.promotionMs)}. Endpoint: ${e}. Clients reconnect with exponential backoff from ${sec(f.reconnect.backoffMs)}, capped at ${sec(f.reconnect.maxMs)}, full jitter.`;
}

/**
 * What Patroni 3.2 and later make of the lease, when it changes the answer: they raise a ttl under 20 s (and a
 * loop_wait under 1 s, a retry_timeout under 3 s) when they load it, so a budget built on a shorter lease is the
 * budget of an older release. Null when the lease is a heartbeat or the answer is the same.
 */
function onCurrentPatroni(failover: ResolvedFailover, worst: boolean, answer: number): string | null {
  const d = failover.detection;
  if (d.kind !== "lease") return null;
  const runs = patroniRuns(d.ttlMs, d.loopWaitMs, d.retryTimeoutMs);
  const current = failoverBudget({ ...failover, detection: { kind: "lease", ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs } });
  const then = (worst ? current.maxMs : current.minMs) / 1000;
  if (then === answer) return null;
  return `Patroni ${PATRONI_FLOORS_SINCE} and later raise a ttl under ${sec(PATRONI_FLOORS_MS.ttlMs)} to ${sec(PATRONI_FLOORS_MS.ttlMs)} when they load it: there this lease runs as ttl ${sec(runs.ttlMs)}, loop_wait ${sec(runs.loopWaitMs)}, and the ${worst ? "worst" : "best"} case is ${formatNumber(then)} s.`;
}

function rtoBudget(rng: Rng, shell: Shell): { drill: Concrete; params: Record<string, unknown> } {
  const failover = randomFailover(rng);
  const worst = rng.next() < 0.7;
  const budget = failoverBudget(failover);
  const answer = (worst ? budget.maxMs : budget.minMs) / 1000;
  const table = budget.phases.map((p) => `  ${p.phase.padEnd(9)} ${sec(worst ? p.maxMs : p.minMs).padStart(6)}  ${p.basis}`).join("\n");
  const floored = onCurrentPatroni(failover, worst, answer);
  const drill: DrillOf<"numeric"> = {
    ...shell,
    kind: "numeric",
    prompt: `Failover settings: ${describeFailover(failover)}${floored ? ` The lease runs as written, as Patroni ${PATRONI_LAST_UNFLOORED} and earlier run it.` : ""}\nWhat is the ${worst ? "worst-case" : "best-case"} time from the leader's crash until a client is back on the new leader (the ${worst ? "upper" : "lower"} end of the RTO budget), in seconds?`,
    answer,
    tolerance: { absolute: Math.max(0.5, answer * 0.05) },
    unit: "s",
    model_answer: `${worst ? "Worst" : "Best"} case ${formatNumber(answer)} s, phase by phase (the timing model the engine uses):\n${table}${floored ? `\n${floored}` : ""}`,
  };
  return { drill, params: { failover, case: worst ? "worst" : "best" } };
}
