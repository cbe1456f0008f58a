// `repl-lab init --kind scenario`: a commented starter scenario that names a
// topology, takes its node and class names from it, validates, and runs with
// every expectation met, for every preset's starter topology.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import { runInit } from "../../src/cli/init.js";
import type { Io } from "../../src/cli/io.js";
import { runSimulate } from "../../src/cli/simulate.js";
import { lintAll } from "../../src/lint/run.js";
import { loadFile } from "../../src/model/load.js";
import { presetNames } from "../../src/model/schema.js";
import { ROOT, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-init-scenario-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: new Chalk({ level: 0 }), isTTY: false };
}

/** The built binary in `cwd` (the shared test helper). */
const run = runBin;

test("init then init --kind scenario: the pair validates and simulates (exit 0) through the binary", async () => {
  const cwd = join(dir, "cli");
  mkdirSync(cwd);
  assert.equal((await run(["init", "--out", "topology.yaml"], cwd)).status, 0);
  const init = await run(["init", "--kind", "scenario", "--out", "scenario.yaml"], cwd);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stderr, /run it with: repl-lab simulate scenario\.yaml/);
  const text = readFileSync(join(cwd, "scenario.yaml"), "utf8");
  assert.match(text, /^kind: scenario/m);
  assert.match(text, /^topology: topology\.yaml +# /m);
  assert.match(text, /^ {2}- \{ at: 30s, crash: pg-a \} +# a host failure/m);
  assert.match(text, /^ {2}# - \{ at: 30s, partition: /m, "the other fault kinds are there to uncomment");
  const validate = await run(["validate", "scenario.yaml"], cwd);
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  const simulate = await run(["simulate", "scenario.yaml"], cwd);
  assert.equal(simulate.status, 0, simulate.stdout + simulate.stderr);
  assert.match(simulate.stdout, /split_brain/);
});

test("every preset's starter scenario loads against that preset's starter topology, lints clean and meets its expectations", async () => {
  for (const preset of presetNames) {
    const folder = join(dir, preset);
    mkdirSync(folder);
    const io = fakeIo();
    assert.equal(runInit({ preset, out: join(folder, "topology.yaml") }, io), 0);
    assert.equal(runInit({ preset, kind: "scenario", out: join(folder, "scenario.yaml") }, io), 0, io.stderr.join("\n"));
    const loaded = loadFile(join(folder, "scenario.yaml"));
    assert.equal(loaded.kind, "scenario");
    const { report } = lintAll([loaded], { today: new Date("2026-11-26T00:00:00Z") });
    assert.equal(report.errors, 0, `${preset}: ${report.findings.map((f) => f.message).join("\n")}`);
    const out = fakeIo();
    assert.equal(await runSimulate([join(folder, "scenario.yaml")], { format: "text" }, out), 0, `${preset}:\n${out.stdout.join("\n")}`);
    // The run lasts long enough for the failover to play out (found by a review: postgres-manual's 15-minute operator
    // and RDS's stale DNS tail outlasted a 2-minute run, so every class read "never back" or missed its targets).
    const json = fakeIo();
    await runSimulate([join(folder, "scenario.yaml")], { format: "json" }, json);
    const result = JSON.parse(json.stdout.join(""));
    for (const cls of result.classes) assert.ok(cls.met, `${preset}: ${cls.name} missed its targets in the starter run`);
  }
});

test("the scenario takes its names from an existing topology file, and says when it falls back to a preset's", () => {
  const folder = join(dir, "custom");
  mkdirSync(folder);
  const topology = readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8");
  writeFileSync(join(folder, "mine.yaml"), topology);
  const io = fakeIo();
  assert.equal(runInit({ preset: "patroni", kind: "scenario", topology: "mine.yaml", out: join(folder, "s.yaml") }, io), 0);
  const text = readFileSync(join(folder, "s.yaml"), "utf8");
  assert.match(text, /^topology: mine\.yaml/m);
  assert.match(text, /ledger: \{ rpo: 0/, "the commented class expectation names the topology's first class");
  assert.equal(io.stderr.filter((l) => l.startsWith("note:")).length, 0);
  const printed = fakeIo();
  assert.equal(runInit({ preset: "mongodb", kind: "scenario" }, printed), 0);
  assert.match(printed.stderr.join("\n"), /note: topology\.yaml does not exist yet; the scenario uses the names of the mongodb starter/);
});

test("an unknown --kind exits 2 with the kinds", () => {
  const io = fakeIo();
  assert.equal(runInit({ preset: "patroni", kind: "scenaro" }, io), 2);
  assert.match(io.stderr.join("\n"), /unknown --kind "scenaro" — did you mean "scenario"\? \(kinds: topology, scenario\)/);
});

test("the note's command writes the topology where the scenario looks for it, and paths with spaces are quoted (found by a review: it wrote ./t.yaml, the scenario read in/t.yaml)", async () => {
  const cwd = join(dir, "where");
  mkdirSync(join(cwd, "in", "my dir"), { recursive: true });
  const init = await run(["init", "--kind", "scenario", "--topology", "t.yaml", "--out", "in/init2.yaml"], cwd);
  assert.equal(init.status, 0, init.stderr);
  const hint = /write it with: repl-lab init --preset patroni --out (\S+)\)/.exec(init.stderr);
  assert.ok(hint, init.stderr);
  assert.equal(hint[1], "in/t.yaml");
  // Doing as the note says gives a scenario that runs.
  assert.equal((await run(["init", "--preset", "patroni", "--out", hint[1]], cwd)).status, 0);
  const simulate = await run(["simulate", "in/init2.yaml", "--json"], cwd);
  assert.equal(simulate.status, 0, simulate.stderr);
  const spaced = await run(["init", "--kind", "scenario", "--topology", "my t.yaml", "--out", "in/my dir/it's.yaml"], cwd);
  assert.equal(spaced.status, 0, spaced.stderr);
  assert.match(spaced.stderr, /--out 'in\/my dir\/my t\.yaml'\)/);
  assert.match(spaced.stderr, /check it with: repl-lab validate 'in\/my dir\/it'\\''s\.yaml'; run it with: repl-lab simulate 'in\/my dir\/it'\\''s\.yaml'/);
});
