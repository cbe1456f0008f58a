// The simulated network. Places are nodes (0..N-1) followed by every zone of
// the topology (where clients and the coordinator live). A message between two
// places takes a latency from their link class (same zone, cross-zone,
// cross-region) plus any injected delay; partitions and lost zones cut places
// off. Every replication shape uses this one network.
//
// Two kinds of messages, two kinds of draws. Independent request/response
// messages (a client's write, a quorum read) take an independent draw each
// (`latency`). The messages of one long-lived FIFO stream (WAL to a replica
// and its acks, replication between leaders) take `streamLatency`: the delay
// of a path is a process in time, not a fresh coin per message. With fresh
// coins a FIFO stream's delivery time is a running maximum of independent
// draws, which drifts towards the link's tail as the message rate rises
// (issue 11: a 40 ms standby committed at 90 ms at 20 w/s and 158 ms at
// 2,000 w/s). A correlated delay moves by little between close messages, so
// FIFO order costs almost nothing and the per-message delay follows the
// configured distribution at any rate.
import type { ResolvedTopology } from "../model/types.js";
import { fastSampler, normalQuantiles, normalSlice, TABLE_SIZE, unitNormalDraws, type Sampler } from "../base/distributions.js";
import type { Rng } from "../base/rng.js";

const SAME_ZONE = 0;
const CROSS_ZONE = 1;
const CROSS_REGION = 2;
const TABLE_BITS = 13;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
if (TABLE_SIZE !== 1 << TABLE_BITS) throw new Error("assertion: quantile tables have 2^TABLE_BITS entries");

/**
 * Correlation time τ of a path's delay process, in ms. Queueing and jitter on
 * a network path (router queues filling and draining, competing flows,
 * retransmits) change over tens to hundreds of milliseconds, while routes
 * change over minutes; 300 ms sits in that band. τ also sets what FIFO order
 * still adds: a log-normal delay d moves by about d·σ·sqrt(2Δ/τ) in Δ ms, so
 * holding a message behind a slower predecessor adds at most about (d·σ)²/τ.
 * Measured on a 40 ms / 80 ms link at 2,000 messages/s: +0.5 % at the median
 * and +1.5 % at the p99 with τ = 300 ms (+6 % and +8 % with τ = 50 ms). A
 * longer τ would shave that further but leaves fewer independent stretches in
 * a run, so a short run's p99 would rest on a handful of them.
 */
const STREAM_TAU_MS = 300;
/** Past this gap the process has forgotten its last value (e^−10 ≈ 5e-5): a fresh draw from the marginal. */
const STREAM_FRESH_AFTER_MS = 10 * STREAM_TAU_MS;
/** Below this Δ/τ, e^−x by its Taylor polynomial to x³ (relative error under x⁴/24 ≈ 4e-8). */
const SMALL_STEP = 1 / 32;

interface Partition {
  id: number;
  /** Side of each place, or -1 when the place is on no side (it reaches everyone). */
  sideOf: Int8Array;
}

interface AddedLatency {
  id: number;
  a: Set<number>;
  b: Set<number>;
  addMs: number;
}

export class Network {
  readonly placeCount: number;
  readonly nodeCount: number;
  /** Zone names, indexed by place − nodeCount. */
  readonly zones: string[];
  private readonly zoneOfPlace: string[];
  private readonly regionOfPlace: string[];
  private readonly linkClass: Uint8Array;
  private readonly samplers: Sampler[];
  /** The three link classes' quantile tables, back to back. */
  private readonly tables: Float64Array;
  private partitions: Partition[] = [];
  private added: AddedLatency[] = [];
  /** Places cut off by a lost zone or region. */
  private readonly lost: Uint8Array;
  private nextId = 1;
  /** Per directed pair (a·placeCount + b): the stream delay process in standard-normal space, and when it was last sampled (NaN: never). */
  private readonly streamZ: Float64Array;
  private readonly streamAt: Float64Array;
  /** Per directed pair: the table slice of streamZ (what a departure at or before streamAt reuses). */
  private readonly streamSlice: Int32Array;
  /** The standard normal's tables (base/distributions), held here for the hot path. */
  private readonly normalQuantiles = normalQuantiles();
  private readonly unitNormalDraws = unitNormalDraws();
  /** Zone and region of each place as small integers, for comparisons in the hot loop. */
  readonly zoneIndex: Int32Array;
  readonly regionIndex: Int32Array;
  /** From each place to each node: 0 same zone, 1 same region, 2 another region. */
  readonly distance: Uint8Array;

  constructor(
    topology: ResolvedTopology,
    private readonly rng: Rng,
  ) {
    this.nodeCount = topology.nodes.length;
    this.zones = Object.entries(topology.regions).flatMap(([region, zs]) => zs.map((z) => `${region}/${z}`));
    this.zoneOfPlace = [...topology.nodes.map((n) => n.zone), ...this.zones];
    this.regionOfPlace = this.zoneOfPlace.map((z) => z.split("/")[0]);
    this.placeCount = this.zoneOfPlace.length;
    this.linkClass = new Uint8Array(this.placeCount * this.placeCount);
    for (let i = 0; i < this.placeCount; i++) {
      for (let j = 0; j < this.placeCount; j++) {
        this.linkClass[i * this.placeCount + j] =
          this.zoneOfPlace[i] === this.zoneOfPlace[j] ? SAME_ZONE : this.regionOfPlace[i] === this.regionOfPlace[j] ? CROSS_ZONE : CROSS_REGION;
      }
    }
    this.samplers = [fastSampler(topology.network.sameZone), fastSampler(topology.network.crossZone), fastSampler(topology.network.crossRegion)];
    this.tables = new Float64Array(3 << TABLE_BITS);
    this.samplers.forEach((s, i) => {
      if (!s.table || s.table.length !== 1 << TABLE_BITS) throw new Error("assertion: link samplers are tabulated");
      this.tables.set(s.table, i << TABLE_BITS);
    });
    this.zoneIndex = new Int32Array(this.zoneOfPlace.map((z) => this.zones.indexOf(z)));
    const regions = [...new Set(this.regionOfPlace)];
    this.regionIndex = new Int32Array(this.regionOfPlace.map((r) => regions.indexOf(r)));
    this.distance = new Uint8Array(this.placeCount * this.nodeCount);
    for (let p = 0; p < this.placeCount; p++) {
      for (let n = 0; n < this.nodeCount; n++) {
        this.distance[p * this.nodeCount + n] = this.zoneIndex[p] === this.zoneIndex[n] ? 0 : this.regionIndex[p] === this.regionIndex[n] ? 1 : 2;
      }
    }
    this.lost = new Uint8Array(this.placeCount);
    this.streamZ = new Float64Array(this.placeCount * this.placeCount);
    this.streamAt = new Float64Array(this.placeCount * this.placeCount).fill(NaN);
    this.streamSlice = new Int32Array(this.placeCount * this.placeCount);
  }

  zonePlace(zone: string): number {
    const index = this.zones.indexOf(zone);
    if (index < 0) throw new Error(`assertion: unknown zone ${zone}`);
    return this.nodeCount + index;
  }

  zoneOf(place: number): string {
    return this.zoneOfPlace[place];
  }

  regionOf(place: number): string {
    return this.regionOfPlace[place];
  }

  /** One-way latency of an independent message from `a` to `b`, in ms: a fresh draw from the link class. */
  latency(a: number, b: number): number {
    // One random integer indexes the link class's quantile table.
    const ms = this.tables[(this.linkClass[a * this.placeCount + b] << TABLE_BITS) | (this.rng.nextUint32() & TABLE_MASK)];
    return this.added.length === 0 ? ms : ms + this.addedBetween(a, b);
  }

  /**
   * The shortest one-way latency a message from `a` to `b` can have now (the link class's lowest quantile, plus any
   * injected latency): how long news takes at the least. No random draw.
   */
  minLatency(a: number, b: number): number {
    const ms = this.tables[this.linkClass[a * this.placeCount + b] << TABLE_BITS];
    return this.added.length === 0 ? ms : ms + this.addedBetween(a, b);
  }

  /**
   * One-way latency, in ms, of a stream message from `a` to `b` departing at
   * `departMs`: the value at that time of the directed path's delay process.
   * The process is an Ornstein–Uhlenbeck z(t) in standard-normal space with
   * correlation time STREAM_TAU_MS, advanced lazily from its last sample,
   *   z' = z·e^(−Δ/τ) + sqrt(1 − e^(−2Δ/τ))·ε,  ε ~ N(0, 1),
   * and mapped to the link class's quantile table at slice floor(Φ(z)·8192).
   * The step keeps z standard normal (ε has unit variance), so each
   * message's delay has the link class's distribution (the one `latency`
   * draws from); only neighbours in time are correlated. A path's first
   * message, or one after a long silence, takes a fresh draw from that
   * distribution. Departures at or before the last sample reuse its value.
   * Injected latency (the `latency` fault) adds on top. Deterministic: every
   * draw comes from the network's Rng. Hot path: one random integer, no
   * allocation, no exp for steps short against τ, a table for Φ (Math.sqrt
   * is one machine instruction).
   */
  streamLatency(a: number, b: number, departMs: number): number {
    const pair = a * this.placeCount + b;
    const dt = departMs - this.streamAt[pair];
    let z: number;
    let slice: number;
    if (!(dt < STREAM_FRESH_AFTER_MS)) {
      // First message on the path (NaN) or a long gap: a draw from the marginal, as `latency` makes.
      slice = this.rng.nextUint32() & TABLE_MASK;
      z = this.normalQuantiles[slice];
      this.streamZ[pair] = z;
      this.streamAt[pair] = departMs;
    } else if (dt > 0) {
      const x = dt / STREAM_TAU_MS;
      const decay = x < SMALL_STEP ? 1 - x * (1 - x * (0.5 - x / 6)) : Math.exp(-x);
      z = this.streamZ[pair] * decay + Math.sqrt(1 - decay * decay) * this.unitNormalDraws[this.rng.nextUint32() & TABLE_MASK];
      this.streamZ[pair] = z;
      this.streamAt[pair] = departMs;
      slice = normalSlice(z);
    } else {
      // At or before the last sample: its value again.
      slice = this.streamSlice[pair];
    }
    this.streamSlice[pair] = slice;
    const ms = this.tables[(this.linkClass[pair] << TABLE_BITS) | slice];
    return this.added.length === 0 ? ms : ms + this.addedBetween(a, b);
  }

  /** Injected latency between two places (either direction), in ms. */
  addedBetween(a: number, b: number): number {
    if (this.added.length === 0) return 0;
    let ms = 0;
    for (const extra of this.added) {
      if ((extra.a.has(a) && extra.b.has(b)) || (extra.a.has(b) && extra.b.has(a))) ms += extra.addMs;
    }
    return ms;
  }

  /** Median one-way latency between two places (no sampling), for estimates. */
  medianLatency(a: number, b: number): number {
    return this.samplers[this.linkClass[a * this.placeCount + b]].median;
  }

  reachable(a: number, b: number): boolean {
    if (this.lost[a] === 1 || this.lost[b] === 1) return false;
    if (this.partitions.length === 0) return true;
    for (const p of this.partitions) {
      const sa = p.sideOf[a];
      const sb = p.sideOf[b];
      if (sa >= 0 && sb >= 0 && sa !== sb) return false;
    }
    return true;
  }

  get partitioned(): boolean {
    return this.partitions.length > 0;
  }

  /** Starts a partition; sides list nodes and the zones they cover. Returns its id. */
  partition(sideNodes: number[][], sideZones: string[][]): number {
    const sideOf = new Int8Array(this.placeCount).fill(-1);
    sideNodes.forEach((nodes, side) => nodes.forEach((n) => (sideOf[n] = side)));
    sideZones.forEach((zones, side) => zones.forEach((z) => (sideOf[this.zonePlace(z)] = side)));
    const id = this.nextId++;
    this.partitions.push({ id, sideOf });
    return id;
  }

  heal(id?: number): void {
    this.partitions = id === undefined ? [] : this.partitions.filter((p) => p.id !== id);
  }

  addLatency(a: number[], b: number[], addMs: number): number {
    const id = this.nextId++;
    this.added.push({ id, a: new Set(a), b: new Set(b), addMs });
    return id;
  }

  removeLatency(id: number): void {
    this.added = this.added.filter((x) => x.id !== id);
  }

  loseZones(zones: string[], nodes: number[], lost: boolean): void {
    for (const z of zones) this.lost[this.zonePlace(z)] = lost ? 1 : 0;
    for (const n of nodes) this.lost[n] = lost ? 1 : 0;
  }

  isLost(place: number): boolean {
    return this.lost[place] === 1;
  }
}
