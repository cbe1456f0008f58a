// A rule's page, from the documentation kept beside the rule: in Markdown for
// docs/rules/<id>.md and SARIF's help, in plain text for the terminal
// (`repl-lab rules ID`), and the list of every rule (`repl-lab rules`).
import type { ChalkInstance } from "chalk";
import wrapAnsi from "wrap-ansi";
import type { RuleInfo } from "../../lint/types.js";
import { paint } from "./text.js";

/** Where the pages live in the repository (and in the published package). */
export const RULE_DOCS_DIR = "docs/rules";

export function rulePagePath(id: string): string {
  return `${RULE_DOCS_DIR}/${id}.md`;
}

const GENERATED = "<!-- Generated from src/lint/rules/ by scripts/rule-docs.mjs: edit the rule, not this file. -->";

/** The page in Markdown, as docs/rules/<id>.md holds it. */
export function rulePageMarkdown(rule: RuleInfo): string {
  return [
    GENERATED,
    "",
    `# ${rule.id}`,
    "",
    `**${rule.severity}** · ${rule.description}`,
    "",
    "## Why it matters",
    "",
    rule.docs.why,
    "",
    "## How to fix it",
    "",
    rule.docs.fix,
    "",
    "## Example",
    "",
    "This breaks the rule:",
    "",
    "```yaml",
    ...rule.docs.example.bad,
    "```",
    "",
    "Fixed:",
    "",
    "```yaml",
    ...rule.docs.example.good,
    "```",
    "",
    ...switchOff(rule),
  ].join("\n");
}

/** Every page's title and summary, for docs/rules/README.md. */
export function ruleIndexMarkdown(rules: readonly RuleInfo[]): string {
  return [
    GENERATED,
    "",
    "# Lint rules",
    "",
    "`repl-lab validate` checks designs against these rules; `repl-lab rules ID` prints a page in the terminal.",
    "",
    "| rule | severity | checks |",
    "|---|---|---|",
    ...rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.severity} | ${r.description.replace(/\|/g, "\\|")} |`),
    "",
  ].join("\n");
}

function switchOff(rule: RuleInfo): string[] {
  if (rule.id === "invalid-input") return ["A file that does not load cannot be ignored: fix it, or leave it out of the paths given to `validate`.", ""];
  return [
    `Switch it off for one file with \`ignore: [${rule.id}]\` at the top level, or for one finding with a comment \`# repl-lab: ignore ${rule.id} -- reason\` on its line or the line above.`,
    "",
  ];
}

/** The page for a terminal: the same sections, paragraphs wrapped to `width`, examples indented. */
export function rulePageText(rule: RuleInfo, color: ChalkInstance, width = 100): string {
  const indent = (lines: readonly string[]) => lines.map((l) => `    ${l}`);
  const wrap = (text: string) => wrapAnsi(text, width, { hard: false, trim: true });
  return [
    `${color.bold(rule.id)} · ${paint(rule.severity, rule.severity, color)}`,
    wrap(rule.description),
    "",
    color.bold("Why it matters"),
    wrap(rule.docs.why),
    "",
    color.bold("How to fix it"),
    wrap(rule.docs.fix),
    "",
    color.bold("Example"),
    "  This breaks the rule:",
    ...indent(rule.docs.example.bad),
    "  Fixed:",
    ...indent(rule.docs.example.good),
    "",
    color.dim(wrap(switchOff(rule)[0])),
    "",
  ].join("\n");
}

/** One line per rule: id, severity, what it checks. */
export function ruleListText(rules: readonly RuleInfo[], color: ChalkInstance, width = Infinity): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const indent = idWidth + 2 + 7 + 2;
  // Beside the id while at least 30 columns are left for it, else under it; wrapped to the width either way.
  const beside = width - indent >= 30;
  const wrap = (text: string, at: number) => (Number.isFinite(width) ? wrapAnsi(text, Math.max(20, width - at), { hard: true }) : text).split("\n");
  const lines = rules.flatMap((r) => {
    const head = `${r.id.padEnd(idWidth)}  ${paint(r.severity, r.severity.padEnd(7), color)}`;
    if (!beside) return [head, ...wrap(r.description, 2).map((l) => `  ${l}`)];
    const [first, ...rest] = wrap(r.description, indent);
    return [`${head}  ${first}`, ...rest.map((l) => `${" ".repeat(indent)}${l}`)];
  });
  return [...lines, "", ...wrap("repl-lab rules ID prints a rule's page: why it matters, how to fix it, an example.", 0).map((l) => color.dim(l)), ""].join("\n");
}

/** The JSON of one rule (`rules --json`, `rules ID --json`). */
export function ruleJson(rule: RuleInfo): Record<string, unknown> {
  return {
    id: rule.id,
    severity: rule.severity,
    summary: rule.description,
    hint: rule.hint,
    why: rule.docs.why,
    fix: rule.docs.fix,
    example: { bad: rule.docs.example.bad.join("\n"), good: rule.docs.example.good.join("\n") },
    page: rulePagePath(rule.id),
  };
}
