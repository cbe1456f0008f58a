// The progress file: a round trip, a corrupt file refused where it breaks and left as it is,
// a file from a newer version left alone, two processes writing at once
// (no torn file, no lost answer), a stale lock, and no temporary files left.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { UsageError } from "../../src/model/diagnostics.js";
import { stateDir } from "../../src/drills/paths.js";
import { Rating, reviewCard } from "../../src/drills/schedule.js";
import { ProgressFileError, ProgressStore, PROGRESS_VERSION } from "../../src/drills/store.js";
import { ROOT } from "./helpers.js";

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-progress-"));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function review(id: string, atMs: number) {
  return { id, topic: "quorum", kind: "text", score: 0.8, passed: true, rating: Rating.Good, atMs };
}

describe("progress store", () => {
  test("where progress lives: REPL_LAB_HOME, then XDG_STATE_HOME, then ~/.local/state", () => {
    assert.equal(stateDir({ REPL_LAB_HOME: "/x", XDG_STATE_HOME: "/y", HOME: "/h" }), "/x");
    assert.equal(stateDir({ XDG_STATE_HOME: "/y", HOME: "/h" }), "/y/repl-lab");
    assert.equal(stateDir({ HOME: "/h" }), "/h/.local/state/repl-lab");
  });

  test("a missing file is empty progress; a record round-trips as versioned JSON in epoch ms", () => {
    const dir = join(tempDir(), "nested", "state");
    const store = new ProgressStore(dir, { now: () => T0 });
    assert.deepEqual(store.load().cards, {});
    store.record(review("quorum-three-down", T0), (previous) => reviewCard(previous, Rating.Good, T0));
    const onDisk = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
    assert.equal(onDisk.version, PROGRESS_VERSION);
    assert.equal(onDisk.updatedMs, T0);
    assert.equal(typeof onDisk.cards["quorum-three-down"].due, "number");
    assert.equal(onDisk.cards["quorum-three-down"].last_review, T0);
    const again = new ProgressStore(dir, { now: () => T0 }).load();
    assert.deepEqual(again, onDisk);
    assert.deepEqual(again.reviews, [review("quorum-three-down", T0)]);
  });

  test("a corrupt file is refused at its line and column and left as it is: nothing the user earned is moved or overwritten", () => {
    const dir = tempDir();
    const text = '{"version": 1,\n "cards": {"x": ';
    writeFileSync(join(dir, "progress.json"), text);
    const store = new ProgressStore(dir, { now: () => T0 });
    const refused = (e: unknown) => e instanceof ProgressFileError && e.line === 2 && e.column === 17 && /progress\.json:2:17: is not valid JSON; expected the drill progress file/.test(e.message);
    assert.throws(() => store.load(), refused);
    assert.throws(() => store.record(review("a", T0), (p) => reviewCard(p, Rating.Good, T0)), refused);
    assert.deepEqual(readdirSync(dir), ["progress.json"]);
    assert.equal(readFileSync(join(dir, "progress.json"), "utf8"), text, "kept byte for byte");
  });

  test("valid JSON of the wrong shape is refused at the value that is wrong", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "progress.json"), '{"version": 1, "updatedMs": 0,\n "cards": [], "reviews": "no"}');
    assert.throws(() => new ProgressStore(dir).load(), (e: unknown) => e instanceof ProgressFileError && /progress\.json:2:11: does not have the shape of a progress file \("cards": expected record, received array\)/.test(e.message));
  });

  test("a file from a newer repl-lab is left alone (an error, not a reset)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "progress.json"), JSON.stringify({ version: 99 }));
    assert.throws(() => new ProgressStore(dir).load(), (e: unknown) => e instanceof UsageError && /newer repl-lab/.test(e.message));
    assert.equal(JSON.parse(readFileSync(join(dir, "progress.json"), "utf8")).version, 99);
  });

  test("a folder that cannot be written: a usage error naming the file, not an internal error (found by a review)", () => {
    // A file where the folder should be: no user, root included, can make a folder under it.
    const file = join(tempDir(), "not-a-folder");
    writeFileSync(file, "mine");
    const store = new ProgressStore(join(file, "home"), { now: () => T0 });
    assert.throws(
      () => store.record(review("a", T0), (previous) => reviewCard(previous, Rating.Good, T0)),
      (error: unknown) => error instanceof UsageError && /^cannot save .*not-a-folder\/home\/progress\.json: ENOTDIR/.test(error.message),
    );
    assert.equal(readFileSync(file, "utf8"), "mine");
  });

  test("a stale lock left by a dead process is broken; no temporary files are left behind", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "progress.json.lock"));
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "progress.json.lock"), old, old);
    new ProgressStore(dir, { now: () => T0 }).record(review("a", T0), (p) => reviewCard(p, Rating.Good, T0));
    assert.deepEqual(readdirSync(dir).sort(), ["progress.json"]);
  });

  test("two processes recording at once: the file is never torn and no answer is lost", async () => {
    const dir = tempDir();
    const perWriter = 60;
    const script = `
      import { ProgressStore } from ${JSON.stringify(join(ROOT, "dist/src/drills/store.js"))};
      import { reviewCard } from ${JSON.stringify(join(ROOT, "dist/src/drills/schedule.js"))};
      const [dir, who, count] = process.argv.slice(1);
      const store = new ProgressStore(dir);
      for (let i = 0; i < Number(count); i++) {
        const at = 1_700_000_000_000 + i;
        store.record({ id: who + "-" + (i % 5), topic: "quorum", kind: "text", score: 1, passed: true, rating: 3, atMs: at }, (p) => reviewCard(p, 3, at));
      }`;
    const run = (who: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, dir, who, String(perWriter)], { stdio: "inherit" });
        child.on("exit", resolve);
      });
    // A reader polls while both write: every read must parse.
    let reads = 0;
    let torn = 0;
    const poll = setInterval(() => {
      if (!existsSync(join(dir, "progress.json"))) return;
      reads++;
      try {
        JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      } catch {
        torn++;
      }
    }, 2);
    const codes = await Promise.all([run("one"), run("two")]);
    clearInterval(poll);
    assert.deepEqual(codes, [0, 0]);
    assert.equal(torn, 0, `${torn} of ${reads} reads saw a torn file`);
    const progress = new ProgressStore(dir).load();
    assert.equal(progress.reviews.length, 2 * perWriter);
    assert.equal(Object.keys(progress.cards).length, 10);
    assert.deepEqual(readdirSync(dir).sort(), ["progress.json"]);
  });
});
