// Shared by the drill tests: the repository root (tests run from dist/test/drills)
// and the bundled catalogue, loaded once.
import { fileURLToPath } from "node:url";
import { loadCatalog, type Catalog } from "../../src/drills/catalog.js";
import type { Drill, DrillOf } from "../../src/drills/types.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

let cached: Catalog | null = null;
export function catalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

export function drill<K extends Drill["kind"]>(id: string, kind: K): DrillOf<K> {
  const found = catalog().byId.get(id);
  if (!found || found.kind !== kind) throw new Error(`no ${kind} drill "${id}"`);
  return found as DrillOf<K>;
}

/** The eight questions of the material, with the ids the issue fixes. */
export const MATERIAL_IDS = [
  "failover-sequence",
  "pitr-window-expired",
  "quorum-three-down",
  "followup-failover-timeline",
  "followup-bad-update",
  "followup-cross-region",
  "followup-replica-lag",
  "probe-highly-available",
];
