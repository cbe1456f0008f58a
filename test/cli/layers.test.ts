// The arrows between the layers: the core (base, model, engine, quorum, lint,
// drills) never imports an edge (report, cli), so it can be reused and tested
// without a terminal. This reads the sources and fails on any such import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const CORE = ["base", "model", "engine", "quorum", "lint", "drills"];
const EDGE = /from "(\.\.\/)+(report|cli)\//;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

test("the core imports nothing from src/report or src/cli", () => {
  const problems: string[] = [];
  for (const layer of CORE) {
    for (const file of sources(join(process.cwd(), "src", layer))) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (EDGE.test(line)) problems.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(problems, []);
});

test("src/live imports no renderer and no command: the CLI renders what it returns", () => {
  const problems = sources(join(process.cwd(), "src", "live")).filter((file) => EDGE.test(readFileSync(file, "utf8")));
  assert.deepEqual(problems, []);
});
