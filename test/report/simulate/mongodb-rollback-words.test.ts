// MongoDB's rollback, in the tense of the run. Found by a review: the recovery
// section said the old primary rolls its writes back "when it rejoins" although
// it had rejoined (and rolled them back) within the run, and a "recover" line
// said "rolling back any writes the primary's oplog lacks" when no primary had
// been elected yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Chalk } from "chalk";
import { simulate } from "../../../src/engine/simulate.js";
import { factsOf, type SimulationResult } from "../../../src/engine/result.js";
import { renderSimulateText } from "../../../src/report/simulate/text.js";
import { formatDuration } from "../../../src/base/units.js";
import { scenarioText } from "../../engine/helpers.js";

const bundled = readFileSync(join(process.cwd(), "scenarios", "mongodb-arbiter-rollback.yaml"), "utf8");
const text = (result: SimulationResult) => renderSimulateText(result, new Chalk({ level: 0 }), { width: 400 }).replace(/\s+/g, " ");

test("the old primary that rejoined within the run is said to have rolled its writes back, and when", () => {
  // The partition heals at 50 s of a 60 s run: mongo-a rejoins and rolls back before the end.
  const result = simulate(scenarioText(bundled));
  const [promote] = factsOf(result.timeline, "promote");
  const [rewind] = factsOf(result.timeline, "rewind");
  assert.equal(rewind.node, "mongo-a");
  const words = text(result);
  assert.match(words, new RegExp(`mongo-a did not keep them: it rejoined as a secondary ${formatDuration(rewind.atMs - promote.atMs).replace(".", "\\.")} after mongo-b was promoted and rolled them back, out of its data and into its rollback files`));
  // (The promote line, at the moment of the promotion, still says the old primary rolls them back "when it rejoins".)
  assert.doesNotMatch(words, /does not keep them: when it rejoins/);
});

test("the old primary still cut off when the run ends is said to roll its writes back when it rejoins", () => {
  // The same partition, never healed within the run.
  const result = simulate(scenarioText(bundled.replace("for: 30s }", "for: 60s }")));
  assert.equal(factsOf(result.timeline, "rewind").length, 0);
  assert.match(text(result), /mongo-a does not keep them: when it rejoins as a secondary \(it had not by the end of the run\) it rolls them back/);
});

test("a former primary back while no primary is elected does not roll back against a primary that is not there", () => {
  const result = simulate(
    scenarioText(`kind: scenario
name: no-primary
seed: 3
duration: 90s
topology:
  kind: topology
  name: m3
  preset: mongodb
  regions:
    us-east: { zones: [a, b, c] }
  nodes:
    m1: { zone: us-east/a, role: leader }
    m2: { zone: us-east/b }
    m3: { zone: us-east/c }
  replication: { mode: leader-follower }
  data_classes:
    orders: { rpo: 0, rto: 30s }
workload: { writes: 200, reads: 0, clients: 20 }
faults:
  - { at: 20s, crash: m1, for: 20s }
  - { at: 20s, lose: us-east/b, for: 40s }
`),
  );
  // m3 alone cannot win an election: when m1 comes back at 40 s there is no primary.
  const [recover] = factsOf(result.timeline, "recover").filter((e) => e.node === "m1");
  assert.equal(recover.as === "replica-rewind" && recover.noLeader, true);
  const words = text(result);
  assert.match(words, /m1 recover host back with no primary elected: restarts as a secondary in ~[\d.]+s and may stand for election; any writes of its own the next primary's oplog lacks are rolled back when it syncs from it/);
  assert.doesNotMatch(words, /m1 recover host back; rejoins as a secondary in ~[\d.]+s, rolling back any writes the primary's oplog lacks/);
});
