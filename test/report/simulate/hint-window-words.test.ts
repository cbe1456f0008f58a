// A node down past the hint window misses the writes made after it: no hint is kept for them, and the engine runs
// no anti-entropy repair. The handoff after its return used to read 'replayed 3,570 ...: all 3,570 it was owed' a
// line after the recover line said 7,313 more were not kept (found by a review): it now says it replayed all that
// was kept and that the node stays behind on the rest, and the hints-dropped line no longer promises 'a repair'
// the run never makes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { scenarioText } from "../../engine/helpers.js";

function hintWindow(window: string, readRepair: boolean): { dropped: string[]; replayed: string[] } {
  const r = simulate(
    scenarioText(`kind: scenario
name: hint-window-words
seed: 14
duration: 40s
workload: { writes: 300, reads: 300, clients: 30, keys: 20000 }
topology:
  kind: topology
  name: n3-of-5
  preset: dynamo
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a }
    n2: { zone: east/b }
    n3: { zone: east/c }
    n4: { zone: east/a }
    n5: { zone: east/b }
  replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: true, hinted_handoff: { window: ${window} }, read_repair: ${readRepair}, conflict: lww }
  data_classes:
    carts: { rpo: 1m, rto: 1m, consistency: eventual }
  ignore: [backups-missing, rpo-zero-without-prevention, leaderless-lww-rpo-zero]
faults:
  - { at: 5s, crash: n3, for: 15s }
`),
  );
  const words = (kind: string) => r.timeline.filter((e) => e.event === kind).map((e) => describeEntry(e, r));
  return { dropped: words("hints-dropped"), replayed: words("hints-replayed") };
}

test("down past the hint window: the handoff does not claim it replayed all the node was owed", () => {
  const { dropped, replayed } = hintWindow("5s", false);
  assert.equal(dropped.length, 1);
  assert.match(dropped[0], /no more hints are kept for it; what it misses from now on reaches it only when a key is written again \(read repair is off\), as no anti-entropy repair \(nodetool repair\) runs here/);
  assert.doesNotMatch(dropped[0], /or a repair/);
  assert.equal(replayed.length, 1);
  assert.match(replayed[0], /: all [\d,]+ kept for it; [\d,]+ writes made past the hint window were never hinted: it stays behind on those keys until each is written again$/);
  assert.doesNotMatch(replayed[0], /it was owed/);
});

test("with read repair on, the words say reads repair it too; within the window the handoff is all it was owed", () => {
  const { dropped, replayed } = hintWindow("5s", true);
  assert.match(dropped[0], /written again or read-repaired, as no anti-entropy repair/);
  assert.match(replayed[0], /until each is written again or read-repaired$/);
  const within = hintWindow("3h", false);
  assert.equal(within.dropped.length, 0);
  assert.match(within.replayed[0], /: all [\d,]+ it was owed$/);
});
