// The width text goes out at, decided once for every kind of output: `--width`
// when given; else COLUMNS when it holds a whole number (as `ls` and git honour
// it, also in a pipe); else the terminal's columns; else a fallback for a pipe
// or a file, where the reader's width is unknown. Clamped to what reads well.
import { DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH } from "../report/common/layout.js";

/** Where text output goes: whether it is a terminal, and how wide that terminal is. */
export interface OutputTarget {
  isTTY?: boolean;
  columns?: number;
  /** The COLUMNS environment variable, as the shell or the user set it. */
  columnsEnv?: string;
}

/** The columns to render text in, MIN_WIDTH to MAX_WIDTH; `fallback` when neither the flag, COLUMNS nor a terminal says (reports: DEFAULT_WIDTH). */
export function resolveWidth(flag: number | undefined, target: OutputTarget, fallback = DEFAULT_WIDTH): number {
  if (flag !== undefined) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, flag));
  const env = /^\s*\d+\s*$/.test(target.columnsEnv ?? "") ? Number(target.columnsEnv) : 0;
  if (env > 0) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, env));
  const columns = target.isTTY && target.columns !== undefined && target.columns > 0 ? target.columns : fallback;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(columns)));
}
