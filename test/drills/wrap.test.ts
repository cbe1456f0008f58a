// Drill output at the terminal's width: questions and feedback wrap between
// words at 80 and 120 columns, continuation lines hang under the text (not
// under the ✓ / ✗ / why: markers), and without a width nothing changes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Chalk } from "chalk";
import { findDrill } from "../../src/drills/catalog.js";
import { gradeAnswer } from "../../src/drills/grade.js";
import { renderFeedback } from "../../src/report/drill/feedback.js";
import { renderQuestion } from "../../src/report/drill/question.js";
import { hanging } from "../../src/report/drill/wrap.js";
import { catalog } from "./helpers.js";

const plain = new Chalk({ level: 0 });
const ANSWER = "It is instant, and the replicas have all the data. We measure the RTO.";

function feedback(width?: number): string {
  const resolved = findDrill(catalog(), "followup-failover-timeline");
  const grade = gradeAnswer(resolved, ANSWER);
  return renderFeedback(grade, { drill: resolved.drill, followUp: catalog().byId.get("followup-bad-update"), width }, plain);
}

describe("drill output at the terminal's width", () => {
  for (const width of [80, 120]) {
    test(`feedback and questions fit ${width} columns`, () => {
      const question = findDrill(catalog(), "ord-failover-steps").drill;
      assert.ok(question.kind === "ordering");
      for (const text of [feedback(width), renderQuestion(question, plain, "ordering", width)]) {
        const long = text.split("\n").filter((line) => [...line].length > width);
        assert.deepEqual(long, []);
      }
    });
  }

  test("continuation lines hang under the text, not under the marker", () => {
    const text = feedback(80);
    const lines = text.split("\n");
    const why = lines.findIndex((l) => l.startsWith("      why: Detection alone takes seconds"));
    assert.ok(why >= 0, text);
    assert.match(lines[why + 1], /^ {11}\S/, "a why: line continues under its text");
    assert.equal(hanging("  ✗ ", "word ".repeat(30).trim(), 40).split("\n")[1].match(/^ */)![0].length, 4);
  });

  test("without a width the lines are left as they are", () => {
    assert.ok(feedback().split("\n").some((line) => line.length > 120));
  });
});

describe("feedback on a wrong exact answer at the terminal's width", () => {
  function wrong(id: string, answer: string, width?: number): string {
    const resolved = findDrill(catalog(), id);
    return renderFeedback(gradeAnswer(resolved, answer), { drill: resolved.drill, width }, plain);
  }

  test("the right answer wraps under its text like every other line", () => {
    // sc-bad-delete's right option is 96 columns with its label.
    for (const width of [60, 80]) {
      const text = wrong("sc-bad-delete", "a", width);
      assert.deepEqual(text.split("\n").filter((line) => [...line].length > width), [], `at ${width}:\n${text}`);
      const lines = text.split("\n");
      const at = lines.findIndex((l) => l.startsWith("Right answer b) Point-in-time restore"));
      assert.ok(at >= 0, text);
      assert.match(lines[at + 1], /^ {13}\S/, "its continuation hangs under the answer, not under the label");
    }
  });

  test("the model answer and the real-systems note are reflowed: no line ends where the YAML line did", () => {
    // Hand-broken at about 72 columns in drills/backups.yaml; at 120 columns each paragraph is one line.
    const text = wrong("sc-bad-delete", "a", 120);
    const lines = text.split("\n");
    const model = lines.indexOf("Model answer");
    assert.ok(model >= 0, text);
    assert.match(lines[model + 1], /^ {2}Replication survives hardware failure; only backups survive software failure\. PITR/);
    const numeric = wrong("num-restore-time", "30", 120).split("\n");
    const note = numeric.indexOf("Real systems");
    assert.ok(note >= 0 && [...numeric[note + 1]].length > 80, numeric.join("\n"));
    // At 40 columns no line of the model answer is left short where the source broke it.
    const narrow = wrong("sc-bad-delete", "a", 40).split("\n");
    const from = narrow.indexOf("Model answer") + 1;
    assert.deepEqual(narrow.slice(from, from + 2), ["  Replication survives hardware failure;", "  only backups survive software failure."]);
  });
});
