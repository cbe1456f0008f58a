// Shared by the model tests: load YAML text and get its diagnostics, and a
// small valid topology to mutate.
import assert from "node:assert/strict";
import { InputError, type Diagnostic } from "../../src/model/diagnostics.js";
import { loadText, type Loaded } from "../../src/model/load.js";

/** The diagnostics of a text that must fail to load (fails the test if it loads). */
export function diagnosticsOf(text: string, file = "t.yaml"): Diagnostic[] {
  try {
    loadText(file, text);
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics;
    throw error;
  }
  assert.fail(`expected ${file} to be refused, but it loaded:\n${text}`);
}

/** Asserts exactly one diagnostic, at a line and column, whose message matches. */
export function assertOne(text: string, line: number, column: number, message: RegExp): Diagnostic {
  const diagnostics = diagnosticsOf(text);
  assert.equal(diagnostics.length, 1, `expected one diagnostic, got:\n${diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")}`);
  const [d] = diagnostics;
  assert.deepEqual([d.line, d.column], [line, column], `position of: ${d.message}`);
  assert.match(d.message, message);
  return d;
}

export function loads(text: string, file = "t.yaml"): Loaded {
  try {
    return loadText(file, text);
  } catch (error) {
    if (error instanceof InputError) assert.fail(`expected ${file} to load, got:\n${error.message}`);
    throw error;
  }
}

/**
 * A small topology, one key per line so that a test can change one line and
 * know its position: line 1 is `kind`, the nodes start on line 6.
 */
export const TOPOLOGY = [
  "kind: topology", // 1
  "name: small", // 2
  "regions:", // 3
  "  us-east: { zones: [a, b, c] }", // 4
  "nodes:", // 5
  "  pg-a: { zone: us-east/a, role: leader }", // 6
  "  pg-b: { zone: us-east/b }", // 7
  "  pg-c: { zone: us-east/c }", // 8
  "replication:", // 9
  "  mode: leader-follower", // 10
  "data_classes:", // 11
  "  ledger: { rpo: 0, rto: 1m }", // 12
];

/** TOPOLOGY with some lines replaced (1-based line numbers) and lines appended. */
export function topology(replace: Record<number, string> = {}, append: string[] = []): string {
  const lines = TOPOLOGY.map((l, i) => replace[i + 1] ?? l);
  return [...lines, ...append].join("\n") + "\n";
}

/**
 * A scenario with TOPOLOGY inline (indented under `topology:`, lines 4-15),
 * then duration on line 16, workload on 17, and `extra` from line 18.
 */
export function scenario(extra: string[] = [], options: { duration?: string; workload?: string } = {}): string {
  return (
    [
      "kind: scenario", // 1
      "name: crash", // 2
      "topology:", // 3
      ...TOPOLOGY.map((l) => `  ${l}`), // 4-15
      `duration: ${options.duration ?? "60s"}`, // 16
      `workload: ${options.workload ?? "{ writes: 100, reads: 100 }"}`, // 17
      ...extra, // 18...
    ].join("\n") + "\n"
  );
}
