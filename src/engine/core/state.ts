// The core's state: the clock and event queue, the seeded randomness, the
// network, the clients and their connections, the write log and the
// measurements. The modules beside it hold the rules that change it.
import type { CrashCause } from "./events.js";
import type { LagBudget, ReadRouting, ResolvedFault, ResolvedScenario, ResolvedTopology, ResolvedWorkload } from "../../model/types.js";
import { EndpointModel } from "../endpoint.js";
import { ClassMetrics, ClientRecovery } from "../metrics.js";
import { Samples } from "../../base/stats.js";
import { Network } from "../network.js";
import { EventQueue } from "../queue.js";
import { LagSeries } from "../lag-series.js";
import type { CommitRegression, FailoverPhaseResult, TimelineEntry, TimelineFact, Violation } from "../result.js";
import { Rng } from "../../base/rng.js";
import { Epochs, PENDING, WriteLog } from "../write-log.js";
import { ReadCounter } from "../reads-over-time.js";
import { SettledWrites, type SettlingShape } from "../settle.js";

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
  /** A semi-synchronous commit's deadline for its acknowledgements: degrade to async if it still waits. */
  DEGRADE_CHECK: 23,
  /** A WAL receiver's periodic retry after a failed attempt (wal_retrieve_retry_interval). */
  REPLICA_RETRY: 24,
  /** A leader's WAL writer wakes (every wal_writer_delay) and flushes the asynchronous commits still waiting. */
  WAL_WRITER: 25,
  /** The service's new instance for a failed leader nobody could replace is up (Aurora). */
  REPLACE_INSTANCE: 26,
  /** A leader's WAL sender to a silent standby times out (wal_sender_timeout): PostgreSQL re-reads its synchronous standbys. */
  WAL_SENDER_TIMEOUT: 27,
  /** A client's unanswered connection request is sent again (TCP's SYN retransmission). */
  SYN_RETRANSMIT: 28,
  /** The proxy checks the nodes of its read pools (leader/follower reads from replicas through a proxy). */
  READ_POOL_CHECK: 29,
  /** Multi-leader: a client writing to another region's leader learns that its home leader is routed to again. */
  CLIENT_HOME: 30,
  /** A Raft member's own randomized election timer runs out (a: the member, b: the renewal it was drawn after): it campaigns. */
  CAMPAIGN: 31,
} as const;

/** The faults the core applies itself (the network, zones and regions, the archive, drills). */
type CoreFaultKind = "partition" | "heal" | "latency" | "lose" | "archive_fails" | "restore_drill";
/** The faults a shape handles: every other kind. */
export type ShapeFault = Exclude<ResolvedFault, { kind: CoreFaultKind }>;

export interface Shape {
  readonly leaderNode: number;
  start(): void;
  acceptsWrites(node: number): boolean;
  appendWrite(id: number, node: number, atMs: number): void;
  ackStillValid(id: number, atMs: number): boolean;
  /**
   * Replica reads (leader/follower): the node the read is sent to, or −1 for the leader. A node the proxy still
   * lists may have stopped answering (answersReads): the read then fails.
   */
  pickReplica?(client: number, routing: "session" | "any" | "max_lag", budget: LagBudget, atMs: number): number;
  answersReads?(node: number): boolean;
  /** Whether a write is visible on a node (for stale-read counting; shapes that serve their own reads omit it). */
  visible?(node: number, epoch: number, lsn: number, atMs: number): boolean;
  /**
   * A consensus group's linearizable read arriving on `node` at `arriveMs` (Raft's ReadIndex): how long `node`
   * holds it before answering, in ms — the leader's round of heartbeats to a majority, and on a follower that
   * forwards it the trip to the leader and the wait for its own replay (Infinity: it never catches up) — or NaN
   * when nobody can serve it (`node` neither leads the current term nor forwards, or the leader cannot reach a
   * majority). Left out, a leader serves its reads locally.
   */
  readonly leaderRead?: (node: number, now: number, arriveMs: number) => number;
  /**
   * Consensus: the leader a member that does not lead forwards a client's request to (−1: it does not forward).
   * Left out, a node that does not accept writes refuses them.
   */
  readonly forwardTo?: (node: number) => number;
  handle(kind: number, a: number, b: number, now: number): void;
  fault(f: ShapeFault, now: number): void;
  crashNode(n: number, now: number, why: CrashCause): void;
  healed(now: number): void;
  partitioned(now: number): void;
  /** Concurrent writes to one key that needed resolution (multi-leader and leaderless shapes). */
  readonly conflicts?: number;
  /** Multi-leader `app`: acknowledged writes kept as siblings for the application to merge (undefined: the policy keeps none). */
  readonly siblings?: number;
  /**
   * Multi-leader: the conflicts the run ended before resolving (writes still queued between leaders when it
   * ended), and the acknowledged writes their resolution would lose (`lww`) or keep as siblings (`app`), projected
   * as if the queued writes arrived. Not counted as lost: within the run nothing was overwritten.
   */
  pendingAtEnd?(): { queued: number; projectedLost: number } | null;
  /** Whether acknowledged write `id` is in the surviving history at the end of the run. */
  survived(id: number): boolean;
  /**
   * When acknowledged write `id`, which did not survive, was lost (a conflict resolved against it, the loss of
   * the node holding it). A shape without it has timelines: a timeline loses its tail at the failover that forks it.
   */
  lostAtMs?(id: number): number;
  /**
   * The highest LSN of timeline `epoch` on the history of every node that may still be followed, promoted or
   * rewound (−1: none): a decided write at or below it can no longer be lost or replayed, and its record may go.
   * A shape without it keeps every write.
   */
  settledLsn?(epoch: number, now: number): number;
  /** The highest LSN of timeline `epoch` that any node that may still matter holds (−1: none); a decided write above it is orphaned. */
  heldLsn?(epoch: number, now: number): number;
  /** Drops what the shape indexes of the writes at or below each timeline's settled LSN. */
  releaseSettled?(settled: readonly number[]): void;
  /** Write (`epoch`, `lsn`) leaves the log, held by no node that matters: the shape keeps its outcome (`status`) where it still counts it. */
  orphan?(epoch: number, lsn: number, status: number): void;
  /** Shapes without a single leader serve reads themselves (quorum reads); return whether it was handled. */
  read?(client: number, cls: number, key: number, now: number): boolean;
  /** Shapes without a single leader choose each client's coordinator themselves (−1: none reachable). */
  coordinatorFor?(client: number, now: number): number;
  /**
   * A client whose connection proved no good moves to another node at once, if the shape's clients hold
   * connections to every node (a leaderless cluster's drivers do); returns whether it moved.
   */
  moveClient?(client: number, now: number): boolean;
}

/** Upper bound on events in one run (TigerBeetle: put a limit on everything). */
export const MAX_EVENTS = 200_000_000;

/**
 * Upper bound on events at one simulated instant. A timer whose period is 0 reschedules itself at the same
 * time for ever: the clock never reaches the end of the run, the queue grows, and MAX_EVENTS would take minutes
 * and gigabytes to fire. The schema refuses such periods; this stops the engine at once if one slips through.
 * Far above the most that happen together in a real run (every client's session cut at once: LIMITS.clients).
 */
export const MAX_EVENTS_AT_ONE_INSTANT = 2_000_000;

/** One reconnect phase: the clients' returns after an endpoint switch, those not back when it closed, and their connection attempts. */
export interface ReconnectRound {
  switchMs: number;
  times: number[];
  waiting: number;
  attempts: number;
  timedOut: number;
}

export class CoreState {
  readonly topology: ResolvedTopology;
  readonly workload: ResolvedWorkload;
  readonly rng: Rng;
  /** The run's seed, for a subsystem that derives a stream of its own from it (drawing nothing from `rng`). */
  readonly seed: number;
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
  /** Requests a consensus follower passed on to the leader. */
  forwardedWrites = 0;
  forwardedReads = 0;
  events = 0;

  // Clients
  readonly clientPlace: Int16Array;
  /** The node each client is connected to (−1: none). */
  readonly conn: Int16Array;
  readonly reconnecting: Uint8Array;
  readonly attempt: Uint16Array;
  /** The node a pending connection is being made to (−1: none), when the attempt began, and its number (stale retransmissions are ignored). */
  readonly connectingTo: Int16Array;
  readonly connectStartMs: Float64Array;
  readonly connectSerial: Uint32Array;
  /** The node each client last gave up on (−1: none): a client that can choose its coordinator tries another first. */
  readonly shunned: Int16Array;
  readonly sessionLsn: Float64Array;
  readonly sessionEpoch: Int32Array;
  /** Per node: the next free slot for accepting a connection (accept_rate). */
  readonly nextAcceptMs: Float64Array;
  /** When each client's current connection was made (0: its first, at the start). */
  readonly connectedMs: Float64Array;

  // Measurements
  readonly classes: ClassMetrics[];
  /** Latency by the client's region (global users pay for where the leader is). */
  readonly regionNames: string[];
  readonly regionWrites: Samples[];
  readonly regionReads: Samples[];
  readonly recovery: ClientRecovery;
  /** Reads served, stale and failed per bucket of time, counted as they happen (src/engine/reads-over-time.ts). */
  readonly reads: ReadCounter | null;
  readonly timeline: TimelineEntry[] = [];
  readonly phases: FailoverPhaseResult[] = [];
  readonly lag = new LagSeries();
  readonly violations: Violation[] = [];
  /** Nodes whose zone or region was lost with no end: their disks are gone (a loss with `for` comes back with its data). */
  readonly lostForGood: Uint8Array;
  /** When each node lost for good was lost (NaN: never). */
  readonly lostAtMs: Float64Array;
  /** Timelines or commit positions that went backwards (a checker reads these). */
  readonly commitRegressions: CommitRegression[] = [];
  /** The coordinator's members, as places: a node needs to reach a majority of them. */
  readonly coordinatorPlaces: number[];
  /** Where each arbiter (a MongoDB member that votes and holds no data) stands: its zone's place. */
  readonly arbiterPlaces: number[];
  /** Latest acknowledged write per key (−1 none). */
  readonly lastAcked: Int32Array | Map<number, number>;
  /** That write's timeline and LSN (what a stale read is judged against; the write's own record may be gone). */
  readonly lastAckedEpoch: Int32Array | Map<number, number>;
  readonly lastAckedLsn: Float64Array | Map<number, number>;
  /** What settled writes leave behind: outages, writes over time, survivors, send times. */
  readonly settled: SettledWrites;
  /** Whether every write's record is kept to the end (the swarm's checkers read the whole history). */
  readonly keepHistory: boolean;
  /** After this time no fault can bring a dead node back (a recovery, a rebuild, the end of a crash or loss with `for`). */
  readonly reviveUntilMs: number;
  /**
   * Per node, the stretches during which it acknowledged writes (for split-brain time): from an acknowledgement to
   * the next, unless a write sent to it failed strictly between the two (then it acknowledged nothing in that gap).
   */
  readonly ackStretches: { fromMs: number; toMs: number }[][];
  /** Per node, when a write sent to it first failed after its last acknowledgement (NaN: none has). */
  readonly failedSinceAckMs: Float64Array;
  readonly classCumulative: Float64Array;
  /** Per class: where reads may go besides the leader (null: leader only), and the staleness budget. */
  readonly readRouting: ("session" | "any" | "max_lag" | null)[];
  /** Per class: its staleness budget (reads: { max_lag } or { max_staleness }; unbounded for the others). */
  readonly readMaxLag: LagBudget[];
  /** Each data class is its own table: a disjoint slice of the key space, sized by its share. */
  readonly keyStart: Float64Array;
  readonly keyCount: Float64Array;
  readonly writesPerSecond = new Uint32Array(16);
  readonly writeSecond = new Int32Array(16).fill(-1);
  /** When clients could last reach a leader anew (the endpoint switched, or the leader came back at the address it had): the reconnect phase counts from it. */
  endpointSwitchMs = NaN;
  reconnectedAfterSwitch: number[] = [];
  /** The reconnect phases a later switch closed (a second failover): each with its clients still not back then. */
  readonly closedReconnects: ReconnectRound[] = [];
  /**
   * Where the connection attempts and accept-queue timeouts of the reconnect phase under way start (the run's
   * counts then), and where the next one's will (NaN: no fault since the last switch). A phase counts its own:
   * from the run's start, or the first fault after the previous switch, to the first fault after its own.
   */
  roundStartAttempts = 0;
  roundStartRefused = 0;
  nextRoundAttempts = NaN;
  nextRoundRefused = NaN;
  pendingHead = 0;
  countedReconnect!: Uint8Array;
  readonly pending: number[] = [];
  /**
   * Bumped by every event that may change who acknowledges what: faults, and every event of the
   * replication shape (elections, reconnections, sync-set changes...). The requests and outcomes of
   * clients never bump it. A write's outcome scheduled at the current generation still holds.
   */
  generation = 0;

  constructor(scenario: ResolvedScenario, seed: number, options: { keepHistory?: boolean; series?: boolean } = {}) {
    this.seed = seed;
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
    this.lostAtMs = new Float64Array(this.topology.nodes.length).fill(NaN);
    // Only a shape with writable leaders has a split brain to time (leaderless and multi-leader shapes keep none).
    this.ackStretches = this.topology.replication.mode === "leaderless" || this.topology.replication.mode === "multi-leader" ? [] : this.topology.nodes.map(() => []);
    this.failedSinceAckMs = new Float64Array(this.topology.nodes.length).fill(NaN);
    const clients = this.workload.clients;
    this.clientPlace = new Int16Array(clients);
    for (let c = 0; c < clients; c++) this.clientPlace[c] = this.network.zonePlace(this.workload.zones[c % this.workload.zones.length]);
    this.conn = new Int16Array(clients).fill(leader);
    this.reconnecting = new Uint8Array(clients);
    this.countedReconnect = new Uint8Array(clients);
    this.attempt = new Uint16Array(clients);
    this.connectingTo = new Int16Array(clients).fill(-1);
    this.connectStartMs = new Float64Array(clients);
    this.connectSerial = new Uint32Array(clients);
    this.shunned = new Int16Array(clients).fill(-1);
    this.sessionLsn = new Float64Array(clients);
    this.sessionEpoch = new Int32Array(clients);
    this.nextAcceptMs = new Float64Array(this.topology.nodes.length);
    this.endpoint = new EndpointModel(this.topology.failover.endpoint, leader, clients, this.rng.fork());
    this.classes = this.topology.dataClasses.map(() => new ClassMetrics());
    this.regionNames = [...new Set(this.network.zones.map((z) => z.split("/")[0]))];
    this.regionWrites = this.regionNames.map(() => new Samples());
    this.regionReads = this.regionNames.map(() => new Samples());
    this.connectedMs = new Float64Array(clients);
    const clientZone = new Int32Array(clients);
    for (let c = 0; c < clients; c++) clientZone[c] = this.network.zoneIndex[this.clientPlace[c]];
    this.recovery = new ClientRecovery(clients, clientZone, this.topology.dataClasses.length, scenario.faults.map((f) => f.atMs));
    // The over-time series are for charts: a run that will not draw them (a trial past the first) does not count them.
    const series = options.series !== false;
    this.reads = series ? new ReadCounter(this.endMs, this.topology.dataClasses.length) : null;
    const dense = this.workload.keys <= 4_000_000;
    this.lastAcked = dense ? new Int32Array(this.workload.keys).fill(-1) : new Map();
    this.lastAckedEpoch = dense ? new Int32Array(this.workload.keys) : new Map();
    this.lastAckedLsn = dense ? new Float64Array(this.workload.keys) : new Map();
    this.keepHistory = options.keepHistory === true;
    this.reviveUntilMs = reviveUntilMs(scenario.faults);
    this.settled = new SettledWrites(this.endMs, this.topology.dataClasses.length, this.firstFaultMs, needsSendTimes(scenario.faults, this.topology), series, this.recovery);
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
    // A group whose nodes vote (a consensus group, a MongoDB replica set) is its own coordinator: its members are
    // its nodes (alive and reachable), not their zones.
    const coordinator = this.topology.derived.coordinator;
    // A replica set's arbiters vote from their zones, after the nodes.
    this.arbiterPlaces = this.topology.arbiters.map((a) => this.network.zonePlace(a.zone));
    this.coordinatorPlaces = coordinator.nodesVote ? [...this.topology.nodes.map((_, i) => i), ...this.arbiterPlaces] : coordinator.members.map((zone) => this.network.zonePlace(zone));
    // A replica that serves no reads (an RDS Multi-AZ standby) leaves every class reading from the leader.
    const replicasRead = this.topology.derived.system.replicasServeReads;
    this.readRouting = this.topology.dataClasses.map((c) => (c.reads.kind === "leader" || !replicasRead ? null : c.reads.kind));
    this.readMaxLag = this.topology.dataClasses.map((c) => lagBudgetOf(c.reads));
  }

  lastAckedWrite(key: number): number {
    return this.lastAcked instanceof Int32Array ? this.lastAcked[key] : (this.lastAcked.get(key) ?? -1);
  }

  /** The timeline of the latest acknowledged write of `key` (only when there is one). */
  lastAckedEpochOf(key: number): number {
    return this.lastAckedEpoch instanceof Int32Array ? this.lastAckedEpoch[key] : (this.lastAckedEpoch.get(key) ?? -1);
  }

  /** The LSN of the latest acknowledged write of `key` (only when there is one). */
  lastAckedLsnOf(key: number): number {
    return this.lastAckedLsn instanceof Float64Array ? this.lastAckedLsn[key] : (this.lastAckedLsn.get(key) ?? -1);
  }

  /** Write `id` is now the latest acknowledged write of `key`. */
  recordLastAcked(key: number, id: number, epoch: number, lsn: number): void {
    if (this.lastAcked instanceof Int32Array) {
      this.lastAcked[key] = id;
      (this.lastAckedEpoch as Int32Array)[key] = epoch;
      (this.lastAckedLsn as Float64Array)[key] = lsn;
    } else {
      this.lastAcked.set(key, id);
      (this.lastAckedEpoch as Map<number, number>).set(key, epoch);
      (this.lastAckedLsn as Map<number, number>).set(key, lsn);
    }
  }

  /**
   * Folds the oldest writes that are settled (decided, and on every history that may still matter) and lets
   * their slots go; the write log calls it when it fills and every few thousand writes.
   */
  settle(now: number): void {
    const shape = this.shape;
    if (shape.settledLsn === undefined) return;
    const log = this.log;
    log.head = this.settled.foldSettled(log, this.epochs.latest + 1, shape as SettlingShape, now);
    shape.releaseSettled?.(this.settled.settledLsn);
    // Settled writes are decided: the list of pending ones forgets them.
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead] < log.head) this.pendingHead++;
    this.compactPending();
  }

  private compactPending(): void {
    if (this.pendingHead > 4096 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** Writes per second sent over the last ten seconds (a ring of per-second counters). */
  recentWriteRate(now: number): number {
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let s = second - 10; s < second; s++) if (s >= 0 && this.writeSecond[s % 16] === s) total += this.writesPerSecond[s % 16];
    return total / 10;
  }

  /** Every undecided write on `node` fails: the node died before answering. */
  failPending(node: number, now: number): void {
    const log = this.log;
    this.forEachPending((id) => {
      const i = id & log.mask;
      if (log.node[i] === node) this.queue.push(Math.max(now, log.sendMs[i] + this.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++log.version[i]);
    });
  }

  forEachPending(visit: (id: number) => void): void {
    const log = this.log;
    // A write below the log's head is settled (its slot may hold a newer write): never pending.
    const pending = (id: number) => id >= log.head && log.status[id & log.mask] === PENDING;
    while (this.pendingHead < this.pending.length && !pending(this.pending[this.pendingHead])) this.pendingHead++;
    this.compactPending();
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const id = this.pending[i];
      if (pending(id)) visit(id);
    }
  }

  readonly faultState = new Map<number, number>();

  // Durability: what the backups need to know about the run.
  readonly archiveFailures: { startMs: number; endMs: number }[] = [];
  readonly drillTimes: number[] = [];
  /** When each fault was applied, in order: a failure being detected began at one of them. */
  readonly faultTimesMs: number[] = [];
  /** The regions and zones lost for good (a `lose` without `for`), with whatever was stored in them; `region` is the zone's name for a zone. */
  readonly lostRegions: { region: string; atMs: number; leaderRegionLost: boolean }[] = [];
  /**
   * The stretches during which every client's zone was lost (toMs Infinity: until the end): no application server
   * was left to send a request, so no request tells whether the service could take writes (measure judges them
   * from the cluster instead).
   */
  readonly unobserved: { fromMs: number; toMs: number }[] = [];

  /** Opens or closes an unobserved stretch after a zone was lost or came back. */
  noteObservers(now: number): void {
    let anyLive = false;
    for (let c = 0; c < this.clientPlace.length && !anyLive; c++) anyLive = !this.network.isLost(this.clientPlace[c]);
    const open = this.unobserved.at(-1);
    if (!anyLive && (open === undefined || open.toMs !== Infinity)) this.unobserved.push({ fromMs: now, toMs: Infinity });
    else if (anyLive && open !== undefined && open.toMs === Infinity) open.toMs = now;
  }
  readonly badWrites: { fault: ResolvedFault & { kind: "bad_write" }; atMs: number; blocked: boolean; replicatedInMs: number | null }[] = [];

  /**
   * A node reaches the coordinator when it reaches a majority of the coordinator's members in time: a member
   * behind an added delay whose round trip exceeds the failover manager's DCS timeout (Patroni's retry_timeout)
   * answers too late to count, as if cut off (the leader then cannot renew its key and demotes itself). A
   * shorter delay leaves the calls succeeding. A consensus group is its own coordinator: its messages carry the
   * delay themselves.
   */
  reachesCoordinator(node: number): boolean {
    return this.placeReachesCoordinator(node);
  }

  /** reachesCoordinator from any place: a node (its index) or a zone (an arbiter's). */
  placeReachesCoordinator(from: number): boolean {
    const node = from;
    const members = this.coordinatorPlaces;
    if (members.length === 0) return true;
    const network = this.network;
    const nodesVote = this.topology.derived.coordinator.nodesVote;
    let reached = 0;
    for (const place of members) {
      if (!network.reachable(node, place) || (place < this.alive.length && this.alive[place] !== 1)) continue;
      if (nodesVote || this.dcsRoundTripMs(node, place) <= this.dcsTimeoutMs) reached++;
    }
    return reached * 2 > members.length;
  }

  /** A DCS call's round trip from a node to a coordinator member: twice the link's median one way plus any added delay. */
  private dcsRoundTripMs(node: number, place: number): number {
    const added = this.network.addedBetween(node, place);
    return added === 0 ? 0 : 2 * (this.network.medianLatency(node, place) + added);
  }

  /** How long a DCS call may take before it fails: retry_timeout under a lease, else the whole detection ttl. */
  private get dcsTimeoutMs(): number {
    const detection = this.topology.failover.detection;
    return detection.kind === "lease" ? detection.retryTimeoutMs : this.topology.derived.detection.ttlMs;
  }

  note(atMs: number, node: string, fact: TimelineFact, lsn?: number): void {
    const entry: TimelineEntry = { ...fact, atMs: Math.round(atMs * 10) / 10, node };
    if (lsn !== undefined) entry.lsn = lsn;
    this.timeline.push(entry);
  }

  /** Takes back the last fact `event` of `node` noted at `atMs` (one that turned out to last no time at all). */
  unnote(atMs: number, node: string, event: string): void {
    const at = Math.round(atMs * 10) / 10;
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const e = this.timeline[i];
      if (e.atMs === at && e.node === node && e.event === event) {
        this.timeline.splice(i, 1);
        return;
      }
    }
  }

  /**
   * A failover phase, as far as the run saw it: one that would begin only after the run's end is left out, and
   * one still under way at the end stops there, marked `ongoing` (a paged operator who acts after the run
   * ended did not act within it).
   */
  phase(phase: string, startMs: number, endMs: number): void {
    if (startMs > this.endMs) return;
    const ongoing = endMs > this.endMs;
    const to = Math.round(Math.min(endMs, this.endMs) * 10) / 10;
    this.phases.push({ phase, startMs: Math.round(startMs * 10) / 10, endMs: to, ...(ongoing ? { ongoing: true } : {}) });
  }


  /** A lag sample of `node` (multi-leader: of its apply of `origin`'s stream). */
  recordLag(atMs: number, node: string, lagBytes: number, lagMs: number, origin?: string): void {
    this.lag.add(atMs, node, lagBytes, Math.round(lagMs * 10) / 10, origin);
  }

  /** Invariant: a promoted replica holds every write it acknowledged as flushed (synchronous durability). */
  checkPromotion(node: number, oldEpoch: number, fork: number): void {
    const stream = (this.shape as unknown as { streamOf(r: number): { ackLsn: ArrayLike<number> } }).streamOf(node);
    if (stream.ackLsn[1] > fork) {
      this.violations.push({ check: "durability", node: this.topology.nodes[node].name, flushedLsn: stream.ackLsn[1], forkLsn: fork, epoch: oldEpoch });
    }
  }

  /**
   * Reconnection times after each moment clients could reach a leader anew (for the reconnect phases), in time
   * order: those a later switch closed, then the one under way at the end.
   */
  reconnectTimes(): ReconnectRound[] {
    if (Number.isNaN(this.endpointSwitchMs)) return [...this.closedReconnects];
    return [...this.closedReconnects, this.currentReconnects(false)];
  }

  /**
   * The reconnect phase under way: the returns since the last switch, the clients not back yet, and the attempts
   * they took: to the end of the run, or when a switch closes it (`closing`), to the first fault after its own.
   */
  currentReconnects(closing: boolean): ReconnectRound {
    const attemptsEnd = closing && !Number.isNaN(this.nextRoundAttempts) ? this.nextRoundAttempts : this.connectAttempts;
    const refusedEnd = closing && !Number.isNaN(this.nextRoundRefused) ? this.nextRoundRefused : this.connectRefused;
    return {
      switchMs: this.endpointSwitchMs,
      times: this.reconnectedAfterSwitch,
      waiting: this.clientsNotBack(),
      attempts: attemptsEnd - this.roundStartAttempts,
      timedOut: refusedEnd - this.roundStartRefused,
    };
  }

  /** The clients still without a connection since the last switch (a DNS cache that outlives it), dead application servers aside. */
  clientsNotBack(): number {
    let waiting = 0;
    for (let c = 0; c < this.conn.length; c++) {
      if (this.countedReconnect[c] === 0 && (this.conn[c] < 0 || this.reconnecting[c] === 1) && !this.network.isLost(this.clientPlace[c])) waiting++;
    }
    return waiting;
  }
}

/**
 * Whether recovery planning will count writes in windows of time (a bad write, a restore drill, a lost region), or
 * place the writes a failover may lose against the WAL archive's segments (a leader-follower design that archives
 * its WAL, under any fault: which fault ends in a promotion only the run can tell).
 */
function needsSendTimes(faults: readonly ResolvedFault[], topology: ResolvedTopology): boolean {
  if (faults.some((f) => f.kind === "bad_write" || f.kind === "restore_drill" || (f.kind === "lose" && f.forMs === null))) return true;
  const archive = topology.backups?.walArchive.mode;
  return faults.length > 0 && topology.replication.mode === "leader-follower" && archive !== undefined && archive !== "none";
}

function reviveUntilMs(faults: readonly ResolvedFault[]): number {
  let until = -Infinity;
  for (const f of faults) {
    if (f.kind === "recover" || f.kind === "rebuild") until = Math.max(until, f.atMs);
    else if ((f.kind === "crash" || f.kind === "lose") && f.forMs !== null) until = Math.max(until, f.atMs + f.forMs);
  }
  return until;
}

/** A class's staleness budget: reads: { max_lag } in bytes, { max_staleness } in time (unbounded both ways for the other routings). */
export function lagBudgetOf(reads: ReadRouting): LagBudget {
  if (reads.kind !== "max_lag") return { bytes: Infinity, ms: Infinity };
  return "ms" in reads ? { bytes: Infinity, ms: reads.ms } : { bytes: reads.bytes, ms: Infinity };
}
