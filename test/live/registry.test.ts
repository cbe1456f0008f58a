// The record of live clusters: a cluster whose run died (kill -9 of the CLI)
// is found by the next run and removed — its processes stopped, its folder
// and its record deleted — while a cluster of a run still alive, and anything
// a record names outside the rules, is left alone. Real processes and folders,
// no PostgreSQL needed.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive } from "../../src/live/procs.js";
import { ClusterRegistry, parseRecord } from "../../src/live/registry.js";

const home = mkdtempSync(join(tmpdir(), "repl-lab-registry-"));
after(() => rmSync(home, { recursive: true, force: true }));

/** A PID that belonged to a process which has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

/** A detached process whose command line names the cluster folder, as Patroni, etcd and PostgreSQL do. */
function clusterProcess(root: string): number {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => undefined, 120000)", root], { detached: true, stdio: "ignore" });
  child.unref();
  return child.pid!;
}

function leftover(registry: ClusterRegistry, ownerPid: number): { root: string; pid: number } {
  const root = mkdtempSync(join(tmpdir(), "repl-lab-live-"));
  writeFileSync(join(root, "patroni.yml"), "scope: x\n");
  const pid = clusterProcess(root);
  mkdirSync(registry.dir, { recursive: true });
  writeFileSync(join(registry.dir, `${root.split("/").pop()}.json`), JSON.stringify({ owner: { pid: ownerPid, host: hostname(), startTicks: null }, root, pids: [pid], started: "2026-01-01T00:00:00Z" }));
  return { root, pid };
}

test("a cluster whose owner died is stopped and removed by the next run; its record goes too", async () => {
  const registry = new ClusterRegistry(join(home, "a", "live"));
  const { root, pid } = leftover(registry, deadPid());
  assert.ok(isAlive(pid));
  const reaped = await registry.reapOrphans();
  assert.deepEqual(reaped, [{ root, stopped: 1 }]);
  assert.ok(!isAlive(pid), "the cluster's process is gone");
  assert.ok(!existsSync(root), "its folder is gone");
  assert.deepEqual(readdirSync(registry.dir), [], "its record is gone");
});

test("a cluster of a run that is still alive is left alone", async () => {
  const registry = new ClusterRegistry(join(home, "b", "live"));
  registry.record(mkdtempSync(join(tmpdir(), "repl-lab-live-")));
  const [name] = readdirSync(registry.dir);
  const root = join(tmpdir(), name.replace(/\.json$/, ""));
  assert.deepEqual(await registry.reapOrphans(), []);
  assert.ok(existsSync(root));
  registry.forget(root);
  rmSync(root, { recursive: true, force: true });
  assert.deepEqual(readdirSync(registry.dir), []);
});

test("a record never names anything but a live cluster's folder: others are dropped, nothing removed", async () => {
  const registry = new ClusterRegistry(join(home, "c", "live"));
  mkdirSync(registry.dir, { recursive: true });
  const precious = mkdtempSync(join(tmpdir(), "precious-"));
  for (const [name, root] of [["x.json", precious], ["y.json", "/"], ["z.json", "/tmp/repl-lab-live-../../etc"]]) {
    writeFileSync(join(registry.dir, name), JSON.stringify({ owner: { pid: deadPid(), host: hostname() }, root, pids: [] }));
  }
  writeFileSync(join(registry.dir, "broken.json"), "{ not json");
  assert.deepEqual(await registry.reapOrphans(), []);
  assert.ok(existsSync(precious));
  assert.deepEqual(readdirSync(registry.dir), [], "records that are not ours are dropped");
  assert.equal(parseRecord(join(home, "missing.json")), null);
  rmSync(precious, { recursive: true, force: true });
});
