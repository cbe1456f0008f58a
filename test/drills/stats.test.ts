// Statistics from progress: due and new cards, accuracy per topic, the streak
// across local days — all from an injected clock.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Rating, reviewCard } from "../../src/drills/schedule.js";
import { computeStats, dueDrills, newDrills, streak } from "../../src/drills/stats.js";
import { emptyProgress, type Progress } from "../../src/drills/store.js";
import { Chalk } from "chalk";
import { scheduleLine, when } from "../../src/report/drill/tables.js";
import { catalog } from "./helpers.js";

const DAY = 86_400_000;
const NOON = new Date(2026, 4, 20, 12, 0, 0).getTime();

function progressWith(entries: Array<{ id: string; topic: string; passed: boolean; score: number; atMs: number }>): Progress {
  const progress = emptyProgress(NOON);
  for (const e of entries) {
    progress.reviews.push({ ...e, kind: "text", rating: e.passed ? Rating.Good : Rating.Again });
    progress.cards[e.id] = reviewCard(progress.cards[e.id], e.passed ? Rating.Good : Rating.Again, e.atMs);
  }
  return progress;
}

describe("drill statistics", () => {
  test("the streak counts consecutive local days, alive until a whole day passes empty", () => {
    const days = (...back: number[]) => progressWith(back.map((b) => ({ id: "quorum-three-down", topic: "quorum", passed: true, score: 1, atMs: NOON - b * DAY })));
    assert.equal(streak(days(0, 1, 2), NOON), 3);
    assert.equal(streak(days(1, 2), NOON), 2, "nothing yet today: yesterday's streak still counts");
    assert.equal(streak(days(0, 2, 3), NOON), 1);
    assert.equal(streak(days(2, 3), NOON), 0);
    assert.equal(streak(emptyProgress(NOON), NOON), 0);
  });

  test("accuracy and mean score per topic; due and new cards", () => {
    const c = catalog();
    const progress = progressWith([
      { id: "quorum-three-down", topic: "quorum", passed: true, score: 0.9, atMs: NOON - 3 * DAY },
      { id: "sc-quorum-w2-r4", topic: "quorum", passed: false, score: 0, atMs: NOON - 3 * DAY },
      { id: "failover-sequence", topic: "failover", passed: true, score: 0.8, atMs: NOON },
    ]);
    const stats = computeStats(c, progress, NOON);
    const quorum = stats.topics.find((t) => t.topic === "quorum")!;
    assert.equal(quorum.attempts, 2);
    assert.equal(quorum.accuracy, 0.5);
    assert.equal(quorum.meanScore, 0.45);
    assert.equal(stats.attempts, 3);
    assert.equal(stats.accuracy, 0.667);
    assert.equal(stats.answeredToday, 1);
    assert.equal(stats.seen, 3);
    // Three days on, the two quorum cards (answered then) are due; the one answered today is not.
    assert.deepEqual(dueDrills(c, progress, NOON).map((d) => d.id).sort(), ["quorum-three-down", "sc-quorum-w2-r4"]);
    assert.ok(!stats.due.includes("failover-sequence"));
    assert.equal(newDrills(c, progress).length, c.drills.length - 3);
    assert.ok(stats.nextDueMs !== null && stats.nextDueMs > NOON);
  });

  test("the schedule in words, for every combination (never “0 due now · next due in 0m”)", () => {
    const plain = new Chalk({ level: 0 });
    assert.equal(scheduleLine(0, null, NOON, plain), "nothing due, nothing scheduled");
    assert.equal(scheduleLine(0, NOON + 20_000, NOON, plain), "nothing due · next due in under a minute");
    assert.equal(scheduleLine(0, NOON + 3 * 3_600_000, NOON, plain), "nothing due · next due in 3h");
    assert.equal(scheduleLine(2, null, NOON, plain), "2 due now");
    assert.equal(scheduleLine(1, NOON + 2 * DAY, NOON, plain), "1 due now · more due in 2d");
    assert.equal(when(NOON - 1000, NOON), "now");
    assert.equal(when(NOON + 10 * 60_000, NOON), "in 10m");
    for (const line of [scheduleLine(0, NOON + 1, NOON, plain), scheduleLine(0, null, NOON, plain)]) {
      assert.doesNotMatch(line, /\b0 due|in 0m/);
    }
  });
});
