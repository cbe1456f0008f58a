// Last-write-wins on hand-made histories: a few writes and reads at chosen instants, over links of constant
// latency, so that every answer can be worked out on paper. What is lost: an acknowledged write overwritten by
// a write that never saw it (concurrent with it, or made before it on a clock running ahead) is silently
// dropped; one overwritten by a write made after it was acknowledged is history, not a loss, unless that later
// write's own line is dropped (the history goes with it, as a cut-off leader's timeline does). What is stale: a
// read that does not return the latest write acknowledged before it was sent (in real time, whatever the
// timestamps say). Leaderless and multi-leader count the same history the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../../src/engine/core.js";
import { EV } from "../../src/engine/core/state.js";
import { Leaderless } from "../../src/engine/leaderless/shape.js";
import { MultiLeader } from "../../src/engine/multi-leader.js";
import { measure } from "../../src/engine/measure.js";
import type { SimulationResult } from "../../src/engine/result.js";
import { scenarioText } from "./helpers.js";

/** One request: a write or a read of the only key, sent at `at` ms by client `client`. */
type Step = { at: number; write: number } | { at: number; read: number };

/** An event kind no engine module uses: a scripted request is due. */
const SCRIPTED = 63;

/**
 * Runs `steps` on a cluster with no traffic of its own: each client talks to the node of its index (a client
 * per node), one way 1 ms within a zone and 5 ms across zones, fsync 1 ms.
 */
function runScript(mode: "leaderless" | "multi-leader", replication: string, steps: Step[], faults = "", duration = "10s"): SimulationResult {
  const threeZones = mode === "leaderless";
  const text = `kind: scenario
name: hand-made
seed: 1
duration: ${duration}
workload: { writes: 0, reads: 0, clients: ${threeZones ? 3 : 2}, keys: 1, zones: [${threeZones ? "east/a, east/b, east/c" : "east/a, west/a"}] }
topology:
  kind: topology
  name: hand-made
  regions: ${threeZones ? "{ east: { zones: [a, b, c] } }" : "{ east: { zones: [a] }, west: { zones: [a] } }"}
  network:
    same-zone: { constant: 1 }
    cross-zone: { constant: 5 }
    cross-region: { constant: 5 }
  storage: { fsync: { constant: 1 } }
  nodes:
${threeZones ? "    n1: { zone: east/a }\n    n2: { zone: east/b }\n    n3: { zone: east/c }" : "    n1: { zone: east/a }\n    n2: { zone: west/a }"}
  replication: ${replication}
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: strong }
${faults}`;
  const scenario = scenarioText(text);
  const core = new Core(scenario, scenario.seed);
  const shape = mode === "leaderless" ? new Leaderless(core) : new MultiLeader(core);
  core.shape = shape;
  const start = shape.start.bind(shape);
  shape.start = () => {
    start();
    for (let c = 0; c < core.conn.length; c++) core.conn[c] = c;
  };
  const handle = shape.handle.bind(shape);
  shape.handle = (kind, a, b, now) => (kind === SCRIPTED ? send(core, steps[a], now) : handle(kind, a, b, now));
  steps.forEach((step, i) => core.queue.push(step.at, SCRIPTED, i));
  core.run(scenario.faults);
  return measure(core, scenario, scenario.seed);
}

function send(core: Core, step: Step, now: number): void {
  if ("read" in step) {
    core.shape.read!(step.read, 0, 0, now);
    return;
  }
  const client = step.write;
  const id = core.log.add(now, 0, 0, client);
  core.pending.push(id);
  core.classes[0].writesBeforeFault++;
  const node = core.conn[client];
  core.queue.push(now + core.network.latency(core.clientPlace[client], node), EV.WRITE_ARRIVE, id, node);
}

const strictQuorum = (extra = "") => `{ mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: false, read_repair: true${extra} }`;

function counts(result: SimulationResult) {
  const t = result.totals;
  return { acked: t.writesAcked, lost: t.writesLost, conflicts: t.conflicts, reads: t.readsServed, stale: t.staleReads };
}

// Timings, N=3 W=2 R=2, client c on node n(c+1): a write sent at t reaches its coordinator at t+1, the replica
// in its zone at t+2 and the other two at t+6, is flushed 1 ms later, and acks come back from the local replica
// at t+4 and the others at t+12: the second ack at t+12, the client hears at t+13. A read sent at t reaches the
// coordinator at t+1 and its R=2 replies come from the local replica (state at t+2) and the others (t+6).

test("leaderless LWW: of two concurrent acknowledged writes, the one with the older timestamp is lost", () => {
  // Client 0 writes at 100 (timestamp 101, acked at 113), client 1 at 101 (timestamp 102): neither saw the other.
  const result = runScript("leaderless", strictQuorum(), [
    { at: 100, write: 0 },
    { at: 101, write: 1 },
    { at: 300, read: 2 },
  ]);
  // The read returns the winner: it is concurrent with the loser, so not stale.
  assert.deepEqual(counts(result), { acked: 2, lost: 1, conflicts: 1, reads: 1, stale: 0 });
});

test("leaderless vector clocks: the same two concurrent writes become siblings, and neither is lost", () => {
  const result = runScript("leaderless", strictQuorum(", conflict: vector-clock"), [
    { at: 100, write: 0 },
    { at: 101, write: 1 },
  ]);
  assert.deepEqual(counts(result), { acked: 2, lost: 0, conflicts: 1, reads: 0, stale: 0 });
});

test("leaderless LWW: a write made after the first was acknowledged overwrites it without losing it", () => {
  // The first is acknowledged at 113; the second is sent at 200.
  const result = runScript("leaderless", strictQuorum(), [
    { at: 100, write: 0 },
    { at: 200, write: 1 },
    { at: 300, read: 2 },
  ]);
  assert.deepEqual(counts(result), { acked: 2, lost: 0, conflicts: 0, reads: 1, stale: 0 });
});

test("leaderless LWW with n1's clock 1 s ahead: a later acknowledged write is dropped, and a read after it is stale", () => {
  // n1 stamps the first write 1101; the second, sent at 200 once the first was acknowledged (113), is stamped 201
  // and loses everywhere. The read at 300 gets the first write back: the client wrote the second, was told it was
  // stored, and reads the value before it. The read at 50, before any acknowledgement, is not stale.
  const steps: Step[] = [
    { at: 50, read: 2 },
    { at: 100, write: 0 },
    { at: 200, write: 1 },
    { at: 300, read: 2 },
  ];
  const skewed = runScript("leaderless", strictQuorum(", clock_skew: { n1: 1s }"), steps);
  assert.deepEqual(counts(skewed), { acked: 2, lost: 1, conflicts: 0, reads: 2, stale: 1 });
  // The same history on clocks that agree: nothing lost, nothing stale.
  const synced = runScript("leaderless", strictQuorum(), steps);
  assert.deepEqual(counts(synced), { acked: 2, lost: 0, conflicts: 0, reads: 2, stale: 0 });
});

test("leaderless LWW with n1's clock 1 s ahead: a write after one the skew erased does not conflict with it (found by a review: conflicts rose with skew alone)", () => {
  // The first write (n1, stamped 1101) erases the second (n2, sent at 200, stamped 201) on arrival. The third, sent at
  // 1300 on n3 (stamped 1301) long after both were acknowledged, follows the first: it saw the state the second left.
  const result = runScript("leaderless", strictQuorum(", clock_skew: { n1: 1s }"), [
    { at: 100, write: 0 },
    { at: 200, write: 1 },
    { at: 1300, write: 2 },
    { at: 1500, read: 0 },
  ]);
  assert.deepEqual(counts(result), { acked: 3, lost: 1, conflicts: 0, reads: 1, stale: 0 });
});

test("leaderless LWW with n1's clock 1 s ahead: a write that overwrites one it never saw loses it, though it follows the version that erases it (found by a review: counted as history)", () => {
  // Across a partition: v on n1 at 100 (stamped 1101), e on n2 at 200 (stamped 201: concurrent with v, on n2 and n3),
  // then L on n1 at 300 (stamped 1301), built on v. n1 keeps its hints for n2 and n3; a queue keeps a key's newest
  // only, so after the heal L lands there without v and erases e. L follows v, which would have erased e, so it is no
  // new conflict; but e is in no surviving version's history: it is lost, as it is when v lands first.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 200, write: 1 },
    { at: 300, write: 0 },
  ];
  const partition = "faults:\n  - { at: 50ms, partition: [[n1, east/a], [n2, n3, east/b, east/c]], for: 2s }\n";
  const lww = "{ mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, read_repair: false, clock_skew: { n1: 1s } }";
  const result = runScript("leaderless", lww, steps, partition, "20s");
  assert.deepEqual(counts(result), { acked: 3, lost: 1, conflicts: 1, reads: 0, stale: 0 });
  // Lost when L's replayed hint landed on n2 (hints are dispatched every 10 s), about 9.8 s after e was acknowledged.
  const windowMs = result.classes[0].rpo.windowMs;
  assert.ok(windowMs > 9_000 && windowMs < 10_000, `RPO window ${windowMs} ms`);
});

test("leaderless LWW with n1's clock 50 ms ahead: writes to the key more than 50 ms later win again", () => {
  // Timestamps 101+50 = 151 and 201: the second is newer. Only a write within the skew would be dropped.
  const result = runScript("leaderless", strictQuorum(", clock_skew: { n1: 50ms }"), [
    { at: 100, write: 0 },
    { at: 200, write: 1 },
    { at: 300, read: 2 },
  ]);
  assert.deepEqual(counts(result), { acked: 2, lost: 0, conflicts: 0, reads: 1, stale: 0 });
});

test("LWW across a partition loses the beaten side's whole line of versions, in both modes (found by a review: leaderless counted only the last)", () => {
  // Client 0 writes twice on its side of a partition (the second built on the first), client 1 once on the other side
  // with a later timestamp. Once the sides meet, the later line wins: both of client 0's writes are gone, the first
  // with the second it lived on in (a read-modify-write would have lost both updates). A single leader cut off the
  // same way loses both too.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 200, write: 0 },
    { at: 300, write: 1 },
  ];
  const partition = (left: string, right: string) => `faults:\n  - { at: 50ms, partition: [[${left}], [${right}]], for: 500ms }\n`;
  // Leaderless W=1 on n1 alone; a read of all three after the heal repairs the losing copies.
  const leaderless = runScript("leaderless", "{ mode: leaderless, n: 3, w: 1, r: 3, sloppy_quorum: false, read_repair: true }", [...steps, { at: 800, read: 2 }], partition("n1, east/a", "n2, n3, east/b, east/c"));
  assert.equal(leaderless.totals.writesAcked, 3);
  assert.equal(leaderless.totals.writesLost, 2, JSON.stringify(counts(leaderless)));
  const multi = runScript("multi-leader", "{ mode: multi-leader, leaders: [east, west], conflict: lww, routing: any }", steps, partition("n1, east/a", "n2, west/a"));
  assert.equal(multi.totals.writesAcked, 3);
  assert.equal(multi.totals.writesLost, 2, JSON.stringify(counts(multi)));
});

test("leaderless LWW: a beaten line is lost whole even when a node the winner has not reached still holds its last version (found by a review)", () => {
  // The partition history above, W=1 R=1 with no read repair: n1 holds client 0's two writes, n2 and n3 client 1's.
  // After the heal n1's hints erase the second write on n3 (n2 is down); client 1's write reaches n1 only by a hint
  // n2 keeps for it, and n2 crashed before the heal. n1 still holds the dropped second write, the first in its history.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 200, write: 0 },
    { at: 300, write: 1 },
  ];
  const lww = "{ mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, read_repair: false }";
  const partition = "faults:\n  - { at: 50ms, partition: [[n1, east/a], [n2, n3, east/b, east/c]], for: 2s }\n";
  const healed = runScript("leaderless", lww, steps, partition, "20s");
  assert.deepEqual(counts(healed), { acked: 3, lost: 2, conflicts: 1, reads: 0, stale: 0 });
  // n2's crash only keeps the winner off n1 for now: the first write goes with the second all the same.
  const n2Down = runScript("leaderless", lww, steps, `${partition}  - { at: 1900ms, crash: n2 }\n`, "20s");
  assert.deepEqual(counts(n2Down), { acked: 3, lost: 2, conflicts: 1, reads: 0, stale: 0 });
  // Both lost when n1's hint landed on n3 and LWW dropped the second (hints are dispatched every 10 s): the first,
  // acknowledged at 103, about 9.9 s before.
  const windowMs = n2Down.classes[0].rpo.windowMs;
  assert.ok(windowMs > 9_800 && windowMs < 10_000, `RPO window ${windowMs} ms`);
});

test("LWW: a write after the heal builds on the winner, not on the beaten version a node still holds, in both modes (found by a review: leaderless kept the loser in its history)", () => {
  // Client 0 writes on its side of a partition, client 1 later on the other; just after the heal, before any hint or
  // replication queue has brought the sides together, client 1 writes again. A read then returns client 1's version
  // (the later timestamp): the new write is built on it, and client 0's is lost, as it is when the sides met first.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 300, write: 1 },
    { at: 600, write: 1 },
  ];
  const partition = (left: string, right: string) => `faults:\n  - { at: 50ms, partition: [[${left}], [${right}]], for: 500ms }\n`;
  const leaderless = runScript("leaderless", "{ mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, read_repair: false }", steps, partition("n1, east/a", "n2, n3, east/b, east/c"));
  const multi = runScript("multi-leader", "{ mode: multi-leader, leaders: [east, west], conflict: lww, routing: any }", steps, partition("n1, east/a", "n2, west/a"));
  assert.deepEqual(counts(multi), { acked: 3, lost: 1, conflicts: 1, reads: 0, stale: 0 });
  assert.deepEqual(counts(leaderless), counts(multi));
});

test("multi-leader LWW counts the same histories as leaderless: a concurrent loser is lost, an earlier acknowledged write is not", () => {
  // Client 0 on n1 (east), client 1 on n2 (west), 5 ms apart: a write sent at t is made at t+1, acked at t+3, and
  // reaches the other leader at t+7.
  const multi = "{ mode: multi-leader, leaders: [east, west], conflict: lww, routing: any }";
  const concurrent = runScript("multi-leader", multi, [
    { at: 100, write: 0 },
    { at: 101, write: 1 },
  ]);
  assert.deepEqual(counts(concurrent), { acked: 2, lost: 1, conflicts: 1, reads: 0, stale: 0 });
  const sequential = runScript("multi-leader", multi, [
    { at: 100, write: 0 },
    { at: 200, write: 1 },
  ]);
  assert.deepEqual(counts(sequential), { acked: 2, lost: 0, conflicts: 0, reads: 0, stale: 0 });
});

test("LWW: a write made just after another was acknowledged elsewhere, before any news of it could arrive, is concurrent with it, in both modes (found by a review: leaderless saw every reachable node's state at once)", () => {
  // Client 0 writes at 100 on n1 (W=1: acknowledged by n1 alone, the client hears at 103); client 1 writes at 104 on
  // n2, 5 ms away: its coordinator has it at 105, when n1's copy (landed at 102) could not have been heard of there
  // before 107, and n2's own copy lands at 107. Client 1 never saw client 0's write, and its later timestamp erases it:
  // a lost update, as in multi-leader, where client 0's write reaches the other leader at 107.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 104, write: 1 },
  ];
  const leaderless = runScript("leaderless", "{ mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, read_repair: false }", steps);
  const multi = runScript("multi-leader", "{ mode: multi-leader, leaders: [east, west], conflict: lww, routing: any }", steps);
  assert.deepEqual(counts(multi), { acked: 2, lost: 1, conflicts: 1, reads: 0, stale: 0 });
  assert.deepEqual(counts(leaderless), counts(multi));
  // Once news of it can have arrived (sent at 110, at n2 by 111), the second write builds on the first: nothing lost.
  const later = runScript("leaderless", "{ mode: leaderless, n: 3, w: 1, r: 1, sloppy_quorum: false, read_repair: false }", [
    { at: 100, write: 0 },
    { at: 110, write: 1 },
  ]);
  assert.deepEqual(counts(later), { acked: 2, lost: 0, conflicts: 0, reads: 0, stale: 0 });
});

test("leaderless LWW: a write that reached a replica the next writer reads is known to it, acknowledged or not, so W does not change what is lost (found by a review: losses rose with W)", () => {
  // Client 0 writes at 100 on n1: n2 stores it at 107; its acknowledgement needs the second (W=2) or third (W=3) ack,
  // which come back at 112, and the client hears at 113. Client 1 writes at 108 through n2, which holds the first
  // write already: it builds on it, as it would with W=1 (acknowledged at 103). An overwrite, not a lost update,
  // whatever W the first writer waited for.
  const steps: Step[] = [
    { at: 100, write: 0 },
    { at: 108, write: 1 },
    { at: 300, read: 2 },
  ];
  const quorum = (w: number) => `{ mode: leaderless, n: 3, w: ${w}, r: 1, sloppy_quorum: false, read_repair: false }`;
  for (const w of [1, 2, 3]) assert.deepEqual(counts(runScript("leaderless", quorum(w), steps)), { acked: 2, lost: 0, conflicts: 0, reads: 1, stale: 0 }, `W=${w}`);
  // Sent before any replica it can hear from holds the first (at 104, n2's copy lands at 107): concurrent at any W.
  const early: Step[] = [
    { at: 100, write: 0 },
    { at: 104, write: 1 },
  ];
  for (const w of [1, 2, 3]) assert.deepEqual(counts(runScript("leaderless", quorum(w), early)), { acked: 2, lost: 1, conflicts: 1, reads: 0, stale: 0 }, `W=${w}`);
});
