// Patroni's leader renews its lease once per loop (loop_wait) and, when the
// DCS does not answer, retries for up to retry_timeout. Its documentation
// requires loop_wait + 2 × retry_timeout ≤ ttl so that a leader can wait out
// its loop and fail twice against the DCS without its lease running out;
// otherwise a transient DCS error costs the cluster its leader.
import { patroniRuns } from "../../base/failover-timing.js";
import { formatMs, modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const leaseTtlTooShort: Rule = {
  id: "lease-ttl-too-short",
  severity: "warning",
  description: "A leader lease must outlast one loop and two DCS retries: loop_wait + 2 × retry_timeout ≤ ttl (Patroni's rule).",
  hint: "Keep loop_wait + 2 × retry_timeout ≤ ttl: raise the ttl, or lower loop_wait or retry_timeout.",
  docs: {
    why:
      "Patroni's leader renews its lease once per loop (`loop_wait`) and, when the DCS does not answer, retries for up to `retry_timeout`. " +
      "Its documentation requires loop_wait + 2 × retry_timeout ≤ ttl, so that a leader can wait out its loop and fail twice against the DCS without its lease running out. " +
      "Otherwise a transient DCS error costs the cluster its leader: it demotes itself while still retrying, and a failover nobody needed follows. " +
      "Patroni enforces the rule when it loads its configuration: it lowers loop_wait to ttl − 2 × retry_timeout (and, when even a 1 s loop does not fit, sets loop_wait to 1 s and retry_timeout to (ttl − 1 s) / 2), with a warning in its log. " +
      "The simulation runs with the lowered timings, as Patroni would: the design you wrote is not the one that runs.",
    fix:
      "Raise `failover.detection.ttl` to at least loop_wait + 2 × retry_timeout, or lower `loop_wait` or `retry_timeout`. " +
      "Patroni's defaults (ttl 30s, loop_wait 10s, retry_timeout 10s) meet the rule exactly; " +
      "a tuned cluster such as ttl 20s, loop_wait 2s, retry_timeout 3s meets it with room to spare (20s is the shortest lease Patroni 3.2 and later run: see patroni-timing-floor).",
    example: {
      bad: [
        "failover:",
        "  detection: { ttl: 20s, loop_wait: 10s, retry_timeout: 10s }",
      ],
      good: [
        "failover:",
        "  detection: { ttl: 20s, loop_wait: 2s, retry_timeout: 3s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.derived.patroni !== null,
  check({ topology }) {
    // Only a leader/follower design holds a lease; a consensus group resolves to heartbeats.
    const timing = topology.derived.patroni;
    if (topology.replication.mode !== "leader-follower" || timing === null || timing.fits) return [];
    const { ttlMs, loopWaitMs, retryTimeoutMs, neededMs, adjusted } = timing;
    // Patroni 3.2 and later raise a ttl under their floor before they apply the rule (patroni-timing-floor says what they run then).
    const floors = patroniRuns(ttlMs, loopWaitMs, retryTimeoutMs).changed.length > 0;
    const runs = !adjusted
      ? ""
      : floors
        ? `the simulation lowers them to loop_wait ${formatMs(adjusted.loopWaitMs)} and retry_timeout ${formatMs(adjusted.retryTimeoutMs)} under the file's ttl, as Patroni's rule does (Patroni 3.2 and later raise the ttl first: see patroni-timing-floor); `
        : `Patroni does not run these timings: it lowers them to loop_wait ${formatMs(adjusted.loopWaitMs)} and retry_timeout ${formatMs(adjusted.retryTimeoutMs)} (with a warning in its log), and so does the simulation; `;
    return [
      {
        path: ["failover", "detection"],
        key: true,
        message:
          `loop_wait ${formatMs(loopWaitMs)} + 2 × retry_timeout ${formatMs(retryTimeoutMs)} = ${formatMs(neededMs)} is more than the lease ttl ${formatMs(ttlMs)}: ${runs}` +
          "a leader that meets a transient DCS error could otherwise lose its lease while it is still retrying, demote itself, and cause a failover nobody needed",
        hint: `Raise failover.detection.ttl to at least ${formatMs(neededMs)}, or lower loop_wait or retry_timeout.`,
        details: `Raise failover.detection.ttl to at least ${formatMs(neededMs)}, or lower loop_wait or retry_timeout until loop_wait + 2 × retry_timeout ≤ ${formatMs(ttlMs)}.`,
      },
    ];
  },
};
