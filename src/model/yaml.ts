// Reading YAML safely and keeping source positions. The yaml library reports
// syntax errors and duplicate keys with positions, but its alias limit applies
// only in toJS() and carries no position, so aliases are measured here first:
// a billion-laughs document is refused after a walk proportional to its text,
// never expanded. Keys that could reach an object's prototype are refused too.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { Alias, Composer, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, YAMLParseError, type CST, type Node } from "yaml";
import { formatSize } from "../base/units.js";
import { fileProblem, InputError, type Diagnostic } from "./diagnostics.js";

/**
 * The largest file read (1 MiB; the largest bundled file is about 40 KiB). The
 * yaml library's node tree costs tens of bytes per byte of text, so this bound
 * and MAX_SOURCE_VALUES together keep any accepted input's parse near 150 MB.
 */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Nodes a document may expand to once aliases are resolved. */
export const MAX_EXPANDED_NODES = 200_000;
/**
 * Values a file may hold as written, counted by a scan of its text before the
 * yaml library builds a node tree (about a kilobyte per node): the largest
 * bundled file holds about 5,000.
 */
export const MAX_SOURCE_VALUES = 50_000;
const TOO_MANY_VALUES = `the document holds more than ${MAX_SOURCE_VALUES} values (a design needs a few thousand); refused before parsing`;
/** Nesting levels a document may have (the yaml library's parser recurses per level). */
export const MAX_DEPTH = 200;
/** Anchors and aliases a document may hold (a configuration file needs a handful). */
export const MAX_ANCHORS_AND_ALIASES = 1000;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The parser's tokens (comments included), kept so that whoever reads the comments need not parse the text again. */
  tokens: readonly CST.Token[];
  data: unknown;
}

export function readText(file: string): string {
  const bytes = readBounded(file, MAX_FILE_BYTES, "a YAML file");
  const encoding = wideEncoding(bytes);
  if (encoding !== null) throw new InputError([{ file, line: 1, column: 1, message: `is ${encoding} text; save it as UTF-8 (expected a YAML file)` }]);
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

/**
 * The file's bytes, at most MAX_FILE_BYTES of them. Only a regular file is
 * read: a FIFO would block forever and a device (/dev/zero) never ends, so the
 * file is opened without blocking and its type checked on the open descriptor
 * (no race with a rename). The reported size is not trusted either (/proc
 * files report 0): reading stops one byte past the limit.
 */
export function readBounded(file: string, maxBytes: number, expected: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError([fileProblem(file, `cannot read the file: ${errnoReason(error)}; expected ${expected}`)]);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError([fileProblem(file, `is a directory; expected ${expected}`)]);
    if (!stat.isFile()) throw new InputError([fileProblem(file, `is ${fileKind(stat)}, not a regular file; expected ${expected}`)]);
    const tooBig = () => new InputError([fileProblem(file, `is larger than ${maxBytes} bytes (${formatSize(maxBytes)}); expected ${expected} of at most ${formatSize(maxBytes)}`)]);
    if (stat.size > maxBytes) throw tooBig();
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw tooBig();
    }
    return Buffer.from(buffer.subarray(0, length));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError([fileProblem(file, `cannot read the file: ${errnoReason(error)}; expected ${expected}`)]);
  } finally {
    closeSync(fd);
  }
}

function errnoReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "EAGAIN") return "it is not ready to be read (a device or pipe)";
  return String((error as Error).message);
}

function fileKind(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/** UTF-16 or UTF-32, recognised by a byte-order mark: the common "saved as Unicode" mistake, named as such. */
function wideEncoding(bytes: Buffer): string | null {
  const at = (i: number) => (i < bytes.length ? bytes[i] : -1);
  if (at(0) === 0xff && at(1) === 0xfe && at(2) === 0 && at(3) === 0) return "UTF-32 (little-endian, with a byte-order mark)";
  if (at(0) === 0 && at(1) === 0 && at(2) === 0xfe && at(3) === 0xff) return "UTF-32 (big-endian, with a byte-order mark)";
  if (at(0) === 0xff && at(1) === 0xfe) return "UTF-16 (little-endian, with a byte-order mark)";
  if (at(0) === 0xfe && at(1) === 0xff) return "UTF-16 (big-endian, with a byte-order mark)";
  return null;
}

/**
 * A scan of the text before parsing, linear and allocation-free: it counts
 * values as written (runs of characters between blanks and flow punctuation,
 * and each flow collection; a quoted string is one, a comment none) and flow nesting, and returns the
 * first place past a limit. It over-counts a little (a `- ` is counted), never
 * under-counts, so that nothing past the limits reaches the parser.
 */
export function preScan(text: string): { offset: number; message: string } | null {
  let values = 0;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c) {
      i++;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return { offset: i, message: `the document nests deeper than ${MAX_DEPTH} levels; refused` };
      // A flow collection is a value too: a file of empty ones ([], {}) holds nothing else to count.
      if (++values > MAX_SOURCE_VALUES) return { offset: i, message: TOO_MANY_VALUES };
      i++;
      continue;
    }
    if (c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (++values > MAX_SOURCE_VALUES) return { offset: i, message: TOO_MANY_VALUES };
    i = c === 0x22 || c === 0x27 ? skipQuoted(text, i, c) : skipPlain(text, i);
  }
  return null;
}

/** Past a quoted string: "…" with backslash escapes, '…' with '' for a quote. */
function skipQuoted(text: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c) i += 2;
    else if (c === quote && quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

/** Past a run of plain characters (up to a blank or flow punctuation). */
function skipPlain(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return i;
    i++;
  }
  return i;
}

/** The 1-based line and column (in characters) of an offset into a text. */
export function textPosition(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Line by line: one regular expression over the whole text backtracks exponentially on blank lines.
  if (text.split("\n").every((line) => /^\s*(#[^\n]*)?$/.test(line))) {
    throw new InputError([{ file, line: 1, column: 1, message: "the file is empty; expected a YAML mapping that starts with `kind:`" }]);
  }
  const tooBig = preScan(text);
  if (tooBig !== null) {
    throw new InputError([{ file, ...textPosition(text, tooBig.offset), message: tooBig.message }]);
  }
  // uniqueKeys is off: the library compares every key with every other (quadratic in a
  // mapping's size); checkNodes finds duplicates with a set instead.
  const { doc, tokens } = parseTokensAndDocument(text, lineCounter);
  const at = (offset: number) => lineCounter.linePos(Math.min(offset, text.length));
  const diagnostics: Diagnostic[] = [];
  // The parser's own recursion limit is left to the nesting check below, which says it in words. Of the rest,
  // the first: the parser recovers from a syntax error by guessing, and what it reports after it (a bracket
  // left open "never closes" at the end of the file) follows from that one mistake.
  const syntax = doc.errors.filter((error) => !/Maximum call stack size exceeded/.test(error.message)).sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (syntax !== undefined) {
    const { line, col } = at(syntax.pos[0]);
    diagnostics.push({ file, line, column: col, message: yamlMessage(syntax.code, syntax.message) });
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
  return { file, text, doc, lineCounter, tokens, data };
}

/**
 * The yaml library's parseDocument (its parser's tokens composed into one document, a second document an error),
 * keeping the tokens: the lint reads its ignore comments from them.
 */
function parseTokensAndDocument(text: string, lineCounter: LineCounter): { doc: Document.Parsed; tokens: CST.Token[] } {
  const tokens: CST.Token[] = [];
  function* recorded(source: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of source) {
      tokens.push(token);
      yield token;
    }
  }
  let doc: Document.Parsed | null = null;
  const composer = new Composer({ uniqueKeys: false, strict: true });
  for (const next of composer.compose(recorded(new Parser(lineCounter.addNewLine).parse(text)), true, text.length)) {
    if (doc === null) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
      break;
    }
  }
  // compose(…, true) always ends with a document, an empty one at the least.
  return { doc: doc!, tokens };
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

/**
 * Checks the node tree before it becomes data. A first, iterative pass over the
 * tree as written (aliases not followed) refuses prototype keys, keys that are
 * not plain scalars, duplicate keys, and more than MAX_ANCHORS_AND_ALIASES
 * anchors and aliases (the yaml library resolves each alias by a scan of the
 * document, so their number must be bounded). A second pass measures what the
 * aliases expand to, without expanding them.
 */
function checkNodes(doc: Document.Parsed, file: string, at: (offset: number) => { line: number; col: number }): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (node, message) => {
    const range = node ? (node as Node).range : undefined;
    const { line, col } = at(range ? range[0] : 0);
    diagnostics.push({ file, line, column: col, message });
  };
  const scan = scanTree(doc, report);
  if (scan.tooMany) return diagnostics;
  if (scan.treeNodes >= MAX_EXPANDED_NODES) {
    report(undefined, `the document has more than ${MAX_EXPANDED_NODES} values; refused`);
    return diagnostics;
  }
  measureAliases(doc, scan, report);
  return diagnostics;
}

type Report = (node: unknown, message: string) => void;

/** What the first pass learns: each alias's anchor, how many nodes the tree has as written, and the first alias. */
interface TreeScan {
  targets: Map<Node, Node | undefined>;
  treeNodes: number;
  firstAlias: Node | undefined;
  /** More than MAX_ANCHORS_AND_ALIASES anchors and aliases: reported, and nothing else is checked. */
  tooMany: boolean;
}

/** The first pass, iterative so that a deep document cannot overflow the stack. */
function scanTree(doc: Document.Parsed, report: Report): TreeScan {
  const anchors = new Map<string, Node>();
  const scan: TreeScan = { targets: new Map(), treeNodes: 0, firstAlias: undefined, tooMany: false };
  let references = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    scan.treeNodes++;
    const anchor = (node as { anchor?: string }).anchor;
    if (isAlias(node) || anchor) {
      references++;
      if (references > MAX_ANCHORS_AND_ALIASES && !scan.tooMany) {
        scan.tooMany = true;
        report(node, `more than ${MAX_ANCHORS_AND_ALIASES} anchors and aliases; refused (an alias bomb?)`);
      }
    }
    if (isAlias(node)) {
      scan.firstAlias ??= node as Node;
      const target = anchors.get((node as Alias).source);
      if (!target) report(node, `unknown alias "*${(node as Alias).source}": an anchor "&${(node as Alias).source}" must come before it`);
      scan.targets.set(node as Node, target);
      continue;
    }
    if (anchor) anchors.set(anchor, node as Node);
    if (isMap(node)) {
      checkKeys(node.items, report);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i].value, node.items[i].key);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return scan;
}

/** Refuses keys that are not plain scalars, prototype keys and duplicate keys in one mapping. */
function checkKeys(pairs: readonly { key: unknown; value: unknown }[], report: Report): void {
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (!isScalar(pair.key)) {
      report(pair.key ?? pair.value, "a key must be a plain name, not a list, mapping or alias");
      continue;
    }
    const key = String(pair.key.value);
    if (FORBIDDEN_KEYS.has(key)) report(pair.key, `the key "${key}" is not allowed (it could alter object prototypes)`);
    else if (seen.has(key)) report(pair.key, `duplicate key "${key}": each key may appear once in a mapping`);
    seen.add(key);
  }
}

/** The second pass: what the aliases expand to, measured with each node's size cached, never expanded. */
function measureAliases(doc: Document.Parsed, scan: TreeScan, report: Report): void {
  const expanded = new Map<Node, number>();
  let deepReported = false;
  const sizeOf = (node: unknown, depth: number): number => {
    if (node === null || node === undefined) return 1;
    if (depth > MAX_DEPTH) {
      if (!deepReported) {
        deepReported = true;
        report(node, `the document nests deeper than ${MAX_DEPTH} levels; refused`);
      }
      return MAX_EXPANDED_NODES;
    }
    if (isAlias(node)) {
      const target = scan.targets.get(node as Node);
      return target ? (expanded.get(target) ?? sizeOf(target, depth + 1)) : 1;
    }
    const cached = expanded.get(node as Node);
    if (cached !== undefined) return cached;
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        size += isPair(item) ? sizeOf(item.key, depth + 1) + sizeOf(item.value, depth + 1) : sizeOf(item, depth + 1);
        if (size >= MAX_EXPANDED_NODES) break;
      }
    }
    size = Math.min(size, MAX_EXPANDED_NODES);
    expanded.set(node as Node, size);
    return size;
  };
  const total = sizeOf(doc.contents, 0);
  if (total >= MAX_EXPANDED_NODES && !deepReported) {
    report(scan.firstAlias, `aliases expand this document past ${MAX_EXPANDED_NODES} values (an alias bomb?); refused`);
  }
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
