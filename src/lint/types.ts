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
  /** Overrides the rule's short hint (one line, about 100 characters at most). */
  hint?: string;
  /** The long form of the advice for this design (shown with --verbose); else the rule page's fix. */
  details?: string;
}

/** A rule's page (`repl-lab rules ID`, docs/rules/ID.md, SARIF help): kept beside the rule. */
export interface RuleDocs {
  /** Why the mistake matters: what goes wrong, and when. */
  why: string;
  /** How to fix it: the long form of the hint. */
  fix: string;
  /** A YAML fragment that breaks the rule and the same fragment fixed, line by line. */
  example: { bad: readonly string[]; good: readonly string[] };
}

export interface Rule {
  id: string;
  severity: Severity;
  /** One sentence: what the rule checks. */
  description: string;
  /** How to fix it, in one short line (about 100 characters at most); a hit may give a sharper one. */
  hint: string;
  docs: RuleDocs;
  /**
   * Whether the rule can say anything about this design (its replication mode,
   * its failover): JUnit lists a test case only for the rules that apply.
   * Left out, the rule applies to every design.
   */
  appliesTo?(topology: ResolvedTopology): boolean;
  check(context: LintContext): RuleHit[];
}

/** What describes a rule (its page, SARIF's rule table), without its check. */
export type RuleInfo = Pick<Rule, "id" | "severity" | "description" | "hint" | "docs">;

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  /** One short line. */
  hint: string;
  /** The long form of the advice (the rule page's fix, or one written for this design). */
  details?: string;
}

export interface LintReport {
  files: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
}
