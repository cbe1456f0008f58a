// SARIF 2.1.0 for GitHub code scanning (upload-sarif): one run, the rule table
// under tool.driver.rules, and one result per finding with a repository-
// relative URI so the alert lands on the right line of the right file. A file
// that did not load is a result of the pseudo-rule invalid-input, at its position.
// Each rule carries its page (help.text and help.markdown, so that code
// scanning shows it offline) and, given one, an absolute helpUri: the schema's
// "uri" format refuses a relative one, and upload-sarif validates it.
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { DOCUMENTED_RULES } from "../../lint/rules/index.js";
import type { LintReport, RuleInfo, Severity } from "../../lint/types.js";
import { rulePageMarkdown, rulePageText } from "./rule-page.js";
import { Chalk } from "chalk";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const INFORMATION_URI = "https://www.npmjs.com/package/repl-lab";

export interface SarifOptions {
  /** Paths are made relative to this directory (the repository root in CI). */
  cwd: string;
  version: string;
  /** The rule table (default: every lint rule, then invalid-input). */
  rules?: readonly RuleInfo[];
  /** The absolute URI of a rule's page; left out, rules carry no helpUri. */
  helpUri?: (id: string) => string;
}

export function renderLintSarif(report: LintReport, options: SarifOptions): string {
  const rules = options.rules ?? DOCUMENTED_RULES;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "repl-lab",
            informationUri: INFORMATION_URI,
            version: options.version,
            rules: rules.map((r) => descriptor(r, options)),
          },
        },
        columnKind: "utf16CodeUnits",
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: level(f.severity),
          message: { text: `${f.message}\n\nHint: ${f.hint}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.file, options.cwd) },
                // SARIF lines and columns are 1-based; a file-level finding points at 1:1.
                region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function descriptor(rule: RuleInfo, options: SarifOptions): Record<string, unknown> {
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.docs.why },
    ...(options.helpUri ? { helpUri: options.helpUri(rule.id) } : {}),
    help: { text: rulePageText(rule, PLAIN), markdown: rulePageMarkdown(rule) },
    defaultConfiguration: { level: level(rule.severity) },
  };
}

const PLAIN = new Chalk({ level: 0 });

function level(severity: Severity): "error" | "warning" | "note" {
  return severity === "info" ? "note" : severity;
}

/** Relative with forward slashes inside `cwd`; a file:// URI outside it. */
export function artifactUri(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return pathToFileURL(absolute).href;
  return rel.split(sep).join("/");
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}
