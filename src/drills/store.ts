// Progress on disk: one versioned JSON file (epoch milliseconds throughout)
// in the user's state directory.
//
// - Atomic: every write goes to a temporary file in the same directory,
//   is flushed, then renamed over the old one, so a reader (or a crash)
//   sees the old file or the new one, never half of each.
// - Serialised: a writer holds a lock directory, progress.json.lock (mkdir is
//   atomic), while it re-reads, applies its change and renames, so two
//   sessions answering at once both keep their answers. The lock's file
//   `owner` holds "PID HOST": a lock whose owner on this host is gone (kill -9
//   mid-save) is taken over at once; any lock older than a save could take is
//   stale. Temporary files a killed save left behind are removed.
// - Honest about damage: a file that does not parse, does not have the shape
//   of a progress file, is no regular file or is above MAX_PROGRESS_BYTES is
//   refused at its line and column (exit 2) and left as it is: never moved
//   aside, never written over, nothing saved until it is fixed.
import { makeDirectory } from "../base/make-dir.js";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import * as z from "zod/mini";
import "../model/zod-locale.js"; // English messages (the error quotes zod's): zod/mini installs no locale
import { InputError, UsageError } from "../model/diagnostics.js";
import { jsonErrorPosition, jsonValuePosition } from "../model/json-position.js";
import { readBounded } from "../model/yaml.js";
import type { StoredCard } from "./schedule.js";

export const PROGRESS_VERSION = 1;
export const PROGRESS_FILE = "progress.json";
/** Reviews kept (newest); older ones only fed the statistics. */
export const MAX_REVIEWS = 10_000;
/**
 * The largest progress file read: a file repl-lab wrote stays far below it (10,000 reviews of about 200 bytes,
 * a card of about 260 bytes per drill answered). Only a regular file is read, and only this much of it: a FIFO
 * would block for ever, a link to /dev/zero never ends, and a huge file would take gigabytes to parse.
 */
export const MAX_PROGRESS_BYTES = 32 * 1024 * 1024;
/** A save holds the lock for milliseconds: a lock this old is stale whoever owns it. */
const LOCK_STALE_MS = 10_000;
/** Waiting gives up only after a lock could have gone stale, so a dead owner never costs an answer. */
const LOCK_WAIT_MS = 12_000;
const TEMP_FILE = /^\.progress\.json\..+\.tmp$/;

/** Who holds a lock: "PID HOST" in the lock's `owner` file. */
interface LockOwner {
  pid: number;
  host: string;
}

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
  state: z.number().check(z.int(), z.minimum(0), z.maximum(3)),
  last_review: z.nullable(z.number()),
});
const progressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  updatedMs: z.number(),
  cards: z.record(z.string(), cardSchema),
  reviews: z.array(z.object({ id: z.string(), topic: z.string(), kind: z.string(), score: z.number(), passed: z.boolean(), rating: z.number(), atMs: z.number() })),
});

/** A progress file that cannot be read, at a line and column (exit 2, as every bad input). */
export class ProgressFileError extends UsageError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, at: { line: number; column: number }, message: string) {
    super(`${file}:${at.line}:${at.column}: ${message}`);
    this.file = file;
    this.line = at.line;
    this.column = at.column;
  }
}

export function emptyProgress(nowMs: number): Progress {
  return { version: PROGRESS_VERSION, updatedMs: nowMs, cards: {}, reviews: [] };
}

export class ProgressStore {
  readonly dir: string;
  readonly path: string;
  private readonly now: () => number;

  private readonly lockWaitMs: number;

  constructor(dir: string, options: { now?: () => number; lockWaitMs?: number } = {}) {
    this.dir = dir;
    this.path = join(dir, PROGRESS_FILE);
    this.now = options.now ?? Date.now;
    this.lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
  }

  /** The saved progress, or empty progress when there is none yet (or it was corrupt and moved aside). */
  load(): Progress {
    let text: string;
    try {
      text = readBounded(this.path, MAX_PROGRESS_BYTES, "the drill progress file (JSON)").toString("utf8");
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if (!existsSync(this.path)) return emptyProgress(this.now());
      // "path:1:1: is a named pipe (FIFO), …; expected the drill progress file (JSON)": the file itself is at fault.
      throw new UsageError(error.message);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw this.unreadable(jsonErrorPosition(text) ?? { line: 1, column: 1 }, "is not valid JSON");
    }
    const version = (data as { version?: unknown } | null)?.version;
    if (typeof version === "number" && version > PROGRESS_VERSION) {
      throw new UsageError(`${this.path} was written by a newer repl-lab (progress version ${version}; this one reads ${PROGRESS_VERSION}); upgrade, or set REPL_LAB_HOME to use another folder`);
    }
    const parsed = progressSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? `"${issue.path.join(".")}": ` : "";
      throw this.unreadable(jsonValuePosition(text, issue.path), `does not have the shape of a progress file (${where}${issue.message.replace(/^Invalid input: /, "")})`);
    }
    return parsed.data as Progress;
  }

  /**
   * A progress file that cannot be read is bad input, at its line and column: it holds what the user earned, so it
   * is never moved aside nor written over, and nothing is saved until it is fixed.
   */
  private unreadable(at: { line: number; column: number }, what: string): ProgressFileError {
    return new ProgressFileError(this.path, at, `${what}; expected the drill progress file (JSON). It is left as it is, with your answers in it: fix it, or move it aside to start afresh`);
  }

  /**
   * Applies a change under the lock: re-read what is on disk now (another
   * session may have written since we loaded), change it, write it atomically.
   */
  update(change: (progress: Progress) => void): Progress {
    try {
      return this.updateLocked(change);
    } catch (error) {
      // Only the file system's errors (they carry a code); anything else is a bug, reported as one.
      if (error instanceof UsageError || typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
      // A folder that cannot be made or written (read-only home, no space): name the file, as loading does.
      throw new UsageError(`cannot save ${this.path}: ${(error as Error).message}`);
    }
  }

  private updateLocked(change: (progress: Progress) => void): Progress {
    makeDirectory(this.dir);
    const release = this.lock();
    try {
      this.removeOrphanedTemps();
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

  /** Under the lock no save is under way, so every temporary file here is one a killed save left. */
  private removeOrphanedTemps(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (TEMP_FILE.test(name)) rmSync(join(this.dir, name), { force: true });
  }

  private lock(): () => void {
    const lockDir = join(this.dir, `${PROGRESS_FILE}.lock`);
    const deadline = Date.now() + this.lockWaitMs;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      if (tryLock(lockDir)) return () => unlock(lockDir);
      const owner = readOwner(lockDir);
      if (isStale(lockDir, owner)) {
        breakStale(lockDir, owner);
        continue;
      }
      if (Date.now() > deadline) {
        const who = owner ? `process ${owner.pid} on ${owner.host}` : "another repl-lab";
        throw new UsageError(`${lockDir} is held by ${who}; if that is not a running repl-lab, remove that folder`);
      }
      Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 20));
    }
  }
}

/** Takes the lock: the directory, then its owner file (written aside and renamed in, so it is never half there). */
function tryLock(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  const temp = join(lockDir, `owner.${process.pid}.tmp`);
  writeFileSync(temp, `${process.pid} ${hostname()}\n`);
  renameSync(temp, join(lockDir, "owner"));
  return true;
}

function unlock(lockDir: string): void {
  rmSync(join(lockDir, "owner"), { force: true });
  // A process judging the lock may hold lockDir/takeover for an instant: retry briefly.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      rmdirSync(lockDir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") return;
    }
    Atomics.wait(pause, 0, 0, 2);
  }
}

function readOwner(lockDir: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(join(lockDir, "owner"), "utf8");
  } catch {
    return null;
  }
  const [pid, host] = text.trim().split(" ");
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 && host ? { pid: n, host } : null;
}

/** Whether a process with this PID exists (signal 0 checks without sending anything). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Stale: its owner on this host is gone, or it is older than any save could hold it. */
function isStale(lockDir: string, owner: LockOwner | null): boolean {
  if (owner && owner.host === hostname() && !processExists(owner.pid)) return true;
  try {
    return Date.now() - statSync(lockDir).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false; // Gone already: the next attempt takes it.
  }
}

/**
 * Removes a stale lock, one taker at a time: the taker holds lockDir/takeover
 * (mkdir is atomic) and checks that the owner is still the one it judged, so
 * that a lock taken afresh by another process in between is never removed.
 */
function breakStale(lockDir: string, judged: LockOwner | null): void {
  const takeover = join(lockDir, "takeover");
  try {
    mkdirSync(takeover);
  } catch {
    // Another process is taking it over, or it is gone; a takeover left by a taker that was killed goes stale too.
    try {
      if (Date.now() - statSync(takeover).mtimeMs > LOCK_STALE_MS) rmdirSync(takeover);
    } catch {
      // Gone.
    }
    return;
  }
  const now = readOwner(lockDir);
  const same = now === null ? judged === null : judged !== null && now.pid === judged.pid && now.host === judged.host;
  if (same) {
    rmSync(join(lockDir, "owner"), { force: true });
    for (const name of safeList(lockDir)) if (name.startsWith("owner.")) rmSync(join(lockDir, name), { force: true });
  }
  rmdirSync(takeover);
  if (same) {
    try {
      rmdirSync(lockDir);
    } catch {
      // Someone else's now; the next attempt judges it afresh.
    }
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
