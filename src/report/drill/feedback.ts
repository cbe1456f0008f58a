// The feedback after an answer: score and band, each concept hit or missed
// with the reason it matters, misconceptions, the model answer, where real
// systems differ from the material, the likely follow-up — and for predict
// drills, the engine's timeline that produced the truth. Pure: returns a string.
import { timelineLines } from "../simulate/text.js";
import type { ChalkInstance } from "chalk";
import type { SimulationResult } from "../../engine/result.js";
import type { Drill, FeedbackLine, Grade } from "../../drills/types.js";
import { hanging, reflow, wrapBlock } from "./wrap.js";

export interface FeedbackContext {
  drill: Drill;
  followUp?: Drill | null;
  /** The run behind a predict drill's truth, to show its timeline. */
  result?: SimulationResult | null;
  /** Timeline entries shown at most. */
  timelineMax?: number;
  /** Columns to wrap at (the terminal's); lines are left as they are without it. */
  width?: number;
}

function mark(line: FeedbackLine, color: ChalkInstance, width: number | undefined): string {
  switch (line.status) {
    case "hit":
      return hanging(color.green("  ✓ "), line.text, width);
    case "miss":
      return hanging(color.red("  ✗ "), line.text, width);
    case "warn":
      return hanging(color.yellow("  ⚠ "), line.text, width);
    default:
      return hanging(color.cyan("  • "), line.text, width);
  }
}

export function renderScore(grade: Grade, color: ChalkInstance): string {
  const pct = `${Math.round(grade.score * 100)}%`;
  const paint = grade.band === "strong" ? color.green : grade.band === "partial" ? color.yellow : color.red;
  // Free text is banded (strong / partial / weak); exact kinds are simply right or wrong (or partly, for sets and orders).
  const verdict = grade.kind === "text" ? grade.band : grade.passed ? "correct" : grade.score > 0 ? "partly right" : "wrong";
  return `${color.bold("Score")} ${paint(`${pct} — ${verdict}`)}${grade.passed ? color.green(" ✓ passed") : color.red(" ✗ not passed")}`;
}

/** The run's timeline as simulate prints it (same times, columns and wrapping), cut to its first `max` entries. */
export function renderTimeline(result: SimulationResult, color: ChalkInstance, max = 16, width?: number): string[] {
  // A scenario with no fault (a latency measurement) has no events to show.
  if (result.timeline.length === 0) return [color.dim(hanging("  ", "(no events: nothing failed in this run; the answer is a measurement of normal running)", width))];
  return timelineLines(result, color, "  ", width ?? Infinity, {
    max,
    more: (hidden) => color.dim(hanging("  ", `… ${hidden} more events (repl-lab simulate scenarios/${result.scenario}.yaml shows them all)`, width)),
  });
}

export function renderFeedback(grade: Grade, context: FeedbackContext, color: ChalkInstance): string {
  const lines: string[] = [renderScore(grade, color)];
  const width = context.width;
  if (grade.expected && !grade.passed) lines.push(hanging(`${color.bold("Right answer")} `, grade.expected, width));
  for (const line of grade.feedback) {
    lines.push(mark(line, color, width));
    if (line.why && line.status !== "hit") lines.push(color.dim(hanging("      why: ", line.why.trim().replace(/\s+/g, " "), width)));
  }
  if (grade.truth && context.result) {
    lines.push("", color.bold(hanging("", `What the engine saw (scenarios/${grade.truth.scenario}.yaml, seed ${grade.truth.seed}, ran in ${grade.truth.runMs} ms)`, width)));
    lines.push(...renderTimeline(context.result, color, context.timelineMax, width));
  }
  lines.push("", color.bold("Model answer"), ...indent(grade.modelAnswer, width));
  if (context.drill.note) lines.push("", color.bold("Real systems"), ...indent(context.drill.note.trim(), width));
  if (context.followUp) lines.push("", hanging(`${color.bold("Likely follow-up")} `, `${context.followUp.title} ${color.dim(`(repl-lab drill ${context.followUp.id})`)}`, width));
  return lines.join("\n");
}

/** Prose from a YAML block, indented two columns; at a width its hand-made line breaks are reflowed first, as a prompt's are. */
function indent(text: string, width: number | undefined): string[] {
  const body = width === undefined ? text : reflow(text);
  return wrapBlock(body.split("\n").map((l) => (l.length > 0 ? `  ${l}` : "")).join("\n"), width).split("\n");
}
