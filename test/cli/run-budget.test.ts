// Scenarios that would need gigabytes or days are refused with the knob to
// turn: writes × duration against what the engine keeps per write, and (in
// the CLI) trials × requests per run. What the workloads need stays
// admitted: the bundled flagship at 1,000 trials, 2,000 writes/s for an hour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LIMITS } from "../../src/base/limits.js";
import { checkTrialBudget } from "../../src/cli/simulate.js";
import { loadFile } from "../../src/model/load.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { diagnosticsOf, loads, scenario } from "../model/helpers.js";

function loaded(file: string): ResolvedScenario {
  const l = loadFile(file);
  assert.equal(l.kind, "scenario");
  return (l as Extract<typeof l, { kind: "scenario" }>).scenario;
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

test("writes × duration past what the engine can keep: refused at workload.writes, naming the memory and the knobs", () => {
  const d = diagnosticsOf(scenario([], { duration: "1h", workload: "{ writes: 13888, reads: 0 }" }));
  assert.equal(d.length, 1);
  assert.match(d[0].message, /^49,996,800 writes in one run \(writes × duration\) would need about 11\.0 GB of memory/);
  assert.match(d[0].message, /lower workload\.writes or shorten duration$/);
});

test("just under the write limit loads; an hour at 2,000 writes/s and 8,000 reads/s loads", () => {
  const seconds = LIMITS.writesPerRun / 1000;
  assert.equal(loads(scenario([], { duration: `${seconds}s`, workload: "{ writes: 1000, reads: 0 }" })).kind, "scenario");
  assert.equal(loads(scenario([], { duration: "1h", workload: "{ writes: 2000, reads: 8000 }" })).kind, "scenario");
});

test("simulate --trials past the per-command budget names --trials and the most it allows", () => {
  // The flagship at 10,000 trials (2,500 requests/s × 90 s × 10,000 = 2.25e9) is inside the budget.
  const flagship = loaded(join(ROOT, "scenarios/leader-dies-in-az-a.yaml"));
  assert.doesNotThrow(() => checkTrialBudget(flagship, LIMITS.trials));
  assert.throws(() => checkTrialBudget({ ...flagship, durationMs: flagship.durationMs * 2 }, LIMITS.trials), /use --trials 5,555 or fewer/);
  const heavy = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), "simulate", join(ROOT, "bench/standard.yaml"), "--trials", "1000"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(heavy.status, 2);
  assert.match(heavy.stderr, /^error --trials 1,000 × 6,000,000 requests per run of "bench-standard" \(rates × duration\) is above the limit of 2,500,000,000 requests per command .*; use --trials 416 or fewer/);
});
