// FSRS scheduling with an injected clock and fuzz off: the same reviews give
// the same schedule, better ratings push the next review further out, and a
// card walks from new through learning to review over simulated weeks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isDue, newCard, Rating, reviewCard, suggestedRating } from "../../src/drills/schedule.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe("scheduling (FSRS)", () => {
  test("the band suggests the rating", () => {
    assert.equal(suggestedRating("strong"), Rating.Good);
    assert.equal(suggestedRating("partial"), Rating.Hard);
    assert.equal(suggestedRating("weak"), Rating.Again);
  });

  test("a new card is due at once", () => {
    assert.ok(isDue(newCard(T0), T0));
  });

  test("deterministic: the same review at the same time gives the same card", () => {
    assert.deepEqual(reviewCard(undefined, Rating.Good, T0), reviewCard(undefined, Rating.Good, T0));
  });

  test("better ratings are scheduled later", () => {
    const due = (rating: 1 | 2 | 3 | 4) => reviewCard(undefined, rating, T0).due;
    assert.ok(due(Rating.Again) < due(Rating.Hard));
    assert.ok(due(Rating.Hard) <= due(Rating.Good));
    assert.ok(due(Rating.Good) < due(Rating.Easy));
    assert.ok(due(Rating.Easy) - T0 >= DAY, "easy waits at least a day");
  });

  test("answering well each time it is due stretches the interval", () => {
    let card = reviewCard(undefined, Rating.Good, T0);
    let now = T0;
    const intervals: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = Math.max(card.due, now + 60_000);
      assert.ok(isDue(card, now));
      card = reviewCard(card, Rating.Good, now);
      intervals.push(card.due - now);
    }
    assert.equal(card.reps, 7);
    assert.equal(card.state, 2, "in review");
    for (let i = 1; i < intervals.length; i++) assert.ok(intervals[i] >= intervals[i - 1], `interval ${i} shrank`);
    assert.ok(intervals[intervals.length - 1] > 7 * DAY, "a week or more apart by now");
  });

  test("a review dated before the last one (a clock that went back) is taken as simultaneous, not an error", () => {
    const card = reviewCard(undefined, Rating.Good, T0);
    const earlier = reviewCard(card, Rating.Good, T0 - DAY);
    assert.equal(earlier.last_review, T0);
  });

  test("a lapse brings the card back soon and counts", () => {
    let card = reviewCard(undefined, Rating.Easy, T0);
    const now = card.due;
    card = reviewCard(card, Rating.Again, now);
    assert.equal(card.lapses, 1);
    assert.ok(card.due - now < DAY);
    assert.equal(card.last_review, now);
  });
});
