// Replicas (re)joining a leader: connecting, re-pointing after a promotion,
// rewinding a diverged history, rebuilding from a base backup.
import { EV } from "../core.js";
import { timelineId } from "../write-log.js";
import { restreamMs, slotsReadyAfterPromotionMs } from "../../base/failover-timing.js";
import { LeaderFollowerState, CATCH_UP_BYTES_PER_MS } from "./state.js";
import { flushedLsn, recomputePending } from "./commit.js";
import { updateSyncSet, noteRedundancy } from "./sync-set.js";
import { lagAtMoment } from "./reads.js";

export function replicaConnect(s: LeaderFollowerState, r: number, now: number): void {
  const core = s.core;
  const leader = s.official;
  if (core.alive[r] !== 1 || s.role[r] !== "replica" || r === leader) return;
  const stream = s.streams[r];
  const leaderEpoch = s.nodeEpoch[leader];
  if (s.connected[r] === 1 && s.following[r] === leader && stream.epoch === leaderEpoch) return;
  // The WAL receiver cannot reach a working leader: it is disconnected and retries every
  // wal_retrieve_retry_interval until it can (after a heal, a restore, or the next promotion).
  if (core.alive[leader] !== 1 || s.role[leader] !== "leader" || !core.network.reachable(leader, r)) {
    s.disconnected[r] = 1;
    s.retryLater(r, now);
    return;
  }
  if (stream.epoch > leaderEpoch) core.commitRegressions.push({ node: s.nodes[r].name, epoch: stream.epoch, olderEpoch: leaderEpoch });
  if (stream.epoch !== leaderEpoch) {
    const keep = core.epochs.cutoff(stream.epoch, leaderEpoch);
    const had = stream.position(now, "recv");
    const rewound = Math.min(had, Math.max(0, keep));
    if (had > rewound) core.note(now, s.nodes[r].name, { event: "rewind", discardedBytes: had - rewound, timeline: timelineId(leaderEpoch) });
    stream.truncate(rewound);
    stream.reset(rewound, leaderEpoch);
  }
  s.following[r] = leader;
  const from = stream.position(now, "recv");
  // Catch up: stream everything the leader has past the replica's position.
  const writes = s.historyAfter(leaderEpoch, from);
  const latency = core.network.streamLatency(leader, r, now);
  const back = core.network.streamLatency(r, leader, now + latency);
  const size = core.workload.writeSizeBytes;
  let recv = now + latency;
  let apply = Math.max(now, stream.lastApplyMs);
  const rate = s.applyRate[r];
  let shipped = 0;
  for (const id of writes) {
    const i = id & core.log.mask;
    // The walsender sends only WAL its leader has flushed: an asynchronous commit waiting for its flush is
    // shipped when that flush is decided (see settleAsync), and so is everything after it.
    const leaderFlush = core.log.flushMs[i];
    // (A flush that never ended, a shared volume out of reach, waits the same way for the next that does.)
    if (Number.isNaN(leaderFlush) || leaderFlush === Infinity) break;
    recv = Math.max(recv + size / CATCH_UP_BYTES_PER_MS, leaderFlush + latency);
    const flush = recv + 0.1;
    apply = rate > 0 ? Math.max(flush, apply) + 1000 / rate : Infinity;
    stream.push(core.log.lsn[i], core.log.appendMs[i], recv, flush, apply, recv + back, flush + back, apply + back);
    shipped++;
  }
  s.batchDeparture[r] = NaN;
  s.connected[r] = 1;
  s.streamLostMs[r] = NaN;
  s.disconnected[r] = 0;
  core.note(now, s.nodes[r].name, { event: "follow", leader: s.nodes[leader].name, catchUpWrites: shipped, catchUpBytes: shipped * size });
  lagAtMoment(s, now, r);
  updateSyncSet(s, now, true);
}

export function rebuild(s: LeaderFollowerState, n: number, now: number): void {
  const core = s.core;
  const restore = core.topology.backups?.restore ?? { throughputBytes: 200 * 1024 ** 2, dataSizeBytes: 100 * 1024 ** 3, walReplayBytes: 50 * 1024 ** 2 };
  const ms = (restore.dataSizeBytes / restore.throughputBytes) * 1000;
  if (n === s.official) {
    core.note(now, s.nodes[n].name, { event: "rebuild-refused" });
    return;
  }
  if (s.role[n] !== "down") {
    s.streams[n].cut(now, true);
    s.streamLostMs[n] = now;
  }
  s.role[n] = "rebuilding";
  s.connected[n] = 0;
  const lsnAtStart = s.lsn[s.official];
  core.note(now, s.nodes[n].name, { event: "rebuild", dataSizeBytes: restore.dataSizeBytes, throughputBytes: restore.throughputBytes, durationMs: ms });
  core.queue.push(now + ms, EV.REBUILD_DONE, n, lsnAtStart);
  recomputePending(s, now);
}

export function rebuildDone(s: LeaderFollowerState, n: number, lsnAtStart: number, now: number): void {
  const core = s.core;
  core.alive[n] = 1;
  s.role[n] = "replica";
  // A rebuild lands on a fresh replica with the cluster's standard apply rate.
  const replication = core.topology.replication;
  s.applyRate[n] = replication.mode === "leader-follower" ? replication.applyRate : s.nodes[n].applyRate;
  s.fallingBehindReported[n] = 0;
  s.lagRising[n] = 0;
  const leader = s.official;
  s.streams[n].reset(Math.min(lsnAtStart, s.lsn[leader]), s.nodeEpoch[leader]);
  core.note(now, s.nodes[n].name, { event: "rebuilt", applyRate: s.applyRate[n] });
  replicaConnect(s, n, now);
  noteRedundancy(s, now);
}

/**
 * When the survivors stream from the new leader r (promoted at `promotedMs`), by the preset's rule
 * (failover.restream, restreamMs). Patroni 3 with PostgreSQL 15, as measured: a replica that could have been
 * promoted sees the new leader key at once and is re-pointed by a reload 30–230 ms after the key was taken; a
 * nofailover replica first sleeps 2 s ("give somebody time to take the leader lock"). The reload wakes the WAL
 * receiver, which connects at once — but the new leader creates the members' replication slots only in its first
 * HA cycle after promotion (it polls the promotion once a second, about 1.2–1.3 s). A receiver that arrives before
 * its slot fails ("replication slot does not exist") and retries one full wal_retrieve_retry_interval (5 s) after
 * the reload. A MongoDB secondary learns of the new primary from its next heartbeat; Orchestrator relocates MySQL
 * replicas under the new source as it promotes it. Raft followers take the new leader's first heartbeat.
 */
export function repointSurvivors(s: LeaderFollowerState, r: number, promotedMs: number): void {
  const core = s.core;
  const consensus = core.topology.replication.mode === "consensus";
  const restream = core.topology.failover.restream;
  const clock = { leaderKeyMs: s.leaderKeyMs, promotedMs, slotsReadyMs: slotsReadyAfterPromotionMs(promotedMs, core.rng.next()) };
  for (let x = 0; x < s.nodes.length; x++) {
    if (x === r || s.role[x] !== "replica" || core.alive[x] !== 1) continue;
    s.following[x] = r;
    s.connected[x] = 0;
    let streams: number;
    if (consensus) streams = s.nextContactMs(x, promotedMs);
    else {
      const eligible = !s.nodes[x].nofailover && s.nodes[x].failoverPriority > 0;
      streams = restreamMs(restream, clock, eligible, core.rng.next());
    }
    streams = Math.max(streams, promotedMs);
    s.repointedStreamMs[x] = streams;
    core.queue.push(streams, EV.REPLICA_CONNECT, x);
  }
}

/**
 * A reader of a shared volume elected to replace writer `old` (Aurora): it takes over the volume, which holds every
 * write the old writer flushed to it, whatever the reader had replayed. Its log is extended to the old writer's
 * flushed position at `now`, as if received, flushed and replayed at once (the pages are in the storage already).
 */
export function readFromSharedStorage(s: LeaderFollowerState, r: number, old: number, now: number): void {
  const core = s.core;
  const stream = s.streams[r];
  const upTo = flushedLsn(s, old, now);
  for (const id of s.historyAfter(stream.epoch, stream.highestLsn())) {
    const i = id & core.log.mask;
    const lsn = core.log.lsn[i];
    if (lsn > upTo) break;
    stream.push(lsn, core.log.appendMs[i], now, now, now, Infinity, Infinity, Infinity);
  }
}
