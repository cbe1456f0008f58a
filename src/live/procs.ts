// Processes of a live cluster: started in their own session (setsid), as the
// `postgres` user when repl-lab runs as root (PostgreSQL refuses root), and
// signalled only by PID after checking /proc/PID/cmdline — never by name.
import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";

export interface RunAs {
  /** The OS user to run as (null: the current user). */
  user: string | null;
  uid: number | null;
  gid: number | null;
}

export interface Started {
  pid: number;
  /** A string the process's command line must contain before it is signalled (the run folder). */
  marker: string;
  exited: Promise<void>;
  /** Let this process outlive repl-lab (--keep). */
  detach(): void;
}

/** The command line that runs `command args` as `runAs.user` (setpriv execs in place, so the PID stays the command's). */
export function asUser(runAs: RunAs, command: string, args: readonly string[]): [string, string[]] {
  if (runAs.user === null) return [command, [...args]];
  return ["setpriv", [`--reuid=${runAs.user}`, `--regid=${runAs.user}`, "--init-groups", command, ...args]];
}

export function startProcess(runAs: RunAs, command: string, args: readonly string[], options: { logFile: string; cwd: string; marker: string; env?: NodeJS.ProcessEnv }): Started {
  const [cmd, argv] = asUser(runAs, command, args);
  const log = openSync(options.logFile, "a");
  try {
    // detached: the child calls setsid(), so a Ctrl+C on the terminal reaches repl-lab only; repl-lab then stops it by PID.
    const child = spawn(cmd, argv, { cwd: options.cwd, detached: true, stdio: ["ignore", log, log], env: options.env ?? process.env });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    return { pid: child.pid, marker: options.marker, exited, detach: () => child.unref() };
  } finally {
    closeSync(log);
  }
}

// ---------------------------------------------------------------------------
// /proc

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
}

/** /proc/PID/stat: the command name sits in parentheses and may itself contain spaces and parentheses. */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(" ");
  const ppid = Number(rest[1]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, comm: text.slice(open + 1, close), state: rest[0], ppid };
}

/** /proc/PID/cmdline: arguments separated by NUL; a process that rewrote its title (PostgreSQL) may use spaces instead. */
export function parseCmdline(raw: string): string[] {
  return raw.split("\0").filter((s) => s.length > 0);
}

export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return null;
  }
}

export function readCmdline(pid: number): string | null {
  try {
    return parseCmdline(readFileSync(`/proc/${pid}/cmdline`, "utf8")).join(" ");
  } catch {
    return null;
  }
}

/** When a process started, in clock ticks after boot (/proc/PID/stat field 22): a PID and its start time name one process. */
export function startTicks(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]);
  return Number.isInteger(ticks) ? ticks : null;
}

/** Alive: it exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== "Z" && stat.state !== "X";
}

export function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** Direct children of a process. */
export function childrenOf(ppid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat && stat.ppid === ppid && stat.state !== "Z") out.push(stat);
  }
  return out;
}

/** Every live process whose command line contains `marker` (the run folder): what must be gone after teardown. */
export function processesMentioning(marker: string): number[] {
  return allPids().filter((pid) => pid !== process.pid && isAlive(pid) && (readCmdline(pid) ?? "").includes(marker));
}

/** The postmaster of a data folder, from postmaster.pid, checked against /proc/PID/cmdline. */
export function postmasterPid(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(`${dataDir}/postmaster.pid`, "utf8");
  } catch {
    return null;
  }
  const pid = Number(text.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const cmdline = readCmdline(pid);
  return cmdline !== null && cmdline.includes(dataDir) && isAlive(pid) ? pid : null;
}

/** The postmaster's children whose title marks them as WAL senders. */
export function walSenders(postmaster: number): number[] {
  return childrenOf(postmaster)
    .filter((c) => /walsender/.test(readCmdline(c.pid) ?? ""))
    .map((c) => c.pid);
}

/**
 * Sends a signal after checking that the PID still belongs to the expected
 * process (`check` reads its command line): a PID reused by something else is
 * left alone. Returns whether the signal was sent.
 */
export function signalChecked(pid: number, signal: NodeJS.Signals, check: (cmdline: string, stat: ProcStat) => boolean): boolean {
  const cmdline = readCmdline(pid);
  const stat = readStat(pid);
  if (cmdline === null || stat === null || stat.state === "Z" || !check(cmdline, stat)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until none of the PIDs is alive, or the bound passes; returns those still alive. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const until = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < until) {
    await sleep(100);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** SIGTERM, then SIGKILL after the bound: each PID only while its command line still contains the marker. */
export async function stopChecked(pids: readonly number[], marker: string, termTimeoutMs: number): Promise<void> {
  const mine = (cmdline: string) => cmdline.includes(marker);
  for (const pid of pids) {
    signalChecked(pid, "SIGCONT", mine);
    signalChecked(pid, "SIGTERM", mine);
  }
  const left = await waitGone(pids, termTimeoutMs);
  for (const pid of left) signalChecked(pid, "SIGKILL", mine);
  await waitGone(left, 2000);
}
