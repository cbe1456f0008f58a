// What `repl-lab quorum` computed: the closed-form analysis, and with a
// latency file the WARS Monte Carlo. The renderers in src/report/quorum-*.ts
// turn this into text, JSON and markdown.
import type { QuorumAnalysis } from "./analysis.js";
import type { VisibilityResult } from "./visibility.js";

export interface QuorumLatencyRun {
  /** The latency file as the user named it. */
  file: string;
  /** Its `name:`, when it has one. */
  name: string | null;
  result: VisibilityResult;
}

export interface QuorumResult {
  analysis: QuorumAnalysis;
  latency: QuorumLatencyRun | null;
}
