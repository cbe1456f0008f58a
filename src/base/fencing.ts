// Which designs' fencing keeps two leaders from acknowledging writes at once: the
// engine's invariant check and the swarm's oracle read the one rule.

/**
 * Whether the design's fencing stands between two leaders' acknowledgements. In a consensus group the quorum is the
 * fence (its failover.fencing is ignored): a member that has not yet heard it was outvoted still takes writes, but
 * commits none without a majority. A class committing below the quorum (commit: local or off) is acknowledged on
 * its leader alone, so such a member acknowledges it beside the new leader until the new term reaches it.
 */
export function fencesAcknowledgements(mode: string, fencing: string, classes: readonly { commit: string }[]): boolean {
  if (mode !== "consensus") return fencing !== "none";
  return classes.every((c) => c.commit !== "local" && c.commit !== "off");
}
