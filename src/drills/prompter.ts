// The prompts a session asks, behind a small interface: the real one uses
// @inquirer/prompts on a terminal; tests pass a scripted one. Free text is
// multi-line: each line is its own input and an empty line ends the answer
// (terminals cannot tell Enter from Shift+Enter); "/edit" opens $EDITOR.
import { checkbox, confirm, editor, input, search, select } from "@inquirer/prompts";

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
}

export interface Prompter {
  select<T>(message: string, choices: Array<Choice<T>>, defaultValue?: T): Promise<T>;
  /** A long list filtered as the user types (matches anywhere in the name or the value). */
  search<T>(message: string, choices: Array<Choice<T>>): Promise<T>;
  checkbox<T>(message: string, choices: Array<Choice<T>>): Promise<T[]>;
  input(message: string, validate?: (value: string) => true | string): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  multiline(message: string): Promise<string>;
}

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

/** True for the error @inquirer/prompts throws when the user presses Ctrl-C (or the terminal closes). */
export function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}
