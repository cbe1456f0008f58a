import type { Io } from "./io.js";
export function runInit(_options: { preset: string; out?: string }, _io: Io): number {
  return 0;
}
