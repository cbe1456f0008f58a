// How a drill's question reads on screen (interactive session, `--show`):
// the prompt, then whatever the answer is chosen from. Pure: returns a string.
import type { ChalkInstance } from "chalk";
import { displayOrder, letter } from "../../drills/exact.js";
import { predictChoices } from "../../drills/predict.js";
import type { Drill } from "../../drills/types.js";
import { hanging, reflow, wrapBlock } from "./wrap.js";

/** `width`: the columns to wrap at (the terminal's); without it lines are left as they are. */
export function renderQuestion(drill: Exclude<Drill, { kind: "generated" }>, color: ChalkInstance, kindLabel: string = drill.kind, width?: number): string {
  const lines = [hanging("", color.bold(`${drill.title}`) + color.dim(`  [${drill.topic} · ${kindLabel} · ${drill.id}]`), width), "", width === undefined ? drill.prompt.trim() : reflow(drill.prompt.trim())];
  switch (drill.kind) {
    case "single":
    case "multiple":
      lines.push("", ...drill.options.map((o, i) => `  ${letter(i)}) ${o.text}`));
      lines.push("", color.dim(drill.kind === "single" ? "Answer with one letter." : "Answer with every right letter, e.g. a,c."));
      break;
    case "ordering": {
      const shown = displayOrder(drill.id, drill.steps.length);
      lines.push("", ...shown.map((step, i) => `  ${letter(i)}) ${drill.steps[step]}`));
      lines.push("", color.dim("Answer with the letters in the right order, e.g. c,a,b."));
      break;
    }
    case "numeric":
      lines.push("", color.dim(`Answer with a number${drill.unit ? ` in ${drill.unit}` : ""}.`));
      break;
    case "predict": {
      lines.push("", color.dim(`Scenario: scenarios/${drill.scenario}.yaml · field: ${drill.field}${drill.unit ? ` (in ${drill.unit})` : ""}`));
      const choices = predictChoices(drill);
      if (drill.answer.form === "buckets") lines.push("", ...choices.map((c, i) => `  ${letter(i)}) ${c}`), "", color.dim("Answer with one letter; the engine will run the scenario to check."));
      else if (drill.answer.form === "yes-no") lines.push("", color.dim("Answer yes or no; the engine will run the scenario to check."));
      else lines.push("", color.dim(`Answer with a number${drill.unit ? ` in ${drill.unit}` : ""}; the engine will run the scenario to check.`));
      break;
    }
    case "text":
      break;
  }
  return wrapBlock(lines.join("\n"), width);
}
