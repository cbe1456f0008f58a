// A manual failover fences (or not) when the paged operator acts, not when the failure is detected: what the
// fencing line says about the old leader must be true at that moment. Here the crashed leader is back two minutes
// later, as a replica (no leader was up), long before the operator acts after fifteen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { Chalk } from "chalk";
import { scenarioText } from "./helpers.js";

const text = `kind: scenario
name: manual-fence-step
seed: 7
duration: 20m
workload: { writes: 50, reads: 0, clients: 20 }
faults:
  - { at: 60s, crash: n1, for: 2m }
topology:
  kind: topology
  name: manual-fence-step
  preset: postgres-manual
  regions: { r1: { zones: [a, b, c] } }
  nodes:
    n1: { zone: r1/a, role: leader }
    n2: { zone: r1/b }
    n3: { zone: r1/c }
  replication: { mode: leader-follower }
  data_classes:
    main: { rpo: 0, rto: 30m, share: 1 }
`;

test("the fencing step of a manual failover reports the old leader as it is when the operator acts", () => {
  const scenario = scenarioText(text);
  const result = simulate(scenario);
  const [page] = factsOf(result.timeline, "page");
  const [fence] = factsOf(result.timeline, "no-fence");
  assert.ok(page && fence, "a page and a fencing step");
  assert.equal(fence.atMs, page.atMs + page.operatorDelayMs, "the step runs when the operator acts");
  assert.equal(fence.oldLeaderUp, true, "the old leader is back by then");
  assert.equal(fence.asReplica, true, "as a replica");
  const out = renderSimulateText(result, new Chalk({ level: 0 }), { width: 400 });
  assert.match(out, /no fencing configured \(the old leader is back, as a replica: it takes no writes\)/);
  assert.doesNotMatch(out, /happens to be down/);
});
