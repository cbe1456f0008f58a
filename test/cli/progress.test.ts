// The one trials runner behind simulate, live and explore: the same result as
// the synchronous runner, with the progress callback awaited after each step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import { repeatWithProgress, runTrials, runTrialsWithProgress } from "../../src/engine/trials.js";
import { loadFile } from "../../src/model/load.js";
import { spinnerProgress, startSpinner } from "../../src/cli/progress.js";

function scenario() {
  const loaded = loadFile("scenarios/quorum-w2-r4.yaml");
  assert.equal(loaded.kind, "scenario");
  return (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
}

test("runTrialsWithProgress gives runTrials' result and reports every trial in order", async () => {
  const s = scenario();
  const seen: string[] = [];
  const result = await runTrialsWithProgress(s, 4, simulate, async (done, total) => {
    seen.push(`${done}/${total}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  });
  assert.deepEqual(seen, ["1/4", "2/4", "3/4", "4/4"]);
  assert.deepEqual(result, runTrials(s, 4, simulate));
});

test("repeatWithProgress waits for a pending progress callback before the next step", async () => {
  const order: string[] = [];
  await repeatWithProgress(2, (i) => order.push(`step ${i}`), (done) => new Promise<void>((resolve) => setImmediate(() => (order.push(`after ${done}`), resolve()))));
  assert.deepEqual(order, ["step 0", "after 1", "step 1", "after 2"]);
});

test("without a terminal there is no spinner and no progress callback, so nothing yields", () => {
  const io = { out: () => undefined, err: () => undefined, color: new Chalk({ level: 0 }), isTTY: false };
  const spinner = startSpinner(io, "x");
  assert.equal(spinner, null);
  assert.equal(spinnerProgress(spinner, () => "x"), undefined);
});
