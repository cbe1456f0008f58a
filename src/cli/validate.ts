// `repl-lab validate FILE|DIR...`: lint designs in CI. Expand the paths, run
// the linter, render one format on stdout. Exit 2 when any file is bad input
// (every file's diagnostics on stderr, nothing on stdout), 1 when an error
// finding exists (or, with --strict, any warning), else 0.
import { readFileSync } from "node:fs";
import { InputError } from "../model/diagnostics.js";
import { lintFiles } from "../lint/run.js";
import { renderLintGithub } from "../report/lint-github.js";
import { renderLintJson } from "../report/lint-json.js";
import { renderLintJunit } from "../report/lint-junit.js";
import { renderLintSarif } from "../report/lint-sarif.js";
import { renderLintText } from "../report/lint-text.js";
import { expandInputs } from "./files.js";
import { EXIT_FAILED, EXIT_OK, reportError, type Io } from "./io.js";

export type LintFormat = "text" | "json" | "sarif" | "junit" | "github";

export interface ValidateOptions {
  format: LintFormat;
  strict: boolean;
  today: Date;
}

export async function runValidate(paths: string[], options: ValidateOptions, io: Io): Promise<number> {
  let files: string[];
  try {
    files = expandInputs(paths);
  } catch (error) {
    return reportError(io, error, false);
  }
  const outcome = lintFiles(files, { today: options.today });
  if (!outcome.ok) return reportError(io, new InputError(outcome.diagnostics), false);
  const { report, checked } = outcome.run;
  switch (options.format) {
    case "json":
      io.out(renderLintJson(report));
      break;
    case "sarif":
      io.out(renderLintSarif(report, { cwd: process.cwd(), version: packageVersion() }));
      break;
    case "junit":
      io.out(renderLintJunit(report, { strict: options.strict, checked }));
      break;
    case "github":
      io.out(renderLintGithub(report));
      break;
    default:
      io.out(renderLintText(report, io.color));
  }
  const failed = report.errors > 0 || (options.strict && report.warnings > 0);
  return failed ? EXIT_FAILED : EXIT_OK;
}

/** The version SARIF names, from the package itself (dist/src/cli → the package root). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
