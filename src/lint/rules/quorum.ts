// Shared by the three quorum rules: the effective R and W of each class (a
// class may override the replication block, as a per-query consistency level
// does in Dynamo-style stores) and where in the YAML each value comes from.
import type { ResolvedClass, ResolvedReplication, ResolvedTopology } from "../../model/types.js";

export type Leaderless = Extract<ResolvedReplication, { mode: "leaderless" }>;

export interface ClassQuorum {
  dataClass: ResolvedClass;
  n: number;
  r: number;
  w: number;
  /** Where r and w are written: the class's own key, or the replication block. */
  rPath: PropertyKey[];
  wPath: PropertyKey[];
}

export function leaderless(topology: ResolvedTopology): Leaderless | null {
  return topology.replication.mode === "leaderless" ? topology.replication : null;
}

export function classQuorums(topology: ResolvedTopology): ClassQuorum[] {
  const replication = leaderless(topology);
  if (!replication) return [];
  return topology.dataClasses.map((c) => ({
    dataClass: c,
    n: replication.n,
    r: c.r ?? replication.r,
    w: c.w ?? replication.w,
    rPath: c.r !== null ? ["data_classes", c.name, "r"] : ["replication", "r"],
    wPath: c.w !== null ? ["data_classes", c.name, "w"] : ["replication", "w"],
  }));
}
