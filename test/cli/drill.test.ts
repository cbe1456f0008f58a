// `repl-lab drill` end to end: the built binary in a child process, with
// NO_COLOR and a temporary REPL_LAB_HOME, as scripts and CI would run it.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const STACK = /^\s+at .*(\.[mc]?[jt]s|node:internal)/m;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-cli-drill-"));
  dirs.push(dir);
  return dir;
}

/** Runs `repl-lab drill ARGS` asynchronously, so the tests below can run side by side. */
function drill(args: string[], options: { home?: string; env?: Record<string, string | undefined> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, REPL_LAB_HOME: options.home ?? home(), ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/repl-lab.js", "drill", ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        assert.doesNotMatch(stderr, STACK, "no stack traces");
      } catch (error) {
        reject(error);
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

describe("repl-lab drill (non-interactive)", { concurrency: 4 }, () => {
  test("--list --json: an array of { id, title, topic, kind }", async () => {
    const { code, stdout } = (await drill(["--list", "--json"]));
    assert.equal(code, 0);
    const list = JSON.parse(stdout) as Array<Record<string, string>>;
    assert.ok(list.length >= 40);
    for (const entry of list) assert.deepEqual(Object.keys(entry), ["id", "title", "topic", "kind"]);
    for (const id of ["failover-sequence", "pitr-window-expired", "quorum-three-down", "followup-failover-timeline", "followup-bad-update", "followup-cross-region", "followup-replica-lag", "probe-highly-available"]) {
      assert.ok(list.some((e) => e.id === id && e.kind === "text"), id);
    }
  });

  test("--list --topic filters; a typo in the topic is exit 2 with a did-you-mean", async () => {
    const { stdout } = (await drill(["--list", "--topic", "backups-and-pitr", "--json"]));
    const list = JSON.parse(stdout) as Array<{ topic: string }>;
    assert.ok(list.length > 0 && list.every((e) => e.topic === "backups and PITR"));
    const bad = (await drill(["--list", "--topic", "quorom"]));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown topic "quorom" — did you mean "quorum"\?/);
  });

  test("--answer --json on a free-text drill: the SPEC §4 keys first, concept ids in hits and misses", async () => {
    const { code, stdout, stderr } = (await drill(["quorum-three-down", "--answer", "Writes fail, only two nodes are up and W is 3; reads fail too. R+W>N still holds. A sloppy quorum with hinted handoff keeps writes going but reads may be stale.", "--json"]));
    assert.equal(code, 0, stderr);
    const graded = JSON.parse(stdout);
    assert.deepEqual(Object.keys(graded).slice(0, 7), ["id", "kind", "score", "passed", "hits", "misses", "modelAnswer"]);
    assert.equal(graded.id, "quorum-three-down");
    assert.equal(graded.kind, "text");
    assert.equal(graded.passed, true);
    assert.ok(graded.score >= 0.75 && graded.score <= 1);
    assert.ok(graded.hits.includes("condition") && graded.hits.includes("sloppy"));
    assert.ok(graded.misses.includes("retune"));
    assert.match(graded.modelAnswer, /R \+ W > N/);
    assert.equal(graded.followUp, "sc-quorum-w2-r4");
  });

  test("a weak answer is graded, not a usage error: exit 1, passed false, misconception named", async () => {
    const { code, stdout } = (await drill(["probe-highly-available", "--answer", "Several database replicas go behind a load balancer; when one fails the LB sends traffic to the rest.", "--json"]));
    assert.equal(code, 1);
    const graded = JSON.parse(stdout);
    assert.equal(graded.passed, false);
    assert.equal(graded.band, "weak");
    assert.deepEqual(graded.misconceptions, ["load-balancer"]);
  });

  test("text output: score, concepts, model answer, follow-up — and no colour under NO_COLOR", async () => {
    const { code, stdout } = (await drill(["failover-sequence", "--answer", "Promote the sync replica in AZ-B; it has every acknowledged write."]));
    assert.equal(code, 1, "not passed");
    assert.match(stdout, /^Score \d+% — (partial|weak) ✗ not passed/);
    assert.match(stdout, /✗ Fence the old leader before promoting \(STONITH, lease revocation\) \(required for a strong answer\)/);
    assert.match(stdout, /\n {6}why: /);
    assert.match(stdout, /\nModel answer\n/);
    assert.match(stdout, /\nLikely follow-up Walk me through failover/);
    assert.doesNotMatch(stdout, /\u001b\[/);
  });

  test("exact kinds: letters for choices, a comma list for orderings, a number with a unit", async () => {
    const single = JSON.parse((await drill(["sc-bad-delete", "--answer", "b", "--json"])).stdout);
    assert.equal(single.passed, true);
    assert.equal(single.kind, "single");
    const multiple = JSON.parse((await drill(["mc-backup-story", "--answer", "a,b", "--json"])).stdout);
    assert.equal(multiple.passed, false);
    assert.equal(multiple.score, 0.5);
    assert.deepEqual(multiple.misses, ["c", "e"]);
    const numeric = JSON.parse((await drill(["num-restore-time", "--answer", "2560s", "--json"])).stdout);
    assert.equal(numeric.passed, true, "2,560 s is 42.7 minutes");
    const shown = (await drill(["ord-recovery-preference", "--show"])).stdout;
    const letterOf = (text: string) => new RegExp(`^  ([a-c])\\) ${text}`, "m").exec(shown)![1];
    const order = [letterOf("Point-in-time"), letterOf("Restore the newest"), letterOf("Reconstruct")].join(",");
    const ordering = JSON.parse((await drill(["ord-recovery-preference", "--answer", order, "--json"])).stdout);
    assert.equal(ordering.score, 1);
    assert.equal(ordering.expected, order);
  });

  test("--answer - reads a multi-line answer from standard input", async () => {
    const result = spawnSync(process.execPath, ["bin/repl-lab.js", "drill", "text-sync-tradeoff", "--answer", "-", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      input: "It buys RPO 0 for acknowledged writes.\n\nIt costs a round trip per commit (1-5 ms), another replica to pay for,\nand writes block in strict mode when all sync replicas are down.\n",
      env: { ...process.env, NO_COLOR: "1", REPL_LAB_HOME: home() },
    });
    assert.equal(result.status, 0, result.stderr);
    const graded = JSON.parse(result.stdout);
    assert.ok(graded.hits.includes("rpo-zero") && graded.hits.includes("blocks") && graded.hits.includes("cost"));
  });

  /** Runs `repl-lab drill ARGS` with standard input a pipe that `feed` writes to (and ends, or not). */
  function drillFed(args: string[], feed: (stdin: NodeJS.WritableStream) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, REPL_LAB_HOME: home() };
      const child = spawn(process.execPath, ["bin/repl-lab.js", "drill", ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      // The child stops reading early when it refuses the input: that is not an error of the test.
      child.stdin.on("error", () => {});
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      feed(child.stdin);
    });
  }

  test("--answer - waits for a slow pipe instead of failing with EAGAIN", async () => {
    const result = await drillFed(["sc-bad-delete", "--answer", "-", "--json"], (stdin) => setTimeout(() => stdin.end("b\n"), 500));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).passed, true);
  });

  test("--answer - refuses an endless standard input at the limit, exit 2, without reading it all", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    // Never ended: the command must stop reading by itself.
    const result = await drillFed(["text-sync-tradeoff", "--answer", "-", "--json"], (stdin) => {
      const pump = (): void => {
        while (stdin.write(chunk));
        stdin.once("drain", pump);
      };
      pump();
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error --answer -: standard input holds more than 64 KB/m);
    assert.doesNotMatch(result.stderr, STACK);
    assert.equal(result.stdout, "");
  });

  test("--answer exits 1 when the answer does not pass and 0 when it does, in text and with --json", async () => {
    const wrong = await drill(["sc-bad-delete", "--answer", "a"]);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stdout, /not passed/);
    const wrongJson = await drill(["sc-bad-delete", "--answer", "a", "--json"]);
    assert.equal(wrongJson.code, 1, wrongJson.stderr);
    const graded = JSON.parse(wrongJson.stdout);
    assert.deepEqual(Object.keys(graded).slice(0, 7), ["id", "kind", "score", "passed", "hits", "misses", "modelAnswer"]);
    assert.equal(graded.passed, false);
    const right = await drill(["sc-bad-delete", "--answer", "b"]);
    assert.equal(right.code, 0, right.stderr);
    const rightJson = await drill(["sc-bad-delete", "--answer", "b", "--json"]);
    assert.equal(rightJson.code, 0, rightJson.stderr);
    assert.equal(JSON.parse(rightJson.stdout).passed, true);
  });

  test("a list of buzzwords for a free-text drill: exit 1, scored below 40 %, told why, and recorded only with --save", async () => {
    const dir = home();
    const stuffed = "RPO, RTO, replication copies, every replica, PITR, point-in-time restore, WAL, side instance, merge, updated_at, snapshot, audit log, code review, WHERE clause, least privilege, logical backup";
    const text = await drill(["followup-bad-update", "--answer", stuffed], { home: dir });
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /reads as a list of terms/);
    const json = await drill(["followup-bad-update", "--answer", stuffed, "--json"], { home: dir });
    assert.equal(json.code, 1);
    const graded = JSON.parse(json.stdout);
    assert.equal(graded.passed, false);
    assert.ok(graded.score < 0.4, String(graded.score));
    assert.equal(graded.stuffed, true);
    assert.ok(graded.named.includes("side-instance"), graded.named.join(","));
    assert.deepEqual(readdirSync(dir), [], "nothing recorded without --save");
    assert.equal((await drill(["followup-bad-update", "--answer", stuffed, "--save"], { home: dir })).code, 1);
    const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
    assert.deepEqual(progress.reviews.map((r: { id: string; passed: boolean }) => [r.id, r.passed]), [["followup-bad-update", false]]);
  });

  test("stats before any practice: nothing due, nothing scheduled (never “0 due now · next due in 0m”)", async () => {
    const text = await drill(["stats"], { home: home() });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /0 of \d+ practised · nothing due, nothing scheduled/);
    assert.doesNotMatch(text.stdout, /0 due now|in 0m/);
  });

  test("stats fits --width and COLUMNS like the other commands, losing no topic (it printed 82 columns at 80)", async () => {
    const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line].length));
    const topics = JSON.parse((await drill(["stats", "--json"])).stdout).topics.map((t: { topic: string }) => t.topic);
    for (const [args, env, width] of [[["stats"], { COLUMNS: "80" }, 80], [["stats", "--width", "60"], {}, 60], [["--width", "60", "stats"], {}, 60]] as const) {
      const { code, stdout, stderr } = await drill([...args], { env });
      assert.equal(code, 0, stderr);
      assert.ok(widest(stdout) <= width, `${args.join(" ")}: ${widest(stdout)} columns\n${stdout}`);
      // A topic may wrap inside its cell; its words are all there.
      for (const topic of topics) for (const word of topic.split(" ")) assert.ok(stdout.includes(word), `${topic} at ${width}`);
    }
  });

  test("without --save nothing is written: no progress file appears, an existing one is left byte for byte", async () => {
    const dir = home();
    const text = await drill(["sc-bad-delete", "--answer", "a"], { home: dir });
    assert.equal(text.code, 1);
    assert.match(text.stderr, /not saved \(use --save to record this review\)/);
    const json = await drill(["sc-bad-delete", "--answer", "b", "--json"], { home: dir });
    assert.equal(json.code, 0);
    JSON.parse(json.stdout); // stdout stays pure JSON
    assert.deepEqual(readdirSync(dir), [], "no progress.json, no progress.json.lock");
    assert.equal((await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: dir })).code, 0);
    const before = readFileSync(join(dir, "progress.json"), "utf8");
    assert.equal(JSON.parse(before).reviews.length, 1);
    await drill(["quorum-three-down", "--answer", "no idea"], { home: dir });
    await drill(["sc-bad-delete", "--answer", "b", "--json"], { home: dir });
    assert.equal(readFileSync(join(dir, "progress.json"), "utf8"), before);
    assert.deepEqual(readdirSync(dir), ["progress.json"]);
  });

  test("with --save the review is recorded, a failed one too, and the exit code still follows the grade", async () => {
    const dir = home();
    const wrong = await drill(["sc-bad-delete", "--answer", "a", "--save", "--json"], { home: dir });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.equal(JSON.parse(wrong.stdout).passed, false);
    assert.doesNotMatch(wrong.stderr, /not saved/);
    const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
    assert.deepEqual(progress.reviews.map((r: { id: string; passed: boolean; rating: number }) => [r.id, r.passed, r.rating]), [["sc-bad-delete", false, 1]]);
    assert.ok(progress.cards["sc-bad-delete"], "the card is scheduled");
    assert.equal(JSON.parse((await drill(["stats", "--json"], { home: dir })).stdout).attempts, 1);
  });

  test("--save is in the help; --save without --answer is a usage error (exit 2)", async () => {
    const help = await drill(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--save\s+with --answer: record/);
    assert.match(help.stdout.replace(/\s+/g, " "), /predict: a letter, or a number where it asks for one;/, "a predict drill is answered with a letter");
    assert.doesNotMatch(help.stdout.replace(/\s+/g, " "), /numeric\/predict: a number/);
    assert.doesNotMatch(help.stdout, /--no-save/);
    const bad = await drill(["sc-bad-delete", "--show", "--save"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--save goes with --answer/);
  });

  test("a malformed answer is exit 2 with what the drill expects", async () => {
    const { code, stdout, stderr } = (await drill(["sc-bad-delete", "--answer", "z"]));
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /answer with a letter from a to d/);
    assert.match((await drill(["ord-failover-steps", "--answer", "a,b"])).stderr, /exactly once/);
  });

  test("an empty answer (an unset shell variable) is exit 2, not a graded 0% (found by a review)", async () => {
    for (const empty of ["", "   "]) {
      const { code, stderr } = await drill(["quorum-three-down", "--answer", empty, "--save"]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /--answer is empty/);
    }
  });

  test("predict: the engine runs the scenario and the truth comes with its seed", async () => {
    const { code, stdout } = (await drill(["predict-sync-rpo", "--answer", "a", "--json"]));
    assert.equal(code, 0);
    const graded = JSON.parse(stdout);
    assert.equal(graded.kind, "predict");
    assert.equal(graded.truth.scenario, "leader-dies-in-az-a");
    assert.equal(graded.truth.field, "classes[ledger].rpo.lostAckedWrites");
    assert.equal(graded.truth.value, 0);
    assert.equal(graded.passed, true);
    const text = (await drill(["predict-sync-rpo", "--answer", "c"])).stdout;
    assert.match(text, /What the engine saw \(scenarios\/leader-dies-in-az-a\.yaml, seed 42, ran in \d+ ms\)/);
    assert.match(text, /T\+0 +pg-a +crash/);
  });

  test("predict at --width 80: the engine's timeline fits, laid out as simulate lays it out (found by a review)", async () => {
    const drilled = (await drill(["predict-leader-dies-rto", "--answer", "b", "--width", "80"])).stdout.split("\n");
    assert.deepEqual(drilled.filter((line) => [...line].length > 80), []);
    const simulated = spawnSync(process.execPath, ["bin/repl-lab.js", "simulate", "scenarios/leader-dies-in-az-a.yaml", "--width", "80"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
    }).stdout.split("\n");
    // The first entries, word for word: same time labels (T+0, not T+0s), same columns, same wrapping.
    const from = (lines: string[]) => lines.findIndex((l) => /^ {2}T\+0 +pg-a +crash/.test(l));
    assert.ok(from(drilled) >= 0 && from(simulated) >= 0, drilled.join("\n"));
    assert.deepEqual(drilled.slice(from(drilled), from(drilled) + 8), simulated.slice(from(simulated), from(simulated) + 8));
  });

  test("generated drills: a seed is needed to answer; --show prints the question", async () => {
    const noSeed = (await drill(["gen-quorum-staleness", "--answer", "0.5"]));
    assert.equal(noSeed.code, 2);
    assert.match(noSeed.stderr, /give it a seed to answer it, e\.g\. gen-quorum-staleness:\d+/);
    const shown = (await drill(["gen-quorum-staleness:9", "--show", "--json"]));
    const question = JSON.parse(shown.stdout);
    assert.equal(question.kind, "generated");
    const graded = JSON.parse((await drill(["gen-quorum-staleness:9", "--answer", "0.5", "--json"])).stdout);
    assert.equal(graded.id, "gen-quorum-staleness:9");
    assert.equal(graded.question, question.prompt);
    assert.deepEqual(Object.keys(graded.params).sort(), ["n", "r", "w"]);
  });

  test("an unknown id is exit 2 with a did-you-mean", async () => {
    const { code, stdout, stderr } = (await drill(["failover-sequense", "--answer", "x"]));
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /unknown drill "failover-sequense" — did you mean "failover-sequence"\?/);
  });

  test("without a terminal and without --answer: a clear message and exit 2, never a hang", async () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ["bin/repl-lab.js", "drill"], { cwd: ROOT, encoding: "utf8", timeout: 10_000, env: { ...process.env, NO_COLOR: "1", REPL_LAB_HOME: home() }, stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(result.status, 2);
    assert.ok(Date.now() - started < 10_000);
    assert.match(result.stderr, /needs a terminal/);
    assert.match(result.stderr, /--answer TEXT/);
    assert.equal((await drill(["--due"])).code, 2);
    assert.equal((await drill(["quorum-three-down"])).code, 2);
    assert.equal((await drill(["--json"])).code, 2);
  });

  test("answers are saved under REPL_LAB_HOME with --save (only then); stats reads them back", async () => {
    const dir = home();
    (await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: dir }));
    (await drill(["sc-bad-delete", "--answer", "a"], { home: dir }));
    (await drill(["sc-bad-delete", "--answer", "a", "--no-save"], { home: dir }));
    (await drill(["quorum-three-down", "--answer", "no idea", "--save"], { home: dir }));
    const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
    assert.equal(progress.version, 1);
    assert.deepEqual(progress.reviews.map((r: { id: string; passed: boolean }) => [r.id, r.passed]), [["sc-bad-delete", true], ["quorum-three-down", false]]);
    const stats = JSON.parse((await drill(["stats", "--json"], { home: dir })).stdout);
    assert.equal(stats.attempts, 2);
    assert.equal(stats.accuracy, 0.5);
    assert.equal(stats.streakDays, 1);
    assert.equal(stats.topics.find((t: { topic: string }) => t.topic === "quorum").attempts, 1);
    const text = (await drill(["stats"], { home: dir }));
    assert.equal(text.code, 0);
    assert.match(text.stdout, /2 of \d+ practised/);
    assert.match(text.stdout, /streak 1 day/);
  });

  test("without REPL_LAB_HOME, progress goes to $XDG_STATE_HOME/repl-lab", async () => {
    const xdg = home();
    const result = spawnSync(process.execPath, ["bin/repl-lab.js", "drill", "sc-bad-delete", "--answer", "b", "--save"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", REPL_LAB_HOME: "", XDG_STATE_HOME: xdg },
    });
    assert.equal(result.status, 0);
    assert.ok(existsSync(join(xdg, "repl-lab", "progress.json")));
  });

  test("--save that cannot save is exit 2 naming the file, in text and in --json, and the file is left as it was (found by a review)", async () => {
    // A progress file from a newer repl-lab.
    const newer = home();
    const future = '{"version":99,"cards":{},"reviews":[]}\n';
    writeFileSync(join(newer, "progress.json"), future);
    let run = await drill(["sc-bad-delete", "--answer", "b", "--save", "--json"], { home: newer });
    assert.equal(run.code, 2);
    const shape = JSON.parse(run.stdout);
    assert.equal(shape.passed, true, "the grade is still printed");
    assert.equal(shape.saved, false);
    assert.equal(shape.error.file, join(newer, "progress.json"));
    assert.match(shape.error.message, /progress not saved: .*progress\.json was written by a newer repl-lab/);
    assert.match(run.stderr, /^error progress not saved: .*progress\.json was written by a newer repl-lab/m);
    assert.equal(readFileSync(join(newer, "progress.json"), "utf8"), future, "the newer file is untouched");
    assert.deepEqual(readdirSync(newer), ["progress.json"]);
    run = await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: newer });
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Score 100%/);
    assert.match(run.stderr, /^error progress not saved: .*progress\.json was written by a newer repl-lab/m);
    // progress.json is a folder.
    const folder = home();
    mkdirSync(join(folder, "progress.json"));
    writeFileSync(join(folder, "progress.json", "mine"), "keep");
    run = await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: folder });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error progress not saved: .*progress\.json:1:1: is a directory; expected the drill progress file \(JSON\)$/m);
    assert.equal(readFileSync(join(folder, "progress.json", "mine"), "utf8"), "keep");
    // A save that worked says so in --json; without --save there is no "saved" key.
    run = await drill(["sc-bad-delete", "--answer", "b", "--save", "--json"]);
    assert.equal(run.code, 0);
    assert.equal(JSON.parse(run.stdout).saved, true);
    run = await drill(["sc-bad-delete", "--answer", "b", "--json"]);
    assert.equal("saved" in JSON.parse(run.stdout), false);
  });

  test("a progress file that is no regular file, or far larger than repl-lab writes, is exit 2 naming it, in bounded time and memory, and is left as it is (a FIFO hung for ever, /dev/zero took gigabytes)", async () => {
    // A named pipe: reading it blocked until a writer came, for ever.
    const fifo = home();
    assert.equal(spawnSync("mkfifo", [join(fifo, "progress.json")]).status, 0);
    let run = await drill(["stats"], { home: fifo });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error .*progress\.json:1:1: is a named pipe \(FIFO\), not a regular file; expected the drill progress file \(JSON\)$/m);
    run = await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: fifo });
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Score 100%/, "the grade is still printed");
    assert.match(run.stderr, /^error progress not saved: .*progress\.json:1:1: is a named pipe/m);
    // A link to a device that never ends: it was read until memory ran out.
    const device = home();
    symlinkSync("/dev/zero", join(device, "progress.json"));
    run = await drill(["stats"], { home: device });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error .*progress\.json:1:1: is a character device, not a regular file/m);
    // Valid JSON, but larger than any progress file repl-lab writes (it keeps the newest 10,000 answers).
    const huge = home();
    const big = `${" ".repeat(33 * 1024 * 1024)}{"version":1,"updatedMs":0,"cards":{},"reviews":[]}\n`;
    writeFileSync(join(huge, "progress.json"), big);
    run = await drill(["stats"], { home: huge });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error .*progress\.json:1:1: is larger than 33554432 bytes \(32MB\); expected the drill progress file \(JSON\) of at most 32MB$/m);
    run = await drill(["sc-bad-delete", "--answer", "b", "--save", "--json"], { home: huge });
    assert.equal(run.code, 2);
    assert.equal(JSON.parse(run.stdout).saved, false);
    assert.equal(readFileSync(join(huge, "progress.json"), "utf8").length, big.length, "the file is left as it was");
    assert.deepEqual(readdirSync(huge), ["progress.json"]);
  });

  test("a corrupt progress file: an error at its line and column, the answer still graded, the file left as it is", async () => {
    const dir = home();
    writeFileSync(join(dir, "progress.json"), "not json at all");
    const { code, stdout, stderr } = (await drill(["sc-bad-delete", "--answer", "b", "--save"], { home: dir }));
    assert.equal(code, 2);
    assert.match(stdout, /\S/, "the grade is still printed");
    assert.match(stderr, /^error progress not saved: .*progress\.json:1:1: is not valid JSON; expected the drill progress file \(JSON\)/m);
    assert.deepEqual(readdirSync(dir), ["progress.json"]);
    assert.equal(readFileSync(join(dir, "progress.json"), "utf8"), "not json at all");
  });
});
