// What `repl-lab live` needs on the machine, checked before anything starts:
// PostgreSQL 15's server binaries, etcd, Patroni and, when run as root, the
// `postgres` OS user and setpriv (PostgreSQL refuses to run as root). Anything
// missing is reported in one message with the command that installs it.
import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { UsageError } from "../model/diagnostics.js";
import type { ClusterTools } from "./cluster.js";
import type { Version } from "./plan.js";

export const PG_BIN_DIR = "/usr/lib/postgresql/15/bin";
export const PG_SERVER_BINARIES = ["postgres", "initdb", "pg_ctl", "pg_basebackup", "pg_rewind"] as const;
export const INSTALL_PACKAGES = "apt-get update && apt-get install -y postgresql etcd-server patroni";

/** Missing prerequisites: a clear message, exit 2. */
export class PrerequisiteError extends UsageError {
  constructor(
    readonly missing: string[],
    install: string,
  ) {
    super(`repl-lab live needs ${missing.join("; ")}. Install them with: ${install}`);
    this.name = "PrerequisiteError";
  }
}

export interface Probe {
  /** Whether an executable exists at this path. */
  executable(path: string): boolean;
  /** The first executable of this name on PATH, or null. */
  which(name: string): string | null;
  /** uid, gid of an OS user, or null when there is none. */
  user(name: string): { uid: number; gid: number } | null;
  isRoot: boolean;
}

export const systemProbe: Probe = {
  executable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  which(name) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (dir && systemProbe.executable(join(dir, name))) return join(dir, name);
    }
    for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) if (systemProbe.executable(join(dir, name))) return join(dir, name);
    return null;
  },
  user(name) {
    try {
      for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
        const f = line.split(":");
        if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
      }
    } catch {
      // No passwd file: no such user.
    }
    return null;
  },
  isRoot: typeof process.getuid === "function" && process.getuid() === 0,
};

export interface Prerequisites {
  missing: string[];
  tools: ClusterTools | null;
}

/** Pure over the probe: what is missing, and the tools when nothing is. */
export function checkPrerequisites(probe: Probe): Prerequisites {
  const missing: string[] = [];
  const absent = PG_SERVER_BINARIES.filter((b) => !probe.executable(join(PG_BIN_DIR, b)));
  if (absent.length > 0) missing.push(`the PostgreSQL 15 server binaries in ${PG_BIN_DIR} (missing: ${absent.join(", ")}; package postgresql)`);
  const etcd = probe.which("etcd");
  if (etcd === null) missing.push("etcd (not on PATH; package etcd-server)");
  const patroni = probe.which("patroni");
  if (patroni === null) missing.push("patroni (not on PATH; package patroni)");
  let runAs: ClusterTools["runAs"] = { user: null, uid: null, gid: null };
  if (probe.isRoot) {
    const postgres = probe.user("postgres");
    if (postgres === null) missing.push("the postgres OS user, because PostgreSQL refuses to run as root (the package postgresql creates it)");
    if (probe.which("setpriv") === null) missing.push("setpriv, to run PostgreSQL as the postgres user (package util-linux)");
    if (postgres) runAs = { user: "postgres", uid: postgres.uid, gid: postgres.gid };
  }
  if (missing.length > 0) return { missing, tools: null };
  return { missing, tools: { binDir: PG_BIN_DIR, etcd: etcd!, patroni: patroni!, runAs } };
}

export function installCommand(isRoot: boolean): string {
  return isRoot ? INSTALL_PACKAGES : `sudo sh -c '${INSTALL_PACKAGES}'`;
}

/** The tools, or a PrerequisiteError naming everything missing. */
export function requirePrerequisites(probe: Probe = systemProbe): ClusterTools {
  const result = checkPrerequisites(probe);
  if (result.tools === null) throw new PrerequisiteError(result.missing, installCommand(probe.isRoot));
  return result.tools;
}

/** "patroni 3.0.2" → [3, 0, 2]. */
export function parseVersion(text: string): Version | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export interface Versions {
  patroni: Version;
  postgres: string;
  etcd: string;
}

/** Asks each program its version (a second at most each). */
export function readVersions(tools: ClusterTools): Versions {
  const ask = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      return "";
    }
  };
  const patroni = parseVersion(ask(tools.patroni, ["--version"])) ?? [3, 0, 0];
  const postgres = /(\d+\.\d+)/.exec(ask(join(tools.binDir, "postgres"), ["--version"]))?.[1] ?? "15";
  const etcd = /etcd Version: (\S+)/.exec(ask(tools.etcd, ["--version"]))?.[1] ?? "?";
  return { patroni, postgres, etcd };
}
