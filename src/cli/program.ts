// The repl-lab command line: flag parsing with commander, then one call into
// the core per command. Usage errors exit 2; nothing here prints a stack trace
// unless --debug is given. The entry points hand it the commands they carry:
// main.ts all of them, quick.ts the ones the bin starts from its quick file.
import { Command, CommanderError } from "commander";
import { EXIT_USAGE, makeIo, reportError, type Io } from "./io.js";
import { fitHelp, helpWidth } from "./help-fit.js";
import { UsageError, didYouMean } from "../model/diagnostics.js";

/** What each command module exports: it adds its command (flags, help, action) to the program. */
export type Register = (program: Command, io: Io, setCode: (code: number) => void) => void;

/** Each command by name, loaded only when it is needed. */
export type Commands = Record<string, () => Promise<Register>>;

/** Options of the program itself, which come before the command's name (bin/cached-cli.js skips the same ones). */
export const GLOBAL_FLAGS = new Set(["--no-color", "--debug"]);

/** The command modules to load: the one named, or all of them (for the help, completion and suggestions). */
async function commandsFor(argv: string[], commands: Commands): Promise<Register[]> {
  const name = argv.slice(2).find((a) => !GLOBAL_FLAGS.has(a));
  // The version needs no command at all.
  if (name === "--version" || name === "-V") return [];
  if (name !== undefined && name !== "completion" && Object.hasOwn(commands, name)) return [await commands[name]()];
  return Promise.all(Object.values(commands).map((load) => load()));
}

const VERSION = "0.1.0";

/** Runs the command line `argv` (node, script, arguments...) with `commands`; returns the exit code. */
export async function runProgram(argv: string[], commands: Commands): Promise<number> {
  const io = makeIo(argv);
  const debug = argv.includes("--debug");
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), await commandsFor(argv, commands));
  if (argv.slice(2).every((a) => a === "--no-color" || a === "--debug")) {
    // No command at all: the user asked what this is, so the help goes to stdout and that is a success.
    program.outputHelp();
    return 0;
  }
  // `repl-lab help NAME`: commander prints the program's help and succeeds for a name it does not know.
  const args = argv.slice(2).filter((a) => !GLOBAL_FLAGS.has(a));
  if (args[0] === "help" && args.length > 1) {
    const names = program.commands.map((c) => c.name());
    const topic = args[1];
    if (!names.includes(topic)) {
      return reportError(io, new UsageError(`help: unknown command '${topic}'${didYouMean(topic, names)} (commands: ${names.join(", ")})`), debug);
    }
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
  const width = helpWidth(io.terminal);
  program
    .name("repl-lab")
    .description("A lab for database replication and durability: lint topologies in CI, simulate failures, drill for interviews.")
    .version(VERSION)
    .option("--no-color", "disable colours (NO_COLOR and FORCE_COLOR are honoured too)")
    .option("--debug", "show stack traces for internal errors")
    .exitOverride()
    .configureOutput({
      // Help is fitted to the terminal: commander wraps its own sections to this width, fitHelp the examples and lists we add.
      getOutHelpWidth: () => width,
      getErrHelpWidth: () => width,
      writeOut: (text) => io.out(fitHelp(text.replace(/\n$/, ""), width)),
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
