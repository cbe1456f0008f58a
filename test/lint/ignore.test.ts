// Switching rules off: ignore lists, line comments, file comments, and the
// warning for an id that matches no rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, lintText, topology } from "./helpers.js";

const unfenced = (extra = "", fencingLine = "  fencing: none") =>
  topology({ failover: `failover:\n  mode: automatic\n  # repl-lab: ignore patroni-timing-floor -- a 10s lease, as Patroni before 3.2 runs it\n  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }\n${fencingLine}`, extra });
const rules = (text: string) => lintText(text).map((f) => f.rule);

describe("ignore lists", () => {
  test("the finding is reported without one", () => {
    assert.deepEqual(rules(unfenced()), ["failover-without-fencing"]);
  });

  test("a topology's ignore list switches a rule off", () => {
    assert.deepEqual(rules(unfenced("ignore: [failover-without-fencing]")), []);
  });

  test("a scenario's ignore list switches a rule off in its inline topology", () => {
    const inline = unfenced().split("\n").map((l) => (l ? `  ${l}` : l)).join("\n");
    const scenario = `kind: scenario\nname: s\nduration: 10s\nworkload: { writes: 1 }\nignore: [failover-without-fencing]\ntopology:\n${inline}`;
    assert.deepEqual(rules(scenario), []);
    const without = scenario.replace("ignore: [failover-without-fencing]\n", "");
    const findings = lintText(without);
    assert.deepEqual(findings.map((f) => f.rule), ["failover-without-fencing"]);
    // Placed in the scenario file, under its topology: key.
    assert.deepEqual({ line: findings[0].line, column: findings[0].column }, at(without, "fencing: none", "none"));
  });

  test("an unknown id in the list is reported where it is written, with a suggestion", () => {
    const text = unfenced("ignore: [failover-without-fencing, rpo-zero-without-synk]");
    const findings = lintText(text);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.rule, "unknown-rule-id");
    assert.equal(f.severity, "warning");
    assert.deepEqual({ line: f.line, column: f.column }, at(text, "rpo-zero-without-synk"));
    assert.match(f.message, /unknown rule id "rpo-zero-without-synk" in the ignore list — did you mean "rpo-zero-without-sync"\?/);
  });
});

describe("ignore comments", () => {
  test("on the finding's line", () => {
    assert.deepEqual(rules(unfenced("", "  fencing: none   # repl-lab: ignore failover-without-fencing")), []);
  });

  test("on the line above, with other ids and a reason", () => {
    const text = unfenced("", "  # repl-lab: ignore rto-budget-exceeded, failover-without-fencing -- a lab design\n  fencing: none");
    assert.deepEqual(rules(text), []);
  });

  test("two lines above does not reach", () => {
    const text = unfenced("", "  # repl-lab: ignore failover-without-fencing\n  promotion: 1s\n  fencing: none");
    assert.deepEqual(rules(text), ["failover-without-fencing"]);
  });

  test("a comment for another rule does not suppress", () => {
    assert.deepEqual(rules(unfenced("", "  fencing: none # repl-lab: ignore no-backups")), ["failover-without-fencing"]);
  });

  test("ignore-file anywhere in the file", () => {
    assert.deepEqual(rules(unfenced("# repl-lab: ignore-file failover-without-fencing")), []);
  });

  test("an unknown id in a comment is reported at the id, with a suggestion", () => {
    const text = unfenced("", "  fencing: none # repl-lab: ignore failover-without-fenicng");
    const findings = lintText(text);
    assert.deepEqual(findings.map((f) => f.rule), ["failover-without-fencing", "unknown-rule-id"]);
    const unknown = findings[1];
    assert.deepEqual({ line: unknown.line, column: unknown.column }, at(text, "failover-without-fenicng"));
    assert.match(unknown.message, /did you mean "failover-without-fencing"/);
    assert.equal(unknown.severity, "warning");
  });

  test("a directive that names no rule is reported", () => {
    const text = unfenced("# repl-lab: ignore-file", "  fencing: lease");
    const findings = lintText(text);
    assert.deepEqual(findings.map((f) => f.rule), ["unknown-rule-id"]);
    assert.match(findings[0].message, /names no rule id/);
    assert.deepEqual({ line: findings[0].line, column: findings[0].column }, at(text, "# repl-lab: ignore-file"));
  });

  test("a '#' inside a quoted string is not a comment", () => {
    const text = unfenced().replace("name: fixture", 'name: fixture\ndescription: "see # repl-lab: ignore failover-without-fencing"');
    assert.deepEqual(rules(text), ["failover-without-fencing"]);
  });

  test("unknown-rule-id can itself be ignored for a file", () => {
    const text = unfenced("# repl-lab: ignore-file unknown-rule-id\n# repl-lab: ignore-file nonsense-rule", "  fencing: lease");
    assert.deepEqual(rules(text), []);
  });
});
