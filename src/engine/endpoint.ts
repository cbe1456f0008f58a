// How clients find the leader: a DNS name (each client caches the answer for
// the TTL from its own last lookup, and a share of clients cache far longer) or
// a proxy that health-checks the nodes and routes to the one that passes.
import type { Endpoint } from "../model/types.js";
import type { Rng } from "../base/rng.js";

export class EndpointModel {
  /** DNS: the record's history, as (time it changed, node). */
  private changes: { atMs: number; node: number }[] = [];
  /** DNS: per client, the offset of its cache refreshes within a TTL; and whether it caches past the TTL. */
  private readonly phaseMs: Float64Array;
  private readonly stale: Uint8Array;
  /** Proxy: the node it routes to (−1: none passes its check) and from when. */
  private proxyTarget = -1;
  /** Proxy: the offset of its health checks within an interval. */
  private readonly checkPhaseMs: number;

  constructor(
    readonly config: Endpoint,
    initialLeader: number,
    clients: number,
    rng: Rng,
  ) {
    this.phaseMs = new Float64Array(clients);
    this.stale = new Uint8Array(clients);
    if (config.kind === "dns") {
      for (let c = 0; c < clients; c++) {
        this.phaseMs[c] = rng.next() * config.ttlMs;
        this.stale[c] = rng.next() < config.staleShare ? 1 : 0;
      }
    }
    this.changes.push({ atMs: -Infinity, node: initialLeader });
    this.proxyTarget = initialLeader;
    this.checkPhaseMs = config.kind === "proxy" ? rng.next() * config.checkIntervalMs : 0;
  }

  /**
   * The leader changed at `atMs`. Returns when the endpoint starts pointing at
   * it: at once for DNS (clients then learn it as their caches expire), after
   * `rise` passing health checks for a proxy. NaN: nothing changes (the DNS
   * record names that node already).
   */
  leaderChanged(node: number, atMs: number): number {
    if (this.config.kind === "dns") {
      // A leader that leads again (back within its lease, or re-elected) is the name's address already: no change.
      if (this.changes[this.changes.length - 1].node === node) return NaN;
      this.changes.push({ atMs, node });
      return atMs;
    }
    return this.nextCheckMs(atMs) + (this.config.rise - 1) * this.config.checkIntervalMs;
  }

  /** Proxy: the time of its first round of health checks at or after `atMs`. */
  nextCheckMs(atMs: number): number {
    if (this.config.kind !== "proxy") return Infinity;
    const interval = this.config.checkIntervalMs;
    return this.checkPhaseMs + Math.ceil((atMs - this.checkPhaseMs) / interval) * interval;
  }

  /** The proxy starts routing to `node` (called at the time leaderChanged returned). */
  proxySwitch(node: number): void {
    this.proxyTarget = node;
  }

  /** Proxy: whether it routes to `node` right now. */
  routesTo(node: number): boolean {
    return this.config.kind === "proxy" && this.proxyTarget === node;
  }

  /** Proxy: stop routing to a node whose health checks fail. */
  proxyDown(node: number): void {
    if (this.proxyTarget === node) this.proxyTarget = -1;
  }

  /** When client `c` learns of the change made at `changeMs` (DNS only). */
  learnsAtMs(c: number, changeMs: number): number {
    if (this.config.kind !== "dns") return changeMs;
    if (this.stale[c]) return changeMs + Math.max(this.config.ttlMs, this.config.staleForMs);
    const ttl = this.config.ttlMs;
    if (ttl <= 0) return changeMs;
    const phase = this.phaseMs[c];
    return phase + Math.ceil((changeMs - phase) / ttl) * ttl;
  }

  /** The node client `c` would connect to at `nowMs` (−1: none). */
  target(c: number, nowMs: number): number {
    if (this.config.kind === "proxy") return this.proxyTarget;
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i];
      if (i === 0 || this.learnsAtMs(c, change.atMs) <= nowMs) return change.node;
    }
    return -1;
  }

  isStaleClient(c: number): boolean {
    return this.stale[c] === 1;
  }
}
