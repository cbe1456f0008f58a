// A replica that applies more slowly than the leader commits falls ever further behind. What that does to reads
// depends on each class's routing: reads bounded by a session or max_lag go to the leader once it is too far
// behind; reads of a class that reads any replica stay on it and grow staler (found by a review: the timeline said
// "reads fall back to the leader" whatever the classes read, while a reads: any class read data minutes old).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { scenarioText } from "../../engine/helpers.js";

function fallingBehind(classes: string): string[] {
  const r = simulate(
    scenarioText(`kind: scenario
name: falling-behind-words
seed: 3
duration: 30s
workload: { writes: 1000, reads: 1000, clients: 100 }
topology:
  kind: topology
  name: slow-replica
  preset: patroni
  regions: { east: { zones: [a, b] } }
  nodes:
    pg-a: { zone: east/a, role: leader }
    pg-b: { zone: east/b, apply_rate: 800 }
  replication: { mode: leader-follower }
  data_classes:
${classes}
`),
  );
  return r.timeline.filter((e) => e.event === "falling-behind").map((e) => describeEntry(e, r));
}

test("a replica falling behind: bounded reads fall back to the leader", () => {
  const [words] = fallingBehind("    orders: { rpo: 1m, rto: 1m, reads: { max_lag: 10MB } }");
  assert.match(words, /will never catch up; reads fall back to the leader; rebuild it/);
});

test("a replica falling behind: reads of a class that reads any replica are not said to fall back, they grow staler", () => {
  const [words] = fallingBehind("    orders: { rpo: 1m, rto: 1m, reads: any }");
  assert.doesNotMatch(words, /fall back/);
  assert.match(words, /will never catch up; the reads it serves grow ever staler; rebuild it/);
});

test("a replica falling behind: both kinds of class, each said", () => {
  const [words] = fallingBehind("    orders: { rpo: 1m, rto: 1m, share: 0.5, reads: session }\n    events: { rpo: 1m, rto: 1m, share: 0.5, reads: any }");
  assert.match(words, /reads with a staleness bound fall back to the leader, the others it serves grow ever staler; rebuild it/);
});

test("a replica falling behind: no class reads from replicas, no word about reads", () => {
  const [words] = fallingBehind("    orders: { rpo: 1m, rto: 1m, reads: leader }");
  assert.match(words, /will never catch up; rebuild it or give it capacity$/);
});
