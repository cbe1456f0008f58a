// Monte Carlo trials on every core: a pool of worker threads (one per
// available core, or --jobs N) runs batches of trial indices and sends back
// each trial's record; the records are added in seed order, so the result is
// byte-identical to the single-threaded loop for the same seeds, whatever the
// number of workers or the order in which their batches finish.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { SimulationResult } from "../engine/result.js";
import { runTrialsWithProgress, trialAccumulator, type SimulateFn, type TrialProgress, type TrialRecord } from "../engine/trials.js";
import type { ResolvedScenario } from "../model/types.js";
import type { FromWorker, ToWorker } from "./messages.js";

/** Below this many trials a pool costs more to start (each worker loads the engine) than it saves. */
export const MIN_TRIALS_FOR_POOL = 8;
/** Batches per worker: enough to balance uneven trials, few enough to keep messages rare. */
const BATCHES_PER_WORKER = 8;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface PoolOptions {
  jobs: number;
  onProgress?: TrialProgress;
  /** The engine for the in-process path (tests inject one); workers always run the real engine. */
  simulateFn: SimulateFn;
}

/** Runs n trials of the scenario, on `jobs` worker threads when that pays, in this thread otherwise. */
export async function runTrialsOnPool(scenario: ResolvedScenario, n: number, options: PoolOptions): Promise<SimulationResult> {
  const jobs = Math.min(options.jobs, Math.ceil(n / 2));
  if (jobs <= 1 || n < MIN_TRIALS_FOR_POOL) return runTrialsWithProgress(scenario, n, options.simulateFn, options.onProgress);
  const batch = Math.max(1, Math.ceil(n / (jobs * BATCHES_PER_WORKER)));
  const records: (TrialRecord | undefined)[] = new Array(n);
  let full: SimulationResult | undefined;
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: jobs }, () => new Worker(new URL("./trial-worker.js", import.meta.url), { workerData: { scenario } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= n) {
                worker.postMessage({ kind: "stop" } satisfies ToWorker);
                resolve();
                return;
              }
              const from = next;
              next = Math.min(n, next + batch);
              worker.postMessage({ kind: "run", from, to: next } satisfies ToWorker);
            };
            worker.on("message", (reply: FromWorker) => {
              reply.records.forEach((record, k) => (records[reply.from + k] = record));
              if (reply.full) full = reply.full;
              done += reply.records.length;
              const pending = options.onProgress?.(done, n);
              if (pending) pending.then(send, reject);
              else send();
            });
            worker.once("error", reject);
            worker.once("exit", (code) => (next < n || code !== 0 ? reject(new Error(`a trials worker stopped (exit ${code})`)) : resolve()));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const trials = trialAccumulator(scenario, n);
  records.forEach((record, index) => trials.addRecord(record!, index === 0 ? full : undefined));
  return trials.finish();
}
