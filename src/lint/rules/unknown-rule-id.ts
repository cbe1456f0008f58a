// Not a check of the design but of its ignore lists and comments: a misspelt
// id would otherwise silently ignore nothing, and the finding it meant to
// silence would come back with no one knowing why. The runner reports it.
import type { Rule } from "../types.js";

export const unknownRuleId: Rule = {
  id: "unknown-rule-id",
  severity: "warning",
  description: "An ignore list or `# repl-lab: ignore` comment names a rule that does not exist.",
  hint: "Check the spelling: `repl-lab rules` lists every rule id.",
  docs: {
    why:
      "An ignore list (`ignore: [...]`) or an ignore comment (`# repl-lab: ignore ID -- reason`) switches a rule off by its id. " +
      "A misspelt id switches nothing off, so the finding it meant to silence stays, or, worse, the comment reads as if a rule were silenced when it is not. " +
      "A comment that names no id at all ignores nothing either.",
    fix: "Use the exact id of the rule (the message suggests the closest one; `repl-lab rules` lists them all), or delete the entry if the rule no longer fires.",
    example: {
      bad: ["failover:", "  fencing: none   # repl-lab: ignore failover-without-fence -- lab only"],
      good: ["failover:", "  fencing: none   # repl-lab: ignore failover-without-fencing -- lab only"],
    },
  },
  check: () => [],
};
