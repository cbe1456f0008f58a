// Availability with K replicas down: the material's drill (N=5, W=3, R=3 with
// three down; N=5, W=2, R=4), sloppy quorum, and monotonicity in K.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { analyzeQuorum, checkQuorumInput, type QuorumInput } from "../../src/quorum/analysis.js";
import { atDown, byDown, type QuorumConfig } from "../../src/quorum/availability.js";
import { UsageError } from "../../src/model/diagnostics.js";

const strict = (n: number, r: number, w: number): QuorumConfig => ({ n, r, w, sloppy: false, cluster: null });

test("material: N=5, W=3, R=3, three down → reads and writes blocked, R + W > N still holds", () => {
  const a = analyzeQuorum({ ...strict(5, 3, 3), down: 3 });
  assert.equal(a.strong, true);
  assert.equal(a.current.writes.available, false);
  assert.equal(a.current.reads.available, false);
  assert.equal(a.current.up, 2);
  assert.equal(a.stale.value, 0);
  assert.ok(a.remarks.some((r) => r.id === "trade-off"));
  assert.ok(a.remarks.some((r) => r.id === "majority"));
});

test("material: N=5, W=2, R=4, three down → writes available, reads blocked", () => {
  const s = atDown(strict(5, 4, 2), 3);
  assert.equal(s.writes.available, true);
  assert.equal(s.reads.available, false);
  assert.equal(s.strongReads, false);
});

test("material: sloppy quorum keeps N=5, W=3 writing and reading with three down, but hints are pending so reads are not strong", () => {
  const a = analyzeQuorum({ n: 5, r: 3, w: 3, sloppy: true, cluster: null, down: 3 });
  assert.equal(a.current.writes.available, true);
  assert.equal(a.current.writes.hinted, true);
  assert.equal(a.current.writes.standIns, 3);
  // Reads go to the same first N healthy nodes as writes (Dynamo's extended preference list).
  assert.equal(a.current.reads.available, true);
  assert.equal(a.current.reads.reachable, 5);
  assert.equal(a.current.hintsPending, true);
  assert.equal(a.current.strongReads, false);
  for (const id of ["sloppy-writes", "sloppy-reads", "sloppy-systems"]) assert.ok(a.remarks.some((r) => r.id === id), id);
  assert.match(a.remarks.find((r) => r.id === "sloppy-reads")!.text, /until the hints are replayed/);
});

test("sloppy reads need R healthy nodes in the cluster, like writes need W", () => {
  const config: QuorumConfig = { n: 5, r: 3, w: 3, sloppy: true, cluster: 8 };
  // Three of eight down: every key still reaches five healthy nodes.
  assert.deepEqual([atDown(config, 3).reads.available, atDown(config, 3).reads.reachable, atDown(config, 3).reads.standIns], [true, 5, 3]);
  // A six-node ring: with four down only two healthy nodes are left.
  const small: QuorumConfig = { ...config, cluster: 6 };
  assert.deepEqual([atDown(small, 3).reads.available, atDown(small, 4).reads.available, atDown(small, 4).reads.reachable], [true, false, 2]);
  // No node outside the replica set: sloppy is strict.
  const none: QuorumConfig = { ...config, cluster: 5 };
  for (const row of byDown(none)) assert.deepEqual(row.reads, atDown({ ...none, sloppy: false }, row.down).reads);
  // One down: W = 3 can still be met by two replicas and a stand-in, and a read of the returned replica and the two
  // that missed the write (before the hint is replayed) misses it. R + W = 6 is not above N + S = 6.
  assert.equal(atDown(config, 1).strongReads, false);
  assert.equal(atDown(config, 2).strongReads, false);
  assert.equal(atDown(config, 3).strongReads, false);
  // R = 4: R + W = 7 > N + S = 6 with one stand-in, not with two.
  assert.deepEqual([1, 2].map((k) => atDown({ ...config, r: 4 }, k).strongReads), [true, false]);
});

test("sloppy quorum with a known cluster: writes need W healthy nodes in it", () => {
  const config: QuorumConfig = { n: 5, r: 2, w: 3, sloppy: true, cluster: 6 };
  assert.equal(atDown(config, 3).writes.available, true); // 2 replicas + 1 stand-in
  assert.equal(atDown(config, 4).writes.available, false); // 1 replica + 1 stand-in
  // Reads can be available while the write rests on a hint: not strong until the hint is replayed.
  const s = atDown({ n: 5, r: 2, w: 4, sloppy: true, cluster: 10 }, 2);
  assert.equal(s.reads.available, true);
  assert.equal(s.writes.hinted, true);
  assert.equal(s.strongReads, false);
});

test("W = N: one replica down blocks writes; R = 1/W = N and R = N/W = 1 are explained", () => {
  const fastReads = analyzeQuorum({ ...strict(3, 1, 3), down: 1 });
  assert.equal(fastReads.current.writes.available, false);
  assert.equal(fastReads.current.reads.available, true);
  assert.deepEqual(
    fastReads.remarks.map((r) => r.id).filter((id) => ["write-all", "fast-reads"].includes(id)),
    ["write-all", "fast-reads"],
  );
  const fastWrites = analyzeQuorum({ ...strict(3, 3, 1), down: 1 });
  assert.equal(fastWrites.current.writes.available, true);
  assert.equal(fastWrites.current.reads.available, false);
  assert.ok(fastWrites.remarks.some((r) => r.id === "fast-writes"));
  assert.ok(fastWrites.remarks.some((r) => r.id === "read-all"));
});

test("R + W <= N: not strong, the stale remark carries the exact fraction", () => {
  const a = analyzeQuorum({ ...strict(3, 1, 1), down: 0 });
  assert.equal(a.strong, false);
  assert.equal(a.current.strongReads, false);
  assert.match(a.remarks.find((r) => r.id === "stale")!.text, /2\/3/);
});

test("the table covers K = 0..N and agrees with atDown", () => {
  const config = strict(5, 3, 3);
  const rows = byDown(config);
  assert.deepEqual(rows.map((r) => r.down), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(rows.map((r) => r.writes.available), [true, true, true, false, false, false]);
  for (const row of rows) assert.deepEqual(row, atDown(config, row.down));
});

const configs = fc
  .integer({ min: 1, max: 64 })
  .chain((n) => fc.record({ n: fc.constant(n), r: fc.integer({ min: 1, max: n }), w: fc.integer({ min: 1, max: n }), sloppy: fc.boolean(), cluster: fc.option(fc.integer({ min: n, max: n + 70 }), { nil: null }) }));

test("property: availability never improves as more replicas go down", () => {
  fc.assert(
    fc.property(configs, (config) => {
      const rows = byDown(config);
      for (let k = 1; k < rows.length; k++) {
        if (rows[k].reads.available) assert.ok(rows[k - 1].reads.available, `reads at K=${k}`);
        if (rows[k].writes.available) assert.ok(rows[k - 1].writes.available, `writes at K=${k}`);
        if (rows[k].strongReads) assert.ok(rows[k - 1].strongReads, `strong reads at K=${k}`);
      }
      // Strict quorum thresholds, exactly.
      if (!config.sloppy) for (const row of rows) assert.equal(row.writes.available, config.n - row.down >= config.w);
      // Reads: the up replicas, plus under sloppy quorum the stand-ins (C − N of them at most, any number if C is unknown).
      const outside = config.cluster === null ? Infinity : config.cluster - config.n;
      for (const row of rows) assert.equal(row.reads.available, config.n - row.down + (config.sloppy ? Math.min(row.down, outside) : 0) >= config.r);
      // Reads and writes reach the same nodes.
      for (const row of rows) assert.equal(row.reads.reachable, row.writes.reachable);
      // Sloppy quorum never makes writes less available than strict quorum.
      for (const row of rows) if (config.n - row.down >= config.w) assert.ok(row.writes.available);
    }),
    { numRuns: 300 },
  );
});

test("bad input is a UsageError that names the flag", () => {
  const base: QuorumInput = { n: 5, r: 3, w: 3, down: 0, sloppy: false, cluster: null };
  const cases: [Partial<QuorumInput>, RegExp][] = [
    [{ n: 0 }, /--n expects/],
    [{ n: 65 }, /--n expects a whole number from 1 to 64/],
    [{ r: 6 }, /--r 6 is more than --n 5/],
    [{ w: 0 }, /--w expects/],
    [{ w: 6 }, /--w 6 is more than --n 5/],
    [{ down: 6 }, /--down 6 is more than --n 5/],
    [{ down: -1 }, /--down expects/],
    [{ cluster: 4 }, /--cluster 4 is less than --n 5/],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => checkQuorumInput({ ...base, ...change }), (e: unknown) => e instanceof UsageError && message.test(e.message), JSON.stringify(change));
  }
});

test("sloppy-reads remark: R > K does not promise that every read sees the write; R + W > N + S does (review)", () => {
  const remark = (n: number, r: number, w: number, down: number, cluster: number) => analyzeQuorum({ n, r, w, down, sloppy: true, cluster }).remarks.find((x) => x.id === "sloppy-reads")!.text;
  // W = 2 met by one replica of the key and a stand-in; once the down replica is back and before the hints are
  // replayed, a read of the replica that missed the write and the returned one misses it.
  const risky = remark(3, 2, 2, 1, 4);
  assert.doesNotMatch(risky, /every read still reaches a replica that has the write/);
  assert.match(risky, /W = 2 can be met by 1 replica of the key and 1 stand-in/);
  assert.match(risky, /a read of 2 of the key's other replicas \(those that missed the write and the returned one\) misses it/);
  assert.match(risky, /here 4 <= 4/);
  // R = 3 reads every replica of the key: it always meets the write's acks.
  assert.match(remark(3, 3, 2, 1, 4), /R \+ W = 5 > N \+ S = 4 \(S = 1 stand-in in play\) every read still shares a node/);
  // Three stand-ins take a whole write quorum.
  assert.match(remark(5, 3, 3, 3, 8), /W = 3 can be met by 3 stand-ins alone/);
  assert.match(remark(5, 3, 3, 3, 8), /here 6 <= 8/);
  // R <= K no longer decides: R = 2 of N = 3 with K = 2 down and one stand-in is strong, as writes are blocked and the
  // read always hears the one replica still up, which has every write.
  assert.match(remark(3, 2, 3, 2, 4), /R \+ W = 5 > N \+ S = 4 \(S = 1 stand-in in play\) every read still shares a node/);
  // Writes blocked, reads not: a write from before the failure is missed by a read of the stand-ins.
  assert.match(remark(5, 1, 5, 2, 6), /Writes are blocked with 2 down, .* the 3 up replicas have it and no stand-in does; a read answered by 1 stand-in alone, which lacks it, misses it/);
});
