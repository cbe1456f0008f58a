// `explore` on every core and across machines. The schedules are planned in
// order in this thread (cheap), run on worker threads (each schedule on its
// own), and their findings folded back in schedule order: the report is the
// single-threaded one for any number of workers. A shard runs one contiguous
// range of schedules and keeps the worst of that range; folding the shards in
// order gives the unsharded report, because the fold keeps the earlier
// finding on a tie.
import type { ResolvedTopology } from "../model/types.js";
import type { TrialProgress } from "../engine/trials.js";
import { exploreReport, foldFindings, planSchedules, scheduleFindings, type BestFindings, type ExploreOptions, type ExploreReport, type Finding } from "../swarm/explore.js";
import type { ExploreBatchReply, ExploreWorkerData } from "./messages.js";
import { MIN_TRIALS_FOR_POOL, runBatches } from "./pool.js";

export interface ExploreRunOptions {
  jobs: number;
  onProgress?: TrialProgress;
}

/** The worst findings of schedules from..to-1 (all of them by default). */
export async function exploreRange(topology: ResolvedTopology, options: ExploreOptions, run: ExploreRunOptions, from = 0, to = options.schedules): Promise<BestFindings> {
  const specs = planSchedules(topology, options);
  const count = to - from;
  const best: BestFindings = new Map();
  const jobs = Math.min(run.jobs, Math.ceil(count / 2));
  if (jobs <= 1 || count < MIN_TRIALS_FOR_POOL) {
    for (let index = from; index < to; index++) {
      foldFindings(best, scheduleFindings(topology, options, specs[index], index));
      const pending = run.onProgress?.(index - from + 1, count);
      if (pending) await pending;
    }
    return best;
  }
  // Each batch comes back as its own worst; the batches are folded in schedule order.
  const batches = new Map<number, Finding[]>();
  await runBatches<ExploreBatchReply>({
    worker: new URL("./explore-worker.js", import.meta.url),
    workerData: { topology, options, specs } satisfies ExploreWorkerData,
    from,
    to,
    jobs,
    onReply(reply) {
      batches.set(reply.from, reply.findings);
      return reply.count;
    },
    onProgress: run.onProgress,
  });
  for (const start of [...batches.keys()].sort((a, b) => a - b)) foldFindings(best, batches.get(start)!);
  return best;
}

/** The whole search on `jobs` threads. */
export async function exploreOnPool(topology: ResolvedTopology, options: ExploreOptions, run: ExploreRunOptions): Promise<ExploreReport> {
  return exploreReport(topology, options, await exploreRange(topology, options, run));
}
