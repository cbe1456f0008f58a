// Two writes conflict only when neither happened before the other, and "before" passes through a third leader:
// with us-east and eu-west cut apart and ap-south in reach of both, ap-south overwrites a us-east write and
// eu-west builds on that, so when the us-east write finally reaches eu-west it is part of what eu-west holds, not a
// rival to it. An oracle from the raw facts (each write's origin, time and arrival at every leader) counts the
// pairs of causally concurrent writes that met at a leader; the engine counted about twice that many, every
// write that had not reached a leader directly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runKeepingShape, writesByKey } from "./multi-leader-helpers.js";
import { scenarioText } from "./helpers.js";

const threeLeaders = (conflict: string) =>
  scenarioText(`kind: scenario
name: three
seed: 71
duration: 70s
workload: { writes: 600, reads: 100, clients: 90, keys: 3000, zones: [us-east/a, eu-west/a, ap-south/a] }
faults:
  - { at: 20s, partition: [[us-east], [eu-west]], for: 30s }
topology:
  kind: topology
  name: three-leaders
  regions:
    us-east: { zones: [a] }
    eu-west: { zones: [a] }
    ap-south: { zones: [a] }
  network:
    cross-region: { median: 40, p99: 90 }
  nodes:
    m-us: { zone: us-east/a }
    m-eu: { zone: eu-west/a }
    m-ap: { zone: ap-south/a }
  replication: { mode: multi-leader, leaders: [us-east, eu-west, ap-south], conflict: ${conflict}, routing: any }
  data_classes:
    orders: { rpo: 1m, rto: 1m }
`);

test("three leaders, two cut apart: conflicts count only causally concurrent pairs (happened-before passes through the third leader)", () => {
  const { result, shape: s } = runKeepingShape(threeLeaders("lww"));
  const log = s.core.log;
  const n = s.leaders.length;
  const pairs = new Set<string>();
  let direct = 0;
  for (const writes of writesByKey(log).values()) {
    // Each write's causal past: what its leader had of the key when it was made (its own earlier writes, the others'
    // that had arrived), with their pasts.
    const byTime = [...writes].sort((a, b) => log.appendMs[a] - log.appendMs[b] || a - b);
    const past = new Map<number, Set<number>>();
    for (const y of byTime) {
      const p = new Set<number>();
      for (const z of past.keys()) {
        const seen = s.origin[z] === s.origin[y] || s.arrival[z * n + s.origin[y]] <= log.appendMs[y];
        if (!seen) continue;
        p.add(z);
        for (const w of past.get(z)!) p.add(w);
      }
      past.set(y, p);
    }
    const concurrent = (a: number, b: number) => a !== b && !past.get(a)!.has(b) && !past.get(b)!.has(a);
    const directly = (a: number, b: number) => s.origin[a] !== s.origin[b] && s.arrival[a * n + s.origin[b]] > log.appendMs[b] && s.arrival[b * n + s.origin[a]] > log.appendMs[a];
    const later = (a: number, b: number) => b < 0 || log.appendMs[a] > log.appendMs[b] || (log.appendMs[a] === log.appendMs[b] && a > b);
    for (let L = 0; L < n; L++) {
      const order = writes.filter((y) => s.arrival[y * n + L] < Infinity).sort((a, b) => s.arrival[a * n + L] - s.arrival[b * n + L] || a - b);
      let held = -1;
      for (const y of order) {
        if (held >= 0 && concurrent(held, y)) pairs.add(`${Math.min(held, y)}:${Math.max(held, y)}`);
        if (held >= 0 && directly(held, y)) direct++;
        if (later(y, held)) held = y;
      }
    }
  }
  // The case is there: many more pairs met that had not reached each other's leader directly.
  assert.ok(direct > 1.3 * pairs.size, `${direct} direct meetings, ${pairs.size} concurrent pairs`);
  assert.ok(Math.abs(result.totals.conflicts - pairs.size) < 0.01 * pairs.size, `${result.totals.conflicts} conflicts counted, ${pairs.size} concurrent pairs met`);
});
