// A leaderless class's partial outages (result.classes[i].keyOutages): the
// keys whose replicas too few coordinators can reach, and for how long,
// measured from the cluster's state. Checked against the ring's arithmetic
// (each key's preference list, counted here), against the requests the
// engine refused, and against physics: a longer outage lasts longer, a
// sloppy quorum or a single node down loses no key, a coordinator cut off
// alone loses none either.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../../src/engine/core.js";
import { Leaderless } from "../../src/engine/leaderless/shape.js";
import { measure } from "../../src/engine/measure.js";
import { Ring } from "../../src/engine/ring.js";
import { simulate } from "../../src/engine/simulate.js";
import { runTrials } from "../../src/engine/trials.js";
import { factsOf, type KeyOutages } from "../../src/engine/result.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { Chalk } from "chalk";
import { scenarioFrom, scenarioText } from "./helpers.js";

const plain = new Chalk({ level: 0 });

/** The eight-node ring of scenarios/quorum-three-down-eight-strict.yaml with other faults, sizes and quorums. */
function eightNodes(o: { faults: string[]; sloppy?: boolean; n?: number; w?: number; r?: number; keys?: number; durationS?: number; zones?: string[]; rtoS?: number }): ResolvedScenario {
  return scenarioText(`kind: scenario
name: eight-nodes
seed: 14
duration: ${o.durationS ?? 90}s
workload: { writes: 500, reads: 1500, clients: 60, keys: ${o.keys ?? 500}${o.zones ? `, zones: [${o.zones.join(", ")}]` : ""} }
faults:
${o.faults.map((f) => `  - ${f}`).join("\n")}
topology:
  kind: topology
  name: eight
  preset: dynamo
  regions: { us-east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: us-east/a }
    n2: { zone: us-east/b }
    n3: { zone: us-east/c }
    n4: { zone: us-east/a }
    n5: { zone: us-east/b }
    n6: { zone: us-east/c }
    n7: { zone: us-east/a }
    n8: { zone: us-east/b }
  # Vector clocks: last-write-wins would drop concurrent losers, and the class's RPO 0 would fail for a reason not under test.
  replication: { mode: leaderless, n: ${o.n ?? 5}, w: ${o.w ?? 3}, r: ${o.r ?? 3}, sloppy_quorum: ${o.sloppy ?? false}, read_repair: false, conflict: vector-clock, vnodes: 8 }
  data_classes:
    carts: { rpo: 0, rto: ${o.rtoS ?? 60}s, consistency: eventual }
`);
}

const crashes = (nodes: string[], atS: number, forS: number | null) => nodes.map((n) => `{ at: ${atS}s, crash: ${n}${forS === null ? "" : `, for: ${forS}s`} }`);

/** Keys whose preference list (N natural replicas) has fewer than `needed` nodes outside `down`: the ring's arithmetic, key by key. */
function keysBelow(s: ResolvedScenario, down: string[], needed: number, reachable: (node: string) => boolean = () => true): number {
  const replication = s.topology.replication;
  if (replication.mode !== "leaderless") throw new Error("leaderless expected");
  const names = s.topology.nodes.map((x) => x.name);
  const ring = new Ring(names, replication.vnodes, replication.n, s.workload.keys);
  const list = new Int16Array(replication.n);
  let count = 0;
  for (let key = 0; key < s.workload.keys; key++) {
    ring.preference(key, list);
    const up = Array.from(list).filter((node) => !down.includes(names[node]) && reachable(names[node])).length;
    if (up < needed) count++;
  }
  return count;
}

function keyOutages(s: ResolvedScenario): KeyOutages {
  const k = simulate(s).classes[0].keyOutages;
  assert.ok(k, "a leaderless class has keyOutages");
  return k;
}

test("three of eight down for 30 s, strict quorum: the keys whose five replicas include all three cannot be written or read for 30 s; the share is the ring's", () => {
  const s = scenarioFrom("scenarios/quorum-three-down-eight-strict.yaml");
  const result = simulate(s);
  const carts = result.classes[0];
  const k = carts.keyOutages!;
  const expected = keysBelow(s, ["n3", "n4", "n5"], 3);
  assert.ok(expected > 0 && expected < s.workload.keys, `${expected} keys`);
  // About C(5,2) / C(8,5) = 10/56 of the keys on a uniform ring; this one has eight vnodes per node.
  assert.ok(Math.abs(expected / s.workload.keys - 10 / 56) < 0.05, `${expected}`);
  for (const figures of [k.writes, k.reads]) {
    assert.deepEqual(figures.longest, { fault: 2, startMs: 20_000, endMs: 50_000, ms: 30_000, keys: expected, share: expected / 500 });
    assert.equal(figures.peakKeys, expected);
    assert.equal(figures.affectedKeys, expected);
    assert.equal(figures.spanCount, 1);
    assert.ok(Math.abs(figures.shareMs - (30_000 * expected) / 500) < 0.1, `${figures.shareMs}`);
  }
  // The SPEC's class outage is unchanged: other keys take writes within milliseconds of the first failure.
  assert.ok(carts.rto.writeMs !== null && carts.rto.writeMs < 1000, `RTO ${carts.rto.writeMs}`);
  // The timeline tells the same stretch: the keys go at the crashes and come back at the recoveries.
  const gone = factsOf(result.timeline, "keys-unavailable");
  const back = factsOf(result.timeline, "keys-available");
  assert.deepEqual(gone.map((e) => [e.atMs, e.writes.keys, e.reads.keys]), [[20_000, expected, expected]]);
  assert.deepEqual(back.map((e) => e.atMs), [50_000]);
  // So does the text: the note under the table, and the JSON.
  const text = renderSimulateText(result, plain, { width: 200 });
  const share = `${((expected / 500) * 100).toFixed(1)}%`;
  assert.ok(text.includes(`carts: ${share} of its keys (${expected} of 500) could not be written or read for 30s (T+0 to T+30s)`), text);
  assert.match(text, /RTO write \d+(\.\d)?ms, like the writes-unavailable total/);
  const json = simulationJson(result) as { classes: { keyOutages: { writes: { longest: { ms: number; keys: number } } } }[] };
  assert.deepEqual([json.classes[0].keyOutages.writes.longest.ms, json.classes[0].keyOutages.writes.longest.keys], [30_000, expected]);
});

test("the share matches the requests the engine refused: live coordinators refuse writes for want of W on that share of the keys", () => {
  const s = scenarioFrom("scenarios/quorum-three-down-eight-strict.yaml");
  const core = new Core(s, s.seed);
  const shape = new Leaderless(core);
  core.shape = shape;
  core.run(s.faults);
  const k = measure(core, s, s.seed).classes[0].keyOutages!;
  // Writes sent during the 30 s, spread uniformly over the keys: the refused ones are the affected keys' share of them.
  const sent = s.workload.writes * 30;
  const refusedShare = shape.writesRefused / sent;
  assert.ok(Math.abs(refusedShare - k.writes.longest!.share) < 0.02, `refused ${refusedShare.toFixed(3)}, keys ${k.writes.longest!.share.toFixed(3)}`);
});

test("doubling the outage doubles the figure; the keys stay the same", () => {
  const short = keyOutages(eightNodes({ faults: crashes(["n3", "n4", "n5"], 20, 30) }));
  const long = keyOutages(eightNodes({ faults: crashes(["n3", "n4", "n5"], 20, 60) }));
  assert.equal(short.writes.longest!.ms, 30_000);
  assert.equal(long.writes.longest!.ms, 60_000);
  assert.equal(long.writes.longest!.keys, short.writes.longest!.keys);
  assert.ok(Math.abs(long.writes.shareMs - 2 * short.writes.shareMs) < 0.2, `${long.writes.shareMs} vs ${short.writes.shareMs}`);
});

test("no partial outage under a sloppy quorum, nor with one or two of eight down under a strict one (W = 3 of N = 5)", () => {
  const none = (k: KeyOutages, what: string) => {
    for (const f of [k.writes, k.reads]) {
      assert.equal(f.longest, null, what);
      assert.deepEqual([f.peakKeys, f.affectedKeys, f.shareMs, f.spanCount], [0, 0, 0, 0], what);
    }
  };
  none(keyOutages(scenarioFrom("scenarios/quorum-three-down-sloppy.yaml")), "sloppy, three down");
  none(keyOutages(eightNodes({ faults: crashes(["n3"], 20, 30) })), "strict, one down");
  none(keyOutages(eightNodes({ faults: crashes(["n3", "n4"], 20, 30) })), "strict, two down");
  // A sloppy quorum loses keys only when fewer than W healthy nodes are left anywhere: six of eight down.
  const six = keyOutages(eightNodes({ sloppy: true, faults: crashes(["n1", "n2", "n3", "n4", "n5", "n6"], 20, 10) }));
  assert.deepEqual([six.writes.longest?.ms, six.writes.longest?.keys], [10_000, 500]);
});

test("four of eight down: the keys with at most two replicas left, as the preference lists say; reads and writes part ways with R > W", () => {
  const s = eightNodes({ faults: crashes(["n2", "n4", "n6", "n8"], 20, 10), w: 2, r: 4 });
  const k = keyOutages(s);
  const down = ["n2", "n4", "n6", "n8"];
  assert.equal(k.writes.longest?.keys ?? 0, keysBelow(s, down, 2));
  assert.equal(k.reads.longest!.keys, keysBelow(s, down, 4));
  assert.ok(k.reads.longest!.keys > (k.writes.longest?.keys ?? 0), "R = 4 needs more replicas than W = 2");
});

test("a coordinator cut off alone opens no outage on key ranges: other coordinators reach every key's replicas (found by a review of the request scan)", () => {
  // The clients' zones are on neither side: they reach n1, which reaches no other node, and the rest.
  const k = keyOutages(eightNodes({ faults: ["{ at: 20s, partition: [[n1], [n2, n3, n4, n5, n6, n7, n8]], for: 20s }"] }));
  assert.equal(k.writes.longest, null);
  assert.equal(k.reads.longest, null);
});

test("a partition: only the coordinators clients reach count, and the keys are those with fewer than W replicas on the clients' side", () => {
  // Clients in zone a only; zone a is cut off from b and c: its coordinators n1, n4, n7 reach only each other.
  const s = eightNodes({ zones: ["us-east/a"], faults: ["{ at: 20s, partition: [[us-east/a], [us-east/b, us-east/c]], for: 20s }"] });
  const k = keyOutages(s);
  const zoneA = new Set(["n1", "n4", "n7"]);
  const expected = keysBelow(s, [], 3, (node) => zoneA.has(node));
  assert.ok(expected > 0);
  assert.deepEqual([k.writes.longest?.ms, k.writes.longest?.keys], [20_000, expected]);
});

test("a node down for good: the stretch is still open when the run ends, measured to the end", () => {
  const k = keyOutages(eightNodes({ faults: crashes(["n3", "n4", "n5"], 20, null), durationS: 60 }));
  assert.deepEqual([k.writes.longest!.startMs, k.writes.longest!.endMs, k.writes.longest!.ms], [20_000, null, 40_000]);
});

test("a large key space is weighed from a sample: the share agrees with a smaller one's", () => {
  const small = keyOutages(eightNodes({ faults: crashes(["n3", "n4", "n5"], 20, 10), keys: 200_000, durationS: 40 }));
  const large = keyOutages(eightNodes({ faults: crashes(["n3", "n4", "n5"], 20, 10), keys: 50_000_000, durationS: 40 }));
  assert.equal(large.keys, 50_000_000);
  assert.ok(Math.abs(large.writes.longest!.share - small.writes.longest!.share) < 0.005, `${large.writes.longest!.share} vs ${small.writes.longest!.share}`);
});

test("changes at one instant are one change: a range down before and after it is one stretch, and a state that lasted no time counts for nothing", () => {
  // W = 4 of N = 5: a key range is unwritable with two of its replicas down. n3 is down 20–40 s, n4 20–30 s, n5 30–40 s.
  // At 30 s n5 goes down before n4 comes back (faults before the ends of earlier ones at the same instant): the ranges
  // holding all three are unwritable from 20 to 40 s without a break, and for no time at all with all three down.
  const s = eightNodes({ w: 4, faults: ["{ at: 20s, crash: n3, for: 20s }", "{ at: 20s, crash: n4, for: 10s }", "{ at: 30s, crash: n5, for: 10s }"] });
  const k = keyOutages(s);
  const allThree = keysBelow(s, ["n3", "n4", "n5"], 3);
  assert.ok(allThree > 0);
  assert.deepEqual([k.writes.longest!.startMs, k.writes.longest!.endMs, k.writes.longest!.keys], [20_000, 40_000, allThree]);
  const before = keysBelow(s, ["n3", "n4"], 4);
  const after = keysBelow(s, ["n3", "n5"], 4);
  // The peak is the larger of the two real states, not the instant with three down.
  assert.equal(k.writes.peakKeys, Math.max(before, after));
  assert.ok(Math.abs(k.writes.shareMs - (10_000 * (before + after)) / 500) < 0.1, `${k.writes.shareMs}`);
  // Stretches: the ranges down throughout, those down only before, those down only after.
  assert.deepEqual(
    k.writes.spans.map((x) => [x.startMs, x.endMs, x.keys]),
    [
      [20_000, 30_000, before - allThree],
      [20_000, 40_000, allThree],
      [30_000, 40_000, after - allThree],
    ],
  );
});

// ---------------------------------------------------------------------------
// The verdict: a key range out longer than the RTO misses it, whatever the class's RTO says

test("N=3, W=R=2, three of eight down for 30 s against a 10 s RTO: the class misses, for its keys; the class RTO still reads milliseconds", () => {
  const down = ["n2", "n5", "n8"];
  const s = eightNodes({ n: 3, w: 2, r: 2, rtoS: 10, faults: crashes(down, 20, 30) });
  // The ring's arithmetic: keys with at most one of their three replicas left.
  const expected = keysBelow(s, down, 2);
  assert.ok(expected > 0 && expected < s.workload.keys, `${expected} keys`);
  const result = simulate(s);
  const carts = result.classes[0];
  assert.deepEqual([carts.keyOutages!.writes.longestPartial?.ms, carts.keyOutages!.writes.longestPartial?.keys], [30_000, expected]);
  assert.ok(carts.rto.writeMs !== null && carts.rto.writeMs < 1000, `RTO ${carts.rto.writeMs}`);
  assert.equal(carts.verdicts!.writeRto, true);
  assert.equal(carts.verdicts!.keyRto, false, "30 s of unwritable keys against a 10 s target");
  assert.equal(carts.met, false);
  // The reports say why: the verdict names the share and the time, the note the target.
  const share = `${Number(((expected / 500) * 100).toFixed(1))}%`;
  const text = renderSimulateText(result, plain, { width: 300 }).replace(/\s+/g, " ");
  assert.ok(text.includes(`write RTO met · RTO missed on ${share} of keys (30s)`), text);
  assert.ok(text.includes("That is longer than its RTO target of 10s: the class missed its RTO for those keys."), text);
  const json = simulationJson(result) as { classes: { met: boolean; verdicts: { keyRto: boolean | null } }[] };
  assert.deepEqual([json.classes[0].met, json.classes[0].verdicts.keyRto], [false, false]);
});

test("the same nodes down for 5 s against a 10 s RTO: the keys were out, the class met its targets", () => {
  const down = ["n2", "n5", "n8"];
  const s = eightNodes({ n: 3, w: 2, r: 2, rtoS: 10, faults: crashes(down, 20, 5) });
  const carts = simulate(s).classes[0];
  assert.deepEqual([carts.keyOutages!.writes.longestPartial?.ms, carts.keyOutages!.writes.longestPartial?.keys], [5_000, keysBelow(s, down, 2)]);
  assert.equal(carts.verdicts!.keyRto, true);
  assert.equal(carts.met, true, JSON.stringify(carts.verdicts));
});

test("reads count when the class has reads: R above W leaves keys unreadable longer than the RTO while every key is written", () => {
  // N=3, W=1, R=3: one node down leaves every key writable and a third of them unreadable.
  const s = eightNodes({ n: 3, w: 1, r: 3, rtoS: 10, faults: crashes(["n4"], 20, 30) });
  const expected = keysBelow(s, ["n4"], 3);
  assert.ok(expected > 0);
  const carts = simulate(s).classes[0];
  assert.equal(carts.keyOutages!.writes.longestPartial, null);
  assert.deepEqual([carts.keyOutages!.reads.longestPartial?.ms, carts.keyOutages!.reads.longestPartial?.keys], [30_000, expected]);
  assert.equal(carts.verdicts!.keyRto, false);
  assert.equal(carts.met, false);
});

test("every key at once is the class's own outage, timed by its RTO: no key verdict (sloppy quorum, six of eight down)", () => {
  const carts = simulate(eightNodes({ sloppy: true, rtoS: 5, faults: crashes(["n1", "n2", "n3", "n4", "n5", "n6"], 20, 10) })).classes[0];
  assert.equal(carts.keyOutages!.writes.longest?.keys, 500);
  assert.equal(carts.keyOutages!.writes.longestPartial, null);
  assert.equal(carts.verdicts!.keyRto, null);
});

test("Monte Carlo: a trial's met includes the keys' verdict, so metShare counts the trials whose keys stayed within the RTO", () => {
  const s = eightNodes({ n: 3, w: 2, r: 2, rtoS: 10, faults: crashes(["n2", "n5", "n8"], 20, 30), durationS: 60 });
  const result = runTrials(s, 2, simulate);
  const t = result.classes[0].trials!;
  assert.equal(t.rtoMetShare, 1, "the class RTO met in every trial");
  assert.equal(t.metShare, 0, "the keys' RTO missed in every trial (the ring does not depend on the seed)");
  // The table's RPO and RTO columns at 100% beside 0% all met: the text says what else all met counts.
  const text = renderSimulateText(result, plain, { width: 300 }).replace(/\s+/g, " ");
  assert.ok(text.includes("All met also counts the read RTO, the p99 client, keys out while others were served, and any restore, against the targets: carts missed one of those in some trials"), text);
});
