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
  const files = new Set<string>();
  for (const path of paths) {
    if (!isFolder(path)) {
      files.add(path);
    } else {
      // The walk stops one file past the limit: a folder of a million files is refused without listing them all.
      const found = walk(path, MAX_FILES + 1 - files.size);
      if (found.length === 0) throw new InputError([fileProblem(path, "is a directory with no .yaml or .yml files; expected a YAML file, or a folder that holds some")]);
      for (const file of found) files.add(file);
    }
    if (files.size > MAX_FILES) throw new InputError([fileProblem(path, `${isFolder(path) ? "this folder brings" : "this path brings"} the files to check past the limit of ${MAX_FILES.toLocaleString("en-US")} at once; give fewer files, or a narrower folder`)]);
  }
  return [...files];
}

/** The YAML files under `dir`, in name order, at most `limit` of them (hidden folders and node_modules skipped). */
function walk(dir: string, limit: number, depth = 0): string[] {
  if (depth > 8 || limit <= 0) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= limit) break;
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, limit - out.length, depth + 1));
    else if (YAML.test(entry.name)) out.push(path);
  }
  return out;
}
