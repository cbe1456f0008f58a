// The repl-lab command line with every command (see program.ts for the runner).
import { runProgram, type Commands } from "./program.js";

// The bin asks the same module whether a write failed: in the bundle, io.js has one copy, inside main's chunks.
export { outputFailed } from "./io.js";

/**
 * The commands, in the order the help lists them, each loaded only when it is
 * needed: a run of one command imports that command's module alone, so that
 * `validate` does not load the engine's trials pool, the drills, `pg`, the
 * prompts or the HTML report's charts, and starts nearly as fast as bare node.
 */
const COMMANDS: Commands = {
  validate: async () => (await import("./validate.js")).registerValidate,
  simulate: async () => (await import("./simulate.js")).registerSimulate,
  quorum: async () => (await import("./quorum.js")).registerQuorum,
  drill: async () => (await import("./drill.js")).registerDrill,
  live: async () => (await import("./live.js")).registerLive,
  explore: async () => (await import("./explore.js")).registerExplore,
  init: async () => (await import("./init.js")).registerInit,
  schema: async () => (await import("./schema.js")).registerSchema,
  merge: async () => (await import("./merge.js")).registerMerge,
  rules: async () => (await import("./rules.js")).registerRules,
  completion: async () => (await import("./completion.js")).registerCompletion,
};

export function main(argv: string[]): Promise<number> {
  return runProgram(argv, COMMANDS);
}
