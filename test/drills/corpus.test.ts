// The grading corpus: every sample answer shipped with a free-text drill must
// land in the band it was written for. Samples are written the way candidates
// answer (paraphrases, typos, hedges, other orders); a second, held-out set of
// paraphrases (fixtures/paraphrases.json) was never used to write the
// rubrics' patterns and guards against tuning them to the corpus' wording.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gradeText } from "../../src/drills/text/grade.js";
import type { Band } from "../../src/drills/types.js";
import { catalog, MATERIAL_IDS, ROOT } from "./helpers.js";

const BANDS: Band[] = ["strong", "partial", "weak"];

describe("grading corpus", () => {
  const texts = catalog().drills.filter((d) => d.kind === "text");

  test("each of the eight material questions has at least two strong, two partial and two weak samples", () => {
    for (const id of MATERIAL_IDS) {
      const d = texts.find((t) => t.id === id);
      assert.ok(d && d.kind === "text", `missing text drill ${id}`);
      for (const band of BANDS) assert.ok((d.samples?.[band].length ?? 0) >= 2, `${id}: fewer than two ${band} samples`);
    }
  });

  test("every other free-text drill has at least one strong and one weak sample", () => {
    for (const d of texts) {
      if (d.kind !== "text" || MATERIAL_IDS.includes(d.id)) continue;
      assert.ok((d.samples?.strong.length ?? 0) >= 1, `${d.id}: no strong sample`);
      assert.ok((d.samples?.weak.length ?? 0) >= 1, `${d.id}: no weak sample`);
    }
  });

  for (const d of texts) {
    if (d.kind !== "text") continue;
    test(`${d.id}: every sample is classified in its band`, () => {
      const wrong: string[] = [];
      for (const band of BANDS) {
        for (const sample of d.samples?.[band] ?? []) {
          const graded = gradeText(d.rubric, sample);
          if (graded.band !== band) {
            const hits = graded.concepts.filter((c) => c.hit).map((c) => c.concept.id);
            wrong.push(`wanted ${band}, got ${graded.band} (${graded.score}; hits ${hits.join(",")}; misconceptions ${graded.misconceptions.map((m) => m.misconception.id).join(",")}): ${sample.slice(0, 90)}`);
          }
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("held-out paraphrases (written after the rubrics, never tuned on) are classified in their bands", () => {
    const rows = JSON.parse(readFileSync(join(ROOT, "test/drills/fixtures/paraphrases.json"), "utf8")) as Array<{ id: string; band: Band; answer: string }>;
    assert.ok(rows.length >= 60);
    const wrong = rows.flatMap((row) => {
      const d = catalog().byId.get(row.id);
      assert.ok(d && d.kind === "text", row.id);
      const graded = gradeText(d.rubric, row.answer);
      return graded.band === row.band ? [] : [`${row.id}: wanted ${row.band}, got ${graded.band} (${graded.score}): ${row.answer.slice(0, 80)}`];
    });
    assert.deepEqual(wrong, []);
  });

  test("the model answer of every free-text drill earns full marks against its own rubric (found by a review)", () => {
    const short = texts.flatMap((d) => {
      if (d.kind !== "text") return [];
      const graded = gradeText(d.rubric, d.model_answer);
      return graded.score === 1 ? [] : [`${d.id}: ${graded.score} (not credited: ${graded.concepts.filter((c) => !c.hit).map((c) => `${c.concept.id}${c.named ? " (only named)" : c.lacking ? ` (${c.lacking})` : ""}`).join(", ")})`];
    });
    assert.deepEqual(short, []);
  });

  test("the model answer of every free-text drill grades strong against its own rubric", () => {
    const weak = texts.flatMap((d) => {
      if (d.kind !== "text") return [];
      const graded = gradeText(d.rubric, d.model_answer);
      return graded.band === "strong" ? [] : [`${d.id}: ${graded.score} (missed ${graded.concepts.filter((c) => !c.hit).map((c) => c.concept.id).join(", ")})`];
    });
    assert.deepEqual(weak, []);
  });
});
