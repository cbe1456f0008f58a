// Loading from files: a scenario's `topology:` path is relative to the
// scenario file (whatever the working directory), and a path that does not
// lead to a topology is reported at the scenario's `topology:` line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError, type Diagnostic } from "../../src/model/diagnostics.js";
import { loadFile, type Loaded } from "../../src/model/load.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PROJECT = join(ROOT, "test/fixtures/model/project");

function inDirectory<T>(dir: string, run: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return run();
  } finally {
    process.chdir(before);
  }
}

function scenarioOf(loaded: Loaded) {
  assert.equal(loaded.kind, "scenario");
  return (loaded as Extract<Loaded, { kind: "scenario" }>).scenario;
}

function failure(path: string): Diagnostic[] {
  try {
    loadFile(path);
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics;
    throw error;
  }
  assert.fail(`${path} loaded`);
}

test("the topology path is resolved relative to the scenario file, from any working directory", () => {
  const absolute = join(PROJECT, "scenarios/crash.yaml");
  for (const cwd of [tmpdir(), ROOT, join(PROJECT, "topologies")]) {
    const s = inDirectory(cwd, () => scenarioOf(loadFile(absolute)));
    assert.equal(s.topologyFile, join(PROJECT, "topologies/small.yaml"), cwd);
    assert.equal(s.topology.name, "small");
    assert.deepEqual(s.faults, [{ atMs: 10_000, kind: "crash", node: "pg-a", nodeIndex: 0, forMs: null }]);
  }
});

test("a relative scenario path works too, and diagnostics name files as given relative to the working directory", () => {
  const s = inDirectory(PROJECT, () => scenarioOf(loadFile("scenarios/crash.yaml")));
  assert.equal(s.topologyFile, join(PROJECT, "topologies/small.yaml"));
  const d = inDirectory(PROJECT, () => failure("scenarios/unknown-node.yaml"));
  assert.deepEqual(
    d.map((x) => [x.file, x.line, x.column]),
    [["scenarios/unknown-node.yaml", 7, 23]],
  );
  assert.match(d[0].message, /unknown node "pg-d"/);
});

test("a topology path that does not exist: reported at the scenario's topology: value", () => {
  const d = inDirectory(PROJECT, () => failure("scenarios/missing-topology.yaml"));
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].file, d[0].line, d[0].column], ["scenarios/missing-topology.yaml", 3, 11]);
  assert.match(d[0].message, /topology "\.\.\/topologies\/nope\.yaml" \(topologies\/nope\.yaml\): cannot read the file: no such file/);
});

test("a topology path that is a directory, or a scenario: reported at the topology: line", () => {
  const dirError = inDirectory(PROJECT, () => failure("scenarios/topology-is-a-directory.yaml"));
  assert.deepEqual([dirError[0].line, dirError[0].column], [3, 11]);
  assert.match(dirError[0].message, /is a directory/);
  const scenarioError = inDirectory(PROJECT, () => failure("scenarios/topology-is-a-scenario.yaml"));
  assert.deepEqual([scenarioError[0].line, scenarioError[0].column], [3, 11]);
  assert.match(scenarioError[0].message, /"crash\.yaml" is a scenario, not a topology/);
});

test("problems inside a referenced topology are reported in that topology's file", () => {
  const d = inDirectory(PROJECT, () => failure("scenarios/uses-broken.yaml"));
  assert.deepEqual(
    d.map((x) => [x.file, x.line, x.column]),
    [["topologies/broken.yaml", 7, 17]],
  );
  assert.match(d[0].message, /region "us-east" has no zone "c"/);
});

test("a topology file loads on its own", () => {
  const loaded = loadFile(join(PROJECT, "topologies/small.yaml"));
  assert.equal(loaded.kind, "topology");
});
