// Engine defects the swarm found, kept as the minimised scenarios it wrote
// (test/fixtures/swarm). Each file names the oracle it broke in its header;
// the oracle must apply to the run and hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadScenarioText, runScenario } from "../../src/swarm/run.js";

const DIR = join("test", "fixtures", "swarm");

for (const file of readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort()) {
  const text = readFileSync(join(DIR, file), "utf8");
  const oracle = /^# Swarm failure: oracle (\S+)/m.exec(text)?.[1];
  const found = /^# found: (.*)$/m.exec(text)?.[1] ?? "";
  test(`swarm regression ${file}: ${oracle} holds (was: ${found})`, () => {
    assert.ok(oracle, `${file} names no oracle in its header`);
    const run = runScenario(loadScenarioText(file, text));
    assert.ok(run.judgement.applied.includes(oracle), `${oracle} does not apply to ${file} any more: the regression would prove nothing`);
    assert.deepEqual(
      run.judgement.failed.filter((v) => v.oracle === oracle),
      [],
    );
  });
}
