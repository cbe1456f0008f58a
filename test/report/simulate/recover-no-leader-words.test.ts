// A replica that comes back while no node leads has nothing to stream from: the timeline must not promise it
// "streams again in ~3.5s" (found by a review: pg-c back 2 s after the leader's crash was said to stream again in
// 3.5 s; it streamed 12 s later, from the leader the failover elected).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { factsOf } from "../../../src/engine/result.js";
import { scenarioText } from "../../engine/helpers.js";

function recoverWords(recoverAt: string): { text: string; noLeader: boolean | undefined; followAtMs: number | undefined; recoverAtMs: number } {
  const r = simulate(
    scenarioText(`kind: scenario
name: replica-back-without-leader
seed: 1
duration: 60s
workload: { writes: 200, reads: 200, clients: 50 }
topology:
  kind: topology
  name: three
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    pg-a: { zone: east/a, role: leader }
    pg-b: { zone: east/b }
    pg-c: { zone: east/c }
  replication: { mode: leader-follower }
  failover: { coordinator: east }
  data_classes:
    c: { rpo: 1m, rto: 1m, share: 1 }
faults:
  - { at: 5s, crash: pg-c }
  - { at: 20s, crash: pg-a }
  - { at: ${recoverAt}, recover: pg-c }
`),
  );
  const entry = r.timeline.find((e) => e.node === "pg-c" && e.event === "recover")!;
  const fact = factsOf(r.timeline, "recover").find((e) => e.node === "pg-c")!;
  const follow = factsOf(r.timeline, "follow").find((e) => e.node === "pg-c" && e.atMs >= fact.atMs);
  return {
    text: describeEntry(entry, { firstFaultMs: r.firstFaultMs, mode: r.mode, preset: r.preset, timeline: r.timeline }),
    noLeader: "noLeader" in fact ? fact.noLeader : undefined,
    followAtMs: follow?.atMs,
    recoverAtMs: fact.atMs,
  };
}

test("a replica back while the leader is down and none is elected yet is not told it streams again in seconds", () => {
  const w = recoverWords("22s");
  assert.equal(w.noLeader, true);
  assert.doesNotMatch(w.text, /streams again in/);
  assert.match(w.text, /no leader is up to stream from/);
  // It streams only once the failover has a new leader, far later than a rejoin delay.
  assert.ok(w.followAtMs !== undefined && w.followAtMs - w.recoverAtMs > 5_000, `follows at ${w.followAtMs}`);
});

test("a replica back while a leader leads still streams again in seconds", () => {
  const w = recoverWords("15s");
  assert.equal(w.noLeader, undefined);
  assert.match(w.text, /streams again in ~/);
});
