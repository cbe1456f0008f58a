// Word wrap for drill output, to the width the CLI renders at: a line that
// would run past the edge breaks between words, and its continuation lines
// hang under the text, not under the marker ("  ✓ ", "      why: "), so a
// long concept label or reason reads as one block at 80 columns. Without a
// width (the caller did not say) lines are left as they are. Pure.
import wrapAnsi from "wrap-ansi";

const ANSI = /\u001b\[[0-9;]*m/g;

/** Narrowest text column wrapping keeps; below it a line is left long rather than cut into words of one per line. */
const MIN_TEXT_COLUMNS = 20;

/** `prefix` + `text`, wrapped to `width` with continuation lines indented to the prefix's width. */
export function hanging(prefix: string, text: string, width: number | undefined): string {
  if (width === undefined) return prefix + text;
  // The markers (✓ ✗ ⚠ •) take one column in a terminal, whatever emoji tables say: count characters, not width.
  const indent = [...prefix.replace(ANSI, "")].length;
  const columns = width - indent;
  if (columns < MIN_TEXT_COLUMNS) return prefix + text;
  const wrapped = wrapAnsi(text, columns, { hard: false, trim: true });
  return wrapped
    .split("\n")
    .map((line, i) => (i === 0 ? prefix : " ".repeat(indent)) + line)
    .join("\n");
}

/** Each line of a block wrapped on its own, keeping its leading spaces as the hanging indent. */
export function wrapBlock(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split("\n")
    .map((line) => {
      const lead = /^\s*(?:[-*•]\s+|\d+[.)]\s+|[a-h]\)\s+)?/.exec(line)![0];
      return line.length === 0 ? line : hanging(lead, line.slice(lead.length), width);
    })
    .join("\n");
}

/**
 * Prose whose lines were broken by hand (a YAML block) as paragraphs again:
 * a plain line joins the plain line before it; blank lines, list items and
 * indented lines (and whatever follows them) keep their own lines, so that
 * wrapping to a narrower width does not leave the old line ends in the middle
 * of the new lines.
 */
export function reflow(text: string): string {
  const out: string[] = [];
  let joinable = false;
  for (const line of text.split("\n")) {
    const plain = line.trim() !== "" && !/^\s/.test(line) && !LIST_ITEM.test(line);
    if (plain && joinable) out[out.length - 1] = `${out[out.length - 1].trimEnd()} ${line.trim()}`;
    else out.push(line);
    joinable = plain;
  }
  return out.join("\n");
}

const LIST_ITEM = /^(?:[-*•]\s+|\d+[.)]\s+|[a-h]\)\s+)/;
