// A problem with a whole file (missing, a directory, a named pipe, too large, empty) is one error at file:1:1 that
// says what was expected, exit 2, no stack trace, whichever command reads the file and in text and JSON alike. They
// named the file with no position ("x.yaml: cannot read the file: no such file"), and the size limit said only
// that larger files are refused.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-file-position-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "folder.yaml"));
mkdirSync(join(dir, "no-yaml"));
writeFileSync(join(dir, "big.yaml"), `kind: topology\n${"#".repeat(1024 * 1024)}\n`);
writeFileSync(join(dir, "empty.yaml"), "");
const hasFifo = spawnSync("mkfifo", [join(dir, "pipe.yaml")]).status === 0;

/** The binary in the test folder, killed after a while: a file that hangs a read fails the test. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1", ...env } });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** [file, what the message says after "file:1:1: "] */
const FILES: [string, RegExp][] = [
  ["missing.yaml", /cannot read the file: no such file; expected a YAML file$/],
  // validate reads a folder as the YAML files in it: this one holds none.
  ["folder.yaml", /is a directory(; expected a YAML file| with no \.yaml or \.yml files; expected a YAML file, or a folder that holds some)$/],
  ["big.yaml", /is larger than 1048576 bytes \(1MB\); expected a YAML file of at most 1MB$/],
  ["empty.yaml", /the file is empty; expected a YAML mapping that starts with `kind:`$/],
  ...(hasFifo ? ([["pipe.yaml", /is a named pipe \(FIFO\), not a regular file; expected a YAML file$/]] as [string, RegExp][]) : []),
];

function oneError(r: { status: number | null; stderr: string }, file: string, message: RegExp, what: string): void {
  assert.equal(r.status, 2, `${what}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, what);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
  assert.ok(lines[0].startsWith(`error ${file}:1:1: `), `${what}: ${lines[0]}`);
  assert.match(lines[0], message, what);
}

for (const [file, message] of FILES) {
  test(`${file}: file:1:1 and what was expected, from simulate (text, --json), validate, quorum --latency`, async () => {
    const [simulate, simulateJson, validate, validateJson, quorum, quorumJson] = await Promise.all([
      run(["simulate", file]),
      run(["simulate", file, "--json"]),
      run(["validate", file]),
      run(["validate", file, "--format", "json"]),
      run(["quorum", "--n", "3", "--r", "2", "--w", "2", "--latency", file]),
      run(["quorum", "--n", "3", "--r", "2", "--w", "2", "--latency", file, "--json"]),
    ]);
    oneError(simulate, file, message, "simulate");
    oneError(simulateJson, file, message, "simulate --json");
    oneError(validate, file, message, "validate");
    oneError(quorum, file, message, "quorum --latency");
    oneError(quorumJson, file, message, "quorum --latency --json");
    assert.equal(validateJson.status, 2);
    const [finding] = JSON.parse(validateJson.stdout).findings as { file: string; line: number; column: number; message: string }[];
    assert.deepEqual([finding.file, finding.line, finding.column], [file, 1, 1]);
    assert.match(finding.message, message);
  });
}

test("validate of a folder with no YAML in it: folder:1:1, and what it should hold", async () => {
  oneError(await run(["validate", "no-yaml"]), "no-yaml", /is a directory with no \.yaml or \.yml files; expected a YAML file, or a folder that holds some$/, "validate");
});

test("merge: a shard that is missing, a directory or a named pipe is named at file:1:1 with what was expected", async () => {
  const cases: [string, RegExp][] = [
    ["missing.json", /cannot read the file: no such file; expected the JSON of a shard$/],
    ["folder.yaml", /is a directory; expected the JSON of a shard$/],
    ...(hasFifo ? ([["pipe.yaml", /is a named pipe \(FIFO\), not a regular file; expected the JSON of a shard$/]] as [string, RegExp][]) : []),
  ];
  for (const [file, message] of cases) oneError(await run(["merge", file]), file, message, `merge ${file}`);
});

test("drill: a progress file that is a directory or a named pipe is named at file:1:1 with what was expected", async () => {
  const folder = mkdtempSync(join(dir, "home-"));
  mkdirSync(join(folder, "progress.json"));
  const path = join(folder, "progress.json");
  oneError(await run(["drill", "stats"], { REPL_LAB_HOME: folder }), path, /is a directory; expected the drill progress file \(JSON\)$/, "drill stats");
  if (!hasFifo) return;
  const piped = mkdtempSync(join(dir, "home-"));
  assert.equal(spawnSync("mkfifo", [join(piped, "progress.json")]).status, 0);
  oneError(await run(["drill", "stats", "--json"], { REPL_LAB_HOME: piped }), join(piped, "progress.json"), /is a named pipe \(FIFO\), not a regular file; expected the drill progress file \(JSON\)$/, "drill stats --json");
});
