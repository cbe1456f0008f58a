// The runner: load each file, lint the design it holds, place every hit at a
// file:line:column, drop what an ignore list or comment switches off, and
// merge the lot into one report. Files that do not load are set aside with
// their diagnostics; the caller decides what bad input means for the rest.
import { didYouMean, InputError, type Diagnostic, formatDiagnostic } from "../model/diagnostics.js";
import { loadFile, type Loaded } from "../model/load.js";
import { locate, type YamlSource } from "../model/yaml.js";
import { isIgnored, readIgnores, type FileIgnores } from "./ignore.js";
import { RULE_IDS, RULES, unknownRuleId } from "./rules/index.js";
import type { Finding, LintContext, LintReport, Rule } from "./types.js";

/** The longest hint a finding carries; the long advice goes to `details`. */
export const MAX_HINT_CHARS = 100;

export interface LintOptions {
  today: Date;
  /** Read only files that resolve inside this folder (a real path). */
  root?: string;
  /** The rules to run (default: all); tests run one at a time. */
  rules?: readonly Rule[];
  /**
   * Files the user named one by one (not found in a folder). A drill file among them is bad input: validate
   * does not check drills, and a file asked for by name must not vanish from the report. In a folder, drill
   * files sit beside designs (this repository's drills/) and are passed over.
   */
  named?: ReadonlySet<string>;
}

export interface LintRun {
  report: LintReport;
  /** The rule ids checked per file (JUnit lists one test case each). */
  checked: Map<string, string[]>;
}

export type LintOutcome = { ok: true; run: LintRun } | { ok: false; diagnostics: Diagnostic[] };

/** Bad input in any file wins: every file's diagnostics instead of a report. */
export function lintFiles(files: readonly string[], options: LintOptions): LintOutcome {
  const { run, diagnostics } = lintInputs(files, options);
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, run };
}

/**
 * Lints the files that load, and returns the diagnostics of those that do not
 * (bad input does not stop the others, as in actionlint and hadolint).
 */
export function lintInputs(files: readonly string[], options: LintOptions): { run: LintRun; diagnostics: Diagnostic[] } {
  const diagnostics = new Map<string, Diagnostic>();
  const loaded: Loaded[] = [];
  for (const file of files) {
    try {
      const item = loadFile(file, { root: options.root });
      if (item.kind === "drill" && options.named?.has(file)) {
        const d: Diagnostic = { file: item.source.file, ...locate(item.source, ["kind"]), message: "this is a drill file (kind: drill), which validate does not check: it lints topologies, scenarios and latency files" };
        diagnostics.set(formatDiagnostic(d), d);
        continue;
      }
      loaded.push(item);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A topology shared by several scenarios reports its problems once.
      for (const d of error.diagnostics) diagnostics.set(formatDiagnostic(d), d);
    }
  }
  return { run: lintAll(loaded, options), diagnostics: [...diagnostics.values()] };
}

/** Lints designs that are already loaded (from files, or from text in tests). */
export function lintAll(loaded: readonly Loaded[], options: LintOptions): LintRun {
  const session = new Session(options);
  for (const item of loaded) session.add(item);
  return session.finish();
}

class Session {
  private readonly findings = new Map<string, Finding>();
  /** Files in order of first appearance, with the rules checked in each. */
  private readonly checked = new Map<string, Set<string>>();
  private readonly ignores = new Map<string, FileIgnores>();
  private readonly rules: readonly Rule[];

  constructor(private readonly options: LintOptions) {
    this.rules = options.rules ?? RULES;
  }

  add(item: Loaded): void {
    if (item.kind === "drill") return; // Drill files are checked by the drill command.
    this.touch(item.source, []);
    this.checkDirectives(item.source);
    if (item.kind === "latency") return; // Schema-checked by loading; no design to lint.
    if (item.kind === "topology") {
      this.lintDesign({ topology: item.topology, scenario: null, today: this.options.today }, item.source, [], item.topology.ignore, null);
      return;
    }
    const { scenario, topologySource, topologyPrefix } = item;
    if (topologySource !== item.source) this.checkDirectives(topologySource);
    this.checkIgnoreList(item.source, [], scenario.ignore);
    this.lintDesign({ topology: scenario.topology, scenario, today: this.options.today }, topologySource, topologyPrefix, [...scenario.topology.ignore, ...scenario.ignore], item.source);
  }

  finish(): LintRun {
    const order = [...this.checked.keys()];
    const ruleOrder = (id: string) => RULE_IDS.indexOf(id);
    const findings = [...this.findings.values()].sort(
      (a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.line - b.line || a.column - b.column || ruleOrder(a.rule) - ruleOrder(b.rule) || a.message.localeCompare(b.message),
    );
    return {
      report: {
        files: order,
        findings,
        errors: findings.filter((f) => f.severity === "error").length,
        warnings: findings.filter((f) => f.severity === "warning").length,
      },
      checked: new Map([...this.checked].map(([file, ids]) => [file, [...ids].sort((a, b) => ruleOrder(a) - ruleOrder(b))])),
    };
  }

  /**
   * Runs the rules on one design. `source` and `prefix` say where the design's
   * YAML is; `scenarioSource` is the scenario that brought it in (its
   * ignore-file comments apply as its ignore list does).
   */
  private lintDesign(context: LintContext, source: YamlSource, prefix: PropertyKey[], ignoreList: string[], scenarioSource: YamlSource | null): void {
    // JUnit lists a test case for each rule that can say something about this design.
    this.touch(source, this.rules.filter((r) => r.appliesTo?.(context.topology) ?? true).map((r) => r.id));
    this.checkIgnoreList(source, [...prefix], context.topology.ignore);
    const listed = new Set(ignoreList);
    const fromScenario = scenarioSource && scenarioSource !== source ? this.ignoresOf(scenarioSource).file : new Set<string>();
    for (const rule of this.rules) {
      if (listed.has(rule.id) || fromScenario.has(rule.id)) continue;
      for (const hit of rule.check(context)) {
        const at = locate(source, [...prefix, ...hit.path], { key: hit.key });
        // A hint is one short line; a hit's sharper hint that grew long (long names) gives way to the rule's.
        const hint = hit.hint !== undefined && hit.hint.length <= MAX_HINT_CHARS && !hit.hint.includes("\n") ? hit.hint : rule.hint;
        this.report(source, { rule: rule.id, severity: rule.severity, file: source.file, ...at, message: hit.message, hint, details: hit.details ?? rule.docs.fix });
      }
    }
  }

  /** Unknown ids in an `ignore:` list, placed at the entry itself. */
  private checkIgnoreList(source: YamlSource, prefix: PropertyKey[], ids: readonly string[]): void {
    ids.forEach((id, index) => {
      if (RULE_IDS.includes(id)) return;
      this.reportUnknown(source, locate(source, [...prefix, "ignore", index]), id, "in the ignore list");
    });
  }

  /** Unknown ids in `# repl-lab: ignore` comments, and comments that name no rule. */
  private checkDirectives(source: YamlSource): void {
    for (const directive of this.ignoresOf(source).directives) {
      const comment = `\`# repl-lab: ${directive.scope === "file" ? "ignore-file" : "ignore"}\` comment`;
      if (directive.ids.length === 0) {
        const at = { line: directive.line, column: directive.column };
        this.report(source, { ...this.unknownBase(source), ...at, message: `a ${comment} names no rule id, so it ignores nothing` });
      }
      for (const at of directive.ids) if (!RULE_IDS.includes(at.id)) this.reportUnknown(source, at, at.id, `in a ${comment}`);
    }
  }

  private reportUnknown(source: YamlSource, at: { line: number; column: number }, id: string, where: string): void {
    this.report(source, { ...this.unknownBase(source), ...at, message: `unknown rule id "${id}" ${where}${didYouMean(id, RULE_IDS)}; it ignores nothing` });
  }

  private unknownBase(source: YamlSource): Omit<Finding, "line" | "column" | "message"> {
    return { rule: unknownRuleId.id, severity: unknownRuleId.severity, file: source.file, hint: unknownRuleId.hint, details: unknownRuleId.docs.fix };
  }

  private report(source: YamlSource, finding: Finding): void {
    if (isIgnored(this.ignoresOf(source), finding.rule, finding.line)) return;
    // The same topology linted directly and through scenarios gives the same findings once.
    this.findings.set([finding.rule, finding.file, finding.line, finding.column, finding.message].join("\u0000"), finding);
  }

  /** Records a file for the report; every file's ignore lists and comments are checked for unknown ids. */
  private touch(source: YamlSource, rules: string[]): void {
    const ids = this.checked.get(source.file) ?? new Set([unknownRuleId.id]);
    for (const id of rules) ids.add(id);
    this.checked.set(source.file, ids);
  }

  private ignoresOf(source: YamlSource): FileIgnores {
    let ignores = this.ignores.get(source.file);
    if (!ignores) this.ignores.set(source.file, (ignores = readIgnores(source)));
    return ignores;
  }
}
