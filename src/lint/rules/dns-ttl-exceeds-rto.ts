// Clients find the new leader through the endpoint. With DNS they hold the old
// address for the TTL — and some hold it longer — so the TTL alone can blow
// the RTO however fast the database itself fails over.
import { formatMs, listWords, modeIs } from "../design.js";
import type { Rule } from "../types.js";

/** The share of clients beyond the 99th percentile: a tail larger than this holds the p99 client. */
const P99_TAIL_SHARE = 0.01;

export const dnsTtlExceedsRto: Rule = {
  id: "dns-ttl-exceeds-rto",
  severity: "error",
  description: "The DNS endpoint's TTL (or, when over 1% of clients cache it longer, that tail: the p99 client) alone must not exceed a data class's RTO.",
  hint: "Use a proxy endpoint that follows the leader, or a DNS TTL of a few seconds.",
  docs: {
    why:
      "Clients find the new leader through the endpoint. " +
      "With DNS they hold the old address for the TTL, and some clients and resolvers keep it longer than that. " +
      "So the TTL (or the tail of stale clients) alone can exceed the RTO, however fast the database itself fails over: " +
      "the data is writable again, but the clients are still knocking on the dead leader's door.",
    fix:
      "Use an endpoint that follows the leader, such as a proxy that health-checks it (`failover.endpoint: { kind: proxy, check_interval: " +
      "1s }`), or a TTL of a few seconds with clients that re-resolve on connection errors. " +
      "Measure the stale tail (`stale_clients`, `stale_for`) rather than trusting the TTL.",
    example: {
      bad: [
        "failover:",
        "  endpoint: { kind: dns, ttl: 5m, stale_clients: 10%, stale_for: 10m }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
      good: [
        "failover:",
        "  endpoint: { kind: proxy, check_interval: 1s }",
        "data_classes:",
        "  payments: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.failover.endpoint.kind === "dns",
  check({ topology }) {
    const endpoint = topology.failover.endpoint;
    if (topology.replication.mode !== "leader-follower" || endpoint.kind !== "dns") return [];
    // The RTO of a client is judged at the p99 client, as simulate measures it: a stale tail decides it only when
    // more than 1% of clients are in it; a smaller one leaves the p99 client following at the TTL.
    const tail = endpoint.staleShare > P99_TAIL_SHARE && endpoint.staleForMs > endpoint.ttlMs;
    const delayMs = tail ? endpoint.staleForMs : endpoint.ttlMs;
    const what = tail
      ? `${Math.round(endpoint.staleShare * 1000) / 10}% of clients keep the old leader's address for ${formatMs(endpoint.staleForMs)} (TTL ${formatMs(endpoint.ttlMs)}, stale_for ${formatMs(endpoint.staleForMs)})`
      : `clients may keep the old leader's address for the ${formatMs(endpoint.ttlMs)} TTL`;
    const path = ["failover", "endpoint", tail ? "stale_for" : "ttl"];
    // One finding at the endpoint, naming every class it breaks: the fix is in one place.
    const broken = topology.dataClasses.filter((c) => delayMs > c.rtoMs);
    if (broken.length === 0) return [];
    const rtos = listWords(broken.map((c) => `${c.name} (${formatMs(c.rtoMs)})`));
    return [{ path, message: `after a failover ${what}: longer than the RTO of ${rtos}` }];
  },
};
