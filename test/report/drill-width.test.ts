// Drill output at the width asked for: every question of the catalogue, and
// the drill list, fit 60 and 80 columns; a prompt's hand-made line breaks are
// reflowed into paragraphs (lists and indented lines stay as they are).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { loadCatalog } from "../../src/drills/catalog.js";
import { renderQuestion } from "../../src/report/drill/question.js";
import { renderListText } from "../../src/report/drill/tables.js";
import { reflow } from "../../src/report/drill/wrap.js";

const plain = new Chalk({ level: 0 });
const widest = (text: string) => Math.max(...text.split("\n").map((l) => [...l].length));

test("reflow joins a paragraph's lines and keeps blank lines, list items and indented lines", () => {
  assert.equal(reflow("one\ntwo three\n\nfour\n- a\n- b\n  code\nfive"), "one two three\n\nfour\n- a\n- b\n  code\nfive");
});

test("every question fits 60 and 80 columns, its words in their order", () => {
  const catalog = loadCatalog();
  for (const drill of catalog.drills) {
    if (drill.kind === "generated") continue;
    for (const width of [60, 80]) {
      const text = renderQuestion(drill, plain, drill.kind, width);
      // A single word longer than the width (a URL, a path) may stick out; nothing else.
      for (const line of text.split("\n")) assert.ok([...line].length <= width || !line.trim().includes(" "), `${drill.id} at ${width}: ${line}`);
      assert.equal(text.replace(/\s+/g, " ").includes(drill.prompt.trim().replace(/\s+/g, " ")), true, `${drill.id}: the prompt's words survive wrapping`);
    }
  }
});

test("the drill list fits the width it is given", () => {
  const drills = loadCatalog().drills;
  for (const width of [60, 80, 120]) assert.ok(widest(renderListText(drills, plain, undefined, width)) <= width, `at ${width}`);
});
