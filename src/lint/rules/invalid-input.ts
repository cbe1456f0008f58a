// Bad input as a finding (issue 13). A file that cannot be read, parsed or
// loaded is not linted, but CI still needs to see it in the format it asked
// for: each problem becomes an error finding of this pseudo-rule. It is not a
// lint Rule: `validate` never runs it, and an ignore list cannot name it (a
// file that does not load has no ignore list to read). Its page is here, with
// the rules', so that `repl-lab rules invalid-input` and SARIF can show it.
import type { RuleInfo } from "../types.js";

export const invalidInput: RuleInfo = {
  id: "invalid-input",
  severity: "error",
  description: "A file could not be read, parsed as YAML or loaded against the file format, so none of its design was linted.",
  hint: "Fix the problem at this position so the file loads; `repl-lab schema` prints the format.",
  docs: {
    why:
      "A file that does not load has no design to check: every rule is silent about it, so a typo in a key could otherwise hide a missing synchronous standby. " +
      "Each problem is reported at its position (invalid YAML, an unknown or missing key, a bad duration, a node, zone or data class that does not exist), " +
      "all of them at once, and the exit code is 2.",
    fix:
      "Fix each problem at its position: the message says what was expected, with a \"did you mean\" for likely typos. " +
      "`repl-lab schema` prints the JSON Schema of the formats, which editors use for completion and checking as you type. " +
      "A problem with the whole file (missing, unreadable, too large, a directory without YAML files) is placed at 1:1.",
    example: {
      bad: ["kind: scenario", "name: crash", "topology: ../topologies/payments.yaml", "duration: 2m", "workload: { reads: 100 }        # writes is required", "faults:", "  - { at: 30s, crash: pg-z }     # no such node"],
      good: ["kind: scenario", "name: crash", "topology: ../topologies/payments.yaml", "duration: 2m", "workload: { writes: 500, reads: 100 }", "faults:", "  - { at: 30s, crash: pg-a }"],
    },
  },
};

/** The short hint for a problem with the whole file (line 0: missing, unreadable, too large, a directory). */
export const FILE_HINT = "Check the path, its permissions and its size: a readable YAML file, or a folder of them.";
