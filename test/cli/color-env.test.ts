// NO_COLOR and FORCE_COLOR together: a non-empty NO_COLOR wins (no colour codes), and stderr stays empty.
// Node 22 and later warn "The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set" when a module
// asks whether to colour (node:assert does as it loads); Node 20 never warns, so there this only checks the output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

for (const args of [["simulate", "scenarios/leader-dies-in-az-a.yaml"], ["validate", "topologies/payments.yaml"]]) {
  test(`NO_COLOR=1 FORCE_COLOR=1 repl-lab ${args[0]}: no colour codes, no warning`, () => {
    const r = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "1" } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });
}
