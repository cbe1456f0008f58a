// --root DIR (or REPL_LAB_ROOT) for CI on untrusted pull requests: a scenario's
// topology path that resolves outside DIR — by ../, by an absolute path, or
// through a symbolic link — is refused with where it leads (exit 2), as is a
// named or found file that is a link out of DIR; files inside DIR work as
// before. Real files and links in a temporary folder.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");
const base = realpathSync(mkdtempSync(join(tmpdir(), "repl-lab-root-")));
after(() => rmSync(base, { recursive: true, force: true }));
const project = join(base, "project");
const outside = join(base, "outside");
mkdirSync(join(project, "topologies"), { recursive: true });
mkdirSync(outside);
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(project, "topologies/payments.yaml"));
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(outside, "secret.yaml"));
symlinkSync(join(outside, "secret.yaml"), join(project, "topologies/linked.yaml"));
const scenario = (topology: string) => `kind: scenario\nname: s\ntopology: ${topology}\nduration: 1m\nworkload: { writes: 10 }\n`;
writeFileSync(join(project, "good.yaml"), scenario("topologies/payments.yaml"));
writeFileSync(join(project, "dots.yaml"), scenario("../outside/secret.yaml"));
writeFileSync(join(project, "absolute.yaml"), scenario(join(outside, "secret.yaml")));
writeFileSync(join(project, "via-link.yaml"), scenario("topologies/linked.yaml"));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", REPL_LAB_ROOT: "", ...env } });
}

test("without a root, a topology anywhere is read (the default for one's own files)", () => {
  assert.notEqual(run(["simulate", "dots.yaml"]).status, 2);
});

for (const [file, leads] of [["dots.yaml", "outside/secret.yaml"], ["absolute.yaml", "outside/secret.yaml"], ["via-link.yaml", "outside/secret.yaml"]]) {
  test(`${file}: its topology leads outside --root and is refused, naming where it leads`, () => {
    for (const [args, env] of [[["simulate", file, "--root", "."], {}], [["validate", file, "--root", project], {}], [["simulate", file], { REPL_LAB_ROOT: project }]] as const) {
      const r = run([...args], env);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${file.replace(".", "\\.")}:3:11: topology ".*" resolves to ${base}/${leads}, outside the root ${project} \\(--root or REPL_LAB_ROOT\\); refused`));
    }
  });
}

test("a file found in a folder that is a link out of the root is refused; the others are linted", () => {
  const r = run(["validate", "topologies", "--root", ".", "--format", "json"]);
  assert.equal(r.status, 2);
  const json = JSON.parse(r.stdout) as { findings: { rule: string; file: string; message: string }[] };
  const refused = json.findings.filter((f) => f.rule === "invalid-input");
  assert.equal(refused.length, 1);
  assert.match(refused[0].message, /resolves to .*outside\/secret\.yaml, outside the root/);
  assert.ok(json.findings.some((f) => f.file.endsWith("payments.yaml") && f.rule !== "invalid-input") || json.findings.length === 1);
});

test("inside the root everything works as before", () => {
  const r = run(["simulate", "good.yaml", "--root", "."]);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.equal(r.stderr, "");
});

test("a root that is not a folder is a usage error", () => {
  const r = run(["validate", "good.yaml", "--root", "no-such-folder"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--root no-such-folder: no such folder/);
  assert.match(run(["validate", "good.yaml"], { REPL_LAB_ROOT: "good.yaml" }).stderr, /REPL_LAB_ROOT good\.yaml: not a folder/);
});
