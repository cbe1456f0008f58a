// The layers of src/ (base → model → engine → quorum → lint → drills/live/swarm
// → report → cli), checked with dependency-cruiser against the rules in
// .dependency-cruiser.cjs. The rules name folders, not files, so files can move
// inside a folder without touching them; a new folder under src/ must be given
// a rule there, and the second test says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

// Like the other tests, this one runs from the repository's root (npm test).
const root = process.cwd();
const configFile = join(root, ".dependency-cruiser.cjs");

type Rule = { name: string; comment?: string; from?: { path?: string } };
const config = createRequire(import.meta.url)(configFile) as { forbidden: Rule[] };

let cached: Promise<ICruiseResult> | undefined;
function cruiseSrc(): Promise<ICruiseResult> {
  cached ??= (async () => {
    const options = await extractDepcruiseOptions(configFile);
    const tsConfig = extractTSConfig(join(root, "tsconfig.json"));
    const { output } = await cruise(["src"], { ...options, outputType: "json" }, {}, { tsConfig });
    // With outputType "json" the API returns the serialised result.
    return (typeof output === "string" ? JSON.parse(output) : output) as ICruiseResult;
  })();
  return cached;
}

/** One line per violation: the rule, the import, and (for a cycle) the whole loop. */
function describe(v: IViolation): string {
  const cycle = v.cycle?.length ? `\n      cycle: ${[v.from, ...v.cycle.map((d) => d.name)].join(" → ")}` : "";
  const to = v.to === v.unresolvedTo || !v.unresolvedTo ? v.to : `${v.to} (written "${v.unresolvedTo}")`;
  return `  ${v.rule.name}: ${v.from} → ${to}${cycle}`;
}

test("src/ respects the layer rules of .dependency-cruiser.cjs", async () => {
  const result = await cruiseSrc();
  const violations = result.summary.violations;
  if (violations.length === 0) return;
  const why = new Map(config.forbidden.map((r) => [r.name, r.comment ?? ""]));
  const byRule = new Map<string, IViolation[]>();
  for (const v of violations) byRule.set(v.rule.name, [...(byRule.get(v.rule.name) ?? []), v]);
  const lines = [`${violations.length} import(s) break the layers of src/:`];
  for (const [rule, list] of byRule) {
    lines.push(...list.map(describe), `    why: ${why.get(rule)}`);
  }
  lines.push("Move the shared code down a layer (or, if the layering itself should change, edit .dependency-cruiser.cjs and README's Architecture section together).");
  assert.fail(lines.join("\n"));
});

test("every folder of src/ is cruised and has a layer rule", async () => {
  const folders = readdirSync(join(root, "src")).filter((f) => statSync(join(root, "src", f)).isDirectory());
  const ruled = new Set(config.forbidden.map((r) => /^\^src\/([^/]+)\/$/.exec(r.from?.path ?? "")?.[1]).filter(Boolean));
  // cli/ is the top layer: it may import anything, so it has no rule of its own.
  const unruled = folders.filter((f) => f !== "cli" && !ruled.has(f));
  assert.deepEqual(unruled, [], `src/${unruled[0]}/ has no layer rule: add layer("${unruled[0]}", [...]) to .dependency-cruiser.cjs`);

  const result = await cruiseSrc();
  const seen = new Set(result.modules.map((m) => /^src\/([^/]+)\//.exec(m.source)?.[1]));
  const missed = folders.filter((f) => !seen.has(f) && readdirSync(join(root, "src", f), { recursive: true }).some((n) => String(n).endsWith(".ts")));
  assert.deepEqual(missed, [], "dependency-cruiser did not reach these folders: check the config's exclude and tsConfig options");
  assert.ok(result.summary.totalCruised >= 100, `only ${result.summary.totalCruised} modules cruised`);
});
