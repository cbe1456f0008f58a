// A real interactive session in a pseudo-terminal: tmux runs `repl-lab drill`,
// the test types answers and presses keys, and reads the screen. It checks
// what only a terminal shows — the prompts, the coloured-or-not feedback, the
// follow-up chain, the summary — and that Ctrl-C keeps what was answered.
// Skipped, with a message saying so, where tmux is not installed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ROOT } from "./helpers.js";

const tmuxVersion = spawnSync("tmux", ["-V"], { encoding: "utf8" });
const SKIP = tmuxVersion.status === 0 ? false : "tmux is not installed, so the pseudo-terminal drill test is skipped (install tmux to run it)";

/** A tmux command on the pane's own server (-L): panes never share one, so a pane closing (its server exiting) cannot race the next pane starting. */
function tmux(server: string, ...args: string[]): string {
  const result = spawnSync("tmux", ["-L", server, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

class Pane {
  readonly name: string;
  constructor(command: string, env: Record<string, string>, columns = 160) {
    this.name = `repl-lab-drill-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const exports = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ");
    // The shell prints the exit code and keeps the pane open so the screen can still be read.
    tmux(this.name, "new-session", "-d", "-s", this.name, "-x", String(columns), "-y", "60", `cd ${quote(ROOT)} && env ${exports} ${command}; echo "EXIT=$?"; sleep 120`);
  }
  screen(): string {
    return tmux(this.name, "capture-pane", "-p", "-J", "-S", "-400", "-t", this.name);
  }
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  type(text: string): void {
    tmux(this.name, "send-keys", "-t", this.name, "-l", text);
  }
  keys(...keys: string[]): void {
    tmux(this.name, "send-keys", "-t", this.name, ...keys);
  }
  close(): void {
    spawnSync("tmux", ["-L", this.name, "kill-server"]);
  }
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-tty-"));
  dirs.push(dir);
  return dir;
}

/** How many times a pattern occurs on the screen: prompts already answered stay visible. */
const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, "g")) ?? []).length;

describe("interactive drill session in a terminal (tmux)", { skip: SKIP }, () => {
  test("answer a free-text drill over two lines, take the follow-up, answer it, read the summary", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill quorum-three-down", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      await pane.waitFor(/Enter on an empty line \(or Ctrl-D\) submits/);
      pane.type("Writes fail: only two nodes are up and W=3. Reads fail too, R=3.");
      pane.keys("Enter");
      await pane.waitFor(/› Writes fail[^\n]*\n› *$/m);
      pane.type("R+W>N still holds (3+3>5); a sloppy quorum with hinted handoff keeps writes going, at the cost of stale reads.");
      pane.keys("Enter");
      await pane.waitFor(/› R\+W>N[^\n]*\n› *$/m);
      // An empty line ends the answer.
      pane.keys("Enter");
      let screen = await pane.waitFor(/How did that go\?/);
      assert.match(screen, /Score \d+% — strong ✓ passed/);
      assert.match(screen, /✓ R \+ W > N still holds/);
      assert.match(screen, /Model answer/);
      assert.doesNotMatch(screen, /\u001b\[3\dm/, "NO_COLOR: no colour codes");
      pane.keys("Enter");
      await pane.waitFor(/Interviewer follow-up: “N=5, W=2, R=4 with three nodes down” — take it\?/);
      pane.keys("Enter");
      await pane.waitFor(/a\) Both reads and writes fail/);
      pane.keys("Down", "Enter");
      screen = await pane.waitFor(/Score 100% — correct ✓ passed[\s\S]*How did that go\?/);
      pane.keys("Enter");
      screen = await pane.waitFor(/EXIT=\d+/);
      assert.match(screen, /Session summary/);
      assert.match(screen, /│ quorum +│ 2 +│ 2 +│/);
      assert.match(screen, /EXIT=0/);
      assert.equal(count(screen, /How did that go\?/), 2);
      const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      assert.deepEqual(progress.reviews.map((r: { id: string; passed: boolean }) => [r.id, r.passed]), [["quorum-three-down", true], ["sc-quorum-w2-r4", true]]);
    } finally {
      pane.close();
    }
  });

  test("Ctrl-C in the middle of a session keeps the answers already given", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill sc-bad-delete", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      await pane.waitFor(/a\) Fail over to the synchronous replica/);
      pane.keys("Down", "Enter");
      await pane.waitFor(/How did that go\?/);
      pane.keys("Enter");
      // sc-bad-delete has no follow-up, so this session ends; a second one is interrupted at its follow-up prompt.
      await pane.waitFor(/EXIT=0/);
      pane.close();

      const second = new Pane("node bin/repl-lab.js drill --topic backups-and-pitr", { NO_COLOR: "1", REPL_LAB_HOME: dir });
      try {
        await second.waitFor(/Enter on an empty line \(or Ctrl-D\) submits/);
        // A pasted answer: several lines, with a blank line between paragraphs, arrives whole.
        second.type("PITR cannot reach nine days back.\n\nRestore the 30-day snapshots to a side instance\nand merge the rows.\n");
        await second.waitFor(/› and merge the rows\.\n› *$/m);
        second.keys("Enter");
        await second.waitFor(/How did that go\?/);
        second.keys("Enter");
        await second.waitFor(/Interviewer follow-up/);
        second.keys("C-c");
        const screen = await second.waitFor(/EXIT=\d+/);
        assert.match(screen, /✓ Restore a nightly base backup instead/, "the second paragraph of the paste was graded");
        assert.match(screen, /Stopped\. 1 answer was saved\./);
        assert.match(screen, /Session summary/);
        assert.match(screen, /EXIT=130/);
      } finally {
        second.close();
      }
      const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      assert.deepEqual(progress.reviews.map((r: { id: string }) => r.id), ["sc-bad-delete", "pitr-window-expired"]);
    } finally {
      pane.close();
    }
  });
  test("/edit with a broken $EDITOR says so and returns to the answer, keeping what was typed (found by a review)", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill pitr-window-expired", { NO_COLOR: "1", REPL_LAB_HOME: dir, EDITOR: "/nonexistent/editor", VISUAL: "" });
    try {
      await pane.waitFor(/Enter on an empty line \(or Ctrl-D\) submits/);
      pane.type("PITR cannot reach back nine days.");
      pane.keys("Enter");
      await pane.waitFor(/› PITR cannot[^\n]*\n› *$/m);
      pane.type("/edit");
      pane.keys("Enter");
      await pane.waitFor(/could not start the editor "\/nonexistent\/editor" \(from \$EDITOR\)[\s\S]*Set VISUAL or EDITOR[\s\S]*\n› *$/m);
      pane.type("Restore the daily snapshot onto a side instance.");
      pane.keys("Enter");
      await pane.waitFor(/› Restore the daily[^\n]*\n› *$/m);
      pane.keys("Enter");
      let screen = await pane.waitFor(/How did that go\?/);
      assert.doesNotMatch(screen, /LaunchEditorError/);
      assert.match(screen, /✓ PITR cannot reach back nine days/, "the line typed before /edit was graded");
      pane.keys("Enter");
      await pane.waitFor(/Interviewer follow-up/);
      pane.type("n");
      pane.keys("Enter");
      screen = await pane.waitFor(/EXIT=\d+/);
      assert.match(screen, /EXIT=0/);
      const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      assert.deepEqual(progress.reviews.map((r: { id: string }) => r.id), ["pitr-window-expired"]);
    } finally {
      pane.close();
    }
  });

  test("Ctrl-C at the rating prompt keeps the graded answer (found by a review)", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill sc-bad-delete", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      await pane.waitFor(/a\) Fail over to the synchronous replica/);
      pane.keys("Down", "Enter");
      await pane.waitFor(/Score 100%[\s\S]*How did that go\?/);
      pane.keys("C-c");
      const screen = await pane.waitFor(/EXIT=\d+/);
      assert.match(screen, /Stopped\. 1 answer was saved\./);
      assert.match(screen, /EXIT=130/);
      const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      assert.deepEqual(progress.reviews.map((r: { id: string; rating: number }) => [r.id, r.rating]), [["sc-bad-delete", 3]]);
    } finally {
      pane.close();
    }
  });

  test("in an 80-column terminal the prompts wrap between words, options under their text (found by a review)", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill sc-bad-delete", { NO_COLOR: "1", REPL_LAB_HOME: dir }, 80);
    try {
      // capture-pane -J joins lines the terminal wrapped: any such line is wider than 80.
      let screen = await pane.waitFor(/❯ a\) Fail over to the synchronous replica[\s\S]*d\) Nothing/);
      const wide = (text: string) => text.split("\n").filter((l) => [...l.trimEnd()].length > 80);
      assert.deepEqual(wide(screen), []);
      // In the prompt (the question above lists the options too): option b continues under its text, not at column 0.
      const prompt = screen.slice(screen.indexOf("? Your answer"));
      assert.match(prompt, /^ {2}b\) Point-in-time restore[^\n]*\n {5}\S/m, "option b continues under its text");
      pane.keys("Down", "Enter");
      screen = await pane.waitFor(/How did that go\?[\s\S]*Good \(suggested\)/);
      assert.deepEqual(wide(screen), []);
      pane.keys("Enter");
      await pane.waitFor(/EXIT=0/);
    } finally {
      pane.close();
    }
  });

  test("Enter on an empty line skips the drill with nothing recorded; Ctrl-D submits typed text", { timeout: 240_000 }, async () => {
    const dir = home();
    const pane = new Pane("node bin/repl-lab.js drill quorum-three-down", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      await pane.waitFor(/Enter on an empty line \(or Ctrl-D\) submits · empty skips/);
      pane.keys("Enter");
      await pane.waitFor(/You submitted an empty answer\. What now\?/);
      pane.keys("Enter");
      const screen = await pane.waitFor(/EXIT=\d+/);
      assert.match(screen, /Skipped — no review recorded/);
      assert.match(screen, /Skipped \(no review recorded\): quorum-three-down/);
      assert.match(screen, /EXIT=0/);
      assert.doesNotMatch(screen, /› \?/, "the answer prompt's marker is erased before the next question");
      assert.deepEqual(readdirSync(dir), [], "no progress written");
    } finally {
      pane.close();
    }
    const second = new Pane("node bin/repl-lab.js drill followup-replica-lag", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      await second.waitFor(/Enter on an empty line \(or Ctrl-D\) submits/);
      second.type("Take it out of the read pool so reads go to the leader, then find out why it lags.");
      second.keys("C-d");
      await second.waitFor(/How did that go\?/);
      second.keys("Enter");
      await second.waitFor(/Interviewer follow-up/);
      second.type("n");
      second.keys("Enter");
      const screen = await second.waitFor(/EXIT=\d+/);
      assert.match(screen, /EXIT=0/);
      const progress = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      assert.deepEqual(progress.reviews.map((r: { id: string }) => r.id), ["followup-replica-lag"]);
    } finally {
      second.close();
    }
    const stats = new Pane("node bin/repl-lab.js drill stats", { NO_COLOR: "1", REPL_LAB_HOME: dir });
    try {
      const screen = await stats.waitFor(/EXIT=\d+/);
      assert.match(screen, /1 of \d+ practised · nothing due · next due in \d+m/);
    } finally {
      stats.close();
    }
  });
});
