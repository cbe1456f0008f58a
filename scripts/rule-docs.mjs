// docs/rules/<id>.md, one page per lint rule, generated from the documentation
// kept beside each rule in src/lint/rules/ (the same text `repl-lab rules ID`
// prints and SARIF's help carries). Run after a build:
//
//   node scripts/rule-docs.mjs          rewrite docs/rules/ (npm run docs:rules)
//   node scripts/rule-docs.mjs --check  exit 1 and name the stale pages
//
// test/lint/rule-docs.test.ts fails when a page differs from its rule.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every page as { path (relative to the root), text }, the index last. */
export async function pages() {
  const { DOCUMENTED_RULES } = await import(pathToFileURL(join(root, "dist/src/lint/rules/index.js")).href);
  const { rulePageMarkdown, ruleIndexMarkdown, rulePagePath, RULE_DOCS_DIR } = await import(pathToFileURL(join(root, "dist/src/report/lint/rule-page.js")).href);
  return [
    ...DOCUMENTED_RULES.map((rule) => ({ path: rulePagePath(rule.id), text: rulePageMarkdown(rule) })),
    { path: `${RULE_DOCS_DIR}/README.md`, text: ruleIndexMarkdown(DOCUMENTED_RULES) },
  ];
}

/** The pages that differ from what is on disk, and the files on disk no rule has. */
export async function stale() {
  const wanted = await pages();
  const dir = join(root, "docs/rules");
  const differ = wanted.filter((p) => !existsSync(join(root, p.path)) || readFileSync(join(root, p.path), "utf8") !== p.text).map((p) => p.path);
  const names = new Set(wanted.map((p) => p.path));
  const extra = existsSync(dir) ? readdirSync(dir).map((f) => `docs/rules/${f}`).filter((p) => !names.has(p)) : [];
  return { differ, extra };
}

async function main() {
  if (process.argv.includes("--check")) {
    const { differ, extra } = await stale();
    for (const p of differ) console.error(`stale: ${p}`);
    for (const p of extra) console.error(`no rule: ${p}`);
    process.exitCode = differ.length + extra.length > 0 ? 1 : 0;
    return;
  }
  const { extra } = await stale();
  mkdirSync(join(root, "docs/rules"), { recursive: true });
  for (const p of extra) rmSync(join(root, p));
  for (const p of await pages()) writeFileSync(join(root, p.path), p.text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
