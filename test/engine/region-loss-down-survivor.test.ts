// A region lost after the old leader outside it was powered off by STONITH: that node's disk still holds every
// acknowledged write, so the data is not unrecoverable; a person starts it and promotes it (found by a review:
// the swarm's case 5051 printed "0 lost" beside "UNRECOVERABLE — no replica and no backup can bring this data back").
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { scenarioFrom } from "./helpers.js";

test("a powered-off replica outside the lost region is the survivor a person starts and promotes, not 'unrecoverable'", () => {
  const r = simulate(scenarioFrom(join(process.cwd(), "test", "fixtures", "swarm", "rpo-count-leader-follower-5051-min.yaml")));
  assert.equal(r.totals.writesLost, 0);
  const rec = r.recovery!;
  assert.notEqual(rec.method, "none");
  assert.equal(rec.verdict.kind, "promote-by-hand");
  const reason = rec.options.find((o) => o.method === "failover")!.reason;
  assert.deepEqual(reason.kind === "replica-not-promoted" ? [reason.node, reason.down] : reason, ["n0", true]);
  const text = renderSimulateText(r, new Chalk({ level: 0 }), { width: 200 });
  assert.match(text, /A PERSON MUST START AND PROMOTE N0/);
  assert.doesNotMatch(text, /UNRECOVERABLE|data unrecoverable/);
});
