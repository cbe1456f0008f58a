// simulate and explore loaded a file fully before looking at its kind: a broken topology given to simulate (or a
// broken scenario given to explore) was answered with that file's own schema errors ("missing required key
// regions" ...), never saying the file is of the wrong kind. The kind is read first, as quorum --latency does,
// and the one error names the kind line, in every output format, exit 2.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-wrong-kind-"));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "payments.yaml"));
writeFileSync(join(dir, "topo.yaml"), "# a broken topology\nkind: topology\nname: x\nnodes: 5\nbogus: 3\n");
writeFileSync(join(dir, "scen.yaml"), "# a broken scenario\nkind: scenario\nname: s\ntopology: payments.yaml\nduration: soon\nbogus: 1\n");
const run = (args: string[]) => runBin(args, dir);

function oneError(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

for (const format of ["text", "json", "markdown", "html"]) {
  test(`simulate given a broken topology (--format ${format}) says it is a topology, at its kind line`, async () => {
    oneError(await run(["simulate", "topo.yaml", "--format", format]), /^error topo\.yaml:2:7: this is a topology file, but simulate runs scenarios \(kind: scenario\); give it faults/);
  });
}

for (const format of ["text", "json", "html"]) {
  test(`explore given a broken scenario (--format ${format}) says it is a scenario, at its kind line`, async () => {
    oneError(await run(["explore", "scen.yaml", "--format", format, "--out", join(dir, "out")]), /^error scen\.yaml:2:7: this is a scenario file, but explore searches a design \(kind: topology\); explore its topology instead: payments\.yaml/);
  });
}

test("simulate's what-if flags given a broken scenario say it is a scenario, at its kind line", async () => {
  oneError(await run(["simulate", "scen.yaml", "--fault", "crash pg-a at 10s"]), /^error scen\.yaml:2:7: this is a scenario file, but --fault, --workload, --duration and --print-scenario build a scenario around a topology/);
});
