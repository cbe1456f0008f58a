// Confining reads to a project folder, for CI on untrusted pull requests:
// with --root DIR (or REPL_LAB_ROOT), every file repl-lab reads — the ones
// named, the ones a folder expands to, and every scenario's `topology:` path —
// must resolve inside DIR once symbolic links are followed; anything else is
// refused before it is opened, so no byte of it reaches an error message.
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "./diagnostics.js";

/** The root as a real path (links followed); a root that is not a folder is a usage error. */
export function checkRoot(dir: string, flag: string): string {
  let real: string;
  try {
    real = realpathSync.native(resolve(dir));
  } catch {
    throw new UsageError(`${flag} ${dir}: no such folder`);
  }
  if (!statSync(real).isDirectory()) throw new UsageError(`${flag} ${dir}: not a folder`);
  return real;
}

/** The path with every symbolic link followed; for a path that does not exist yet, its deepest existing folder's. */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/** Null when the file resolves inside the root; else the real path it resolves to. */
export function outsideRoot(root: string, file: string): string | null {
  const real = realPath(file);
  const rel = relative(root, real);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)) ? null : real;
}

/** The message for a path outside the root, with where it leads. */
export function outsideRootMessage(real: string, root: string): string {
  return `resolves to ${real}, outside the root ${root} (--root or REPL_LAB_ROOT); refused`;
}
