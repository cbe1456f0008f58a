// One live run on a healthy cluster: start the monitor and the writer, inject
// the plan's faults on the scenario's clock, stop at the scenario's duration,
// read back which rows the primary has, and hand the log to the measurement.
import { performance } from "node:perf_hooks";
import type { LiveCluster } from "./cluster.js";
import { measureRun, type AppliedFault, type LiveRun, type RunLog } from "./measure.js";
import { Monitor } from "./monitor.js";
import type { LiveFault } from "./plan.js";
import { sleep } from "./procs.js";
import { Writer } from "./writer.js";

export interface RunProgress {
  (text: string): void;
}

function apply(cluster: LiveCluster, fault: LiveFault): { event: string; detail: string } {
  switch (fault.kind) {
    case "crash":
      return cluster.crash(fault.node);
    case "stall": {
      const out = cluster.stall(fault.node);
      return { ...out, detail: `${out.detail}${fault.forMs !== null ? ` for ${fault.forMs / 1000}s` : " until the end of the run"}` };
    }
    case "resume":
      return cluster.resume(fault.node);
    case "recover":
      return cluster.recover(fault.node);
  }
}

export async function runOnce(cluster: LiveCluster, run: number, progress: RunProgress): Promise<LiveRun> {
  const plan = cluster.plan;
  const durationMs = plan.scenario.durationMs;
  const leaderBefore = (await cluster.primary()) ?? plan.leader;
  const start = performance.now();
  const now = () => performance.now() - start;
  const monitor = new Monitor({ etcdClientPort: cluster.ports.etcd.client, leaderKey: cluster.leaderKey, nodes: cluster.nodeTargets(), password: cluster.secrets.superuser }, now);
  const writer = new Writer(plan.writer, cluster.nodeTargets(), cluster.secrets.superuser, run, now);
  const applied: AppliedFault[] = [];
  monitor.start();
  writer.start();
  const ticker = setInterval(() => {
    cluster.keepStalled();
    const acked = writer.records.length;
    progress(`run ${run}: ${(now() / 1000).toFixed(0)}s of ${durationMs / 1000}s · ${acked.toLocaleString("en-US")} writes`);
  }, 250);
  try {
    for (const fault of [...plan.faults].sort((a, b) => a.atMs - b.atMs)) {
      const wait = fault.atMs - now();
      if (wait > 0) await sleep(wait);
      const atMs = now();
      const out = apply(cluster, fault);
      applied.push({ atMs, kind: fault.kind, node: fault.node, ...out });
    }
    const rest = durationMs - now();
    if (rest > 0) await sleep(rest);
  } finally {
    clearInterval(ticker);
    await writer.stop();
    await monitor.stop();
  }
  progress(`run ${run}: reading back the written rows`);
  const rows = await cluster.rowsOf(run);
  const log: RunLog = {
    run,
    durationMs,
    leaderBefore,
    faults: applied,
    records: writer.records,
    writerEvents: writer.events,
    observations: monitor.observations,
    lag: monitor.lag,
    rows,
  };
  return measureRun(plan, log);
}
