// `repl-lab validate FILE|DIR...`: lint designs in CI. Expand the paths, run
// the linter, render one format on stdout. A file that is bad input (it cannot
// be read, parsed or loaded) does not stop the others, as in actionlint: in
// text its diagnostics go to stderr, one line each, before the others' report;
// in json, sarif, junit and github they are error findings of the report on
// stdout (rule invalid-input, at their file:line:column) and stderr stays
// empty. Exit 2 when any input is bad, else 1 when an error finding exists
// (or, with --strict, any warning), else 0. Hints are one short line; the long
// advice shows with --verbose, and every finding names its rule's page
// (`repl-lab rules ID`, docs/rules/ID.md, SARIF's helpUri).
import { readFileSync } from "node:fs";
import { isCalendarDate } from "../base/units.js";
import { Option, type Command } from "commander";
import { InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";
import { lintInputs } from "../lint/run.js";
import { renderLintGithub } from "../report/lint/github.js";
import { withBadInput } from "../report/lint/input.js";
import { renderLintJson } from "../report/lint/json.js";
import { renderLintJunit } from "../report/lint/junit.js";
import { renderLintSarif } from "../report/lint/sarif.js";
import { renderLintText } from "../report/lint/text.js";
import { rulePagePath } from "../report/lint/rule-page.js";
import { expandInputs, isFolder } from "./files.js";
import { parseWidthFlag, resolveWidth, rootFlag } from "./flags.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportError, type Io } from "./io.js";

export type LintFormat = "text" | "json" | "sarif" | "junit" | "github";

export interface ValidateOptions {
  format: LintFormat;
  strict: boolean;
  today: Date;
  /** Text: the long advice under each hint. */
  verbose?: boolean;
  /** Columns of the text output (--width); the terminal's, or 100 when piped, when absent. */
  width?: number;
  /** Read only files inside this folder (--root or REPL_LAB_ROOT), as a real path. */
  root?: string;
}

export async function runValidate(paths: string[], options: ValidateOptions, io: Io): Promise<number> {
  let expanded: { files: string[]; diagnostics: Diagnostic[] };
  try {
    expanded = expand(paths);
  } catch (error) {
    return reportError(io, error, false);
  }
  const named = new Set(paths.filter((path) => !isFolder(path)));
  const { run, diagnostics: loadDiagnostics } = lintInputs(expanded.files, { today: options.today, root: options.root, named });
  const diagnostics = [...expanded.diagnostics, ...loadDiagnostics];
  const { checked } = run;
  const report = withBadInput(run.report, diagnostics);
  switch (options.format) {
    case "json":
      io.out(renderLintJson(report));
      break;
    case "sarif":
      io.out(renderLintSarif(report, { cwd: process.cwd(), version: packageInfo().version, helpUri: ruleDocsUri }));
      break;
    case "junit":
      io.out(renderLintJunit(report, { strict: options.strict, checked }));
      break;
    case "github":
      io.out(renderLintGithub(report));
      break;
    default:
      // The text report keeps to the files that were linted; the bad ones are on stderr, as before.
      if (diagnostics.length > 0) reportError(io, new InputError(diagnostics), false);
      if (run.report.files.length > 0) {
        const width = resolveWidth(options.width, io.terminal ?? {});
        io.out(renderLintText(run.report, io.color, { badFiles: new Set(diagnostics.map((d) => d.file)).size, verbose: options.verbose, width }));
      }
  }
  if (diagnostics.length > 0) return EXIT_USAGE;
  const failed = report.errors > 0 || (options.strict && report.warnings > 0);
  return failed ? EXIT_FAILED : EXIT_OK;
}

/**
 * The files the paths stand for, and a diagnostic for each directory that
 * holds no YAML (bad input like a missing file: the other paths still count).
 * Too many files in all stays an error of the whole command.
 */
function expand(paths: string[]): { files: string[]; diagnostics: Diagnostic[] } {
  try {
    return { files: expandInputs(paths), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const good: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const path of paths) {
      try {
        expandInputs([path]);
        good.push(path);
      } catch (one) {
        if (!(one instanceof InputError)) throw one;
        diagnostics.push(...one.diagnostics);
      }
    }
    // No single path is bad: the error is about them all (too many files).
    if (diagnostics.length === 0) throw error;
    return { files: good.length > 0 ? expandInputs(good) : [], diagnostics };
  }
}

interface PackageInfo {
  version: string;
  /** The repository's web address (https://github.com/owner/name), when package.json names one. */
  repository: string | null;
}

let cachedPackage: PackageInfo | undefined;

/** The version SARIF names and the repository, from the package itself (dist/src/cli → the package root). */
export function packageInfo(): PackageInfo {
  return (cachedPackage ??= readPackage());
}

function readPackage(): PackageInfo {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown; repository?: unknown };
    const version = typeof pkg.version === "string" ? pkg.version : "0.0.0";
    return { version, repository: repositoryUrl(pkg.repository) };
  } catch {
    return { version: "0.0.0", repository: null };
  }
}

function repositoryUrl(repository: unknown): string | null {
  const raw = typeof repository === "string" ? repository : repository && typeof repository === "object" ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== "string") return null;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1].replace(/\.git$/, "")}`;
  const url = /^(?:git\+)?(https:\/\/[^\s]+?)(?:\.git)?$/.exec(raw);
  return url ? url[1] : null;
}

/**
 * The absolute address of a rule's page: the file in the repository when
 * package.json names one, else the same file in the published package (it
 * ships docs/rules/), pinned to this version.
 */
export function ruleDocsUri(id: string): string {
  const { version, repository } = packageInfo();
  return repository ? `${repository}/blob/HEAD/${rulePagePath(id)}` : `https://unpkg.com/repl-lab@${version}/${rulePagePath(id)}`;
}

/** `validate` on the program (called from main.ts). */
export function registerValidate(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("validate")
    .description("lint topologies and scenarios against their RPO/RTO targets and the grading rubric (CI entry point)")
    .argument("<paths...>", "YAML files or directories (scanned for *.yaml / *.yml)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "junit", "github"]).default("text"))
    .option("--strict", "exit 1 on warnings too")
    .option("--today <date>", "the date that date-based rules compare with (YYYY-MM-DD; default: today)")
    .option("--verbose", "text: the long advice under each finding's hint")
    .option("--width <n>", "columns of the text output (default: the terminal's, 100 when piped)")
    .option("--root <dir>", "read only files inside DIR, links followed (for untrusted pull requests; or REPL_LAB_ROOT)")
    .addHelpText("after", `\nExamples:\n  $ repl-lab validate topologies/payments.yaml\n  $ repl-lab validate topologies/ scenarios/ --strict\n  $ repl-lab validate . --format sarif > repl-lab.sarif`)
    .action(async (paths: string[], options: { format: string; strict?: boolean; today?: string; verbose?: boolean; width?: string; root?: string }) => {
      const today = parseToday(options.today);
      const width = options.width === undefined ? undefined : parseWidthFlag(options.width);
      const root = rootFlag(options.root);
      setCode(await runValidate(paths, { format: options.format as never, strict: Boolean(options.strict), today, verbose: Boolean(options.verbose), width, root }, io));
    });
}

function parseToday(text: string | undefined): Date {
  if (text === undefined) {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  if (!isCalendarDate(text)) throw new UsageError(`--today expects a date as YYYY-MM-DD; got "${text}"`);
  return new Date(`${text}T00:00:00Z`);
}
