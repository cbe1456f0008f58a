// A staleness budget in time, `reads: { max_staleness }`: what MySQL's ProxySQL (max_replication_lag, against
// Seconds_Behind_Source) and MongoDB's drivers (maxStalenessSeconds, at least 90 s) offer, where only Patroni's
// /replica?lag= counts bytes. Found by a review: a mysql-semisync or mongodb design could only bound its
// replica reads in bytes, and the timeline then said "12.5MB behind: ProxySQL's monitor takes it out of the
// reader hostgroup", a check ProxySQL does not have. The expectations come from the rates, not the engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { describeEntry } from "../../src/report/simulate/timeline.js";
import { scenarioText } from "./helpers.js";
import { loadText } from "../../src/model/load.js";

/** 2,000 writes/s of 1KB; replica c replays 1,500/s from the start, so it falls a quarter of a second behind every second. */
function lagging(preset: string, reads: string): string {
  return `kind: scenario
name: staleness
seed: 5
duration: 90s
workload: { writes: 2000, reads: 2000, clients: 100, write_size: 1KB }
faults: []
topology:
  kind: topology
  name: staleness
  preset: ${preset}
  regions: { east: { zones: [a, b, c] } }
  nodes:
    a: { zone: east/a, role: leader }
    b: { zone: east/b }
    c: { zone: east/c, apply_rate: 1500 }
  replication: { mode: leader-follower }
  data_classes:
    feed: { rpo: 1h, rto: 1h, reads: ${reads} }
`;
}

test("a replica leaves a max_staleness pool when its replay is that far behind in time, not at a byte count", () => {
  const result = simulate(scenarioText(lagging("mysql-semisync", "{ max_staleness: 10s }")));
  const out = factsOf(result.timeline, "read-pool-out").filter((f) => f.node === "c");
  assert.equal(out.length, 1, "c leaves the pool once");
  const f = out[0];
  assert.equal(f.maxLagMs, 10_000);
  assert.equal(f.maxLagBytes, undefined);
  assert.ok(f.lagMs !== undefined && f.lagMs > 10_000 && f.lagMs < 12_000, `the check found it ${f.lagMs} ms behind`);
  // A quarter of a second behind per second: 10 s behind some 40 s in; ProxySQL's third failed check (every 1 s) within 3 s.
  assert.ok(f.atMs > 39_000 && f.atMs < 44_000, `out at ${f.atMs} ms`);
  // By then it was ~10MB behind: a byte budget of 1MB would have dropped it some 4 s in (it stays in far longer here).
  assert.ok(f.lagBytes !== undefined && f.lagBytes > 9 * 1024 * 1024);
  const text = describeEntry(f, { firstFaultMs: result.firstFaultMs, mode: result.mode, preset: result.preset, timeline: result.timeline });
  assert.match(text, /^10\.\ds behind: ProxySQL's monitor takes it out of the reader hostgroup \(max_replication_lag 10s, against Seconds_Behind_Source\)/);
  assert.match(text, /staler than 10s before that/);
});

test("a byte budget under mysql-semisync says it is no ProxySQL setting", () => {
  const result = simulate(scenarioText(lagging("mysql-semisync", "{ max_lag: 1MB }")));
  const f = factsOf(result.timeline, "read-pool-out").find((e) => e.node === "c")!;
  assert.equal(f.maxLagBytes, 1024 * 1024);
  assert.ok(f.atMs < 10_000, `out at ${f.atMs} ms`);
  const text = describeEntry(f, { firstFaultMs: result.firstFaultMs, mode: result.mode, preset: result.preset, timeline: result.timeline });
  assert.match(text, /a custom 1MB check: ProxySQL's max_replication_lag counts seconds/);
});

test("MongoDB drivers refuse a maxStalenessSeconds under 90: so does the topology", () => {
  assert.throws(() => loadText("inline.yaml", lagging("mongodb", "{ max_staleness: 30s }")), (e: Error & { problems?: unknown }) => /max_staleness 30s is below 90s/.test(JSON.stringify(e.problems ?? e.message)));
  // 90 s is accepted, and a replica 22 s behind at the end of the run (a quarter of 90 s) stays in the pool.
  const result = simulate(scenarioText(lagging("mongodb", "{ max_staleness: 90s }")));
  assert.equal(factsOf(result.timeline, "read-pool-out").filter((f) => f.node === "c").length, 0);
});
