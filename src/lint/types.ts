// The linter's vocabulary: a rule inspects one resolved design and reports
// hits at paths into its YAML; the runner turns paths into file:line:column.
import type { ResolvedScenario, ResolvedTopology } from "../model/types.js";

export type Severity = "error" | "warning" | "info";

export interface LintContext {
  topology: ResolvedTopology;
  /** Present when the file is a scenario (its workload and faults can sharpen some checks). */
  scenario: ResolvedScenario | null;
  /** The date that date-based rules (an overdue restore drill) compare with. */
  today: Date;
}

export interface RuleHit {
  /** A path into the topology's YAML (keys and indexes), e.g. ["data_classes", "ledger", "rpo"]. */
  path: PropertyKey[];
  /** Point at the key rather than its value. */
  key?: boolean;
  message: string;
  /** Overrides the rule's default hint. */
  hint?: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** One sentence: what the rule checks. */
  description: string;
  /** How to fix it, in general; a hit may give a sharper one. */
  hint: string;
  check(context: LintContext): RuleHit[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  hint: string;
}

export interface LintReport {
  files: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
}
