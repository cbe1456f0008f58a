// Where repl-lab keeps what a user earned and what it must clean up: drill
// progress and the record of live clusters. One rule for every command.
import { userInfo } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/**
 * REPL_LAB_HOME, else $XDG_STATE_HOME/repl-lab, else ~/.local/state/repl-lab
 * (the XDG default). An empty or relative HOME or XDG_STATE_HOME is ignored, as
 * the XDG specification says, so nothing lands in the current directory by
 * accident; the account's home directory from the password database stands in.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REPL_LAB_HOME) return resolve(env.REPL_LAB_HOME);
  if (env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)) return join(env.XDG_STATE_HOME, "repl-lab");
  return join(homeDir(env), ".local", "state", "repl-lab");
}

function homeDir(env: NodeJS.ProcessEnv): string {
  if (env.HOME && isAbsolute(env.HOME)) return env.HOME;
  let fromAccount = "";
  try {
    fromAccount = userInfo().homedir;
  } catch {
    fromAccount = "";
  }
  if (fromAccount && isAbsolute(fromAccount)) return fromAccount;
  throw new Error("no home directory (HOME is empty and the account has none): set REPL_LAB_HOME to the folder where repl-lab may keep its state");
}
