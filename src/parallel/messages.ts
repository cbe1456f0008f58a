// The messages between the trials pool and its workers.
import type { SimulationResult } from "../engine/result.js";
import type { TrialRecord } from "../engine/trials.js";

/** Run trials from..to-1, or end. */
export type ToWorker = { kind: "run"; from: number; to: number } | { kind: "stop" };

export interface FromWorker {
  from: number;
  records: TrialRecord[];
  /** The full result of trial 0, when this batch holds it. */
  full?: SimulationResult;
}
