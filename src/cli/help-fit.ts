// Help text at the terminal's width. Commander wraps its own sections (usage,
// options, commands) to the help width; the sections we add after them
// (examples, the preset list) are ours to fit. A line that fits is left alone.
// A shell example too long is continued with a backslash, split only at
// spaces outside quotes, so that it can still be pasted as it reads; its
// trailing comment moves to a line of its own above it. A two-column row
// (a name, then its description) wraps under its description; a comment
// wraps as comment lines; other prose wraps under its own indent.
import { resolveWidth, type OutputTarget } from "./width.js";

/** Commander's help width when nothing says otherwise. */
const HELP_FALLBACK_WIDTH = 80;

/** The width of help output, decided as every report's (COLUMNS, else the terminal's), with commander's 80 as the fallback. */
export function helpWidth(terminal: OutputTarget | undefined): number {
  return resolveWidth(undefined, terminal ?? {}, HELP_FALLBACK_WIDTH);
}

/** Every line of `text` within `width` columns (as far as words allow: a single word longer than the width stays whole). */
export function fitHelp(text: string, width: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length <= width) out.push(line);
    else if (isProse(line) && indentOf(line) === "") {
      // A paragraph broken for 80 columns: its following prose lines wrap with it, not one by one. (Indented
      // lines are lists: each stays an item of its own.)
      let paragraph = line;
      while (i + 1 < lines.length && isProse(lines[i + 1]) && lines[i + 1].trim() !== "" && indentOf(lines[i + 1]) === "") paragraph += ` ${lines[++i].trim()}`;
      out.push(...wrapWords(paragraph, width, "", ""));
    } else out.push(...fitLine(line, width));
  }
  return out.join("\n");
}

/** A shell example; a comment; a two-column row (a name of words joined by single spaces, two or more spaces, its description). */
const COMMAND = /^(\s*)\$ (.*)$/;
const COMMENT = /^(\s*)# (.*)$/;
const ROW = /^(\s+\S+(?: \S+)*\s{2,})(\S.*)$/;
/** A list item starts its own line: "- x", "* x", "1. x". */
const ITEM = /^\s*(?:[-*]|\d+\.)\s/;

function isProse(line: string): boolean {
  return !COMMAND.test(line) && !COMMENT.test(line) && !ROW.test(line) && !ITEM.test(line);
}

function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}

function fitLine(line: string, width: number): string[] {
  const command = COMMAND.exec(line);
  if (command) return fitCommand(command[1], command[2], width);
  const comment = COMMENT.exec(line);
  if (comment) return wrapWords(comment[2], width, `${comment[1]}# `, `${comment[1]}# `);
  const row = ROW.exec(line);
  if (row && row[1].length <= width / 2) return wrapWords(row[2], width, row[1], " ".repeat(row[1].length));
  // A list item too long: its continuation hangs two columns further in, so the next item still reads as one.
  const indent = indentOf(line);
  return wrapWords(line.slice(indent.length), width, indent, indent === "" ? "" : `${indent}  `);
}

/** Words onto lines: the first starts with `first`, the others with `rest`. */
function wrapWords(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (!empty && current.length + 1 + word.length > width) {
      lines.push(current);
      current = rest + word;
    } else current += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** A shell example: a trailing comment on its own line above, then the command continued with backslashes. */
function fitCommand(indent: string, body: string, width: number): string[] {
  const out: string[] = [];
  const tail = /^(.*?\S)\s{2,}# (.*)$/.exec(body);
  if (tail && !insideQuotes(tail[1])) {
    out.push(...wrapWords(tail[2], width, `${indent}# `, `${indent}# `));
    body = tail[1];
  }
  const tokens = shellTokens(body);
  let current = `${indent}$ ${tokens[0] ?? ""}`;
  const continued = `${indent}    `;
  for (const token of tokens.slice(1)) {
    // Room for the " \" that continues the line.
    if (current.length + 1 + token.length + 2 > width && current.trim() !== "$") {
      out.push(`${current} \\`);
      current = continued + token;
    } else current += ` ${token}`;
  }
  out.push(current);
  return out;
}

/** Whether a text ends inside an open quote (its `#` would be part of a word, not a comment). */
function insideQuotes(text: string): boolean {
  let quote: string | null = null;
  for (const c of text) {
    if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = null;
  }
  return quote !== null;
}

/** A command split at spaces outside quotes (the quotes kept), so a break never falls inside an argument. */
function shellTokens(command: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const c of command) {
    if (quote === null && c === " ") {
      if (current !== "") tokens.push(current);
      current = "";
      continue;
    }
    if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = null;
    current += c;
  }
  if (current !== "") tokens.push(current);
  return tokens;
}
