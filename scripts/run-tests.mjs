// Runs every compiled test file. Node 20 and Node 22+ disagree on how `node --test`
// treats directory and glob arguments, so the files are listed here explicitly.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}
const files = find("dist/test");
// The CLI renders to COLUMNS when it is set; the tests choose their widths themselves, whatever the shell exported.
const env = { ...process.env };
delete env.COLUMNS;
// Node runs availableParallelism() − 1 files at once by default: one at a time on a two-core machine, leaving a
// core idle while a file waits on a real cluster or a child CLI. Two or more side by side; the two files that
// start real clusters take turns (test/live/helpers.ts).
const concurrency = Math.max(2, availableParallelism());
const result = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, "--test-reporter=dot", "--test-reporter-destination=stdout", "--test-reporter=./scripts/summary-reporter.mjs", "--test-reporter-destination=stdout", ...process.argv.slice(2), ...files], { stdio: "inherit", env });
process.exit(result.status ?? 1);
