// A worker thread of the trials pool: it is handed the resolved scenario once,
// then ranges of trial indices; for each trial it runs the engine with the
// trial's seed and sends back the trial's record (a few numbers), and for the
// first trial of the run its full result too. The engine is the same pure
// function the single-threaded loop calls, so a split changes nothing.
import { parentPort, workerData } from "node:worker_threads";
import { simulate } from "../engine/simulate.js";
import { trialRecord, trialSeed } from "../engine/trials.js";
import type { ResolvedScenario } from "../model/types.js";
import type { FromWorker, ToWorker } from "./messages.js";

const scenario = (workerData as { scenario: ResolvedScenario }).scenario;
const port = parentPort!;

port.on("message", (message: ToWorker) => {
  if (message.kind === "stop") {
    port.close();
    return;
  }
  const records: FromWorker["records"] = [];
  let full: FromWorker["full"];
  for (let index = message.from; index < message.to; index++) {
    const result = simulate(scenario, { seed: trialSeed(scenario.seed, index), series: index === 0 });
    records.push(trialRecord(scenario, result, index));
    if (index === 0) full = result;
  }
  const reply: FromWorker = { from: message.from, records, full };
  port.postMessage(reply);
});
