// The spinner of long runs (Monte Carlo trials, explore's schedules, a live
// cluster). It lives here, on the edge: the engine only calls a progress
// callback, and this module turns that callback into spinner text and a turn
// of the event loop.
import ora, { type Ora } from "ora";
import type { TrialProgress } from "../engine/trials.js";
import type { Io } from "./io.js";

/** A turn of the event loop, so the spinner animates and Ctrl+C is honoured between steps. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** A spinner on stderr, or null when stdout, stdin or stderr is not a terminal. */
export function startSpinner(io: Io, text: string): Ora | null {
  // The spinner writes to stderr: it needs a terminal there too, or ora would print its text as a plain line.
  if (!(io.isTTY && process.stderr.isTTY)) return null;
  // discardStdin off: the terminal stays in cooked mode, so Ctrl+C is a signal, not a keystroke.
  return ora({ text, stream: process.stderr, discardStdin: false, color: io.color.level > 0 ? "cyan" : false }).start();
}

/**
 * A progress callback that sets the spinner's text and yields every `every`
 * steps (and after the last). Without a spinner there is nothing to animate,
 * so the run goes through without yielding.
 */
export function spinnerProgress(spinner: Ora | null, text: (done: number, total: number) => string, every = 1): TrialProgress | undefined {
  if (!spinner) return undefined;
  return (done, total) => {
    if (done % every !== 0 && done !== total) return;
    spinner.text = text(done, total);
    return nextTurn();
  };
}
