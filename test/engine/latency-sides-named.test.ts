// quorum-overlap-stale delays n3 against [n1, n2, us-east/a, us-east/b, us-east/c]: the other nodes and the clients
// of every zone, n3's own zone's clients included. The timeline named the sides "[n3] and [n1, n2, n3]" (found by a
// review): n3 on both sides, a link to itself, and no word of the clients in us-east/c that the fault delays. A node
// on both sides now stands on the side that named it only through its zone as that zone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioFrom } from "./helpers.js";

test("a latency fault's sides are named without a node on both sides", () => {
  const r = simulate(scenarioFrom(join(process.cwd(), "scenarios/quorum-overlap-stale.yaml")));
  const fact = r.timeline.find((e) => e.event === "latency") as unknown as { between: [string[], string[]] };
  assert.deepEqual(fact.between, [["n3"], ["n1", "n2", "us-east/c"]]);
});
