// The trials pool gives exactly the single-threaded result: the same JSON,
// byte for byte, on 1, 2 and 3 workers, for a scenario whose trials differ
// (failovers, misses of a target, expectations that fail in some trials).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulate } from "../../src/engine/simulate.js";
import { runTrials } from "../../src/engine/trials.js";
import { loadFile } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { runTrialsOnPool } from "../../src/parallel/pool.js";
import { renderSimulateJson } from "../../src/report/simulate/json.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function scenarioOf(name: string): ResolvedScenario {
  const loaded = loadFile(join(ROOT, "scenarios", `${name}.yaml`));
  assert.equal(loaded.kind, "scenario");
  return (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
}

const json = (r: Parameters<typeof renderSimulateJson>[0][number]) => renderSimulateJson([r], { array: false });

for (const name of ["async-failover-loses-writes", "split-brain-no-fencing"]) {
  test(`${name}: the pool's trials equal the single-threaded loop's, on 2 and 3 workers`, async () => {
    const scenario = scenarioOf(name);
    const n = 12;
    const single = json(runTrials(scenario, n, simulate));
    for (const jobs of [2, 3]) {
      const progress: number[] = [];
      const pooled = await runTrialsOnPool(scenario, n, { jobs, simulateFn: simulate, onProgress: (done) => void progress.push(done) });
      assert.equal(json(pooled), single, `${jobs} workers`);
      assert.equal(progress.at(-1), n, "progress reaches n");
      assert.ok(progress.every((d, i) => i === 0 || d > progress[i - 1]), "progress only grows");
    }
  });
}

test("a few trials run in this thread (a pool would cost more than it saves)", async () => {
  let calls = 0;
  const scenario = scenarioOf("leader-dies-in-az-a");
  const counting: typeof simulate = (s, o) => {
    calls++;
    return simulate(s, o);
  };
  await runTrialsOnPool(scenario, 3, { jobs: 4, simulateFn: counting });
  assert.equal(calls, 3);
});
