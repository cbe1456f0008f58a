// The figures the oracles recompute, on small hand-made histories: which
// writes survive a tree of timelines, outages and what they are charged to,
// unions, split-brain time, and the design guarantees.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACKED, REJECTED } from "../../src/engine/write-log.js";
import { lineageCutoff, longestOutageMs, lostPerClass, merged, outages, splitBrainMs, unionMs, writerOverlaps } from "../../src/swarm/facts.js";
import { durability, fenced, healedAtMs, recoveryBoundMs } from "../../src/swarm/guarantees.js";
import { historyOf, quorumScenario, scenarioOf, steady, syncScenario } from "./helpers.js";

describe("lineage", () => {
  // 0 ─┬─ 1 (forked at 10) ── 3 (forked at 25)
  //    └─ 2 (forked at 20)
  const epochs = { parent: [-1, 0, 0, 1], forkLsn: [Infinity, 10, 20, 25], leader: [0, 1, 2, 1], startMs: [0, 1, 2, 3] };

  test("a timeline keeps its ancestors' writes up to each fork on its path", () => {
    assert.equal(lineageCutoff(epochs, 3, 3), Infinity);
    assert.equal(lineageCutoff(epochs, 1, 3), 25);
    assert.equal(lineageCutoff(epochs, 0, 3), 10);
    assert.equal(lineageCutoff(epochs, 2, 3), -1, "a sibling branch is not in the history");
    assert.equal(lineageCutoff(epochs, 0, 2), 20);
  });

  test("lost: acknowledged writes beyond the cut-off, per class", () => {
    const history = historyOf({
      epochs,
      finalEpoch: 3,
      writes: [
        { sendMs: 1, status: ACKED, epoch: 0, lsn: 10, cls: 0 },
        { sendMs: 2, status: ACKED, epoch: 0, lsn: 11, cls: 1 },
        { sendMs: 3, status: ACKED, epoch: 2, lsn: 21, cls: 0 },
        { sendMs: 4, status: REJECTED, epoch: 2, lsn: 22, cls: 0 },
        { sendMs: 5, status: ACKED, epoch: 1, lsn: 25, cls: 1 },
        { sendMs: 6, status: ACKED, epoch: 3, lsn: 26, cls: 1 },
      ],
    });
    assert.deepEqual(lostPerClass(history, 2), [1, 1]);
    assert.equal(lostPerClass(historyOf({ finalEpoch: -1 }), 1), null, "no timelines: the shape cannot say");
  });
});

describe("outages", () => {
  test("charged to the fault after the last acknowledged send, counted from it", () => {
    const history = historyOf({ writes: [...steady(0, 10_000, 100, ACKED), ...steady(10_050, 12_000, 100, REJECTED), { sendMs: 12_000, doneMs: 12_010, status: ACKED }, ...steady(12_100, 20_000, 100, ACKED)] });
    const list = outages(history, 1, [9_999, 10_000], 1000);
    assert.equal(list.length, 1);
    assert.equal(list[0].faultMs, 9_999, "the earliest fault after the last acknowledged send (9.9 s)");
    assert.equal(list[0].startMs, 9_999);
    assert.equal(longestOutageMs(list, 0), 12_010 - 9_999);
  });

  test("a failure while the class keeps serving counts from the failure itself", () => {
    const history = historyOf({ writes: [...steady(0, 30_000, 100, ACKED), { sendMs: 30_050, doneMs: 31_050, status: REJECTED }, ...steady(30_100, 40_000, 100, ACKED)] });
    const [o] = outages(history, 1, [5_000], 1000);
    assert.equal(o.faultMs, 5_000);
    assert.equal(o.startMs, 30_050);
    assert.equal(longestOutageMs([o], 0), 30_100 + 2 - 30_050);
  });

  test("never recovered: RTO null; a failure before the first fault is an outage of its own, charged to no fault", () => {
    const history = historyOf({ writes: [{ sendMs: 1, doneMs: 50, status: REJECTED }, ...steady(0, 10_000, 100, ACKED), ...steady(15_000, 20_000, 100, REJECTED)] });
    const list = outages(history, 1, [10_000], 1000);
    assert.equal(list.length, 2);
    assert.ok(Number.isNaN(list[0].faultMs), "no fault caused the first");
    assert.equal(list[0].startMs, 1);
    assert.equal(list[1].firstFailureMs, 15_000);
    assert.equal(longestOutageMs(list, 0), null);
  });

  test("an outage still open at the end, begun while the class served less than a timeout before, is undecided and left out", () => {
    // The class serves to the end; a client cut off on its own fails last, 300 ms before the end (20 s).
    const serving = [...steady(0, 19_700, 100, ACKED), { sendMs: 19_700, doneMs: 20_700, status: REJECTED }];
    assert.deepEqual(outages(historyOf({ endMs: 20_000, writes: serving }), 1, [5_000], 1000), []);
    // The same failure two seconds before the end, with no request after it: the class stopped serving.
    const stopped = [...steady(0, 18_000, 100, ACKED), { sendMs: 18_000, doneMs: 19_000, status: REJECTED }];
    assert.equal(longestOutageMs(outages(historyOf({ endMs: 20_000, writes: stopped }), 1, [5_000], 1000), 0), null);
    // A fault that breaks the class 300 ms before the end: never recovered, however young.
    const broken = [...steady(0, 19_700, 100, ACKED), ...steady(19_750, 20_000, 50, REJECTED)];
    assert.equal(longestOutageMs(outages(historyOf({ endMs: 20_000, writes: broken }), 1, [19_720], 1000), 0), null);
  });

  test("unions", () => {
    assert.equal(unionMs([[0, 10], [5, 15], [20, 25], [30, 30]]), 20);
    assert.equal(unionMs([]), 0);
    // Separate stretches: overlapping and touching intervals are one, empty ones none.
    assert.deepEqual(merged([[20, 25], [0, 10], [5, 15], [15, 16], [30, 30]]), [[0, 16], [20, 25]]);
    assert.deepEqual(merged([]), []);
  });
});

describe("writers", () => {
  test("split brain needs two nodes that each acknowledge: a leader whose commits wait for standbys does from its first acknowledgement to its last", () => {
    const writers = [
      { node: 0, epoch: 0, fromMs: 0, toMs: 20_000, acksWithoutStandbys: true },
      { node: 1, epoch: 1, fromMs: 10_000, toMs: 30_000, acksWithoutStandbys: false },
    ];
    // Acknowledged at sendMs + 2: the new leader's from 10,002 to 29,902.
    const newLeader = (fromMs: number) => steady(fromMs, 30_000, 100, ACKED, { epoch: 1, node: 1 });
    assert.equal(splitBrainMs(historyOf({ writers, writes: newLeader(10_000) })), 9_998);
    assert.equal(splitBrainMs(historyOf({ writers, writes: newLeader(14_000) })), 5_998, "the new leader acknowledged nothing for 4 s (its commits were blocked)");
    const deposed = { ...writers[0], acksWithoutStandbys: false };
    const oldLeader = (toMs: number) => steady(0, toMs, 100, ACKED, { epoch: 0, node: 0 });
    assert.equal(splitBrainMs(historyOf({ writers: [deposed, writers[1]], writes: [...oldLeader(10_000), ...newLeader(10_000)] })), 0, "the deposed leader waits for standbys that follow someone else");
    // Its standbys went on streaming from it for 2 s (until they learned of the new leader): it acknowledged until 11,902.
    assert.equal(splitBrainMs(historyOf({ writers: [deposed, writers[1]], writes: [...oldLeader(12_000), ...newLeader(10_000)] })), 1_900, "the deposed leader's standbys still streamed from it");
    assert.equal(writerOverlaps(historyOf({ writers })).length, 1);
  });

  test("a leader bound to standbys acknowledges nothing in a gap where writes sent to it failed: split brain is the overlap of both nodes' acknowledging stretches, not first to last", () => {
    const writers = [
      { node: 0, epoch: 0, fromMs: 0, toMs: 30_000, acksWithoutStandbys: false },
      { node: 1, epoch: 1, fromMs: 8_000, toMs: 30_000, acksWithoutStandbys: false },
    ];
    // The old leader acknowledges until 4,902; its clients time out from 6,000 to 9,900 (writes sent from 5,000 on
    // wait for a standby that no longer comes); at 10,000 it gives up waiting and acknowledges alone until 24,902.
    const old = [
      ...steady(0, 5_000, 100, ACKED, { epoch: 0, node: 0 }),
      ...steady(5_000, 9_000, 100, REJECTED, { epoch: 0, node: 0 }).map((w) => ({ ...w, doneMs: w.sendMs + 1_000 })),
      ...steady(10_000, 25_000, 100, ACKED, { epoch: 0, node: 0 }),
    ];
    const fresh = steady(8_000, 30_000, 100, ACKED, { epoch: 1, node: 1 });
    // Both acknowledge from 10,002 (the old leader's first acknowledgement after the gap) to 24,902.
    assert.equal(splitBrainMs(historyOf({ writers, writes: [...old, ...fresh] })), 14_900);
  });
});

describe("guarantees", () => {
  test("durability: strict sync with fencing, and what takes it away", () => {
    assert.equal(durability(syncScenario(), 0).holds, true);
    assert.equal(durability(syncScenario("  - { at: 10s, lose: east/b }"), 0).holds, false, "a zone destroyed");
    assert.equal(durability(syncScenario("  - { at: 10s, lose: east/b, for: 10s }"), 0).holds, true, "a zone back with its disks");
    assert.equal(durability(quorumScenario("vector-clock"), 0).holds, true);
    assert.equal(durability(quorumScenario("lww"), 0).holds, false, "last-write-wins drops the loser of two concurrent writes");
    const async = scenarioOf(asyncText);
    assert.equal(durability(async, 0).holds, false);
    assert.equal(fenced(syncScenario()).holds, true);
  });

  test("liveness applies once every fault has ended", () => {
    assert.equal(healedAtMs(syncScenario("  - { at: 10s, crash: n0, for: 5s }")), 15_000);
    assert.equal(healedAtMs(syncScenario("  - { at: 10s, crash: n0 }\n  - { at: 30s, recover: n0 }")), 30_000);
    assert.equal(healedAtMs(syncScenario("  - { at: 10s, crash: n0 }")), null);
    assert.equal(healedAtMs(syncScenario("  - { at: 10s, partition: [[n0], [n1]] }\n  - { at: 20s, heal: true }")), 20_000);
    const bound = recoveryBoundMs(syncScenario());
    assert.ok(bound > 15_000 && bound < 60_000, `bound ${bound}`);
  });
});

const asyncText = `kind: scenario
name: async
duration: 60s
workload: { writes: 10 }
topology:
  kind: topology
  name: t
  regions: { east: { zones: [a, b] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
  replication: { mode: leader-follower }
  failover: { fencing: stonith }
  data_classes:
    ledger: { rpo: 0, rto: 30s }
`;
