// The leaderless (Dynamo-style) shape: sloppy-quorum stand-ins, hinted-handoff
// notes that add up, and the strict-quorum guarantees (R + W > N: no stale
// read, no lost acknowledged write) under random crash/recover schedules.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Core } from "../../src/engine/core.js";
import { Leaderless } from "../../src/engine/leaderless/shape.js";
import { measure } from "../../src/engine/measure.js";
import { VersionStore } from "../../src/engine/version-store.js";
import { factsOf, type SimulationResult } from "../../src/engine/result.js";
import { anyScheduleText, scenarioText } from "./helpers.js";
import { simulate } from "../../src/engine/simulate.js";

interface Cluster {
  nodes: number;
  n: number;
  r: number;
  w: number;
  sloppy: boolean;
  /** Extra replication keys, e.g. "read_repair: false". */
  extra?: string;
  /**
   * How concurrent writes resolve (default lww). Last-write-wins silently drops the loser of two concurrent
   * writes, a loss no crash caused; vector clocks keep both as siblings, so a test of what crashes lose uses them.
   */
  conflict?: "lww" | "vector-clock";
}

interface Run {
  seed?: number;
  durationS?: number;
  writes?: number;
  reads?: number;
  keys?: number;
  clients?: number;
  faults: string[];
}

function leaderlessScenario(c: Cluster, run: Run): string {
  const nodes = Array.from({ length: c.nodes }, (_, i) => `    n${i + 1}: { zone: east/${"abc"[i % 3]} }`).join("\n");
  return `kind: scenario
name: leaderless-test
seed: ${run.seed ?? 1}
duration: ${run.durationS ?? 40}s
workload: { writes: ${run.writes ?? 300}, reads: ${run.reads ?? 300}, clients: ${run.clients ?? 30}, keys: ${run.keys ?? 300} }
${run.faults.length > 0 ? `faults:\n${run.faults.map((f) => `  - ${f}`).join("\n")}` : ""}
topology:
  kind: topology
  name: leaderless-test
  regions: { east: { zones: [a, b, c] } }
  nodes:
${nodes}
  replication: { mode: leaderless, n: ${c.n}, w: ${c.w}, r: ${c.r}, sloppy_quorum: ${c.sloppy}, conflict: ${c.conflict ?? "lww"}${c.extra ? `, ${c.extra}` : ""} }
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: eventual }
`;
}

/**
 * Runs a scenario as simulate() does, and checks on the way that the shape
 * never queues an event for a time already past (nothing before its cause).
 */
function runText(text: string): SimulationResult {
  const scenario = anyScheduleText(text);
  const core = new Core(scenario, scenario.seed);
  core.shape = new Leaderless(core);
  let now = 0;
  const past: string[] = [];
  const queue = core.queue;
  const pop = queue.pop.bind(queue);
  const push = queue.push.bind(queue);
  queue.pop = (out) => {
    const popped = pop(out);
    if (popped) now = out.time;
    return popped;
  };
  queue.push = (time, kind, a, b) => {
    if (time < now - 1e-6) past.push(`event kind ${kind} queued for ${time} ms at ${now} ms`);
    push(time, kind, a, b);
  };
  core.run(scenario.faults);
  assert.deepEqual(past, [], "events queued in the past");
  return measure(core, scenario, scenario.seed);
}

function run(c: Cluster, r: Run): SimulationResult {
  return runText(leaderlessScenario(c, r));
}

/** Crash these nodes (1-based) together at `atS` for `forS` seconds. */
function crashes(nodes: number[], atS: number, forS: number): string[] {
  return nodes.map((n) => `{ at: ${atS}s, crash: n${n}, for: ${forS}s }`);
}

function events(result: SimulationResult, event: string) {
  return result.timeline.filter((e) => e.event === event);
}

function count(text: string): number {
  return Number(text.replace(/,/g, ""));
}

// ---------------------------------------------------------------------------
// Sloppy quorum: stand-ins

test("sloppy quorum, 5 nodes, N=3, W=2, three down: the two live nodes take every write (none refused for want of a quorum)", () => {
  // n1 is one of the two live nodes: it must be able to stand in for keys whose replicas are n3, n4, n5.
  const result = run({ nodes: 5, n: 3, r: 2, w: 2, sloppy: true, conflict: "vector-clock" }, { faults: crashes([3, 4, 5], 10, 20), writes: 500, reads: 100 });
  assert.deepEqual(events(result, "quorum-unavailable"), [], "a write was refused although two live nodes could take it");
  // Only writes caught on a dead coordinator fail (clients reconnect after one timeout).
  const writesInFault = 500 * 20;
  assert.ok(result.totals.writesRejected < 0.06 * writesInFault, `rejected ${result.totals.writesRejected} of ~${writesInFault} writes sent during the fault`);
  assert.equal(result.totals.writesLost, 0);
  assert.deepEqual(result.violations, []);
});

test("sloppy quorum, any cluster: a write is refused for want of a quorum exactly when fewer than W nodes are alive", () => {
  const shapes = fc
    .record({ nodes: fc.integer({ min: 3, max: 8 }), n: fc.integer({ min: 1, max: 8 }), w: fc.integer({ min: 1, max: 8 }), down: fc.integer({ min: 0, max: 7 }), seed: fc.integer({ min: 0, max: 1000 }), pick: fc.integer({ min: 0, max: 255 }) })
    .filter((s) => s.n <= s.nodes && s.w <= s.n && s.down < s.nodes);
  fc.assert(
    fc.property(shapes, (s) => {
      // Which nodes go down: a seeded subset of `down` of them.
      const order = Array.from({ length: s.nodes }, (_, i) => i + 1).sort((a, b) => ((a * 131 + s.pick) % 97) - ((b * 131 + s.pick) % 97));
      const down = order.slice(0, s.down);
      const result = run({ nodes: s.nodes, n: s.n, r: 1, w: s.w, sloppy: true }, { seed: s.seed, durationS: 12, writes: 200, reads: 0, keys: 200, faults: crashes(down, 2, 8) });
      const refused = events(result, "quorum-unavailable").length > 0;
      const live = s.nodes - s.down;
      assert.equal(refused, live < s.w, `${JSON.stringify(s)} down=${down}: ${live} live, W=${s.w}, refused=${refused}`);
      assert.deepEqual(result.violations, []);
    }),
    { numRuns: 60, seed: 11 },
  );
});

// ---------------------------------------------------------------------------
// Hinted handoff notes

test("hints-replayed reports the totals replayed to each recovered node, equal to what it was owed", () => {
  // Many hints per owner (tens of seconds of the handoff throttle, 1024 KiB/s / 7 per holder here), held by several stand-ins.
  const result = run({ nodes: 8, n: 3, r: 1, w: 1, sloppy: true, extra: "read_repair: false" }, { faults: crashes([2, 5], 5, 25), writes: 2000, reads: 0, keys: 5000, durationS: 120 });
  const recovered = factsOf(result.timeline, "recover");
  assert.equal(recovered.length, 2);
  for (const back of recovered) {
    assert.equal(back.as, "leaderless");
    const owed = back.as === "leaderless" ? back.hintsHeld : 0;
    assert.ok(owed > 2000, `${back.node} owed ${owed}: the test needs several seconds of handoff`);
    const notes = factsOf(result.timeline, "hints-replayed").filter((e) => e.owner === back.node);
    assert.ok(notes.length > 0, `no hints-replayed note for ${back.node}`);
    const replayed = notes.reduce((sum, e) => sum + e.replayed, 0);
    assert.equal(replayed, owed, `${back.node}: notes say ${replayed} replayed (${notes.map((e) => `${e.replayed}/${e.owed}`).join(" | ")}) of ${owed} held`);
  }
});

// ---------------------------------------------------------------------------
// Crashes take back what had not landed

test("a replica that crashes before a write reaches it does not keep it, even when the write was already acknowledged", () => {
  // W=1: n1 (the clients' nearest coordinator) acknowledges alone; n2 and n3 get each write 300 ms later.
  // Both crash at 10 s, then n1's zone is lost for good: the writes of the last 300 ms were only on n1.
  const text = `kind: scenario
name: acked-then-crashed
seed: 3
duration: 20s
workload: { writes: 1000, reads: 0, clients: 30, keys: 100000, zones: [east/a] }
faults:
  - { at: 1s, latency: { between: [[n2, n3], [n1, east/a]], add: 300ms } }
  - { at: 10s, crash: n2 }
  - { at: 10s, crash: n3 }
  - { at: 10001ms, lose: east/a }
topology:
  kind: topology
  name: three
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, conflict: lww }
  data_classes:
    kv: { rpo: 1m, rto: 1m, consistency: eventual }
`;
  const result = runText(text);
  assert.deepEqual(result.violations, []);
  // About 300 ms of writes at 1,000/s.
  assert.ok(result.totals.writesLost > 200 && result.totals.writesLost < 400, `lost ${result.totals.writesLost}, expected about 300`);
  const rpo = result.classes[0].rpo;
  assert.ok(rpo.windowMs > 250 && rpo.windowMs < 350, `loss window ${rpo.windowMs} ms`);
});

test("version store: with several versions of a key in flight, a crash takes back every one that had not landed", () => {
  const store = new VersionStore(2, 4);
  store.set(0, 1, 10, 5, 0); // lands at 5
  store.set(0, 1, 11, 50, 20); // in flight until 50
  store.set(0, 1, 12, 60, 30); // in flight until 60
  store.set(0, 1, 13, 40, 35); // newest, lands first (40)
  assert.deepEqual([store.get(0, 1, 36), store.get(0, 1, 45), store.get(0, 1, 55), store.get(0, 1, 70)], [10, 13, 13, 13]);
  assert.equal(store.latest(0, 1), 13);
  store.revertUnlanded(0, 1, 38); // a crash at 38: 11, 12 and 13 never land
  assert.deepEqual([store.latest(0, 1), store.get(0, 1, 38), store.get(0, 1, 100)], [10, 10, 10]);
  // The other node and key are untouched; the two-slot form works again.
  store.set(0, 1, 14, 45, 40);
  assert.deepEqual([store.get(0, 1, 44), store.get(0, 1, 45)], [10, 14]);
  store.revertUnlanded(0, 1, 44);
  assert.equal(store.latest(0, 1), 10);
  assert.equal(store.get(1, 1, 100), -1);
});

// ---------------------------------------------------------------------------
// Invariants under random crash/recover schedules

interface Schedule {
  nodes: number;
  n: number;
  r: number;
  w: number;
  readRepair: boolean;
  keys: number;
  faults: { kind: "crash" | "recover"; at: number; node: number; for: number | null }[];
  seed: number;
}

function schedules(strong: boolean) {
  const fault = fc.record({
    kind: fc.constantFrom("crash" as const, "crash" as const, "recover" as const),
    at: fc.integer({ min: 1000, max: 25_000 }),
    node: fc.integer({ min: 1, max: 7 }),
    for: fc.option(fc.integer({ min: 300, max: 12_000 }), { nil: null }),
  });
  return fc
    .record({
      nodes: fc.integer({ min: 3, max: 7 }),
      n: fc.integer({ min: 1, max: 7 }),
      r: fc.integer({ min: 1, max: 7 }),
      w: fc.integer({ min: 1, max: 7 }),
      readRepair: fc.boolean(),
      keys: fc.constantFrom(5, 60, 2000),
      faults: fc.array(fault, { maxLength: 8 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
    })
    .filter((s) => s.n <= s.nodes && s.r <= s.n && s.w <= s.n && (!strong || s.r + s.w > s.n));
}

function scheduleRun(s: Schedule, sloppy: boolean, conflict: Cluster["conflict"]): SimulationResult {
  const faults = s.faults
    .filter((f) => f.node <= s.nodes)
    .sort((a, b) => a.at - b.at)
    .map((f) => (f.kind === "recover" ? `{ at: ${f.at}ms, recover: n${f.node} }` : `{ at: ${f.at}ms, crash: n${f.node}${f.for === null ? "" : `, for: ${f.for}ms`} }`));
  return run({ nodes: s.nodes, n: s.n, r: s.r, w: s.w, sloppy, conflict, extra: `read_repair: ${s.readRepair}` }, { seed: s.seed, durationS: 30, writes: 300, reads: 600, keys: s.keys, faults });
}

test("strict quorum with R + W > N: no stale read (LWW or vector clocks) and no acknowledged write lost to a crash, under any crash/recover schedule", () => {
  fc.assert(
    fc.property(schedules(true), (s) => {
      const context = JSON.stringify(s);
      for (const conflict of ["lww", "vector-clock"] as const) {
        const result = scheduleRun(s, false, conflict);
        assert.deepEqual(result.violations, [], `${conflict} ${context}`);
        assert.equal(result.totals.staleReads, 0, `${conflict} ${context}`);
        // LWW also drops the losers of concurrent writes (tested apart); siblings leave only what crashes lose.
        if (conflict === "vector-clock") assert.equal(result.totals.writesLost, 0, context);
      }
    }),
    { numRuns: 40, seed: 20261201 },
  );
});

test("sloppy quorum under any crash/recover schedule: nothing acknowledged is lost to a crash (vector clocks), and every handoff note adds up", () => {
  fc.assert(
    fc.property(schedules(false), (s) => {
      const result = scheduleRun(s, true, "vector-clock");
      const context = JSON.stringify(s);
      // The engine's own checker flags a completed handoff whose replays differ from what was owed.
      assert.deepEqual(result.violations, [], context);
      assert.equal(result.totals.writesLost, 0, context);
      for (const note of factsOf(result.timeline, "hints-replayed")) {
        if (note.outcome === "done") assert.equal(note.replayed, note.owed, JSON.stringify(note));
        else assert.ok(note.replayed < note.owed, JSON.stringify(note));
      }
    }),
    { numRuns: 30, seed: 20261202 },
  );
});

test("a crash that takes back an ack the write did not need leaves its outcome where it was (no event queued in the past)", () => {
  // Found by the swarm (seed 1659): W=1, the first ack had arrived, and the crash of a slower replica re-drew the
  // coordinator's reply to the client, 0.1 ms before the crash.
  const text = `kind: scenario
name: swarm-leaderless-1659
seed: 103814159
duration: 28500ms
workload: { writes: 100, reads: 100, clients: 20, keys: 1000, zones: [east/a, east/b, east/c] }
faults:
  - { at: 14500ms, crash: n1, for: 21500ms }
  - { at: 27500ms, crash: n6, for: 1s }
topology:
  kind: topology
  name: swarm-leaderless-1659
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a }
    n1: { zone: east/c }
    n2: { zone: east/b }
    n3: { zone: east/a }
    n4: { zone: east/c }
    n5: { zone: east/b }
    n6: { zone: east/a }
  replication: { mode: leaderless, n: 4, w: 1, r: 3, sloppy_quorum: false, hinted_handoff: { window: 1m }, read_repair: true, conflict: vector-clock, vnodes: 8 }
  data_classes:
    ledger: { rpo: 0, rto: 15s, consistency: strong, share: 0.5 }
    events: { rpo: 1m, rto: 2m, share: 0.5 }
`;
  const result = runText(text);
  assert.deepEqual(result.violations, []);
});

test("hints-dropped is noted for every node down past the hint window, and its return says how many hints were not kept", () => {
  const result = run(
    { nodes: 6, n: 3, r: 2, w: 2, sloppy: true, extra: "hinted_handoff: { window: 3s }" },
    { faults: ["{ at: 2s, crash: n2, for: 8s }", "{ at: 2500ms, crash: n4, for: 8s }"], writes: 500, reads: 0, keys: 500, durationS: 20 },
  );
  assert.deepEqual(
    events(result, "hints-dropped").map((e) => e.node),
    ["n2", "n4"],
  );
  for (const back of factsOf(result.timeline, "recover")) assert.ok(back.as === "leaderless" && back.hintsHeld > 0 && back.hintsNotKept > 0, JSON.stringify(back));
});

test("a version older than one still in flight is held from its landing until the newer one lands", () => {
  const store = new VersionStore(1, 4);
  const newer = (a: number, b: number) => a > b;
  store.set(0, 1, 10, 0, 0);
  // Write 12 is sent first over a slow link (lands at 200); write 11, sent before it was, lands at 5.
  store.set(0, 1, 12, 200, 1);
  store.setOlder(0, 1, 11, 5, 2, newer);
  assert.equal(store.get(0, 1, 3), 10, "before either lands");
  assert.equal(store.get(0, 1, 5), 11, "the older write has landed; the newer has not");
  assert.equal(store.get(0, 1, 199), 11);
  assert.equal(store.get(0, 1, 200), 12, "the newer write supersedes it when it lands");
  // An older version that would land after a newer one is never seen.
  store.setOlder(0, 1, 9, 300, 250, newer);
  assert.equal(store.get(0, 1, 300), 12);
});

test("a strict quorum still hands off: the coordinator keeps hints for a replica that is down, so stale reads stop once it is back (found by a review)", () => {
  // Cassandra's defaults (hinted handoff on, no sloppy quorum), W=2 R=1 and no read repair: only the hints bring n3 up to date.
  // Four nodes for N=3: a coordinator that is a replica answers R=1 from its own copy in process, so a stale n3 is
  // read only where the coordinator is not one of the key's replicas and n3's reply comes first.
  const run = (durationS: number) =>
    simulate(
      scenarioText(`kind: scenario
name: strict-handoff
topology:
  kind: topology
  name: four
  preset: cassandra
  regions: { us-east: { zones: [a, b, c, d] } }
  nodes:
    n1: { zone: us-east/a }
    n2: { zone: us-east/b }
    n3: { zone: us-east/c }
    n4: { zone: us-east/d }
  replication: { mode: leaderless, n: 3, w: 2, r: 1, sloppy_quorum: false, read_repair: false }
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: eventual }
seed: 5
duration: ${durationS}s
workload: { writes: 500, reads: 1500, clients: 60, keys: 20000, zones: [us-east/a, us-east/b, us-east/c] }
faults:
  - { at: 10s, crash: n3, for: 20s }
`),
    );
  // Back at 30 s, seen up at 32 s, replayed from the 40-s dispatch trigger at 512 hints/s per coordinator: done by 60 s.
  const short = run(70);
  const long = run(190);
  const [replayed] = factsOf(short.timeline, "hints-replayed");
  assert.ok(replayed && replayed.outcome === "done" && replayed.replayed > 5000, JSON.stringify(replayed));
  const [hinted] = factsOf(short.timeline, "hinted-write");
  assert.ok(hinted && hinted.standIn === false, "the coordinator keeps the hint, no stand-in");
  const stale = (r: SimulationResult) => r.totals.staleReads;
  assert.ok(stale(short) > 0, "reads of n3 before the handoff finishes are stale");
  assert.equal(stale(long), stale(short), "and none after it: two more minutes of reads add no stale read");
});

// Writes on the two sides of a partition never see each other, however far apart in time: under last-write-wins
// one side's versions lose when the sides meet, as two leaders' do (found by a review: a 20 s split of a sloppy
// quorum counted the conflicts and losses of a run without one).
test("leaderless: a partition makes the two sides' writes concurrent; LWW drops one side's, vector clocks keep both", () => {
  const text = (conflict: string, faults: string) => `kind: scenario
name: split
seed: 1
duration: 60s
workload: { writes: 600, clients: 60, keys: 1000 }
faults: ${faults}
topology:
  kind: topology
  name: six
  preset: dynamo
  regions: { us-east: { zones: [a, b, c] } }
  nodes: { a1: { zone: us-east/a }, a2: { zone: us-east/a }, b1: { zone: us-east/b }, b2: { zone: us-east/b }, c1: { zone: us-east/c }, c2: { zone: us-east/c } }
  replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: true, conflict: ${conflict} }
  data_classes: { d: { rpo: 1m, rto: 1m, share: 1 } }
`;
  const split = "[{ at: 20s, partition: [[us-east/a], [us-east/b, us-east/c]], for: 20s }]";
  const calm = runText(text("lww", "[]")).totals;
  const lww = runText(text("lww", split)).totals;
  // Without the split a few writes overlap in flight; with it, most keys were written on both sides.
  assert.ok(lww.conflicts > 20 * calm.conflicts, `conflicts ${calm.conflicts} → ${lww.conflicts}`);
  assert.ok(lww.writesLost > 3 * calm.writesLost, `lost ${calm.writesLost} → ${lww.writesLost}`);
  // Each key's losing side loses its whole line of versions written during the split (12,000 writes in 20 s), as a
  // multi-leader pair would: a third of the clients are on side a, so about 1/3·2/3 + 2/3·1/3 = 4/9 of them. A write
  // after the heal builds on the winner only, not on the loser a node the winner has not reached yet still holds
  // (found by a review: counting those as seen kept nearly every line, 213 lost).
  assert.ok(lww.writesLost > 0.3 * 12_000 && lww.writesLost < 0.6 * 12_000, `lost ${lww.writesLost} of the split's 12,000 writes`);
  const clocks = runText(text("vector-clock", split)).totals;
  assert.equal(clocks.writesLost, 0);
  // The same concurrent pairs, give or take the few whose timing the two resolutions change.
  assert.ok(Math.abs(clocks.conflicts - lww.conflicts) < 0.05 * lww.conflicts, `conflicts ${lww.conflicts} (LWW), ${clocks.conflicts} (clocks)`);
});
