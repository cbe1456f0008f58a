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
