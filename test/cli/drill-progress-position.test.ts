// A progress file that does not parse, or does not have the shape of one, was moved aside with a warning that
// named no line or column, and the answer was saved to a fresh file: every card the user had earned was gone from
// their progress (kept only in a progress.corrupt-*.json they had to find). It is now bad input like any other:
// one error naming file:line:column, exit 2, in text and JSON, and the file is left byte for byte as it was.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./bin.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function drill(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", REPL_LAB_HOME: home, COLUMNS: "80" };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/repl-lab.js", "drill", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const cases = [
  { name: "not valid JSON", text: '{"version": 1,\n "updatedMs": 5,\n "cards": {,}, "reviews": []\n}\n', at: "3:12", message: /is not valid JSON/ },
  { name: "cut short", text: '{"version": 1,\n "updatedMs": 5,\n "cards": {', at: "3:12", message: /is not valid JSON/ },
  { name: "the wrong shape", text: '{"version": 1, "updatedMs": 5, "cards": {},\n "reviews": 3}\n', at: "2:13", message: /"reviews": expected array, received number/ },
];

for (const c of cases) {
  test(`a progress file ${c.name}: file:${c.at}, exit 2, in text and JSON, and nothing overwritten`, async () => {
    const home = mkdtempSync(join(tmpdir(), "repl-lab-progress-position-"));
    dirs.push(home);
    const file = join(home, "progress.json");
    writeFileSync(file, c.text);
    const where = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:${c.at}: `);

    const json = await drill(["sc-bad-delete", "--answer", "b", "--save", "--json"], home);
    assert.equal(json.code, 2, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.saved, false);
    assert.match(doc.error.message, where);
    assert.match(doc.error.message, c.message);
    assert.equal(doc.error.file, file);
    assert.deepEqual([doc.error.line, doc.error.column], c.at.split(":").map(Number));
    assert.match(json.stderr, /^error progress not saved: /);
    assert.equal(json.stderr.trim().split("\n").length, 1, json.stderr);

    const text = await drill(["sc-bad-delete", "--answer", "b", "--save"], home);
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stderr, where);
    assert.doesNotMatch(text.stderr, /warning|starts afresh|\n\s+at /);

    for (const args of [["stats"], ["stats", "--json"], ["--due", "--list"], ["--due", "--list", "--json"]]) {
      const r = await drill(args, home);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "", args.join(" "));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error ${where.source}`));
    }
    assert.equal(readFileSync(file, "utf8"), c.text, "the file is left byte for byte");
    assert.deepEqual(readdirSync(home), ["progress.json"]);
  });
}
