// The fencing step of a group whose members vote (Raft with CheckQuorum, a MongoDB replica set) does nothing to the
// old leader: the quorum fences it. What the timeline says there must be true at that moment. A MongoDB primary cut
// off in a minority steps down an election timeout after a majority last answered its heartbeats (the answers to its
// last heartbeat before the cut come back a round trip later); an etcd leader checks its quorum once every election
// timeout since it was elected (raft.go's MsgCheckQuorum) and steps down at the first check that finds no answer
// since the one before, between one and two timeouts after the last answer. Neither can commit meanwhile; the followers' timers
// may run out before that (a MongoDB secondary's at 10–11.5 s after the last heartbeat it heard, which with 2 s
// added came 2 s after it was sent; an etcd follower's at 1–2 s), so the line says the old leader is still up and
// when it steps down. An outvoted leader (its heartbeats late) is still up and leading when the followers campaign.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { scenarioText } from "./helpers.js";

const LATENCY_AT_MS = 1_000;
const PARTITION_AT_MS = 5_000;

function cutOff(preset: "etcd-raft" | "mongodb", add: string, seed: number): string {
  return `kind: scenario
name: fence-still-leads
seed: ${seed}
duration: 60s
workload: { writes: 200, reads: 0, clients: 20, zones: [east/a], timeout: 10s }
faults:
  - { at: ${LATENCY_AT_MS}ms, latency: { between: [[east/a], [east/b, east/c]], add: ${add} } }
  - { at: ${PARTITION_AT_MS}ms, partition: [[east/a], [east/b, east/c]], for: 40s }
topology:
  kind: topology
  name: fence-still-leads
  preset: ${preset}
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a, role: leader }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: ${preset === "mongodb" ? "leader-follower" : "consensus"} }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

const text = (r: ReturnType<typeof simulate>) => renderSimulateText(r, new Chalk({ level: 0 }), { width: 400 });

const CASES = [
  // One way 300.5 ms: the answers to the last heartbeat before the cut come back 601 ms after it was sent.
  { preset: "etcd-raft" as const, add: "300ms", roundTripMs: 601, timeoutMs: 1_000, periodMs: 100, checksEveryMs: 1_000, up: /the old leader is still up and still takes itself for the leader, but cut off from the majority it can commit nothing; it steps down at T\+[\d.]+s, at its first quorum check that finds no majority answered it \(CheckQuorum\)/, down: /no fencing needed: the old leader has stepped down/ },
  { preset: "mongodb" as const, add: "2s", roundTripMs: 4_001, timeoutMs: 10_000, periodMs: 2_000, checksEveryMs: 0, up: /the old primary is still up and still primary, cut off from the majority; it steps down at T\+[\d.]+s, when it has heard from no majority for an election timeout; meanwhile no write it takes can be majority-committed/, down: /no fencing needed: the old primary has stepped down/ },
];

for (const c of CASES) {
  const when = c.checksEveryMs > 0 ? "at its first quorum check (one every election timeout since its election) at least a timeout after a majority last answered it" : "an election timeout after a majority last answered it";
  test(`${c.preset}, a leader cut off in a minority: it steps down ${when}, commits nothing meanwhile, and the fence line says whether it is still up`, () => {
    let stillUp = 0;
    for (const seed of [3, 4, 5, 6, 7, 8]) {
      const r = simulate(scenarioText(cutOff(c.preset, c.add, seed)));
      const [fence] = factsOf(r.timeline, "fence");
      const demote = factsOf(r.timeline, "demote").find((d) => d.node === "n1");
      assert.ok(fence !== undefined && fence.via === "lease" && demote !== undefined, `seed ${seed}: a fence step and a step-down`);
      // The last renewal came at most a heartbeat interval before the cut; its answers a round trip later.
      const after = demote.atMs - PARTITION_AT_MS;
      const lastAnswerAfterMin = c.roundTripMs - c.periodMs;
      if (c.checksEveryMs > 0) {
        // The leader won at 0: its checks fall on whole election timeouts; the first one a timeout past the last answer steps it down.
        assert.equal(demote.atMs % c.checksEveryMs, 0, `seed ${seed}: stepped down at ${demote.atMs} ms, not at a quorum check`);
        assert.ok(after >= lastAnswerAfterMin + c.timeoutMs && after < c.roundTripMs + c.timeoutMs + c.checksEveryMs, `seed ${seed}: stepped down ${after} ms after the cut`);
      } else assert.ok(after > lastAnswerAfterMin + c.timeoutMs && after <= c.roundTripMs + c.timeoutMs + 0.1, `seed ${seed}: stepped down ${after} ms after the cut`);
      const leading = demote.atMs > fence.atMs;
      assert.equal(fence.stillLeads, leading ? "cut-off" : undefined, `seed ${seed}: the fact says whether it still leads`);
      if (leading) {
        stillUp++;
        assert.ok(Math.abs((fence.stepsDownAtMs ?? NaN) - demote.atMs) < 0.1, `seed ${seed}: the fact says when it steps down (${fence.stepsDownAtMs})`);
        assert.match(text(r), c.up);
      } else assert.match(text(r), c.down);
      // Every client sits beside the cut-off leader: nothing sent after the cut until well after its step-down is acknowledged.
      const buckets = r.writesOverTime?.buckets ?? [];
      const window = buckets.filter((b) => b.atMs >= PARTITION_AT_MS && b.atMs + (r.writesOverTime?.bucketMs ?? 1_000) <= demote.atMs);
      assert.ok(window.length > 0 && window.every((b) => b.acked === 0), `seed ${seed}: the cut-off leader committed nothing`);
    }
    assert.ok(stillUp > 0, "some seeds detect before the old leader steps down");
  });
}

test("etcd-raft, a leader whose heartbeats come 2 s late: the fence line says it is still up and leading", () => {
  const r = simulate(scenarioText(cutOff("etcd-raft", "2s", 3).replace(/\n {2}- \{ at: 5000ms, partition.*\n/, "\n")));
  const [fence] = factsOf(r.timeline, "fence");
  assert.ok(fence !== undefined && fence.via === "lease");
  assert.equal(fence.stillLeads, "outvoted");
  assert.match(text(r), /no fencing needed: the old leader is still up and leading, but its heartbeats come too late: once the followers vote for a new leader they refuse its entries, so it can commit nothing more, and it steps down when the new term reaches it/);
});
