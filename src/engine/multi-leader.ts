// The multi-leader shape: one leader per listed region, each committing writes
// locally and replicating them asynchronously to the others. Two writes to one
// key that neither leader had seen from the other are concurrent: `lww` keeps
// the later timestamp and silently drops the other (counted as lost), `crdt`
// merges them (nothing lost), `app` keeps both as siblings for the application
// to resolve. `routing: home-region` makes each key writable only in its home
// region (users partitioned by region), so concurrent writes cannot happen.
import type { ShapeFault } from "./core/state.js";
import { assertNever } from "../base/assert.js";
import type { CrashCause } from "./core/events.js";
import type { ResolvedFault } from "../model/types.js";
import { Core, EV, type Shape } from "./core.js";
import { fastSampler, type Sampler } from "../base/distributions.js";
import { ACKED } from "./write-log.js";
import { grown } from "../base/typed.js";
import { VersionStore } from "./version-store.js";

/** Throughput of the backlog a leader ships after a partition heals (bytes/ms): about 50 MB/s across regions. */
const BACKLOG_BYTES_PER_MS = 50 * 1024;

export class MultiLeader implements Shape {
  readonly leaderNode = -1;
  /** Leader node per leader region, in the order of replication.leaders. */
  private readonly leaders: number[];
  private readonly leaderIndexOf: Int16Array;
  private readonly routing: "home-region" | "any";
  private readonly conflict: "lww" | "crdt" | "app";
  private readonly store: VersionStore;
  private readonly fsync: Sampler;
  /** Per write: origin leader index, and its arrival time at each leader (Infinity: not yet / never). */
  private origin = new Int8Array(1024);
  private arrival: Float64Array;
  /** Whether a write lost an LWW comparison at some leader during the run (a read of it is not stale but gone). */
  private droppedByLww = new Uint8Array(1024);
  /** When LWW first dropped each write: the moment a leader applied the concurrent write that beat it. */
  private lwwDroppedAtMs = new Float64Array(1024);
  /** LWW's final verdict, decided once when the run is measured (see decideLww): lost, and since when. */
  private lwwVerdict: { lost: Uint8Array; lostAtMs: Float64Array } | null = null;
  private counted = new Uint8Array(1024);
  /** Writes waiting for a partition between two leaders to heal, per destination leader. */
  private readonly backlog: number[][];
  /** Last arrival time per (from, to) leader link, to keep each link in order. */
  private readonly linkLast: Float64Array;
  conflicts = 0;
  private conflictNoted = false;

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
    this.backlog = this.leaders.map(() => []);
    this.linkLast = new Float64Array(this.leaders.length * this.leaders.length);
    this.arrival = new Float64Array(1024 * this.leaders.length);
  }

  start(): void {
    for (let c = 0; c < this.core.conn.length; c++) this.core.conn[c] = this.coordinatorFor(c, 0);
  }

  private get count(): number {
    return this.leaders.length;
  }

  /** The leader region a client lives in or is nearest to. */
  private homeOf(client: number): number {
    const core = this.core;
    const place = core.clientPlace[client];
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

  /** Clients write to their home region's leader, or the nearest one that is up. */
  coordinatorFor(client: number, now: number): number {
    void now;
    const core = this.core;
    const place = core.clientPlace[client];
    const home = this.leaders[this.homeOf(client)];
    if (core.alive[home] === 1 && core.network.reachable(place, home)) return home;
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
    for (let to = 0; to < this.count; to++) this.arrival[id * this.count + to] = to === from ? flush : Infinity;
    this.applyAt(from, key, id, flush);
    for (let to = 0; to < this.count; to++) if (to !== from) this.ship(id, from, to, flush);
    const ackAt = flush + core.network.latency(node, core.clientPlace[log.client[id]]);
    const deadline = log.sendMs[id] + core.workload.timeoutMs;
    core.queue.push(Math.min(ackAt, deadline), ackAt <= deadline ? EV.WRITE_ACK : EV.WRITE_TIMEOUT, id, ++log.version[id]);
  }

  /** Asynchronous replication of one write to another leader (queued while they are partitioned). */
  private ship(id: number, from: number, to: number, departure: number): void {
    const core = this.core;
    const a = this.leaders[from];
    const b = this.leaders[to];
    if (core.alive[b] !== 1 || !core.network.reachable(a, b)) {
      this.backlog[to].push(id);
      return;
    }
    const link = from * this.count + to;
    const arrive = Math.max(departure + core.network.streamLatency(a, b, departure), this.linkLast[link]);
    this.linkLast[link] = arrive;
    this.arrival[id * this.count + to] = arrive;
    this.applyAt(to, core.log.key[id], id, arrive);
  }

  /** Applies a write on a leader, resolving a conflict with the version it holds. */
  private applyAt(leader: number, key: number, id: number, at: number): void {
    const current = this.store.latest(leader, key);
    if (current < 0 || current === id) {
      this.store.set(leader, key, id, at);
      return;
    }
    const concurrent = this.origin[current] !== this.origin[id] && this.arrival[current * this.count + this.origin[id]] > this.core.log.appendMs[id] && this.arrival[id * this.count + this.origin[current]] > this.core.log.appendMs[current];
    const newer = this.core.log.appendMs[id] > this.core.log.appendMs[current] || (this.core.log.appendMs[id] === this.core.log.appendMs[current] && id > current);
    if (concurrent) this.noteConflict(current, id, at);
    if (newer) this.store.set(leader, key, id, at);
    else if (concurrent && this.conflict === "lww") this.dropByLww(id, at);
    if (concurrent && newer && this.conflict === "lww") this.dropByLww(current, at);
  }

  /** LWW drops write `id` at `at` (the earliest leader to resolve the conflict decides its loss). */
  private dropByLww(id: number, at: number): void {
    this.lwwDroppedAtMs[id] = this.droppedByLww[id] ? Math.min(this.lwwDroppedAtMs[id], at) : at;
    this.droppedByLww[id] = 1;
  }

  private noteConflict(a: number, b: number, at: number): void {
    const pair = Math.min(a, b);
    if (this.counted[pair]) return;
    this.counted[pair] = 1;
    this.conflicts++;
    if (!this.conflictNoted) {
      this.conflictNoted = true;
      this.core.note(at, "cluster", { event: "conflict", policy: this.conflict });
    }
  }

  ackStillValid(id: number): boolean {
    return this.core.alive[this.core.log.node[id]] === 1;
  }

  read(client: number, cls: number, key: number, now: number): boolean {
    const core = this.core;
    const node = core.conn[client];
    const place = core.clientPlace[client];
    if (node < 0 || !this.acceptsWrites(node) || !core.network.reachable(place, node)) return false;
    const routed = this.routeKey(key, client);
    const arrive = now + core.network.latency(place, node);
    const version = this.store.get(this.leaderIndexOf[node], routed, arrive);
    const latest = core.lastAckedWrite(routed);
    if (latest >= 0 && !this.droppedByLww[latest] && latest !== version && (version < 0 || core.log.appendMs[version] < core.log.appendMs[latest])) core.classes[cls].staleReads++;
    core.readOutcome(cls, client, now, arrive + core.network.latency(node, place), true);
    return true;
  }

  handle(kind: number, a: number, b: number, now: number): void {
    void kind;
    void a;
    void b;
    void now;
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
        core.note(now, f.node, { event: "recover", as: "multi-leader" });
        this.flushBacklogs(now);
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
    if (n < 0 || core.alive[n] !== 1) return;
    core.alive[n] = 0;
    core.note(now, core.topology.nodes[n].name, { event: "crash", cause: why });
    const from = this.leaderIndexOf[n];
    if (from < 0) return;
    // Writes it had not yet shipped die with it: they never reach the other leaders.
    const log = core.log;
    let unshipped = 0;
    for (let id = log.count - 1; id >= 0 && !(log.appendMs[id] < now - 600_000); id--) {
      if (log.node[id] !== n || this.origin[id] !== from) continue;
      let cut = false;
      for (let to = 0; to < this.count; to++) {
        if (to === from || this.arrival[id * this.count + to] <= now) continue;
        this.store.revert(to, log.key[id], id);
        this.arrival[id * this.count + to] = Infinity;
        cut = true;
      }
      if (cut && log.status[id] === ACKED) unshipped++;
    }
    for (const list of this.backlog) for (let i = list.length - 1; i >= 0; i--) if (this.origin[list[i]] === from) list.splice(i, 1);
    if (unshipped > 0) core.note(now, core.topology.nodes[n].name, { event: "unreplicated", writes: unshipped });
    core.failPending(n, now);
  }

  healed(now: number): void {
    this.flushBacklogs(now);
  }

  /** Ships every queued write whose destination is reachable again, at the backlog's throughput. */
  private flushBacklogs(now: number): void {
    const core = this.core;
    const before = this.conflicts;
    for (let to = 0; to < this.count; to++) {
      const list = this.backlog[to];
      if (list.length === 0 || core.alive[this.leaders[to]] !== 1) continue;
      const keep: number[] = [];
      let shipped = 0;
      for (const id of list) {
        const from = this.origin[id];
        if (core.alive[this.leaders[from]] !== 1 || !core.network.reachable(this.leaders[from], this.leaders[to])) {
          keep.push(id);
          continue;
        }
        shipped++;
        this.ship(id, from, to, now + (shipped * core.workload.writeSizeBytes) / BACKLOG_BYTES_PER_MS);
      }
      this.backlog[to] = keep;
      if (shipped > 0) core.note(now, core.topology.nodes[this.leaders[to]].name, { event: "catch-up", writes: shipped, shipMs: (shipped * core.workload.writeSizeBytes) / BACKLOG_BYTES_PER_MS });
    }
    const surfaced = this.conflicts - before;
    if (surfaced > 0) {
      core.note(now, "cluster", { event: "conflicts-surface", writes: surfaced, policy: this.conflict });
    }
  }

  partitioned(now: number): void {
    void now;
  }

  actingLeaders(): number[] {
    return this.leaders.filter((n) => this.core.alive[n] === 1);
  }

  /**
   * An acknowledged write survived when it is in the history of what a leader that still matters ends up
   * holding for its key (under LWW, see decideLww), or otherwise when it left its leader, or its leader is not
   * gone for good.
   */
  survived(id: number): boolean {
    if (this.conflict === "lww") return this.decideLww().lost[id] === 0;
    const core = this.core;
    for (let i = 0; i < this.count; i++) {
      if (core.alive[this.leaders[i]] !== 1 && core.lostForGood[this.leaders[i]] === 1) continue;
      if (this.arrival[id * this.count + i] < Infinity || this.backlog[i].includes(id)) return true;
    }
    return false;
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
  private decideLww(): { lost: Uint8Array; lostAtMs: Float64Array } {
    if (this.lwwVerdict !== null) return this.lwwVerdict;
    const core = this.core;
    const log = core.log;
    const n = this.count;
    const total = log.count;
    const lost = new Uint8Array(total);
    const lostAtMs = new Float64Array(total).fill(NaN);
    this.lwwVerdict = { lost, lostAtMs };
    const ids: number[] = [];
    for (let id = 0; id < total; id++) if (Number.isFinite(log.appendMs[id])) ids.push(id);
    const later = (a: number, b: number) => log.appendMs[a] > log.appendMs[b] || (log.appendMs[a] === log.appendMs[b] && a > b);
    ids.sort((a, b) => log.key[a] - log.key[b] || log.appendMs[a] - log.appendMs[b] || a - b);
    const matters = this.leaders.map((node) => !(core.alive[node] !== 1 && core.lostForGood[node] === 1));
    const queued = this.backlog.map((list) => new Set(list));
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
    return this.lwwVerdict;
  }

  private ensure(id: number): void {
    if (id < this.origin.length) return;
    let size = this.origin.length;
    while (size <= id) size *= 2;
    this.origin = grown(this.origin, size);
    this.droppedByLww = grown(this.droppedByLww, size);
    this.lwwDroppedAtMs = grown(this.lwwDroppedAtMs, size);
    this.counted = grown(this.counted, size);
    this.arrival = grown(this.arrival, size * this.count);
  }
}
