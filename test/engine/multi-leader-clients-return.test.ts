// A client whose home leader is down writes to another region's leader (routing: any), and goes back to its home
// leader once that leader is back and the endpoint routes to it again: the proxy's next passing health checks, or
// the client's DNS cache expiring. Before, it stayed on the far leader for the rest of the run, paying the
// cross-region round trip on every write and writing its keys on the other side.
import { test } from "node:test";
import assert from "node:assert/strict";
import { factsOf } from "../../src/engine/result.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { runKeepingShape, scenario } from "./multi-leader-helpers.js";

test("clients that moved to another region's leader while theirs was down go back home once it is back", () => {
  // Every client is in us-east; m-us is down from 10 s to 20 s, and the preset's HAProxy (checks every 3 s, rise 2)
  // marks it up 3 to 6 s after it is back.
  const { result, shape } = runKeepingShape(scenario({ zones: "[us-east/a]", faults: "[{ at: 10s, crash: m-us, for: 10s }]", duration: "40s" }));
  const log = shape.core.log;
  let away = 0;
  let after = 0;
  let home = 0;
  for (let id = 0; id < log.count; id++) {
    if (!Number.isFinite(log.appendMs[id])) continue;
    if (log.appendMs[id] > 11_000 && log.appendMs[id] < 20_000 && shape.origin[id] === 1) away++;
    if (log.appendMs[id] > 27_000) {
      after++;
      if (shape.origin[id] === 0) home++;
    }
  }
  assert.ok(away > 1000, `${away} writes went to m-eu while m-us was down`);
  assert.ok(after > 2500 && home === after, `${home} of the ${after} writes made after 27 s were made on m-us`);
  // The writes after the return pay no cross-region trip: the p50 stays a local one.
  const cls = result.classes[0];
  assert.ok(cls.latency.writeP50Ms! < 5, `write p50 ${cls.latency.writeP50Ms} ms`);
  const back = factsOf(result.timeline, "clients-home");
  assert.equal(back.length, 1, JSON.stringify(result.timeline));
  assert.equal(back[0].node, "m-us");
  assert.equal(back[0].atMs, 20_000);
  assert.ok(back[0].clients > 80, JSON.stringify(back[0]));
  const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
  assert.match(json.timeline.find((e) => e.event === "clients-home")!.detail, /^\d+ clients writing to another region's leader meanwhile go back to it once the proxy's health checks mark it up/);
});
