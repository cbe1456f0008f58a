// What `repl-lab live` hands to its renderers: the plan, the versions it ran,
// the engine's prediction (with trials) and every measured run.
import type { SimulationResult } from "../engine/result.js";
import type { LiveRun } from "./measure.js";
import type { LivePlan } from "./plan.js";

export interface LiveReport {
  file: string;
  versions: { patroni: string; postgres: string; etcd: string };
  plan: LivePlan;
  simulated: SimulationResult;
  trials: number;
  runs: LiveRun[];
  /** --keep: where the cluster lives and how to reach and stop it. */
  kept: { folder: string; stopScript: string; connections: string[] } | null;
  /** Wall-clock seconds the bootstrap took. */
  bootstrapSeconds: number | null;
}
