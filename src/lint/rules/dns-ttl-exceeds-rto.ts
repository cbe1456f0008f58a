// Clients find the new leader through the endpoint. With DNS they hold the old
// address for the TTL — and some hold it longer — and that wait comes on top
// of everything else the failover takes: detection, fencing, election,
// promotion, then the client's reconnect. Simulate judges a class's RTO at its
// p99 client, so a TTL well under the RTO can still push that client past it:
// a 25 s TTL breaks a 30 s RTO once detection and promotion are added.
import { P99_TAIL_SHARE, staleClientDelayMs, staleTailHoldsP99, type Endpoint, type FailoverBudget } from "../../base/failover-timing.js";
import { bindingPhases, classBudgets, noPromotion } from "../budget.js";
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

/** A share of clients as a percentage, to a tenth (as the timeline and the starters write it). */
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export const dnsTtlExceedsRto: Rule = {
  id: "dns-ttl-exceeds-rto",
  severity: "error",
  description:
    `A DNS endpoint's delay (the TTL, or the stale tail's when more than ${percent(P99_TAIL_SHARE)} of clients keep the old address) must not be what pushes ` +
    "the p99 client's failover (detect, fence, elect, promote, then that delay and the reconnect) past a data class's RTO.",
  hint: "Use a proxy endpoint that follows the leader, or a DNS TTL of a few seconds.",
  docs: {
    why:
      "Clients find the new leader through the endpoint. " +
      "With DNS they hold the old address for the TTL, and some clients and resolvers keep it longer than that. " +
      "That wait does not replace the rest of the failover, it comes on top of it: a client gets writes back only after detection, fencing, " +
      "election and promotion, then the DNS delay, then its own reconnect (and, for a class that commits synchronously, not before the new leader " +
      "has a synchronous standby streaming again, which runs alongside). " +
      "Simulate judges a class's RTO at its p99 client: when more than " +
      `${percent(P99_TAIL_SHARE)} of clients keep the old address past the TTL (\`stale_clients\`, for \`stale_for\`), that client is one of them; ` +
      "with a smaller tail it follows the record within the TTL. " +
      "So a TTL comfortably under the RTO can still break it: the data is writable again, but the clients are still knocking on the dead leader's door. " +
      "The rule fires when the failover would fit the RTO without the DNS delay and does not with it. " +
      "A failover that misses the RTO even without DNS is `rto-budget-exceeded`'s finding alone: the endpoint is not what breaks it there.",
    fix:
      "Use an endpoint that follows the leader, such as a proxy that health-checks it (`failover.endpoint: { kind: proxy, check_interval: " +
      "1s }`), or a TTL of a few seconds with clients that re-resolve on connection errors. " +
      "The finding names how long the p99 client may keep the old address for the class to meet its RTO. " +
      "Measure the stale tail (`stale_clients`, `stale_for`) rather than trusting the TTL.",
    example: {
      bad: [
        "failover:",
        "  detection: { ttl: 20s, loop_wait: 2s, retry_timeout: 3s }",
        "  endpoint: { kind: dns, ttl: 25s }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
      good: [
        "failover:",
        "  detection: { ttl: 20s, loop_wait: 2s, retry_timeout: 3s }",
        "  endpoint: { kind: proxy, check_interval: 1s }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.failover.endpoint.kind === "dns",
  check({ topology, scenario }) {
    const endpoint = topology.failover.endpoint;
    if (topology.replication.mode !== "leader-follower" || endpoint.kind !== "dns") return [];
    // With nobody to promote, writes never come back whatever the endpoint does: rto-budget-exceeded says so.
    if (noPromotion(topology)) return [];
    // The p99 client's whole path, as simulate measures it, and the same failover without any DNS delay.
    const withDns = classBudgets(topology, scenario, "p99-client");
    const withoutDns = classBudgets(topology, scenario, "none");
    // A class is this rule's when the DNS delay is what pushes its p99 client past the RTO: it fits without it.
    // A class that misses its RTO even without DNS is left to rto-budget-exceeded, which counts every phase
    // (the endpoint at the TTL among them) and already fires for it: a second finding would report the same
    // overrun twice, here pointing at an endpoint whose fix alone would not bring the class within its RTO.
    // (A strict leader left with too few standbys is unbounded without DNS too, so it is left there as well.)
    const broken = topology.dataClasses.filter((c) => withoutDns.get(c.name)!.maxMs <= c.rtoMs && withDns.get(c.name)!.maxMs > c.rtoMs);
    if (broken.length === 0) return [];
    // Every broken class has the same path: it fits without DNS, so the phases alongside the clients (the sync
    // standby's wait, the only part that differs by class) fit too, and the clients' path is the one that binds.
    // Its budget is taken from the class with the tightest RTO, which the hint's allowance is counted against.
    const tightest = broken.reduce((a, b) => (b.rtoMs < a.rtoMs ? b : a));
    const budget = withDns.get(tightest.name)!;
    const dnsMs = endpointMs(budget);
    const overMs = budget.maxMs - tightest.rtoMs;
    const allowedMs = Math.max(0, dnsMs - overMs);
    const tail = staleTailHoldsP99(endpoint);
    const path = ["failover", "endpoint", tail ? "stale_for" : "ttl"];
    const rtos = listWords(broken.map((c) => `${c.name} (${formatMs(c.rtoMs)})`));
    const context = scenario ? ` (with scenario ${scenario.name}'s ${scenario.workload.clients} clients)` : "";
    const message =
      `the p99 client gets writes back ${formatMs(budget.maxMs)} after the leader fails${context} (${pathWords(budget)}), above the RTO of ${rtos}; ` +
      `DNS is ${formatMs(dnsMs)} of that, and without it the failover fits: ${heldWords(endpoint)}`;
    return [{ path, message, hint: shortHint(tail, overMs, allowedMs), details: details(tail, overMs, allowedMs, dnsMs) }];
  },
};

/** The DNS delay the budget counts for the p99 client (its endpoint phase). */
function endpointMs(budget: FailoverBudget): number {
  return budget.phases.find((p) => p.phase === "endpoint")?.maxMs ?? 0;
}

/** "detect 10.5s + fence 0s + elect 200ms + promote 1s + endpoint 25s + reconnect 2s": the path that sets the total. */
function pathWords(budget: FailoverBudget): string {
  return bindingPhases(budget)
    .map((p) => `${p.phase} ${formatMs(p.maxMs)}`)
    .join(" + ");
}

/** Why the p99 client keeps the old address that long: the TTL, or the stale tail it is one of. */
function heldWords(endpoint: Extract<Endpoint, { kind: "dns" }>): string {
  if (staleTailHoldsP99(endpoint)) {
    return `${percent(endpoint.staleShare)} of clients (more than the ${percent(P99_TAIL_SHARE)} beyond the p99 client) keep the old leader's address for ${formatMs(staleClientDelayMs(endpoint))} (TTL ${formatMs(endpoint.ttlMs)}, stale_for ${formatMs(endpoint.staleForMs)})`;
  }
  const small = endpoint.staleShare > 0 && endpoint.staleForMs > endpoint.ttlMs ? `; the ${percent(endpoint.staleShare)} of clients that keep it longer are beyond the p99 client` : "";
  return `clients keep the old leader's address for up to the ${formatMs(endpoint.ttlMs)} TTL${small}`;
}

/** "Over by 10.8s: a TTL of 14.2s at most, or a proxy endpoint that follows the leader." (one line, under 100 characters) */
function shortHint(tail: boolean, overMs: number, allowedMs: number): string {
  const over = `Over by ${formatMs(overMs)}`;
  if (allowedMs === 0) return `${over}: no DNS delay fits; use a proxy endpoint that follows the leader.`;
  if (tail) return `${over}: stale clients may keep the old address ${formatMs(allowedMs)} at most, or use a proxy.`;
  return `${over}: a TTL of ${formatMs(allowedMs)} at most, or a proxy endpoint that follows the leader.`;
}

function details(tail: boolean, overMs: number, allowedMs: number, dnsMs: number): string {
  const shrink = tail
    ? `The p99 client is one of the stale tail: shrink the tail to ${percent(P99_TAIL_SHARE)} of clients or less, or the time it keeps the old address to ${formatMs(allowedMs)} or less, with clients and connection pools that re-resolve on connection errors (a JVM's networkaddress.cache.ttl, a pool's maximum connection age); the TTL must fit that too.`
    : `Lower the TTL to ${formatMs(allowedMs)} or less, with clients that re-resolve on connection errors so that none keeps the old address past it.`;
  return (
    `The p99 client keeps the old leader's address for ${formatMs(dnsMs)}, and the failover is over its RTO by ${formatMs(overMs)}. ` +
    `Use an endpoint that follows the leader, a proxy that health-checks it (failover.endpoint: { kind: proxy, check_interval: 1s }), which switches every client at once. ` +
    `Or keep DNS and bring that delay to ${formatMs(allowedMs)} or less. ${shrink} Then rehearse a failover and measure the p99 client, not the median.`
  );
}
