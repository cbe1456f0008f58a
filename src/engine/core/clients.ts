// Clients and the endpoint: broken connections, reconnects with backoff and
// jitter, the new leader's accept rate, DNS and proxy switching.
import { reconnectDelayMs } from "../../base/failover-timing.js";
import { CoreState, EV } from "./state.js";



/**
 * A request sent on the connection made at `connectedMs` failed (timed out, or refused by a node that takes no
 * writes): that connection is no good, but one the client has made since is not concerned.
 */
export function requestFailed(core: CoreState, client: number, connectedMs: number, now: number): void {
  if (connectedMs === core.connectedMs[client]) connectionBroken(core, client, now);
}

export function connectionBroken(core: CoreState, client: number, now: number): void {
  if (core.conn[client] < 0 && core.reconnecting[client]) return;
  if (core.conn[client] >= 0) {
    core.shunned[client] = core.conn[client];
    if (core.shape.moveClient?.(client, now)) return;
  }
  core.conn[client] = -1;
  startReconnect(core, client, now);
}

export function startReconnect(core: CoreState, client: number, now: number): void {
  if (core.reconnecting[client]) return;
  core.reconnecting[client] = 1;
  core.attempt[client] = 0;
  core.queue.push(now + reconnectDelayMs(core.topology.failover, 0, core.rng.next()), EV.RECONNECT, client);
}

/**
 * Linux sends an unanswered SYN again 1 s after the first (its initial retransmission timeout), then 2 s, 4 s, 8 s...
 * after each resend: at 1, 3, 7, 15 s into the attempt, until the client's own connect timeout gives up on it.
 */
const SYN_FIRST_RETRANSMIT_MS = 1000;

export function reconnect(core: CoreState, client: number, now: number): void {
  if (!core.reconnecting[client] || gaveUp(core, client)) return;
  const target = core.shape.coordinatorFor !== undefined ? core.shape.coordinatorFor(client, now) : core.endpoint.target(client, now);
  if (target < 0) {
    // No address to try (nothing routes anywhere yet): the next attempt after the backoff alone.
    retryConnect(core, client, now);
    return;
  }
  core.connectingTo[client] = target;
  core.connectStartMs[client] = now;
  connectAttempt(core, client, ++core.connectSerial[client], now);
}

/** Its zone was lost while it tried: a dead application server tries no more (and stops reconnecting). */
function gaveUp(core: CoreState, client: number): boolean {
  if (!core.network.isLost(core.clientPlace[client])) return false;
  core.reconnecting[client] = 0;
  return true;
}

/** A connection request of attempt `serial` went unanswered and is sent again (see connectAttempt). */
export function synRetransmit(core: CoreState, client: number, serial: number, now: number): void {
  if (!core.reconnecting[client] || core.connectSerial[client] !== serial || gaveUp(core, client)) return;
  connectAttempt(core, client, serial, now);
}

/**
 * One connection request to the attempt's target, sent at `now`. A host that is down, or that a partition cuts off,
 * does not answer at all (the packets are dropped): the request is sent again on TCP's schedule, and one that gets
 * through (the partition healed, the host came back) connects then; the attempt gives up at the client's timeout,
 * counted from its start, and backs off. A node that answers accepts accept_rate connections per second; a
 * connection that would wait in its queue past the timeout fails too.
 */
function connectAttempt(core: CoreState, client: number, serial: number, now: number): void {
  const target = core.connectingTo[client];
  const place = core.clientPlace[client];
  const startMs = core.connectStartMs[client];
  const giveUpMs = startMs + core.workload.timeoutMs;
  if (core.alive[target] !== 1 || !core.network.reachable(place, target)) {
    let resendMs = startMs + SYN_FIRST_RETRANSMIT_MS;
    for (let gap = 2 * SYN_FIRST_RETRANSMIT_MS; resendMs <= now; gap *= 2) resendMs += gap;
    if (resendMs < giveUpMs) core.queue.push(resendMs, EV.SYN_RETRANSMIT, client, serial);
    else retryConnect(core, client, giveUpMs);
    return;
  }
  const rtt = core.network.latency(place, target) + core.network.latency(target, place);
  const slot = Math.max(now + rtt, core.nextAcceptMs[target]);
  core.connectAttempts++;
  if (slot > giveUpMs) {
    core.connectRefused++;
    retryConnect(core, client, giveUpMs);
    return;
  }
  core.nextAcceptMs[target] = slot + 1000 / Math.max(1e-9, core.topology.failover.acceptRate);
  core.queue.push(slot, EV.CONNECTED, client, target);
}

/** The client's next attempt, after its backoff from `at`. */
function retryConnect(core: CoreState, client: number, at: number): void {
  const attempt = Math.min(60_000, ++core.attempt[client]);
  core.queue.push(at + reconnectDelayMs(core.topology.failover, attempt, core.rng.next()), EV.RECONNECT, client);
}

export function connected(core: CoreState, client: number, node: number, now: number): void {
  if (!core.reconnecting[client]) return;
  if (core.alive[node] !== 1) {
    core.queue.push(now, EV.RECONNECT, client);
    return;
  }
  core.reconnecting[client] = 0;
  core.conn[client] = node;
  core.connectedMs[client] = now;
  if (!Number.isNaN(core.endpointSwitchMs) && node === core.shape.leaderNode && now >= core.endpointSwitchMs && !core.countedReconnect[client]) {
    core.countedReconnect[client] = 1;
    core.reconnectedAfterSwitch.push(now);
  }
}

/** The leader is now `node`: the endpoint's switch to it is queued for when it happens, unless it names that node already. */
export function queueEndpointChange(core: CoreState, node: number, now: number): void {
  const at = core.endpoint.leaderChanged(node, now);
  if (!Number.isNaN(at)) core.queue.push(at, EV.ENDPOINT, node);
  // The name pointed at it throughout: its clients' reconnections count from now (the reconnect phase), with no switch to tell.
  else startReconnectPhase(core, now);
}

/** Clients may reach the leader from `now`: the reconnect phase counts their returns from here. */
function startReconnectPhase(core: CoreState, now: number): void {
  // A second failover: the clients of the first were coming back to another leader; their phase ends here.
  if (!Number.isNaN(core.endpointSwitchMs) && core.reconnectedAfterSwitch.length > 0) {
    core.closedReconnects.push(core.currentReconnects(true));
    core.roundStartAttempts = Number.isNaN(core.nextRoundAttempts) ? core.connectAttempts : core.nextRoundAttempts;
    core.roundStartRefused = Number.isNaN(core.nextRoundRefused) ? core.connectRefused : core.nextRoundRefused;
  }
  core.endpointSwitchMs = now;
  core.nextRoundAttempts = core.nextRoundRefused = NaN;
  core.reconnectedAfterSwitch = [];
  core.countedReconnect.fill(0);
}

/**
 * The endpoint now routes to the new leader (proxy: after its checks pass; DNS: the record changed). A proxy that
 * never marked the node down (it led again before `fall` failed checks) switches nothing: it routed there throughout.
 */
export function endpointSwitched(core: CoreState, node: number, now: number): void {
  const endpoint = core.topology.failover.endpoint;
  if (core.endpoint.routesTo(node)) return;
  if (endpoint.kind === "proxy") core.endpoint.proxySwitch(node);
  startReconnectPhase(core, now);
  const target = core.topology.nodes[node].name;
  core.note(
    now,
    target,
    endpoint.kind === "proxy"
      ? { event: "endpoint", via: "proxy", target, rise: endpoint.rise, checkIntervalMs: endpoint.checkIntervalMs }
      : { event: "endpoint", via: "dns", target, ttlMs: endpoint.ttlMs, staleShare: endpoint.staleShare, staleForMs: endpoint.staleForMs },
  );
  const promoted = core.phases.find((p) => p.phase === "promote" && p.endMs <= now);
  core.phase("endpoint", promoted ? Math.max(...core.phases.filter((p) => p.phase === "promote").map((p) => p.endMs)) : now, now);
}

/**
 * A node stopped answering the proxy's check as the primary (it died, demoted itself, stepped down): the proxy
 * marks it down at the `fall`-th failed check and cuts every session to it at once, unless it leads again by then.
 * Its checks run on their own schedule (the rounds that mark a new leader up and keep the read pools): the first
 * that fails is the first round after the node stopped, so the mark-down comes between fall − 1 and fall
 * intervals after it, not always fall intervals.
 */
export function proxyNodeDown(core: CoreState, node: number, now: number): void {
  const endpoint = core.topology.failover.endpoint;
  if (endpoint.kind !== "proxy") return;
  core.queue.push(core.endpoint.nextCheckMs(now) + (endpoint.fall - 1) * endpoint.checkIntervalMs, EV.PROXY_DOWN, node);
}

export function proxyMarkedDown(core: CoreState, node: number, now: number): void {
  if (core.alive[node] === 1 && core.shape.acceptsWrites(node)) return;
  core.endpoint.proxyDown(node);
  let cut = 0;
  for (let c = 0; c < core.conn.length; c++) {
    if (core.conn[c] !== node) continue;
    core.conn[c] = -1;
    startReconnect(core, c, now);
    cut++;
  }
  if (cut > 0) core.note(now, core.topology.nodes[node].name, { event: "proxy-down", sessionsCut: cut, ...(core.alive[node] !== 1 ? { hostDown: true } : {}) });
}
