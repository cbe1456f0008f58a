// The repl-lab command line: flag parsing with commander, then one call into
// the core per command. Usage errors exit 2; nothing here prints a stack trace
// unless --debug is given.
import { Command, CommanderError, Option } from "commander";
import { UsageError } from "../model/diagnostics.js";
import { EXIT_USAGE, makeIo, reportError, type Io } from "./io.js";
import { schemaText } from "./schema.js";
import { runInit } from "./init.js";
import { runValidate } from "./validate.js";
import { registerQuorum } from "./quorum.js";
import { registerDrill } from "./drill.js";
import { registerLive } from "./live.js";
import { registerExplore } from "./explore.js";
import { registerSimulate } from "./simulate.js";

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<number> {
  const io = makeIo(argv);
  const debug = argv.includes("--debug");
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
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

  program
    .command("validate")
    .description("lint topologies and scenarios against their RPO/RTO targets and the grading rubric (CI entry point)")
    .argument("<paths...>", "YAML files or directories (scanned for *.yaml / *.yml)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "junit", "github"]).default("text"))
    .option("--strict", "exit 1 on warnings too")
    .option("--today <date>", "the date that date-based rules compare with (YYYY-MM-DD; default: today)")
    .action(async (paths: string[], options: { format: string; strict?: boolean; today?: string }) => {
      setCode(await runValidate(paths, { format: options.format as never, strict: Boolean(options.strict), today: parseToday(options.today) }, io));
    });

  registerSimulate(program, io, setCode);
  registerQuorum(program, io, setCode);
  registerDrill(program, io, setCode);
  registerLive(program, io, setCode);
  registerExplore(program, io, setCode);

  program
    .command("init")
    .description("write a commented starter topology from a preset")
    .addOption(new Option("--preset <name>", "the real system whose defaults to start from").default("patroni"))
    .option("--out <file>", "write to this file instead of standard output (never overwrites)")
    .action((options: { preset: string; out?: string }) => {
      setCode(runInit(options, io));
    });

  program
    .command("schema")
    .description("print the JSON Schema of the YAML formats (for editor completion)")
    .action(() => {
      io.out(schemaText());
    });

  return program;
}

function parseToday(text: string | undefined): Date {
  if (text === undefined) {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) throw new UsageError(`--today expects a date as YYYY-MM-DD; got "${text}"`);
  return new Date(`${text}T00:00:00Z`);
}
