// `repl-lab completion bash|zsh|fish`: scripts generated from the command
// tree. The bash script is parsed by bash and driven as readline would drive
// it (COMP_WORDS/COMP_CWORD); the zsh and fish scripts name every command and
// flag (and zsh parses them when it is installed).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandPaths, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-completion-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function script(shell: string): Promise<string> {
  const r = await runBin(["completion", shell]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const hasShell = (shell: string) => spawnSync(shell, ["-c", "true"]).status === 0;

/** What the bash function completes for these words (the last one is being typed), run in `cwd`. */
function complete(file: string, words: string[], cwd = dir): string[] {
  const array = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(" ");
  const program = `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _repl_lab; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", program], { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").sort();
}

test("bash: the script parses, and completes commands, flags, flag values and files", async () => {
  const file = join(dir, "repl-lab.bash");
  writeFileSync(file, await script("bash"));
  assert.equal(spawnSync("bash", ["-n", file]).status, 0, "bash -n");
  assert.deepEqual(complete(file, ["repl-lab", "sim"]), ["simulate"]);
  assert.deepEqual(complete(file, ["repl-lab", "simulate", "--for"]), ["--format"]);
  assert.deepEqual(complete(file, ["repl-lab", "simulate", "--format", ""]), ["html", "json", "markdown", "text"]);
  assert.deepEqual(complete(file, ["repl-lab", "validate", "--format", "s"]), ["sarif"]);
  assert.deepEqual(complete(file, ["repl-lab", "init", "--preset", "c"]), ["cassandra"]);
  assert.deepEqual(complete(file, ["repl-lab", "init", "--kind", ""]), ["scenario", "topology"]);
  assert.deepEqual(complete(file, ["repl-lab", "completion", ""]), ["bash", "fish", "zsh"]);
  assert.deepEqual(complete(file, ["repl-lab", "drill", "st"]), ["stats"]);
  assert.deepEqual(complete(file, ["repl-lab", "drill", "stats", "--"]), ["--help", "--json", "--width"]);
  assert.deepEqual(complete(file, ["repl-lab", "simulate", "--seed", ""]), [], "a number: nothing to offer");
  writeFileSync(join(dir, "my scenario.yaml"), "");
  writeFileSync(join(dir, "my-topology.yaml"), "");
  assert.deepEqual(complete(file, ["repl-lab", "simulate", "my"]), ["my scenario.yaml", "my-topology.yaml"], "file names, spaces kept");
  assert.deepEqual(complete(file, ["repl-lab", "init", "--out", "my-"]), ["my-topology.yaml"]);
  assert.deepEqual(complete(file, ["repl-lab", "schema", "my"]), [], "schema takes no file");
});

test("bash: every command and every flag of its help is offered", async () => {
  const file = join(dir, "all.bash");
  writeFileSync(file, await script("bash"));
  const paths = await commandPaths();
  const top = complete(file, ["repl-lab", ""]);
  for (const path of paths.filter((p) => p.length === 1)) assert.ok(top.includes(path[0]), path[0]);
  for (const path of paths) {
    const help = await runBin([...path, "--help"]);
    const flags = [...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    const offered = complete(file, ["repl-lab", ...path, "--"]);
    for (const flag of flags) assert.ok(offered.includes(flag), `${path.join(" ")} ${flag}`);
  }
});

test("zsh and fish: the scripts name every command and flag", async () => {
  const [zsh, fish] = await Promise.all([script("zsh"), script("fish")]);
  assert.match(zsh, /^#compdef repl-lab\n/);
  assert.match(fish, /^complete -c repl-lab -f$/m);
  for (const path of await commandPaths()) {
    const name = path[path.length - 1];
    assert.ok(zsh.includes(path.length === 1 ? `'${name}:` : `${name})`), `zsh: ${path.join(" ")}`);
    assert.ok(fish.includes(`-a ${name} -d `), `fish: ${path.join(" ")}`);
  }
  assert.match(zsh, /'--format\[output format \(default\\: text\)\]:format:\(text json markdown\)'/);
  assert.match(zsh, /'\*--fault\[/, "a repeatable flag may be given again");
  assert.match(fish, /__fish_seen_subcommand_from init' -l preset -x -a 'patroni postgres-manual/);
  assert.match(fish, /__fish_seen_subcommand_from simulate' -F$/m, "simulate completes file names");
  if (hasShell("zsh")) {
    const file = join(dir, "_repl-lab");
    writeFileSync(file, zsh);
    assert.equal(spawnSync("zsh", ["-n", file]).status, 0, "zsh -n");
  }
  if (hasShell("fish")) {
    const file = join(dir, "repl-lab.fish");
    writeFileSync(file, fish);
    assert.equal(spawnSync("fish", ["--no-execute", file]).status, 0, "fish --no-execute");
  }
});

test("an unknown shell is a usage error naming the choices", async () => {
  const r = await runBin(["completion", "powershell"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bash, zsh, fish/);
});
