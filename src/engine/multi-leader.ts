// The multi-leader shape: one leader per listed region, each committing writes
// locally and replicating them asynchronously to the others. Two writes to one
// key neither of which happened before the other are concurrent (a write
// happened before another when the other's leader had it, or a version built
// on it, when the other was made: through a third leader too): `lww` keeps
// the later timestamp and silently drops the other (counted as lost), `crdt`
// merges them (nothing lost), `app` keeps both as siblings for the application
// to resolve. `routing: home-region` makes each key writable only in its home
// region (users partitioned by region), so concurrent writes cannot happen:
// a client whose home leader is down or cut off cannot write (it does not
// fall back to another leader, which would write the key in two places).
// A conflict is a pair of such writes that met at a leader; the writes last-
// write-wins loses are counted apart (a key's whole losing line of versions).
// Last-write-wins compares the timestamps the leaders stamp their writes with,
// from their clocks (`clock_skew`): a leader whose clock runs ahead outranks
// every write to its keys made elsewhere within the skew, even one made after
// its write arrived there (dropped on arrival, and on its own leader).
// A leader that crashes keeps on its disk what it had not shipped yet and
// ships it when it is back; only a leader lost for good loses that tail.
// Each leader applies each other leader's stream at its apply_rate (one apply
// worker per origin, as BDR's per-origin apply or MySQL's per-channel applier):
// a write reaches a leader's state when the link has delivered it and the
// writes before it on that link are applied.
import type { ShapeFault } from "./core/state.js";
import { assertNever } from "../base/assert.js";
import type { CrashCause } from "./core/events.js";
import type { ResolvedFault } from "../model/types.js";
import { Core, EV, type Shape } from "./core.js";
import { fastSampler, type Sampler } from "../base/distributions.js";
import { ACKED } from "./write-log.js";
import { grown } from "../base/typed.js";
import { VersionStore } from "./version-store.js";
import { HomeKeyOutages } from "./home-key-outages.js";

/** The lag samples over which an origin's write rate is taken (seconds, one sample a second), as leader/follower's commit rate. */
const LAG_WINDOW_S = 10;

/** Throughput of the backlog a leader ships after a partition heals or a leader comes back (bytes/ms): 50 MB/s across regions. */
const BACKLOG_BYTES_PER_MS = (50 * 1024 * 1024) / 1000;

/**
 * The versions of one key that some leader that matters has not received yet, kept to tell a stale read: per
 * origin leader, its writes to the key in the order it made them (so in the order every other leader receives
 * them: each link delivers in order), and what the versions every leader has received fold into. Dropped when
 * every leader has received every version of the key (a later write is newer than all of them, and its history
 * contains them all).
 */
interface KeyVersions {
  /** Per origin: its writes to the key from `heads[origin]` on. */
  queues: number[][];
  heads: Int32Array;
  /** Per origin: how many writes to the key it has made since the key's versions were last all received. */
  made: Int32Array;
  /** The history of the versions every leader has received: per origin, the number of its latest write in it. */
  settled: Int32Array;
  /** The latest-timestamped version every leader has received (−1: none). */
  latest: number;
  /** This record's number among every key's records (a later record of the key has a larger one). */
  epoch: number;
  /** Per (origin, leader): where the received prefix ended last time it was looked up (time only moves on). */
  hints: Int32Array;
}

export class MultiLeader implements Shape {
  readonly leaderNode = -1;
  /** Leader node per leader region, in the order of replication.leaders. */
  private readonly leaders: number[];
  private readonly leaderIndexOf: Int16Array;
  private readonly routing: "home-region" | "any";
  private readonly conflict: "lww" | "crdt" | "app";
  private readonly store: VersionStore;
  private readonly fsync: Sampler;
  /** Per leader: its clock's offset (ms), which last-write-wins timestamps carry (0 under crdt and app: no timestamps decide). */
  private readonly skewMs: Float64Array;
  /** Per write: its last-write-wins timestamp, when it was made by its leader's clock. */
  private stamp = new Float64Array(1024);
  /** Per write: origin leader index, and its arrival time at each leader (its own: when flushed; Infinity: not yet / never). */
  private origin = new Int8Array(1024);
  private arrival: Float64Array;
  /**
   * Per write: its number among its origin's writes to its key, and its history as a version vector (per origin,
   * the number of the latest write to the key its leader had received when it was made, directly or through the
   * history of a version received).
   */
  private keySeq = new Int32Array(1024);
  private history: Int32Array;
  /**
   * Per write: the number of its key's versions record it was made in. A key's record is dropped once every
   * leader has received all of its versions, and a later write's numbers start again in a new record: every
   * write of an earlier record happened before it.
   */
  private epochOf = new Int32Array(1024);
  private epochs = 0;
  private readonly versions = new Map<number, KeyVersions>();
  private readonly scratch: Int32Array;
  private readonly scratchEnds: Int32Array;
  /** Whether a write lost an LWW comparison at some leader during the run (when it was dropped is its loss's time). */
  private droppedByLww = new Uint8Array(1024);
  /** When LWW first dropped each write: the moment a leader applied the concurrent write that beat it. */
  private lwwDroppedAtMs = new Float64Array(1024);
  /** LWW's final verdict, decided once when the run is measured (see decideLww): lost, and since when. */
  private lwwVerdict: { lost: Uint8Array; lostAtMs: Float64Array } | null = null;
  /** The same verdict had every write still queued between leaders at the end of the run arrived (projected, see projectedLost). */
  private lwwProjected: { lost: Uint8Array; lostAtMs: Float64Array } | null = null;
  /** Per write and leader: the version it met there in a conflict when applied there (−1: none), to count each pair once. */
  private metOnApply: Int32Array;
  /** Writes waiting to be shipped to each destination leader (cut off from it, it or their own leader down), in order per origin. */
  private readonly backlog: number[][];
  /** backlog as sets, built when held() first needs them and dropped whenever a queue changes. */
  private queuedSets: Set<number>[] | null = null;
  /** Last arrival time per (from, to) leader link, to keep each link in order (and each apply after the one before). */
  private readonly linkLast: Float64Array;
  /** Per leader: the time its apply of one write from another leader takes (ms; 1000 / its apply_rate). */
  private readonly applyGapMs: number[];
  /** Per (from, to) link: the writes shipped on it, from `inFlightHead` on (those before have arrived). */
  private readonly inFlight: number[][];
  private readonly inFlightHead: Int32Array;
  /** Per (from, to) link: how many of `from`'s writes wait in `backlog[to]`. */
  private readonly backlogged: Int32Array;
  /** Per origin: the writes it has made, and that count at each of the last LAG_WINDOW_S lag samples (a ring). */
  private readonly made: Float64Array;
  private readonly madeRing: Float64Array;
  private lagSamples = 0;
  /** Per (from, to) link: its unapplied writes at the last lag sample, how many samples in a row they grew, and whether `to` was said to fall behind. */
  private readonly lastUnapplied: Float64Array;
  private readonly unappliedRising: Int32Array;
  private readonly fallingBehindNoted: Uint8Array;
  conflicts = 0;
  private conflictNoted = false;
  private skewDropNoted = false;
  /** Home-region routing: the keys of a region that cannot be written while others can, from the cluster's state. */
  readonly keyOutages: HomeKeyOutages | undefined;

  constructor(private readonly core: Core) {
    const replication = core.topology.replication;
    if (replication.mode !== "multi-leader") throw new Error("assertion: multi-leader shape on another mode");
    const nodes = core.topology.nodes;
    this.leaders = replication.leaders.map((region) => {
      const inRegion = nodes.filter((n) => n.region === region);
      return nodes.indexOf(inRegion.find((n) => n.role === "leader") ?? inRegion[0]);
    });
    this.leaderIndexOf = new Int16Array(nodes.length).fill(-1);
    this.leaders.forEach((node, i) => (this.leaderIndexOf[node] = i));
    this.routing = replication.routing;
    this.conflict = replication.conflict;
    this.store = new VersionStore(this.leaders.length, core.workload.keys);
    this.fsync = fastSampler(core.topology.fsync);
    this.skewMs = new Float64Array(this.leaders.map((node) => (replication.conflict === "lww" ? (replication.clockSkewMs[nodes[node].name] ?? 0) : 0)));
    this.backlog = this.leaders.map(() => []);
    this.linkLast = new Float64Array(this.leaders.length * this.leaders.length).fill(-Infinity);
    this.applyGapMs = this.leaders.map((node) => 1000 / nodes[node].applyRate);
    this.inFlight = Array.from({ length: this.leaders.length * this.leaders.length }, () => []);
    this.inFlightHead = new Int32Array(this.leaders.length * this.leaders.length);
    const links = this.leaders.length * this.leaders.length;
    this.backlogged = new Int32Array(links);
    this.made = new Float64Array(this.leaders.length);
    this.madeRing = new Float64Array(this.leaders.length * (LAG_WINDOW_S + 1));
    this.lastUnapplied = new Float64Array(links);
    this.unappliedRising = new Int32Array(links);
    this.fallingBehindNoted = new Uint8Array(links);
    this.arrival = new Float64Array(1024 * this.leaders.length);
    this.history = new Int32Array(1024 * this.leaders.length);
    this.metOnApply = new Int32Array(1024 * this.leaders.length).fill(-1);
    this.scratch = new Int32Array(this.leaders.length);
    this.scratchEnds = new Int32Array(this.leaders.length);
    this.keyOutages = this.routing === "home-region" ? new HomeKeyOutages(core, this.leaders, (place) => this.homeOfPlace(place)) : undefined;
  }

  start(): void {
    for (let c = 0; c < this.core.conn.length; c++) this.core.conn[c] = this.coordinatorFor(c, 0);
    this.core.queue.push(1000, EV.LAG_SAMPLE);
  }

  private get count(): number {
    return this.leaders.length;
  }

  /** The leader region a client lives in or is nearest to. */
  private homeOf(client: number): number {
    return this.homeOfPlace(this.core.clientPlace[client]);
  }

  /** The leader region a client place is in or is nearest to. */
  private homeOfPlace(place: number): number {
    const core = this.core;
    const nodes = core.topology.nodes.length;
    let best = -1;
    let bestDistance = 3;
    for (let i = 0; i < this.count; i++) {
      const d = core.network.distance[place * nodes + this.leaders[i]];
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return Math.max(0, best);
  }

  /**
   * Clients write to their home region's leader. With `routing: any` they move to the nearest leader that is up
   * when it is not (and back once it is, see homeReachable); with `home-region` they do not (none: −1), since
   * their keys may be written only there.
   */
  coordinatorFor(client: number, now: number): number {
    void now;
    const core = this.core;
    const place = core.clientPlace[client];
    const home = this.leaders[this.homeOf(client)];
    if (core.alive[home] === 1 && core.network.reachable(place, home)) return home;
    return this.routing === "home-region" ? -1 : this.nearestLeader(place);
  }

  /** The nearest leader that is up and that `place` can reach (−1: none). */
  private nearestLeader(place: number): number {
    const core = this.core;
    const nodes = core.topology.nodes.length;
    let chosen = -1;
    let bestDistance = 3;
    for (const leader of this.leaders) {
      if (core.alive[leader] !== 1 || !core.network.reachable(place, leader)) continue;
      const d = core.network.distance[place * nodes + leader];
      if (d < bestDistance) {
        bestDistance = d;
        chosen = leader;
      }
    }
    return chosen;
  }

  acceptsWrites(node: number): boolean {
    return node >= 0 && this.leaderIndexOf[node] >= 0 && this.core.alive[node] === 1;
  }

  /**
   * With home-region routing, the client's keys belong to its home region: the
   * key is moved into that region's share of the key space (key mod L = home).
   */
  private routeKey(key: number, client: number): number {
    if (this.routing !== "home-region") return key;
    const keys = this.core.workload.keys;
    const home = this.homeOf(client);
    let k = key - (key % this.count) + home;
    if (k >= keys) k -= this.count;
    return Math.max(0, k);
  }

  appendWrite(id: number, node: number, atMs: number): void {
    const core = this.core;
    const log = core.log;
    this.ensure(id);
    const key = this.routeKey(log.key[id], log.client[id]);
    log.key[id] = key;
    const from = this.leaderIndexOf[node];
    log.node[id] = node;
    log.epoch[id] = 0;
    log.lsn[id] = id;
    log.appendMs[id] = atMs;
    const flush = atMs + this.fsync.sample(core.rng);
    log.flushMs[id] = flush;
    this.origin[id] = from;
    this.stamp[id] = atMs + this.skewMs[from];
    this.made[from]++;
    for (let to = 0; to < this.count; to++) this.arrival[id * this.count + to] = to === from ? flush : Infinity;
    this.recordVersion(id, key, from, atMs);
    this.applyAt(from, key, id, flush);
    for (let to = 0; to < this.count; to++) if (to !== from) this.ship(id, from, to, flush, atMs);
    const ackAt = flush + core.network.latency(node, core.clientPlace[log.client[id]]);
    const deadline = log.sendMs[id] + core.workload.timeoutMs;
    core.queue.push(Math.min(ackAt, deadline), ackAt <= deadline ? EV.WRITE_ACK : EV.WRITE_TIMEOUT, id, ++log.version[id]);
  }

  /** Asynchronous replication of one write to another leader (queued while they are partitioned or it is down). */
  private ship(id: number, from: number, to: number, departure: number, now: number): void {
    const core = this.core;
    const a = this.leaders[from];
    const b = this.leaders[to];
    // A leader that applies nothing (apply_rate 0) keeps what it receives unapplied: it waits as if still queued.
    if (core.alive[b] !== 1 || !core.network.reachable(a, b) || this.applyGapMs[to] === Infinity) {
      this.backlog[to].push(id);
      this.backlogged[from * this.count + to]++;
      this.queuedSets = null;
      return;
    }
    const link = from * this.count + to;
    // Received a link's delay after it left; applied once received and once the link's write before it is applied.
    const arrive = Math.max(departure + core.network.streamLatency(a, b, departure), this.linkLast[link] + this.applyGapMs[to]);
    this.linkLast[link] = arrive;
    this.arrival[id * this.count + to] = arrive;
    this.inFlight[link].push(id);
    this.appliedOn(link, to, now);
    this.applyAt(to, core.log.key[id], id, arrive);
  }

  /**
   * Moves link's in-flight head past the writes `to` has applied by `now`, and returns how many it has not (the
   * link's arrivals are in order: each is applied after the one before).
   */
  private appliedOn(link: number, to: number, now: number): number {
    const shipped = this.inFlight[link];
    let head = this.inFlightHead[link];
    while (head < shipped.length && this.arrival[shipped[head] * this.count + to] <= now) head++;
    if (head > 1024 && head * 2 > shipped.length) {
      shipped.splice(0, head);
      head = 0;
    }
    this.inFlightHead[link] = head;
    return shipped.length - head;
  }

  /** Replaces the writes queued for leader `to`, keeping the per-link counts. */
  private setBacklog(to: number, list: number[]): void {
    this.backlog[to] = list;
    this.queuedSets = null;
    for (let from = 0; from < this.count; from++) this.backlogged[from * this.count + to] = 0;
    for (const id of list) this.backlogged[this.origin[id] * this.count + to]++;
  }

  /**
   * Once a second: how far each leader's apply of each other leader's stream is behind (the writes the origin has
   * made that it has not applied: on the wire, waiting to be applied, or queued while they are cut off; and the
   * age of the oldest), as a lag sample of the leader per origin. A leader whose unapplied writes of an origin
   * grew ten samples in a row while it applies slower than that origin writes falls behind for good (noted once).
   */
  private lagSample(now: number): void {
    const core = this.core;
    if (now > core.endMs) return;
    core.queue.push(now + 1000, EV.LAG_SAMPLE);
    const n = this.count;
    const slot = this.lagSamples % (LAG_WINDOW_S + 1);
    this.lagSamples++;
    for (let from = 0; from < n; from++) this.madeRing[from * (LAG_WINDOW_S + 1) + slot] = this.made[from];
    const log = core.log;
    const nodes = core.topology.nodes;
    for (let to = 0; to < n; to++) {
      if (core.alive[this.leaders[to]] !== 1) continue;
      for (let from = 0; from < n; from++) {
        if (from === to || !this.matters(from)) continue;
        const link = from * n + to;
        const inFlight = this.appliedOn(link, to, now);
        const queued = this.backlogged[link];
        let oldest = Infinity;
        if (inFlight > 0) oldest = log.appendMs[this.inFlight[link][this.inFlightHead[link]]];
        if (queued > 0) for (const id of this.backlog[to]) if (this.origin[id] === from) {
          oldest = Math.min(oldest, log.appendMs[id]);
          break;
        }
        const unapplied = inFlight + queued;
        core.recordLag(now, nodes[this.leaders[to]].name, unapplied * core.workload.writeSizeBytes, unapplied > 0 ? Math.max(0, now - oldest) : 0, nodes[this.leaders[from]].name);
        this.unappliedRising[link] = unapplied > this.lastUnapplied[link] ? this.unappliedRising[link] + 1 : 0;
        this.lastUnapplied[link] = unapplied;
        const incomingRate = this.recentRate(from);
        const applyRate = 1000 / this.applyGapMs[to];
        if (!this.fallingBehindNoted[link] && this.unappliedRising[link] >= 10 && applyRate < incomingRate) {
          this.fallingBehindNoted[link] = 1;
          core.note(now, nodes[this.leaders[to]].name, { event: "apply-falling-behind", origin: nodes[this.leaders[from]].name, applyRate, incomingRate });
        }
      }
    }
  }

  /** Origin `from`'s write rate (writes/s) over the last LAG_WINDOW_S lag samples (0 before the second sample). */
  private recentRate(from: number): number {
    const taken = this.lagSamples;
    const window = Math.min(Math.max(0, taken - 1), LAG_WINDOW_S);
    if (window === 0) return 0;
    const ring = from * (LAG_WINDOW_S + 1);
    return (this.madeRing[ring + ((taken - 1) % (LAG_WINDOW_S + 1))] - this.madeRing[ring + ((taken - 1 - window) % (LAG_WINDOW_S + 1))]) / window;
  }

  /** Applies a write on a leader, resolving a conflict with the version it holds. */
  private applyAt(leader: number, key: number, id: number, at: number): void {
    const current = this.store.latest(leader, key);
    if (current < 0 || current === id) {
      this.store.set(leader, key, id, at);
      return;
    }
    const concurrent = !this.happenedBefore(current, id) && !this.happenedBefore(id, current);
    const newer = this.later(id, current) === id;
    if (concurrent) this.noteConflict(current, id, leader, at);
    if (newer) this.store.set(leader, key, id, at);
    // An older timestamp loses under last-write-wins, concurrent or not: a write made after the one held, on a
    // leader whose clock runs behind the held one's, is dropped too (without skew that cannot happen). One the
    // held version was built on is its history, not dropped.
    else if (this.conflict === "lww" && (concurrent || !this.happenedBefore(id, current))) {
      this.dropByLww(id, at);
      if (!concurrent) this.noteSkewDrop(current, id, at);
    }
    if (concurrent && newer && this.conflict === "lww") this.dropByLww(current, at);
  }

  /**
   * Whether write x (of the same key) happened before write y: y's leader had x, or a version whose history holds
   * it, when y was made (y's version vector counts x), or x's record of the key was settled before y's began.
   */
  private happenedBefore(x: number, y: number): boolean {
    if (this.epochOf[x] !== this.epochOf[y]) return this.epochOf[x] < this.epochOf[y];
    return this.history[y * this.count + this.origin[x]] >= this.keySeq[x];
  }

  /** The first write last-write-wins dropped although made after the one that beat it: its leader's clock ran behind. */
  private noteSkewDrop(winner: number, loser: number, at: number): void {
    if (this.skewDropNoted) return;
    this.skewDropNoted = true;
    const aheadMs = this.skewMs[this.origin[winner]] - this.skewMs[this.origin[loser]];
    this.core.note(at, this.core.topology.nodes[this.leaders[this.origin[winner]]].name, { event: "lww-dropped", concurrent: false, aheadMs, as: "leader" });
  }

  /** LWW drops write `id` at `at` (the earliest leader to resolve the conflict decides its loss). */
  private dropByLww(id: number, at: number): void {
    this.lwwDroppedAtMs[id] = this.droppedByLww[id] ? Math.min(this.lwwDroppedAtMs[id], at) : at;
    this.droppedByLww[id] = 1;
  }

  /**
   * Counts the conflict of the version `held` on `leader` with write `applied` arriving there, once per pair:
   * the same two may meet again on another leader the other way round (each is applied once per leader, and
   * remembers what it met).
   */
  private noteConflict(held: number, applied: number, leader: number, at: number): void {
    const n = this.count;
    for (let L = 0; L < n; L++) if (this.metOnApply[held * n + L] === applied || this.metOnApply[applied * n + L] === held) return;
    this.metOnApply[applied * n + leader] = held;
    this.conflicts++;
    if (!this.conflictNoted) {
      this.conflictNoted = true;
      this.core.note(at, "cluster", { event: "conflict", policy: this.conflict });
    }
  }

  ackStillValid(id: number): boolean {
    return this.core.alive[this.core.log.node[id]] === 1;
  }

  /**
   * A read goes to the client's leader. Under home-region routing a client whose home leader is out of reach
   * still reads from the nearest one (the other regions' copy is readable, not writable), perhaps stale.
   */
  read(client: number, cls: number, key: number, now: number): boolean {
    const core = this.core;
    const place = core.clientPlace[client];
    let node = core.conn[client];
    if (node < 0 || !this.acceptsWrites(node) || !core.network.reachable(place, node)) {
      if (this.routing !== "home-region") return false;
      node = this.nearestLeader(place);
      if (node < 0) return false;
    }
    const routed = this.routeKey(key, client);
    const arrive = now + core.network.latency(place, node);
    if (this.staleRead(this.leaderIndexOf[node], routed, now, arrive)) core.classes[cls].staleReads++;
    core.readOutcome(cls, client, now, arrive + core.network.latency(node, place), true);
    return true;
  }

  /** Whether leader L is one whose state still counts: up, or down but not lost for good. */
  private matters(L: number): boolean {
    return this.core.lostForGood[this.leaders[L]] === 0;
  }

  /** The newer of two versions by last-write-wins order, their leaders' timestamps (−1: none). */
  private later(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    const stamp = this.stamp;
    return stamp[a] > stamp[b] || (stamp[a] === stamp[b] && a > b) ? a : b;
  }

  /** The key's versions not yet received everywhere, created for a write (null: none, and none needed). */
  private versionsOf(key: number, now: number, create: boolean): KeyVersions | null {
    let v = this.versions.get(key) ?? null;
    if (v !== null) {
      this.settle(v, now);
      let empty = true;
      for (let j = 0; j < this.count && empty; j++) empty = v.heads[j] >= v.queues[j].length;
      if (empty) {
        this.versions.delete(key);
        v = null;
      }
    }
    if (v === null && create) {
      const n = this.count;
      v = { queues: Array.from({ length: n }, () => []), heads: new Int32Array(n), made: new Int32Array(n), settled: new Int32Array(n), latest: -1, epoch: ++this.epochs, hints: new Int32Array(n * n) };
      this.versions.set(key, v);
    }
    return v;
  }

  /** Folds the versions every leader that matters has received by `now` (each origin's in order) into the key's settled history. */
  private settle(v: KeyVersions, now: number): void {
    const n = this.count;
    for (let j = 0; j < n; j++) {
      const q = v.queues[j];
      let head = v.heads[j];
      while (head < q.length) {
        const y = q[head];
        let everywhere = true;
        for (let L = 0; L < n && everywhere; L++) everywhere = !this.matters(L) || this.arrival[y * n + L] <= now;
        if (!everywhere) break;
        for (let k = 0; k < n; k++) v.settled[k] = Math.max(v.settled[k], this.history[y * n + k]);
        v.latest = this.later(y, v.latest);
        head++;
      }
      if (head > 64 && head * 2 > q.length) {
        q.splice(0, head);
        for (let L = 0; L < n; L++) v.hints[j * n + L] = Math.max(0, v.hints[j * n + L] - head);
        head = 0;
      }
      v.heads[j] = head;
    }
  }

  /**
   * The end of the prefix of origin j's queue that leader L has received by t (j ≠ L: each link delivers in
   * order). Searched from where the last lookup ended, since reads and writes come in time order.
   */
  private receivedEnd(v: KeyVersions, j: number, L: number, t: number): number {
    const q = v.queues[j];
    const n = this.count;
    const head = v.heads[j];
    const len = q.length;
    const received = (i: number) => this.arrival[q[i] * n + L] <= t;
    const guess = Math.min(Math.max(v.hints[j * n + L], head), len);
    let lo = guess;
    let hi = guess;
    if (guess < len && received(guess)) {
      // Further on: gallop forward to bracket the end.
      lo = guess + 1;
      let step = 1;
      hi = lo;
      while (hi < len && received(hi)) {
        lo = hi + 1;
        hi = lo + step;
        step *= 2;
      }
      hi = Math.min(hi, len);
    } else if (guess > head && !received(guess - 1)) {
      // Earlier: gallop back.
      hi = guess - 1;
      let step = 1;
      lo = hi - 1;
      while (lo >= head && !received(lo)) {
        hi = lo;
        lo = hi - 1 - step;
        step *= 2;
      }
      lo = Math.max(lo + 1, head);
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (received(mid)) lo = mid + 1;
      else hi = mid;
    }
    v.hints[j * n + L] = lo;
    return lo;
  }

  /** Write `id` to `key`, made on leader `from` at `now`: its number, and its history (what `from` holds of the key). */
  private recordVersion(id: number, key: number, from: number, now: number): void {
    const n = this.count;
    const v = this.versionsOf(key, now, true)!;
    const h = this.history;
    for (let k = 0; k < n; k++) h[id * n + k] = v.settled[k];
    for (let j = 0; j < n; j++) {
      // Its own leader's earlier writes are all in its history (the WAL's order); another's, those received by now.
      const end = j === from ? v.queues[j].length : this.receivedEnd(v, j, from, now);
      if (end <= v.heads[j]) continue;
      const y = v.queues[j][end - 1];
      for (let k = 0; k < n; k++) h[id * n + k] = Math.max(h[id * n + k], h[y * n + k]);
    }
    this.epochOf[id] = v.epoch;
    this.keySeq[id] = ++v.made[from];
    h[id * n + from] = this.keySeq[id];
    v.queues[from].push(id);
  }

  /** Whether acknowledged write y is gone for good: its leader was lost with it unshipped, and no leader that matters has it. */
  private gone(y: number): boolean {
    if (this.core.lostForGood[this.leaders[this.origin[y]]] === 0) return false;
    for (let L = 0; L < this.count; L++) if (L !== this.origin[y] && this.matters(L) && this.arrival[y * this.count + L] < Infinity) return false;
    return true;
  }

  /**
   * Whether a read of `key` sent at `now` that leader L serves at `t` is stale: it misses an acknowledged write
   * L has not received yet (a write gone for good with its leader is lost, not missed). Under last-write-wins the
   * read returns the latest timestamp L has received, so it misses only a write newer than that (an older one
   * will lose to it when it arrives). A CRDT merges and `app` keeps siblings, so it misses any such write that is
   * not in the history of a version L has received (one a writer had seen before overwriting it).
   */
  private staleRead(L: number, key: number, now: number, t: number): boolean {
    const v = this.versionsOf(key, now, false);
    if (v === null) return false;
    const n = this.count;
    const log = this.core.log;
    if (this.conflict === "lww") {
      let returned = v.latest;
      for (let j = 0; j < n; j++) {
        const q = v.queues[j];
        if (j === L) {
          // Its own writes are visible once flushed (their flushes may finish out of order).
          for (let i = q.length - 1; i >= v.heads[j]; i--) if (this.arrival[q[i] * n + L] <= t) {
            returned = this.later(q[i], returned);
            break;
          }
        } else {
          const end = this.receivedEnd(v, j, L, t);
          if (end > v.heads[j]) returned = this.later(q[end - 1], returned);
        }
      }
      for (let j = 0; j < n; j++) {
        if (j === L) continue;
        const q = v.queues[j];
        const end = this.receivedEnd(v, j, L, t);
        // The newest acknowledged write of the origin that L lacks: the one that could be newer than what L returns.
        for (let i = q.length - 1; i >= end; i--) {
          const y = q[i];
          if (log.status[y] !== ACKED || this.gone(y)) continue;
          if (this.later(y, returned) === y && y !== returned) return true;
          break;
        }
      }
      return false;
    }
    const seen = this.scratch;
    seen.set(v.settled);
    const ends = this.scratchEnds;
    for (let j = 0; j < n; j++) {
      if (j === L) continue;
      ends[j] = this.receivedEnd(v, j, L, t);
      if (ends[j] <= v.heads[j]) continue;
      const y = v.queues[j][ends[j] - 1];
      for (let k = 0; k < n; k++) seen[k] = Math.max(seen[k], this.history[y * n + k]);
    }
    for (let j = 0; j < n; j++) {
      if (j === L) continue;
      const q = v.queues[j];
      const head = v.heads[j];
      if (head >= q.length) continue;
      // Numbers along an origin's queue are consecutive: those up to seen[j] are in a received version's history.
      const start = Math.max(ends[j], head + Math.max(0, seen[j] - this.keySeq[q[head]] + 1));
      for (let i = q.length - 1; i >= start; i--) if (log.status[q[i]] === ACKED && !this.gone(q[i])) return true;
    }
    return false;
  }

  handle(kind: number, a: number, b: number, now: number): void {
    if (kind === EV.LAG_SAMPLE) this.lagSample(now);
    else if (kind === EV.CLIENT_HOME) this.clientHome(a, b, now);
  }

  /**
   * Leaders may be back in reach (a leader recovered, a partition healed): the clients writing to another region's
   * leader whose home leader is up and in reach go back to it once the endpoint routes to it again, as they left
   * it when it stopped answering: through a proxy, at its `rise`-th passing health check of the home leader
   * (HAProxy's backup server, whose sessions `on-marked-up shutdown-backup-sessions` moves back); through DNS, as
   * each client's cache of the health-checked name expires. Under home-region routing no client ever leaves.
   */
  private homeReachable(now: number): void {
    const core = this.core;
    if (this.routing === "home-region") return;
    const endpoint = core.topology.failover.endpoint;
    const returning = new Map<number, number>();
    let stale = 0;
    for (let c = 0; c < core.conn.length; c++) {
      const current = core.conn[c];
      const place = core.clientPlace[c];
      const home = this.leaders[this.homeOf(c)];
      if (current < 0 || current === home || core.alive[home] !== 1 || core.network.isLost(place) || !core.network.reachable(place, home)) continue;
      const at = endpoint.kind === "proxy" ? core.endpoint.nextCheckMs(now) + (endpoint.rise - 1) * endpoint.checkIntervalMs : core.endpoint.learnsAtMs(c, now);
      if (core.endpoint.isStaleClient(c)) stale++;
      core.queue.push(at, EV.CLIENT_HOME, c, home);
      returning.set(home, (returning.get(home) ?? 0) + 1);
    }
    for (const [home, clients] of returning) {
      const node = core.topology.nodes[home].name;
      if (endpoint.kind === "proxy") core.note(now, node, { event: "clients-home", clients, via: "proxy", afterMs: core.endpoint.nextCheckMs(now) + (endpoint.rise - 1) * endpoint.checkIntervalMs - now });
      else core.note(now, node, { event: "clients-home", clients, via: "dns", ttlMs: endpoint.ttlMs, staleForMs: endpoint.staleForMs, stale });
    }
  }

  /** Client `c` learns that its home leader is routed to again: it writes there from now on, if it still can. */
  private clientHome(c: number, home: number, now: number): void {
    const core = this.core;
    const current = core.conn[c];
    if (current < 0 || current === home || this.coordinatorFor(c, now) !== home) return;
    core.conn[c] = home;
    core.shunned[c] = -1;
    core.connectedMs[c] = now;
  }

  fault(f: ShapeFault, now: number): void {
    const core = this.core;
    switch (f.kind) {
      case "crash":
        return this.crashNode(f.nodeIndex, now, { kind: "host-failed" });
      case "recover": {
        const index = f.nodeIndex ?? core.topology.nodes.findIndex((x) => x.name === f.node);
        if (core.alive[index] === 1 || core.network.isLost(index)) return;
        core.alive[index] = 1;
        this.keyOutages?.update(now);
        core.note(now, f.node, { event: "recover", as: "multi-leader" });
        // What it had not shipped waited on its disk; what the others queued for it waited on theirs.
        this.flushBacklogs(now);
        this.homeReachable(now);
        return;
      }
      case "stall":
      case "slow":
      case "promote_fails":
      case "rebuild":
      case "bad_write":
        core.note(now, "cluster", { event: "not-applicable", faultKind: f.kind, mode: "multi-leader" });
        return;
      default:
        return assertNever(f, "fault kind");
    }
  }

  crashNode(n: number, now: number, why: CrashCause): void {
    const core = this.core;
    if (n < 0) return;
    const from = this.leaderIndexOf[n];
    if (core.alive[n] !== 1) {
      // Down already, and now lost for good (its region or zone with it): what it held back is gone.
      if (from >= 0 && core.lostForGood[n] === 1) this.loseUnshipped(from, now);
      return;
    }
    core.alive[n] = 0;
    core.note(now, core.topology.nodes[n].name, { event: "crash", cause: why });
    // A lost zone's nodes go down before the network marks the zone lost: its clients are gone already.
    this.keyOutages?.update(now, why.kind === "lost-with" ? why.target : null);
    if (from < 0) return;
    // A host failure stops its WAL sender: what was on the wire never arrives. It is still on its disk, queued to
    // ship again when the leader is back, in the order it was made.
    const log = core.log;
    for (let to = 0; to < this.count; to++) {
      if (to === from) continue;
      const link = from * this.count + to;
      const shipped = this.inFlight[link];
      const cut: number[] = [];
      for (let i = this.inFlightHead[link]; i < shipped.length; i++) {
        const id = shipped[i];
        if (this.arrival[id * this.count + to] <= now) continue;
        this.store.revert(to, log.key[id], id);
        this.arrival[id * this.count + to] = Infinity;
        // One still being flushed was never durable (nor acknowledged): nothing of it is left to ship.
        if (log.flushMs[id] <= now) cut.push(id);
      }
      this.inFlight[link] = [];
      this.inFlightHead[link] = 0;
      if (cut.length === 0) continue;
      const others = this.backlog[to].filter((id) => this.origin[id] !== from);
      const own = [...cut, ...this.backlog[to].filter((id) => this.origin[id] === from)];
      own.sort((a, b) => log.appendMs[a] - log.appendMs[b] || a - b);
      this.setBacklog(to, [...others, ...own]);
    }
    if (core.lostForGood[n] === 1) this.loseUnshipped(from, now);
    else {
      const waiting = this.unshippedAcked(from, now);
      if (waiting > 0) core.note(now, core.topology.nodes[n].name, { event: "unshipped", writes: waiting });
    }
    core.failPending(n, now);
  }

  /** The acknowledged writes of leader `from` that no other leader has received by `now`. */
  private unshippedAcked(from: number, now: number): number {
    const log = this.core.log;
    const seen = new Set<number>();
    let acked = 0;
    for (const list of this.backlog) {
      for (const id of list) {
        if (this.origin[id] !== from || seen.has(id)) continue;
        seen.add(id);
        let reached = false;
        for (let L = 0; L < this.count && !reached; L++) reached = L !== from && this.arrival[id * this.count + L] <= now;
        if (!reached && log.status[id] === ACKED) acked++;
      }
    }
    return acked;
  }

  /** Leader `from` is lost for good: the writes it had not shipped never will be. */
  private loseUnshipped(from: number, now: number): void {
    const core = this.core;
    const unshipped = this.unshippedAcked(from, now);
    for (let to = 0; to < this.count; to++) this.setBacklog(to, this.backlog[to].filter((id) => this.origin[id] !== from));
    // Nor will anything reach it.
    this.setBacklog(from, []);
    if (unshipped > 0) core.note(now, core.topology.nodes[this.leaders[from]].name, { event: "unreplicated", writes: unshipped });
  }

  healed(now: number): void {
    this.keyOutages?.update(now);
    this.flushBacklogs(now);
    this.homeReachable(now);
  }

  /** Ships every queued write whose leader is up and whose destination is up and reachable, at the backlog's throughput. */
  private flushBacklogs(now: number): void {
    const core = this.core;
    const before = this.conflicts;
    for (let to = 0; to < this.count; to++) {
      const list = this.backlog[to];
      if (list.length === 0 || core.alive[this.leaders[to]] !== 1 || this.applyGapMs[to] === Infinity) continue;
      const keep: number[] = [];
      let shipped = 0;
      const perOrigin = new Int32Array(this.count);
      for (const id of list) {
        const from = this.origin[id];
        if (core.alive[this.leaders[from]] !== 1 || !core.network.reachable(this.leaders[from], this.leaders[to])) {
          keep.push(id);
          continue;
        }
        shipped++;
        perOrigin[from]++;
        this.ship(id, from, to, now + (shipped * core.workload.writeSizeBytes) / BACKLOG_BYTES_PER_MS, now);
      }
      this.setBacklog(to, keep);
      // Each origin's stream is applied at the leader's apply rate, the streams side by side. The origins keep
      // writing, and their new writes queue behind the backlog: it shrinks at the apply rate minus their rate.
      const applyMs = Math.max(...perOrigin) * this.applyGapMs[to];
      const applyRate = 1000 / this.applyGapMs[to];
      let caughtUpMs = 0;
      let incomingRate = 0;
      for (let from = 0; from < this.count; from++) {
        if (perOrigin[from] === 0) continue;
        const rate = this.recentRate(from);
        incomingRate = Math.max(incomingRate, rate);
        caughtUpMs = Math.max(caughtUpMs, rate >= applyRate ? Infinity : (perOrigin[from] * 1000) / (applyRate - rate));
      }
      const shipMs = (shipped * core.workload.writeSizeBytes) / BACKLOG_BYTES_PER_MS;
      if (shipped > 0) core.note(now, core.topology.nodes[this.leaders[to]].name, { event: "catch-up", writes: shipped, shipMs, bytesPerSecond: BACKLOG_BYTES_PER_MS * 1000, applyMs, applyRate, incomingRate, caughtUpMs });
    }
    const surfaced = this.conflicts - before;
    if (surfaced > 0) {
      core.note(now, "cluster", { event: "conflicts-surface", conflicts: surfaced, policy: this.conflict });
    }
  }

  partitioned(now: number): void {
    this.keyOutages?.update(now);
  }

  actingLeaders(): number[] {
    return this.leaders.filter((n) => this.core.alive[n] === 1);
  }

  /** Whether write `id` reached a leader that still matters (or waits in a queue to one). */
  private held(id: number): boolean {
    for (let i = 0; i < this.count; i++) {
      if (!this.matters(i)) continue;
      if (this.arrival[id * this.count + i] < Infinity || this.queuedTo(i).has(id)) return true;
    }
    return false;
  }

  /**
   * The writes queued for leader `i`, as a set: held() asks once per write at the end of a run, and a scan of a
   * queue that holds every write (apply_rate 0, a long partition) per write would take writes² steps.
   */
  private queuedTo(i: number): Set<number> {
    if (this.queuedSets === null) this.queuedSets = this.backlog.map((list) => new Set(list));
    return this.queuedSets[i];
  }

  /**
   * An acknowledged write survived when it is in the history of what a leader that still matters ends up
   * holding for its key (under LWW, see decideLww), or otherwise when it reached a leader that matters (or
   * waits in a queue to one: a leader down but not lost for good ships it when it is back).
   */
  survived(id: number): boolean {
    if (this.conflict === "lww") return this.decideLww().lost[id] === 0;
    return this.held(id);
  }

  /**
   * Under `app`, the acknowledged writes kept as siblings for the application to merge: those on the losing side
   * of a conflict, which last-write-wins would have dropped (each key's losing line of versions, see decideLww).
   * Nothing is lost: the application sees them beside the winner. Under lww and crdt: none counted.
   */
  get siblings(): number | undefined {
    if (this.conflict !== "app") return undefined;
    const { lost } = this.decideLww();
    const log = this.core.log;
    let siblings = 0;
    for (let id = 0; id < log.count; id++) if (log.status[id] === ACKED && lost[id] === 1 && this.held(id)) siblings++;
    return siblings;
  }

  /**
   * When acknowledged write `id`, which did not survive, was lost: when the last write of its history was
   * dropped by LWW, or else when its leader, which it never left, was lost for good.
   */
  lostAtMs(id: number): number {
    if (this.conflict === "lww") return this.decideLww().lostAtMs[id];
    return this.core.lostAtMs[this.leaders[this.origin[id]]];
  }

  /**
   * Which writes last-write-wins loses, decided once the run is over. Each leader ends up holding, for a key,
   * the version with the latest timestamp it has received; that version's history is the chain of versions
   * each writer overwrote: the latest-timestamped version its own leader had when the write was made (a write
   * from another leader counts once it has arrived there). A write is lost when it is in no such chain of a
   * leader that still matters. So a write overwritten on its own leader by a later one that survives is not
   * lost (it is history, as on a single leader); a write whose whole line was beaten by a concurrent one is,
   * every version of that line. Counting every write that ever lost a comparison instead counted the first
   * (nearly twice as many in a partition: writes of the winning side lose comparisons too, until a later
   * write of theirs comes).
   */
  private decideLww(projected = false): { lost: Uint8Array; lostAtMs: Float64Array } {
    const cached = projected ? this.lwwProjected : this.lwwVerdict;
    if (cached !== null) return cached;
    const core = this.core;
    const log = core.log;
    const n = this.count;
    const total = log.count;
    const lost = new Uint8Array(total);
    const lostAtMs = new Float64Array(total).fill(NaN);
    const verdict = { lost, lostAtMs };
    if (projected) this.lwwProjected = verdict;
    else this.lwwVerdict = verdict;
    const ids: number[] = [];
    for (let id = 0; id < total; id++) if (Number.isFinite(log.appendMs[id])) ids.push(id);
    const later = (a: number, b: number) => this.later(a, b) === a;
    ids.sort((a, b) => log.key[a] - log.key[b] || log.appendMs[a] - log.appendMs[b] || a - b);
    const matters = this.leaders.map((node) => !(core.alive[node] !== 1 && core.lostForGood[node] === 1));
    // A write still queued for a leader when the run ends has not reached it: the conflicts it would meet there
    // are not resolved within the run, so nothing is lost to them yet. The projection lets them arrive.
    const queued = this.backlog.map((list) => new Set(projected ? list : []));
    /** When write y became part of leader L's state (its own leader: when it was made; Infinity: never). */
    const visibleAt = (y: number, L: number) => (this.origin[y] === L ? log.appendMs[y] : this.arrival[y * n + L]);
    const prev = new Map<number, number>();
    for (let start = 0; start < ids.length; ) {
      let end = start;
      while (end < ids.length && log.key[ids[end]] === log.key[ids[start]]) end++;
      const group = ids.slice(start, end);
      prev.clear();
      const heads: number[] = [];
      for (let L = 0; L < n; L++) {
        // The key's versions in the order they reached L, and the writes made on L in time order.
        const seen = group.filter((y) => visibleAt(y, L) < Infinity).sort((a, b) => visibleAt(a, L) - visibleAt(b, L) || log.appendMs[a] - log.appendMs[b] || a - b);
        let next = 0;
        let best = -1;
        for (const x of group) {
          if (this.origin[x] !== L) continue;
          let self = false;
          while (next < seen.length && visibleAt(seen[next], L) <= log.appendMs[x]) {
            const y = seen[next++];
            if (y === x) self = true;
            else if (best < 0 || later(y, best)) best = y;
          }
          prev.set(x, best);
          if (self && (best < 0 || later(x, best))) best = x;
        }
        if (!matters[L]) continue;
        for (; next < seen.length; next++) if (best < 0 || later(seen[next], best)) best = seen[next];
        for (const y of group) if (queued[L].has(y) && (best < 0 || later(y, best))) best = y;
        if (best >= 0) heads.push(best);
      }
      const kept = new Set<number>();
      for (const head of heads) for (let c = head; c >= 0 && !kept.has(c); c = prev.get(c) ?? -1) kept.add(c);
      // When each lost write was lost: when the last of the versions built on it was (a version nothing was built
      // on: when LWW dropped it, or when its leader was lost for good).
      const builtOnLostAt = new Map<number, number>();
      for (let k = group.length - 1; k >= 0; k--) {
        const x = group[k];
        if (kept.has(x)) continue;
        lost[x] = 1;
        const fromChildren = builtOnLostAt.get(x);
        const at = fromChildren !== undefined ? fromChildren : this.droppedByLww[x] ? this.lwwDroppedAtMs[x] : core.lostAtMs[this.leaders[this.origin[x]]];
        lostAtMs[x] = at;
        const parent = prev.get(x) ?? -1;
        if (parent >= 0 && !(builtOnLostAt.get(parent)! >= at)) builtOnLostAt.set(parent, at);
      }
      start = end;
    }
    return verdict;
  }

  /**
   * Under `lww`: the acknowledged writes the run keeps that last-write-wins would drop once every write still queued between leaders at the end of the run arrived (a partition, or a
   * leader down, that outlasts the run). Projected, not measured: the run ended before those conflicts met.
   */
  get projectedLost(): number | undefined {
    if (this.conflict !== "lww") return undefined;
    const log = this.core.log;
    const now = this.decideLww().lost;
    const then = this.decideLww(true).lost;
    let more = 0;
    for (let id = 0; id < log.count; id++) if (log.status[id] === ACKED && then[id] === 1 && now[id] === 0 && this.held(id)) more++;
    return more;
  }

  /**
   * Writes still queued between leaders that matter when the run ends (each destination's queue counted apart),
   * and what their conflicts would lose. Under home-region routing no key is written in two places: nothing to resolve.
   */
  pendingAtEnd(): { queued: number; projectedLost: number } | null {
    if (this.routing === "home-region") return null;
    let queued = 0;
    for (let to = 0; to < this.count; to++) {
      if (!this.matters(to)) continue;
      for (const id of this.backlog[to]) if (this.matters(this.origin[id])) queued++;
    }
    const projectedLost = queued === 0 ? 0 : (this.projectedLost ?? 0);
    return queued === 0 ? null : { queued, projectedLost };
  }

  private ensure(id: number): void {
    if (id < this.origin.length) return;
    let size = this.origin.length;
    while (size <= id) size *= 2;
    this.origin = grown(this.origin, size);
    this.stamp = grown(this.stamp, size);
    this.droppedByLww = grown(this.droppedByLww, size);
    this.lwwDroppedAtMs = grown(this.lwwDroppedAtMs, size);
    this.keySeq = grown(this.keySeq, size);
    this.epochOf = grown(this.epochOf, size);
    this.arrival = grown(this.arrival, size * this.count);
    this.history = grown(this.history, size * this.count);
    const met = new Int32Array(size * this.count).fill(-1);
    met.set(this.metOnApply);
    this.metOnApply = met;
  }
}
