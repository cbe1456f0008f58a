// The progress file's lock after a crash: a save killed with kill -9 while it
// held progress.json.lock costs the next answer nothing (its owner is gone, so
// the lock is taken over at once), a lock of a live process is waited for and
// then named, an ownerless lock goes stale with age, and temporary files a
// killed save left behind are removed. Real processes, real folders.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { ProgressStore } from "../../src/drills/store.js";

const base = mkdtempSync(join(tmpdir(), "repl-lab-lock-"));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = join(base, String(++n));
  mkdirSync(dir);
  return dir;
};
const review = (id: string) => ({ id, topic: "t", kind: "free", score: 1, passed: true, rating: 3, atMs: 1 });
const card = () => ({ due: 1, stability: 1, difficulty: 1, elapsed_days: 0, scheduled_days: 1, learning_steps: 0, reps: 1, lapses: 0, state: 2, last_review: 1 });

function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

test("the lock records its owner as 'PID HOST' while a save holds it", () => {
  const dir = fresh();
  const store = new ProgressStore(dir);
  let seen = "";
  store.update(() => {
    seen = readFileSync(join(dir, "progress.json.lock", "owner"), "utf8");
  });
  assert.equal(seen, `${process.pid} ${hostname()}\n`);
  assert.ok(!existsSync(join(dir, "progress.json.lock")), "released after the save");
});

test("a lock whose owner on this host is gone is taken over at once", () => {
  const dir = fresh();
  mkdirSync(join(dir, "progress.json.lock"));
  writeFileSync(join(dir, "progress.json.lock", "owner"), `${deadPid()} ${hostname()}\n`);
  const started = Date.now();
  new ProgressStore(dir, { lockWaitMs: 60_000 }).record(review("a"), card);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.deepEqual(Object.keys(new ProgressStore(dir).load().cards), ["a"]);
});

test("a lock of a live process is waited for, then named; the answer is not dropped silently", () => {
  const dir = fresh();
  mkdirSync(join(dir, "progress.json.lock"));
  writeFileSync(join(dir, "progress.json.lock", "owner"), `${process.ppid} ${hostname()}\n`);
  assert.throws(() => new ProgressStore(dir, { lockWaitMs: 200 }).record(review("a"), card), new RegExp(`held by process ${process.ppid} on ${hostname()}`));
});

test("an ownerless lock (a save killed between mkdir and writing its owner) goes stale with age", () => {
  const dir = fresh();
  const lock = join(dir, "progress.json.lock");
  mkdirSync(lock);
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  new ProgressStore(dir, { lockWaitMs: 1000 }).record(review("b"), card);
  assert.deepEqual(Object.keys(new ProgressStore(dir).load().cards), ["b"]);
});

test("temporary files of a killed save are removed by the next save", () => {
  const dir = fresh();
  writeFileSync(join(dir, ".progress.json.4242.abc.tmp"), "{ half");
  new ProgressStore(dir).record(review("c"), card);
  assert.deepEqual(readdirSync(dir).sort(), ["progress.json"]);
});

test("kill -9 of a process in the middle of a save: the next answer is saved at once", async () => {
  const dir = fresh();
  const storeUrl = new URL("../../src/drills/store.js", import.meta.url).href;
  // The child takes the lock and stops inside the save, as if the machine froze there.
  const child = spawn(process.execPath, ["--input-type=module", "-e", `
    const { ProgressStore } = await import(${JSON.stringify(storeUrl)});
    new ProgressStore(${JSON.stringify(dir)}).update(() => { process.stdout.write("holding\\n"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000); });
  `], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  assert.ok(existsSync(join(dir, "progress.json.lock", "owner")));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("close", resolve));
  const started = Date.now();
  new ProgressStore(dir).record(review("d"), card);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.deepEqual(Object.keys(new ProgressStore(dir).load().cards), ["d"]);
  assert.ok(!existsSync(join(dir, "progress.json.lock")));
});

test("many writers at once keep every answer", async () => {
  const dir = fresh();
  const storeUrl = new URL("../../src/drills/store.js", import.meta.url).href;
  const writers = Array.from({ length: 8 }, (_, w) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", `
        const { ProgressStore } = await import(${JSON.stringify(storeUrl)});
        const store = new ProgressStore(${JSON.stringify(dir)});
        for (let i = 0; i < 10; i++) store.record({ id: "w${w}-" + i, topic: "t", kind: "free", score: 1, passed: true, rating: 3, atMs: 1 }, () => (${JSON.stringify(card())}));
      `], { stdio: "inherit" });
      child.on("close", resolve);
    }),
  );
  assert.deepEqual(await Promise.all(writers), Array(8).fill(0));
  assert.equal(Object.keys(new ProgressStore(dir).load().cards).length, 80);
});

