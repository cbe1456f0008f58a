// The leaderless (Dynamo-style) shape: any live node coordinates a request;
// it sends to all N replicas of the key and completes on the first W acks or R
// replies (the newest version wins). Strict quorum refuses requests when fewer
// than W (R) replicas are reachable; sloppy quorum sends reads and writes alike
// to the first N healthy nodes on the ring, a stand-in keeping a hint for the
// down replica it replaces, replayed, throttled, once that replica is seen back (under a strict
// quorum the coordinator keeps the hints for the replicas that are down, as
// Cassandra does). Versions are
// last-write-wins timestamps from the coordinator's clock (skew makes LWW drop
// newer writes silently) or vector clocks (concurrent writes become siblings).
// A coordinator short of a quorum times out until gossip has marked the missing
// replicas down, then answers UNAVAILABLE, and the client's driver retries once
// on the next host (gossip.ts); a client whose coordinator failed it moves to
// another node at once, as drivers holding a pool to every node do.
import type { ShapeFault } from "../core/state.js";
import { assertNever } from "../../base/assert.js";
import type { CrashCause } from "../core/events.js";
import type { ResolvedFault } from "../../model/types.js";
import { Core, EV, type Shape } from "../core.js";
import { fastSampler, type Sampler } from "../../base/distributions.js";
import { Ring } from "../ring.js";
import { PreferenceList } from "./targets.js";
import { grown } from "../../base/typed.js";
import { VersionStore } from "../version-store.js";
import { ACKED, PENDING } from "../write-log.js";
import { HintedHandoff } from "./hints.js";
import { KeyOutageTracker } from "./key-outages.js";
import { GOSSIP, GossipView } from "./gossip.js";

/** From a node's restart until the clients' drivers hear it is up and open their pools to it again (about a second). */
const DRIVER_SEES_UP_MS = 1000;

export class Leaderless implements Shape {
  readonly leaderNode = -1;
  private readonly n: number;
  /** Where a request for a key goes: its natural replicas, or stand-ins for those that are down. */
  private readonly preference: PreferenceList;
  private readonly store: VersionStore;
  private readonly fsync: Sampler;
  private readonly sloppy: boolean;
  private readonly lww: boolean;
  private readonly readRepair: boolean;
  /** Dynamo/Riak: a read waits for every reply after answering and repairs each stale one (Cassandra: only the R that decided). */
  private readonly repairsLateReplies: boolean;
  private readonly skewMs: Float64Array;
  private readonly classR: Int16Array;
  private readonly classW: Int16Array;
  /** Per write: its LWW timestamp (coordinator clock), whether LWW dropped it, and when it first did (on the first node). */
  private ts = new Float64Array(1024);
  private dropped = new Uint8Array(1024);
  private droppedAtMs = new Float64Array(1024);
  /** Per write: RETRIED once the client retried it on another host after an UNAVAILABLE, REFUSED once it failed for want of a quorum. */
  private refusal = new Uint8Array(1024);
  /**
   * Per write, FOLLOWS slots: the versions of its key on the nodes its coordinator could reach when it was sent
   * (the newest distinct ones; −1: none), the versions it follows; each followed others in turn. A write knows of
   * the versions it follows and of what they knew, and of no other: one sent after an earlier write was
   * acknowledged, but with no node holding that write (or a version that knew of it) within reach (the other side
   * of a partition), never saw it. The two are concurrent, as two leaders' writes across a partition are,
   * however far apart in time.
   */
  private follows = new Int32Array(1024 * FOLLOWS).fill(-1);
  /**
   * Per write: replaced by a write that knew of it (an ordinary overwrite), and the first such write (−1: none).
   * Not lost by that: it lives on in its successor's history, and is lost with it if that line is dropped.
   */
  private superseded = new Uint8Array(1024);
  private supersededBy = new Int32Array(1024).fill(-1);
  /** Measured once the run is over (see keptVersions): per write, whether it is in the history of a version that survives. */
  private kept: Uint8Array | null = null;
  private readonly followStack: number[] = [];
  /** Which peers each coordinator has marked down (gossip), and how it answers when a quorum is out of reach. */
  private readonly gossip: GossipView;
  /** Per node: how many times it has come back (a drivers' notice of an earlier return is stale). */
  private readonly returns: Int32Array;
  /** Pending writes' per-target ack times (so a crash can take an ack back). */
  private readonly pendingAcks = new Map<number, { targets: Int16Array; acks: Float64Array; need: number; commitMs: number }>();
  /**
   * Per node, the versions sent to it that may not have landed yet, as (key, landing time) pairs:
   * writes, hint replays and read repairs alike. A crash takes back those still on the way, whether
   * or not their write was already acknowledged by faster replicas. Pruned every second.
   */
  private readonly landing: number[][];
  /**
   * Per coordinator, the copies of its writes still on the wire, as (target, owner or −1, key, id, arrival)
   * tuples: a coordinator that crashes takes them with it (a host failure loses the messages it sent that have
   * not arrived), so a write only it had acknowledged (W = 1) is lost with it. Pruned every second.
   */
  private readonly sent: number[][];
  /** Hints kept by stand-ins for down replicas, and their replay. */
  readonly handoff: HintedHandoff;
  /** Which key ranges too few nodes can be reached for, over the run (a partial outage's extent and length). */
  readonly keyOutages: KeyOutageTracker;
  /** A read's targets and the owners its stand-ins hold hints for. */
  private readonly readTargets: Int16Array;
  private readonly readOwners: Int16Array;
  /** Last write sent per key (for conflict detection), −1 none. */
  private readonly lastSent: Map<number, number> | Int32Array;
  /** Per key: the latest time an acknowledged write of it was sent (−Infinity: none), what a read is judged against. */
  private readonly ackedSentMs: Map<number, number> | Float64Array;
  conflicts = 0;
  /** Requests that failed because their coordinators (the first and, on UNAVAILABLE, the retry's) reached fewer than W (R) nodes for the key. */
  writesRefused = 0;
  readsRefused = 0;
  /** Whether the first write short of a quorum was noted since the last return or heal, answered by a timeout [0] and by UNAVAILABLE [1]. */
  private readonly unavailableNoted = [false, false];
  /** Whether the first write LWW dropped for a concurrent write [0], and for an earlier one with a clock ahead [1], was noted. */
  private readonly dropNoted = [false, false];

  constructor(private readonly core: Core) {
    const replication = core.topology.replication;
    if (replication.mode !== "leaderless") throw new Error("assertion: leaderless shape on another mode");
    const nodes = core.topology.nodes;
    this.n = replication.n;
    const ring = new Ring(
      nodes.map((x) => x.name),
      replication.vnodes,
      this.n,
      core.workload.keys,
      replication.placement === "rack-aware" ? rackIndices(nodes.map((x) => x.zone)) : null,
    );
    this.preference = new PreferenceList(core, ring, this.n, replication.sloppyQuorum);
    this.store = new VersionStore(nodes.length, core.workload.keys);
    this.fsync = fastSampler(core.topology.fsync);
    this.sloppy = replication.sloppyQuorum;
    this.lww = replication.conflict === "lww";
    this.readRepair = replication.readRepair;
    this.repairsLateReplies = replication.readRepair && replication.readRepairScope === "all-replies";
    this.handoff = new HintedHandoff(
      core,
      replication.hintWindowMs,
      (at, a, b) => core.queue.push(at, EV.HA_TICK, a, b),
      (owner, key, id, at, now) => this.apply(owner, key, id, at, now),
      (a, b) => this.newer(a, b),
      replication.readRepair,
    );
    this.skewMs = new Float64Array(nodes.map((x) => replication.clockSkewMs[x.name] ?? 0));
    this.classR = new Int16Array(core.topology.dataClasses.map((c) => c.r ?? replication.r));
    this.classW = new Int16Array(core.topology.dataClasses.map((c) => c.w ?? replication.w));
    this.keyOutages = new KeyOutageTracker(core, ring, this.n, this.sloppy, this.classW, this.classR);
    this.gossip = new GossipView(core);
    this.returns = new Int32Array(nodes.length);
    this.landing = nodes.map(() => []);
    this.sent = nodes.map(() => []);
    this.readTargets = new Int16Array(this.n);
    this.readOwners = new Int16Array(this.n);
    this.lastSent = core.workload.keys <= 4_000_000 ? new Int32Array(core.workload.keys).fill(-1) : new Map();
    this.ackedSentMs = core.workload.keys <= 4_000_000 ? new Float64Array(core.workload.keys).fill(-Infinity) : new Map();
  }

  start(): void {
    const core = this.core;
    // Clients start on a coordinator near them.
    for (let c = 0; c < core.conn.length; c++) core.conn[c] = this.coordinatorFor(c, 0);
    core.queue.push(1000, EV.HA_TICK, 0);
  }

  acceptsWrites(node: number): boolean {
    return node >= 0 && this.core.alive[node] === 1;
  }

  /** The nearest live node the client can reach, at random among equals; not the one it last gave up on, if it can help it. */
  coordinatorFor(client: number, now: number): number {
    void now;
    const other = this.nearest(client, this.core.shunned[client]);
    return other >= 0 ? other : this.nearest(client, -1);
  }

  /** The nearest live node the client can reach other than `skip`, at random among equals (−1: none). */
  private nearest(client: number, skip: number): number {
    const core = this.core;
    const place = core.clientPlace[client];
    const nodes = core.topology.nodes.length;
    let best = 3;
    let count = 0;
    let chosen = -1;
    for (let x = 0; x < nodes; x++) {
      if (x === skip || core.alive[x] !== 1 || !core.network.reachable(place, x)) continue;
      const d = core.network.distance[place * nodes + x];
      if (d > best) continue;
      if (d < best) {
        best = d;
        count = 0;
      }
      if (core.rng.int(++count) === 0) chosen = x;
    }
    return chosen;
  }

  appendWrite(id: number, coordinator: number, atMs: number): void {
    const core = this.core;
    const log = core.log;
    this.ensure(id);
    const key = log.key[id];
    const cls = log.cls[id];
    const w = this.classW[cls];
    log.node[id] = coordinator;
    log.epoch[id] = 0;
    log.lsn[id] = id;
    log.appendMs[id] = atMs;
    this.ts[id] = atMs + this.skewMs[coordinator];
    this.noteFollowed(id, coordinator, key, atMs);
    const targets = new Int16Array(this.n);
    const owners = new Int16Array(this.n);
    const count = this.preference.targets(coordinator, key, targets, owners);
    if (count < w) {
      this.refuseWrite(id, coordinator, atMs, w, count);
      return;
    }
    // Only a write sent to its replicas can conflict: one refused for want of W reachable replicas was stored
    // nowhere, so it neither conflicts itself nor stands as the key's last write for the next one to conflict with.
    this.noteConcurrency(key, id);
    const acks = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const node = targets[i];
      const arrive = atMs + this.hop(coordinator, node);
      const applied = arrive + this.fsync.sample(core.rng);
      acks[i] = applied + this.hop(node, coordinator);
      this.apply(node, key, id, applied, atMs);
      if (owners[i] >= 0) this.handoff.store(node, owners[i], key, id, applied, atMs);
      if (node !== coordinator) this.sent[coordinator].push(node, owners[i], key, id, arrive);
    }
    // A natural replica down with no stand-in for it (every one, under a strict quorum): the coordinator keeps the
    // hint itself, as Cassandra's does whatever the consistency level. It counts towards no quorum.
    const uncovered = this.preference.uncovered;
    for (let i = 0; i < uncovered; i++) this.handoff.store(coordinator, this.preference.uncoveredOwners[i], key, id, atMs, atMs, false);
    this.pendingAcks.set(id, { targets: targets.slice(0, count), acks, need: w, commitMs: NaN });
    this.schedule(id);
  }

  /**
   * One leg between the coordinator and a replica: a network trip, or nothing when the coordinator is the replica
   * (Cassandra and Dynamo write and read the coordinator's own copy in process, with no round trip to itself).
   */
  private hop(from: number, to: number): number {
    return from === to ? 0 : this.core.network.latency(from, to);
  }

  /** Notes the first write short of a quorum answered each way (a timeout, UNAVAILABLE) since the last return or heal. */
  private noteUnavailable(coordinator: number, atMs: number, w: number, reachable: number, answer: "timeout" | "unavailable"): void {
    const kind = answer === "timeout" ? 0 : 1;
    if (this.unavailableNoted[kind]) return;
    this.unavailableNoted[kind] = true;
    this.core.note(atMs, this.core.topology.nodes[coordinator].name, { event: "quorum-unavailable", w, reachable, n: this.n, sloppy: this.sloppy, answer });
  }

  /**
   * A write whose coordinator reaches fewer than W replicas. Until it has marked them down it waits for its
   * request timeout and the client gets a timeout (and moves to another coordinator); once it knows, it
   * answers UNAVAILABLE and the client's driver retries once on the next host of its plan (the DataStax
   * drivers' default retry policy), which it keeps for its later requests.
   */
  private refuseWrite(id: number, coordinator: number, atMs: number, w: number, reachable: number): void {
    const core = this.core;
    const log = core.log;
    const client = log.client[id];
    const place = core.clientPlace[client];
    const deadline = log.sendMs[id] + core.workload.timeoutMs;
    const answered = this.gossip.answerMs(coordinator, place, atMs, GOSSIP.writeRequestTimeoutMs);
    if (!this.gossip.knowsDown(coordinator, atMs) || answered >= deadline) {
      this.noteUnavailable(coordinator, atMs, w, reachable, "timeout");
      this.writeRefused(id, Math.min(answered, deadline), EV.WRITE_TIMEOUT);
      return;
    }
    this.noteUnavailable(coordinator, atMs, w, reachable, "unavailable");
    const next = this.refusal[id] === RETRIED ? -1 : this.retryHost(client, coordinator, answered);
    if (next < 0) {
      this.writeRefused(id, answered, EV.WRITE_ERROR);
      return;
    }
    this.refusal[id] = RETRIED;
    core.queue.push(answered + core.network.latency(place, next), EV.WRITE_ARRIVE, id, next);
  }

  /** Write `id` fails for want of a quorum, its client told at `at`; it was stored nowhere, so it conflicts with no later write. */
  private writeRefused(id: number, at: number, kind: number): void {
    this.writesRefused++;
    this.refusal[id] = REFUSED;
    this.core.queue.push(at, kind, id, ++this.core.log.version[id]);
  }

  /**
   * The next host a client's driver tries after `refused` answered UNAVAILABLE at `atMs` (−1: none). It has a
   * connection to every node already; the next host is its coordinator from now on.
   */
  private retryHost(client: number, refused: number, atMs: number): number {
    const next = this.nearest(client, refused);
    if (next < 0) return -1;
    const core = this.core;
    core.shunned[client] = refused;
    core.conn[client] = next;
    core.connectedMs[client] = atMs;
    return next;
  }

  /**
   * The clients' drivers learn that node n is up again (the server's status event on their control connection)
   * and send to it again where their load-balancing policy prefers it: a client for which it is nearer than its
   * present coordinator, or as near and the one it left when n failed. Without this a client never went back,
   * so nothing read from a replica just back before its hints were replayed.
   */
  private driversSeeUp(n: number, since: number, now: number): void {
    const core = this.core;
    // Down again since (and perhaps back once more: that return's own notice comes later).
    if (since !== this.returns[n] || core.alive[n] !== 1 || now > core.endMs) return;
    const nodes = core.topology.nodes.length;
    for (let c = 0; c < core.conn.length; c++) {
      const place = core.clientPlace[c];
      const current = core.conn[c];
      if (current < 0 || current === n || core.network.isLost(place) || !core.network.reachable(place, n)) continue;
      const back = core.network.distance[place * nodes + n];
      const here = core.network.distance[place * nodes + current];
      if (back < here || (back === here && core.shunned[c] === n)) {
        core.conn[c] = n;
        core.shunned[c] = -1;
        core.connectedMs[c] = now;
      }
    }
  }

  /** A request on the client's coordinator timed out: its driver, with a pool to every node, moves to the next host at once. */
  moveClient(client: number, now: number): boolean {
    return this.retryHost(client, this.core.conn[client], now) >= 0;
  }

  private schedule(id: number): void {
    const core = this.core;
    const log = core.log;
    const record = this.pendingAcks.get(id);
    if (!record) return;
    const commit = kth(record.acks, record.need);
    // The W-th ack did not move (a crash took back a later one): the outcome already queued stands.
    if (commit === record.commitMs) return;
    record.commitMs = commit;
    const deadline = log.sendMs[id] + core.workload.timeoutMs;
    const version = ++log.version[id];
    if (Number.isFinite(commit)) {
      const at = commit + core.network.latency(log.node[id], core.clientPlace[log.client[id]]);
      if (at <= deadline) {
        core.queue.push(at, EV.WRITE_ACK, id, version);
        return;
      }
    }
    core.queue.push(deadline, EV.WRITE_TIMEOUT, id, version);
  }

  ackStillValid(id: number, atMs: number): boolean {
    void atMs;
    const ok = this.core.alive[this.core.log.node[id]] === 1;
    this.pendingAcks.delete(id);
    if (ok) this.noteAcked(id);
    return ok;
  }

  /** Write `id` is acknowledged now: a read sent from now on must return it or a write not older in real time. */
  private noteAcked(id: number): void {
    const log = this.core.log;
    const key = log.key[id];
    const sent = Math.max(log.sendMs[id], this.ackedSentOf(key));
    if (this.ackedSentMs instanceof Float64Array) this.ackedSentMs[key] = sent;
    else this.ackedSentMs.set(key, sent);
  }

  private ackedSentOf(key: number): number {
    return this.ackedSentMs instanceof Float64Array ? this.ackedSentMs[key] : (this.ackedSentMs.get(key) ?? -Infinity);
  }

  /**
   * Whether a read of `key` sent now that returns version `v` (−1: none) is stale: it misses a write acknowledged
   * before it was sent, that is, it returns nothing, or a write acknowledged before that write was sent (older in
   * real time). A concurrent or unacknowledged write is not older. Real time decides, not timestamps: with a clock
   * running ahead, LWW returns an older write over a newer acknowledged one, which a client sees as stale.
   */
  private staleRead(key: number, v: number): boolean {
    const sent = this.ackedSentOf(key);
    if (sent === -Infinity) return false;
    if (v < 0) return true;
    const log = this.core.log;
    return log.status[v] === ACKED && log.doneMs[v] < sent;
  }

  /**
   * Stores a version on a node, landing at `at`, if it is newer (the older of the two may be dropped: see
   * overwritten). `now` is the present (a crash before `at` takes it back).
   */
  private apply(node: number, key: number, id: number, at: number, now: number): void {
    const current = this.store.latest(node, key);
    if (current >= 0 && !this.newer(id, current)) {
      // The same version again (a read repair or hint replay) may land sooner than the copy on its way.
      if (current !== id) this.overwritten(id, current, at);
      // A newer version still on its way does not erase this one before it lands: the node holds this one meanwhile.
      if (this.store.get(node, key, at) !== current) {
        this.store.setOlder(node, key, id, at, now, (a, b) => this.newer(a, b));
        if (at > now) this.landing[node].push(key, at);
      }
      return;
    }
    if (current >= 0) this.overwritten(current, id, at);
    this.store.set(node, key, id, at, now);
    if (at > now) this.landing[node].push(key, at);
  }

  /**
   * Write `loser` lost to `winner` by timestamp. Under LWW it is silently dropped unless the winner knew of it (was
   * built on a version that held it: an ordinary overwrite, whether or not the loser's own client had heard its
   * W-th ack by then, so W does not change what is lost). A concurrent winner never saw it,
   * and an earlier one with a clock running ahead erases a write made after it: either way, if the loser was
   * acknowledged, it is lost, at `at` (when the second of the two lands) unless a node dropped it earlier. Both
   * are known when they meet: the winner has been sent by now.
   */
  private overwritten(loser: number, winner: number, at: number): void {
    if (!this.lww || this.superseded[loser]) return;
    // Replaced by a write that knew of it: what the user asked for, and final (a later winner that did not know of
    // it finds it replaced already, not lost).
    const status = this.core.log.status[loser];
    if ((status === ACKED || status === PENDING) && this.saw(winner, loser, false)) {
      this.superseded[loser] = 1;
      this.supersededBy[loser] = winner;
      return;
    }
    this.droppedAtMs[loser] = this.dropped[loser] ? Math.min(this.droppedAtMs[loser], at) : at;
    this.dropped[loser] = 1;
    this.noteDrop(loser, winner, at);
  }

  /**
   * Whether write `later` was sent knowing of write `earlier` (of the same key): a node `later`'s coordinator could
   * hear from held it or a version built on it, acknowledged yet or not (or `earlier` had failed before `later` was
   * sent: nothing to conflict with). Otherwise they are concurrent.
   * `throughErasure`: an older version that beat `earlier` by timestamp counts as knowing of it (`earlier` is erased
   * wherever that version goes, so `later`, built on it, is no new conflict with it). Only for counting conflicts: it
   * does not put `earlier` in `later`'s history, so `later` overwriting it still loses it.
   */
  private saw(later: number, earlier: number, throughErasure: boolean): boolean {
    const log = this.core.log;
    const status = log.status[earlier];
    // One that had failed by then left nothing to build on: no conflict. One still waiting for its W-th ack may be
    // known all the same: the coordinator sent it to every replica at once, and whoever reads one that holds it
    // builds on it; its own client's acknowledgement tells the later writer nothing.
    if (status !== ACKED && status !== PENDING && log.doneMs[earlier] <= log.sendMs[later]) return true;
    // Back through the versions each one followed, to `earlier` (seen); versions older than it lead nowhere. A search
    // that runs long is taken as seen (the rule before partitions counted: acknowledged before it was sent).
    const stack = this.followStack;
    stack.length = 0;
    stack.push(later);
    for (let steps = 0; stack.length > 0; steps++) {
      if (steps >= MAX_FOLLOW_STEPS) return true;
      const w = stack.pop()!;
      for (let k = 0; k < FOLLOWS; k++) {
        const v = this.follows[w * FOLLOWS + k];
        // `earlier` itself; or, counting conflicts, an older version that beat it by timestamp (a clock ahead erases it
        // on arrival): `later` was made knowing the state `earlier` left, and does not conflict with it anew.
        if (v === earlier || (throughErasure && v >= 0 && v < earlier && this.lww && this.newer(v, earlier))) return true;
        if (v > earlier) stack.push(v);
      }
    }
    return false;
  }

  /**
   * Records the versions of `key` write `id` follows: the newest distinct ones its coordinator can know of at `now`
   * (its own copy, and what reachable live nodes held as long ago as news from them takes to arrive: a version that
   * landed on a node 40 ms away 10 ms ago cannot have been read by the client that made this write).
   */
  private noteFollowed(id: number, coordinator: number, key: number, now: number): void {
    const core = this.core;
    const base = id * FOLLOWS;
    for (let k = 0; k < FOLLOWS; k++) this.follows[base + k] = -1;
    if (this.lww) {
      // Under LWW a read that reaches two versions returns the one with the later timestamp only, and the nodes
      // converge on it: that is the version a write made now builds on (as a multi-leader write builds on the
      // latest-timestamped version its leader holds). One a node not yet reached by the winner still holds was
      // never seen by anyone who also saw the winner.
      let best = -1;
      for (let x = 0; x < this.store.nodeCount; x++) {
        if (core.alive[x] !== 1 || (x !== coordinator && !core.network.reachable(coordinator, x))) continue;
        const v = this.store.get(x, key, this.heardOfAt(x, coordinator, now));
        if (v >= 0 && (best < 0 || this.newer(v, best))) best = v;
      }
      this.follows[base] = best;
      return;
    }
    for (let x = 0; x < this.store.nodeCount; x++) {
      if (core.alive[x] !== 1 || (x !== coordinator && !core.network.reachable(coordinator, x))) continue;
      let v = this.store.get(x, key, this.heardOfAt(x, coordinator, now));
      // Kept in descending order, distinct: the newest FOLLOWS of them.
      for (let k = 0; k < FOLLOWS && v >= 0; k++) {
        const here = this.follows[base + k];
        if (here === v) break;
        if (v > here) {
          this.follows[base + k] = v;
          v = here;
        }
      }
    }
  }

  /**
   * The latest moment of node x's state that the coordinator can know of at `now`: x's own, now; another's, as long
   * ago as the fastest message from it takes (its state is read as of then; see VersionStore.get).
   */
  private heardOfAt(x: number, coordinator: number, now: number): number {
    return x === coordinator ? now : now - this.core.network.minLatency(x, coordinator);
  }

  /** Notes the first drop of each kind: concurrent writes, or a write made before the loser on a clock ahead. */
  private noteDrop(loser: number, winner: number, at: number): void {
    const log = this.core.log;
    const concurrent = !(log.status[winner] === ACKED && log.doneMs[winner] < log.sendMs[loser]);
    const kind = concurrent ? 0 : 1;
    if (this.dropNoted[kind]) return;
    this.dropNoted[kind] = true;
    const aheadMs = this.skewMs[log.node[winner]] - this.skewMs[log.node[loser]];
    this.core.note(at, this.core.topology.nodes[log.node[winner]].name, { event: "lww-dropped", concurrent, aheadMs });
  }

  /** Whether version a supersedes b: by timestamp under LWW, by real order under vector clocks (siblings are kept, never lost). */
  private newer(a: number, b: number): boolean {
    if (this.lww) return this.ts[a] > this.ts[b] || (this.ts[a] === this.ts[b] && a > b);
    return a > b;
  }

  private noteConcurrency(key: number, id: number): void {
    const last = this.lastSent instanceof Int32Array ? this.lastSent[key] : (this.lastSent.get(key) ?? -1);
    if (last === id) return; // the same write, retried on another coordinator
    if (last >= 0 && !this.saw(id, last, true)) this.conflicts++;
    if (this.lastSent instanceof Int32Array) this.lastSent[key] = id;
    else this.lastSent.set(key, id);
  }

  // Reads.
  read(client: number, cls: number, key: number, now: number): boolean {
    const core = this.core;
    const coordinator = core.conn[client];
    const place = core.clientPlace[client];
    if (coordinator < 0 || core.alive[coordinator] !== 1 || !core.network.reachable(place, coordinator)) return false;
    const arrive = now + core.network.latency(place, coordinator);
    if (!this.readVia(coordinator, client, cls, key, now, arrive)) this.refuseRead(coordinator, client, cls, key, now, arrive);
    return true;
  }

  /** A read whose coordinator reaches fewer than R replicas: as for writes, a timeout moves the client on, UNAVAILABLE is retried once. */
  private refuseRead(coordinator: number, client: number, cls: number, key: number, now: number, arrive: number): void {
    const core = this.core;
    const place = core.clientPlace[client];
    const deadline = now + core.workload.timeoutMs;
    const answered = this.gossip.answerMs(coordinator, place, arrive, GOSSIP.readRequestTimeoutMs);
    if (!this.gossip.knowsDown(coordinator, arrive) || answered >= deadline) {
      this.readsRefused++;
      const at = Math.min(answered, deadline);
      core.readOutcome(cls, client, now, at, false);
      core.queue.push(at, EV.READ_FAIL, client, core.connectedMs[client]);
      return;
    }
    const next = this.retryHost(client, coordinator, answered);
    const retryArrive = next >= 0 ? answered + core.network.latency(place, next) : NaN;
    if (next >= 0 && this.readVia(next, client, cls, key, now, retryArrive)) return;
    this.readsRefused++;
    const failedAt = next >= 0 ? this.gossip.answerMs(next, place, retryArrive, GOSSIP.readRequestTimeoutMs) : answered;
    core.readOutcome(cls, client, now, Math.min(failedAt, deadline), false);
  }

  /**
   * A read sent at `now` and arriving at `coordinator` at `arrive`: served if the coordinator reaches R
   * replicas for the key (returns false, having done nothing, if not).
   */
  private readVia(coordinator: number, client: number, cls: number, key: number, now: number, arrive: number): boolean {
    const core = this.core;
    const place = core.clientPlace[client];
    const r = this.classR[cls];
    const targets = this.readTargets;
    const count = this.preference.targets(coordinator, key, targets, this.readOwners);
    if (count < r) return false;
    // The R earliest replies decide; the newest version among them is returned.
    const replyAt = new Float64Array(count);
    const version = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const node = targets[i];
      const at = arrive + this.hop(coordinator, node);
      version[i] = this.store.get(node, key, at);
      replyAt[i] = at + this.hop(node, coordinator);
    }
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => replyAt[a] - replyAt[b]);
    let newest = -1;
    for (let j = 0; j < r; j++) {
      const v = version[order[j]];
      if (v >= 0 && (newest < 0 || this.newer(v, newest))) newest = v;
    }
    const decided = replyAt[order[r - 1]];
    const done = decided + core.network.latency(coordinator, place);
    if (this.staleRead(key, newest)) core.classes[cls].staleReads++;
    if (this.readRepair && newest >= 0) {
      for (let j = 0; j < r; j++) {
        const i = order[j];
        // The coordinator's own copy is repaired in process as soon as it has decided; another's by the time the client has its answer.
        if (version[i] !== newest) this.apply(targets[i], key, newest, targets[i] === coordinator ? decided : done, now);
      }
    }
    // Even when the replies that decided held nothing (a replica that missed the key's first write), a late reply may.
    if (this.repairsLateReplies && count > r) this.repairLateReplies(coordinator, key, targets, r, count, order, version, replyAt[order[count - 1]], newest, now);
    core.readOutcome(cls, client, now, done, true);
    return true;
  }

  /**
   * Dynamo/Riak read repair: the coordinator, having answered with the first R replies, waits for the others and, once
   * every reply is in (at `lastReply`), writes the newest version any replica returned to each replica that returned
   * an older one (the first R too, if a late reply was newer than what they were given).
   */
  private repairLateReplies(coordinator: number, key: number, targets: Int16Array, r: number, count: number, order: number[], version: Int32Array, lastReply: number, answered: number, now: number): void {
    let newest = answered;
    for (let j = r; j < count; j++) {
      const v = version[order[j]];
      if (v >= 0 && (newest < 0 || this.newer(v, newest))) newest = v;
    }
    // The replies that decided the read were repaired to the answer already; they need more only if a late reply was newer.
    for (let j = newest === answered ? r : 0; j < count; j++) {
      const i = order[j];
      if (version[i] === newest) continue;
      const node = targets[i];
      this.apply(node, key, newest, node === coordinator ? lastReply : lastReply + this.hop(coordinator, node), now);
    }
  }

  // Events and faults.
  /** The once-a-second tick (a = 0), or a hinted-handoff event (its trigger or a dispatch task's next send). */
  handle(kind: number, a: number, b: number, now: number): void {
    if (kind === EV.ENDPOINT) return this.driversSeeUp(a, b, now);
    if (kind !== EV.HA_TICK) return;
    if (a !== 0) return this.handoff.handle(a, b, now);
    this.pruneLanding(now);
    const core = this.core;
    if (now > core.endMs) return;
    if (now + 1000 <= core.endMs) core.queue.push(now + 1000, EV.HA_TICK, 0);
    else this.handoff.finish(now);
  }

  fault(f: ShapeFault, now: number): void {
    const core = this.core;
    const index = (name: string) => core.topology.nodes.findIndex((x) => x.name === name);
    switch (f.kind) {
      case "crash":
        return this.crashNode(f.nodeIndex, now, { kind: "host-failed" });
      case "recover": {
        const n = f.nodeIndex ?? index(f.node);
        if (core.alive[n] === 1 || core.network.isLost(n)) return;
        core.alive[n] = 1;
        this.unavailableNoted.fill(false);
        this.gossip.refresh(now);
        this.keyOutages.update(now);
        const { waiting, notKept } = this.handoff.back(n, now);
        core.note(now, f.node, { event: "recover", as: "leaderless", hintsHeld: waiting, hintsNotKept: notKept });
        core.queue.push(now + DRIVER_SEES_UP_MS, EV.ENDPOINT, n, ++this.returns[n]);
        return;
      }
      case "stall":
      case "slow":
      case "promote_fails":
      case "rebuild":
      case "bad_write":
        core.note(now, "cluster", { event: "not-applicable", faultKind: f.kind, mode: "leaderless" });
        return;
      default:
        return assertNever(f, "fault kind");
    }
  }

  crashNode(n: number, now: number, why: CrashCause): void {
    const core = this.core;
    if (core.alive[n] !== 1) return;
    core.alive[n] = 0;
    this.gossip.refresh(now);
    core.note(now, core.topology.nodes[n].name, { event: "crash", cause: why });
    // A lost zone's nodes go down before the network marks the zone lost: its clients are gone already.
    this.keyOutages.update(now, why.kind === "lost-with" ? why.target : null);
    this.handoff.down(n, now);
    // The copies it sent that are still on the wire never arrive: the nodes they were for never hold them.
    const sent = this.sent[n];
    for (let i = 0; i < sent.length; i += 5) {
      if (sent[i + 4] <= now) continue;
      this.store.revertUnlandedVersion(sent[i], sent[i + 2], sent[i + 3], now);
      if (sent[i + 1] >= 0) this.handoff.dropSent(sent[i], sent[i + 1], sent[i + 3], now);
    }
    sent.length = 0;
    // Versions on their way to it never land, acknowledged or not; acks it has not sent never arrive.
    const landing = this.landing[n];
    for (let i = 0; i < landing.length; i += 2) if (landing[i + 1] > now) this.store.revertUnlanded(n, landing[i], now);
    landing.length = 0;
    this.handoff.dropUnlanded(n, now);
    for (const [id, record] of this.pendingAcks) {
      if (core.log.status[id] !== PENDING) {
        this.pendingAcks.delete(id);
        continue;
      }
      let changed = false;
      for (let i = 0; i < record.targets.length; i++) {
        if (record.targets[i] === n && record.acks[i] > now) {
          record.acks[i] = Infinity;
          changed = true;
        }
      }
      if (changed) this.schedule(id);
    }
    core.failPending(n, now);
  }

  /** Forgets landing records of versions that have landed (every second). */
  private pruneLanding(now: number): void {
    for (const list of this.sent) {
      let j = 0;
      for (let i = 0; i < list.length; i += 5) {
        if (list[i + 4] <= now) continue;
        for (let k = 0; k < 5; k++) list[j + k] = list[i + k];
        j += 5;
      }
      list.length = j;
    }
    for (const list of this.landing) {
      let j = 0;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i + 1] <= now) continue;
        list[j++] = list[i];
        list[j++] = list[i + 1];
      }
      list.length = j;
    }
    for (const id of this.pendingAcks.keys()) if (this.core.log.status[id] !== PENDING) this.pendingAcks.delete(id);
  }

  healed(now: number): void {
    this.unavailableNoted.fill(false);
    this.gossip.refresh(now);
    for (let h = 0; h < this.core.topology.nodes.length; h++) this.handoff.resume(h, now);
    this.keyOutages.update(now);
  }

  partitioned(now: number): void {
    this.gossip.refresh(now);
    this.keyOutages.update(now);
  }

  actingLeaders(): number[] {
    return [];
  }

  /** The newest version `node` holds of `key`, one still landing included (−1: none): a checker's view of a replica. */
  latestOn(node: number, key: number): number {
    return this.store.latest(node, key);
  }

  /**
   * An acknowledged write survived unless LWW dropped it, or no live node holds it (or anything newer), or it was
   * replaced by a write that knew of it and is in the history of no version that survives: a line of versions
   * beaten by a concurrent write is lost whole, as a multi-leader line is and as a single leader's writes on a
   * timeline that was cut off are (a read-modify-write on the losing side built each version on the one before).
   */
  survived(id: number): boolean {
    if (!this.standsAlone(id)) return false;
    return this.superseded[id] === 0 || this.keptVersions()[id] === 1 || this.lineFate(id) < 0;
  }

  /**
   * The versions in the history of a version some node that still matters holds at the end (one still landing
   * included) and that LWW did not drop: those, and the versions each followed, back to the first. A dropped version
   * left on a node the winner has not reached yet (its hint held by a node that is down, or still queued) is lost
   * all the same, and its history with it. Worked out once, after the run.
   */
  private keptVersions(): Uint8Array {
    if (this.kept !== null) return this.kept;
    const log = this.core.log;
    const total = log.count;
    const kept = new Uint8Array(total);
    this.kept = kept;
    const stack: number[] = [];
    for (let id = 0; id < total; id++) {
      const key = log.key[id];
      if (this.dropped[id]) continue;
      for (let node = 0; node < this.store.nodeCount; node++) {
        if (this.core.lostForGood[node] === 1 || this.store.latest(node, key) !== id) continue;
        if (kept[id] === 0) stack.push(id);
        kept[id] = 1;
        break;
      }
    }
    while (stack.length > 0) {
      const w = stack.pop()!;
      for (let k = 0; k < FOLLOWS; k++) {
        const v = this.follows[w * FOLLOWS + k];
        if (v >= 0 && v < total && kept[v] === 0) {
          kept[v] = 1;
          stack.push(v);
        }
      }
    }
    return kept;
  }

  /**
   * Along write `id`'s line (the write that replaced it knowing of it, then that one's, and so on), the first that did
   * not survive on its own (−1: the whole line stands).
   */
  private lineFate(id: number): number {
    for (let x = this.supersededBy[id]; x >= 0; x = this.supersededBy[x]) {
      if (!this.standsAlone(x)) return x;
      // Successors are later writes (higher ids): the walk ends.
      if (this.supersededBy[x] <= x) break;
    }
    return -1;
  }

  /** Whether write `id` survived by itself: LWW did not drop it, and a node that still matters holds it or a newer version. */
  private standsAlone(id: number): boolean {
    if (this.dropped[id]) return false;
    const key = this.core.log.key[id];
    for (let node = 0; node < this.store.nodeCount; node++) {
      if (this.core.alive[node] !== 1) continue;
      const v = this.store.latest(node, key);
      if (v === id || (v >= 0 && this.newer(v, id))) return true;
    }
    // Held only by nodes that are down at the end: not lost, only unavailable, unless their zone is gone for good.
    for (let node = 0; node < this.store.nodeCount; node++) {
      const v = this.store.latest(node, key);
      if ((v === id || (v >= 0 && this.newer(v, id))) && this.core.lostForGood[node] === 0) return true;
    }
    return false;
  }

  /**
   * When acknowledged write `id`, which did not survive, was lost: when the member of its line that did not survive
   * was (see lineFate): when LWW first dropped it, or else when the last node lost for good went (the copies it had
   * went with it).
   */
  lostAtMs(id: number): number {
    const fate = this.standsAlone(id) ? this.lineFate(id) : id;
    const x = fate >= 0 ? fate : id;
    if (this.dropped[x]) return this.droppedAtMs[x];
    let at = NaN;
    for (let node = 0; node < this.store.nodeCount; node++) if (this.core.lostForGood[node] === 1 && !(this.core.lostAtMs[node] <= at)) at = this.core.lostAtMs[node];
    return at;
  }

  private ensure(id: number): void {
    if (id < this.ts.length) return;
    let size = this.ts.length;
    while (size <= id) size *= 2;
    this.ts = grown(this.ts, size);
    this.dropped = grown(this.dropped, size);
    this.droppedAtMs = grown(this.droppedAtMs, size);
    this.refusal = grown(this.refusal, size);
    this.superseded = grown(this.superseded, size);
    const supersededBy = new Int32Array(size).fill(-1);
    supersededBy.set(this.supersededBy);
    this.supersededBy = supersededBy;
    const follows = new Int32Array(size * FOLLOWS).fill(-1);
    follows.set(this.follows);
    this.follows = follows;
  }
}

/** How many versions a write follows at most (the newest distinct ones within reach), and how many steps back through them are searched. */
const FOLLOWS = 3;
const MAX_FOLLOW_STEPS = 1000;

/** A write's refusal state (see Leaderless.refusal). */
const RETRIED = 1;
const REFUSED = 2;

/** The k-th smallest of a small array (Infinity when there are fewer than k finite values). */
function kth(values: Float64Array, k: number): number {
  if (k > values.length) return Infinity;
  const sorted = Array.from(values).sort((a, b) => a - b);
  return sorted[k - 1];
}

/** Each node's rack for rack-aware placement: its zone (region/zone), numbered in order of first appearance. */
function rackIndices(zones: readonly string[]): number[] {
  const index = new Map<string, number>();
  return zones.map((z) => {
    if (!index.has(z)) index.set(z, index.size);
    return index.get(z)!;
  });
}
