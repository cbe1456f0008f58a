// `repl-lab explore` end to end, through the built binary: on the bundled
// designs it must find, unprompted and with the default number of schedules,
// the split brain and the asynchronous loss the bundled scenarios show; each
// finding is saved as a scenario that replays it; bad input exits 2.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { valueUnit } from "../../src/report/explore/json.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const STACK = /^\s+at .*(\.m?[jt]s|node:internal)/m;
const dir = mkdtempSync(join(tmpdir(), "repl-lab-explore-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Finding {
  kind: string;
  subject: string | null;
  value: number | null;
  broken: boolean;
  story: string;
  file: string;
}

async function exploreJson(topology: string, out: string, ...flags: string[]): Promise<{ code: number | null; json: { findings: Finding[]; targetsBroken: boolean }; stderr: string }> {
  const { code, stdout, stderr } = await run(["explore", topology, "--out", out, "--json", ...flags]);
  assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
  return { code, json: JSON.parse(stdout), stderr };
}

async function replay(file: string): Promise<{ totals: { splitBrainMs: number; writesLost: number } }> {
  const { code, stdout, stderr } = await run(["simulate", resolve(ROOT, file), "--json"]);
  assert.ok(code === 0 || code === 1, `simulate ${file}: exit ${code}: ${stderr}`);
  return JSON.parse(stdout);
}

describe("explore finds what the bundled scenarios show", { concurrency: true }, () => {
  test("no-fencing.yaml: a split brain, saved as a scenario that replays it", async () => {
    const out = join(dir, "no-fencing");
    const { json } = await exploreJson("topologies/no-fencing.yaml", out);
    const split = json.findings.find((f) => f.kind === "split-brain");
    assert.ok(split, `no split brain found: ${JSON.stringify(json.findings.map((f) => f.kind))}`);
    assert.ok((split.value ?? 0) > 1000, `split brain of ${split.value} ms`);
    assert.match(split.story, /: .*two leaders for/);
    assert.ok(existsSync(resolve(ROOT, split.file)), split.file);
    assert.ok((await replay(split.file)).totals.splitBrainMs > 0, "the saved scenario replays the split brain");
  });

  test("async-replicas.yaml: acknowledged writes lost, a broken RPO 0 target, exit 1", async () => {
    const out = join(dir, "async");
    const { code, json } = await exploreJson("topologies/async-replicas.yaml", out);
    const loss = json.findings.find((f) => f.kind === "rpo" && f.subject === "orders");
    assert.ok(loss, `no loss found: ${JSON.stringify(json.findings.map((f) => `${f.kind} ${f.subject}`))}`);
    assert.ok((loss.value ?? 0) > 0 && loss.broken);
    assert.equal(json.targetsBroken, true);
    assert.equal(code, 1);
    assert.ok((await replay(loss.file)).totals.writesLost > 0, "the saved scenario replays the loss");
  });
});

describe("explore's output and input", { concurrency: true }, () => {
  test("text: a table and one story per finding, within 80 columns", async () => {
    const { code, stdout, stderr } = await run(["explore", "topologies/no-fencing.yaml", "--schedules", "15", "--out", join(dir, "text"), "--width", "80"]);
    assert.ok(code === 0 || code === 1, stderr);
    assert.match(stdout, /worst outcome/);
    assert.match(stdout, /→ repl-lab simulate /);
    for (const line of stdout.split("\n")) if (!line.includes("→ repl-lab simulate")) assert.ok([...line].length <= 80, `too wide (${[...line].length}): ${line}`);
    assert.doesNotMatch(stdout, /\u001b\[/);
  });

  test("--format html: one self-contained page", async () => {
    const { code, stdout } = await run(["explore", "topologies/async-replicas.yaml", "--schedules", "6", "--format", "html", "--out", join(dir, "html")]);
    assert.ok(code === 0 || code === 1);
    assert.match(stdout, /^<!doctype html>/);
    assert.match(stdout, /<table class="findings">/);
    assert.doesNotMatch(stdout, /<script/);
    assert.doesNotMatch(stdout, /(src|href)\s*=\s*"(https?:)?\/\//i, "no external resource");
  });

  test("--faults restricts the schedules to those kinds", async () => {
    const out = join(dir, "crash-only");
    await exploreJson("topologies/no-fencing.yaml", out, "--faults", "crash", "--schedules", "12");
    for (const name of readdirSync(out)) {
      const faults = readFileSync(join(out, name), "utf8").split("faults:")[1] ?? "";
      assert.doesNotMatch(faults, /partition|stall|lose|slow|latency|promote_fails/, name);
    }
  });

  test("a finding's schedule is counted from 1 in the JSON, as in the header of the file it saves and on the HTML page (found by a review: the JSON counted from 0)", async () => {
    const { json } = await exploreJson("topologies/async-replicas.yaml", join(dir, "numbers"), "--schedules", "24");
    const findings = json.findings as (Finding & { schedule: number })[];
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.ok(Number.isSafeInteger(f.schedule) && f.schedule >= 1 && f.schedule <= 24, `schedule ${f.schedule}`);
      const header = /found in 24 schedules \(seed \d+, schedule (\d+)\)/.exec(readFileSync(resolve(ROOT, f.file), "utf8"));
      assert.ok(header, f.file);
      assert.equal(Number(header[1]), f.schedule, f.file);
    }
    const html = await run(["explore", "topologies/async-replicas.yaml", "--schedules", "24", "--format", "html", "--out", join(dir, "numbers-html")]);
    const sections = [...html.stdout.matchAll(/<section class="schedule" id="schedule-(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(sections, [...new Set(findings.map((f) => f.schedule))]);
  });

  test("the same seed gives the same findings", async () => {
    const a = await exploreJson("topologies/async-replicas.yaml", join(dir, "same-a"), "--schedules", "8", "--seed", "9");
    const b = await exploreJson("topologies/async-replicas.yaml", join(dir, "same-b"), "--schedules", "8", "--seed", "9");
    const strip = (fs: Finding[]) => fs.map(({ file: _file, ...rest }) => rest);
    assert.deepEqual(strip(b.json.findings), strip(a.json.findings));
  });

  test("a file explore did not write is never overwritten; explore says where it wrote instead", async () => {
    const out = join(dir, "mine");
    mkdirSync(out, { recursive: true });
    const mine = "# my own notes\nkind: scenario\n";
    const names = ["split-brain.yaml", "rpo-carts.yaml", "rto-carts.yaml"];
    for (const name of names) writeFileSync(join(out, name), mine);
    const { stderr } = await exploreJson("topologies/no-fencing.yaml", out, "--schedules", "15");
    for (const name of names) assert.equal(readFileSync(join(out, name), "utf8"), mine);
    assert.match(stderr, /exists and is not explore's unedited file: leaving it alone, writing [\w-]+-2\.yaml instead/);
  });

  test("an explore file the user edited is kept, and a symbolic link is never written through, even dangling (found by a review)", async () => {
    const out = join(dir, "edited");
    await exploreJson("topologies/no-fencing.yaml", out, "--schedules", "15");
    const [first, second] = readdirSync(out).sort();
    const edited = `${readFileSync(join(out, first), "utf8")}# my note\n`;
    writeFileSync(join(out, first), edited);
    const outside = join(dir, "outside.yaml");
    writeFileSync(outside, "# someone's file\n");
    rmSync(join(out, second));
    symlinkSync(outside, join(out, second));
    await exploreJson("topologies/no-fencing.yaml", out, "--schedules", "15", "--seed", "2");
    assert.equal(readFileSync(join(out, first), "utf8"), edited);
    assert.equal(readFileSync(outside, "utf8"), "# someone's file\n");
    const dangling = join(dir, "edited-dangling");
    mkdirSync(dangling);
    symlinkSync(join(dir, "nowhere.yaml"), join(dangling, first));
    await exploreJson("topologies/no-fencing.yaml", dangling, "--schedules", "15");
    assert.equal(existsSync(join(dir, "nowhere.yaml")), false, "nothing written where the dangling link points");
  });

  test("--out that is a file, or empty, is a usage error before the search (exit 2, not an internal error)", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x\n");
    for (const out of [file, ""]) {
      const { code, stderr } = await run(["explore", "topologies/no-fencing.yaml", "--out", out]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /--out/);
      assert.doesNotMatch(stderr, STACK);
    }
  });

  for (const [what, args, pattern] of [
    ["a missing file", ["explore", "nope.yaml"], /nope\.yaml/],
    ["a scenario instead of a topology", ["explore", "scenarios/split-brain-no-fencing.yaml"], /split-brain-no-fencing\.yaml:\d+:\d+: .*explore searches a design.*no-fencing\.yaml/],
    ["an unknown fault kind", ["explore", "topologies/no-fencing.yaml", "--faults", "crash,meteor"], /unknown fault kind "meteor"/],
    ["no schedules", ["explore", "topologies/no-fencing.yaml", "--schedules", "0"], /--schedules expects a whole number from 1/],
    ["faults the design ignores", ["explore", "topologies/dynamo-n5.yaml", "--faults", "stall"], /none of stall applies to a leaderless design/],
  ] as const) {
    test(`bad input: ${what} → exit 2, one clear line, no stack trace`, async () => {
      const { code, stderr } = await run([...args]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, pattern);
      assert.doesNotMatch(stderr, STACK);
    });
  }
});

test("a finding's JSON says what its value counts: writes for an RPO of zero, ms for another RPO and for RTOs (found by a review: mixed units under one key)", () => {
  assert.equal(valueUnit({ kind: "rpo", targetMs: 0 }), "writes");
  assert.equal(valueUnit({ kind: "rpo", targetMs: 3_600_000 }), "ms");
  assert.equal(valueUnit({ kind: "rto", targetMs: 30_000 }), "ms");
  assert.equal(valueUnit({ kind: "split-brain", targetMs: null }), "ms");
  assert.equal(valueUnit({ kind: "violation", targetMs: null }), "findings");
});
