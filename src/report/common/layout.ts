// Text laid out to a width: the terminal's columns, 100 when piped, or what
// --width says. The CLI decides the width and passes it in; a renderer never
// asks the terminal itself, so the same result renders the same at a given
// width everywhere. Widths are measured as a terminal shows them (colour codes
// take no room, wide characters take two), and words are only broken where
// they have spaces: a token longer than the line (a long path) stays whole.
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";

/** The width of text output when nothing else decides it (a pipe, a file, a test). */
export const DEFAULT_WIDTH = 100;
/** Below this nothing reads well; a narrower --width is raised to it. */
export const MIN_WIDTH = 40;
/** The widest --width accepted. */
export const MAX_WIDTH = 1000;

/** How a text renderer is asked to lay out its output. */
export interface TextLayout {
  /** Columns each line must fit in (colour codes excluded). */
  width: number;
}

/** The default layout: DEFAULT_WIDTH columns. */
export const DEFAULT_LAYOUT: TextLayout = { width: DEFAULT_WIDTH };

/**
 * Symbols the reports print that have an emoji form but are drawn in their text form, one column wide, when no
 * emoji selector follows (▶ U+25B6, ✖ U+2716, ⚠ U+26A0). string-width counts them as two, as their emoji form; the
 * tables' own renderer (cli-table3) pads them as one. Measuring them as one keeps the two agreeing (found by a
 * review: a table holding "▶" measured a column wider than it was drawn, so it never fitted exactly and fell to
 * the stacked form).
 */
const TEXT_SYMBOLS = /[\u25B6\u2716\u26A0](?!\uFE0F)/g;

/** The columns a line takes on a terminal. */
export function lineWidth(line: string): number {
  return stringWidth(line.replace(TEXT_SYMBOLS, "x"));
}

/** The widest line of a block of text. */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split("\n").map(lineWidth));
}

/** Pads by visible width, so colour codes and wide characters do not skew columns. */
export function padVisible(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - lineWidth(text)));
}

/**
 * Wraps a paragraph at its spaces so that, with `first` before its first line
 * and `hang` before every other, no line is wider than `width` (a hanging
 * indent). The text may carry colour codes; a word longer than the room left
 * stays whole on a line of its own.
 */
export function wrapHanging(text: string, width: number, first = "", hang = first): string[] {
  const room = Math.max(1, width - Math.max(lineWidth(first), lineWidth(hang)));
  const lines = text === "" ? [""] : wrapAnsi(text, room, { hard: false, trim: true, wordWrap: true }).split("\n");
  return lines.map((line, i) => `${i === 0 ? first : hang}${line}`.trimEnd());
}

/**
 * Parts joined by `separator`, packed into lines no wider than `width`: a line
 * breaks between parts (after the separator), never inside one that fits on a
 * line of its own ("writes unavailable 52s" stays together). The first line
 * starts with `first`, the others with `hang`.
 */
export function packParts(parts: readonly string[], width: number, first = "", hang = first, separator = " · "): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const prefix = lines.length === 0 ? first : hang;
    if (line !== "" && lineWidth(prefix + line + separator + part + separator.trimEnd()) > width) {
      // The separator ends the line, so the next line reads as a continuation.
      lines.push(prefix + line + separator.trimEnd());
      line = part;
    } else line = line === "" ? part : line + separator + part;
  }
  if (line !== "" || lines.length === 0) lines.push((lines.length === 0 ? first : hang) + line);
  // A part wider than a line on its own is wrapped at its spaces.
  return lines.flatMap((l, i) => (lineWidth(l) <= width ? [l] : rewrap(l, width, i === 0 ? first : hang, hang)));
}

function rewrap(line: string, width: number, first: string, hang: string): string[] {
  return wrapHanging(line.slice(first.length), width, first, hang);
}

/** Box-drawing characters a table line starts with: such lines are never re-wrapped. */
const TABLE_LINE = /^\s*[┌│├└┬┼┴┐┤┘─]/;

/**
 * The last word on width: every line of `text` wider than `width` is wrapped
 * at its spaces, continuing under its own indent plus `hang` spaces. Table
 * lines are left alone (tables choose their own layout, see table.ts).
 */
export function fitLines(text: string, width: number, hang = 2): string {
  return text
    .split("\n")
    .flatMap((line) => {
      if (lineWidth(line) <= width || TABLE_LINE.test(line)) return [line];
      const indent = /^ */.exec(line)?.[0] ?? "";
      return wrapHanging(line.slice(indent.length), width, indent, indent + " ".repeat(hang));
    })
    .join("\n");
}
