// The WAL archive follows the WAL actually written: a continuous archive ships a segment when 16MB of WAL have
// filled it (or archive_timeout passes first), so the WAL not yet archived never exceeds one segment, whatever
// the rate does from second to second (found by a review: with archive_timeout 0 a region loss lost 21,118 1KB
// writes, 20.6MB, because the segment's fill time was extrapolated from the last second's writes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Archive, SEGMENT_BYTES, WalHistory } from "../../src/engine/backups.js";
import type { ResolvedBackups } from "../../src/model/types.js";
import { Rng } from "../../src/base/rng.js";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

const KB = 1024;

/** Poisson send times at `rate` writes per second over `durationMs`. */
function poissonSends(rate: number, durationMs: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let t = 0; ; ) {
    t += (-Math.log(1 - rng.next()) / rate) * 1000;
    if (t > durationMs) break;
    out.push(t);
  }
  return Float64Array.from(out);
}

function continuous(archiveTimeoutMs: number): ResolvedBackups {
  return { walArchive: { mode: "continuous", archiveTimeoutMs, everyMs: 0, region: null } } as unknown as ResolvedBackups;
}

test("the WAL not yet archived never exceeds one segment, and with archive_timeout never lags more than it, over rates, seeds and the archive's phase", () => {
  for (const rate of [5, 20, 100, 500, 2000]) {
    // About 12 segments' worth of WAL per run.
    const durationMs = Math.round(((12 * SEGMENT_BYTES) / (rate * KB)) * 1000);
    for (const seed of [1, 2, 3, 14]) {
      const all = poissonSends(rate, durationMs, seed * 7919 + rate);
      const wal = new WalHistory(() => ({ all, count: all.length }), KB, (rate / 1000) * KB, durationMs);
      for (const timeoutMs of [0, 60_000]) {
        for (const phase of [0, 0.37, 0.99]) {
          const archive = new Archive(continuous(timeoutMs), wal, [], null, phase);
          const label = `${rate} w/s, seed ${seed}, archive_timeout ${timeoutMs} ms, phase ${phase}`;
          let worstBytes = 0;
          // From before the run (steady WAL) to past its end (extrapolated), every 997 ms.
          for (let t = -durationMs / 4; t <= durationMs * 1.25; t += 997) {
            const until = archive.archivedUntil(t);
            assert.ok(until <= t, `${label}: archived until ${until} at ${t}`);
            const unarchived = wal.bytesAt(t) - wal.bytesAt(until);
            worstBytes = Math.max(worstBytes, unarchived);
            assert.ok(unarchived <= SEGMENT_BYTES, `${label}: ${(unarchived / SEGMENT_BYTES).toFixed(3)} segments unarchived at ${t} ms`);
            if (timeoutMs > 0) assert.ok(t - until <= timeoutMs, `${label}: archive lag ${t - until} ms at ${t} ms`);
            // The WAL written at t is shipped at the next switch: at or after t, and archived from then on.
            const shipped = archive.archivedAt(t);
            assert.ok(shipped !== null && shipped >= t, `${label}: WAL of ${t} shipped at ${shipped}`);
            assert.equal(archive.archivedUntil(shipped), shipped, `${label}: the switch at ${shipped}`);
            assert.ok(archive.archivedUntil(shipped - 1e-3) < t || shipped === t, `${label}: no switch between ${t} and ${shipped}`);
          }
          // Without a timeout the segments do fill: close to a whole one is unarchived just before a switch.
          if (timeoutMs === 0) assert.ok(worstBytes > 0.9 * SEGMENT_BYTES, `${label}: at most ${(worstBytes / SEGMENT_BYTES).toFixed(3)} segments unarchived`);
        }
      }
    }
  }
});

function regionLoss(rate: number, seed: number, archiveTimeout: string): string {
  return `kind: scenario
name: archive-segments
seed: ${seed}
duration: 25m
workload: { writes: ${rate}, reads: 0, clients: 50, keys: 100000 }
faults:
  - { at: 20m, lose: east }
topology:
  kind: topology
  name: archive-segments
  preset: patroni
  regions:
    east: { zones: [a, b, c] }
    west: { zones: [a] }
  nodes:
    p: { zone: east/a, role: leader }
    r: { zone: east/b }
  replication:
    mode: leader-follower
    synchronous: { standbys: "FIRST 1 (r)", commit: on, strict: true }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, east/b, east/c]
    fencing: lease
    endpoint: { kind: proxy, check_interval: 1s }
  backups:
    wal_archive: { mode: continuous, archive_timeout: ${archiveTimeout}, region: west }
    base_backups: { every: 24h, retain: 30d, region: west }
    pitr_window: 7d
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 100GB }
  data_classes:
    orders: { rpo: 5m, rto: 4h }
`;
}

test("a region loss with archive_timeout 0 loses at most one segment of 1KB writes (16,384), at any rate and seed", () => {
  const segmentWrites = SEGMENT_BYTES / KB;
  for (const rate of [20, 100]) {
    let worst = 0;
    for (const seed of [5, 14, 21, 33, 40]) {
      const r = simulate(scenarioText(regionLoss(rate, seed, "0")));
      const lost = r.classes[0].rpo.lostAckedWrites;
      worst = Math.max(worst, lost);
      assert.ok(lost <= segmentWrites, `${rate} w/s, seed ${seed}: ${lost} writes lost, more than a segment`);
      // The window is the time to write what was lost, at most a segment's fill time (819 s at 20 w/s, 164 s at 100).
      assert.ok(r.classes[0].rpo.windowMs <= (segmentWrites / rate) * 1000 * 1.1, `${rate} w/s, seed ${seed}: window ${r.classes[0].rpo.windowMs} ms`);
    }
    assert.ok(worst > 0, `${rate} w/s: some loss`);
  }
  // With archive_timeout 60 s, at most a minute's writes (about 1,200 at 20 w/s).
  for (const seed of [5, 14, 21]) {
    const r = simulate(scenarioText(regionLoss(20, seed, "60s")));
    assert.ok(r.classes[0].rpo.windowMs <= 60_000, `seed ${seed}: window ${r.classes[0].rpo.windowMs} ms`);
  }
});
