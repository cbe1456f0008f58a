// The live mode never leaves a cluster behind, with real processes: a second
// Ctrl+C during the teardown does not abort it, a closed terminal (SIGHUP)
// stops the cluster like Ctrl+C, and after `kill -9` of the CLI itself the
// next `live` start finds the cluster by its record and removes it. Each case
// ends with no process naming the cluster's folder, no folder and no record.
// Skipped like the other live end-to-end test when PostgreSQL, etcd or Patroni
// is missing (CI installs them and fails instead).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPrerequisites, systemProbe } from "../../src/live/prereqs.js";
import { processesMentioning, sleep } from "../../src/live/procs.js";
import { acquireLiveClusterLock } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const SCENARIO = join(ROOT, "scenarios/live/leader-crash.yaml");
const prerequisites = checkPrerequisites(systemProbe);
const skip = prerequisites.tools === null ? `needs ${prerequisites.missing.join("; ")}` : false;

const home = mkdtempSync(join(tmpdir(), "repl-lab-signals-"));
after(() => rmSync(home, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

function start(args: string[]): Started {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, REPL_LAB_HOME: home, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal === "SIGKILL" ? 137 : null))));
  return { child, exit, stderr: () => stderr };
}

/** Waits until the run has recorded its cluster with the PIDs it started (after the bootstrap); returns the cluster's folder. */
async function clusterUp(run: Started): Promise<string> {
  const dir = join(home, "live");
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    for (const name of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".json")) : []) {
      const record = JSON.parse(readFileSync(join(dir, name), "utf8")) as { root: string; pids: number[] };
      if (record.pids.length > 0) return record.root;
    }
    if (run.child.exitCode !== null) throw new Error(`live ended before its cluster was up: ${run.stderr()}`);
    await sleep(200);
  }
  throw new Error("the cluster did not come up within 120 s");
}

function assertGone(root: string): void {
  assert.deepEqual(processesMentioning(basename(root)), [], "no process of the cluster is left");
  assert.ok(!existsSync(root), `the folder ${root} is gone`);
  assert.deepEqual(existsSync(join(home, "live")) ? readdirSync(join(home, "live")) : [], [], "no record is left");
}

describe("live: signals and a killed CLI leave nothing behind", { skip, concurrency: false, timeout: 600_000 }, () => {
  // The other end-to-end file's cluster would be "a process left behind" here: one cluster at a time.
  let release = () => {};
  before(async () => {
    release = await acquireLiveClusterLock();
  });
  after(() => release());
  test("Ctrl+C twice: the second waits for the teardown; exit 130", async () => {
    const run = start(["live", SCENARIO, "--trials", "1"]);
    const root = await clusterUp(run);
    run.child.kill("SIGINT");
    await sleep(300);
    run.child.kill("SIGINT");
    assert.equal(await run.exit, 130, run.stderr());
    assert.match(run.stderr(), /SIGINT: still stopping the live cluster/);
    assertGone(root);
  });

  test("SIGHUP (the terminal closed): the cluster is stopped; exit 129", async () => {
    const run = start(["live", SCENARIO, "--trials", "1"]);
    const root = await clusterUp(run);
    run.child.kill("SIGHUP");
    assert.equal(await run.exit, 129, run.stderr());
    assertGone(root);
  });

  test("kill -9 of the CLI: the next live start stops and removes the cluster it left", async () => {
    const run = start(["live", SCENARIO, "--trials", "1"]);
    const root = await clusterUp(run);
    run.child.kill("SIGKILL");
    await run.exit;
    assert.ok(processesMentioning(basename(root)).length > 0, "the detached cluster outlives the CLI");
    const next = start(["live", join(home, "no-such-scenario.yaml")]);
    assert.equal(await next.exit, 2, "the missing file is still an input error");
    assert.match(next.stderr(), new RegExp(`removed a live cluster left by a run that ended without its teardown: ${root}`));
    assertGone(root);
  });
});
