// reads: session is read-your-writes: a session never reads older than what it has had acknowledged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

test("one session writing two classes of different commit levels reads its own writes from replicas (found by a review: 10 stale reads)", () => {
  // A commit: local write is acknowledged before an earlier commit: on one that waits for its standby; the earlier
  // acknowledgement used to lower the session's position, and a replica short of the later write then served it.
  // With a single client every stale read is one of its own writes missed.
  const scenario = scenarioText(
    `kind: scenario
name: ryw-mixed-commit
seed: 1
duration: 60s
workload: { writes: 400, reads: 400, clients: 1, keys: 50 }
faults: []
topology:
  kind: topology
  name: ryw
  preset: patroni
  regions: { us-east: { zones: [a, b, c] } }
  nodes:
    pg-a: { zone: us-east/a, role: leader }
    pg-b: { zone: us-east/b }
    pg-c: { zone: us-east/c }
  replication:
    mode: leader-follower
    synchronous: { standbys: "ANY 1 (pg-b, pg-c)", commit: on, strict: false }
  failover:
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    slow: { rpo: 0, rto: 1m, share: 0.5, consistency: read-your-writes, reads: session }
    fast: { rpo: 1m, rto: 1m, share: 0.5, commit: local, consistency: read-your-writes, reads: session }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  const result = simulate(scenario);
  assert.ok(result.totals.readsServed > 20_000);
  for (const c of result.classes) assert.equal(c.staleReads, 0, `${c.name}: a session read missed the session's own acknowledged write`);
  assert.equal(result.totals.staleReads, 0);
});
