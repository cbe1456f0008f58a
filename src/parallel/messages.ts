// The messages between the pools and their workers.
import type { SimulationResult } from "../engine/result.js";
import type { TrialRecord } from "../engine/trials.js";
import type { ResolvedTopology } from "../model/types.js";
import type { ExploreOptions, Finding } from "../swarm/explore.js";
import type { CaseSpec } from "../swarm/spec.js";

/** Run items from..to-1, or end. */
export type ToWorker = { kind: "run"; from: number; to: number } | { kind: "stop" };

export interface FromWorker {
  from: number;
  records: TrialRecord[];
  /** The full result of trial 0, when this batch holds it. */
  full?: SimulationResult;
}

/** What an explore worker is given once. */
export interface ExploreWorkerData {
  topology: ResolvedTopology;
  options: ExploreOptions;
  specs: CaseSpec[];
}

/** One batch of explore schedules (count of them from `from`): the worst of their findings, folded in schedule order. */
export interface ExploreBatchReply {
  from: number;
  count: number;
  findings: Finding[];
}
