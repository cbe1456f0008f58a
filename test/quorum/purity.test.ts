// The quorum core is pure like the engine: no wall clock, no unseeded
// randomness, no I/O, no process state, no console.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const forbidden: [RegExp, string][] = [
  [/\bDate\.now\b|\bnew Date\b|performance\.now/, "wall clock"],
  [/\bMath\.random\b/, "unseeded randomness"],
  [/from "node:|from "fs"|from "path"|require\(/, "I/O or Node built-ins"],
  [/\bprocess\./, "process state"],
  [/\bconsole\./, "console output"],
];

test("src/quorum and the quorum renderers have no wall clock, Math.random, I/O, process or console", () => {
  const problems: string[] = [];
  const files = [
    ...readdirSync(join(process.cwd(), "src", "quorum")).map((f) => join("src", "quorum", f)),
    ...readdirSync(join(process.cwd(), "src", "report")).filter((f) => f.startsWith("quorum-")).map((f) => join("src", "report", f)),
  ].filter((f) => f.endsWith(".ts"));
  assert.ok(files.length >= 8, files.join(", "));
  for (const file of files) {
    readFileSync(join(process.cwd(), file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim().startsWith("//") || line.trim().startsWith("*")) return;
        for (const [pattern, what] of forbidden) if (pattern.test(line)) problems.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
  }
  assert.deepEqual(problems, []);
});
