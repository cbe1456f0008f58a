// `repl-lab live` without a cluster: flags, the prerequisite check first, a
// refusal with reasons (exit 2), and the command's flow — teardown on success,
// on failure, and not with --keep — with the cluster and the runs replaced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { parseIntegerFlag } from "../../src/cli/flags.js";
import { runLive } from "../../src/cli/live.js";
import { defaultLiveDeps, type ClusterLike, type LiveDeps } from "../../src/live/session.js";
import type { Io } from "../../src/cli/io.js";
import { reportError } from "../../src/cli/io.js";
import { measureRun } from "../../src/live/measure.js";
import { PrerequisiteError } from "../../src/live/prereqs.js";
import { UsageError } from "../../src/model/diagnostics.js";
import { log } from "./helpers.js";

function memoryIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: new Chalk({ level: 0 }), isTTY: false };
}

const tools = { binDir: "/usr/lib/postgresql/15/bin", etcd: "/usr/bin/etcd", patroni: "/usr/bin/patroni", runAs: { user: null, uid: null, gid: null } };

function fakeDeps(calls: string[], overrides: Partial<LiveDeps> = {}): LiveDeps {
  const cluster: ClusterLike = {
    root: "/tmp/repl-lab-live-fake",
    start: async () => void calls.push("start"),
    restore: async () => void calls.push("restore"),
    keep: () => {
      calls.push("keep");
      return { stopScript: "/tmp/repl-lab-live-fake/stop.sh", connections: ["pg-a: postgresql://…"] };
    },
    teardown: async () => void calls.push("teardown"),
  };
  return {
    ...defaultLiveDeps,
    prerequisites: () => tools,
    versions: () => ({ patroni: [3, 0, 2], postgres: "15.18", etcd: "3.4.23" }),
    cluster: () => cluster,
    run: async (c, run) => {
      calls.push(`run ${run}`);
      const { plan } = await import("./helpers.js");
      return measureRun(plan(), { ...log(), run });
    },
    onSignal: () => () => undefined,
    registry: () => ({ record: () => undefined, forget: () => undefined, reapOrphans: async () => [] }),
    ...overrides,
  };
}

const options = { runs: 2, trials: 3, keep: false, format: "json" as const };

test("flags: --runs and --trials take whole numbers within their limits", () => {
  assert.equal(parseIntegerFlag("--runs", "3", 1, 20), 3);
  assert.throws(() => parseIntegerFlag("--runs", "0", 1, 20), /--runs expects a whole number from 1 to 20; got "0"/);
  assert.throws(() => parseIntegerFlag("--runs", "2.5", 1, 20), UsageError);
});

test("missing prerequisites come first: one message with the install command, exit 2", async () => {
  const io = memoryIo();
  const deps = fakeDeps([], {
    prerequisites: () => {
      throw new PrerequisiteError(["etcd (not on PATH; package etcd-server)", "patroni (not on PATH; package patroni)"], "apt-get update && apt-get install -y postgresql etcd-server patroni");
    },
  });
  // Even a file that does not exist is not looked at before the machine is checked.
  const error = await runLive("no/such/file.yaml", options, io, deps).catch((e: unknown) => e);
  assert.ok(error instanceof PrerequisiteError);
  assert.equal(reportError(io, error, false), 2);
  assert.deepEqual(io.stderr, [
    "error repl-lab live needs etcd (not on PATH; package etcd-server); patroni (not on PATH; package patroni). Install them with: apt-get update && apt-get install -y postgresql etcd-server patroni",
  ]);
});

test("a scenario it cannot map is refused with the reasons, exit 2, before any process starts", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  const error = await runLive("scenarios/quorum-w2-r4.yaml", options, io, fakeDeps(calls)).catch((e: unknown) => e);
  assert.ok(error instanceof UsageError);
  assert.match((error as Error).message, /^scenarios\/quorum-w2-r4\.yaml: scenario "quorum-w2-r4" cannot run live:\n {2}- replication mode "leaderless"/);
  assert.equal(reportError(io, error, false), 2);
  assert.deepEqual(calls, []);
  const cross = await runLive("scenarios/sync-replica-cross-region.yaml", options, io, fakeDeps(calls)).catch((e: unknown) => e);
  assert.match((cross as Error).message, /pg-w is in region us-west/);
  const arbiter = await runLive("scenarios/mongodb-arbiter-rollback.yaml", options, io, fakeDeps(calls)).catch((e: unknown) => e);
  assert.ok(arbiter instanceof UsageError);
  assert.match(arbiter.message, /cannot run live:\n {2}- the arbiter arbiter \(a MongoDB member that votes and holds no data\)[^\n]*$/);
  assert.equal(reportError(io, arbiter, false), 2);
  assert.deepEqual(calls, []);
});

test("runs on one cluster, restored between runs, then torn down; JSON per SPEC §4", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  const code = await runLive("scenarios/live/leader-crash.yaml", options, io, fakeDeps(calls));
  assert.equal(code, 1, "the hand-written run loses a write: a measured expectation fails");
  assert.deepEqual(calls, ["start", "run 1", "restore", "run 2", "teardown"]);
  const value = JSON.parse(io.stdout.join("")) as { simulated: { classes: { trials: { n: number } }[] }; live: { runs: unknown[] } };
  assert.equal(value.simulated.classes[0].trials.n, 3);
  assert.equal(value.live.runs.length, 2);
});

test("--keep leaves the cluster up and prints how to reach and stop it", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  await runLive("scenarios/live/leader-crash.yaml", { ...options, runs: 1, keep: true, format: "text" }, io, fakeDeps(calls));
  assert.deepEqual(calls, ["start", "run 1", "restore", "keep"]);
  const text = io.stdout.join("");
  assert.match(text, /Cluster kept running \(--keep\)\n {2}folder \/tmp\/repl-lab-live-fake\n {2}pg-a: postgresql:\/\/…\n {2}stop it with: sh \/tmp\/repl-lab-live-fake\/stop\.sh/);
});

test("a cluster that fails to start is torn down and reported without a stack trace", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  const deps = fakeDeps(calls);
  const broken = deps.cluster(undefined as never, tools, () => undefined);
  deps.cluster = () => ({ ...broken, start: async () => Promise.reject(new Error("pg-a did not become the primary within 60s")) });
  const code = await runLive("scenarios/live/leader-crash.yaml", { ...options, keep: true }, io, deps);
  assert.equal(code, 1);
  assert.deepEqual(calls, ["teardown"], "--keep keeps only a cluster that worked");
  assert.deepEqual(io.stderr, ["error live run failed: pg-a did not become the primary within 60s"]);
});

test("Ctrl+C stops the cluster once and the command returns 130 instead of ending the process itself", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  let handler: ((signal: NodeJS.Signals) => void) | null = null;
  const deps = fakeDeps(calls, {
    onSignal: (h) => {
      handler = h;
      return () => void calls.push("signals removed");
    },
    // A run that never ends by itself: only the signal can stop the session.
    run: () => {
      handler!("SIGINT");
      return new Promise(() => undefined);
    },
  });
  const code = await runLive("scenarios/live/leader-crash.yaml", options, io, deps);
  assert.equal(code, 130);
  assert.deepEqual(calls, ["start", "teardown", "signals removed"]);
  assert.deepEqual(io.stderr, ["SIGINT: stopping the live cluster (/tmp/repl-lab-live-fake)…"]);
  assert.deepEqual(io.stdout, []);
});

test("a second signal during the teardown waits for it: one teardown, a notice, the first signal's exit code", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  let handler: ((signal: NodeJS.Signals) => void) | null = null;
  let finish: () => void = () => undefined;
  const deps = fakeDeps(calls, {
    onSignal: (h) => {
      handler = h;
      return () => void calls.push("signals removed");
    },
    run: () => {
      handler!("SIGINT");
      handler!("SIGINT");
      handler!("SIGHUP");
      calls.push("signals sent");
      finish();
      return new Promise(() => undefined);
    },
  });
  const base = deps.cluster(undefined as never, tools, () => undefined);
  deps.cluster = () => ({
    ...base,
    teardown: () => {
      calls.push("teardown");
      return new Promise<void>((resolve) => (finish = resolve));
    },
  });
  const code = await runLive("scenarios/live/leader-crash.yaml", options, io, deps);
  assert.equal(code, 130);
  assert.deepEqual(calls, ["start", "teardown", "signals sent", "signals removed"]);
  assert.equal(io.stderr.length, 3);
  assert.match(io.stderr[1], /^SIGINT: still stopping the live cluster/);
  assert.match(io.stderr[2], /^SIGHUP: still stopping the live cluster/);
});

test("a session records its cluster before it starts, forgets it after the teardown, and cleans up leftovers first", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  const deps = fakeDeps(calls, {
    registry: () => ({
      record: (root: string, pids?: readonly number[]) => void calls.push(`record ${root} ${pids?.length ?? 0}`),
      forget: (root: string) => void calls.push(`forget ${root}`),
      reapOrphans: async () => {
        calls.push("reap");
        return [{ root: "/tmp/repl-lab-live-old123", stopped: 4 }];
      },
    }),
  });
  const code = await runLive("scenarios/live/leader-crash.yaml", { ...options, runs: 1 }, io, deps);
  assert.equal(code, 1, "the hand-written run loses a write");
  assert.deepEqual(calls, ["reap", "record /tmp/repl-lab-live-fake 0", "start", "record /tmp/repl-lab-live-fake 0", "run 1", "teardown", "forget /tmp/repl-lab-live-fake"]);
  assert.match(io.stderr[0], /removed a live cluster left by a run that ended without its teardown: \/tmp\/repl-lab-live-old123 \(4 processes stopped\)/);
});

test("--format html prints one self-contained page: the engine's lanes above each live run's", async () => {
  const calls: string[] = [];
  const io = memoryIo();
  await runLive("scenarios/live/leader-crash.yaml", { ...options, format: "html" }, io, fakeDeps(calls));
  const html = io.stdout.join("");
  assert.match(html, /^<!doctype html>/);
  assert.deepEqual([...html.matchAll(/<figure class="side" data-side="(\w+)"/g)].map((m) => m[1]), ["simulated", "live", "live"]);
});
