// The commands the bin starts from its quick file (bin/cached-cli.js): one
// CommonJS file with V8's code cache, holding these commands and nothing else,
// so that a CI job's `validate` reads and deserializes half a megabyte, not the
// whole CLI. The bin sends a command line here only when its command is one of
// QUICK_COMMANDS (or it asks for the version); everything else runs main.ts.
import { runProgram, type Commands } from "./program.js";

export { outputFailed } from "./io.js";

const QUICK: Commands = {
  validate: async () => (await import("./validate.js")).registerValidate,
};

/** The command names quick.ts carries; bin/cached-cli.js keeps the same list. */
export const QUICK_COMMANDS: readonly string[] = Object.keys(QUICK);

export function main(argv: string[]): Promise<number> {
  return runProgram(argv, QUICK);
}
