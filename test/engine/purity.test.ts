// The engine core is pure: no wall clock, no randomness outside the seeded
// PRNG, no I/O. This test reads the engine's sources and fails on any use.
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

test("src/engine has no wall clock, Math.random, I/O, process or console", () => {
  const dir = join(process.cwd(), "src", "engine");
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim().startsWith("//") || line.trim().startsWith("*")) return;
      for (const [pattern, what] of forbidden) if (pattern.test(line)) problems.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(problems, []);
});
