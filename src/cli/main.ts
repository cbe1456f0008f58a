// The repl-lab command line: flag parsing with commander, then one call into
// the core per command. Usage errors exit 2; nothing here prints a stack trace
// unless --debug is given.
import { Command, CommanderError } from "commander";
import { EXIT_USAGE, makeIo, reportError, type Io } from "./io.js";
import { registerSchema } from "./schema.js";
import { registerInit } from "./init.js";
import { registerValidate } from "./validate.js";
import { registerQuorum } from "./quorum.js";
import { registerDrill } from "./drill.js";
import { registerLive } from "./live.js";
import { registerExplore } from "./explore.js";
import { registerSimulate } from "./simulate.js";
import { registerRules } from "./rules.js";
import { registerCompletion } from "./completion.js";
import { registerMerge } from "./merge.js";

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<number> {
  const io = makeIo(argv);
  const debug = argv.includes("--debug");
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
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

function buildProgram(io: Io, setCode: (code: number) => void): Command {
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

  registerValidate(program, io, setCode);
  registerSimulate(program, io, setCode);
  registerQuorum(program, io, setCode);
  registerDrill(program, io, setCode);
  registerLive(program, io, setCode);
  registerExplore(program, io, setCode);
  registerInit(program, io, setCode);
  registerSchema(program, io);
  registerMerge(program, io, setCode);
  registerRules(program, io, setCode);
  registerCompletion(program, io);
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
