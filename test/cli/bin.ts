// Running the built binary from a test, and reading its command tree from --help.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/repl-lab.js");

export function runBin(args: string[], cwd = ROOT): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", COLUMNS: "100" };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The command names in the program's help ("Commands:" section), with subcommands as "drill stats". */
export async function commandPaths(): Promise<string[][]> {
  const top = await runBin(["--help"]);
  const names = [...top.stdout.slice(top.stdout.indexOf("Commands:")).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== "help");
  const paths: string[][] = [];
  for (const name of names) {
    paths.push([name]);
    const help = await runBin([name, "--help"]);
    const section = help.stdout.indexOf("Commands:");
    if (section >= 0) {
      const subs = [...help.stdout.slice(section).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== "help");
      paths.push(...subs.map((s) => [name, s]));
    }
  }
  return paths;
}

