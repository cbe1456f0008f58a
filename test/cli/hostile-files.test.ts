// Files that are not files: a device that never ends, a FIFO nobody writes to,
// a /proc file that reports size 0, a text saved as UTF-16. Each is refused
// at once with one line (exit 2), whether named on the command line, as a
// scenario's topology, or as quorum's latency file; none is read past the limit.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const dir = mkdtempSync(join(tmpdir(), "repl-lab-hostile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const fifo = join(dir, "pipe.yaml");
const hasFifo = spawnSync("mkfifo", [fifo]).status === 0;

/** Runs the binary with a hard bound: a hang fails the test instead of stalling the suite. */
function run(args: string[]): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, stdout });
    });
  });
}

function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], pattern);
}

describe("files that are not regular files", () => {
  test("validate /dev/zero: a character device, refused without reading it", async () => {
    const r = await run(["validate", "/dev/zero"]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /\/dev\/zero:1:1: is a character device, not a regular file/);
  });

  test("validate of a FIFO does not wait for a writer", { skip: hasFifo ? false : "mkfifo is not available" }, async () => {
    const r = await run(["validate", fifo]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /is a named pipe \(FIFO\), not a regular file/);
  });

  test("a scenario whose topology is a device or a FIFO", { skip: hasFifo ? false : "mkfifo is not available" }, async () => {
    for (const target of ["/dev/zero", fifo]) {
      writeFileSync(join(dir, "s.yaml"), `kind: scenario\nname: s\ntopology: ${target}\nduration: 1m\nworkload: { writes: 10 }\nfaults: []\n`);
      const r = await run(["simulate", "s.yaml"]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /not a regular file/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  test("quorum --latency of a FIFO", { skip: hasFifo ? false : "mkfifo is not available" }, async () => {
    const r = await run(["quorum", "--n", "3", "--r", "1", "--w", "1", "--latency", fifo]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /is a named pipe \(FIFO\), not a regular file/);
  });

  test("a /proc file (size 0 on disk) is read as text up to the limit, then judged as YAML", async () => {
    const r = await run(["validate", "/proc/self/status"]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /\/proc\/self\/status:1:1: missing "kind:"/);
  });

  test("UTF-16 with a byte-order mark: save as UTF-8, not 'a binary file'", async () => {
    writeFileSync(join(dir, "u16.yaml"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("kind: topology\n", "utf16le")]));
    const r = await run(["validate", "u16.yaml"]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /u16\.yaml:1:1: is UTF-16 \(little-endian, with a byte-order mark\) text; save it as UTF-8/);
  });
});

test("a folder holding more YAML files than one run checks is refused at file:1:1, naming the folder and the limit, exit 2 (found by a review: it printed line 0, column 0)", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-many-"));
  try {
    for (let i = 0; i < 2001; i++) writeFileSync(join(dir, `t${i}.yaml`), "kind: topology\n");
    for (const format of ["text", "json"]) {
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "repl-lab.js"), "validate", dir, "--format", format], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      const said = r.stdout + r.stderr;
      assert.ok(said.includes(`${dir}:1:1`) || said.includes(`"line": 1`), said);
      assert.match(said, /past the limit of 2,000 at once/);
      assert.doesNotMatch(said, /:0:0|"line": 0|\n\s+at /);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
