// Progress on disk: one versioned JSON file (epoch milliseconds throughout)
// in the user's state directory.
//
// - Atomic: every write goes to a temporary file in the same directory,
//   is flushed, then renamed over the old one, so a reader (or a crash)
//   sees the old file or the new one, never half of each.
// - Serialised: a writer holds a lock directory (mkdir is atomic) while it
//   re-reads, applies its change and renames, so two sessions answering at
//   once both keep their answers. A lock left by a dead process goes stale.
// - Honest about damage: a file that does not parse is moved aside as
//   progress.corrupt-<time>.json with a warning, never silently replaced.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "../model/diagnostics.js";
import type { StoredCard } from "./schedule.js";

export const PROGRESS_VERSION = 1;
export const PROGRESS_FILE = "progress.json";
/** Reviews kept (newest); older ones only fed the statistics. */
export const MAX_REVIEWS = 10_000;
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export interface ReviewRecord {
  id: string;
  topic: string;
  kind: string;
  score: number;
  passed: boolean;
  /** FSRS rating given: 1 Again, 2 Hard, 3 Good, 4 Easy. */
  rating: number;
  atMs: number;
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  updatedMs: number;
  cards: Record<string, StoredCard>;
  reviews: ReviewRecord[];
}

const cardSchema = z.object({
  due: z.number(),
  stability: z.number(),
  difficulty: z.number(),
  elapsed_days: z.number(),
  scheduled_days: z.number(),
  learning_steps: z.number(),
  reps: z.number(),
  lapses: z.number(),
  state: z.number().int().min(0).max(3),
  last_review: z.number().nullable(),
});
const progressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  updatedMs: z.number(),
  cards: z.record(z.string(), cardSchema),
  reviews: z.array(z.object({ id: z.string(), topic: z.string(), kind: z.string(), score: z.number(), passed: z.boolean(), rating: z.number(), atMs: z.number() })),
});

export function emptyProgress(nowMs: number): Progress {
  return { version: PROGRESS_VERSION, updatedMs: nowMs, cards: {}, reviews: [] };
}

export class ProgressStore {
  readonly dir: string;
  readonly path: string;
  private readonly warn: (message: string) => void;
  private readonly now: () => number;

  constructor(dir: string, options: { warn?: (message: string) => void; now?: () => number } = {}) {
    this.dir = dir;
    this.path = join(dir, PROGRESS_FILE);
    this.warn = options.warn ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  /** The saved progress, or empty progress when there is none yet (or it was corrupt and moved aside). */
  load(): Progress {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyProgress(this.now());
      throw new UsageError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return this.setAside("it is not valid JSON");
    }
    const version = (data as { version?: unknown } | null)?.version;
    if (typeof version === "number" && version > PROGRESS_VERSION) {
      throw new UsageError(`${this.path} was written by a newer repl-lab (progress version ${version}; this one reads ${PROGRESS_VERSION}); upgrade, or set REPL_LAB_HOME to use another folder`);
    }
    const parsed = progressSchema.safeParse(data);
    if (!parsed.success) return this.setAside(`it does not have the expected shape (${parsed.error.issues[0]?.path.join(".") || "top level"}: ${parsed.error.issues[0]?.message})`);
    return parsed.data as Progress;
  }

  /**
   * Applies a change under the lock: re-read what is on disk now (another
   * session may have written since we loaded), change it, write it atomically.
   */
  update(change: (progress: Progress) => void): Progress {
    mkdirSync(this.dir, { recursive: true });
    const release = this.lock();
    try {
      const progress = this.load();
      change(progress);
      if (progress.reviews.length > MAX_REVIEWS) progress.reviews.splice(0, progress.reviews.length - MAX_REVIEWS);
      progress.updatedMs = this.now();
      this.writeAtomically(`${JSON.stringify(progress, null, 1)}\n`);
      return progress;
    } finally {
      release();
    }
  }

  /** Records one answered drill and its new card. */
  record(review: ReviewRecord, card: (previous: StoredCard | undefined) => StoredCard): Progress {
    return this.update((progress) => {
      progress.cards[review.id] = card(progress.cards[review.id]);
      progress.reviews.push(review);
    });
  }

  private setAside(reason: string): Progress {
    const aside = join(this.dir, `progress.corrupt-${this.now()}.json`);
    try {
      renameSync(this.path, aside);
      this.warn(`${this.path} could not be read (${reason}); it was kept as ${aside} and progress starts afresh`);
    } catch (error) {
      this.warn(`${this.path} could not be read (${reason}) nor moved aside (${(error as Error).message}); progress starts afresh`);
    }
    return emptyProgress(this.now());
  }

  private writeAtomically(text: string): void {
    const temp = join(this.dir, `.${PROGRESS_FILE}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    try {
      // Make the rename itself durable; not every platform can open a directory.
      const dirFd = openSync(this.dir, "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // Best effort only.
    }
  }

  private lock(): () => void {
    const lockDir = join(this.dir, `${PROGRESS_FILE}.lock`);
    const deadline = Date.now() + LOCK_WAIT_MS;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      try {
        mkdirSync(lockDir);
        return () => {
          try {
            rmdirSync(lockDir);
          } catch {
            // Already gone (broken as stale by another process): nothing to release.
          }
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > LOCK_STALE_MS) {
          rmdirSync(lockDir);
          continue;
        }
      } catch {
        continue;
      }
      if (Date.now() > deadline) throw new UsageError(`${lockDir} is held by another repl-lab; if none is running, remove that folder`);
      Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 20));
    }
  }
}
