// Writing a starter file: a YAML line and its comment, aligned at one column;
// a comment too long for the line goes above it. Values are written so that
// the loader reads them back exactly (a duration of 90000 ms is "90s", not "1.5m").
import { formatDuration, formatSize } from "../base/units.js";
import type { Latency } from "../model/types.js";

export interface Entry {
  /** The YAML text, with its indentation; empty for a comment on a line of its own. */
  yaml: string;
  note?: string;
  /** A `# repl-lab: ...` comment, kept on the line right above the key (where the linter looks for it). */
  directive?: string;
}

const COMMENT_COLUMN = 40;
const WIDTH = 120;

export const line = (yaml: string, note?: string): Entry => ({ yaml, note });
export const comment = (note: string): Entry => ({ yaml: "", note });
export const blank: Entry = { yaml: "" };

export function render(entries: Entry[]): string {
  const out: string[] = [];
  for (const { yaml, note, directive } of entries) {
    const indent = /^\s*/.exec(yaml)![0];
    const directiveLine = directive === undefined ? [] : [`${indent}# ${directive}`];
    if (note === undefined) {
      out.push(...directiveLine, yaml);
      continue;
    }
    if (yaml === "") {
      out.push(...(note === "" ? ["#"] : wrap(note, WIDTH - 2).map((l) => `# ${l}`)));
      continue;
    }
    const column = Math.max(COMMENT_COLUMN, yaml.length + 2);
    if (column + 2 + note.length <= WIDTH) out.push(...directiveLine, `${yaml.padEnd(column)}# ${note}`);
    else out.push(...wrap(note, WIDTH - indent.length - 2).map((l) => `${indent}# ${l}`), ...directiveLine, yaml);
  }
  return `${out.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/** A duration in the largest unit that divides it evenly ("90s"), so the loader reads back the same milliseconds. */
export function dur(ms: number): string {
  return formatDuration(ms, { style: "exact" });
}

/** A size in the largest binary unit that divides it evenly ("16MB"), or the byte count. */
export function size(bytes: number): string {
  return formatSize(bytes, { exact: true });
}

export function latency(l: Latency): string {
  if ("median" in l) return `{ median: ${l.median}, p99: ${l.p99} }`;
  throw new Error("assertion: the built-in latencies are { median, p99 }");
}

export const yes = (b: boolean) => (b ? "true" : "false");
