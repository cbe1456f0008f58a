// Reads and observation: which replica serves a read, lag sampling and alerts,
// and the final states the history and oracles read.
import { EV } from "../core.js";
import { keepSmallest } from "../../base/order.js";
import type { BlockedInterval, HistorySource, NodeFinalState, WriterInterval } from "../history.js";
import { LeaderFollowerState } from "./state.js";
import type { FallingBehindReads } from "./events.js";
import { heldLsn, leads } from "./settled.js";
import { syncCandidates, minimumStandbys } from "./sync-set.js";
import { answersReads } from "./read-pool.js";
import { lagMsOf, timeBehind } from "./lag.js";
import type { LagBudget } from "../../model/types.js";

/**
 * The node a replica read is sent to, for a session whose last write is (epoch, lsn); −1: use the leader. Among
 * the nodes the proxy lists in the read's pool (read-pool.ts), one that answers queries is checked at the read
 * when recent enough is the application's call (a session; a staleness budget behind DNS, where no proxy checks
 * it); behind a proxy a budget is the pool's check, so a replica still listed serves the read however far behind
 * it has fallen since. One that stopped answering is taken as the proxy would, and the read sent to it fails.
 */
export function pickReplica(s: LeaderFollowerState, client: number, routing: "session" | "any" | "max_lag", budget: LagBudget, atMs: number): number {
  const core = s.core;
  const place = core.clientPlace[client];
  const leader = s.official;
  const leaderEpoch = s.nodeEpoch[leader];
  // A session whose last write is on another timeline can only be served by the leader.
  if (routing === "session" && core.sessionEpoch[client] !== leaderEpoch) return -1;
  // Prefer a replica in the client's zone, then its region (a router does not cross regions for reads it can serve locally).
  const net = core.network;
  const nodeCount = s.nodes.length;
  let count = 0;
  let chosen = -1;
  let bestDistance = 3;
  const pools = s.readPools;
  const pool = pools.poolOf(routing, budget);
  const checkedHere = routing === "session" || (routing === "max_lag" && !pools.checked);
  for (let r = 0; r < nodeCount; r++) {
    const distance = net.distance[place * nodeCount + r];
    if (distance > bestDistance || !net.reachable(place, r) || !pools.lists(pool, r)) continue;
    if (!answersReads(s, r)) {
      // Unchecked (DNS): not sent there. Still listed by a proxy: it sends it reads, which fail.
      if (!pools.checked) continue;
    } else if (checkedHere) {
      const stream = s.streams[r];
      if (s.role[r] !== "replica" || s.following[r] !== leader || stream.epoch !== leaderEpoch) continue;
      const needed = routing === "session" ? core.sessionLsn[client] : s.lsn[leader] - budget.bytes;
      if (stream.applyLsn < needed && stream.position(atMs, "apply") < needed) continue;
      if (routing === "max_lag" && budget.ms < Infinity && lagMsOf(s, r, atMs) > budget.ms) continue;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      count = 0;
    }
    count++;
    if (core.rng.int(count) === 0) chosen = r;
  }
  if (chosen >= 0 && !answersReads(s, chosen)) pools.readFailed(pool, chosen, atMs);
  else if (chosen >= 0 && routing === "max_lag" && !checkedHere) pools.readServed(pool, chosen, atMs, behindBy(s, chosen, atMs) > budget.bytes || lagMsOf(s, chosen, atMs) > budget.ms);
  return chosen;
}

/** How far `node`'s replay is behind the leader's latest write at `atMs`, bytes (what a budget bounds). */
function behindBy(s: LeaderFollowerState, node: number, atMs: number): number {
  const leader = s.official;
  if (node === leader) return 0;
  const stream = s.streams[node];
  if (s.role[leader] !== "leader" || stream.epoch !== s.nodeEpoch[leader]) return Infinity;
  return bytesBehind(s, leader, stream.position(atMs, "apply"));
}

/** Replay lag in bytes: the leader's latest write less what a replica has applied (never below 0). */
function bytesBehind(s: LeaderFollowerState, leader: number, applied: number): number {
  return Math.max(0, s.lsn[leader] - applied);
}

/**
 * Raft's ReadIndex (etcd's linearizable read, its default): the node serving the read must be the leader of
 * the current term, and it confirms that with a round of heartbeats before it answers. The round ends when a
 * majority of the members (the leader counts itself) has answered: the leader's k-th fastest round trip to
 * the other members, k = ⌊N/2⌋. A node that is not that leader (a deposed leader, or one still waiting out
 * its lease) or that reaches too few members cannot answer: NaN. Without this, a leader cut off in a
 * minority would go on serving reads that miss what the majority side commits.
 */
export function readIndexMs(s: LeaderFollowerState, node: number, now: number): number {
  const core = s.core;
  if (node !== s.official || s.role[node] !== "leader" || core.alive[node] !== 1) return NaN;
  const k = Math.floor(s.nodes.length / 2);
  if (k === 0) return 0;
  const best = s.readScratch;
  for (let j = 0; j < k; j++) best[j] = Infinity;
  const net = core.network;
  for (let r = 0; r < s.nodes.length; r++) {
    // A member still restarting after a crash answers no heartbeat.
    if (r === node || core.alive[r] !== 1 || now < s.memberUpAtMs[r] || !net.reachable(node, r)) continue;
    keepSmallest(best, k, net.latency(node, r) + net.latency(r, node));
  }
  return best[k - 1] === Infinity ? NaN : best[k - 1];
}

/** Whether the latest acknowledged write (epoch, lsn) is visible on `node` at `atMs`. */
export function visible(s: LeaderFollowerState, node: number, epoch: number, lsn: number, atMs: number): boolean {
  if (node === s.official && s.role[node] === "leader" && epoch === s.nodeEpoch[node]) return lsn <= s.lsn[node];
  const own = s.role[node] === "leader" ? s.nodeEpoch[node] : s.streams[node].epoch;
  const applied = s.role[node] === "leader" ? s.lsn[node] : s.streams[node].position(atMs, "apply");
  return lsn <= applied && s.core.epochs.contains(own, epoch, lsn);
}


/** Replica r's lag behind `leader` at `now` (bytes and time behind), recorded as a sample of the lag series. */
function recordLagOf(s: LeaderFollowerState, r: number, leader: number, now: number): { lagBytes: number; lagMs: number } {
  const stream = s.streams[r];
  const applied = stream.position(now, "apply");
  const lagBytes = bytesBehind(s, leader, applied);
  const lagMs = timeBehind(s, leader, stream.oldestUnappliedMs(now), applied, now);
  s.core.recordLag(now, s.nodes[r].name, lagBytes, lagMs);
  return { lagBytes, lagMs };
}

/**
 * A lag sample of the moments that matter most, between the once-a-second samples: every replica of the
 * leader just before it fails (what a promotion will lack), or one replica as it starts to catch up (its
 * backlog). No alert is judged from it: alerts follow the regular samples.
 */
export function lagAtMoment(s: LeaderFollowerState, now: number, only = -1): void {
  const core = s.core;
  const leader = s.official;
  if (now > core.endMs || s.role[leader] !== "leader" || core.alive[leader] !== 1) return;
  for (let r = 0; r < s.nodes.length; r++) {
    if ((only >= 0 && r !== only) || r === leader || core.alive[r] !== 1 || s.following[r] !== leader || s.streams[r].epoch !== s.nodeEpoch[leader]) continue;
    recordLagOf(s, r, leader, now);
  }
}

/** What a replica falling ever further behind does to the classes' replica reads (see FallingBehindReads). */
export function fallingBehindReads(routing: readonly ("session" | "any" | "max_lag" | null)[]): FallingBehindReads {
  const bounded = routing.some((r) => r === "session" || r === "max_lag");
  const unbounded = routing.some((r) => r === "any");
  return bounded && unbounded ? "both" : bounded ? "bounded" : unbounded ? "unbounded" : "none";
}

export function lagSample(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  if (now > core.endMs) return;
  core.queue.push(now + 1000, EV.LAG_SAMPLE);
  const leader = s.official;
  if (s.role[leader] !== "leader" || core.alive[leader] !== 1) return;
  const commitRate = core.recentWriteRate(now);
  for (let r = 0; r < s.nodes.length; r++) {
    if (r === leader || core.alive[r] !== 1 || s.role[r] !== "replica" || s.following[r] !== leader) continue;
    if (s.streams[r].epoch !== s.nodeEpoch[leader]) continue;
    const { lagBytes, lagMs } = recordLagOf(s, r, leader, now);
    const name = s.nodes[r].name;
    // An alert fires only when two consecutive samples agree (an alerting rule's `for:`), so a replica that
    // replays a few old writes in milliseconds after a reconnect does not page anybody.
    const measured = lagMs >= 30_000 ? 2 : lagMs >= 5_000 ? 1 : 0;
    const level = Math.min(measured, s.lagLevelBefore[r]);
    s.lagLevelBefore[r] = measured;
    if (level > s.lagAlert[r]) {
      core.note(now, name, { event: level === 2 ? "lag-page" : "lag-warning", lagMs, lagBytes });
    } else if (level === 0 && s.lagAlert[r] > 0) {
      core.note(now, name, { event: "lag-recovered" });
    }
    s.lagAlert[r] = level;
    s.lagRising[r] = lagBytes > s.lastLagBytes[r] ? s.lagRising[r] + 1 : 0;
    s.lastLagBytes[r] = lagBytes;
    if (!s.fallingBehindReported[r] && s.lagRising[r] >= 10 && s.applyRate[r] < commitRate) {
      s.fallingBehindReported[r] = 1;
      core.note(now, name, { event: "falling-behind", applyRate: s.applyRate[r], commitRate, reads: fallingBehindReads(core.readRouting) });
    }
  }
}

export function finalStates(s: LeaderFollowerState): NodeFinalState[] {
  const leader = s.official;
  return s.nodes.map((node, n) => ({
    name: node.name,
    alive: s.core.alive[n] === 1,
    role: s.role[n],
    following: s.following[n],
    streaming: n !== leader && s.following[n] === leader && s.streaming(n, leader),
    lostForGood: s.core.lostForGood[n] === 1,
    holds: leads(s, n) ? { epoch: s.nodeEpoch[n], lsn: s.lsn[n] } : { epoch: s.streams[n].epoch, lsn: s.streams[n].highestLsn() },
  }));
}

export function finalEpoch(s: LeaderFollowerState): number {
  return s.nodeEpoch[s.official];
}

export function syncSatisfied(s: LeaderFollowerState): boolean | null {
  if (s.sync === null || !s.sync.strict) return null;
  if (!s.sync.lowersCount) return s.syncSet.length >= s.sync.count;
  // A lowered count is met when the leader names as many standbys as were asked for, or every eligible one alive.
  const core = s.core;
  const eligible = syncCandidates(s).filter((r) => core.alive[r] === 1 && s.role[r] === "replica").length;
  const named = s.ruleWildcard ? 0 : s.syncSet.length;
  return named >= Math.max(minimumStandbys(s.sync), Math.min(s.sync.count, eligible));
}

// -------------------------------------------------------------------------
// History for the checkers (HistorySource)

export function writerIntervals(s: LeaderFollowerState, endMs: number): WriterInterval[] {
  const open: WriterInterval[] = [];
  for (let n = 0; n < s.nodes.length; n++) {
    const since = s.writerSinceMs[n];
    if (!Number.isNaN(since)) open.push({ node: n, epoch: s.nodeEpoch[n], fromMs: since, toMs: endMs, acksWithoutStandbys: s.acksWithoutStandbys() });
  }
  return [...s.writerLog, ...open];
}

export function blockedIntervals(s: LeaderFollowerState, endMs: number): BlockedInterval[] {
  return Number.isNaN(s.blockedSinceMs) ? [...s.blockedLog] : [...s.blockedLog, { node: s.official, fromMs: s.blockedSinceMs, toMs: endMs }];
}

/** An acknowledged write survived when it is in the history of the final timeline. */
export function survived(s: LeaderFollowerState, id: number): boolean {
  const log = s.core.log;
  const i = id & log.mask;
  if (!s.core.epochs.contains(s.nodeEpoch[s.official], log.epoch[i], log.lsn[i])) return false;
  // On the final timeline, and on a disk that still exists: a leader gone for good with its region, and no
  // failover, leaves what no other node received on no disk at all.
  return s.core.lostForGood[s.official] !== 1 || log.lsn[i] <= heldLsn(s, log.epoch[i], s.core.endMs, true);
}

/** Nodes acting as leader right now (more than one: split brain). */
export function actingLeaders(s: LeaderFollowerState): number[] {
  const out: number[] = [];
  for (let n = 0; n < s.nodes.length; n++) if (s.role[n] === "leader" && s.core.alive[n] === 1) out.push(n);
  return out;
}
