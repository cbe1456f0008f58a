// The real prompts of an interactive session, with @inquirer/prompts — except
// free text, which needs several lines: one node:readline interface reads
// them all, so a pasted multi-line answer arrives whole (a fresh inquirer
// prompt per line would drop what was pasted after the first line). An empty
// line ends the answer unless more text follows at once (a blank line inside
// a paste); Ctrl-D ends it too, and "/edit" opens $EDITOR.
import { createInterface } from "node:readline";
import { checkbox, confirm, editor, input, search, select } from "@inquirer/prompts";
import type { Choice, Prompter } from "./prompter-types.js";

export type { Choice, Prompter };

/** Lines a free-text answer may have (a limit on input, far above any interview answer). */
const MAX_LINES = 200;

/** How long an empty line waits for more pasted text before it ends the answer. */
const PASTE_SETTLE_MS = 250;

function exitError(): Error {
  const error = new Error("User force closed the prompt with SIGINT");
  error.name = "ExitPromptError";
  return error;
}

function readLines(message: string): Promise<string> {
  process.stdout.write(`? ${message} (an empty line ends it; /edit opens your editor)\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: "› " });
  return new Promise<string>((resolve, reject) => {
    const lines: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (result: () => Promise<string> | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      Promise.resolve()
        .then(result)
        .then(resolve, reject);
    };
    const text = () => lines.join("\n").trim();
    rl.on("line", (line) => {
      clearTimeout(timer);
      if (line.trim() === "/edit") {
        finish(() => editor({ message, default: text(), waitForUserInput: false }));
        return;
      }
      if (line.trim() === "" && lines.length > 0) {
        lines.push("");
        timer = setTimeout(() => finish(text), PASTE_SETTLE_MS);
        rl.prompt();
        return;
      }
      if (line.trim() !== "" && lines.length < MAX_LINES) lines.push(line);
      rl.prompt();
    });
    rl.on("SIGINT", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      reject(exitError());
    });
    // Ctrl-D (or the terminal going away) ends the answer with what was typed.
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
