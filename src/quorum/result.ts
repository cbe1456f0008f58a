// What `repl-lab quorum` computed: the closed-form analysis, and with a
// latency file the WARS Monte Carlo. The renderers in src/report/quorum-*.ts
// turn this into text, JSON and markdown.
import type { QuorumAnalysis } from "./analysis.js";
import type { ReadFanout } from "./fanout.js";
import { simulateVisibility, type LegSamplers, type RemoteReplicas, type VisibilityOptions, type VisibilityResult } from "./visibility.js";

export interface QuorumLatencyRun {
  /** The latency file as the user named it. */
  file: string;
  /** Its `name:`, when it has one. */
  name: string | null;
  /**
   * The nodes each trial draws: the ones a request reaches with K down (the
   * N − K up replicas, plus stand-ins under a sloppy quorum).
   */
  nodes: number;
  /** The latency file's wide-area replicas (`remote:`), or null. */
  remote: RemoteReplicas | null;
  /** W (R) above `nodes`: writes (reads) cannot gather a quorum, so there is nothing to simulate. */
  blocked: { writes: boolean; reads: boolean };
  /** Which replicas a read asks: all (WARS) or R with a speculative retry (Cassandra). */
  fanout: ReadFanout;
  /** The Monte Carlo; null when writes or reads are blocked. */
  result: VisibilityResult | null;
}

export interface QuorumResult {
  analysis: QuorumAnalysis;
  latency: QuorumLatencyRun | null;
}

/**
 * The t-visibility run for the analysis's K: the Monte Carlo over the nodes a
 * request reaches, those a coordinator sends to once the K are marked down,
 * or none when W or R exceeds them.
 */
export function latencyRun(
  analysis: QuorumAnalysis,
  source: { file: string; name: string | null; samplers: LegSamplers; remote?: RemoteReplicas | null },
  options: Pick<VisibilityOptions, "trials" | "seed" | "tMs" | "fanout">,
): QuorumLatencyRun {
  const { n, r, w } = analysis;
  const nodes = analysis.current.writes.reachable;
  const blocked = { writes: w > nodes, reads: r > nodes };
  const result = blocked.writes || blocked.reads ? null : simulateVisibility(source.samplers, { n, r, w, down: n - nodes, remote: source.remote ?? null, ...options });
  return { file: source.file, name: source.name, nodes, remote: source.remote ?? null, fanout: options.fanout ?? { kind: "all" }, blocked, result };
}
