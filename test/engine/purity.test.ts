// The cores are pure: no wall clock, no randomness outside the seeded PRNG,
// no I/O. This test reads the engine's and the quorum calculator's sources
// (and the quorum renderers) and fails on any use.
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

function sources(dir: string, keep: (name: string) => boolean = () => true): string[] {
  return readdirSync(join(process.cwd(), dir))
    .filter((f) => f.endsWith(".ts") && keep(f))
    .map((f) => join(dir, f));
}

function impurities(files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    readFileSync(join(process.cwd(), file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim().startsWith("//") || line.trim().startsWith("*")) return;
        for (const [pattern, what] of forbidden) if (pattern.test(line)) problems.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
  }
  return problems;
}

test("src/engine has no wall clock, Math.random, I/O, process or console", () => {
  const files = sources(join("src", "engine"));
  assert.ok(files.length >= 10, files.join(", "));
  assert.deepEqual(impurities(files), []);
});

test("src/quorum and the quorum renderers are pure too", () => {
  const files = [...sources(join("src", "quorum")), ...sources(join("src", "report", "quorum"))];
  assert.ok(files.length >= 5, files.join(", "));
  assert.deepEqual(impurities(files), []);
});
