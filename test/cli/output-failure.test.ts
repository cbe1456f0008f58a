// A write that fails (a full disk, an I/O error) is one line on stderr and exit 2,
// never a stack trace and never exit 1 (which means "findings"); a reader that
// closes the pipe early (`| head`) is not an error.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const SCENARIO = join(ROOT, "scenarios/leader-dies-in-az-a.yaml");
const TOPOLOGY = join(ROOT, "topologies/payments.yaml");

interface Run {
  status: number | null;
  stderr: string;
}

/** Runs the binary with stdout (and optionally stderr) on /dev/full. */
function runInto(args: string[], fullStderr = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const full = openSync("/dev/full", "w");
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", full, fullStderr ? full : "pipe"] });
    closeSync(full);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

const skip = existsSync("/dev/full") ? false : "this system has no /dev/full";

describe("a failed write to stdout or stderr", { skip }, () => {
  for (const args of [["simulate", SCENARIO], ["simulate", SCENARIO, "--json"], ["validate", TOPOLOGY, "--format", "sarif"]]) {
    test(`${args.join(" ")} > /dev/full: one line, exit 2`, async () => {
      const { status, stderr } = await runInto(args);
      assert.equal(status, 2);
      const lines = stderr.trim().split("\n");
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], /cannot write to standard output: ENOSPC/);
      assert.doesNotMatch(stderr, /\n\s+at /);
    });
  }

  test("stderr on /dev/full too: still exit 2", async () => {
    const { status } = await runInto(["simulate", SCENARIO], true);
    assert.equal(status, 2);
  });

  test("a pipe closed early is not a failure", async () => {
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "simulate", SCENARIO], { stdio: ["ignore", "pipe", "ignore"] });
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("error", reject);
      child.on("close", resolve);
    });
    assert.equal(status, 0);
  });
});
