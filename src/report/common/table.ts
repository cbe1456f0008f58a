// The bordered text tables of the reports, laid out to a width. A table is
// tried in ever narrower layouts, each rendered and measured, and the first
// that fits is printed: the full table; the compact table (short headers);
// the compact table with its wrappable columns word-wrapped; those two again
// with each column whose cells are all the same moved out into one line under
// the table; and last the stacked form, one block per row with "label: value"
// lines, which fits any width. Nothing is dropped along the way: every cell of every row is
// printed in each layout, if only once for a column that is the same in all.
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";
import { lineWidth, packParts, widestLine, wrapHanging } from "./layout.js";

export function textTable(head: string[], chalk: ChalkInstance): Table.Table {
  // cli-table3 colours headers itself; switch that off so chalk (and NO_COLOR) decide.
  return new Table({ head: head.map((h) => chalk.bold(h)), style: { head: [], border: [] } }) as Table.Table;
}

export interface Column {
  /** The header of the full table, and the label of the stacked form. */
  head: string;
  /** A shorter header for the compact table ("RPO tgt"); the full one when absent. */
  short?: string;
  /** The stacked form's label, when the header alone would be ambiguous there ("p95" of what). */
  label?: string;
  /** Whether the column's cells may be word-wrapped in a narrow table (lists, short phrases); "prose": sentences, kept PROSE_WIDTH wide at least. */
  wrap?: boolean | "prose";
  /** Keep the column in every row even when its cells are all the same (a verdict is read row by row). */
  keep?: boolean;
}

export interface TableSpec {
  columns: Column[];
  /** Cells, already coloured; a cell may hold several lines. */
  rows: string[][];
  /** Put before every line (the table's place in its section). */
  indent?: string;
  /** The stacked form's title line of a row; the row's first cell when absent (that column is then not repeated as a label). */
  title?: (row: string[], index: number) => string;
  /** What a row stands for, in the compact table's line of shared values ("in every run: …"); "row" when absent. */
  rowNoun?: string;
  /** cli-table3 border characters (a compact table without row rules). */
  chars?: Partial<Record<"mid" | "left-mid" | "mid-mid" | "right-mid", string>>;
}

/** Which layout a table came out in, for tests and for callers that word things differently. */
export type TableLayout = "full" | "compact" | "wrapped" | "notes" | "stacked";

/** The table laid out to `width`: the widest layout that fits, measured. */
export function renderTable(spec: TableSpec, width: number, chalk: ChalkInstance): string {
  return layoutTable(spec, width, chalk).text;
}

export function layoutTable(spec: TableSpec, width: number, chalk: ChalkInstance): { layout: TableLayout; text: string } {
  const indent = spec.indent ?? "";
  const full = bordered(spec, spec.columns.map((c) => c.head), chalk);
  if (widestLine(indent + full) <= width) return { layout: "full", text: indented(full, indent) };
  // Values stay in their rows while that fits; a column the same in every row moves out only when it must.
  const { narrow, shared } = withoutSharedColumns(spec);
  const candidates: [TableSpec, string[]][] = shared.length > 0 ? [[spec, []], [narrow, shared]] : [[spec, []]];
  for (const [table, moved] of candidates) {
    const fitted = compactOrWrapped(table, moved, width, chalk, spec.rowNoun ?? "row");
    if (fitted) return fitted;
  }
  const notes = withProseAsNotes(spec, width, chalk);
  if (notes) return { layout: "notes", text: notes };
  return { layout: "stacked", text: stacked(spec, width, chalk) };
}

/**
 * The rows still side by side without their prose columns, and each row's prose under the table, labelled by the
 * row's first cell: the figures stay comparable across rows while the sentences get the page's width. Null when
 * the table has no prose column, or fits no better without it.
 */
function withProseAsNotes(spec: TableSpec, width: number, chalk: ChalkInstance): string | null {
  const prose = spec.columns.map((c) => c.wrap === "prose");
  if (!prose.includes(true) || prose[0] || spec.title !== undefined) return null;
  const table: TableSpec = { ...spec, columns: spec.columns.filter((_, i) => !prose[i]), rows: spec.rows.map((row) => row.filter((_, i) => !prose[i])) };
  const indent = spec.indent ?? "";
  const full = bordered(table, table.columns.map((c) => c.head), chalk);
  const fitted = widestLine(indent + full) <= width ? indented(full, indent) : compactOrWrapped(table, [], width, chalk, spec.rowNoun ?? "row")?.text;
  if (fitted === undefined) return null;
  const lines: string[] = [];
  spec.columns.forEach((column, i) => {
    if (!prose[i]) return;
    for (const row of spec.rows) {
      if ((row[i] ?? "") === "") continue;
      lines.push(...wrapHanging(`${row[0].trim()} — ${row[i]}`, width, `${indent}${chalk.dim(`${column.label ?? column.head}:`)} `, `${indent}  `));
    }
  });
  return [fitted, ...lines].join("\n");
}

/** The compact table, else the word-wrapped one, with the moved-out columns' line under it; null when neither fits. */
function compactOrWrapped(table: TableSpec, moved: string[], width: number, chalk: ChalkInstance, rowNoun: string): { layout: TableLayout; text: string } | null {
  const indent = table.indent ?? "";
  const heads = table.columns.map((c) => c.short ?? c.head);
  const caption = moved.length === 0 ? "" : `\n${packParts(moved, width, `${indent}in every ${rowNoun}: `, `${indent}  `).join("\n")}`;
  if (moved.length > 0 || table.columns.some((c) => c.short !== undefined)) {
    const compact = bordered(table, heads, chalk);
    if (widestLine(indent + compact + caption) <= width) return { layout: "compact", text: indented(compact, indent) + caption };
  }
  const widths = wrappedWidths(table, heads, width - lineWidth(indent));
  if (widths === null) return null;
  const wrapped = bordered(table, heads, chalk, widths);
  return widestLine(indent + wrapped + caption) <= width ? { layout: "wrapped", text: indented(wrapped, indent) + caption } : null;
}

/**
 * The table without the columns (after the first) whose cells are the same in
 * every one of two or more rows, and those columns as "head value" parts: said
 * once under the table, they free their width for the others.
 */
function withoutSharedColumns(spec: TableSpec): { narrow: TableSpec; shared: string[] } {
  const same = (i: number) => i > 0 && !spec.columns[i].keep && spec.rows.length > 1 && spec.rows.every((row) => row[i] === spec.rows[0][i]) && !spec.rows[0][i].includes("\n");
  const keep = spec.columns.map((_, i) => !same(i));
  // Out of its table a header loses the neighbours that told what it measures ("p95" of what): the label says.
  const shared = spec.columns.filter((_, i) => !keep[i]).map((c) => `${c.label ?? c.head} ${spec.rows[0][spec.columns.indexOf(c)]}`);
  // A column whose header leans on the one that starts its group ("p95" after "RTO p50") says its label when that one moved out.
  const groupHead = (i: number) => {
    let j = i;
    while (j > 0 && spec.columns[j].label !== undefined) j--;
    return j;
  };
  const columns = spec.columns.map((c, i) => (c.label !== undefined && !keep[groupHead(i)] ? { ...c, head: c.label, short: undefined } : c));
  return {
    narrow: { ...spec, columns: columns.filter((_, i) => keep[i]), rows: spec.rows.map((row) => row.filter((_, i) => keep[i])) },
    shared,
  };
}

function indented(text: string, indent: string): string {
  return indent === "" ? text : text.split("\n").map((l) => indent + l).join("\n");
}

function bordered(spec: TableSpec, heads: string[], chalk: ChalkInstance, colWidths?: number[]): string {
  const options: Table.TableConstructorOptions = { head: heads.map((h) => chalk.bold(h)), style: { head: [], border: [] } };
  if (spec.chars) options.chars = spec.chars;
  if (colWidths) Object.assign(options, { colWidths, wordWrap: true, wrapOnWordBoundary: true });
  const t = new Table(options) as Table.Table;
  for (const row of spec.rows) t.push(row);
  return rowRuleUnderHead(t.toString(), spec);
}

/** A table without row rules still gets one under its header. */
function rowRuleUnderHead(text: string, spec: TableSpec): string {
  if (spec.chars?.mid !== "") return text;
  const lines = text.split("\n");
  if (lines.length < 3) return text;
  const rule = lines[0].replace("┌", "├").replace("┐", "┤").replace(/┬/g, "┼");
  return [lines[0], lines[1], rule, ...lines.slice(2)].join("\n");
}

/** A cell this short is never wrapped: "0 lost" broken in two reads worse than any other layout. */
const SHORT_CELL = 12;

/**
 * A wrapped column of prose is kept at least this wide: narrower, a sentence stands a word or two to a line down
 * a tall column (found by a review: the recovery options' "why" at 80 columns, 8 wide and 20 lines tall), and the
 * stacked form reads better.
 */
const PROSE_WIDTH = 24;

/** How narrow a wrapped column may make a cell: its widest word, or the whole cell when it is short; a prose column's no narrower than PROSE_WIDTH. */
function leastWidth(text: string, prose = false): number {
  const floor = (line: number) => (prose ? Math.min(line, PROSE_WIDTH) : 0);
  return Math.max(0, ...text.split("\n").map((line) => (lineWidth(line) <= SHORT_CELL ? lineWidth(line) : Math.max(floor(lineWidth(line)), ...line.split(/\s+/).map(lineWidth)))));
}

/**
 * Column widths (padding included) that fit `room`, shrinking only the
 * wrappable columns, the widest first, and never below their widest word (nor
 * a short cell's whole width); null when even that does not fit.
 */
function wrappedWidths(spec: TableSpec, heads: string[], room: number): number[] | null {
  if (!spec.columns.some((c) => c.wrap)) return null;
  const cells = (i: number) => [heads[i], ...spec.rows.map((r) => r[i] ?? "")];
  const natural = spec.columns.map((_, i) => Math.max(...cells(i).map(widestLine)) + 2);
  const least = spec.columns.map((c, i) => (c.wrap ? Math.max(...cells(i).map((cell) => leastWidth(cell, c.wrap === "prose"))) + 2 : natural[i]));
  const budget = room - (spec.columns.length + 1);
  if (least.reduce((a, b) => a + b, 0) > budget) return null;
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > least[i] && (widest < 0 || w > widths[widest])) widest = i;
    });
    widths[widest]--;
    total--;
  }
  return widths;
}

/** One block per row: its title, then "label: value" lines with values wrapped under themselves. */
function stacked(spec: TableSpec, width: number, chalk: ChalkInstance): string {
  // Blocks sit indented under their section's title, as the section's other lines do.
  const indent = spec.indent || "  ";
  const titled = spec.title !== undefined;
  const fields = spec.columns.map((c, i) => ({ label: `${c.label ?? c.head}:`, i })).filter(({ i }) => titled || i > 0);
  const labelWidth = Math.max(...fields.map((f) => lineWidth(f.label)));
  const inner = `${indent}  `;
  // Values beside their labels while that leaves them room; under them when it does not.
  const beside = width - (lineWidth(inner) + labelWidth + 1) >= Math.min(30, Math.floor(width / 2));
  const blocks = spec.rows.map((row, r) => {
    const title = titled ? spec.title!(row, r) : row[0];
    const lines = wrapHanging(title, width, indent, `${indent}  `).map((l) => chalk.bold(l));
    for (const { label, i } of fields) lines.push(...field(label, row[i] ?? "", beside ? labelWidth : -1, inner, width, chalk));
    return lines.join("\n");
  });
  return blocks.join(spec.rows.length > 1 ? "\n\n" : "\n");
}

function field(label: string, value: string, labelWidth: number, inner: string, width: number, chalk: ChalkInstance): string[] {
  const paragraphs = value.split("\n");
  if (labelWidth < 0) {
    const under = `${inner}  `;
    return [`${inner}${chalk.dim(label)}`, ...paragraphs.flatMap((p) => wrapHanging(p, width, under, under))];
  }
  const hang = " ".repeat(lineWidth(inner) + labelWidth + 1);
  const first = `${inner}${chalk.dim(label)}${" ".repeat(labelWidth - lineWidth(label) + 1)}`;
  return paragraphs.flatMap((p, i) => wrapHanging(p, width, i === 0 ? first : hang, hang));
}
