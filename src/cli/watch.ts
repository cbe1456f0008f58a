// `simulate --watch`: run, then run again whenever one of the input files
// changes. The folders holding the files are watched (not the files), so an
// editor that saves by writing a new file and renaming it over the old one is
// seen too; changes within DEBOUNCE_MS make one run. Bad input is printed and
// the watch goes on. Ctrl-C while waiting ends the watch as intended (exit 0);
// Ctrl-C during a run interrupts it (exit 130).
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, resolve } from "node:path";
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

async function runCaught(plan: WatchPlan): Promise<void> {
  try {
    await plan.run();
  } catch (error) {
    reportError(plan.io, error, false);
  }
}

/** Watches the folders of `files`, calling `changed` with the path of a watched file that changed. */
function watchFolders(files: string[], changed: (file: string) => void): FSWatcher[] {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files.map((f) => resolve(f))) {
    const names = byFolder.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byFolder.set(dirname(file), names);
  }
  const watchers: FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    try {
      const watcher = watch(folder, { persistent: true }, (_event, name) => {
        if (name !== null && names.has(name.toString())) changed(resolve(folder, name.toString()));
      });
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A folder that does not exist (yet) cannot be watched; the run has said what is missing.
    }
  }
  return watchers;
}

export async function watchAndRerun(plan: WatchPlan): Promise<number> {
  const { io } = plan;
  let running = true;
  await runCaught(plan);
  running = false;
  return new Promise<number>((done) => {
    let watchers: FSWatcher[] = [];
    let timer: NodeJS.Timeout | undefined;
    let pending: string | undefined;
    const status = () => io.err(`watching ${plan.files().length === 1 ? "1 file" : `${plan.files().length} files`} for changes; Ctrl-C to stop`);
    const rewatch = () => {
      for (const w of watchers) w.close();
      watchers = watchFolders(plan.files(), schedule);
    };
    const again = async (file: string) => {
      if (running) {
        pending = file;
        return;
      }
      running = true;
      if (process.stdout.isTTY) process.stdout.write(CLEAR_SCREEN);
      io.err(`${file} changed; running again`);
      await runCaught(plan);
      rewatch();
      running = false;
      status();
      if (pending !== undefined) schedule(pending);
      pending = undefined;
    };
    function schedule(file: string) {
      clearTimeout(timer);
      timer = setTimeout(() => void again(file), plan.debounceMs ?? DEBOUNCE_MS);
    }
    const stop = (code: number) => () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onTerminate);
      done(code);
    };
    const onInterrupt = () => stop(running ? 130 : 0)();
    const onTerminate = stop(143);
    process.on("SIGINT", onInterrupt);
    process.on("SIGTERM", onTerminate);
    rewatch();
    status();
  });
}
