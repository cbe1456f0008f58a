// README.md's example outputs must be what the tool prints today. Each block
// between `<!-- example: COMMAND -->` and `<!-- /example -->` is compared with a
// fresh run of the built CLI (scripts/readme-examples.mjs, the same code that
// `npm run docs:update` uses to rewrite them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type Example = { command: string; marker: number; first: number; block: string; options: Record<string, unknown> };
type Examples = {
  findExamples(text: string): Example[];
  run(example: Example): Promise<string>;
  render(example: Example, output: string): string;
  firstDifference(example: Example, expected: string): string | undefined;
};

// Like the other tests, this one runs from the repository's root (npm test).
const root = process.cwd();
const examples = (await import(pathToFileURL(join(root, "scripts", "readme-examples.mjs")).href)) as Examples;
const readme = readFileSync(join(root, "README.md"), "utf8");
const found = examples.findExamples(readme);

test("README.md has its examples marked", () => {
  assert.ok(found.length >= 8, `only ${found.length} examples found`);
  // A transcript outside the markers would drift unchecked: every fenced
  // "$ npx repl-lab" block must be one of the examples.
  const lines = readme.split("\n");
  const inside = new Set(found.flatMap((e) => Array.from({ length: e.block.split("\n").length }, (_, i) => e.first + i)));
  const loose = lines.flatMap((l, i) => (l.startsWith("$ npx repl-lab") && !inside.has(i + 1) ? [`README.md:${i + 1}: ${l}`] : []));
  assert.deepEqual(loose, [], "mark these with <!-- example: ... --> / <!-- /example --> (then npm run docs:update)");
});

for (const example of found) {
  test(`README example: ${example.command}`, async () => {
    const expected = examples.render(example, await examples.run(example));
    const difference = examples.firstDifference(example, expected);
    if (difference !== undefined) {
      assert.fail(`README.md:${example.marker}: the example of \`${example.command}\` differs from what the tool prints; first difference at ${difference}\nRun \`npm run docs:update\` and review the diff (and the prose around it).`);
    }
  });
}
