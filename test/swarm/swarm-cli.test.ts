// `npm run swarm` (its compiled entry): a summary per mode and per oracle,
// failing cases written as scenario files, exit 1 on a violation, 2 on bad flags.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "repl-lab-swarm-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function swarm(...args: string[]) {
  const result = spawnSync(process.execPath, ["dist/src/cli/swarm.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("a few schedules: the summary, and any failure as a replayable file", () => {
  const out = join(dir, "failures");
  const { code, stdout, stderr } = swarm("--schedules", "6", "--seed", "500", "--scale", "ci", "--no-shrink", "--out", out);
  assert.ok(code === 0 || code === 1, stderr);
  assert.match(stdout, /Swarm: 6 schedules from seed 500/);
  assert.match(stdout, /│ oracle +│ kind +│ applied │ failed │/);
  assert.match(stdout, /no-lost-ack/);
  if (code === 1) {
    const files = readdirSync(out);
    assert.ok(files.length > 0);
    assert.match(readFileSync(join(out, files[0]), "utf8"), /^# Swarm failure: oracle [\w-]+/);
  } else assert.match(stdout, /no oracle violation/);
});

test("bad flags exit 2", () => {
  assert.equal(swarm("--schedules", "many").code, 2);
  assert.equal(swarm("--mode", "paxos").code, 2);
});
