// `/edit` in a free-text answer: the editor is the user's ($VISUAL, else
// $EDITOR), and one that cannot start (or fails) returns to the typed answer
// with a message naming it, instead of trapping the user in a retry loop.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { editInEditor, editorCommand } from "../../src/drills/prompter.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-editor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("the /edit editor", { skip: process.platform === "win32" ? "shell scripts as editors" : false }, () => {
  test("an editor that cannot start: an error naming it and where it came from, saying how to fix it (found by a review)", () => {
    const result = editInEditor("my typed answer", { PATH: process.env.PATH, EDITOR: "/nonexistent/editor" });
    assert.ok("error" in result);
    assert.match(result.error, /could not start the editor "\/nonexistent\/editor" \(from \$EDITOR\): no such program/);
    assert.match(result.error, /Set VISUAL or EDITOR/);
    assert.match(result.error, /kept as typed/);
  });

  test("an editor that exits with an error keeps the typed answer", () => {
    const result = editInEditor("typed", { PATH: process.env.PATH, EDITOR: script("fail.sh", "exit 3") });
    assert.ok("error" in result);
    assert.match(result.error, /exited with status 3/);
  });

  test("a working editor gets the typed text and its saved text is the answer; VISUAL wins over EDITOR", () => {
    const append = script("append.sh", 'echo "and a line from the editor" >> "$1"');
    const result = editInEditor("typed first", { PATH: process.env.PATH, VISUAL: append, EDITOR: "/nonexistent/editor" });
    assert.deepEqual(result, { text: "typed first\nand a line from the editor" });
  });

  test("the editor command: arguments split at spaces, a quoted program, vi when nothing is set", () => {
    assert.deepEqual(editorCommand({ EDITOR: "code --wait" }), { bin: "code", args: ["--wait"], from: "EDITOR" });
    assert.deepEqual(editorCommand({ VISUAL: '"/opt/my editor/ed" -n' }), { bin: "/opt/my editor/ed", args: ["-n"], from: "VISUAL" });
    assert.deepEqual(editorCommand({}), { bin: "vi", args: [], from: "default" });
  });
});
