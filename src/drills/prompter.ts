// The real prompts of an interactive session, with @inquirer/prompts. Free text is
// multi-line: each line is its own input and an empty line ends the answer
// (terminals cannot tell Enter from Shift+Enter); "/edit" opens $EDITOR.
import { checkbox, confirm, editor, input, search, select } from "@inquirer/prompts";
import type { Choice, Prompter } from "./prompter-types.js";

export type { Choice, Prompter };

/** Lines a free-text answer may have (a limit on input, far above any interview answer). */
const MAX_LINES = 200;

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
  async multiline(message) {
    const lines: string[] = [];
    while (lines.length < MAX_LINES) {
      const line = await input({ message: lines.length === 0 ? `${message} (an empty line ends it; /edit opens your editor)` : "…" });
      if (line.trim() === "/edit") return editor({ message, default: lines.join("\n"), waitForUserInput: false });
      if (line.trim() === "") {
        if (lines.length > 0) break;
        continue;
      }
      lines.push(line);
    }
    return lines.join("\n");
  },
};
