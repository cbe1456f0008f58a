// `simulate --watch`: run, then run again whenever one of the input files
// changes. The folders holding the files are watched (not the files), so an
// editor that saves by writing a new file and renaming it over the old one is
// seen too; changes within DEBOUNCE_MS make one run. Bad input is printed and
// the watch goes on. Ctrl-C while waiting ends the watch as intended (exit 0);
// Ctrl-C during a run interrupts it (exit 130).
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { UsageError } from "../model/diagnostics.js";
import { displayPath } from "../model/load.js";
import { reportError, type Io } from "./io.js";

export const DEBOUNCE_MS = 150;
const CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H";

export interface WatchPlan {
  io: Io;
  /** The files to watch, asked again after every run (a scenario may name another topology). */
  files: () => string[];
  /** One run; its exit code is shown, not returned, since the watch goes on. */
  run: () => Promise<number>;
  debounceMs?: number;
}

/** One run, its errors printed; returns true when a flag was wrong (no change to a file can mend that). */
async function runCaught(plan: WatchPlan): Promise<boolean> {
  try {
    await plan.run();
    return false;
  } catch (error) {
    reportError(plan.io, error, false);
    return error instanceof UsageError;
  }
}

/**
 * The folders being watched, each with the names in it that matter. Watchers
 * are kept across runs (only new folders get one), so that no change slips
 * through while they would be replaced.
 */
class FolderWatch {
  private readonly folders = new Map<string, { watcher: FSWatcher | null; names: Set<string> }>();
  readonly files = new Set<string>();

  constructor(private readonly changed: (file: string) => void) {}

  /** Adds files to the watch (a file once watched stays watched: a scenario that fails to load still names its old topology). */
  add(files: string[]): void {
    for (const file of files.map((f) => resolve(f))) {
      this.files.add(file);
      const folder = dirname(file);
      let entry = this.folders.get(folder);
      if (entry === undefined) {
        entry = { watcher: this.open(folder), names: new Set() };
        this.folders.set(folder, entry);
      }
      entry.names.add(basename(file));
    }
  }

  private open(folder: string): FSWatcher | null {
    try {
      const watcher = watch(folder, { persistent: true }, (_event, name) => {
        if (name !== null && this.folders.get(folder)?.names.has(name.toString())) this.changed(resolve(folder, name.toString()));
      });
      watcher.on("error", () => watcher.close());
      return watcher;
    } catch {
      // A folder that does not exist (yet) cannot be watched; the run has said what is missing.
      return null;
    }
  }

  close(): void {
    for (const { watcher } of this.folders.values()) watcher?.close();
  }
}

export async function watchAndRerun(plan: WatchPlan): Promise<number> {
  const { io } = plan;
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: string | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const folders = new FolderWatch(schedule);
  const status = () => io.err(`watching ${folders.files.size === 1 ? "1 file" : `${folders.files.size} files`} for changes; Ctrl-C to stop`);
  /** One run; a change seen meanwhile makes another once it is over. */
  const runNow = async (file?: string) => {
    if (running) {
      pending = file;
      return;
    }
    running = true;
    if (file !== undefined) {
      if (process.stdout.isTTY) process.stdout.write(CLEAR_SCREEN);
      io.err(`${displayPath(file)} changed; running again`);
    }
    const badFlag = await runCaught(plan);
    running = false;
    if (badFlag && file === undefined) stop(2);
    if (stopped) return;
    folders.add(plan.files());
    status();
    if (pending !== undefined) schedule(pending);
    pending = undefined;
  };
  function schedule(file: string) {
    clearTimeout(timer);
    timer = setTimeout(() => void runNow(file), plan.debounceMs ?? DEBOUNCE_MS);
  }
  const stop = (code: number) => {
    stopped = true;
    clearTimeout(timer);
    folders.close();
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onTerminate);
    finish(code);
  };
  const onInterrupt = () => stop(running ? 130 : 0);
  const onTerminate = () => stop(143);
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerminate);
  // Watch before the first run, so that a change made while it runs is not missed.
  folders.add(plan.files());
  await runNow();
  return finished;
}
