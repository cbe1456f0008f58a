// `simulate --watch`: runs, then runs again when the scenario or its topology
// changes; bad input is printed and the watch goes on; Ctrl-C while waiting
// ends it with exit 0. Driven through the binary in a child process.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const dir = mkdtempSync(join(tmpdir(), "repl-lab-watch-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (seed: number, writes = 100) => `kind: scenario
name: watched
topology: payments.yaml
seed: ${seed}
duration: 30s
workload: { writes: ${writes}, reads: 100 }
faults:
  - { at: 10s, crash: pg-a }
`;

/** Output of a child, and a way to wait until it matches. */
class Watched {
  stdout = "";
  stderr = "";
  private waiters: (() => void)[] = [];
  readonly exit: Promise<number | null>;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const poke = () => this.waiters.forEach((w) => w());
    child.stdout.setEncoding("utf8").on("data", (c: string) => ((this.stdout += c), poke()));
    child.stderr.setEncoding("utf8").on("data", (c: string) => ((this.stderr += c), poke()));
    this.exit = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  }

  until(check: (w: Watched) => boolean, what: string, ms = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), ms);
      const check1 = () => {
        if (check(this)) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.waiters.push(check1);
      check1();
    });
  }
}

const count = (text: string, word: string) => text.split(word).length - 1;

test("--watch runs again on a change to the scenario or its topology, survives bad input, and Ctrl-C ends it with 0", async () => {
  copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "payments.yaml"));
  writeFileSync(join(dir, "s.yaml"), scenario(1));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  const w = new Watched(spawn(process.execPath, [BIN, "simulate", "s.yaml", "--watch"], { cwd: dir, env }));
  try {
    await w.until((x) => /watching 2 files for changes/.test(x.stderr), "the first run");
    assert.equal(count(w.stdout, "Scenario watched"), 1);
    assert.match(w.stdout, /seed 1 /);
    assert.doesNotMatch(w.stdout, /\x1b\[2J/, "no screen clearing when stdout is not a terminal");

    writeFileSync(join(dir, "s.yaml"), scenario(2));
    await w.until((x) => count(x.stdout, "Scenario watched") === 2, "a second run after the scenario changed");
    assert.match(w.stderr, /s\.yaml changed; running again/);
    assert.match(w.stdout.slice(w.stdout.lastIndexOf("Scenario watched")), /seed 2 /);

    writeFileSync(join(dir, "s.yaml"), scenario(2).replace("writes: 100", "writes: many"));
    await w.until((x) => /error s\.yaml:\d+:\d+: /.test(x.stderr), "the error of the bad file");
    await w.until((x) => count(x.stderr, "for changes; Ctrl-C to stop") >= 3, "the watch to go on after the error");

    writeFileSync(join(dir, "payments.yaml"), `${"# touched\n"}${(await import("node:fs")).readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8")}`);
    writeFileSync(join(dir, "s.yaml"), scenario(3));
    await w.until((x) => count(x.stdout, "Scenario watched") === 3, "a third run after the fix");
    assert.match(w.stdout.slice(w.stdout.lastIndexOf("Scenario watched")), /seed 3 /);
    await w.until((x) => count(x.stderr, "for changes; Ctrl-C to stop") >= 4, "waiting again");

    w.child.kill("SIGINT");
    assert.equal(await w.exit, 0);
  } finally {
    w.child.kill("SIGKILL");
  }
});

test("--watch with a bad --fault phrase exits 2 at once: no change to a file can mend a flag", async () => {
  copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "p2.yaml"));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  const w = new Watched(spawn(process.execPath, [BIN, "simulate", "p2.yaml", "--fault", "crush pg-a at 3s", "--watch"], { cwd: dir, env }));
  try {
    assert.equal(await w.exit, 2);
    assert.match(w.stderr, /--fault "crush pg-a at 3s": unknown fault 'crush'/);
    assert.doesNotMatch(w.stderr, /watching/);
  } finally {
    w.child.kill("SIGKILL");
  }
});
