// The interactive session with a scripted prompter: the prompt each kind
// asks, the rating and its override, the interviewer's follow-up chain, a
// menu path, and Ctrl-C keeping what was already answered.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Chalk } from "chalk";
import type { Choice, Prompter } from "../../src/drills/prompter-types.js";
import { Rating } from "../../src/drills/schedule.js";
import { runSession } from "../../src/cli/drill-session.js";
import { ProgressStore } from "../../src/drills/store.js";
import { catalog } from "./helpers.js";

type Step = { kind: "select" | "search" | "checkbox" | "input" | "confirm" | "multiline"; answer: unknown; expect?: RegExp };

class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  constructor(private readonly steps: Step[]) {}
  private next(kind: Step["kind"], message: string, choices?: Array<Choice<unknown>>): unknown {
    this.asked.push(`${kind}: ${message}`);
    const step = this.steps.shift();
    if (!step) throw new Error(`unscripted ${kind} prompt: ${message}`);
    assert.equal(step.kind, kind, `expected a ${step.kind} prompt, got ${kind}: ${message}`);
    if (step.expect) assert.match(message, step.expect);
    if (step.answer instanceof Error) throw step.answer;
    if (typeof step.answer === "function") return (step.answer as (c?: Array<Choice<unknown>>) => unknown)(choices);
    return step.answer;
  }
  async select<T>(message: string, choices: Array<Choice<T>>, defaultValue?: T): Promise<T> {
    const answer = this.next("select", message, choices as Array<Choice<unknown>>);
    return (answer === "default" ? defaultValue : answer) as T;
  }
  async search<T>(message: string, choices: Array<Choice<T>>): Promise<T> {
    return this.next("search", message, choices as Array<Choice<unknown>>) as T;
  }
  async checkbox<T>(message: string, choices: Array<Choice<T>>): Promise<T[]> {
    return this.next("checkbox", message, choices as Array<Choice<unknown>>) as T[];
  }
  async input(message: string, validate?: (value: string) => true | string): Promise<string> {
    const answer = this.next("input", message) as string;
    if (validate) assert.equal(validate(answer), true);
    return answer;
  }
  async confirm(message: string): Promise<boolean> {
    return this.next("confirm", message) as boolean;
  }
  async multiline(message: string): Promise<string> {
    return this.next("multiline", message) as string;
  }
}

function exitError(): Error {
  const error = new Error("User force closed the prompt with SIGINT");
  error.name = "ExitPromptError";
  return error;
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function setup(steps: Step[]) {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-session-"));
  dirs.push(dir);
  let now = Date.UTC(2026, 5, 1, 10, 0, 0);
  const output: string[] = [];
  const store = new ProgressStore(dir, { now: () => now });
  const prompter = new ScriptedPrompter(steps);
  const deps = { catalog: catalog(), store, prompter, out: (t: string) => output.push(t), color: new Chalk({ level: 0 }), now: () => (now += 1000) };
  return { deps, store, prompter, output: () => output.join("\n") };
}

const STRONG_FAILOVER =
  "Patroni detects the dead leader via its lease, fences the old primary with STONITH, promotes the sync replica in AZ-B (RPO 0, it has every acknowledged write), flips DNS so clients reconnect, repoints the async replicas and rebuilds AZ-A. RTO under 30s.";

describe("interactive session", () => {
  test("a single-choice drill: select, feedback, suggested rating saved", async () => {
    const { deps, store, output } = setup([
      { kind: "select", expect: /Your answer/, answer: "b" },
      { kind: "select", expect: /How did that go/, answer: "default" },
    ]);
    const outcome = await runSession(deps, { id: "sc-quorum-w2-r4" });
    assert.equal(outcome.interrupted, false);
    assert.equal(outcome.answered.length, 1);
    assert.equal(outcome.answered[0].grade.passed, true);
    assert.match(output(), /Score 100% — correct ✓ passed/);
    assert.match(output(), /Session summary/);
    const progress = store.load();
    assert.equal(progress.reviews[0].rating, Rating.Good);
    assert.ok(progress.cards["sc-quorum-w2-r4"]);
  });

  test("the follow-up chain, and a rating overridden by the user", async () => {
    const { deps, store, prompter, output } = setup([
      { kind: "multiline", answer: STRONG_FAILOVER },
      { kind: "select", expect: /How did that go/, answer: Rating.Easy },
      { kind: "confirm", expect: /Interviewer follow-up: “Walk me through failover/, answer: true },
      { kind: "multiline", answer: "Heartbeats stop, it gets promoted, DNS changes. Maybe split brain." },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: false },
    ]);
    const outcome = await runSession(deps, { id: "failover-sequence" });
    assert.deepEqual(outcome.answered.map((a) => a.drill.id), ["failover-sequence", "followup-failover-timeline"]);
    assert.equal(outcome.answered[0].grade.band, "strong");
    assert.match(output(), /✓ Fence the old leader/);
    assert.match(output(), /Likely follow-up/);
    const reviews = store.load().reviews;
    assert.deepEqual(reviews.map((r) => [r.id, r.rating]), [["failover-sequence", Rating.Easy], ["followup-failover-timeline", Rating.Again]]);
    assert.equal(prompter.asked.length, 6);
  });

  test("each kind gets its prompt: ordering step by step, multiple by checkbox, numeric by input", async () => {
    const order = catalog().byId.get("ord-recovery-preference")!;
    assert.ok(order.kind === "ordering");
    const { deps } = setup([
      // Pick the steps in the right order by their text.
      ...order.steps.slice(0, -1).map((step): Step => ({ kind: "select", expect: /Step \d of 3/, answer: (choices?: Array<Choice<unknown>>) => choices!.find((c) => c.name.endsWith(step))!.value })),
      { kind: "select", answer: "default" },
    ]);
    const outcome = await runSession(deps, { id: "ord-recovery-preference" });
    assert.equal(outcome.answered[0].grade.score, 1);

    const multi = setup([
      { kind: "checkbox", answer: ["a", "b", "c", "e"] },
      { kind: "select", answer: "default" },
    ]);
    assert.equal((await runSession(multi.deps, { id: "mc-backup-story" })).answered[0].grade.passed, true);

    const numeric = setup([
      { kind: "input", answer: "30 s" },
      { kind: "select", answer: "default" },
    ]);
    assert.equal((await runSession(numeric.deps, { id: "num-patroni-detection-worst" })).answered[0].grade.passed, true);
  });

  test("the menu: a topic, then stop after the first drill", async () => {
    const { deps } = setup([
      { kind: "select", expect: /What would you like to practise/, answer: "topic" },
      { kind: "select", expect: /Which topic/, answer: "split brain" },
      { kind: "multiline", answer: "Use a witness in a third region; the cut-off primary's lease expires so it demotes itself." },
      { kind: "select", answer: "default" },
      { kind: "confirm", expect: /Next drill\? \(4 left/, answer: false },
    ]);
    const outcome = await runSession(deps, {});
    assert.equal(outcome.answered.length, 1);
    assert.equal(outcome.answered[0].drill.topic, "split brain");
  });

  test("Ctrl-C keeps what was answered", async () => {
    const { deps, store, output } = setup([
      { kind: "multiline", answer: "Both reads and writes fail: only 2 nodes, W=3 and R=3. R+W>N still holds." },
      { kind: "select", answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: true },
      { kind: "select", expect: /Your answer/, answer: exitError() },
    ]);
    const outcome = await runSession(deps, { topic: "quorum" });
    assert.equal(outcome.interrupted, true);
    assert.equal(outcome.answered.length, 1);
    assert.equal(store.load().reviews.length, 1);
    assert.match(output(), /Stopped\. 1 answer was saved\./);
  });

  test("Ctrl-C at the rating prompt keeps the graded answer, with the suggested rating (found by a review)", async () => {
    const { deps, store, output } = setup([
      { kind: "select", expect: /Your answer/, answer: "b" },
      { kind: "select", expect: /How did that go/, answer: exitError() },
    ]);
    const outcome = await runSession(deps, { id: "sc-bad-delete" });
    assert.equal(outcome.interrupted, true);
    assert.equal(outcome.answered.length, 1);
    assert.match(output(), /kept with the suggested rating \(Good\)/);
    assert.match(output(), /Stopped\. 1 answer was saved\./);
    const progress = store.load();
    assert.deepEqual(progress.reviews.map((r) => [r.id, r.rating]), [["sc-bad-delete", Rating.Good]]);
    assert.ok(progress.cards["sc-bad-delete"]);
  });

  test("a rating other than the suggested one re-rates the review already saved: one review, the card scheduled by the chosen rating", async () => {
    const again = setup([
      { kind: "select", expect: /Your answer/, answer: "b" },
      { kind: "select", expect: /How did that go/, answer: Rating.Again },
    ]);
    await runSession(again.deps, { id: "sc-bad-delete" });
    const good = setup([
      { kind: "select", expect: /Your answer/, answer: "b" },
      { kind: "select", expect: /How did that go/, answer: "default" },
    ]);
    await runSession(good.deps, { id: "sc-bad-delete" });
    const a = again.store.load();
    const g = good.store.load();
    assert.deepEqual(a.reviews.map((r) => [r.id, r.rating]), [["sc-bad-delete", Rating.Again]]);
    assert.ok(a.cards["sc-bad-delete"].due < g.cards["sc-bad-delete"].due, "Again schedules sooner than Good");
    assert.equal(a.cards["sc-bad-delete"].reps, 1, "rescheduled from the card before the review, not reviewed twice");
  });

  test("at a width, prompts wrap: a question continues under its text, an option under the text after its letter (found by a review)", async () => {
    const spy = (prompter: Prompter, asked: string[]): Prompter =>
      new Proxy(prompter, { get: (target, key) => (...args: unknown[]) => (asked.push(args[0] as string), (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key as string](...args)) });
    const asked: string[] = [];
    const first = setup([
      { kind: "multiline", answer: "PITR cannot reach back nine days; restore the daily snapshot onto a side instance." },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: false },
    ]);
    await runSession({ ...first.deps, prompter: spy(first.deps.prompter, asked), width: 80 }, { id: "pitr-window-expired" });
    const follow = asked.find((m) => m.startsWith("Interviewer follow-up"))!;
    const lines = follow.split("\n");
    assert.ok(lines.length > 1, follow);
    assert.ok(lines.every((l, i) => [...(i === 0 ? `? ${l}` : l)].length <= 80 - 6), "room for ? and (Y/n)");
    assert.ok(lines.slice(1).every((l) => /^ {2}\S/.test(l)), "continues under the question's text");

    let options: string[] = [];
    let shorts: string[] = [];
    const second = setup([
      { kind: "select", expect: /Your answer/, answer: (c?: Array<Choice<unknown>>) => ((options = c!.map((x) => x.name)), (shorts = c!.map((x) => x.short ?? x.name)), "b") },
      { kind: "select", expect: /How did that go/, answer: "default" },
    ]);
    await runSession({ ...second.deps, width: 80 }, { id: "sc-bad-delete" });
    for (const name of options) name.split("\n").forEach((line, i) => assert.ok([...(i === 0 ? `  ${line}` : line)].length <= 80, line));
    const b = options.find((n) => n.startsWith("b) "))!.split("\n");
    assert.ok(b.length > 1 && b.slice(1).every((l) => /^ {5}\S/.test(l)), `option b continues under its text:\n${b.join("\n")}`);
    // The answered prompt echoes the option after "✔ Your answer ", continuing under it.
    const echo = shorts[1].split("\n");
    assert.ok([...`✔ Your answer ${echo[0]}`].length <= 80 && echo.slice(1).every((l) => /^ {14}\S/.test(l) && [...l].length <= 80), shorts[1]);
  });

  test("without a width the prompts are passed as they are", async () => {
    const asked: string[] = [];
    const { deps } = setup([
      { kind: "select", answer: (c?: Array<Choice<unknown>>) => (asked.push(...(c ?? []).map((x) => x.name)), "b") },
      { kind: "select", answer: "default" },
    ]);
    await runSession(deps, { id: "sc-bad-delete" });
    assert.ok(asked.some((n) => n.startsWith("b) Point-in-time restore") && !n.includes("\n")));
  });

  test("generated practice: a fresh question each time, saved under the generator's id", async () => {
    const { deps, store, output } = setup([
      { kind: "select", expect: /What would you like to practise/, answer: "generated" },
      { kind: "select", expect: /Which generator/, answer: "gen-quorum-staleness" },
      { kind: "input", answer: "0.25" },
      { kind: "select", answer: "default" },
      { kind: "confirm", expect: /Another generated question/, answer: true },
      { kind: "input", answer: "0" },
      { kind: "select", answer: "default" },
      { kind: "confirm", expect: /Another generated question/, answer: false },
    ]);
    const outcome = await runSession(deps, {});
    assert.equal(outcome.answered.length, 2);
    assert.ok(outcome.answered.every((a) => a.grade.kind === "generated" && /^gen-quorum-staleness:\d+$/.test(a.grade.id)));
    assert.match(output(), /generated, seed \d+/);
    assert.deepEqual(store.load().reviews.map((r) => r.id), ["gen-quorum-staleness", "gen-quorum-staleness"]);
  });

  test("an empty answer can be skipped (nothing recorded, and the session says so)", async () => {
    const { deps, store, output } = setup([
      { kind: "multiline", answer: "" },
      { kind: "select", expect: /empty answer/, answer: (choices?: Array<Choice<unknown>>) => {
        assert.deepEqual(choices!.map((c) => c.value), ["skip", "submit", "again"]);
        return "skip";
      } },
    ]);
    const outcome = await runSession(deps, { id: "quorum-three-down" });
    assert.deepEqual(outcome.skipped, ["quorum-three-down"]);
    assert.equal(outcome.answered.length, 0);
    assert.equal(store.load().reviews.length, 0, "no review recorded");
    assert.equal(store.load().cards["quorum-three-down"], undefined, "the schedule is unchanged");
    assert.match(output(), /Skipped — no review recorded/);
    assert.match(output(), /Skipped \(no review recorded\): quorum-three-down/);
    assert.doesNotMatch(output(), /Model answer/, "no feedback for a skipped drill");
  });

  test("an empty answer can be submitted (graded and recorded) or answered after all", async () => {
    const submitted = setup([
      { kind: "multiline", answer: "  " },
      { kind: "select", expect: /empty answer/, answer: "submit" },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: false },
    ]);
    const outcome = await runSession(submitted.deps, { id: "quorum-three-down" });
    assert.equal(outcome.answered[0].grade.score, 0);
    assert.deepEqual(submitted.store.load().reviews.map((r) => [r.id, r.rating]), [["quorum-three-down", Rating.Again]]);

    const again = setup([
      { kind: "multiline", answer: "" },
      { kind: "select", expect: /empty answer/, answer: "again" },
      { kind: "multiline", answer: "Both reads and writes fail: only 2 nodes are up while W=3 and R=3 are needed." },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: false },
    ]);
    const second = await runSession(again.deps, { id: "quorum-three-down" });
    assert.ok(second.answered[0].grade.score > 0);
  });

  test("an empty number skips; it cannot be submitted empty", async () => {
    const { deps, store } = setup([
      { kind: "input", expect: /empty skips/, answer: "" },
      { kind: "select", expect: /empty answer/, answer: (choices?: Array<Choice<unknown>>) => {
        assert.deepEqual(choices!.map((c) => c.value), ["skip", "again"]);
        return "skip";
      } },
    ]);
    const outcome = await runSession(deps, { id: "num-patroni-detection-worst" });
    assert.deepEqual(outcome.skipped, ["num-patroni-detection-worst"]);
    assert.equal(store.load().reviews.length, 0);
  });

  test("a drill taken as a follow-up is not served again later in the same set", async () => {
    const { deps, output } = setup([
      { kind: "multiline", answer: "Both reads and writes fail: only 2 nodes, W=3 and R=3. R+W>N still holds." },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up: “N=5, W=2, R=4/, answer: true },
      { kind: "select", expect: /Your answer/, answer: "b" },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Next drill\? \(9 left in this set\)/, answer: true },
      { kind: "select", expect: /Your answer/, answer: exitError() },
    ]);
    const outcome = await runSession(deps, { topic: "quorum" });
    assert.deepEqual(outcome.answered.map((a) => a.drill.id), ["quorum-three-down", "sc-quorum-w2-r4"]);
    const served = output().match(/\[quorum · \w+ · ([a-z0-9-]+)\]/g) ?? [];
    assert.deepEqual(served, ["[quorum · text · quorum-three-down]", "[quorum · single · sc-quorum-w2-r4]", "[quorum · single · sc-leaderless-conflicts]"]);
  });

  test("…unless its card is due again by the time the set reaches it", async () => {
    const { deps, output } = setup([
      { kind: "multiline", answer: "Both reads and writes fail: only 2 nodes, W=3 and R=3. R+W>N still holds." },
      { kind: "select", expect: /How did that go/, answer: "default" },
      { kind: "confirm", expect: /Interviewer follow-up/, answer: true },
      { kind: "select", expect: /Your answer/, answer: "a" },
      { kind: "select", expect: /How did that go/, answer: Rating.Again },
      { kind: "confirm", expect: /Next drill\? \(10 left in this set\)/, answer: true },
      { kind: "select", expect: /Your answer/, answer: exitError() },
    ]);
    // An hour passes at every step: the lapse, scheduled minutes out, is due again.
    let clock = Date.UTC(2026, 5, 1, 10, 0, 0);
    deps.now = () => (clock += 3_600_000);
    await runSession(deps, { topic: "quorum" });
    assert.equal((output().match(/\[quorum · single · sc-quorum-w2-r4\]/g) ?? []).length, 2);
  });

  test("--due with nothing due says when the next card is", async () => {
    const { deps, output } = setup([]);
    const outcome = await runSession(deps, { due: true });
    assert.equal(outcome.answered.length, 0);
    assert.match(output(), /Nothing is due/);
  });
});
