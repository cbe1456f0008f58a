// Golden output: every bundled scenario's text report and JSON, byte for byte.
// A change to the engine or a renderer shows here as a diff a reviewer reads.
// Rewrite the files on purpose with `npm run golden:update` (UPDATE_GOLDEN=1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Chalk } from "chalk";
import { runSimulate } from "../../src/cli/simulate.js";
import type { Io } from "../../src/cli/io.js";

const root = process.cwd();
const goldenDir = join(root, "test", "golden", "simulate");
const update = process.env.UPDATE_GOLDEN === "1";

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...scenarioFiles(path));
    else if (name.endsWith(".yaml") && /^kind: scenario$/m.test(readFileSync(path, "utf8"))) out.push(path);
  }
  return out;
}

async function render(file: string, format: "text" | "json"): Promise<string> {
  let text = "";
  const io: Io = { out: (t) => (text += t.endsWith("\n") ? t : `${t}\n`), err: () => undefined, color: new Chalk({ level: 0 }), isTTY: false };
  await runSimulate([relative(root, file)], { format }, io);
  return text;
}

for (const file of scenarioFiles(join(root, "scenarios"))) {
  const name = relative(join(root, "scenarios"), file).replace(/\.yaml$/, "");
  for (const format of ["text", "json"] as const) {
    test(`golden ${format}: scenarios/${name}`, async () => {
      const actual = await render(file, format);
      const path = join(goldenDir, `${name}.${format === "text" ? "txt" : "json"}`);
      if (update || !existsSync(path)) {
        if (!update) assert.fail(`no golden file ${relative(root, path)}: run npm run golden:update and review it`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, actual);
        return;
      }
      assert.equal(actual, readFileSync(path, "utf8"), `${relative(root, path)} drifted: review the diff, then npm run golden:update`);
    });
  }
}
