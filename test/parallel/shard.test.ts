// Sharded trials: slices written as files and merged, in any order, give
// exactly the unsharded result (the same JSON, byte for byte); a set of
// slices that does not make one run (a slice missing or twice, another
// scenario or seed, another split) is refused with what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulate } from "../../src/engine/simulate.js";
import { runTrials, shardRange } from "../../src/engine/trials.js";
import { loadFile } from "../../src/model/load.js";
import { withSeed } from "../../src/model/scenario.js";
import type { ResolvedScenario } from "../../src/model/types.js";
import { runSlice } from "../../src/parallel/pool.js";
import { mergeShards, readShards, shardDocument, writeShards, type ShardDocument } from "../../src/parallel/shard.js";
import { renderSimulateJson } from "../../src/report/simulate/json.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function scenarioOf(name: string): ResolvedScenario {
  const loaded = loadFile(join(ROOT, "scenarios", `${name}.yaml`));
  assert.equal(loaded.kind, "scenario");
  return (loaded as Extract<typeof loaded, { kind: "scenario" }>).scenario;
}

async function shards(scenario: ResolvedScenario, n: number, m: number): Promise<ShardDocument[]> {
  const out: ShardDocument[] = [];
  for (let k = 1; k <= m; k++) {
    const { from, to } = shardRange(n, k, m);
    const slice = await runSlice(scenario, from, to, { jobs: 1, simulateFn: simulate });
    // Through the file format, as CI would carry them.
    const read = readShards(writeShards([shardDocument(scenario, n, k, m, slice, [])]));
    assert.ok("documents" in read, JSON.stringify(read));
    out.push(...read.documents);
  }
  return out;
}

test("shard ranges cover every trial once, in order", () => {
  for (const [n, m] of [[6, 2], [7, 3], [10, 10], [1000, 7]]) {
    const covered: number[] = [];
    for (let k = 1; k <= m; k++) {
      const { from, to } = shardRange(n, k, m);
      for (let i = from; i < to; i++) covered.push(i);
    }
    assert.deepEqual(covered, Array.from({ length: n }, (_, i) => i));
  }
});

for (const [name, n, m] of [["split-brain-no-fencing", 7, 3], ["dns-stale-clients", 4, 2]] as const) {
  test(`${name}: ${m} slices of ${n} trials, merged in any order, equal the unsharded run byte for byte`, async () => {
    const scenario = scenarioOf(name);
    const expected = renderSimulateJson([runTrials(scenario, n, simulate)], { array: false });
    const parts = await shards(scenario, n, m);
    for (const order of [parts, [...parts].reverse()]) {
      const merged = mergeShards(order);
      assert.ok("result" in merged, JSON.stringify(merged));
      assert.equal(renderSimulateJson([merged.result], { array: false }), expected);
    }
  });
}

test("a set that is not one run is refused with what is wrong", async () => {
  const scenario = scenarioOf("leader-dies-in-az-a");
  const parts = await shards(scenario, 4, 2);
  const problem = (docs: ShardDocument[]) => {
    const merged = mergeShards(docs);
    return "problem" in merged ? merged.problem : "";
  };
  assert.match(problem([parts[0]]), /shard 2\/2 missing/);
  assert.match(problem([parts[0], parts[0], parts[1]]), /shard 1\/2 is given twice/);
  const other = await shards(withSeed(scenario, 7), 4, 2);
  assert.match(problem([parts[0], other[1]]), /different scenarios or seeds/);
  const split = await shards(scenario, 4, 4);
  assert.match(problem([parts[0], split[1]]), /different splits/);
  assert.match(JSON.stringify(readShards("{}")), /not a shard of a trials run/);
  assert.match(JSON.stringify(readShards("[1, 2")), /is not JSON/);
});

test("a slice's figures are checked before they are merged: a slice is a file someone else made (found by a review)", async () => {
  const [part] = await shards(scenarioOf("leader-dies-in-az-a"), 4, 2);
  const edited = (edit: (d: ShardDocument) => void) => {
    const copy = JSON.parse(writeShards([part])) as unknown;
    edit((Array.isArray(copy) ? copy[0] : copy) as ShardDocument);
    return JSON.stringify(readShards(JSON.stringify(copy)));
  };
  const ledger = (d: ShardDocument) => d.records[0].classes[0][1] as unknown as Record<string, unknown>;
  assert.match(edited((d) => (ledger(d).rtoWriteMs = "abc")), /trial 1 has a bad RTO for class \\"ledger\\"/);
  assert.match(edited((d) => (ledger(d).rtoWriteMs = -5)), /bad RTO/);
  assert.match(edited((d) => (ledger(d).rpoWindowMs = 1e308)), /bad RPO/);
  assert.match(edited((d) => (d.records[1].seed = 42)), /trial 2 has seed 42; the run's trial there has seed 43/);
  assert.match(edited((d) => d.records[0].classes.push(["ghost", d.records[0].classes[0][1]])), /does not list the scenario's 4 classes/);
  assert.match(edited((d) => (d.records[0].met = ["yes"] as unknown as boolean[])), /does not say whether each expectation held/);
  assert.doesNotMatch(edited(() => {}), /problem/);
});

test("the CLI: --shard needs --trials and --json; merge names a bad file; merge of two slices equals the run", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-shard-"));
  try {
    const bin = join(ROOT, "bin/repl-lab.js");
    const s = join(ROOT, "scenarios/leader-dies-in-az-a.yaml");
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.match(run(["simulate", s, "--shard", "1/2", "--json"]).stderr, /give --trials too/);
    assert.match(run(["simulate", s, "--trials", "4", "--shard", "1/2"]).stderr, /use --json/);
    assert.match(run(["simulate", s, "--trials", "4", "--shard", "3/2", "--json"]).stderr, /--shard expects K\/M with 1 <= K <= M/);
    const all = run(["simulate", s, "--trials", "3", "--json"]);
    for (const k of [1, 2]) writeFileSync(join(dir, `p${k}.json`), run(["simulate", s, "--trials", "3", "--shard", `${k}/2`, "--json"]).stdout);
    const merged = run(["merge", join(dir, "p2.json"), join(dir, "p1.json")]);
    assert.equal(merged.status, all.status);
    assert.equal(merged.stdout, all.stdout);
    // The text of a merge takes --width like simulate's (found by a review: it was always 100 columns).
    const text = run(["merge", join(dir, "p1.json"), join(dir, "p2.json"), "--format", "text", "--width", "80"]);
    assert.equal(text.stdout, run(["simulate", s, "--trials", "3", "--width", "80"]).stdout);
    assert.deepEqual(text.stdout.split("\n").filter((line) => line.length > 80), []);
    writeFileSync(join(dir, "bad.json"), "not json");
    const bad = run(["merge", join(dir, "bad.json"), join(dir, "p1.json")]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.json:1:1: is not JSON/);
    const missing = run(["merge", join(dir, "p1.json")]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot merge "leader-dies-in-az-a": shard 2\/2 missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("merge --format html is the unsharded run's page byte for byte, lint findings and all (found by a review: the lint section was missing)", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-shard-html-"));
  try {
    const bin = join(ROOT, "bin/repl-lab.js");
    // Relative paths, run from the repository: the page names the file of each finding as the command line did.
    const s = "scenarios/async-failover-loses-writes.yaml";
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const all = run(["simulate", s, "--trials", "5", "--format", "html"]);
    assert.match(all.stdout, /Lint findings for topology async-replicas/, "the design has a finding to list");
    const parts = [1, 2, 3].map((k) => {
      const file = join(dir, `sh${k}.json`);
      writeFileSync(file, run(["simulate", s, "--trials", "5", "--shard", `${k}/3`, "--json"]).stdout);
      return file;
    });
    const merged = run(["merge", parts[2], parts[0], parts[1], "--format", "html"]);
    assert.equal(merged.stderr, "");
    assert.equal(merged.status, all.status);
    // Nothing is stripped: the page holds no time of its own making.
    assert.equal(merged.stdout, all.stdout);
    // A slice's findings are checked like its figures: it is a file someone else made.
    const edited = JSON.parse(readFileSync(parts[0], "utf8")) as { lint: unknown[] };
    edited.lint = [{ rule: "x", severity: "fatal" }];
    writeFileSync(parts[0], JSON.stringify(edited));
    assert.match(run(["merge", ...parts, "--format", "html"]).stderr, /sh1\.json:1:1: is the first shard but lacks the lint findings of its file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("merge of a slice from another seed or scenario says so, naming the file, not that the slice is missing (found by a review)", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-shard-stray-"));
  try {
    const bin = join(ROOT, "bin/repl-lab.js");
    const s = join(ROOT, "scenarios/leader-dies-in-az-a.yaml");
    const other = join(ROOT, "scenarios/pod-oom.yaml");
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const slice = (name: string, file: string, k: number, extra: string[] = []) => {
      const r = run(["simulate", file, "--trials", "6", "--shard", `${k}/3`, "--json", ...extra]);
      assert.equal(r.stderr, "");
      writeFileSync(join(dir, name), r.stdout);
      return join(dir, name);
    };
    const [p1, p3, seed7, pod] = [slice("p1.json", s, 1), slice("p3.json", s, 3), slice("q2-seed7.json", s, 2, ["--seed", "7"]), slice("q2-pod.json", other, 2)];
    const wrongSeed = run(["merge", p1, seed7, p3]);
    assert.equal(wrongSeed.status, 2);
    assert.match(wrongSeed.stderr, /^error cannot merge "leader-dies-in-az-a": slice 2\/3 \(.*q2-seed7\.json\) comes from a different seed \(7, where the others used \d+\) than the others \(1\/3 \(.*p1\.json\), 3\/3 \(.*p3\.json\)\)/);
    assert.doesNotMatch(wrongSeed.stderr, /missing/);
    // In any order.
    assert.match(run(["merge", seed7, p3, p1]).stderr, /slice 2\/3 \(.*q2-seed7\.json\) comes from a different seed/);
    const wrongScenario = run(["merge", p1, pod, p3]);
    assert.equal(wrongScenario.status, 2);
    assert.match(wrongScenario.stderr, /slice 2\/3 \(.*q2-pod\.json\) comes from a different scenario \("pod-oom", where the others ran "leader-dies-in-az-a"\)/);
    // An edited copy under the same name: its contents differ, and both files are named (found by a review: the message said
    // it came from a different scenario, "leader-dies-in-az-a" where the others ran "leader-dies-in-az-a").
    const original = readFileSync(s, "utf8");
    const edit = (name: string, text: string) => {
      writeFileSync(join(dir, name), text.replace("../topologies/payments.yaml", join(ROOT, "topologies/payments.yaml")));
      return join(dir, name);
    };
    const editedFile = edit("edited.yaml", original.replace("duration: 90s", "duration: 91s"));
    const edited = run(["merge", p1, slice("q2-edited.json", editedFile, 2), p3]);
    assert.equal(edited.status, 2);
    assert.match(edited.stderr, /slice 2\/3 \(.*q2-edited\.json\) comes from a different version of scenario "leader-dies-in-az-a" \(its contents differ: .*edited\.yaml resolves to fingerprint [0-9a-f]{12}, where the others ran .*scenarios\/leader-dies-in-az-a\.yaml, fingerprint [0-9a-f]{12}\)/);
    assert.doesNotMatch(edited.stderr, /different scenario/);
    // A copy as it was is another file, not another version.
    const copy = run(["merge", p1, slice("q2-copy.json", edit("copy.yaml", original), 2), p3]);
    assert.match(copy.stderr, /comes from another file of scenario "leader-dies-in-az-a" \(.*copy\.yaml, where the others ran .*leader-dies-in-az-a\.yaml; the contents are the same/);
    // A slice that is simply absent is still "missing".
    assert.match(run(["merge", p1, p3]).stderr, /cannot merge "leader-dies-in-az-a": shard 2\/3 missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
