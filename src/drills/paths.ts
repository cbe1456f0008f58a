// Where drills, bundled scenarios and progress live. Content is found next to
// the package (dist/src/drills/ → ../../../), so an installed copy and a fresh
// clone read the same files.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DRILLS_DIR = join(PACKAGE_ROOT, "drills");
export const SCENARIOS_DIR = join(PACKAGE_ROOT, "scenarios");

export { stateDir } from "../base/state-dir.js";

export function scenarioFile(name: string): string {
  return join(SCENARIOS_DIR, `${name}.yaml`);
}
