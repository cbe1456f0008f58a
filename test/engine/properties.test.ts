// Property-based tests of the engine's invariants over random topologies,
// faults and seeds (fast-check). The invariant checkers run inside every
// simulation; here random inputs try to make them fire.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { simulate } from "../../src/engine/simulate.js";
import { anyScheduleText, scenarioText } from "./helpers.js";

interface Shape {
  replicas: number;
  method: "FIRST" | "ANY";
  fencing: "lease" | "stonith";
  crashAtS: number;
  seed: number;
  writes: number;
  endpoint: "proxy" | "dns";
}

function syncScenario(s: Shape): string {
  const zones = ["a", "b", "c"];
  const nodes = Array.from({ length: s.replicas + 1 }, (_, i) => `    n${i}: { zone: east/${zones[i % 3]}${i === 0 ? ", role: leader" : ""} }`).join("\n");
  const standbys = Array.from({ length: s.replicas }, (_, i) => `n${i + 1}`).join(", ");
  return `kind: scenario
name: property-sync
seed: ${s.seed}
duration: 45s
workload: { writes: ${s.writes}, reads: 100, clients: 40 }
faults:
  - { at: ${s.crashAtS}s, crash: n0 }
topology:
  kind: topology
  name: property
  regions: { east: { zones: [a, b, c] } }
  nodes:
${nodes}
  replication:
    mode: leader-follower
    synchronous: { standbys: "${s.method} 1 (${standbys})", commit: on, strict: true }
  failover:
    detection: { ttl: 6s, loop_wait: 1s, retry_timeout: 2s }
    coordinator: [east/a, east/b, east/c]
    fencing: ${s.fencing}
    endpoint: ${s.endpoint === "proxy" ? "{ kind: proxy, check_interval: 1s }" : "{ kind: dns, ttl: 2s }"}
  data_classes:
    ledger: { rpo: 0, rto: 1m, consistency: strong }
`;
}

const shapes = fc.record({
  replicas: fc.integer({ min: 1, max: 3 }),
  method: fc.constantFrom("FIRST" as const, "ANY" as const),
  fencing: fc.constantFrom("lease" as const, "stonith" as const),
  crashAtS: fc.integer({ min: 3, max: 25 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  writes: fc.integer({ min: 20, max: 400 }),
  endpoint: fc.constantFrom("proxy" as const, "dns" as const),
});

test("a synchronous standby means no acknowledged write is lost on a single leader crash", () => {
  fc.assert(
    fc.property(shapes, (s) => {
      const result = simulate(scenarioText(syncScenario(s)));
      assert.deepEqual(result.violations, []);
      assert.equal(result.totals.writesLost, 0, `lost writes with ${JSON.stringify(s)}`);
      assert.equal(result.totals.splitBrainMs, 0);
      if (s.replicas >= 1) assert.ok(result.totals.failovers <= 1);
    }),
    { numRuns: 25, seed: 20261126 },
  );
});

test("every write has exactly one outcome, and fenced clusters never have two writers, under random faults", () => {
  const fault = fc.oneof(
    fc.record({ at: fc.integer({ min: 1, max: 40 }), crash: fc.constantFrom("n0", "n1", "n2") }),
    fc.record({ at: fc.integer({ min: 1, max: 40 }), recover: fc.constantFrom("n0", "n1", "n2") }),
    fc.record({ at: fc.integer({ min: 1, max: 40 }), stall: fc.constantFrom("n0", "n1"), for: fc.integer({ min: 1, max: 5 }) }),
    fc.record({
      at: fc.integer({ min: 1, max: 40 }),
      partition: fc.constantFrom([["east/a"], ["east/b", "east/c"]], [["n1"], ["n0", "n2"]], [["east/a", "east/b"], ["east/c"]]),
      for: fc.integer({ min: 1, max: 20 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(fault, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.boolean(), (faults, seed, strict) => {
      const lines = faults
        .map((f) => {
          const { at, ...rest } = f as Record<string, unknown>;
          const body = Object.entries(rest)
            .map(([k, v]) => `${k}: ${k === "for" ? `${v}s` : JSON.stringify(v)}`)
            .join(", ");
          return `  - { at: ${at}s, ${body} }`;
        })
        .join("\n");
      const text = `kind: scenario
name: property-faults
seed: ${seed}
duration: 50s
workload: { writes: 100, reads: 100, clients: 30, zones: [east/a, east/b, east/c] }
faults:
${lines}
topology:
  kind: topology
  name: property
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication:
    mode: leader-follower
    synchronous: { standbys: "ANY 1 (n1, n2)", commit: on, strict: ${strict} }
  failover:
    detection: { ttl: 6s, loop_wait: 1s, retry_timeout: 2s }
    coordinator: [east/a, east/b, east/c]
    fencing: lease
  data_classes:
    ledger: { rpo: 0, rto: 1m, consistency: strong }
`;
      const result = simulate(anyScheduleText(text));
      assert.deepEqual(result.violations, [], text);
      assert.equal(result.totals.splitBrainMs, 0, text);
      const acked = result.classes.reduce((sum, c) => sum + c.writesAcked, 0);
      assert.equal(acked, result.totals.writesAcked);
    }),
    { numRuns: 40, seed: 42 },
  );
});

test("leaderless strict quorum with R + W > N: no stale read and no write lost to random crashes (vector clocks: concurrent writes are kept as siblings)", () => {
  const quorum = fc
    .record({ n: fc.integer({ min: 3, max: 5 }), w: fc.integer({ min: 1, max: 5 }), r: fc.integer({ min: 1, max: 5 }) })
    .filter((q) => q.w <= q.n && q.r <= q.n && q.r + q.w > q.n);
  const crash = fc.record({ at: fc.integer({ min: 1, max: 30 }), node: fc.integer({ min: 1, max: 5 }), for: fc.integer({ min: 1, max: 10 }) });
  fc.assert(
    fc.property(quorum, fc.array(crash, { maxLength: 4 }), fc.integer({ min: 0, max: 2 ** 31 }), (q, crashes, seed) => {
      const nodes = Array.from({ length: 5 }, (_, i) => `    n${i + 1}: { zone: east/${"abc"[i % 3]} }`).join("\n");
      const faults = crashes.map((c) => `  - { at: ${c.at}s, crash: n${c.node}, for: ${c.for}s }`).join("\n");
      const text = `kind: scenario
name: property-quorum
seed: ${seed}
duration: 40s
workload: { writes: 200, reads: 400, clients: 30, keys: 200 }
${crashes.length > 0 ? `faults:\n${faults}` : ""}
topology:
  kind: topology
  name: property-quorum
  regions: { east: { zones: [a, b, c] } }
  nodes:
${nodes}
  replication: { mode: leaderless, n: ${q.n}, w: ${q.w}, r: ${q.r}, sloppy_quorum: false, conflict: vector-clock }
  data_classes:
    kv: { rpo: 0, rto: 1m, consistency: strong }
`;
      const result = simulate(anyScheduleText(text));
      assert.deepEqual(result.violations, [], text);
      assert.equal(result.totals.staleReads, 0, text);
      assert.equal(result.totals.writesLost, 0, text);
    }),
    { numRuns: 30, seed: 7 },
  );
});
