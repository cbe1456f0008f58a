// The shared core every replication shape runs on: the clock and event queue,
// the seeded randomness, the network, the open-loop workload and its clients
// (connections, endpoint, reconnects with backoff and jitter, the new leader's
// accept rate), the write log, and the measurements. A shape (leader/follower
// today) decides where writes go and when they commit.
import type { ResolvedFault, ResolvedScenario, ResolvedTopology, ResolvedWorkload } from "../model/types.js";
import { EndpointModel } from "./endpoint.js";
import { reconnectDelayMs } from "../base/failover-timing.js";
import { ClassMetrics, ClientRecovery } from "./metrics.js";
import { Samples } from "../base/stats.js";
import { Network } from "./network.js";
import { EventQueue } from "./queue.js";
import type { FailoverPhaseResult, LagSample, TimelineEntry } from "./result.js";
import { Rng } from "../base/rng.js";
import { ACKED, Epochs, PENDING, REJECTED, WriteLog } from "./write-log.js";
import { formatDuration } from "../base/units.js";
import { coordinatorMembers } from "./coordinator.js";

/** Event kinds. Faults sort before traffic at the same instant because they are queued first. */
export const EV = {
  FAULT: 1,
  FAULT_END: 2,
  WRITE_ACK: 3,
  WRITE_TIMEOUT: 4,
  WRITE_ERROR: 5,
  RECONNECT: 6,
  CONNECTED: 7,
  HA_TICK: 8,
  LEASE_CHECK: 9,
  ELECTION: 10,
  PROMOTED: 11,
  FENCE: 12,
  ENDPOINT: 13,
  REPLICA_CONNECT: 14,
  REBUILD_DONE: 15,
  SELF_DEMOTE: 16,
  LAG_SAMPLE: 17,
  RESTORE_APPLY_RATE: 18,
  STALL_END: 19,
  READ_FAIL: 20,
  PROXY_DOWN: 21,
  WRITE_ARRIVE: 22,
} as const;

export interface Shape {
  readonly leaderNode: number;
  start(): void;
  acceptsWrites(node: number): boolean;
  appendWrite(id: number, node: number, atMs: number): void;
  ackStillValid(id: number, atMs: number): boolean;
  /** Replica reads (leader/follower): the replica that serves one, or −1 for the leader. */
  pickReplica?(client: number, routing: "session" | "any" | "max_lag", maxLagBytes: number, atMs: number): number;
  /** Whether a write is visible on a node (for stale-read counting; shapes that serve their own reads omit it). */
  visible?(node: number, epoch: number, lsn: number, atMs: number): boolean;
  handle(kind: number, a: number, b: number, now: number): void;
  fault(f: ResolvedFault, now: number): void;
  crashNode(n: number, now: number, why: string): void;
  healed(now: number): void;
  partitioned(now: number): void;
  /** Concurrent writes to one key that needed resolution (multi-leader and leaderless shapes). */
  readonly conflicts?: number;
  /** Whether acknowledged write `id` is in the surviving history at the end of the run. */
  survived(id: number): boolean;
  /** Shapes without a single leader serve reads themselves (quorum reads); return whether it was handled. */
  read?(client: number, cls: number, key: number, now: number): boolean;
  /** Shapes without a single leader choose each client's coordinator themselves (−1: none reachable). */
  coordinatorFor?(client: number, now: number): number;
}

/** Upper bound on events in one run (TigerBeetle: put a limit on everything). */
export const MAX_EVENTS = 200_000_000;

export class Core {
  readonly topology: ResolvedTopology;
  readonly workload: ResolvedWorkload;
  readonly rng: Rng;
  /** Workload arrivals draw from their own stream, so that faults do not reshuffle the traffic. */
  readonly trafficRng: Rng;
  readonly network: Network;
  readonly queue = new EventQueue();
  readonly log = new WriteLog();
  readonly epochs: Epochs;
  readonly endpoint: EndpointModel;
  readonly alive: Uint8Array;
  readonly endMs: number;
  readonly firstFaultMs: number | null;
  shape!: Shape;
  failovers = 0;
  /** Connection attempts that reached a live node, and those that timed out in its accept queue (the storm). */
  connectAttempts = 0;
  connectRefused = 0;
  events = 0;

  // Clients
  readonly clientPlace: Int16Array;
  /** The node each client is connected to (−1: none). */
  readonly conn: Int16Array;
  readonly reconnecting: Uint8Array;
  readonly attempt: Uint16Array;
  /** The node a pending connection is being made to (−1: none). */
  readonly connectingTo: Int16Array;
  readonly sessionLsn: Float64Array;
  readonly sessionEpoch: Int32Array;
  /** Per node: the next free slot for accepting a connection (accept_rate). */
  readonly nextAcceptMs: Float64Array;

  // Measurements
  readonly classes: ClassMetrics[];
  /** Latency by the client's region (global users pay for where the leader is). */
  readonly regionNames: string[];
  readonly regionWrites: Samples[];
  readonly regionReads: Samples[];
  readonly recovery: ClientRecovery;
  readonly timeline: TimelineEntry[] = [];
  readonly phases: FailoverPhaseResult[] = [];
  readonly lag: LagSample[] = [];
  readonly violations: string[] = [];
  /** Nodes whose zone or region was lost with no end: their disks are gone (a loss with `for` comes back with its data). */
  readonly lostForGood: Uint8Array;
  /** Timelines or commit positions that went backwards (a checker reads these). */
  readonly commitRegressions: string[] = [];
  /** The coordinator's members, as places: a node needs to reach a majority of them. */
  private readonly coordinatorPlaces: number[];
  /** Latest acknowledged write per key (−1 none). */
  private readonly lastAcked: Int32Array | Map<number, number>;
  /** Acknowledgement interval per epoch, for split-brain time. */
  readonly epochAckFirst: number[] = [];
  readonly epochAckLast: number[] = [];
  private readonly classCumulative: Float64Array;
  /** Per class: where reads may go besides the leader (null: leader only), and the staleness budget. */
  private readonly readRouting: ("session" | "any" | "max_lag" | null)[];
  private readonly readMaxLag: Float64Array;
  /** Each data class is its own table: a disjoint slice of the key space, sized by its share. */
  private readonly keyStart: Float64Array;
  private readonly keyCount: Float64Array;
  private readonly writesPerSecond = new Uint32Array(16);
  private readonly writeSecond = new Int32Array(16).fill(-1);
  private endpointSwitchMs = NaN;
  private reconnectedAfterSwitch: number[] = [];
  private pendingHead = 0;
  private countedReconnect!: Uint8Array;
  private readonly pending: number[] = [];

  constructor(scenario: ResolvedScenario, seed: number) {
    this.topology = scenario.topology;
    this.workload = scenario.workload;
    this.rng = new Rng(seed);
    this.trafficRng = this.rng.fork();
    this.network = new Network(this.topology, this.rng.fork());
    this.endMs = scenario.durationMs;
    this.firstFaultMs = scenario.faults.length > 0 ? scenario.faults[0].atMs : null;
    const leader = Math.max(0, this.topology.nodes.findIndex((n) => n.name === this.topology.leader));
    this.epochs = new Epochs(leader);
    this.alive = new Uint8Array(this.topology.nodes.length).fill(1);
    this.lostForGood = new Uint8Array(this.topology.nodes.length);
    const clients = this.workload.clients;
    this.clientPlace = new Int16Array(clients);
    for (let c = 0; c < clients; c++) this.clientPlace[c] = this.network.zonePlace(this.workload.zones[c % this.workload.zones.length]);
    this.conn = new Int16Array(clients).fill(leader);
    this.reconnecting = new Uint8Array(clients);
    this.countedReconnect = new Uint8Array(clients);
    this.attempt = new Uint16Array(clients);
    this.connectingTo = new Int16Array(clients).fill(-1);
    this.sessionLsn = new Float64Array(clients);
    this.sessionEpoch = new Int32Array(clients);
    this.nextAcceptMs = new Float64Array(this.topology.nodes.length);
    this.endpoint = new EndpointModel(this.topology.failover.endpoint, leader, clients, this.rng.fork());
    this.classes = this.topology.dataClasses.map(() => new ClassMetrics());
    this.regionNames = [...new Set(this.network.zones.map((z) => z.split("/")[0]))];
    this.regionWrites = this.regionNames.map(() => new Samples());
    this.regionReads = this.regionNames.map(() => new Samples());
    this.recovery = new ClientRecovery(clients);
    this.lastAcked = this.workload.keys <= 4_000_000 ? new Int32Array(this.workload.keys).fill(-1) : new Map();
    let sum = 0;
    this.classCumulative = new Float64Array(this.topology.dataClasses.map((c) => (sum += c.share)));
    const keys = this.workload.keys;
    let start = 0;
    this.keyStart = new Float64Array(this.topology.dataClasses.length);
    this.keyCount = new Float64Array(this.topology.dataClasses.length);
    this.topology.dataClasses.forEach((c, i) => {
      const count = Math.max(1, Math.min(keys - start, Math.round(keys * c.share)));
      this.keyStart[i] = Math.min(start, keys - 1);
      this.keyCount[i] = Math.max(1, count);
      start += count;
    });
    // A consensus group is its own coordinator: its members are its nodes (alive and reachable), not their zones.
    this.coordinatorPlaces =
      this.topology.replication.mode === "consensus" ? this.topology.nodes.map((_, i) => i) : coordinatorMembers(this.topology).map((zone) => this.network.zonePlace(zone));
    this.readRouting = this.topology.dataClasses.map((c) => (c.reads.kind === "leader" ? null : c.reads.kind));
    this.readMaxLag = new Float64Array(this.topology.dataClasses.map((c) => (c.reads.kind === "max_lag" ? c.reads.bytes : 0)));
  }

  // -------------------------------------------------------------------------
  // The main loop

  run(faults: ResolvedFault[]): void {
    faults.forEach((f, i) => this.queue.push(f.atMs, EV.FAULT, i));
    this.shape.start();
    const traffic = this.trafficRng;
    const writeRate = this.workload.writes / 1000;
    this.log.reserve(Math.ceil(this.workload.writes * (this.endMs / 1000) * 1.05) + 1024);
    const readRate = this.workload.reads / 1000;
    let nextWrite = writeRate > 0 ? traffic.exponential(writeRate) : Infinity;
    let nextRead = readRate > 0 ? traffic.exponential(readRate) : Infinity;
    const settleMs = this.endMs + this.workload.timeoutMs + 1;
    const event = { time: 0, kind: 0, a: 0, b: 0 };
    for (;;) {
      const queued = this.queue.peekTime();
      if (nextWrite <= nextRead && nextWrite < queued && nextWrite < this.endMs) {
        this.sendWrite(nextWrite);
        nextWrite += traffic.exponential(writeRate);
      } else if (nextRead < queued && nextRead < this.endMs) {
        this.sendRead(nextRead);
        nextRead += traffic.exponential(readRate);
      } else {
        if (queued > settleMs || !this.queue.pop(event)) break;
        if (++this.events > MAX_EVENTS) throw new Error("assertion: event limit exceeded");
        this.dispatch(event.kind, event.a, event.b, event.time, faults);
      }
    }
    this.events += this.log.count;
  }

  private dispatch(kind: number, a: number, b: number, now: number, faults: ResolvedFault[]): void {
    switch (kind) {
      case EV.FAULT:
        return this.applyFault(faults[a], now, a);
      case EV.FAULT_END:
        return this.endFault(faults[a], now, b);
      case EV.WRITE_ACK:
        return this.writeAck(a, b, now);
      case EV.WRITE_TIMEOUT:
        return this.writeFailed(a, b, now, true);
      case EV.WRITE_ERROR:
        return this.writeFailed(a, b, now, false);
      case EV.RECONNECT:
        return this.reconnect(a, now);
      case EV.CONNECTED:
        return this.connected(a, b, now);
      case EV.READ_FAIL:
        return this.connectionBroken(a, now);
      case EV.PROXY_DOWN:
        return this.proxyMarkedDown(a, now);
      case EV.WRITE_ARRIVE:
        return this.writeArrives(a, b, now);
      default:
        return this.shape.handle(kind, a, b, now);
    }
  }

  // -------------------------------------------------------------------------
  // Workload

  private pickClass(): number {
    const u = this.trafficRng.next() * this.classCumulative[this.classCumulative.length - 1];
    let i = 0;
    while (i < this.classCumulative.length - 1 && u >= this.classCumulative[i]) i++;
    return i;
  }

  private sendWrite(now: number): void {
    const traffic = this.trafficRng;
    const cls = this.pickClass();
    const key = this.keyStart[cls] + traffic.int(this.keyCount[cls]);
    const client = traffic.int(this.workload.clients);
    const id = this.log.add(now, cls, key, client);
    this.pending.push(id);
    const second = Math.floor(now / 1000);
    const slot = second % 16;
    if (this.writeSecond[slot] !== second) {
      this.writeSecond[slot] = second;
      this.writesPerSecond[slot] = 0;
    }
    this.writesPerSecond[slot]++;
    const node = this.conn[client];
    const place = this.clientPlace[client];
    if (this.network.isLost(place)) this.log.clientLost[id] = 1;
    if (node < 0) {
      this.reject(id, now);
      return;
    }
    if (this.alive[node] !== 1 || !this.network.reachable(place, node)) {
      this.queue.push(now + this.workload.timeoutMs, EV.WRITE_TIMEOUT, id, ++this.log.version[id]);
      return;
    }
    if (!this.shape.acceptsWrites(node)) {
      // A read-only node answers at once: "cannot execute INSERT in a read-only transaction".
      const rtt = this.network.latency(place, node) + this.network.latency(node, place);
      this.queue.push(now + rtt, EV.WRITE_ERROR, id, ++this.log.version[id]);
      return;
    }
    // The write reaches the leader after the client's link latency; appends must happen in arrival order
    // (group commit and the WAL stream depend on it), so the arrival is an event of its own.
    this.queue.push(now + this.network.latency(place, node), EV.WRITE_ARRIVE, id, node);
  }

  private writeArrives(id: number, node: number, now: number): void {
    if (this.log.status[id] !== PENDING) return;
    if (this.alive[node] !== 1 || !this.shape.acceptsWrites(node)) {
      // It died or stepped down while the request was on the wire.
      this.queue.push(Math.max(now, this.log.sendMs[id] + this.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++this.log.version[id]);
      return;
    }
    this.shape.appendWrite(id, node, now);
  }

  private sendRead(now: number): void {
    const traffic = this.trafficRng;
    const clsIndex = this.pickClass();
    const key = this.keyStart[clsIndex] + traffic.int(this.keyCount[clsIndex]);
    const client = traffic.int(this.workload.clients);
    if (this.shape.read !== undefined && this.shape.read(client, clsIndex, key, now)) return;
    const metrics = this.classes[clsIndex];
    const place = this.clientPlace[client];
    let node = -1;
    const routing = this.readRouting[clsIndex];
    if (routing !== null && this.shape.pickReplica !== undefined) node = this.shape.pickReplica(client, routing, this.readMaxLag[clsIndex], now);
    if (node < 0) {
      node = this.conn[client];
      if (node < 0) {
        this.readOutcome(clsIndex, client, now, now, false);
        return;
      }
      if (this.alive[node] !== 1 || !this.network.reachable(place, node)) {
        this.readOutcome(clsIndex, client, now, now + this.workload.timeoutMs, false);
        this.queue.push(now + this.workload.timeoutMs, EV.READ_FAIL, client);
        return;
      }
    }
    const latency = this.network.latency(place, node) + this.network.latency(node, place);
    const latest = this.lastAckedWrite(key);
    if (latest >= 0 && this.shape.visible !== undefined && !this.shape.visible(node, this.log.epoch[latest], this.log.lsn[latest], now)) metrics.staleReads++;
    this.readOutcome(clsIndex, client, now, now + latency, true);
  }

  readOutcome(cls: number, client: number, sentMs: number, doneMs: number, ok: boolean): void {
    const m = this.classes[cls];
    if (ok) {
      m.readsServed++;
      m.readLatency.add(doneMs - sentMs);
      this.regionReads[this.network.regionIndex[this.clientPlace[client]]].add(doneMs - sentMs);
      const open = m.readOutage;
      if (open !== null && sentMs > open.firstErrorMs) {
        open.recoveredMs = doneMs;
        m.readOutage = null;
      }
      m.lastOkReadSendMs = sentMs;
    } else {
      m.readsRejected++;
      if (this.firstFaultMs !== null && sentMs >= this.firstFaultMs && m.readOutage === null) {
        m.readOutage = { firstErrorMs: sentMs, lastOkSendMs: m.lastOkReadSendMs, recoveredMs: Infinity };
        m.readOutages.push(m.readOutage);
      }
      if (this.conn[client] < 0 && !this.reconnecting[client]) this.startReconnect(client, sentMs);
    }
  }

  lastAckedWrite(key: number): number {
    return this.lastAcked instanceof Int32Array ? this.lastAcked[key] : (this.lastAcked.get(key) ?? -1);
  }

  /** Writes per second sent over the last ten seconds (a ring of per-second counters). */
  recentWriteRate(now: number): number {
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let s = second - 10; s < second; s++) if (s >= 0 && this.writeSecond[s % 16] === s) total += this.writesPerSecond[s % 16];
    return total / 10;
  }

  // -------------------------------------------------------------------------
  // Outcomes

  private writeAck(id: number, version: number, now: number): void {
    const log = this.log;
    if (log.version[id] !== version || log.status[id] !== PENDING) return;
    if (!this.shape.ackStillValid(id, now)) {
      this.queue.push(Math.max(now, log.sendMs[id] + this.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++log.version[id]);
      return;
    }
    log.status[id] = ACKED;
    log.doneMs[id] = now;
    const cls = log.cls[id];
    const m = this.classes[cls];
    m.writesAcked++;
    m.writeLatency.add(now - log.sendMs[id]);
    this.regionWrites[this.network.regionIndex[this.clientPlace[log.client[id]]]].add(now - log.sendMs[id]);
    const client = log.client[id];
    if (log.sendMs[id] > this.recovery.firstErrorMs[client] && now < this.recovery.recoveredMs[client]) this.recovery.recoveredMs[client] = now;
    const key = log.key[id];
    if (this.lastAcked instanceof Int32Array) this.lastAcked[key] = id;
    else this.lastAcked.set(key, id);
    this.sessionLsn[client] = log.lsn[id];
    this.sessionEpoch[client] = log.epoch[id];
    const epoch = log.epoch[id];
    if (this.epochAckFirst[epoch] === undefined) this.epochAckFirst[epoch] = now;
    this.epochAckLast[epoch] = now;
  }

  private writeFailed(id: number, version: number, now: number, timeout: boolean): void {
    const log = this.log;
    if (log.version[id] !== version || log.status[id] !== PENDING) return;
    this.reject(id, now);
    const client = log.client[id];
    // A timed-out or refused request tells the client its connection is no good.
    if (timeout || !this.shape.acceptsWrites(this.conn[client])) this.connectionBroken(client, now);
  }

  private reject(id: number, now: number): void {
    const log = this.log;
    log.status[id] = REJECTED;
    log.doneMs[id] = now;
    const cls = log.cls[id];
    const m = this.classes[cls];
    m.writesRejected++;
    const sent = log.sendMs[id];
    if (this.firstFaultMs !== null && sent >= this.firstFaultMs) {
      const client = log.client[id];
      if (sent < this.recovery.firstErrorMs[client]) this.recovery.firstErrorMs[client] = sent;
    }
    const client = log.client[id];
    if (this.conn[client] < 0 && !this.reconnecting[client]) this.startReconnect(client, now);
  }

  /** Every undecided write on `node` fails: the node died before answering. */
  failPending(node: number, now: number): void {
    this.forEachPending((id) => {
      if (this.log.node[id] === node) this.queue.push(Math.max(now, this.log.sendMs[id] + this.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++this.log.version[id]);
    });
  }

  forEachPending(visit: (id: number) => void): void {
    const log = this.log;
    while (this.pendingHead < this.pending.length && log.status[this.pending[this.pendingHead]] !== PENDING) this.pendingHead++;
    if (this.pendingHead > 4096 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const id = this.pending[i];
      if (log.status[id] === PENDING) visit(id);
    }
  }

  // -------------------------------------------------------------------------
  // Connections

  private connectionBroken(client: number, now: number): void {
    if (this.conn[client] < 0 && this.reconnecting[client]) return;
    this.conn[client] = -1;
    this.startReconnect(client, now);
  }

  private startReconnect(client: number, now: number): void {
    if (this.reconnecting[client]) return;
    this.reconnecting[client] = 1;
    this.attempt[client] = 0;
    this.queue.push(now + reconnectDelayMs(this.topology.failover, 0, this.rng.next()), EV.RECONNECT, client);
  }

  private reconnect(client: number, now: number): void {
    if (!this.reconnecting[client]) return;
    const target = this.shape.coordinatorFor !== undefined ? this.shape.coordinatorFor(client, now) : this.endpoint.target(client, now);
    const place = this.clientPlace[client];
    const timeout = this.workload.timeoutMs;
    const retry = (at: number) => {
      const attempt = Math.min(60_000, ++this.attempt[client]);
      this.queue.push(at + reconnectDelayMs(this.topology.failover, attempt, this.rng.next()), EV.RECONNECT, client);
    };
    if (target < 0 || this.alive[target] !== 1 || !this.network.reachable(place, target)) {
      retry(now + (target >= 0 && this.alive[target] !== 1 ? timeout : 0));
      return;
    }
    // The node accepts accept_rate connections per second; an attempt that would wait past the timeout fails.
    const rtt = this.network.latency(place, target) + this.network.latency(target, place);
    const slot = Math.max(now + rtt, this.nextAcceptMs[target]);
    this.connectAttempts++;
    if (slot - now > timeout) {
      this.connectRefused++;
      retry(now + timeout);
      return;
    }
    this.nextAcceptMs[target] = slot + 1000 / Math.max(1e-9, this.topology.failover.acceptRate);
    this.queue.push(slot, EV.CONNECTED, client, target);
  }

  private connected(client: number, node: number, now: number): void {
    if (!this.reconnecting[client]) return;
    if (this.alive[node] !== 1) {
      this.queue.push(now, EV.RECONNECT, client);
      return;
    }
    this.reconnecting[client] = 0;
    this.conn[client] = node;
    if (!Number.isNaN(this.endpointSwitchMs) && node === this.shape.leaderNode && now >= this.endpointSwitchMs && !this.countedReconnect[client]) {
      this.countedReconnect[client] = 1;
      this.reconnectedAfterSwitch.push(now);
    }
  }

  /** The endpoint now routes to the new leader (proxy: after its checks pass; DNS: the record changed). */
  endpointSwitched(node: number, now: number): void {
    const endpoint = this.topology.failover.endpoint;
    if (endpoint.kind === "proxy") this.endpoint.proxySwitch(node);
    this.endpointSwitchMs = now;
    this.reconnectedAfterSwitch = [];
    this.countedReconnect.fill(0);
    const detail =
      endpoint.kind === "proxy"
        ? `proxy health checks mark ${this.topology.nodes[node].name} up (${endpoint.rise} pass${endpoint.rise === 1 ? "" : "es"}, every ${formatDuration(endpoint.checkIntervalMs)})`
        : `DNS record now points at ${this.topology.nodes[node].name}; clients follow as their ${formatDuration(endpoint.ttlMs)} TTL expires${endpoint.staleShare > 0 ? `, ${Math.round(endpoint.staleShare * 1000) / 10}% only after ${formatDuration(endpoint.staleForMs)}` : ""}`;
    this.note(now, this.topology.nodes[node].name, "endpoint", detail);
    const promoted = this.phases.find((p) => p.phase === "promote" && p.endMs <= now);
    this.phase("endpoint", promoted ? Math.max(...this.phases.filter((p) => p.phase === "promote").map((p) => p.endMs)) : now, now);
  }

  /** A node died: a proxy marks it down after `fall` failed checks and cuts every session to it at once. */
  proxyNodeDown(node: number, now: number): void {
    const endpoint = this.topology.failover.endpoint;
    if (endpoint.kind !== "proxy") return;
    this.queue.push(now + endpoint.fall * endpoint.checkIntervalMs, EV.PROXY_DOWN, node);
  }

  private proxyMarkedDown(node: number, now: number): void {
    if (this.alive[node] === 1 && this.shape.acceptsWrites(node)) return;
    this.endpoint.proxyDown(node);
    let cut = 0;
    for (let c = 0; c < this.conn.length; c++) {
      if (this.conn[c] !== node) continue;
      this.conn[c] = -1;
      this.startReconnect(c, now);
      cut++;
    }
    if (cut > 0) this.note(now, this.topology.nodes[node].name, "proxy-down", `proxy marks it down and cuts ${cut} client sessions: they all reconnect at once`);
  }

  // -------------------------------------------------------------------------
  // Faults

  private readonly faultState = new Map<number, number>();

  // Durability: what the backups need to know about the run.
  readonly archiveFailures: { startMs: number; endMs: number }[] = [];
  readonly drillTimes: number[] = [];
  readonly lostRegions: { region: string; atMs: number; leaderRegionLost: boolean }[] = [];
  readonly badWrites: { fault: ResolvedFault & { kind: "bad_write" }; atMs: number; blocked: boolean; replicatedInMs: number | null }[] = [];

  recordBadWrite(fault: ResolvedFault & { kind: "bad_write" }, atMs: number, blocked: boolean, replicatedInMs: number | null): void {
    this.badWrites.push({ fault, atMs, blocked, replicatedInMs });
    const noticed = atMs + fault.noticedAfterMs;
    if (!blocked && noticed <= this.endMs) this.note(noticed, "operator", "noticed", `someone notices the damage to ${fault.dataClass}; every replica has it, so failover cannot help`);
  }

  private applyFault(f: ResolvedFault, now: number, index: number): void {
    const nodeIndex = (names: string[]) => names.map((name) => this.topology.nodes.findIndex((n) => n.name === name));
    switch (f.kind) {
      case "partition": {
        const id = this.network.partition(f.sides.map(nodeIndex), f.zones);
        this.faultState.set(index, id);
        const described = f.sides.map((side, i) => `[${[...side, ...f.zones[i].filter((z) => !side.some((n) => this.topology.nodes.find((x) => x.name === n)?.zone === z))].join(", ")}]`).join(" | ");
        this.note(now, "network", "partition", `partition ${described}${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
        this.shape.partitioned(now);
        if (f.forMs !== null) this.queue.push(now + f.forMs, EV.FAULT_END, index, id);
        return;
      }
      case "heal":
        this.network.heal();
        this.note(now, "network", "heal", "all partitions healed");
        this.shape.healed(now);
        return;
      case "latency": {
        const id = this.network.addLatency(nodeIndex(f.between[0]), nodeIndex(f.between[1]), f.addMs);
        this.note(now, "network", "latency", `+${formatDuration(f.addMs)} between [${f.between[0].join(", ")}] and [${f.between[1].join(", ")}]${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
        if (f.forMs !== null) this.queue.push(now + f.forMs, EV.FAULT_END, index, id);
        return;
      }
      case "lose": {
        const nodes = nodeIndex(f.nodes);
        if (!f.target.includes("/")) {
          const leader = this.shape.leaderNode;
          this.lostRegions.push({ region: f.target, atMs: now, leaderRegionLost: leader >= 0 && this.topology.nodes[leader].region === f.target });
        }
        this.note(now, f.target, "lose", `${f.target.includes("/") ? "zone" : "region"} ${f.target} lost: ${f.nodes.length ? f.nodes.join(", ") : "no nodes"}, and the clients there${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}`);
        for (const n of nodes) this.shape.crashNode(n, now, `lost with ${f.target}`);
        if (f.forMs === null) for (const n of nodes) this.lostForGood[n] = 1;
        this.network.loseZones(f.zones, nodes, true);
        if (f.forMs !== null) this.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
        return;
      }
      case "crash":
        this.shape.fault(f, now);
        if (f.forMs !== null) this.queue.push(now + f.forMs, EV.FAULT_END, index, 0);
        return;
      case "archive_fails": {
        const end = f.forMs === null ? Infinity : now + f.forMs;
        this.archiveFailures.push({ startMs: now, endMs: end });
        this.note(now, "backups", "archive-fails", `WAL archiving silently stops${f.forMs !== null ? ` for ${formatDuration(f.forMs)}` : ""}: archive_command reports success, nothing is stored`);
        return;
      }
      case "restore_drill":
        this.drillTimes.push(now);
        return;
      default:
        this.shape.fault(f, now);
    }
  }

  private endFault(f: ResolvedFault, now: number, id: number): void {
    switch (f.kind) {
      case "partition":
        this.network.heal(id);
        this.note(now, "network", "heal", "partition healed");
        this.shape.healed(now);
        return;
      case "latency":
        this.network.removeLatency(id);
        this.note(now, "network", "latency-end", "added latency removed");
        return;
      case "crash":
        this.shape.fault({ atMs: now, kind: "recover", node: f.node }, now);
        return;
      case "lose":
        this.network.loseZones(f.zones, f.nodes.map((name) => this.topology.nodes.findIndex((n) => n.name === name)), false);
        this.note(now, f.target, "restore", `${f.target} is back`);
        for (const name of f.nodes) this.shape.fault({ atMs: now, kind: "recover", node: name }, now);
        return;
      default:
        return;
    }
  }

  // -------------------------------------------------------------------------
  // Coordinator and measurements

  /** A node reaches the coordinator when it reaches a majority of the coordinator's members. */
  reachesCoordinator(node: number): boolean {
    const members = this.coordinatorPlaces;
    if (members.length === 0) return true;
    let reached = 0;
    for (const place of members) if (this.network.reachable(node, place) && (place >= this.alive.length || this.alive[place] === 1)) reached++;
    return reached * 2 > members.length;
  }

  note(atMs: number, node: string, event: string, detail: string, lsn?: number): void {
    const entry: TimelineEntry = { atMs: Math.round(atMs * 10) / 10, node, event, detail };
    if (lsn !== undefined) entry.lsn = lsn;
    this.timeline.push(entry);
  }

  phase(phase: string, startMs: number, endMs: number): void {
    this.phases.push({ phase, startMs: Math.round(startMs * 10) / 10, endMs: Math.round(endMs * 10) / 10 });
  }

  relative(atMs: number): string {
    const origin = this.firstFaultMs ?? 0;
    const delta = atMs - origin;
    return `${delta >= 0 ? "+" : "-"}${formatDuration(Math.abs(delta)) || "0"}`;
  }

  recordLag(atMs: number, node: string, lagBytes: number, lagMs: number): void {
    this.lag.push({ atMs, node, lagBytes, lagMs: Math.round(lagMs * 10) / 10 });
  }

  /** Invariant: a promoted replica holds every write it acknowledged as flushed (synchronous durability). */
  checkPromotion(node: number, oldEpoch: number, fork: number): void {
    const stream = (this.shape as unknown as { streamOf(r: number): { ackLsn: number[] } }).streamOf(node);
    if (stream.ackLsn[1] > fork) {
      this.violations.push(`durability: ${this.topology.nodes[node].name} acknowledged WAL up to ${stream.ackLsn[1]} as flushed but was promoted at ${fork} on timeline ${oldEpoch}`);
    }
  }

  /** Reconnection times after the last endpoint switch (for the reconnect phase). */
  reconnectTimes(): { switchMs: number; times: number[] } {
    return { switchMs: this.endpointSwitchMs, times: this.reconnectedAfterSwitch };
  }
}
