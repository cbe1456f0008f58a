// The repl-lab command line: flag parsing with commander, then one call into
// the core per command. Usage errors exit 2; nothing here prints a stack trace
// unless --debug is given.
import { Command, CommanderError } from "commander";
import { EXIT_USAGE, makeIo, reportError, type Io } from "./io.js";

// The bin asks the same module whether a write failed: in the bundle, io.js has one copy, inside main's chunks.
export { outputFailed } from "./io.js";

/** What each command module exports: it adds its command (flags, help, action) to the program. */
type Register = (program: Command, io: Io, setCode: (code: number) => void) => void;

/**
 * The commands, in the order the help lists them, each loaded only when it is
 * needed: a run of one command imports that command's module alone, so that
 * `validate` does not load the engine's trials pool, the drills, `pg`, the
 * prompts or the HTML report's charts, and starts nearly as fast as bare node.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
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

/** Options of the program itself, which come before the command's name. */
const GLOBAL_FLAGS = new Set(["--no-color", "--debug"]);

/** The command modules to load: the one named, or all of them (for the help, completion and suggestions). */
async function commandsFor(argv: string[]): Promise<Register[]> {
  const name = argv.slice(2).find((a) => !GLOBAL_FLAGS.has(a));
  // The version needs no command at all.
  if (name === "--version" || name === "-V") return [];
  if (name !== undefined && name !== "completion" && Object.hasOwn(COMMANDS, name)) return [await COMMANDS[name]()];
  return Promise.all(Object.values(COMMANDS).map((load) => load()));
}

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<number> {
  const io = makeIo(argv);
  const debug = argv.includes("--debug");
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), await commandsFor(argv));
  if (argv.slice(2).every((a) => a === "--no-color" || a === "--debug")) {
    // No command at all: the user asked what this is, so the help goes to stdout and that is a success.
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      return EXIT_USAGE;
    }
    return reportError(io, error, debug);
  }
}

function buildProgram(io: Io, setCode: (code: number) => void, commands: readonly Register[]): Command {
  const program = new Command();
  program
    .name("repl-lab")
    .description("A lab for database replication and durability: lint topologies in CI, simulate failures, drill for interviews.")
    .version(VERSION)
    .option("--no-color", "disable colours (NO_COLOR and FORCE_COLOR are honoured too)")
    .option("--debug", "show stack traces for internal errors")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, "")),
      writeErr: (text) => io.err(text.replace(/\n$/, "")),
      outputError: (text, write) => write(`${io.color.red("error")} ${text.replace(/^error: /, "")}`),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);

  for (const register of commands) register(program, io, setCode);
  program.addHelpText(
    "after",
    `
Examples:
  $ repl-lab simulate scenarios/leader-dies-in-az-a.yaml
  $ repl-lab validate topologies/ --format sarif > repl-lab.sarif
  $ repl-lab drill --due

Each command has its own help: repl-lab help COMMAND, or repl-lab COMMAND --help.`,
  );

  return program;
}
