// `repl-lab rules [ID]`: the list of lint rules, or one rule's page (why it
// matters, how to fix it, an example), from the documentation kept beside each
// rule in src/lint/rules/. An unknown id is a usage error with a "did you mean".
import type { Command } from "commander";
import { didYouMean, UsageError } from "../model/diagnostics.js";
import { DOCUMENTED_RULES } from "../lint/rules/index.js";
import { ruleJson, ruleListText, rulePageText } from "../report/lint/rule-page.js";
import { parseWidthFlag, resolveWidth } from "./flags.js";
import { EXIT_OK, type Io } from "./io.js";

export interface RulesOptions {
  json: boolean;
  /** Columns to wrap a page's paragraphs to. */
  width: number;
}

export function runRules(id: string | undefined, options: RulesOptions, io: Io): number {
  if (id === undefined) {
    io.out(options.json ? `${JSON.stringify(DOCUMENTED_RULES.map(ruleJson), null, 2)}\n` : ruleListText(DOCUMENTED_RULES, io.color, options.width));
    return EXIT_OK;
  }
  const rule = DOCUMENTED_RULES.find((r) => r.id === id);
  if (!rule) {
    const ids = DOCUMENTED_RULES.map((r) => r.id);
    const guess = didYouMean(id, ids);
    throw new UsageError(`unknown rule "${id}"${guess}${guess ? " " : "; "}\`repl-lab rules\` lists every rule`);
  }
  io.out(options.json ? `${JSON.stringify(ruleJson(rule), null, 2)}\n` : rulePageText(rule, io.color, options.width));
  return EXIT_OK;
}

/** `rules` on the program (called from main.ts). */
export function registerRules(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("rules")
    .description("list the lint rules, or print one rule's page: why it matters, how to fix it, an example")
    .argument("[id]", "a rule id, as validate prints it")
    .option("--json", "print JSON")
    .option("--width <n>", "columns of the text output (default: the terminal's, at most 100)")
    .addHelpText("after", "\nExamples:\n  $ repl-lab rules\n  $ repl-lab rules failover-without-fencing\n  $ repl-lab rules --json | jq -r '.[].id'")
    .action((id: string | undefined, options: { json?: boolean; width?: string }) => {
      // A page reads best at most 100 columns wide, narrower on a narrow terminal (or COLUMNS, or --width).
      const width = resolveWidth(options.width === undefined ? undefined : parseWidthFlag(options.width), { ...(io.terminal ?? {}), columns: Math.min(100, io.terminal?.columns ?? 100) });
      setCode(runRules(id, { json: Boolean(options.json), width }, io));
    });
}
