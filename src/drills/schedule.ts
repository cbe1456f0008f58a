// Spaced repetition with FSRS (ts-fsrs). Fuzz is off and `now` is always
// passed in, so a schedule is a pure function of the review history and
// tests can walk a card through weeks in milliseconds. Cards are stored as
// plain JSON with epoch milliseconds (no Date objects on disk).
import { createEmptyCard, fsrs, generatorParameters, Rating, type Card, type Grade as FsrsGrade } from "ts-fsrs";
import type { Band } from "./types.js";

export { Rating };

export interface StoredCard {
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  /** 0 new, 1 learning, 2 review, 3 relearning (ts-fsrs State). */
  state: number;
  last_review: number | null;
}

const scheduler = fsrs(generatorParameters({ enable_fuzz: false }));

export const RATING_NAMES: Record<FsrsGrade, string> = { [Rating.Again]: "Again", [Rating.Hard]: "Hard", [Rating.Good]: "Good", [Rating.Easy]: "Easy" };

/** The rating a grade suggests; the user may override it, as in Anki. */
export function suggestedRating(band: Band): FsrsGrade {
  return band === "strong" ? Rating.Good : band === "partial" ? Rating.Hard : Rating.Again;
}

function toCard(stored: StoredCard): Card {
  return {
    due: new Date(stored.due),
    stability: stored.stability,
    difficulty: stored.difficulty,
    elapsed_days: stored.elapsed_days,
    scheduled_days: stored.scheduled_days,
    learning_steps: stored.learning_steps,
    reps: stored.reps,
    lapses: stored.lapses,
    state: stored.state,
    last_review: stored.last_review === null ? undefined : new Date(stored.last_review),
  };
}

function fromCard(card: Card): StoredCard {
  return {
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ? card.last_review.getTime() : null,
  };
}

export function newCard(nowMs: number): StoredCard {
  return fromCard(createEmptyCard(new Date(nowMs)));
}

/** The card after a review at `nowMs` with `rating`. */
export function reviewCard(card: StoredCard | undefined, rating: FsrsGrade, nowMs: number): StoredCard {
  const current = toCard(card ?? newCard(nowMs));
  // FSRS refuses a review dated before the last one. Clocks do go backwards (another machine
  // sharing the folder, a corrected clock): treat such a review as happening at the last one.
  const at = card?.last_review != null && nowMs < card.last_review ? card.last_review : nowMs;
  return fromCard(scheduler.next(current, new Date(at), rating).card);
}

export function isDue(card: StoredCard, nowMs: number): boolean {
  return card.due <= nowMs;
}
