// The live mode for real: bootstrap a three-node Patroni + etcd + PostgreSQL 15
// cluster on loopback, kill -9 the leader once, and check what a user relies
// on — a new leader, an RTO that follows the lease (ttl), no acknowledged write
// lost with a strict synchronous standby, and a teardown that leaves no process
// and no folder behind. CI installs the packages (.ci/run) and must run this;
// only a developer's machine without them skips it, saying why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { Chalk } from "chalk";
import { runLive } from "../../src/cli/live.js";
import { defaultLiveDeps } from "../../src/live/session.js";
import type { Io } from "../../src/cli/io.js";
import { LiveCluster } from "../../src/live/cluster.js";
import { checkPrerequisites, installCommand, systemProbe } from "../../src/live/prereqs.js";
import { processesMentioning } from "../../src/live/procs.js";
import type { LiveRun } from "../../src/live/measure.js";
import { liveLanes } from "../../src/report/html/live-lanes.js";
import { withLiveClusterLock } from "./helpers.js";

const prerequisites = checkPrerequisites(systemProbe);
const inCI = process.env.CI === "true" || process.env.CI === "1";
const missing = prerequisites.tools === null ? `skipped: the live end-to-end test needs ${prerequisites.missing.join("; ")} (install: ${installCommand(systemProbe.isRoot)})` : null;
if (missing !== null && !inCI) announce(missing);

/**
 * `npm test` uses the dot reporter, which shows neither skips nor a test's
 * stderr: the reason goes to the developer's terminal when there is one.
 */
function announce(message: string): void {
  try {
    writeFileSync("/dev/tty", `\n${message}\n`);
  } catch {
    process.stderr.write(`\n${message}\n`);
  }
}

test("CI has what the live test needs (a missing binary fails here, it is never skipped)", { skip: inCI ? false : "only on CI (CI=true): a developer machine may lack the packages" }, () => {
  assert.deepEqual(prerequisites.missing, [], "CI must install postgresql, etcd-server and patroni (.ci/run)");
});

test("live: a three-node cluster loses its leader; a synchronous standby takes over with every acknowledged write", { skip: missing ?? false, timeout: 240_000 }, () =>
  withLiveClusterLock(async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: Io = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: new Chalk({ level: 0 }), isTTY: false };
    const roots: string[] = [];
    const started = Date.now();
    const code = await runLive(
      "scenarios/live/leader-crash.yaml",
      { runs: 1, trials: 5, keep: false, format: "json" },
      io,
      {
        ...defaultLiveDeps,
        cluster: (plan, tools, progress) => {
          const cluster = new LiveCluster(plan, tools, progress);
          roots.push(cluster.root);
          return cluster;
        },
      },
    );
    const seconds = (Date.now() - started) / 1000;
    assert.deepEqual(stderr, [], "no error");
    assert.equal(code, 0, "every measured expectation met (rpo 0, rto < 20s, one failover)");
    const value = JSON.parse(stdout.join("")) as { live: { runs: Record<string, any>[]; cluster: { dcs: { ttl: number; loop_wait: number } } } };
    const run = value.live.runs[0];
    const { ttl, loop_wait } = value.live.cluster.dcs;

    // A new leader, elected through etcd and promoted.
    assert.equal(run.leaderBefore, "pg-a");
    assert.ok(["pg-b", "pg-c"].includes(run.leaderAfter), `new leader: ${run.leaderAfter}`);
    const events = (run.timeline as { event: string; node: string }[]).map((e) => e.event);
    for (const e of ["crash", "write-error", "detect", "elect", "promote", "reconnect"]) assert.ok(events.includes(e), `timeline has ${e}: ${events.join(", ")}`);
    assert.equal(run.totals.failovers, 1);

    // The HTML page's lanes of the real run (its JSON is the result the page draws): pg-a leads until the crash, the new leader from its promotion.
    const lanes = liveLanes({ ...run, result: run } as unknown as LiveRun).segments;
    const crashAt = (run.timeline as { event: string; atMs: number }[]).find((e) => e.event === "crash")!.atMs;
    const promoteAt = (run.timeline as { event: string; node: string; atMs: number }[]).find((e) => e.event === "promote" && e.node === run.leaderAfter)!.atMs;
    assert.ok(lanes.some((s) => s.lane === "pg-a" && s.role === "down" && s.startMs === crashAt), "pg-a's lane goes down at the crash");
    assert.ok(lanes.some((s) => s.lane === run.leaderAfter && s.role === "leader" && s.startMs === promoteAt), "the new leader's lane leads from its promotion");

    // RTO follows the lease: at least ttl − loop_wait (minus a poll), at most ttl plus the time a strict sync standby needs to come back.
    const orders = run.classes[0];
    const rtoS = orders.rto.writeMs / 1000;
    assert.ok(rtoS >= ttl - loop_wait - 1 && rtoS <= ttl + 12, `RTO ${rtoS}s against ttl ${ttl}s / loop_wait ${loop_wait}s`);

    // Synchronous, strict: nothing acknowledged is lost.
    assert.equal(orders.rpo.lostAckedWrites, 0);
    assert.equal(run.totals.writesLost, 0);
    assert.ok(orders.writesAcked > 1000, `writes acked: ${orders.writesAcked}`);

    // Teardown: no process of the run is left, the folder is gone.
    assert.equal(roots.length, 1);
    assert.equal(existsSync(roots[0]), false, `folder ${roots[0]} removed`);
    assert.deepEqual(processesMentioning(basename(roots[0])), [], "no process of the cluster left");
    process.stderr.write(`\nlive e2e: RTO ${rtoS.toFixed(1)}s, ${orders.writesAcked} writes acked, 0 lost, ${run.ambiguousWrites} ambiguous; ${seconds.toFixed(0)}s in all\n`);
  }));
