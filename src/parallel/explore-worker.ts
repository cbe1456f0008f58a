// A worker thread of `explore --jobs N`: it is handed the design, the options
// and every planned schedule once, then ranges of schedule indices; it runs
// each schedule, folds the range's findings in schedule order and sends back
// the range's worst. The parent folds the ranges in order, so the report is
// the one a single thread would write (the fold keeps the earlier on a tie),
// and only a few findings (each with its run) ever cross threads.
import { parentPort, workerData } from "node:worker_threads";
import { foldFindings, scheduleFindings, type BestFindings } from "../swarm/explore.js";
import type { ExploreBatchReply, ExploreWorkerData, ToWorker } from "./messages.js";

const { topology, options, specs } = workerData as ExploreWorkerData;
const port = parentPort!;

port.on("message", (message: ToWorker) => {
  if (message.kind === "stop") {
    port.close();
    return;
  }
  const best: BestFindings = new Map();
  for (let index = message.from; index < message.to; index++) foldFindings(best, scheduleFindings(topology, options, specs[index], index));
  port.postMessage({ from: message.from, count: message.to - message.from, findings: [...best.values()] } satisfies ExploreBatchReply);
});
