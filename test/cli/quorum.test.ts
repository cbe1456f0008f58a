// `repl-lab quorum` end to end: the built binary, as a user or a script runs it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const STACK = /^\s+at .*(\.[mc]?[jt]s|node:internal)/m;
const SSD = "scenarios/latency/lnkd-ssd.yaml";
const dir = mkdtempSync(join(tmpdir(), "repl-lab-quorum-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function quorum(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/repl-lab.js", "quorum", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("repl-lab quorum", () => {
  test("sloppy quorum, the material's follow-up: reads and writes continue through stand-ins, reads may be stale", () => {
    const { code, stdout, stderr } = quorum("--n", "5", "--r", "3", "--w", "3", "--down", "3", "--sloppy", "--json");
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout);
    assert.equal(json.sloppy, true);
    assert.equal(json.writes.available, true);
    assert.equal(json.writes.hinted, true);
    // Dynamo and Cassandra send reads, like writes, to the first N healthy nodes: the stand-ins answer too,
    // but they lack what was written before the failure, so a read may miss the latest write.
    assert.equal(json.reads.available, true);
    assert.equal(json.strongReads, false);
    assert.ok(json.notes.some((note: string) => /hinted handoff/.test(note)));
    assert.ok(json.notes.some((note: string) => /until the hints are replayed/.test(note)));
  });

  test("the material's drill: N=5, R=3, W=3, three down — text, exit 0", () => {
    const { code, stdout, stderr } = quorum("--n", "5", "--r", "3", "--w", "3", "--down", "3");
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.match(stdout, /writes +BLOCKED/);
    assert.match(stdout, /reads +BLOCKED/);
    assert.match(stdout, /R \+ W > N +yes/);
    assert.doesNotMatch(stdout, /\u001b\[/, "NO_COLOR means no colour");
  });

  test("--json has the SPEC §4 shape", () => {
    const { code, stdout, stderr } = quorum("--n", "5", "--r", "3", "--w", "3", "--down", "3", "--json");
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout);
    assert.deepEqual(Object.keys(json).slice(0, 9), ["n", "r", "w", "down", "strong", "reads", "writes", "staleProbability", "byDown"]);
    assert.equal(json.n, 5);
    assert.equal(json.down, 3);
    assert.equal(json.strong, true);
    assert.equal(json.reads.available, false);
    assert.equal(json.writes.available, false);
    assert.equal(json.staleProbability, 0);
    assert.equal(json.byDown.length, 6);
    for (const row of json.byDown) {
      assert.equal(typeof row.down, "number");
      assert.equal(typeof row.reads.available, "boolean");
      assert.equal(typeof row.writes.available, "boolean");
    }
    assert.equal("visibility" in json, false);
  });

  test("N=5, W=2, R=4 with three down: writes available, reads blocked (--format json)", () => {
    const { stdout, stderr } = quorum("--n", "5", "--r", "4", "--w", "2", "--down", "3", "--format", "json");
    const json = JSON.parse(stdout || stderr);
    assert.equal(json.writes.available, true);
    assert.equal(json.reads.available, false);
  });

  test("--latency: visibility for each --t, tForP999Ms and latencyP999Ms; byte-identical on a rerun", () => {
    const args = ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--t", "10,0,1", "--trials", "20000", "--json"];
    const first = quorum(...args);
    assert.equal(first.code, 0, first.stderr);
    const json = JSON.parse(first.stdout);
    assert.deepEqual(
      json.visibility.map((p: { tMs: number }) => p.tMs),
      [0, 1, 10],
    );
    for (const p of json.visibility) assert.ok(p.consistent >= 0 && p.consistent <= 1);
    assert.ok(json.visibility[0].consistent < json.visibility[2].consistent);
    assert.equal(typeof json.tForP999Ms, "number");
    assert.equal(typeof json.latencyP999Ms.read, "number");
    assert.equal(typeof json.latencyP999Ms.write, "number");
    assert.equal(json.staleProbability, 2 / 3);
    assert.equal(quorum(...args).stdout, first.stdout, "the same seed prints the same bytes");
    assert.notEqual(quorum(...args, "--seed", "2").stdout, first.stdout);
  });

  test("--latency with --down: the Monte Carlo draws the live replicas only (found by a review)", () => {
    const run = (down: string) => {
      const { code, stdout, stderr } = quorum("--n", "3", "--r", "1", "--w", "1", "--down", down, "--latency", "scenarios/latency/lnkd-disk.yaml", "--t", "0,10,45.5", "--trials", "20000", "--json");
      assert.equal(code, 0, stderr);
      return JSON.parse(stdout);
    };
    const at = (json: { visibility: { consistent: number }[] }) => json.visibility.map((p) => p.consistent);
    const [none, one, two] = [run("0"), run("1"), run("2")];
    // Two of three down: the write and the read both go to the one live replica.
    assert.deepEqual(at(two), [1, 1, 1]);
    assert.equal(two.latency.nodes, 1);
    // One down: the read picks the faster of two, at least as often the one with the write (closed form 1/2 stale) as of three (2/3).
    assert.ok(at(one)[0] > 0.5 && at(one)[0] > at(none)[0] + 0.05, `P(0): ${at(none)[0]} with none down, ${at(one)[0]} with one`);
    assert.ok(one.latencyP999Ms.write > none.latencyP999Ms.write, "the fastest of two acks is slower than the fastest of three");
  });

  test("--latency with the quorum blocked: no latencies, the section says blocked (found by a review)", () => {
    const { code, stdout, stderr } = quorum("--n", "3", "--r", "2", "--w", "2", "--down", "2", "--latency", SSD);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /writes +BLOCKED/);
    assert.match(stdout, /t-visibility · WARS Monte Carlo · lnkd-ssd \(scenarios\/latency\/lnkd-ssd\.yaml\) · blocked/);
    assert.doesNotMatch(stdout, /the W-th ack|latency p99\.9/);
  });

  test("--latency whose tail is past the latency limit (pareto shape 0.01, a rate of 1e-300): exit 2 at file:line:column in text and JSON (it was exit 70, and JSON printed a null p99.9 beside consistent=1)", () => {
    const tails: [string, RegExp][] = [
      ["{ pareto: { scale: 1e-300, shape: 1e-300 } }", /not a finite number of ms/],
      ["{ exponential: { rate: 1e-300 } }", /about 6\.91e\+300 ms.*raise rate/],
      ["{ pareto: { scale: 1, shape: 0.01 } }", /about 1\.00e\+300 ms.*raise shape or lower scale/],
    ];
    for (const [i, [tail, message]] of tails.entries()) {
      const file = join(dir, `tail-${i}.yaml`);
      writeFileSync(file, `kind: latency\nw: { constant: 1 }\na: { same: w }\nr: ${tail}\ns: { same: w }\n`);
      for (const format of [[], ["--json"]]) {
        const { code, stdout, stderr } = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", file, ...format);
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.match(stderr, new RegExp(`^error ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:4: this distribution's 99\\.9th percentile is `));
        assert.match(stderr, message);
        assert.match(stderr, /above the latency limit of 600,000 ms/);
        assert.equal(stderr.trim().split("\n").length, 1, stderr);
      }
    }
  });

  test("--latency text: the t table, the curve and the 99.9% point", () => {
    const { code, stdout, stderr } = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--trials", "20000");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /t-visibility · WARS Monte Carlo · lnkd-ssd/);
    assert.match(stdout, /│ 100 ms +│ 100% +│/);
    assert.match(stdout, /99\.9% point +\d/);
    assert.match(stdout, /▲/);
  });

  test("--trials only adds trials: 999 and 1,000 share their first 999 (the shares differ by at most one trial; found by the knob review)", () => {
    const run = (trials: string) => JSON.parse(quorum("--n", "3", "--r", "1", "--w", "1", "--latency", "scenarios/latency/lnkd-disk.yaml", "--t", "0,10", "--trials", trials, "--json").stdout);
    const [fewer, more] = [run("999"), run("1000")];
    fewer.visibility.forEach((p: { consistent: number }, i: number) => {
      const counts = [Math.round(p.consistent * 999), Math.round(more.visibility[i].consistent * 1000)];
      assert.ok(counts[1] - counts[0] === 0 || counts[1] - counts[0] === 1, `consistent trials ${counts[0]} of 999, ${counts[1]} of 1,000`);
    });
  });

  test("the same seed prints the same bytes in every format, another seed other bytes; R or W larger never lowers P(consistent)", () => {
    for (const format of ["text", "markdown", "json"]) {
      const args = ["--n", "5", "--r", "1", "--w", "2", "--latency", "scenarios/latency/lnkd-disk.yaml", "--t", "0,5,20", "--trials", "5000", "--format", format, "--width", "100"];
      const first = quorum(...args);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(quorum(...args).stdout, first.stdout, format);
      assert.notEqual(quorum(...args, "--seed", "9").stdout, first.stdout, format);
    }
    const at = (r: string, w: string) =>
      JSON.parse(quorum("--n", "5", "--r", r, "--w", w, "--latency", "scenarios/latency/lnkd-disk.yaml", "--t", "0,5,20", "--trials", "20000", "--json").stdout).visibility.map((p: { consistent: number }) => p.consistent);
    const base = at("1", "1");
    for (const [r, w] of [["2", "1"], ["1", "2"]]) at(r, w).forEach((p: number, i: number) => assert.ok(p >= base[i], `R=${r} W=${w}: ${p} < ${base[i]}`));
  });

  test("--help states the model: WARS, the W-th ack, a read sent to all N returning with the first R replies, Cassandra's read with --read-fanout r, and what is left out", () => {
    const { code, stdout } = quorum("--help");
    assert.equal(code, 0);
    const text = stdout.replace(/\s+/g, " ");
    for (const phrase of ["WARS model of the PBS paper", "commits at the W-th ack", "sent to all N replicas", "returns with the first R replies", "w <= commit + t + r", "With --read-fanout r the read asks only R replicas", "asks one more when a reply is still missing after --speculative-retry", "Not modelled: read repair"]) {
      assert.ok(text.includes(phrase), phrase);
    }
  });

  test("a latency file's remote: (wide-area replicas, the paper's WAN) is simulated, said in the text and repeated in the JSON; a bad one is exit 2 at its position", () => {
    const wan = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", "scenarios/latency/wan.yaml", "--t", "0,150", "--trials", "20000", "--json");
    assert.equal(wan.code, 0, wan.stderr);
    const json = JSON.parse(wan.stdout);
    assert.deepEqual(json.latency.remote, { local: 1, add: 75 });
    assert.ok(Math.abs(json.visibility[0].consistent - 1 / 3) < 0.02, `P(0) = ${json.visibility[0].consistent}`);
    const text = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", "scenarios/latency/wan.yaml", "--trials", "2000", "--width", "200");
    assert.match(text.stdout, /Wide-area replicas \(remote:\): for the write, and apart for the read, 1 of the 3 replicas, chosen at random, is near the coordinator; each message to or from the others takes 75 ms more\./);
    // With one down the near replica is still one of all 3: a third of the time it is the down one.
    const down = quorum("--n", "3", "--r", "1", "--w", "1", "--down", "1", "--latency", "scenarios/latency/wan.yaml", "--trials", "2000", "--width", "200");
    assert.match(down.stdout.replace(/\s+/g, " "), /1 of the 3 replicas, chosen at random, is near the coordinator; each message to or from the others takes 75 ms more\. With 1 down, a near replica that is down leaves the operation fewer near ones\./);
    const plain = JSON.parse(quorum("--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--trials", "2000", "--json").stdout);
    assert.equal("remote" in plain.latency, false);
    const file = join(dir, "remote.yaml");
    writeFileSync(file, "kind: latency\nw: { constant: 1 }\na: { constant: 1 }\nr: { constant: 1 }\ns: { constant: 1 }\nremote: { local: 0, add: 75 }\n");
    const bad = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /remote\.yaml:6:\d+: /);
    assert.doesNotMatch(bad.stderr, STACK);
  });

  test("--format markdown", () => {
    const { code, stdout, stderr } = quorum("--n", "3", "--r", "2", "--w", "2", "--format", "markdown");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^### Quorum N=3, R=2, W=2/);
    assert.match(stdout, /^\| down \| up \| writes \| reads \| strong reads \|$/m);
  });

  const bad: [string, string[], RegExp][] = [
    ["R > N", ["--n", "5", "--r", "6", "--w", "3"], /--r 6 is more than --n 5/],
    ["W > N", ["--n", "5", "--r", "3", "--w", "9"], /--w 9 is more than --n 5/],
    ["--down > N", ["--n", "5", "--r", "3", "--w", "3", "--down", "6"], /--down 6 is more than --n 5/],
    ["N above the limit", ["--n", "65", "--r", "1", "--w", "1"], /--n expects a whole number from 1 to 64/],
    ["a missing --n", ["--r", "1", "--w", "1"], /quorum needs --n/],
    ["a non-number", ["--n", "five", "--r", "1", "--w", "1"], /--n expects a whole number/],
    ["a bad --t value", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--t", "0,soon"], /--t expects comma-separated milliseconds.*"soon"/],
    ["a negative --t value", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--t", "5,-1"], /--t expects/],
    ["too many --t values", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--t", Array.from({ length: 51 }, (_, i) => i).join(",")], /at most 50 values.*got 51 values/],
    ["--t without --latency", ["--n", "3", "--r", "1", "--w", "1", "--t", "1"], /--t applies to the t-visibility simulation; add --latency FILE/],
    ["--trials above the limit", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--trials", "2000000"], /--trials expects a whole number from 1 to 1,000,000/],
    ["--json against --format", ["--n", "3", "--r", "1", "--w", "1", "--json", "--format", "markdown"], /contradict/],
    ["--cluster without --sloppy", ["--n", "3", "--r", "1", "--w", "1", "--cluster", "5"], /--cluster counts the stand-ins a sloppy quorum can use; add --sloppy/],
    ["--cluster smaller than N", ["--n", "5", "--r", "1", "--w", "1", "--sloppy", "--cluster", "4"], /--cluster 4 is less than --n 5/],
    ["an unknown flag", ["--n", "3", "--r", "1", "--w", "1", "--quorum"], /unknown option '--quorum'/],
    ["--read-fanout without --latency", ["--n", "3", "--r", "1", "--w", "1", "--read-fanout", "r"], /--read-fanout applies to the t-visibility simulation; add --latency FILE/],
    ["an unknown --read-fanout", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--read-fanout", "some"], /--read-fanout expects all .* or r .*got "some"/],
    ["--speculative-retry without --read-fanout r", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--speculative-retry", "99p"], /--speculative-retry applies to a read that asks only R replicas; add --read-fanout r/],
    ["a bad --speculative-retry", ["--n", "3", "--r", "1", "--w", "1", "--latency", SSD, "--read-fanout", "r", "--speculative-retry", "100p"], /--speculative-retry expects NONE, ALWAYS, .*got "100p"/],
  ];
  for (const [name, args, message] of bad) {
    test(`exit 2 on ${name}, one clear line, no stack trace`, () => {
      const { code, stdout, stderr } = quorum(...args);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, STACK);
    });
  }

  test("--read-fanout r (Cassandra's read): the text says which replicas a read asks and when it retries; the JSON repeats it", () => {
    const args = ["--n", "3", "--r", "2", "--w", "1", "--latency", SSD, "--trials", "20000", "--read-fanout", "r"];
    const text = quorum(...args, "--width", "80");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout.replace(/\s+/g, " "), /Reads ask only 2 replicas of the 3, as Cassandra's coordinator asks .* and ask one more when a reply is still missing after [\d.]+ ms \(99p: that percentile of such a read's latency\); [\d.]+% of reads did\./);
    const json = JSON.parse(quorum(...args, "--json").stdout);
    assert.equal(json.latency.readFanout, "r");
    assert.equal(json.latency.speculativeRetry, "99p");
    assert.ok(json.latency.retryAfterMs > 0 && json.latency.retriedShare > 0.003 && json.latency.retriedShare < 0.03, JSON.stringify(json.latency));
    const all = JSON.parse(quorum("--n", "3", "--r", "2", "--w", "1", "--latency", SSD, "--trials", "20000", "--json").stdout);
    assert.equal(all.latency.readFanout, "all");
    assert.equal(all.latency.speculativeRetry, undefined);
  });

  test("--latency with a delay too large for a number (1e400 reads as Infinity): a finite number of milliseconds is expected (review)", () => {
    const file = join(dir, "infinite.yaml");
    writeFileSync(file, "kind: latency\nw: { constant: 1e400 }\na: { same: w }\nr: { same: w }\ns: { same: w }\n");
    const { code, stderr } = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", file);
    assert.equal(code, 2);
    assert.match(stderr, /infinite\.yaml:2:16: "constant": expected a finite number of milliseconds, got Infinity/);
    assert.doesNotMatch(stderr, /expected a number, got number/);
  });

  test("--latency with a missing file: exit 2 naming the file, no stack trace", () => {
    const { code, stderr } = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", "no/such/latency.yaml");
    assert.equal(code, 2);
    assert.match(stderr, /no\/such\/latency\.yaml:1:1: cannot read the file: no such file/);
    assert.doesNotMatch(stderr, STACK);
  });

  test("--latency with a file of another kind or a bad distribution: exit 2 with file:line:column", () => {
    const other = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", "scenarios/pod-oom.yaml");
    assert.equal(other.code, 2);
    assert.match(other.stderr, /scenarios\/pod-oom\.yaml:\d+:\d+: this is a scenario file, but --latency expects a latency file/);
    // A file of another kind with its own schema errors: named for its kind at the kind line, not listed by its
    // schema's errors (review: a broken topology listed the topology schema's errors).
    const broken = join(dir, "broken-topology.yaml");
    writeFileSync(broken, "name: t\nkind: topology\nnodes: 7\n");
    const wrong = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", broken);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /broken-topology\.yaml:2:7: this is a topology file, but --latency expects a latency file/);
    assert.doesNotMatch(wrong.stderr, /nodes/);
    const brokenScenario = join(dir, "broken-scenario.yaml");
    writeFileSync(brokenScenario, "kind: scenario\nduration: -5s\n");
    const wrongScenario = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", brokenScenario, "--json");
    assert.equal(wrongScenario.code, 2);
    assert.match(wrongScenario.stdout + wrongScenario.stderr, /this is a scenario file, but --latency expects a latency file/);
    assert.doesNotMatch(wrongScenario.stdout + wrongScenario.stderr, /duration/);
    const file = join(dir, "loop.yaml");
    writeFileSync(file, "kind: latency\nw: { same: s }\na: { constant: 1 }\nr: { constant: 1 }\ns: { same: w }\n");
    const loop = quorum("--n", "3", "--r", "1", "--w", "1", "--latency", file);
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /loop\.yaml:2:\d+: leg w: its "same:" references go round in a loop/);
    assert.doesNotMatch(loop.stderr, STACK);
  });
});
