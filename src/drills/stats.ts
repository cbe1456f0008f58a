// Progress as numbers: which cards are due, accuracy per topic, the streak.
// Pure functions of (catalogue, progress, now), so they test without a clock.
import type { Catalog } from "./catalog.js";
import { isDue } from "./schedule.js";
import type { Progress } from "./store.js";
import { TOPICS, type Topic } from "./topics.js";
import type { Drill } from "./types.js";

export interface TopicStats {
  topic: Topic;
  drills: number;
  seen: number;
  due: number;
  attempts: number;
  passed: number;
  /** passed / attempts, or null before the first attempt. */
  accuracy: number | null;
  meanScore: number | null;
}

export interface Stats {
  drills: number;
  seen: number;
  due: string[];
  nextDueMs: number | null;
  attempts: number;
  accuracy: number | null;
  streakDays: number;
  answeredToday: number;
  topics: TopicStats[];
}

/** Drills whose card is due at `nowMs`, most overdue first. Drills never answered are new, not due. */
export function dueDrills(catalog: Catalog, progress: Progress, nowMs: number): Drill[] {
  return catalog.drills
    .filter((d) => progress.cards[d.id] !== undefined && isDue(progress.cards[d.id], nowMs))
    .sort((a, b) => progress.cards[a.id].due - progress.cards[b.id].due);
}

export function newDrills(catalog: Catalog, progress: Progress): Drill[] {
  return catalog.drills.filter((d) => progress.cards[d.id] === undefined);
}

/** A local calendar day, as the user lives it. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function previousDay(ms: number): number {
  const d = new Date(ms);
  d.setDate(d.getDate() - 1);
  return d.getTime();
}

/** Consecutive days with at least one answer, ending today (or yesterday: a streak lives until a day passes empty). */
export function streak(progress: Progress, nowMs: number): number {
  const days = new Set(progress.reviews.map((r) => dayKey(r.atMs)));
  let cursor = days.has(dayKey(nowMs)) ? nowMs : previousDay(nowMs);
  let count = 0;
  while (days.has(dayKey(cursor)) && count < 100_000) {
    count++;
    cursor = previousDay(cursor);
  }
  return count;
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

export function computeStats(catalog: Catalog, progress: Progress, nowMs: number): Stats {
  const due = dueDrills(catalog, progress, nowMs);
  const upcoming = catalog.drills.map((d) => progress.cards[d.id]?.due).filter((v): v is number => v !== undefined && v > nowMs);
  const topicOf = new Map(catalog.drills.map((d) => [d.id, d.topic]));
  const topics = TOPICS.map((topic): TopicStats => {
    const drills = catalog.drills.filter((d) => d.topic === topic);
    // A review counts under the drill's current topic when the drill still exists, else under the topic it was answered in.
    const reviews = progress.reviews.filter((r) => (topicOf.get(r.id) ?? r.topic) === topic);
    const passed = reviews.filter((r) => r.passed).length;
    return {
      topic,
      drills: drills.length,
      seen: drills.filter((d) => progress.cards[d.id] !== undefined).length,
      due: due.filter((d) => d.topic === topic).length,
      attempts: reviews.length,
      passed,
      accuracy: ratio(passed, reviews.length),
      meanScore: reviews.length === 0 ? null : Math.round((reviews.reduce((s, r) => s + r.score, 0) / reviews.length) * 1000) / 1000,
    };
  });
  const passed = progress.reviews.filter((r) => r.passed).length;
  return {
    drills: catalog.drills.length,
    seen: catalog.drills.filter((d) => progress.cards[d.id] !== undefined).length,
    due: due.map((d) => d.id),
    nextDueMs: upcoming.length > 0 ? Math.min(...upcoming) : null,
    attempts: progress.reviews.length,
    accuracy: ratio(passed, progress.reviews.length),
    streakDays: streak(progress, nowMs),
    answeredToday: progress.reviews.filter((r) => dayKey(r.atMs) === dayKey(nowMs)).length,
    topics,
  };
}
