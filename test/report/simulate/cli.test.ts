// runSimulate end to end with the real loader and a fake engine: exit codes,
// formats, flag validation and input errors.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import type { Io } from "../../../src/cli/io.js";
import { evaluateExpectations } from "../../../src/engine/expect.js";
import { parseSeedFlag, parseTrialsFlag } from "../../../src/cli/flags.js";
import { runSimulate, type SimulateDeps } from "../../../src/cli/simulate.js";
import { InputError, UsageError } from "../../../src/model/diagnostics.js";
import { loadFile } from "../../../src/model/load.js";
import type { ResolvedScenario } from "../../../src/model/types.js";
import { failoverResult, ledger } from "../../fixtures/results/failover.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-simulate-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const TOPOLOGY = `kind: topology
name: payments
regions:
  us-east: { zones: [a, b] }
nodes:
  pg-a: { zone: us-east/a, role: leader }
  pg-b: { zone: us-east/b }
replication: { mode: leader-follower }
data_classes:
  ledger: { rpo: 0, rto: 30s }
`;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

write("topology.yaml", TOPOLOGY);

function scenarioFile(name: string, expect: string): string {
  return write(
    `${name}.yaml`,
    `kind: scenario
name: ${name}
topology: topology.yaml
seed: 42
duration: 60s
workload: { writes: 10 }
faults:
  - { at: 30s, crash: pg-a }
expect:
${expect}`,
  );
}

function fakeIo(isTTY = false): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: new Chalk({ level: 0 }), isTTY };
}

/** The fake engine: write RTO 24.1 s, except a slower one for odd seeds. */
function deps(seen: number[] = []): SimulateDeps {
  return {
    load: loadFile,
    simulate: (scenario: ResolvedScenario, { seed }) => {
      seen.push(seed);
      const result = failoverResult({
        scenario: scenario.name,
        seed,
        classes: [ledger({ rto: { targetMs: 30_000, writeMs: seed % 2 === 0 ? 24_100 : 31_000, readMs: 1_000, p50ClientMs: null, p99ClientMs: null } })],
      });
      // Like the real engine, the fake one judges the scenario's expectations.
      return { ...result, expectations: evaluateExpectations(scenario.expectations, result) };
    },
  };
}

test("simulate: expectations met → exit 0, text report on stdout", async () => {
  const file = scenarioFile("holds", `  ledger: { rpo: 0, rto: "<30s" }\n  split_brain: false\n`);
  const io = fakeIo();
  assert.equal(await runSimulate([file], { format: "text" }, io, deps()), 0);
  const text = io.stdout.join("");
  assert.ok(text.startsWith("Scenario holds\n"));
  assert.ok(text.includes("✓ ledger.rto"));
  assert.ok(text.trimEnd().endsWith("✓ all 3 expectations met"));
  assert.deepEqual(io.stderr, []);
});

test("simulate: a failed expectation → exit 1; --seed overrides the scenario's seed", async () => {
  const file = scenarioFile("fails", `  ledger: { rto: "<30s" }\n`);
  const seen: number[] = [];
  const io = fakeIo();
  assert.equal(await runSimulate([file], { format: "json", seed: 7 }, io, deps(seen)), 1);
  assert.deepEqual(seen, [7]);
  const doc = JSON.parse(io.stdout.join(""));
  assert.equal(doc.seed, 7);
  assert.deepEqual(doc.expectations, [{ path: "ledger.rto", expected: "<30s", actual: "31s", met: false }]);
});

test("simulate: an invariant violation → exit 1 even with every expectation met", async () => {
  const file = scenarioFile("violates", `  split_brain: false\n`);
  const io = fakeIo();
  const d = deps();
  const code = await runSimulate([file], { format: "text" }, io, { ...d, simulate: (s, o) => ({ ...d.simulate(s, o), violations: [{ check: "durability" as const, node: "pg-b", flushedLsn: 4096, forkLsn: 2048, epoch: 2 }] }) });
  assert.equal(code, 1);
  assert.ok(io.stdout.join("").includes("INVARIANT VIOLATIONS (1)"));
});

test("simulate: several files → a JSON array; markdown sections separated by a rule", async () => {
  const a = scenarioFile("first", `  split_brain: false\n`);
  const b = scenarioFile("second", `  split_brain: false\n`);
  const io = fakeIo();
  assert.equal(await runSimulate([a, b], { format: "json" }, io, deps()), 0);
  assert.deepEqual(
    JSON.parse(io.stdout.join("")).map((d: { scenario: string }) => d.scenario),
    ["first", "second"],
  );
  const md = fakeIo();
  await runSimulate([a, b], { format: "markdown" }, md, deps());
  assert.match(md.stdout.join(""), /^### Scenario `first`[\s\S]*\n---\n\n### Scenario `second`/);
});

test("simulate --trials: seeds seed..seed+N-1, trials in the JSON, no spinner output when piped", async () => {
  const file = scenarioFile("trials", `  ledger: { rto: "<30s" }\n`);
  const seen: number[] = [];
  const io = fakeIo(false);
  assert.equal(await runSimulate([file], { format: "json", trials: 4 }, io, deps(seen)), 1);
  assert.deepEqual(seen, [42, 43, 44, 45]);
  const doc = JSON.parse(io.stdout.join(""));
  assert.equal(doc.classes[0].trials.n, 4);
  assert.equal(doc.classes[0].trials.rtoMetShare, 0.5);
  assert.equal(doc.expectations[0].actual, "24.1s; failed in 2/4 trials (first: seed 43)");
  assert.deepEqual(io.stderr, []);
});

test("simulate: bad flags are usage errors", async () => {
  const file = scenarioFile("flags", `  split_brain: false\n`);
  await assert.rejects(runSimulate([file], { format: "text", seed: -1 }, fakeIo(), deps()), UsageError);
  await assert.rejects(runSimulate([file], { format: "text", seed: 2 ** 32 }, fakeIo(), deps()), UsageError);
  await assert.rejects(runSimulate([file], { format: "text", trials: 0 }, fakeIo(), deps()), UsageError);
  await assert.rejects(runSimulate([file], { format: "text", trials: 10_001 }, fakeIo(), deps()), UsageError);
  await assert.rejects(runSimulate([file], { format: "yaml" as never }, fakeIo(), deps()), UsageError);
  assert.equal(parseSeedFlag("4294967295"), 4294967295);
  assert.equal(parseSeedFlag(" 0 "), 0);
  for (const text of ["", "x", "1.5", "-1", "4294967296", "1e3", "0x10"]) assert.throws(() => parseSeedFlag(text), UsageError, text);
  assert.equal(parseTrialsFlag("10000"), 10_000);
  for (const text of ["0", "10001", "many"]) assert.throws(() => parseTrialsFlag(text), /--trials expects a whole number from 1 to 10,000/);
});

test("simulate: a topology file, a missing file and a malformed comparator are input errors with positions", async () => {
  const topology = join(dir, "topology.yaml");
  await assert.rejects(runSimulate([topology], { format: "text" }, fakeIo(), deps()), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /topology\.yaml:1:7: this is a topology file, but simulate runs scenarios/);
    return true;
  });
  const malformed = scenarioFile("malformed", `  ledger: { rpo: 0, rto: "<<30s" }\n  split_brain: maybe\n`);
  const missing = join(dir, "nope.yaml");
  const seen: number[] = [];
  await assert.rejects(runSimulate([malformed, missing], { format: "text" }, fakeIo(), deps(seen)), (error: unknown) => {
    assert.ok(error instanceof InputError);
    const messages = error.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    assert.ok(messages.some((m) => /^10:26 expect\.ledger\.rto: expected a duration comparison/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /^11:16 expect\.split_brain: /.test(m)), messages.join("\n"));
    assert.ok(error.diagnostics.some((d) => d.file.endsWith("nope.yaml")), "every file's problems are reported at once");
    return true;
  });
  assert.deepEqual(seen, [], "nothing runs when any input is bad");
});
