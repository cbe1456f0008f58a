// Reading YAML safely and keeping source positions. The yaml library reports
// syntax errors and duplicate keys with positions, but its alias limit applies
// only in toJS() and carries no position, so aliases are measured here first:
// a billion-laughs document is refused after a walk proportional to its text,
// never expanded. Keys that could reach an object's prototype are refused too.
import { readFileSync, statSync } from "node:fs";
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { InputError, type Diagnostic } from "./diagnostics.js";

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Nodes a document may expand to once aliases are resolved. */
export const MAX_EXPANDED_NODES = 200_000;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
}

export function readText(file: string): string {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError([{ file, line: 0, column: 0, message: "is a directory; expected a YAML file" }]);
    if (stat.size > MAX_FILE_BYTES) {
      throw new InputError([{ file, line: 0, column: 0, message: `is ${stat.size} bytes; files above ${MAX_FILE_BYTES} bytes are refused` }]);
    }
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String((error as Error).message);
    throw new InputError([{ file, line: 0, column: 0, message: `cannot read the file: ${reason}` }]);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const before = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, nul));
    throw new InputError([{ file, ...textPosition(before, before.length), message: "is a binary file (it holds a NUL byte), not YAML text" }]);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const bad = text.indexOf("\uFFFD");
  if (bad >= 0) {
    throw new InputError([{ file, ...textPosition(text, bad), message: "is not valid UTF-8 text (save it as UTF-8); expected a YAML file" }]);
  }
  return text;
}

/** The 1-based line and column (in characters) of an offset into a text. */
function textPosition(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Line by line: one regular expression over the whole text backtracks exponentially on blank lines.
  if (text.split("\n").every((line) => /^\s*(#.*)?$/.test(line))) {
    throw new InputError([{ file, line: 1, column: 1, message: "the file is empty; expected a YAML mapping that starts with `kind:`" }]);
  }
  // uniqueKeys is off: the library compares every key with every other (quadratic in a
  // mapping's size); checkNodes finds duplicates with a set instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  const at = (offset: number) => lineCounter.linePos(Math.min(offset, text.length));
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const { line, col } = at(error.pos[0]);
    diagnostics.push({ file, line, column: col, message: yamlMessage(error.code, error.message) });
  }
  diagnostics.push(...checkNodes(doc, file, at));
  if (diagnostics.length > 0) throw new InputError(diagnostics.sort((a, b) => a.line - b.line || a.column - b.column));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    throw new InputError([{ file, line: 1, column: 1, message: `cannot read the YAML: ${(error as Error).message}` }]);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InputError([{ file, line: 1, column: 1, message: "expected a YAML mapping that starts with `kind:` at the top level" }]);
  }
  return { file, text, doc, lineCounter, data };
}

export function loadYaml(file: string): YamlSource {
  return parseYaml(file, readText(file));
}

function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  switch (code) {
    case "DUPLICATE_KEY":
      return "duplicate key: each key may appear once in a mapping";
    case "MULTIPLE_DOCS":
      return "more than one YAML document; expected one document per file";
    default:
      return `invalid YAML: ${first}`;
  }
}

/** Walks the node tree once: refuses prototype keys and measures alias expansion. */
function checkNodes(doc: Document.Parsed, file: string, at: (offset: number) => { line: number; col: number }): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const expanded = new Map<Node, number>();
  let aliasReported = false;

  const sizeOf = (node: unknown, depth: number): number => {
    if (node === null || node === undefined) return 1;
    if (depth > 200) {
      if (!aliasReported) {
        aliasReported = true;
        const range = (node as Node).range;
        const { line, col } = at(range ? range[0] : 0);
        diagnostics.push({ file, line, column: col, message: "the document nests deeper than 200 levels; refused" });
      }
      return MAX_EXPANDED_NODES;
    }
    if (isAlias(node)) {
      const target = (node as Alias).resolve(doc);
      const size = target ? (expanded.get(target as Node) ?? sizeOf(target, depth + 1)) : 1;
      return size;
    }
    const cached = expanded.get(node as Node);
    if (cached !== undefined) return cached;
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          if (isScalar(item.key) && typeof item.key.value === "string" && FORBIDDEN_KEYS.has(item.key.value)) {
            const { line, col } = at(item.key.range ? item.key.range[0] : 0);
            diagnostics.push({ file, line, column: col, message: `the key "${item.key.value}" is not allowed (it could alter object prototypes)` });
          }
          size += sizeOf(item.key, depth + 1) + sizeOf(item.value, depth + 1);
        } else {
          size += sizeOf(item, depth + 1);
        }
        if (size >= MAX_EXPANDED_NODES) break;
      }
    }
    size = Math.min(size, MAX_EXPANDED_NODES);
    expanded.set(node as Node, size);
    return size;
  };

  const total = sizeOf(doc.contents, 0);
  if (total >= MAX_EXPANDED_NODES && !aliasReported) {
    let firstAlias: Node | undefined;
    const find = (node: unknown): void => {
      if (firstAlias || node === null || node === undefined) return;
      if (isAlias(node)) firstAlias = node as Node;
      else if (isMap(node) || isSeq(node)) for (const item of node.items) isPair(item) ? (find(item.key), find(item.value)) : find(item);
    };
    find(doc.contents);
    const { line, col } = at(firstAlias?.range ? firstAlias.range[0] : 0);
    diagnostics.push({
      file,
      line,
      column: col,
      message: `aliases expand this document past ${MAX_EXPANDED_NODES} nodes (an alias bomb?); refused`,
    });
  }
  return diagnostics;
}

/**
 * The source position of a value (or of its key, with `key: true`) at a path of
 * keys and indexes. A path that runs past the document (a missing key) stops at
 * the deepest node that exists.
 */
export function locate(source: YamlSource, path: readonly PropertyKey[], options: { key?: boolean } = {}): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let position = node && (node as Node).range ? (node as Node).range![0] : 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = (node as Alias).resolve(source.doc);
    let next: unknown;
    let keyNode: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        next = pair.value;
        keyNode = pair.key as Node;
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
    }
    if (next === undefined && keyNode === undefined) break;
    const last = i === path.length - 1;
    const chosen = last && options.key && keyNode ? keyNode : ((next as Node | null) ?? keyNode);
    if (chosen && (chosen as Node).range) position = (chosen as Node).range![0];
    else if (keyNode?.range) position = keyNode.range[0];
    node = next;
  }
  const { line, col } = source.lineCounter.linePos(position);
  return { line, column: col };
}
