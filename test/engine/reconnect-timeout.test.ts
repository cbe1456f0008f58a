// A client's connection attempt to a host it cannot reach gets no answer, whether the host is down or a partition
// drops the packets: the attempt hangs until the client's timeout, then backs off. Found by a review: an attempt
// into a partition failed at once and retried after the backoff alone, so clients hammered an unreachable leader
// every few hundred milliseconds and were all back within one backoff of the heal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

/** Every client in us-east/b; the leader in a. A partition cuts the clients' zone (no node in it) off at 20 s. */
function clientsCutOff(timeout: string, partitionMs: number): string {
  return `kind: scenario
name: clients-cut-off
seed: 3
duration: 60s
topology:
  kind: topology
  name: t
  preset: patroni
  regions:
    us-east: { zones: [a, b, c] }
  network:
    same-zone: { constant: 0.2 }
    cross-zone: { constant: 0.5 }
    cross-region: { constant: 40 }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-c: { zone: us-east/c }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [us-east/a, us-east/c]
    reconnect: { backoff: 100ms, max: 200ms, jitter: none }
  data_classes:
    orders: { rpo: 1m, rto: 1m, share: 1 }
workload: { writes: 400, reads: 0, clients: 40, keys: 10000, zones: [us-east/b], timeout: ${timeout} }
faults:
  - { at: 20s, partition: [[us-east/b], [db-a, db-c]], for: ${partitionMs}ms }
`;
}

/** How long past the heal the median and the p99 client are back, for heals spread over one attempt cycle. */
function pastHeal(timeoutMs: number, cycleMs: number): { p50: number; p99: number }[] {
  const out: { p50: number; p99: number }[] = [];
  for (const partitionMs of [0, 0.25, 0.5, 0.75].map((f) => 20_000 + f * cycleMs)) {
    const r = simulate(scenarioText(clientsCutOff(`${timeoutMs}ms`, partitionMs)));
    // No failover: the leader kept its coordinator. Each client is back at its first request that gets through.
    assert.equal(r.timeline.filter((e) => e.event === "promote").length, 0);
    out.push({ p50: r.classes[0].rto.p50ClientMs! - partitionMs, p99: r.classes[0].rto.p99ClientMs! - partitionMs });
  }
  return out;
}

test("a reconnect attempt into a partition hangs for the timeout, as one to a dead host does", () => {
  const backoffMs = 200;
  // A 1 s timeout ends the attempt before TCP would resend its SYN: each attempt is one unanswered request.
  const timeoutMs = 1000;
  // With no jitter the clients' attempts stay in step, one every timeout and backoff: how long after the heal they
  // are back depends on where in that cycle it falls. Four heals a quarter of a cycle apart see the whole of it.
  const cycleMs = timeoutMs + backoffMs;
  const past = pastHeal(timeoutMs, cycleMs);
  for (const { p50, p99 } of past) assert.ok(p50 >= 0 && p99 <= cycleMs + 50, `p50/p99 ${p50}/${p99} ms past the heal`);
  // Over the cycle, the middle client waits about half of it past the heal, and some heal catches the clients just
  // after an attempt began: far more than the 200 ms backoff alone would keep them (before, all were back within it).
  const meanP50 = past.reduce((sum, x) => sum + x.p50, 0) / past.length;
  const worstP99 = Math.max(...past.map((x) => x.p99));
  assert.ok(meanP50 >= 0.3 * cycleMs, `p50 past the heal ${JSON.stringify(past)}`);
  assert.ok(worstP99 >= 0.8 * cycleMs, `p99 past the heal ${JSON.stringify(past)}`);
});

test("a longer attempt that a heal catches midway connects at TCP's next resend of its request, not at the timeout (found by a review)", () => {
  // Timeout 5 s: the request goes out at 0 and again at 1 s and 3 s into the attempt; the attempt gives up at 5 s and
  // the next begins 200 ms later. A heal is followed by a resend within 2 s (the longest gap, 1 s to 3 s, and 3 s to
  // the next attempt's first request at 5.2 s), where waiting out the attempt would take up to 5.2 s.
  const timeoutMs = 5000;
  const cycleMs = timeoutMs + 200;
  const past = pastHeal(timeoutMs, cycleMs);
  for (const { p50, p99 } of past) assert.ok(p50 >= 0 && p99 <= 2200 + 50, `p50/p99 ${p50}/${p99} ms past the heal`);
  // Not at once either: the requests sent into the partition were lost, and the next one is up to 2 s away.
  const worstP99 = Math.max(...past.map((x) => x.p99));
  assert.ok(worstP99 >= 1000, `p99 past the heal ${JSON.stringify(past)}`);
});
