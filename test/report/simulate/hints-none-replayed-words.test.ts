// quorum-w2-r4: n3, n4 and n5 come back 20 s before the run ends, each owed 9,632 hinted writes held by the two
// coordinators n1 and n2. Each holder runs two delivery threads (max_hints_delivery_threads), lowest destination
// first, and a thread sends to one destination until its hints run out: n3 and n4 are each replayed 5,120 by the
// end, and n5, whose turn has not come, none. The timeline said what happened to n3's and n4's hints and nothing at
// all about n5's 9,632 (found by a review), as if they had been delivered: it now says none was replayed yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../../src/engine/simulate.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { scenarioFrom } from "../../engine/helpers.js";

test("a returned node none of whose hints were replayed by the end of the run is told so, as the others are", () => {
  const r = simulate(scenarioFrom(join(process.cwd(), "scenarios/quorum-w2-r4.yaml")));
  const recovered = r.timeline.filter((e) => e.event === "recover").map((e) => e.node);
  assert.deepEqual(recovered, ["n3", "n4", "n5"]);
  const replayed = r.timeline.filter((e) => e.event === "hints-replayed");
  assert.deepEqual(replayed.map((e) => e.node).sort(), ["n3", "n4", "n5"]);
  const n5 = replayed.find((e) => e.node === "n5")!;
  const text = describeEntry(n5, r);
  assert.match(text, /^hinted handoff: none of the 9,632 hinted writes n5 was owed had been replayed when the run ended$/);
  assert.doesNotMatch(text, /\(from \)/);
});
