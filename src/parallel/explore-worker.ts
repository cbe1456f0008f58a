// A worker thread of `explore --jobs N`: it is handed the design, the options
// and every planned schedule once, then ranges of schedule indices; it runs
// each schedule and sends back its findings. The parent folds them in
// schedule order, so the report is the one a single thread would write.
import { parentPort, workerData } from "node:worker_threads";
import { scheduleFindings } from "../swarm/explore.js";
import type { ExploreBatchReply, ExploreWorkerData, ToWorker } from "./messages.js";

const { topology, options, specs } = workerData as ExploreWorkerData;
const port = parentPort!;

port.on("message", (message: ToWorker) => {
  if (message.kind === "stop") {
    port.close();
    return;
  }
  const findings: ExploreBatchReply["findings"] = [];
  for (let index = message.from; index < message.to; index++) findings.push(scheduleFindings(topology, options, specs[index], index));
  port.postMessage({ from: message.from, findings } satisfies ExploreBatchReply);
});
