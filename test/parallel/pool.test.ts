// The trials pool gives exactly the single-threaded result: the same JSON,
// byte for byte, on 1, 2 and 3 workers, for a scenario whose trials differ
// (failovers, misses of a target, expectations that fail in some trials).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulate } from "../../src/engine/simulate.js";
import { runTrials } from "../../src/engine/trials.js";
import { loadFile } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { runTrialsOnPool, workerExecArgv } from "../../src/parallel/pool.js";
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

test("worker threads start under a host that runs the CLI from node --input-type=module -e (the flag is the parent's own)", async () => {
  assert.deepEqual(workerExecArgv(["--input-type=module", "--max-old-space-size=512"]), ["--max-old-space-size=512"]);
  assert.deepEqual(workerExecArgv(["--input-type", "module", "--trace-warnings"]), ["--trace-warnings"]);
  const main = new URL("../../src/cli/main.js", import.meta.url).href;
  const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(["node", "repl-lab", "simulate", process.argv[1], "--trials", "8", "--jobs", "2", "--json"]);`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, join(ROOT, "scenarios/split-brain-no-fencing.yaml")], { encoding: "utf8", cwd: ROOT });
  assert.doesNotMatch(child.stderr, /internal error/, child.stderr);
  assert.ok(child.status === 0 || child.status === 1, `exit ${child.status}: ${child.stderr}`);
  assert.equal(JSON.parse(child.stdout).classes[0].trials.n, 8);
});
