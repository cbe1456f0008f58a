// A write a Raft follower passes on to the leader is the client's request all the same: the client waits for it
// until its timeout and no longer. Over a link to the leader slower than the timeout (12 s added between the
// follower and the leader, a 10 s timeout), the request cannot reach the leader in time: it times out at the
// client's deadline, 10 s after it was sent, not when it would have reached the leader 12 s after. The same for a
// write sent straight to the leader over such a link.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Core } from "../../src/engine/core.js";
import { LeaderFollower } from "../../src/engine/leader-follower/shape.js";
import { REJECTED } from "../../src/engine/write-log.js";
import { scenarioText } from "./helpers.js";

const TIMEOUT_MS = 10_000;

function group(between: string): string {
  return `kind: scenario
name: forwarded-write-deadline
seed: 3
duration: 30s
workload: { writes: 20, reads: 0, clients: 4, zones: [r/b], timeout: 10s }
faults:
  - { at: 1s, latency: { between: ${between}, add: 12s } }
topology:
  kind: topology
  name: forwarded-write-deadline
  preset: etcd-raft
  regions: { r: { zones: [a, b, c] } }
  nodes:
    m1: { zone: r/a, role: leader }
    m2: { zone: r/b }
    m3: { zone: r/c }
  replication: { mode: consensus }
  data_classes:
    kv: { rpo: 0, rto: 30s }
`;
}

/** The write outcomes of a run with every client connected to `member`: how long each write on its way (passed on by a follower, or not) waited before it timed out. */
function rejectedConnectedTo(text: string, member: number, forwarded: boolean): { forwarded: number; waits: number[] } {
  const scenario = scenarioText(text);
  const core = new Core(scenario, scenario.seed);
  core.shape = new LeaderFollower(core);
  core.conn.fill(member);
  core.run(scenario.faults);
  const log = core.log;
  const waits: number[] = [];
  for (let id = log.head; id < log.count; id++) {
    const i = id & log.mask;
    // Refused at once (a client reconnecting after its timeout) is another outcome: only the requests that were on their way.
    if (log.status[i] === REJECTED && log.sendMs[i] >= 1_000 && log.sendMs[i] < 15_000 && log.doneMs[i] > log.sendMs[i] && log.via[i] >= 0 === forwarded) waits.push(log.doneMs[i] - log.sendMs[i]);
  }
  return { forwarded: core.forwardedWrites, waits };
}

test("a write a follower passes on over a link slower than the client's timeout times out at the client's deadline", () => {
  // The follower m2 (every client beside it, connected to it) is 12 s from the leader; m3 still hears the leader, so no election.
  const { forwarded, waits } = rejectedConnectedTo(group("[[r/b], [r/a, r/c]]"), 1, true);
  assert.ok(forwarded > 10, `${forwarded} writes passed on`);
  assert.ok(waits.length > 10, `${waits.length} writes timed out`);
  for (const wait of waits) assert.ok(Math.abs(wait - TIMEOUT_MS) < 0.01, `a write timed out ${wait} ms after it was sent`);
});

test("a write sent straight to the leader over a link slower than the client's timeout times out at the deadline too", () => {
  const { waits } = rejectedConnectedTo(group("[[r/b], [r/a, r/c]]"), 0, false);
  assert.ok(waits.length > 10, `${waits.length} writes timed out`);
  for (const wait of waits) assert.ok(Math.abs(wait - TIMEOUT_MS) < 0.01, `a write timed out ${wait} ms after it was sent`);
});
