// The real prompts of an interactive session, with @inquirer/prompts — except
// free text, which needs several lines: one node:readline interface reads
// them all, so a pasted multi-line answer arrives whole (a fresh inquirer
// prompt per line would drop what was pasted after the first line). Enter on
// an empty line submits the answer unless more text follows at once (a blank
// line inside a paste); Ctrl-D submits it too, and "/edit" opens $EDITOR.
// Submitting nothing is allowed: the session then offers to skip the drill.
import { createInterface } from "node:readline";
import { checkbox, confirm, editor, input, search, select } from "@inquirer/prompts";
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
      if (line.trim() === "/edit") return finish(() => editor({ message, default: text(), waitForUserInput: false }));
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
