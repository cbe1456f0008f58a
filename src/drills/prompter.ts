// The real prompts of an interactive session, with @inquirer/prompts — except
// free text, which needs several lines: one node:readline interface reads
// them all, so a pasted multi-line answer arrives whole (a fresh inquirer
// prompt per line would drop what was pasted after the first line). Enter on
// an empty line submits the answer unless more text follows at once (a blank
// line inside a paste); Ctrl-D submits it too, and "/edit" opens $VISUAL or
// $EDITOR (one that cannot start says so and returns to the answer as typed).
// Submitting nothing is allowed: the session then offers to skip the drill.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { checkbox, confirm, input, search, select } from "@inquirer/prompts";
import wrapAnsi from "wrap-ansi";
import type { Choice, Prompter } from "./prompter-types.js";

export type { Choice, Prompter };

/** Lines a free-text answer may have (a limit on input, far above any interview answer). */
const MAX_LINES = 200;

/** How to submit, shown under the question: the keys, and what an empty answer does. */
export const MULTILINE_HELP = "Enter on an empty line (or Ctrl-D) submits · empty skips · /edit: editor";

/** How long an empty line waits for more pasted text before it ends the answer. */
const PASTE_SETTLE_MS = 250;

function exitError(): Error {
  const error = new Error("User force closed the prompt with SIGINT");
  error.name = "ExitPromptError";
  return error;
}

/** The editor the user chose: $VISUAL, else $EDITOR (a program and its arguments, split at spaces), else vi. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): { bin: string; args: string[]; from: string } {
  const [from, value] = env.VISUAL ? ["VISUAL", env.VISUAL] : env.EDITOR ? ["EDITOR", env.EDITOR] : ["default", "vi"];
  const quoted = /^"([^"]*)"\s*(.*)$/.exec(value.trim());
  const [bin, rest] = quoted ? [quoted[1], quoted[2]] : [value.trim().split(/\s+/)[0], value.trim().split(/\s+/).slice(1).join(" ")];
  return { bin, args: rest === "" ? [] : rest.split(/\s+/), from };
}

/**
 * Opens `text` in the user's editor and returns what was saved, or why not:
 * an editor that cannot start (a wrong $EDITOR) or that exits with an error
 * (vi's :cq) leaves the answer as it was typed, and the caller says so.
 */
export function editInEditor(text: string, env: NodeJS.ProcessEnv = process.env): { text: string } | { error: string } {
  const { bin, args, from } = editorCommand(env);
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-answer-"));
  const file = join(dir, "answer.txt");
  try {
    writeFileSync(file, text === "" ? "" : `${text}\n`, { mode: 0o600 });
    const run = spawnSync(bin, [...args, file], { stdio: "inherit", env });
    const source = from === "default" ? "neither VISUAL nor EDITOR is set" : `from $${from}`;
    if (run.error) {
      const code = (run.error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such program" : code === "EACCES" ? "not executable" : (code ?? run.error.message);
      return { error: `could not start the editor ${JSON.stringify(bin)} (${source}): ${why}. Set VISUAL or EDITOR to an editor that works, e.g. export EDITOR=nano; your answer is kept as typed.` };
    }
    if (run.status !== 0) return { error: `the editor ${JSON.stringify(bin)} exited with ${run.status === null ? `signal ${run.signal}` : `status ${run.status}`}; your answer is kept as typed.` };
    return { text: readFileSync(file, "utf8").trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readLines(message: string): Promise<string> {
  process.stdout.write(`? ${message}\n  ${MULTILINE_HELP}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: "› " });
  return new Promise<string>((resolve, reject) => {
    const lines: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const stop = () => {
      settled = true;
      clearTimeout(timer);
      process.stdin.off("keypress", onKey);
      rl.close();
    };
    const finish = (result: () => Promise<string> | string) => {
      if (settled) return;
      stop();
      // The prompt ("› ") left waiting on the last line is erased, so the next prompt starts on a clean line.
      if (process.stdout.isTTY) process.stdout.write("\r\x1b[2K");
      Promise.resolve()
        .then(result)
        .then(resolve, reject);
    };
    const text = () => lines.join("\n").trim();
    // Ctrl-D on a line with text submits that line too; readline by itself ends input only on an empty line.
    const onKey = (_: string | undefined, key: { ctrl?: boolean; name?: string } | undefined) => {
      if (settled || !key?.ctrl || key.name !== "d" || rl.line.trim() === "") return;
      if (lines.length < MAX_LINES) lines.push(rl.line);
      process.stdout.write("\n");
      finish(text);
    };
    process.stdin.on("keypress", onKey);
    rl.on("line", (line) => {
      clearTimeout(timer);
      if (line.trim() === "/edit") {
        // The editor owns the terminal until it exits (cooked mode, so it reads keys its own way).
        const raw = process.stdin.isTTY && process.stdin.isRaw;
        if (raw) process.stdin.setRawMode(false);
        const edited = editInEditor(text());
        if (raw) process.stdin.setRawMode(true);
        if ("text" in edited) return finish(() => edited.text);
        // Back at the typed answer, with what was typed so far, rather than stuck retrying a broken editor.
        const columns = process.stdout.columns > 40 ? process.stdout.columns - 2 : 78;
        process.stdout.write(`${wrapAnsi(edited.error, columns, { hard: false, trim: true }).replace(/^/gm, "  ")}\n`);
        rl.prompt();
        return;
      }
      if (line.trim() === "") {
        // At the start too: Enter on an empty line submits (an empty answer, to skip), unless a paste follows at once.
        if (lines.length > 0) lines.push("");
        timer = setTimeout(() => finish(text), PASTE_SETTLE_MS);
      } else if (lines.length < MAX_LINES) {
        lines.push(line);
      }
      rl.prompt();
    });
    rl.on("SIGINT", () => {
      if (settled) return;
      stop();
      reject(exitError());
    });
    // Ctrl-D on an empty line (or the terminal going away) ends the answer with what was typed.
    rl.on("close", () => finish(text));
    rl.prompt();
  });
}

export const inquirerPrompter: Prompter = {
  select: (message, choices, defaultValue) => select({ message, choices, default: defaultValue, pageSize: 12, loop: false }),
  search: (message, choices) =>
    search({
      message,
      pageSize: 12,
      source: async (term) => {
        const words = (term ?? "").toLowerCase().split(/\s+/).filter((w) => w.length > 0);
        return choices.filter((c) => words.every((w) => `${c.name} ${String(c.value)}`.toLowerCase().includes(w)));
      },
    }),
  checkbox: (message, choices) => checkbox({ message, choices, pageSize: 12, loop: false }),
  input: (message, validate) => input({ message, validate: validate ? (v) => validate(v) : undefined }),
  confirm: (message, defaultValue) => confirm({ message, default: defaultValue }),
  multiline: (message) => readLines(message),
};
