// The prompts a session asks, as an interface: the real implementation
// (prompter.ts, @inquirer/prompts) is loaded only for an interactive session,
// so the non-interactive commands do not pay for importing it; tests pass a
// scripted implementation.

export interface Choice<T> {
  name: string;
  value: T;
  /** What the answered prompt shows as the answer (the name when absent). */
  short?: string;
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

/** True for the error @inquirer/prompts throws when the user presses Ctrl-C (or the terminal closes). */
export function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}
