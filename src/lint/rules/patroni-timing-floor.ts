// Patroni 3.2 and later (October 2023; every 4.x release) read ttl, loop_wait
// and retry_timeout as whole seconds and raise any below its floor (ttl 20 s,
// loop_wait 1 s, retry_timeout 3 s) when they load the configuration, with
// only a warning in their log. A design tuned to a 10 s lease, as many guides
// and older clusters are, fails over about ten seconds later on a current
// release than on paper. The simulation runs the file's timings (as Patroni
// 3.1 and earlier do, and the live cluster this project measured); this rule
// says what a current release runs instead, and what that does to each RTO.
import { detectionRange, patroniRuns, PATRONI_FLOORS_MS } from "../../base/failover-timing.js";
import { classBudgets } from "../budget.js";
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

const NAMES = { ttl: "ttlMs", loop_wait: "loopWaitMs", retry_timeout: "retryTimeoutMs" } as const;

export const patroniTimingFloor: Rule = {
  id: "patroni-timing-floor",
  severity: "warning",
  description: `Patroni 3.2 and later raise a ttl under ${formatMs(PATRONI_FLOORS_MS.ttlMs)}, a loop_wait under ${formatMs(PATRONI_FLOORS_MS.loopWaitMs)} and a retry_timeout under ${formatMs(PATRONI_FLOORS_MS.retryTimeoutMs)} to those values, and read each as whole seconds.`,
  hint: `Set ttl to at least ${formatMs(PATRONI_FLOORS_MS.ttlMs)}, so the design fails over as written on a current Patroni.`,
  docs: {
    why:
      "Since release 3.2 (October 2023), Patroni checks its three lease timings when it loads its configuration. " +
      `It reads each as whole seconds and raises any that is too small: \`ttl\` to ${formatMs(PATRONI_FLOORS_MS.ttlMs)}, \`loop_wait\` to ${formatMs(PATRONI_FLOORS_MS.loopWaitMs)}, \`retry_timeout\` to ${formatMs(PATRONI_FLOORS_MS.retryTimeoutMs)}. ` +
      "Only then does it hold them to loop_wait + 2 × retry_timeout ≤ ttl. It does not refuse the file: it logs a warning and runs the raised values. " +
      "A cluster tuned to a 10 s lease (a common recommendation before 3.2) therefore detects a dead leader 18–20 s after its failure on a current release, not 8–10 s, and every RTO built on the short lease is about ten seconds short. " +
      "The simulation runs the timings the file states, as Patroni 3.1 and earlier do; this rule says what a current release runs instead, and which RTO that breaks.",
    fix:
      `Set \`failover.detection.ttl\` to ${formatMs(PATRONI_FLOORS_MS.ttlMs)} or more (and loop_wait and retry_timeout to whole seconds at or above their floors), then size each class's RTO on that lease. ` +
      "If the cluster runs a Patroni older than 3.2 on purpose, ignore this rule with that reason; the short lease then runs as written.",
    example: {
      bad: ["failover:", "  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }"],
      good: ["failover:", "  detection: { ttl: 20s, loop_wait: 2s, retry_timeout: 3s }"],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.derived.patroni !== null,
  check({ topology, scenario }) {
    const stated = topology.derived.patroni;
    if (topology.replication.mode !== "leader-follower" || stated === null) return [];
    const runs = patroniRuns(stated.ttlMs, stated.loopWaitMs, stated.retryTimeoutMs);
    if (runs.changed.length === 0) return [];
    const raised = runs.changed.map((name) => `${name} ${formatMs(stated[NAMES[name]])} → ${formatMs(runs[NAMES[name]])}`);
    // Floors first, then Patroni's rule on the raised values: it may lower loop_wait (and retry_timeout) again.
    const floored = runs.floored;
    const lowered =
      runs.loopWaitMs !== floored.loopWaitMs || runs.retryTimeoutMs !== floored.retryTimeoutMs
        ? `, then lower loop_wait to ${formatMs(runs.loopWaitMs)}${runs.retryTimeoutMs !== floored.retryTimeoutMs ? ` and retry_timeout to ${formatMs(runs.retryTimeoutMs)}` : ""} to keep loop_wait + 2 × retry_timeout ≤ ttl`
        : "";
    const simulated = detectionRange(topology.failover.detection);
    const current = { kind: "lease" as const, ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs };
    const then = detectionRange(current);
    // The same RTO budget as rto-budget-exceeded, on the timings a current release runs: the classes it breaks.
    const asWritten = classBudgets(topology, scenario);
    const onCurrent = classBudgets({ ...topology, failover: { ...topology.failover, detection: current } }, scenario);
    const broken = topology.dataClasses.filter((c) => asWritten.get(c.name)!.maxMs <= c.rtoMs && onCurrent.get(c.name)!.maxMs > c.rtoMs);
    const rto =
      broken.length === 0
        ? ""
        : `; the worst-case failover then takes ${formatMs(Math.max(...broken.map((c) => onCurrent.get(c.name)!.maxMs)))}, above the RTO of ${listWords(broken.map((c) => `${c.name} (${formatMs(c.rtoMs)})`))}`;
    return [
      {
        path: ["failover", "detection", runs.changed[0]],
        message:
          `Patroni 3.2 and later do not run these lease timings: they raise ${listWords(raised)} when they load the configuration${lowered} (with a warning in their log), ` +
          `so a dead leader is detected ${formatMs(then.minMs)}–${formatMs(then.maxMs)} after it fails, not ${formatMs(simulated.minMs)}–${formatMs(simulated.maxMs)} as simulated (Patroni 3.1 and earlier run the file's values)${rto}`,
      },
    ];
  },
};
