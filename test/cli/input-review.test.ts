// Bad input found by a review of repl-lab's input handling: each gives one clear error naming where the problem
// is and what was expected, exit 2, no stack trace, in every output format, and none hangs.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-input-review-"));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "payments.yaml"));
const run = (args: string[]) => runBin(args, dir);

/** One line on stderr, exit 2, nothing on stdout, no stack trace. */
function refused(r: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.doesNotMatch(r.stderr, /\n\s+at |NaN/);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, message);
}

const payments = readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8");
const loopWait0 = payments.replace(/detection: \{[^}]*\}/, "detection: { ttl: 10s, loop_wait: 0, retry_timeout: 3s }");
assert.notEqual(loopWait0, payments);
writeFileSync(join(dir, "lw0.yaml"), loopWait0);
writeFileSync(join(dir, "lw0-scn.yaml"), "kind: scenario\nname: lw0\ntopology: lw0.yaml\nduration: 5s\nworkload: { writes: 1, reads: 1 }\nfaults: []\n");
const line = loopWait0.split("\n").findIndex((l) => l.includes("loop_wait: 0")) + 1;

test("loop_wait 0 (it hung simulate with its memory growing): refused at file:line:column by simulate in every format, validate and explore", async () => {
  const at = new RegExp(`lw0\\.yaml:${line}:\\d+: expected a duration of at least 1ms; got 0 \\(it is how often the leader renews its lease`);
  const runs = await Promise.all([
    run(["simulate", "lw0-scn.yaml"]),
    run(["simulate", "lw0-scn.yaml", "--json"]),
    run(["simulate", "lw0-scn.yaml", "--format", "markdown"]),
    run(["simulate", "lw0-scn.yaml", "--format", "html"]),
    run(["simulate", "lw0.yaml", "--fault", "crash pg-a at 2s", "--duration", "5s"]),
    run(["validate", "lw0.yaml", "--today", "2026-12-01"]),
    run(["validate", "lw0.yaml", "--today", "2026-12-01", "--format", "json"]),
    run(["explore", "lw0.yaml", "--schedules", "1", "--jobs", "1", "--out", join(dir, "ex")]),
  ]);
  for (const r of runs) {
    assert.equal(r.status, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at |NaN/);
  }
  for (const r of runs.filter((_, i) => i !== 6)) refused(r, at);
  // validate --format json reports it as a finding on stdout, at its line.
  const [finding] = JSON.parse(runs[6].stdout).findings as { rule: string; line: number; message: string }[];
  assert.deepEqual([finding.rule, finding.line], ["invalid-input", line]);
  assert.match(finding.message, /^expected a duration of at least 1ms; got 0/);
});

test("--workload timeout=0 (it gave 0 acked writes beside writes unavailable 20s) is refused, naming the flag", async () => {
  for (const extra of [[], ["--json"], ["--format", "markdown"]]) {
    refused(await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 5s", "--workload", "timeout=0", ...extra]), /^error --workload "timeout=0": expected a duration of at least 1ms; got "0"/);
  }
});

test("a workload zone the topology lacks is named, with the zones there are (it said '\"1\": expected a zone')", async () => {
  refused(
    await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 5s", "--workload", "zones=us-east/a+nowhere"]),
    /^error --workload "zones=us-east\/a\+nowhere": unknown zone "nowhere" \(a zone is written "region\/zone"\); the topology's zones are us-east\/a, us-east\/b, us-east\/c, us-west\/a\n$/,
  );
});

test("a key given twice in --workload is refused (the second silently won)", async () => {
  refused(await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 5s", "--workload", "writes=500,writes=600"]), /^error --workload "writes=500,writes=600": 'writes' is given twice/);
});

test("help NAME for no such command exits 2 naming it (it printed the program's help and exited 0)", async () => {
  refused(await run(["help", "nosuch"]), /^error help: unknown command 'nosuch' \(commands: .*simulate.*\)/);
  refused(await run(["help", "simlate"]), /did you mean "simulate"\?/);
  const ok = await run(["help", "simulate"]);
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /^Usage: repl-lab simulate/);
});

test("explore --faults '' says the list is empty (it said 'none of  applies')", async () => {
  refused(await run(["explore", "payments.yaml", "--faults", ""]), /^error --faults: expected some of crash, .*; got an empty list/);
});

test("simulate --compare with JSON is refused: --compare is for text, markdown and html", async () => {
  const scenario = join(ROOT, "scenarios/leader-dies-in-az-a.yaml");
  refused(await run(["simulate", scenario, "--compare", "--json"]), /^error --compare draws one table of the runs in text, markdown or html; --json prints every run/);
  refused(await run(["simulate", scenario, "--compare", "--format", "json"]), /--format json prints every run/);
});

test("latency files: 'same' naming no leg, and two shapes in one distribution, say what is wrong (it suggested the word typed)", async () => {
  writeFileSync(join(dir, "same.yaml"), "kind: latency\nname: x\nw: { same: nope }\na: { same: w }\nr: { same: w }\ns: { same: w }\n");
  writeFileSync(join(dir, "two.yaml"), "kind: latency\nname: x\nw: { constant: 1, uniform: [1,2] }\na: { same: w }\nr: { same: w }\ns: { same: w }\n");
  const [same, two] = await Promise.all([run(["quorum", "--n", "3", "--r", "1", "--w", "1", "--latency", "same.yaml"]), run(["quorum", "--n", "3", "--r", "1", "--w", "1", "--latency", "two.yaml"])]);
  refused(same, /^error same\.yaml:3:12: "same": expected one of "w", "a", "r", "s", got "nope"\n$/);
  refused(two, /^error two\.yaml:3:19: a latency distribution takes exactly one shape; this one has "uniform" beside "constant"/);
  assert.doesNotMatch(same.stderr + two.stderr, /did you mean/);
});

test("two forms of a failover detection mixed: said so, not 'did you mean' the same word", async () => {
  writeFileSync(join(dir, "mixed.yaml"), payments.replace(/detection: \{[^}]*\}/, "detection: { ttl: 10s, heartbeat: 1s }"));
  const r = await run(["validate", "mixed.yaml", "--today", "2026-12-01"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /"heartbeat" does not go with "ttl": they belong to different forms of this value/);
  assert.doesNotMatch(r.stderr, /did you mean "heartbeat"/);
});
