// Shared fixtures of the live tests: a plan of a bundled scenario and a
// hand-written run log (the leader crashes at 8 s; pg-b takes over).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunLog } from "../../src/live/measure.js";
import { planLive, type LivePlan, type Version } from "../../src/live/plan.js";
import { isAlive } from "../../src/live/procs.js";
import type { WriteRecord } from "../../src/live/writer.js";
import { scenarioFrom } from "../engine/helpers.js";

export function plan(file = "scenarios/live/leader-crash.yaml", patroniVersion: Version = [3, 0, 2]): LivePlan {
  const outcome = planLive(scenarioFrom(join(process.cwd(), file)), { patroniVersion });
  if (!outcome.ok) throw new Error(outcome.reasons.join("; "));
  return outcome.plan;
}

export const ok = (id: number, sendMs: number, doneMs: number, node = "pg-a", conn = 0): WriteRecord => ({ cls: 0, id, conn, sendMs, doneMs, ok: true, node });
export const err = (id: number, sendMs: number, doneMs: number, conn = 0): WriteRecord => ({ cls: 0, id, conn, sendMs, doneMs, ok: false, node: "pg-a", error: "Connection terminated unexpectedly" });

/** The leader crashes at 8 s; writes 1-5 acked before, 6 and 7 in flight, the new leader acks from 17.6 s. */
export function log(overrides: Partial<RunLog> = {}): RunLog {
  const records = [
    ok(1, 1000, 1001),
    ok(2, 2000, 2001),
    ok(3, 7990, 7991, "pg-a", 1),
    ok(4, 7995, 7996),
    ok(5, 7996, 7998, "pg-a", 1),
    err(6, 7999, 8002),
    err(7, 7999, 8003, 1),
    ok(8, 8000, 17_600, "pg-b", 1), // sent before the first error: does not count for RTO
    ok(9, 17_500, 17_650, "pg-b"),
    ok(10, 17_700, 17_701, "pg-b", 1),
  ];
  return {
    run: 1,
    durationMs: 30_000,
    leaderBefore: "pg-a",
    faults: [{ atMs: 8000, kind: "crash", node: "pg-a", event: "crash", detail: "kill -9: Patroni 1, postmaster 2" }],
    records,
    writerEvents: [
      { atMs: 8002, conn: 0, kind: "error", node: "pg-a", detail: "Connection terminated unexpectedly" },
      { atMs: 8003, conn: 1, kind: "error", node: "pg-a", detail: "Connection terminated unexpectedly" },
      { atMs: 17_450, conn: 0, kind: "connected", node: "pg-b", detail: "connected to pg-b" },
    ],
    observations: [
      { atMs: 0, kind: "leader-key", holder: "pg-a" },
      { atMs: 0, kind: "sync", leader: "pg-a", standbys: ["pg-b"] },
      { atMs: 6600, kind: "renewed", holder: "pg-a" },
      { atMs: 17_300, kind: "leader-key", holder: null },
      { atMs: 17_400, kind: "leader-key", holder: "pg-b" },
      { atMs: 17_420, kind: "primary", node: "pg-b" },
      { atMs: 17_500, kind: "sync", leader: "pg-b", standbys: [] },
      { atMs: 22_000, kind: "sync", leader: "pg-b", standbys: ["pg-c"] },
    ],
    lag: [{ atMs: 500, node: "pg-b", lagBytes: 120, lagMs: 0.4 }],
    // Write 5 (acked by the old leader) never reached pg-b; write 6 (an error) did: ambiguous.
    rows: { node: "pg-b", ids: new Map([[0, new Set([1, 2, 3, 4, 6, 8, 9, 10])]]) },
    ...overrides,
  };
}


/**
 * Runs `body` holding the lock that keeps two real clusters from running at once: `npm test` runs test files
 * side by side, and the two end-to-end files each start a Patroni + etcd + PostgreSQL cluster whose timings
 * (and "no process left behind" checks) assume it is the only one. A lock whose holder is gone is taken over.
 */
export async function withLiveClusterLock<T>(body: () => Promise<T>): Promise<T> {
  const release = await acquireLiveClusterLock();
  try {
    return await body();
  } finally {
    release();
  }
}

/** Takes the lock of withLiveClusterLock (for a group of tests: before() takes it, after() calls what it returns). */
export async function acquireLiveClusterLock(): Promise<() => void> {
  const path = join(tmpdir(), "repl-lab-live-tests.lock");
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileOr(path));
      if (!(holder > 0) || !isAlive(holder)) rmSync(path, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function readFileOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
