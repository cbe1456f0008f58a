// A write refused under a strict quorum (fewer than W of its replicas reachable) was stored nowhere: it is no
// conflict, and the key's next write does not conflict with it. Three nodes with N = 3 and W = 3 and one node
// down from the start refuse every write, so nothing can have conflicted; a few hot keys and a high write rate
// make many of those refused writes overlap in time, as concurrent writes to one key would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

function allRefused(): string {
  return `kind: scenario
name: refused-writes
seed: 3
duration: 20s
workload: { writes: 400, reads: 0, clients: 30, keys: 5 }
faults:
  - { at: 0, crash: n3 }
topology:
  kind: topology
  name: refused-writes
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: leaderless, n: 3, w: 3, r: 1, sloppy_quorum: false, conflict: lww }
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: eventual }
`;
}

test("writes refused for want of W reachable replicas are never counted as conflicts", () => {
  const result = simulate(scenarioText(allRefused()));
  assert.equal(result.totals.writesAcked, 0, "every write is refused");
  assert.ok(result.totals.writesRejected > 1000, `many writes refused (${result.totals.writesRejected})`);
  assert.equal(result.totals.conflicts, 0, "a refused write conflicts with nothing");
});

