// The record of live clusters this machine's repl-lab started: one JSON file
// per cluster under the state directory (live/<folder>.json) naming the run
// that owns it (PID, host, the process's start time, so a reused PID is not
// mistaken for it), the cluster's folder and the PIDs it started. A run removes
// its record after its teardown (or hands the cluster to the user with --keep);
// a record whose owner is gone — the CLI was killed with kill -9, or its
// terminal vanished before the teardown ended — marks a cluster left behind,
// which the next `live` start stops and removes.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { stateDir } from "../base/state-dir.js";
import { isAlive, processesMentioning, signalChecked, startTicks, stopChecked, waitGone } from "./procs.js";

export interface ClusterRecord {
  owner: { pid: number; host: string; startTicks: number | null };
  root: string;
  pids: number[];
  started: string;
}

export interface Reaped {
  root: string;
  stopped: number;
}

/** The folder name of a live cluster (mkdtemp's six characters after the prefix): nothing else is ever removed. */
const CLUSTER_FOLDER = /^repl-lab-live-[A-Za-z0-9]{6}$/;

export class ClusterRegistry {
  constructor(readonly dir: string = join(stateDir(), "live")) {}

  private file(root: string): string {
    return join(this.dir, `${basename(root)}.json`);
  }

  /** Records a cluster as this process's, before any of its processes starts. */
  record(root: string, pids: readonly number[] = []): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const record: ClusterRecord = { owner: { pid: process.pid, host: hostname(), startTicks: startTicks(process.pid) }, root, pids: [...pids], started: new Date().toISOString() };
    const tmp = `${this.file(root)}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file(root));
  }

  forget(root: string): void {
    rmSync(this.file(root), { force: true });
  }

  /** Records whose owner is gone from this host; records of other hosts and of live runs are left alone. */
  orphans(): ClusterRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const out: ClusterRecord[] = [];
    for (const name of names.sort()) {
      const record = parseRecord(join(this.dir, name));
      if (record === null) {
        rmSync(join(this.dir, name), { force: true });
        continue;
      }
      if (record.owner.host === hostname() && !ownerAlive(record)) out.push(record);
    }
    return out;
  }

  /** Stops every process of each orphaned cluster (by its folder's name in their command lines) and removes its folder and record. */
  async reapOrphans(): Promise<Reaped[]> {
    const reaped: Reaped[] = [];
    for (const record of this.orphans()) {
      const marker = basename(record.root);
      const pids = [...new Set([...record.pids.filter(isAlive), ...processesMentioning(marker)])];
      await stopChecked(pids, marker, 10_000);
      for (const pid of processesMentioning(marker)) signalChecked(pid, "SIGKILL", (cmd) => cmd.includes(marker));
      await waitGone(processesMentioning(marker), 3000);
      rmSync(record.root, { recursive: true, force: true });
      this.forget(record.root);
      reaped.push({ root: record.root, stopped: pids.length });
    }
    return reaped;
  }
}

function ownerAlive(record: ClusterRecord): boolean {
  if (!isAlive(record.owner.pid)) return false;
  // A PID the kernel gave to another process since: its start time differs.
  return record.owner.startTicks === null || startTicks(record.owner.pid) === record.owner.startTicks;
}

/** A record as written by `record`, or null when it is not one (never trusted to name a folder outside the rules). */
export function parseRecord(file: string): ClusterRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const r = value as Partial<ClusterRecord>;
  const owner = r.owner;
  if (!owner || !Number.isInteger(owner.pid) || typeof owner.host !== "string") return null;
  if (typeof r.root !== "string" || !CLUSTER_FOLDER.test(basename(r.root)) || dirname(r.root) === r.root) return null;
  const pids = Array.isArray(r.pids) ? r.pids.filter((p): p is number => Number.isInteger(p) && p > 1) : [];
  return { owner: { pid: owner.pid, host: owner.host, startTicks: Number.isInteger(owner.startTicks) ? (owner.startTicks as number) : null }, root: r.root, pids, started: String(r.started ?? "") };
}
