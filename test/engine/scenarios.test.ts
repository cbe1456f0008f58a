// The bundled scenarios are the engine's data-driven test suite: each states
// its expected results in `expect:`, and every invariant checker must stay
// silent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { bundledScenarioFiles, scenarioFrom } from "./helpers.js";

const dir = join(process.cwd(), "scenarios");
// Latency files (kind: latency) live beside the scenarios; only scenarios run.
const files = bundledScenarioFiles(dir);

for (const file of files) {
  test(`scenario ${file}: every expectation met, no invariant violated`, () => {
    const scenario = scenarioFrom(join(dir, file));
    const result = simulate(scenario);
    assert.deepEqual(result.violations, [], "invariant violations");
    const missed = result.expectations.filter((e) => !e.met);
    assert.deepEqual(missed, [], `missed expectations in ${file}`);
    assert.ok(result.expectations.length > 0, `${file} states no expectation`);
    // The outages listed are the longest, so the RTO is one of them (a review found it missing from a list cut at 20).
    for (const c of result.classes) {
      const listed = c.rto.outages ?? [];
      assert.ok((c.rto.outageCount ?? 0) >= listed.length, `${c.name}: ${c.rto.outageCount} outages, ${listed.length} listed`);
      assert.deepEqual([...listed].sort((a, b) => a.startMs - b.startMs), listed, `${c.name}: outages in time order`);
      const longest = listed.some((o) => o.ms === null) ? null : Math.max(0, ...listed.map((o) => o.ms ?? 0));
      assert.equal(longest, c.rto.writeMs, `${c.name}: the RTO is the longest outage listed`);
    }
  });
}

test("the same seed gives byte-identical results; another seed differs", () => {
  const scenario = scenarioFrom(join(dir, "leader-dies-in-az-a.yaml"));
  const a = JSON.stringify(simulate(scenario));
  const b = JSON.stringify(simulate(scenario));
  assert.equal(a, b);
  const c = JSON.stringify(simulate(scenario, { seed: scenario.seed + 1 }));
  assert.notEqual(a, c);
});
