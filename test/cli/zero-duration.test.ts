// A scenario of duration 0 ran, sent no request, and reported every class "met" (exit 0): a run that measures
// nothing passed every target. It is refused at the duration's line and column, with why, in every format.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-zero-duration-"));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "payments.yaml"));
const run = (args: string[]) => runBin(args, dir);

for (const written of ["0", '"0s"', "0ms"]) {
  test(`duration: ${written} is refused at its line and column by simulate (text, --json), validate and a what-if`, async () => {
    writeFileSync(join(dir, "z.yaml"), `kind: scenario\nname: z\ntopology: payments.yaml\nduration: ${written}\nworkload: { writes: 10, reads: 10 }\n`);
    const runs = await Promise.all([
      run(["simulate", "z.yaml"]),
      run(["simulate", "z.yaml", "--json"]),
      run(["validate", "z.yaml", "--today", "2026-12-01"]),
    ]);
    for (const r of runs) {
      assert.equal(r.status, 2, r.stderr + r.stdout);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /z\.yaml:4:11: expected a duration of at least 1ms; got .*0.* \(it is how long the run lasts, and a run of 0 sends no request/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
}

test("simulate TOPOLOGY --duration 0 is refused naming the flag, not run", async () => {
  const r = await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 0", "--duration", "0"]);
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /--duration.*at least 1ms/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
