// Test helpers for the linter: a clean base design whose blocks a test swaps
// out, a position finder, and an ESLint RuleTester-style runner.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadText } from "../../src/model/load.js";
import { lintAll } from "../../src/lint/run.js";
import type { Finding, Rule, Severity } from "../../src/lint/types.js";

export const TODAY = new Date("2026-11-26T00:00:00Z");

export const BLOCKS = {
  regions: `regions:
  east: { zones: [a, b, c] }
  west: { zones: [a] }`,
  nodes: `nodes:
  n1: { zone: east/a, role: leader }
  n2: { zone: east/b }
  n3: { zone: east/c }
  dr: { zone: west/a, nofailover: true }`,
  replication: `replication:
  mode: leader-follower
  synchronous: { standbys: "ANY 1 (n2, n3)", commit: on, strict: true }`,
  failover: `failover:
  mode: automatic
  # repl-lab: ignore patroni-timing-floor -- tuned as on Patroni before 3.2 (a 10s lease); patroni-timing-floor's own tests drop this line
  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
  fencing: lease
  promotion: 1s
  endpoint: { kind: proxy, check_interval: 1s }
  reconnect: { backoff: 100ms, max: 2s }`,
  backups: `backups:
  wal_archive: { mode: continuous, region: west }
  base_backups: { every: 24h, retain: 30d, region: west }
  pitr_window: 7d
  detection: 2d
  drill: { every: 30d, last: 2026-11-01 }
  guards: { unqualified_dml: block }`,
  classes: `data_classes:
  ledger: { rpo: 0, rto: 30s, consistency: strong }
  analytics: { rpo: 4h, rto: 1h, commit: off, reads: any }`,
};

export type Blocks = Partial<Record<keyof typeof BLOCKS, string>> & { extra?: string };

/** A topology built from the base blocks with some replaced ("" drops a block). */
export function topology(blocks: Blocks = {}): string {
  const merged = { ...BLOCKS, ...blocks };
  const parts = ["kind: topology", "name: fixture", merged.regions, merged.nodes, merged.replication, merged.failover, merged.backups, merged.classes, blocks.extra ?? ""];
  return `${parts.filter((p) => p !== "").join("\n")}\n`;
}

/** The 1-based line and column of `inner` within the first occurrence of `needle`. */
export function at(text: string, needle: string, inner: string = needle): { line: number; column: number } {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `fixture has no ${JSON.stringify(needle)}`);
  const within = needle.indexOf(inner);
  assert.ok(within >= 0, `${JSON.stringify(inner)} is not in ${JSON.stringify(needle)}`);
  const offset = start + within;
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function lintText(text: string, options: { today?: Date; rules?: readonly Rule[]; file?: string } = {}): Finding[] {
  const loaded = loadText(options.file ?? "fixture.yaml", text);
  return lintAll([loaded], { today: options.today ?? TODAY, rules: options.rules }).report.findings;
}

export interface ValidCase {
  name: string;
  yaml: string;
  today?: string;
}

export interface InvalidCase extends ValidCase {
  /** Where each finding must be, in order; `includes` are substrings its message must contain. */
  findings: { line: number; column: number; includes?: string[]; hintIncludes?: string[] }[];
}

/** ESLint's RuleTester, in node:test: each valid case has no finding of the rule, each invalid one exactly these. */
export function ruleTester(rule: Rule, severity: Severity, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    test("is registered with its severity", () => assert.equal(rule.severity, severity));
    for (const c of cases.valid) {
      test(`valid: ${c.name}`, () => {
        const found = run(rule, c);
        assert.deepEqual(found.map((f) => `${f.line}:${f.column} ${f.message}`), []);
      });
    }
    for (const c of cases.invalid) {
      test(`invalid: ${c.name}`, () => {
        const found = run(rule, c);
        assert.equal(found.length, c.findings.length, `expected ${c.findings.length} finding(s), got:\n${found.map((f) => `${f.line}:${f.column} ${f.message}`).join("\n")}`);
        c.findings.forEach((expected, i) => {
          const f = found[i];
          assert.equal(f.rule, rule.id);
          assert.equal(f.severity, severity);
          assert.deepEqual({ line: f.line, column: f.column }, { line: expected.line, column: expected.column }, f.message);
          for (const part of expected.includes ?? []) assert.ok(f.message.includes(part), `message ${JSON.stringify(f.message)} lacks ${JSON.stringify(part)}`);
          // The short hint and the long advice (--verbose, JSON's details) together.
          const advice = `${f.hint}\n${f.details ?? ""}`;
          for (const part of expected.hintIncludes ?? []) assert.ok(advice.includes(part), `advice ${JSON.stringify(advice)} lacks ${JSON.stringify(part)}`);
          assert.ok(f.hint.length > 20, "every finding teaches a fix");
          assert.ok(f.hint.length <= 100 && !f.hint.includes("\n"), `a hint is one short line: ${JSON.stringify(f.hint)}`);
        });
      });
    }
  });
}

function run(rule: Rule, c: ValidCase): Finding[] {
  const today = c.today ? new Date(`${c.today}T00:00:00Z`) : TODAY;
  return lintText(c.yaml, { today, rules: [rule] }).filter((f) => f.rule === rule.id);
}
