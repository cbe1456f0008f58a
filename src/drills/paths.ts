// Where drills, bundled scenarios and progress live. Content is found next to
// the package (dist/src/drills/ → ../../../), so an installed copy and a fresh
// clone read the same files.
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DRILLS_DIR = join(PACKAGE_ROOT, "drills");
export const SCENARIOS_DIR = join(PACKAGE_ROOT, "scenarios");

/** REPL_LAB_HOME, else $XDG_STATE_HOME/repl-lab, else ~/.local/state/repl-lab (the XDG default). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REPL_LAB_HOME) return env.REPL_LAB_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, "repl-lab");
  return join(env.HOME || homedir(), ".local", "state", "repl-lab");
}

export function scenarioFile(name: string): string {
  return join(SCENARIOS_DIR, `${name}.yaml`);
}
