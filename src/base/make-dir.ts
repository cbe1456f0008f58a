// Making a folder and its missing parents. Node's mkdirSync({ recursive: true })
// never returns for some paths (under /proc, where mkdir answers ENOENT for a
// parent that exists): it retries the parent forever. This walks up to the
// first folder that exists and makes each missing one below it once, so a path
// that cannot be made fails with the error of the folder that could not be.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const found = statSync(current, { throwIfNoEntry: false });
    if (found !== undefined) {
      if (!found.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: "ENOTDIR", path: current });
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (error) {
      // Made meanwhile by another process: fine.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
