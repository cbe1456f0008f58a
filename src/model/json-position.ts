// Where a JSON text breaks, and where a value in it is: V8's JSON.parse messages on Node 20 give no position, and a
// file read as JSON (a shard for merge, the drill progress file) is reported at file:line:column like any other input.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { textPosition } from "./yaml.js";

/** The offset of the first character at which `text` stops being JSON (its length when it ends too soon), or -1 when it is JSON. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const closers: string[] = [];
  const space = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const token = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;
  const key = (): boolean => {
    space();
    if (!token(STRING)) return false;
    space();
    if (text[i] !== ":") return false;
    i++;
    return true;
  };
  for (;;) {
    // A value.
    space();
    if (text[i] === "{" || text[i] === "[") {
      const closer = text[i] === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === closer) i++;
      else {
        closers.push(closer);
        if (closer === "}" && !key()) return i;
        continue;
      }
    } else if (!token(STRING) && !token(SCALAR)) return i;
    // What follows a value: a comma, the end of its container, or the end of the text.
    for (;;) {
      space();
      const closer = closers[closers.length - 1];
      if (closer === undefined) return i < text.length ? i : -1;
      if (text[i] === closer) {
        i++;
        closers.pop();
        continue;
      }
      if (text[i] !== ",") return i;
      i++;
      if (closer === "}" && !key()) return i;
      break;
    }
  }
}


/** The 1-based line and column where `text` stops being JSON, or null when it is JSON. */
export function jsonErrorPosition(text: string): { line: number; column: number } | null {
  const at = jsonErrorOffset(text);
  return at < 0 ? null : textPosition(text, Math.min(text.length, at));
}

/**
 * The 1-based line and column of the value at a path of keys and indexes in a JSON text (JSON is YAML, so the YAML
 * parser's positions serve); a path that runs past the document stops at the deepest value that exists.
 */
export function jsonValuePosition(text: string, path: readonly PropertyKey[]): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let position = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === "number") next = node.items[segment];
    if (next === undefined || next === null || (next as Node).range === undefined) break;
    position = (next as Node).range![0];
    node = next;
  }
  const { line, col } = lineCounter.linePos(position);
  return { line, column: col };
}
