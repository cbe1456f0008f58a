// Tables for drills: the list, the end-of-session summary (score per topic)
// and `drill stats`. Pure renderers; cli-table3's own colours are off so
// chalk (and NO_COLOR) decide.
import type { ChalkInstance } from "chalk";
import { renderTable, textTable, type Column } from "../../report/common/table.js";
import { DEFAULT_WIDTH, packParts } from "../../report/common/layout.js";
import type { Stats } from "../../drills/stats.js";
import type { Drill, Grade } from "../../drills/types.js";

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);

/** The drill list as a table laid out to `width` (compact, wrapped or stacked as it must). */
export function renderListText(drills: readonly Drill[], color: ChalkInstance, due?: ReadonlySet<string>, width = DEFAULT_WIDTH): string {
  const columns: Column[] = [{ head: "id" }, { head: "topic", wrap: true }, { head: "kind" }, { head: "title", wrap: true }, ...(due ? [{ head: "due" }] : [])];
  const rows = drills.map((d) => [d.id, d.topic, d.kind, d.title, ...(due ? [due.has(d.id) ? color.yellow("due") : ""] : [])]);
  return `${renderTable({ columns, rows: rows.length > 0 ? rows : [], rowNoun: "drill" }, width, color)}\n${drills.length} drill${drills.length === 1 ? "" : "s"}`;
}

export interface Answered {
  drill: Drill;
  grade: Grade;
}

/** Score per topic for one session, then one line per answer. */
export function renderSessionSummary(answered: readonly Answered[], color: ChalkInstance): string {
  if (answered.length === 0) return color.dim("No drills answered.");
  const byTopic = new Map<string, Answered[]>();
  for (const a of answered) byTopic.set(a.drill.topic, [...(byTopic.get(a.drill.topic) ?? []), a]);
  const t = textTable(["topic", "answered", "passed", "mean score"], color);
  for (const [topic, list] of byTopic) {
    const mean = list.reduce((s, a) => s + a.grade.score, 0) / list.length;
    t.push([topic, String(list.length), String(list.filter((a) => a.grade.passed).length), percent(mean)]);
  }
  const detail = textTable(["drill", "kind", "score", "verdict"], color);
  for (const a of answered) {
    const verdict = a.grade.passed ? color.green("passed") : a.grade.band === "partial" ? color.yellow("partial") : color.red("weak");
    detail.push([a.grade.id, a.grade.kind, percent(a.grade.score), verdict]);
  }
  return `${color.bold("Session summary")}\n${t.toString()}\n${detail.toString()}`;
}

/**
 * The schedule in words, for every combination: cards due now (and when the
 * next one after them is), nothing due but a card scheduled, or nothing
 * scheduled at all (no card practised yet).
 */
export function scheduleLine(due: number, nextDueMs: number | null, nowMs: number, color: ChalkInstance): string {
  if (due > 0) return [color.yellow(`${due} due now`), ...(nextDueMs !== null ? [`more due ${when(nextDueMs, nowMs)}`] : [])].join(" · ");
  if (nextDueMs !== null) return `nothing due · next due ${when(nextDueMs, nowMs)}`;
  return "nothing due, nothing scheduled";
}

/** `drill stats` laid out to `width`: the summary lines packed, the table per topic compact, wrapped or stacked as it must. */
export function renderStatsText(stats: Stats, color: ChalkInstance, nowMs: number, width = DEFAULT_WIDTH): string {
  const lines = [
    ...packParts([`${stats.seen} of ${stats.drills} practised`, scheduleLine(stats.due.length, stats.nextDueMs, nowMs, color)], width, `${color.bold("Drills")} `, "  "),
    ...packParts([`${stats.attempts}`, `accuracy ${percent(stats.accuracy)}`, `${stats.answeredToday} today`, `streak ${stats.streakDays} day${stats.streakDays === 1 ? "" : "s"}`], width, `${color.bold("Answers")} `, "  "),
  ];
  const columns: Column[] = [
    { head: "topic", wrap: true },
    { head: "drills" },
    { head: "practised", short: "seen" },
    { head: "due" },
    { head: "answers", short: "ans" },
    { head: "accuracy", short: "acc" },
    { head: "mean score", short: "mean" },
  ];
  const rows = stats.topics.map((s) => [s.topic, String(s.drills), String(s.seen), s.due > 0 ? color.yellow(String(s.due)) : "0", String(s.attempts), percent(s.accuracy), percent(s.meanScore)]);
  lines.push(renderTable({ columns, rows, rowNoun: "topic" }, width, color));
  if (stats.due.length > 0) lines.push(...packParts(stats.due, width, `${color.bold("Due")} `, "  ", ", "), color.dim("Practise them with: repl-lab drill --due"));
  return lines.join("\n");
}

/** "in under a minute", "in 3h", "in 2d": how far off a due date is (a past date is "now"). */
export function when(dueMs: number, nowMs: number): string {
  if (dueMs <= nowMs) return "now";
  const minutes = Math.round((dueMs - nowMs) / 60_000);
  if (minutes < 1) return "in under a minute";
  if (minutes < 60) return `in ${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours}h`;
  return `in ${Math.round(hours / 24)}d`;
}
