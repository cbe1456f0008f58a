// Switching rules off, in three ways: a design's `ignore: [rule-id]` list, a
// `# repl-lab: ignore rule-id` comment on a finding's line or the line above,
// and `# repl-lab: ignore-file rule-id` anywhere in a file. Comments are read
// from the YAML token stream (the tokens the loader kept), so a "#" inside a
// quoted string is never taken for one. Text after the ids is a free reason: `ignore a, b -- why`.
import type { YamlSource } from "../model/yaml.js";

export interface IdAt {
  id: string;
  line: number;
  column: number;
}

export interface Directive {
  scope: "line" | "file";
  line: number;
  column: number;
  ids: IdAt[];
}

export interface FileIgnores {
  directives: Directive[];
  /** Rule ids ignored everywhere in the file. */
  file: Set<string>;
  /** Rule ids ignored per line (a comment covers its own line and the next). */
  lines: Map<number, Set<string>>;
}

const DIRECTIVE = /^#\s*repl-lab:\s*(ignore-file|ignore)\b/;
const ID_LIST = /^\s*([A-Za-z0-9][\w-]*)((?:\s*,\s*[A-Za-z0-9][\w-]*)*)/;

/** Any text that could hold a directive: without it there is none, and the tokens need not be walked. */
const MAYBE_DIRECTIVE = /#\s*repl-lab:/;

export function readIgnores(source: YamlSource): FileIgnores {
  const directives: Directive[] = [];
  const found = MAYBE_DIRECTIVE.test(source.text) ? comments(source.tokens) : [];
  for (const comment of found) {
    const match = DIRECTIVE.exec(comment.source);
    if (!match) continue;
    const at = source.lineCounter.linePos(comment.offset);
    const ids: IdAt[] = [];
    const rest = comment.source.slice(match[0].length);
    const list = ID_LIST.exec(rest);
    if (list) {
      let index = match[0].length;
      for (const id of list[0].split(",")) {
        const start = comment.source.indexOf(id.trim(), index);
        ids.push({ id: id.trim(), ...linePos(source, comment.offset + start) });
        index = start + id.trim().length;
      }
    }
    directives.push({ scope: match[1] === "ignore-file" ? "file" : "line", line: at.line, column: at.col, ids });
  }
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  for (const d of directives) {
    if (d.scope === "file") {
      for (const i of d.ids) file.add(i.id);
      continue;
    }
    for (const line of [d.line, d.line + 1]) {
      const ids = lines.get(line) ?? new Set<string>();
      for (const i of d.ids) ids.add(i.id);
      lines.set(line, ids);
    }
  }
  return { directives, file, lines };
}

export function isIgnored(ignores: FileIgnores, rule: string, line: number): boolean {
  return ignores.file.has(rule) || (ignores.lines.get(line)?.has(rule) ?? false);
}

function linePos(source: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Every comment token in the text, wherever the CST keeps it. */
function comments(tokens: YamlSource["tokens"]): { offset: number; source: string }[] {
  const found: { offset: number; source: string }[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 400) return;
    seen.add(value);
    const token = value as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === "comment" && typeof token.offset === "number" && typeof token.source === "string") {
      found.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  for (const token of tokens) walk(token, 0);
  return found.sort((a, b) => a.offset - b.offset);
}
