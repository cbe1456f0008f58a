// Monte Carlo trials on every core: a pool of worker threads (one per
// available core, or --jobs N) runs batches of trial indices and sends back
// each trial's record; the records are added in seed order, so the result is
// byte-identical to the single-threaded loop for the same seeds, whatever the
// number of workers or the order in which their batches finish.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { SimulationResult } from "../engine/result.js";
import { runTrialsWithProgress, trialAccumulator, trialRecord, trialSeed, type SimulateFn, type TrialProgress, type TrialRecord } from "../engine/trials.js";
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

/** The records of trials from..to-1 (and the full result of trial 0 when it is among them), in index order. */
export interface TrialSlice {
  records: TrialRecord[];
  full?: SimulationResult;
}

/** Runs n trials of the scenario, on `jobs` worker threads when that pays, in this thread otherwise. */
export async function runTrialsOnPool(scenario: ResolvedScenario, n: number, options: PoolOptions): Promise<SimulationResult> {
  if (options.jobs <= 1 || n < MIN_TRIALS_FOR_POOL) return runTrialsWithProgress(scenario, n, options.simulateFn, options.onProgress);
  const slice = await runSlice(scenario, 0, n, options);
  const trials = trialAccumulator(scenario, n);
  slice.records.forEach((record, index) => trials.addRecord(record, index === 0 ? slice.full : undefined));
  return trials.finish();
}

/** Trials from..to-1 as records: one slice of a sharded run, or all of a pooled one. */
export async function runSlice(scenario: ResolvedScenario, from: number, to: number, options: PoolOptions): Promise<TrialSlice> {
  const count = to - from;
  const jobs = Math.min(options.jobs, Math.ceil(count / 2));
  if (jobs <= 1 || count < MIN_TRIALS_FOR_POOL) return sliceHere(scenario, from, to, options);
  const records: TrialRecord[] = new Array(count);
  let full: SimulationResult | undefined;
  await runBatches<FromWorker>({
    worker: new URL("./trial-worker.js", import.meta.url),
    workerData: { scenario },
    from,
    to,
    jobs,
    onReply(reply) {
      reply.records.forEach((record, k) => (records[reply.from - from + k] = record));
      if (reply.full) full = reply.full;
      return reply.records.length;
    },
    onProgress: options.onProgress,
  });
  return { records, full };
}

/**
 * The parent's Node flags, as workers inherit them, minus those that are about
 * the parent's own entry and stop a worker from starting (`--input-type`, when
 * a host runs the CLI from `node --input-type=module -e`).
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--input-type") i++;
    else if (!argv[i].startsWith("--input-type=")) out.push(argv[i]);
  }
  return out;
}

/**
 * A worker with the parent's flags, or with none when Node refuses some of them for a worker: a host may run
 * Node with per-process flags (Node 24's test runner passes --node-snapshot, --secure-heap and V8 options to
 * its children), and a worker that cannot start would fail the whole run for flags it does not need.
 */
function startWorker(url: URL, workerData: unknown): Worker {
  try {
    return new Worker(url, { workerData, execArgv: workerExecArgv() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    return new Worker(url, { workerData, execArgv: [] });
  }
}

export interface BatchOptions<Reply> {
  /** The worker script: it answers each { kind: "run", from, to } with one message, and closes on { kind: "stop" }. */
  worker: URL;
  workerData: unknown;
  from: number;
  to: number;
  jobs: number;
  /** Takes one worker's answer; returns how many items it completed. */
  onReply(reply: Reply): number;
  onProgress?: TrialProgress;
}

/**
 * Items from..to-1 on `jobs` worker threads, handed out in batches (several
 * per worker, to balance uneven items). The caller stores each answer by its
 * index, so the order in which batches finish never shows in a result.
 */
export async function runBatches<Reply>(options: BatchOptions<Reply>): Promise<void> {
  const { from, to, jobs } = options;
  const count = to - from;
  const batch = Math.max(1, Math.ceil(count / (jobs * BATCHES_PER_WORKER)));
  let next = from;
  let done = 0;
  const workers = Array.from({ length: jobs }, () => startWorker(options.worker, options.workerData));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= to) {
                worker.postMessage({ kind: "stop" } satisfies ToWorker);
                resolve();
                return;
              }
              const start = next;
              next = Math.min(to, next + batch);
              worker.postMessage({ kind: "run", from: start, to: next } satisfies ToWorker);
            };
            worker.on("message", (reply: Reply) => {
              done += options.onReply(reply);
              const pending = options.onProgress?.(done, count);
              if (pending) pending.then(send, reject);
              else send();
            });
            worker.once("error", reject);
            worker.once("exit", (code) => (next < to || code !== 0 ? reject(new Error(`a worker thread stopped (exit ${code})`)) : resolve()));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function sliceHere(scenario: ResolvedScenario, from: number, to: number, options: PoolOptions): Promise<TrialSlice> {
  const records: TrialRecord[] = [];
  let full: SimulationResult | undefined;
  for (let index = from; index < to; index++) {
    const result = options.simulateFn(scenario, { seed: trialSeed(scenario.seed, index), series: index === 0 });
    records.push(trialRecord(scenario, result, index));
    if (index === 0) full = result;
    const pending = options.onProgress?.(index - from + 1, to - from);
    if (pending) await pending;
  }
  return { records, full };
}
