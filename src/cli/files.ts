// Expanding command-line paths: a directory stands for the YAML files under it.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileProblem, InputError } from "../model/diagnostics.js";

const YAML = /\.ya?ml$/i;
const MAX_FILES = 2000;

/** Whether a path names a folder (a missing path does not: the loader reports it, with its name). */
export function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export function expandInputs(paths: string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (!isFolder(path)) {
      files.push(path);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) throw new InputError([fileProblem(path, "is a directory with no .yaml or .yml files; expected a YAML file, or a folder that holds some")]);
    files.push(...found);
  }
  if (files.length > MAX_FILES) throw new InputError([{ file: paths[0], line: 0, column: 0, message: `expands to ${files.length} files; at most ${MAX_FILES} at once` }]);
  return [...new Set(files)];
}

function walk(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, depth + 1));
    else if (YAML.test(entry.name)) out.push(path);
  }
  return out;
}
