// Where state lives: never a relative path by accident (HOME set but empty,
// a relative XDG_STATE_HOME), so drill progress and the record of live
// clusters do not land in whatever folder the command ran from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isAbsolute } from "node:path";
import { stateDir } from "../../src/base/state-dir.js";

test("REPL_LAB_HOME first, then XDG_STATE_HOME, then ~/.local/state", () => {
  assert.equal(stateDir({ REPL_LAB_HOME: "/x", XDG_STATE_HOME: "/y", HOME: "/h" }), "/x");
  assert.equal(stateDir({ XDG_STATE_HOME: "/y", HOME: "/h" }), "/y/repl-lab");
  assert.equal(stateDir({ HOME: "/h" }), "/h/.local/state/repl-lab");
});

test("HOME set but empty, or relative: the account's home directory, never the current folder", () => {
  for (const HOME of ["", "relative/home", "."]) {
    const dir = stateDir({ HOME });
    assert.ok(isAbsolute(dir), `HOME=${JSON.stringify(HOME)} gave ${dir}`);
    assert.ok(dir.endsWith("/.local/state/repl-lab"));
  }
});

test("a relative XDG_STATE_HOME is ignored, as the XDG specification says", () => {
  assert.equal(stateDir({ XDG_STATE_HOME: "state", HOME: "/h" }), "/h/.local/state/repl-lab");
});

test("a relative REPL_LAB_HOME is taken from the current folder, made absolute once", () => {
  assert.ok(isAbsolute(stateDir({ REPL_LAB_HOME: "here" })));
});
