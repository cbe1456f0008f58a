// explore on several threads and across machines: the report (and every saved
// scenario) is the single-threaded search's, for any number of worker threads
// and any split into slices merged in any order; slices that do not make one
// search are refused with what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shardRange } from "../../src/engine/trials.js";
import { loadFile } from "../../src/model/load.js";
import type { ResolvedTopology } from "../../src/model/types.js";
import { exploreOnPool, exploreRange } from "../../src/parallel/explore-pool.js";
import { exploreShardDocument, exploreShardProblem, mergeExploreShards, type ExploreSearch } from "../../src/parallel/explore-shard.js";
import { parseShardJson, writeShards } from "../../src/parallel/shard.js";
import { explore, type ExploreOptions } from "../../src/swarm/explore.js";
import { ROOT, runBin } from "../cli/bin.js";

function topologyOf(name: string): ResolvedTopology {
  const loaded = loadFile(join(ROOT, "topologies", `${name}.yaml`));
  assert.equal(loaded.kind, "topology");
  return (loaded as Extract<typeof loaded, { kind: "topology" }>).topology;
}

const search: ExploreSearch = { topologyFile: "topologies/async-replicas.yaml", outDir: "out", seed: 7, schedules: 10, kinds: ["crash", "partition", "stall"], writes: 100 };
const optionsOf = (s: ExploreSearch): ExploreOptions => ({ topologyFile: join(ROOT, s.topologyFile), outDir: join(ROOT, s.outDir), seed: s.seed, schedules: s.schedules, kinds: s.kinds, writes: s.writes });

test("explore on 2 worker threads reports exactly what one thread does", async () => {
  const topology = topologyOf("async-replicas");
  const options = optionsOf(search);
  const expected = JSON.stringify(explore(topology, options));
  assert.ok(JSON.parse(expected).findings.length > 0, "the search finds something to compare");
  assert.equal(JSON.stringify(await exploreOnPool(topology, options, { jobs: 2 })), expected);
});

test("explore slices merged in any order equal the unsharded search; a missing, doubled or foreign slice is refused", async () => {
  const topology = topologyOf("async-replicas");
  const options = optionsOf(search);
  const expected = JSON.stringify(explore(topology, options));
  const parts = [];
  for (let k = 1; k <= 3; k++) {
    const { from, to } = shardRange(search.schedules, k, 3);
    const best = await exploreRange(topology, options, { jobs: 1 }, from, to);
    // Through the file format, as CI would carry them.
    const read = parseShardJson(writeShards([exploreShardDocument(topology, search, k, 3, best)]));
    assert.ok("items" in read);
    assert.equal(exploreShardProblem(read.items[0]), null);
    parts.push(read.items[0] as ReturnType<typeof exploreShardDocument>);
  }
  for (const order of [parts, [parts[2], parts[0], parts[1]]]) {
    const merged = mergeExploreShards(order, optionsOf(search));
    assert.ok("report" in merged, JSON.stringify(merged));
    assert.equal(JSON.stringify(merged.report), expected);
  }
  assert.match(JSON.stringify(mergeExploreShards(parts.slice(0, 2), optionsOf(search))), /shard 3\/3 missing/);
  assert.match(JSON.stringify(mergeExploreShards([parts[0], parts[0], parts[1], parts[2]], optionsOf(search))), /given twice/);
  const otherSeed = { ...parts[1], search: { ...parts[1].search, seed: 8 } };
  assert.match(JSON.stringify(mergeExploreShards([parts[0], otherSeed, parts[2]], optionsOf(search))), /different searches/);
  const stray = { ...parts[0], findings: [{ ...parts[2].findings[0] }] };
  if (parts[2].findings.length > 0) assert.match(String(exploreShardProblem(stray)), /outside its schedules/);
});

test("the CLI: explore --shard K/M --json slices, merged, print and save what the unsharded explore does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-explore-shards-"));
  try {
    const args = ["explore", join(ROOT, "topologies/async-replicas.yaml"), "--schedules", "8", "--faults", "crash,partition", "--writes", "100"];
    const whole = await runBin([...args, "--json", "--out", "whole"], dir);
    assert.ok(whole.status === 0 || whole.status === 1, whole.stderr);
    const files: string[] = [];
    for (const k of [1, 2]) {
      const part = await runBin([...args, "--json", "--out", "merged", "--shard", `${k}/2`, "--jobs", "2"], dir);
      assert.equal(part.status, 0, part.stderr);
      writeFileSync(join(dir, `part${k}.json`), part.stdout);
      files.push(`part${k}.json`);
    }
    const merged = await runBin(["merge", ...files.reverse()], dir);
    assert.equal(merged.status, whole.status, merged.stderr);
    // The reports differ only in where the scenarios were saved.
    assert.equal(merged.stdout.replaceAll("merged/", "whole/"), whole.stdout);
    const saved = readdirSync(join(dir, "whole")).sort();
    assert.deepEqual(readdirSync(join(dir, "merged")).sort(), saved);
    for (const name of saved) assert.equal(readFileSync(join(dir, "merged", name), "utf8"), readFileSync(join(dir, "whole", name), "utf8"), name);
    const noJson = await runBin([...args, "--shard", "1/2"], dir);
    assert.equal(noJson.status, 2);
    assert.match(noJson.stderr, /--shard writes a slice for repl-lab merge: use --json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("merge refuses explore slices it must not trust: a file name that is a path, an unknown kind, a folder outside, a changed design (exit 2, one line each)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-explore-hostile-"));
  try {
    const topology = join(dir, "design.yaml");
    writeFileSync(topology, readFileSync(join(ROOT, "topologies/async-replicas.yaml"), "utf8"));
    const part = await runBin(["explore", "design.yaml", "--schedules", "8", "--faults", "crash", "--writes", "100", "--json", "--shard", "1/1", "--out", "found"], dir);
    assert.equal(part.status, 0, part.stderr);
    const slice = JSON.parse(part.stdout);
    assert.ok(slice.findings.length > 0, "the slice found something to tamper with");
    const cases: [string, (s: any) => void, RegExp][] = [
      ["path", (s) => (s.findings[0].fileName = "../../escaped.sh"), /file name is not explore's/],
      ["kind", (s) => (s.findings[0].kind = "nonsense"), /no known kind/],
      ["fault kinds", (s) => (s.search.kinds = ["nonsense"]), /fault kinds explore does not have/],
      ["outside", (s) => (s.search.outDir = "/tmp/elsewhere"), /outside this folder: give merge --out DIR/],
      ["finding", (s) => (s.findings[0] = { schedule: 0 }), /no known kind/],
      ["escape", (s) => (s.findings[0].story = "\u001b[2J\u001b]0;pwned\u0007"), /control characters/],
    ];
    for (const [name, tamper, message] of cases) {
      const copy = structuredClone(slice);
      tamper(copy);
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(copy));
      const merged = await runBin(["merge", `${name}.json`], dir);
      assert.equal(merged.status, 2, `${name}: ${merged.stderr}`);
      assert.match(merged.stderr, message, name);
      assert.equal(merged.stderr.trim().split("\n").length, 1, `${name}: one line`);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".sh")), []);
    writeFileSync(topology, readFileSync(topology, "utf8").replace("rto: 30s", "rto: 45s"));
    writeFileSync(join(dir, "ok.json"), part.stdout);
    const changed = await runBin(["merge", "ok.json"], dir);
    assert.equal(changed.status, 2, changed.stderr);
    assert.match(changed.stderr, /another version of design\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
