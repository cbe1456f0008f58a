// Commit rules, checked through measured latencies: each synchronous_commit
// level waits for a later moment of the same write, and FIRST n waits for the
// named standby while ANY n takes the fastest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

function scenario(standbys: string, extra = ""): string {
  return `kind: scenario
name: commit-levels
seed: 3
duration: 20s
workload: { writes: 800, reads: 0, clients: 50, zones: [east/a] }
${extra}
topology:
  kind: topology
  name: commit-levels
  regions: { east: { zones: [a, b, c] } }
  nodes:
    a: { zone: east/a, role: leader }
    b: { zone: east/b, apply_rate: 3000 }
    c: { zone: east/c, apply_rate: 3000 }
  replication:
    mode: leader-follower
    synchronous: { standbys: "${standbys}", commit: on, strict: true, managed: false }
  data_classes:
    off:          { rpo: 1m, rto: 1m, share: 0.2, commit: off }
    local:        { rpo: 1m, rto: 1m, share: 0.2, commit: local }
    remote_write: { rpo: 0,  rto: 1m, share: 0.2, commit: remote_write }
    "on":         { rpo: 0,  rto: 1m, share: 0.2, commit: "on" }
    remote_apply: { rpo: 0,  rto: 1m, share: 0.2, commit: remote_apply }
`;
}

test("commit levels wait for successively later points: off < local < remote_write < on <= remote_apply", () => {
  const result = simulate(scenarioText(scenario("ANY 1 (b, c)")));
  const p50 = Object.fromEntries(result.classes.map((c) => [c.name, c.latency.writeP50Ms ?? NaN]));
  assert.ok(p50.off < p50.local, `off ${p50.off} < local ${p50.local}`);
  assert.ok(p50.local < p50.remote_write, `local ${p50.local} < remote_write ${p50.remote_write}`);
  assert.ok(p50.remote_write < p50.on, `remote_write ${p50.remote_write} < on ${p50.on}`);
  assert.ok(p50.on <= p50.remote_apply, `on ${p50.on} <= remote_apply ${p50.remote_apply}`);
});

test("FIRST 1 waits for the first-named standby; ANY 1 takes whichever answers first", () => {
  const slowB = "faults:\n  - { at: 1s, latency: { between: [[a], [b]], add: 20ms }, for: 18s }";
  const first = simulate(scenarioText(scenario("FIRST 1 (b, c)", slowB)));
  const any = simulate(scenarioText(scenario("ANY 1 (b, c)", slowB)));
  const onFirst = first.classes.find((c) => c.name === "on")!.latency.writeP50Ms!;
  const onAny = any.classes.find((c) => c.name === "on")!.latency.writeP50Ms!;
  assert.ok(onFirst > 40, `FIRST 1 pays b's extra 2 × 20 ms: ${onFirst}`);
  assert.ok(onAny < 10, `ANY 1 commits on c's ack: ${onAny}`);
});

test("a synchronous standby adds about one cross-zone round trip to commits", () => {
  const result = simulate(scenarioText(scenario("ANY 1 (b, c)")));
  const local = result.classes.find((c) => c.name === "local")!.latency.writeP50Ms!;
  const on = result.classes.find((c) => c.name === "on")!.latency.writeP50Ms!;
  const added = on - local;
  // Cross-zone one-way median 0.5 ms each way plus the standby's fsync: the material's "+1 ms" order.
  assert.ok(added > 0.8 && added < 3, `added ${added} ms`);
});
