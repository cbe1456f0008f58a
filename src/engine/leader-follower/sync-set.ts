// The synchronous standby set: which standbys may acknowledge, what the leader
// publishes to the coordinator, and strict/non-strict behaviour when too few stream.
import { EV } from "../core.js";
import { LeaderFollowerState } from "./state.js";
import { recomputePending, ruleAckTime } from "./commit.js";
import { ACK_WRITE } from "../replica-stream.js";
import type { LeaderFollowerEvent } from "./events.js";
import type { SyncSettings } from "../../model/types.js";

/** How far behind the leader (received WAL) a streaming standby may be and still be named synchronous. */
export const SYNC_NAME_MAX_LAG_BYTES = 16 * 1024 * 1024;

/**
 * The preset's system's rule for choosing the standbys a commit waits for (SyncSetPolicy), in one place.
 * "named": a failover manager names them at its HA loop and publishes them before they count (Patroni's
 * synchronous_mode), so a strict leader just promoted has none until its first loop, and a standby more than
 * SYNC_NAME_MAX_LAG_BYTES behind is not named. "whoever-acknowledges": nobody names any; a commit waits for the
 * count of acknowledgements from whichever candidates replicate from the leader, however far behind (MongoDB's
 * w: "majority" commits once a majority of the members have the write; a MySQL semi-sync source takes the ack of
 * any semi-sync replica), so a new leader's commits wait only for its members to start replicating from it.
 */
export function awaitsNamedStandby(sync: SyncSettings): boolean {
  return sync.strict && sync.managed && sync.setPolicy === "named";
}

/** Whether a standby that streams from the leader can acknowledge its commits only once it is close enough behind to be named. */
function namingLagLimited(sync: SyncSettings): boolean {
  return sync.setPolicy === "named";
}

export function syncCandidates(s: LeaderFollowerState): number[] {
  const leader = s.official;
  // Every other member of a consensus group counts towards its majority, whoever leads.
  if (s.core.topology.replication.mode === "consensus") return s.nodes.map((_, r) => r).filter((r) => r !== leader);
  const listed = s.syncNames.filter((r) => r >= 0 && r !== leader);
  if (!s.sync?.managed) return listed;
  const extra: number[] = [];
  for (let r = 0; r < s.nodes.length; r++) if (r !== leader && !s.nodes[r].nosync && !listed.includes(r)) extra.push(r);
  return [...listed, ...extra];
}

/**
 * How many standbys the commit rule waits for when `streaming` proper candidates stream. A count the failover
 * manager lowers (Patroni's synchronous_node_count is "up to": it writes FIRST len(picked) (picked...), or ANY
 * min(k, active) in quorum mode) follows the standbys it has; otherwise FIRST/ANY k waits for k, as PostgreSQL does.
 */
export function requiredStandbys(sync: SyncSettings, streaming: number): number {
  return sync.lowersCount ? Math.min(sync.count, streaming) : sync.count;
}

/**
 * The fewest proper candidates streaming with which the leader stays synchronous. A lowered count goes down to
 * one (Patroni's minimum, synchronous_mode_strict or not): below it, strict mode blocks and non-strict goes
 * asynchronous, as Patroni does only when no standby it may name streams at all.
 */
export function minimumStandbys(sync: SyncSettings): number {
  return sync.lowersCount ? Math.min(1, sync.count) : sync.count;
}

/** Patroni-style: pick the synchronous standbys among those streaming; degrade (non-strict) when too few. */
export function updateSyncSet(s: LeaderFollowerState, now: number, announce: boolean): void {
  if (!s.sync) return;
  const leader = s.official;
  if (keepsSetWithoutCoordinator(s, leader, now)) return;
  // Measured before the rule changes: when the one in force stopped being able to acknowledge.
  const stoppedMs = commitsStoppedMs(s, leader, now);
  s.candidateCache = syncCandidates(s);
  const connected = s.candidateCache.filter((r) => namable(s, r, leader, now));
  const before = s.syncSet.join(",");
  const countBefore = s.ruleWildcard || s.degraded ? NaN : s.ruleCount;
  const required = requiredStandbys(s.sync, connected.length);
  s.syncSet = s.sync.method === "first" ? connected.slice(0, required) : connected;
  const wildcard = chooseCommitRule(s, leader, connected, required);
  const enough = wildcard ? s.syncSet.length >= 1 : connected.length >= minimumStandbys(s.sync);
  if (!enough && !s.degraded) tooFewStandbys(s, now, announce, connected.length, stoppedMs);
  else if (enough) enoughStandbys(s, now, announce);
  // A standby gone silent but still listed (stillListed) keeps the rule whole on paper only: it no longer acknowledges.
  if (enough && !wildcard && connected.every((r) => s.streaming(r, leader))) {
    s.satisfiedMs = now;
    s.satisfiedLeader = leader;
  }
  publishSyncSet(s, leader, wildcard, enough, connected);
  // FIRST: a new set of standbys; ANY: a count lowered or raised (the quorum's members are every candidate streaming).
  const renamed = s.sync.method === "first" ? s.syncSet.join(",") !== before : !wildcard && s.sync.lowersCount && !Number.isNaN(countBefore) && required !== countBefore;
  if (announce && renamed && enough && before !== "") {
    const lowered = !wildcard && required < s.sync.count ? { required, configured: s.sync.count } : {};
    s.core.note(now, s.nodes[leader].name, { event: "sync-standby", standbys: s.syncSet.map((r) => s.nodes[r].name), ...(s.sync.method === "any" ? { quorum: required } : {}), ...lowered });
  }
  recomputePending(s, now);
}

/**
 * Whether replica r streams from the leader and may acknowledge its commits: close enough behind it to be named a
 * synchronous standby, where standbys are named (see awaitsNamedStandby).
 */
function namable(s: LeaderFollowerState, r: number, leader: number, now: number): boolean {
  if (s.following[r] !== leader) return false;
  // Still listed, silent: the leader keeps it (Patroni prefers the standby it has named), however far behind it falls.
  if (!s.streaming(r, leader)) return stillListed(s, r, leader, now);
  return !namingLagLimited(s.sync!) || s.lsn[leader] - s.streams[r].position(now, "recv") <= SYNC_NAME_MAX_LAG_BYTES;
}

/**
 * Whether the leader still counts on replica r, which went silent while streaming from it: its host crashed or a
 * partition cut it off, and no connection reset told the leader. PostgreSQL's WAL sender stays in
 * pg_stat_replication until wal_sender_timeout passes without a reply, and until then a FIRST/ANY rule (and
 * Patroni, which picks from pg_stat_replication) keeps waiting for its acknowledgement; Patroni drops it sooner
 * when its member key expires, ttl after its last HA loop, because it died or lost the DCS as well. A replica
 * stopped on purpose (a rebuild) closes its connection: the leader learns at once.
 */
function stillListed(s: LeaderFollowerState, r: number, leader: number, now: number): boolean {
  return now < listedUntil(s, r, leader).untilMs;
}

/** Until when the leader keeps silent replica r listed (see stillListed; −Infinity: not at all), and what ends it. */
function listedUntil(s: LeaderFollowerState, r: number, leader: number): { untilMs: number; by: "wal-sender-timeout" | "member-key" } {
  const core = s.core;
  const timeoutMs = core.topology.derived.system.walSenderTimeoutMs;
  const lostMs = s.streamLostMs[r];
  const not = { untilMs: -Infinity, by: "wal-sender-timeout" as const };
  if (timeoutMs === null || core.topology.replication.mode !== "leader-follower" || Number.isNaN(lostMs)) return not;
  if (core.alive[leader] !== 1 || s.streams[r].epoch !== s.nodeEpoch[leader]) return not;
  const crashed = s.role[r] === "down";
  if (!crashed && !(s.role[r] === "replica" && !core.network.reachable(leader, r))) return not;
  const patroni = core.topology.derived.patroni;
  if (s.sync?.managed && patroni !== null && (crashed || !core.reachesCoordinator(r))) {
    // Its last HA loop at or before the loss refreshed the key for ttl more.
    const loopMs = core.topology.derived.detection.renewalPeriodMs;
    const phaseMs = s.memberLoopPhase[r] * loopMs;
    const lastRefreshMs = loopMs > 0 ? lostMs - ((((lostMs - phaseMs) % loopMs) + loopMs) % loopMs) : lostMs;
    const expiresMs = lastRefreshMs + patroni.ttlMs;
    if (expiresMs < lostMs + timeoutMs) return { untilMs: expiresMs, by: "member-key" };
  }
  return { untilMs: lostMs + timeoutMs, by: "wal-sender-timeout" };
}

/**
 * Standbys just went silent (a crash, a partition). Under a static list, PostgreSQL re-reads its standbys when each
 * one's WAL sender times out (scheduled here). And if the commit rule in force now waits for some of them — FIRST
 * names them, or ANY k has fewer than k others streaming — the timeline says so, and for how long at most the
 * leader keeps them listed. Nothing changes in the rule itself: updateSyncSet drops them at the HA loop after that.
 */
export function standbysWentSilent(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const leader = s.official;
  scheduleWalSenderTimeouts(s, leader, now);
  if (s.sync === null || s.ruleWildcard || s.degraded || !Number.isNaN(s.blockedSinceMs) || core.alive[leader] !== 1 || s.role[leader] !== "leader") return;
  // A leader cut off from the coordinator as well is on its way out (it demotes itself, or is fenced): that is the story.
  if (!core.reachesCoordinator(leader)) return;
  const members = s.ruleFirst ? s.syncSet : s.ruleMembers;
  const silent: number[] = [];
  let streaming = 0;
  for (const r of members) {
    if (s.following[r] !== leader) continue;
    if (s.streaming(r, leader)) streaming++;
    else if (stillListed(s, r, leader, now)) silent.push(r);
  }
  const waits = s.ruleFirst ? silent.length > 0 : silent.length > 0 && streaming < s.ruleCount;
  if (!waits) return;
  // Said already (another fault of the same instant): once is enough.
  const key = silent.map((r) => `${r}@${s.streamLostMs[r]}`).join();
  if (key === s.silentNoted) return;
  s.silentNoted = key;
  // The rule is whole again at the earliest moment one of them is dropped (the HA loop after it acts on that).
  const until = silent.map((r) => listedUntil(s, r, leader)).reduce((a, b) => (b.untilMs < a.untilMs ? b : a));
  core.note(now, s.nodes[leader].name, { event: "silent-standby", standbys: silent.map((r) => s.nodes[r].name), listedForMs: until.untilMs - now, by: until.by });
}

/**
 * A static list (no manager names the standbys): PostgreSQL itself moves on to the next standby of a FIRST list, or
 * counts the others of an ANY list, the moment the WAL sender of a silent one times out, not at anybody's loop.
 */
function scheduleWalSenderTimeouts(s: LeaderFollowerState, leader: number, now: number): void {
  if (s.sync === null || s.sync.managed) return;
  for (let r = 0; r < s.nodes.length; r++) {
    if (r === leader || s.following[r] !== leader || s.streaming(r, leader)) continue;
    const until = listedUntil(s, r, leader);
    if (until.untilMs > now && until.untilMs < Infinity) s.core.queue.push(until.untilMs, EV.WAL_SENDER_TIMEOUT, leader);
  }
}

/** A silent standby's WAL sender on `leader` timed out: the synchronous standbys are re-read now (see scheduleWalSenderTimeouts). */
export function walSenderTimedOut(s: LeaderFollowerState, leader: number, now: number): void {
  if (leader !== s.official || s.core.alive[leader] !== 1 || s.role[leader] !== "leader") return;
  updateSyncSet(s, now, true);
}

/**
 * When the commit rule in force stopped being able to acknowledge anything: the moment it lost the standby (FIRST
 * k), or the one that left fewer than k (ANY k), that it needs — a crash, a partition — which the leader learns
 * only at its next HA loop; `now` when that is not known (or the rule still has what it needs).
 */
function commitsStoppedMs(s: LeaderFollowerState, leader: number, now: number): number {
  if (s.ruleWildcard || s.degraded || s.satisfiedLeader !== leader || Number.isNaN(s.satisfiedMs)) return now;
  const members = s.ruleFirst ? s.syncSet : s.ruleMembers;
  const need = s.ruleCount;
  if (need <= 0 || members.length < need) return now;
  const lost: number[] = [];
  for (const r of members) {
    if (namable(s, r, leader, now)) continue;
    const t = s.streamLostMs[r];
    // Lost before the rule last had what it needed: it was not one of those then. NaN: it streams, but too far behind.
    lost.push(Number.isNaN(t) ? now : t < s.satisfiedMs ? -Infinity : t);
  }
  if (members.length - lost.length >= need) return now;
  lost.sort((a, b) => a - b);
  return Math.min(now, Math.max(s.satisfiedMs, lost[members.length - need]));
}

/**
 * Patroni publishes a new synchronous standby in the coordinator before it uses it (and withdraws one there
 * first): a leader that cannot reach the coordinator keeps the set it has, and its commits wait on it.
 */
function keepsSetWithoutCoordinator(s: LeaderFollowerState, leader: number, now: number): boolean {
  const core = s.core;
  if (!(core.alive[leader] === 1 && !core.reachesCoordinator(leader) && s.syncSet.length > 0)) return false;
  // Quorum commit counts acknowledgements from the standbys named in synchronous_standby_names only; one
  // that starts streaming now is not added until the coordinator has been told.
  if (!s.ruleFirst) s.ruleMembers = s.ruleMembers.filter((r) => s.syncSet.includes(r));
  recomputePending(s, now);
  return true;
}

/**
 * Sets the commit rule in force; returns whether it is the wildcard. Strict mode where a manager names the
 * standbys, with too few proper candidates, or right after a promotion before the HA loop has named one: either
 * nobody acknowledges (block) or, with '*', any one streaming standby does, nosync ones included. Where nobody
 * names standbys, the rule is always the count among the candidates, whoever of them streams.
 */
function chooseCommitRule(s: LeaderFollowerState, leader: number, connected: number[], required: number): boolean {
  const sync = s.sync!;
  const wildcard = awaitsNamedStandby(sync) && (s.awaitingSyncChoice || connected.length < minimumStandbys(sync));
  if (wildcard) {
    const streamingAny: number[] = [];
    if (sync.whenNone === "any-standby") {
      for (let r = 0; r < s.nodes.length; r++) if (r !== leader && s.following[r] === leader && s.streaming(r, leader)) streamingAny.push(r);
    }
    s.syncSet = streamingAny;
    s.ruleWildcard = true;
    s.ruleFirst = false;
    s.ruleMembers = streamingAny;
    s.ruleCount = 1;
  } else {
    s.ruleWildcard = false;
    s.ruleFirst = sync.method === "first";
    s.ruleMembers = s.candidateCache;
    s.ruleCount = required;
  }
  return wildcard;
}

/** Too few standbys: strict mode blocks commits; semi-sync commits wait out their timeout; non-strict degrades to async. */
function tooFewStandbys(s: LeaderFollowerState, now: number, announce: boolean, connected: number, stoppedMs: number): void {
  const core = s.core;
  const sync = s.sync!;
  const leader = s.nodes[s.official].name;
  if (sync.strict) {
    // A new Raft leader's voters take its first AppendEntries within a one-way trip: until then its commits wait
    // for that round, as every commit waits for its own, not for a majority to come back.
    if (core.topology.replication.mode === "consensus" && connected + firstRoundOnItsWay(s, now) >= sync.count) return;
    if (Number.isNaN(s.blockedSinceMs) && announce) {
      // Dated when commits stopped being acknowledged, not when the leader's HA loop noticed.
      s.blockedSinceMs = stoppedMs;
      const noticed = stoppedMs < now ? { noticedAfterMs: now - stoppedMs } : {};
      core.note(
        stoppedMs,
        leader,
        core.topology.replication.mode === "consensus"
          ? { event: "writes-blocked", reason: "no-majority", members: connected + 1, groupSize: s.nodes.length, majority: sync.count + 1, ...noticed }
          : connected >= minimumStandbys(sync) || s.awaitingSyncChoice
            ? { event: "writes-blocked", reason: "none-named", streaming: connected, ...(s.leadsAgain ? { leadsAgain: true as const } : {}), ...noticed }
            : { event: "writes-blocked", reason: "too-few", connected, required: minimumStandbys(sync), ...noticed },
      );
    }
  } else if (s.semiSyncTimeoutMs === Infinity) {
    goAsync(s, now, { event: "degrade", connected, required: minimumStandbys(sync) }, ACK_WRITE);
  }
  // Semi-sync: the commits wait, each at most degrade_after (armSemiSyncTimeout in commit.ts).
}

/**
 * The leader commits without waiting for standbys from now on; the commits waiting return. `level` is the
 * acknowledgement its commits waited for: semi-sync comes back once a standby acknowledges, at it, the newest write.
 */
function goAsync(s: LeaderFollowerState, now: number, fact: LeaderFollowerEvent & { event: "degrade" }, level: number): void {
  const leader = s.official;
  s.degraded = true;
  s.degradeAtMs = NaN;
  s.semiSyncWait = null;
  s.degradedAt = { epoch: s.nodeEpoch[leader], lsn: s.lsn[leader], level };
  s.endSyncWait(now);
  s.core.note(now, s.nodes[leader].name, fact);
}

/** A new leader starts synchronous, with no commit of its own waiting yet. */
export function startSynchronous(s: LeaderFollowerState): void {
  s.degraded = false;
  s.degradedAt = null;
  s.degradeAtMs = NaN;
  s.semiSyncWait = null;
}

/** A waiting commit's deadline on `node`'s timer: if it is still not acknowledged, the source goes asynchronous. */
export function semiSyncTimeout(s: LeaderFollowerState, node: number, now: number): void {
  if (node !== s.official) return deposedSemiSyncTimeout(s, node, now);
  // A later check was replaced by an earlier one.
  if (now !== s.degradeAtMs) return;
  const wait = s.semiSyncWait!;
  s.degradeAtMs = NaN;
  s.semiSyncWait = null;
  const leader = s.official;
  if (s.degraded || s.core.alive[leader] !== 1 || s.nodeEpoch[leader] !== wait.epoch) return;
  if (ruleAckTime(s, leader, wait.epoch, wait.lsn, wait.level) <= now) return;
  const connected = syncCandidates(s).filter((r) => s.following[r] === leader && s.streaming(r, leader)).length;
  goAsync(s, now, { event: "degrade", connected, required: s.sync!.count, waitedMs: s.semiSyncTimeoutMs }, wait.level);
  updateSyncSet(s, now, true);
}

/**
 * The same deadline on a deposed source that still acts as a leader: with no acknowledgement it switches to
 * asynchronous and acknowledges its clients alone, beside the new leader (split brain, unless fenced).
 */
function deposedSemiSyncTimeout(s: LeaderFollowerState, node: number, now: number): void {
  if (now !== s.deposedDegradeAtMs[node]) return;
  const wait = s.deposedWait[node]!;
  s.deposedDegradeAtMs[node] = NaN;
  s.deposedWait[node] = null;
  if (s.deposedAsync[node] === 1 || s.core.alive[node] !== 1 || s.role[node] !== "leader" || s.nodeEpoch[node] !== wait.epoch) return;
  if (ruleAckTime(s, node, wait.epoch, wait.lsn, wait.level) <= now) return;
  s.deposedAsync[node] = 1;
  let connected = 0;
  for (let r = 0; r < s.nodes.length; r++) if (r !== node && s.following[r] === node && s.streaming(r, node)) connected++;
  s.core.note(now, s.nodes[node].name, { event: "degrade", connected, required: s.sync!.count, waitedMs: s.semiSyncTimeoutMs });
  recomputePending(s, now);
}

/**
 * Right after a promotion (updateSyncSet done): when the leader's synchronous commits cannot be acknowledged
 * yet — strict mode blocks them, semi-sync holds each until its timeout — its wait for a standby starts.
 */
export function beginSyncWait(s: LeaderFollowerState, now: number): void {
  const semiSyncHolds = s.sync !== null && s.semiSyncTimeoutMs < Infinity && !s.degraded && s.syncSet.length < s.sync.count;
  s.syncWaitSinceMs = !Number.isNaN(s.blockedSinceMs) || semiSyncHolds ? now : NaN;
}

/**
 * Members re-pointed at the leader by its election whose first message from it has not arrived yet, alive and
 * reachable. One due this very instant counts: with equal latencies the followers' first rounds land together,
 * and the first of them to be processed must not find the others missing (a zero-length "no majority").
 */
function firstRoundOnItsWay(s: LeaderFollowerState, now: number): number {
  const core = s.core;
  const leader = s.official;
  let count = 0;
  for (let r = 0; r < s.nodes.length; r++) {
    if (r === leader || s.following[r] !== leader || s.connected[r] === 1 || core.alive[r] !== 1 || !core.network.reachable(leader, r)) continue;
    if (s.repointedStreamMs[r] >= now) count++;
  }
  return count;
}

/** Enough standbys again: synchronous commits resume, and writes blocked in strict mode are released. */
function enoughStandbys(s: LeaderFollowerState, now: number, announce: boolean): void {
  const leader = s.nodes[s.official].name;
  s.endSyncWait(now);
  if (s.degraded && caughtUp(s, now)) {
    s.degraded = false;
    s.degradedAt = null;
    if (announce) s.core.note(now, leader, { event: "sync-restored", standbys: s.syncSet.map((r) => s.nodes[r].name) });
  }
  if (s.blockedSinceMs === now) {
    // Blocked and released in one instant: no commit waited, so there was no block to tell of.
    s.core.unnote(now, leader, "writes-blocked");
    s.blockedSinceMs = NaN;
  }
  if (!Number.isNaN(s.blockedSinceMs)) {
    s.core.note(now, leader, { event: "writes-unblocked", standbys: s.syncSet.map((r) => s.nodes[r].name), blockedMs: now - s.blockedSinceMs, ...(s.core.topology.replication.mode === "consensus" ? { majority: true } : {}) });
    s.endBlocked(now);
  }
}

/**
 * Whether the standbys the rule needs have caught up with an asynchronous leader: at once for a failover
 * manager that re-enables synchronous replication when they stream (Patroni); semi-sync switches back on
 * once a standby acknowledges the newest write of the moment it went asynchronous.
 */
function caughtUp(s: LeaderFollowerState, now: number): boolean {
  const at = s.degradedAt;
  if (s.semiSyncTimeoutMs === Infinity || at === null) return true;
  // (A leader that crashed and recovered in place may have lost that write: then its last one will do.)
  const lsn = Math.min(at.lsn, s.lsn[s.official]);
  return at.epoch === s.nodeEpoch[s.official] && ruleAckTime(s, s.official, at.epoch, lsn, at.level) <= now;
}

/** What the coordinator learns (Patroni's /sync key), when the leader can reach it. */
function publishSyncSet(s: LeaderFollowerState, leader: number, wildcard: boolean, enough: boolean, connected: number[]): void {
  if (!(s.core.alive[leader] === 1 && s.core.reachesCoordinator(leader))) return;
  if (wildcard) {
    // The /sync key keeps only published standbys that still stream as proper candidates: under '*' nobody
    // else is known to hold every acknowledged write.
    s.dcsSync = s.dcsSync.filter((r) => connected.includes(r));
    s.dcsDegraded = false;
  } else if (enough && !s.degraded) {
    s.dcsSync = [...s.syncSet];
    s.dcsCount = s.ruleCount;
    s.dcsDegraded = false;
  } else if (s.degraded) {
    s.dcsSync = [];
    s.dcsDegraded = true;
  }
}

export function noteRedundancy(s: LeaderFollowerState, now: number): void {
  const core = s.core;
  const leader = s.official;
  const replicas = s.nodes.filter((_, x) => x !== leader);
  // Up means able to follow the leader: alive, a replica, and reachable from it (not behind a partition).
  const upNode = (x: number) => core.alive[x] === 1 && s.role[x] === "replica" && core.network.reachable(leader, x);
  const up = replicas.filter((node) => upNode(node.index));
  const syncUp = s.sync ? syncCandidates(s).filter(upNode).length : 0;
  const sync = s.sync ? (syncUp >= minimumStandbys(s.sync) ? "capable" : "none-left") : "async-only";
  core.note(now, s.nodes[leader].name, { event: "redundancy", up: up.length, replicas: replicas.length, sync, syncCapable: syncUp });
}
