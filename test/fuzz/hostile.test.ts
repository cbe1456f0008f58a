// Hostile inputs through the real binary, as a CI job on untrusted pull
// requests would meet them: devices and pipes, huge and deep documents,
// extreme numbers and durations, scenarios at and past every limit, and
// seeded random mutations of the bundled files. For each: an exit code of 0,
// 1 or 2 (never a crash), one line per problem on stderr with no stack trace,
// an answer within a time bound, and a peak memory measured by the kernel for
// the child process under a fixed bound.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/base/rng.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WRAPPER = fileURLToPath(new URL("./rss-wrapper.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "repl-lab-fuzz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Peak memory allowed for one command on hostile input (the CLI itself takes about 90 MB of it; the parse of a file at the limits about 50 more). */
const MAX_RSS_MB = 180;
const TIME_BOUND_MS = 30_000;

interface Outcome {
  status: number | null;
  stderr: string;
  rssMb: number;
}

let runs = 0;

function run(args: string[]): Promise<Outcome> {
  const rssFile = join(dir, `rss-${++runs}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRAPPER, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1", RSS_OUT: rssFile, REPL_LAB_HOME: join(dir, "home") } });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIME_BOUND_MS);
    let stderr = "";
    child.stdout.resume();
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      let rssMb = NaN;
      try {
        rssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
      } catch {
        rssMb = NaN;
      }
      resolve({ status, stderr, rssMb });
    });
  });
}

/** What every hostile input must get: a known exit code, short one-line errors, no stack, bounded memory. */
function assertContained(name: string, o: Outcome): void {
  assert.ok([0, 1, 2].includes(o.status ?? -1), `${name}: exit ${o.status} (killed after ${TIME_BOUND_MS} ms?)\n${o.stderr.slice(0, 500)}`);
  assert.doesNotMatch(o.stderr, /\n\s+at |internal error|Maximum call stack/, `${name}: ${o.stderr.slice(0, 500)}`);
  if (o.status === 2) {
    for (const line of o.stderr.trim().split("\n")) {
      assert.match(line, /^error /, `${name}: every line of a refusal is one error: ${line.slice(0, 200)}`);
      assert.ok(line.length < 1200, `${name}: a line of ${line.length} characters`);
    }
  }
  assert.ok(o.rssMb < MAX_RSS_MB, `${name}: peak memory ${o.rssMb.toFixed(0)} MB (bound ${MAX_RSS_MB} MB)`);
}

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

const TOPOLOGY = readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8");
const SCENARIO_HEAD = `kind: scenario\nname: fuzz\ntopology: ${join(ROOT, "topologies/payments.yaml")}\n`;

/** The generators: each a name and the arguments that feed it to the CLI. */
function hostileCases(): [string, string[]][] {
  const cases: [string, string[]][] = [
    ["/dev/zero", ["validate", "/dev/zero"]],
    ["/dev/urandom as a scenario's topology", ["simulate", file("dev-topology.yaml", `${SCENARIO_HEAD.replace(/topology: .*/, "topology: /dev/urandom")}duration: 1m\nworkload: { writes: 1 }\n`)]],
    ["a flow sequence of a million items", ["validate", file("flow.yaml", `kind: topology\nk: [${"0,".repeat(500_000)}0]\n`)]],
    ["a block sequence past the value limit", ["validate", file("block.yaml", `kind: topology\nk:\n${"- 1\n".repeat(60_000)}`)]],
    ["a file past the size limit", ["validate", file("big.yaml", `kind: topology\n# ${"x".repeat(1_100_000)}\n`)]],
    ["one huge scalar under the size limit", ["validate", file("scalar.yaml", `kind: topology\nname: "${"x".repeat(1_000_000)}"\n`)]],
    ["flow nesting twenty thousand deep", ["validate", file("deep-flow.yaml", `kind: topology\nname: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`)]],
    ["block nesting a thousand deep", ["validate", file("deep-block.yaml", `kind: topology\nx:\n${Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n")}\n`)]],
    ["an alias bomb", ["validate", file("bomb.yaml", `kind: topology\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`).join("\n")}\n`)]],
    ["prototype keys", ["validate", file("proto.yaml", `kind: topology\n__proto__: { polluted: true }\nconstructor: 1\n`)]],
    ["NUL bytes", ["validate", file("nul.yaml", "kind: topology\nname: a\u0000b\n")]],
  ];
  for (const number of ["1e308", "-1e308", "99999999999999999999999", ".nan", ".inf", "-.inf", "0x7fffffffffffffff", "-0"]) {
    cases.push([`workload.writes: ${number}`, ["simulate", file(`num-${cases.length}.yaml`, `${SCENARIO_HEAD}duration: 1m\nworkload: { writes: ${number} }\n`)]]);
  }
  for (const duration of ["999999999999d", "1e308ms", "-1s", "0.0000001ms", "6h1ms", "1y", "∞s", "1s 1s"]) {
    cases.push([`duration: ${duration}`, ["simulate", file(`dur-${cases.length}.yaml`, `${SCENARIO_HEAD}duration: "${duration}"\nworkload: { writes: 10 }\n`)]]);
  }
  const faults = Array.from({ length: 600 }, (_, i) => `  - { at: ${i}ms, crash: pg-b, for: 1ms }`).join("\n");
  cases.push(["600 faults (past the limit)", ["simulate", file("faults.yaml", `${SCENARIO_HEAD}duration: 1m\nworkload: { writes: 10 }\nfaults:\n${faults}\n`)]]);
  // A replica down from the first second keeps every write it misses for six hours: far past what the engine can keep.
  cases.push(["writes past what the engine can keep", ["simulate", file("writes.yaml", `${SCENARIO_HEAD}duration: 6h\nworkload: { writes: 2000, reads: 0 }\nfaults: [{ at: 1s, crash: pg-b }]\n`)]]);
  return cases;
}

/** Seeded mutations of the bundled topology: characters replaced, lines duplicated, dropped or indented. */
function mutations(count: number, seed: number): [string, string[]][] {
  const rng = new Rng(seed);
  const lines = TOPOLOGY.split("\n");
  const noise = ["{", "}", "[", "]", ":", "&a", "*a", "- ", "'", '"', "\t", "#", "1e999", "-", "!!binary", "%YAML 1.1", "? "];
  const out: [string, string[]][] = [];
  for (let k = 0; k < count; k++) {
    const copy = [...lines];
    for (let m = 0; m < 1 + rng.int(4); m++) {
      const at = rng.int(copy.length);
      const op = rng.int(4);
      if (op === 0) copy[at] = copy[at].slice(0, rng.int(copy[at].length + 1)) + noise[rng.int(noise.length)] + copy[at].slice(rng.int(copy[at].length + 1));
      else if (op === 1) copy.splice(at, 0, copy[at]);
      else if (op === 2) copy.splice(at, 1);
      else copy[at] = `  ${copy[at]}`;
    }
    out.push([`mutation ${k} of payments.yaml`, [k % 2 === 0 ? "validate" : "simulate", file(`mut-${k}.yaml`, copy.join("\n"))]]);
  }
  return out;
}

const hasFifo = spawnSync("mkfifo", [join(dir, "fifo.yaml")]).status === 0;

describe("hostile inputs are refused or handled, each with bounded time and memory", { concurrency: 2 }, () => {
  for (const [name, args] of [...hostileCases(), ...mutations(24, 20261130)]) {
    test(name, async () => assertContained(name, await run(args)));
  }
  test("a FIFO nobody writes to", { skip: hasFifo ? false : "mkfifo is not available" }, async () => {
    const o = await run(["validate", "fifo.yaml"]);
    assert.equal(o.status, 2);
    assertContained("fifo", o);
  });
  test("every format of validate on a refused file still answers, with exit 2", async () => {
    for (const format of ["json", "sarif", "junit", "github"]) {
      const o = await run(["validate", "flow.yaml", "--format", format]);
      assert.equal(o.status, 2, format);
      assert.ok(o.rssMb < MAX_RSS_MB, `${format}: ${o.rssMb} MB`);
    }
  });
});
