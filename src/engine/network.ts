// The simulated network. Places are nodes (0..N-1) followed by every zone of
// the topology (where clients and the coordinator live). A message between two
// places takes a latency sampled from their link class (same zone, cross-zone,
// cross-region) plus any injected delay; partitions and lost zones cut places
// off. Every replication shape uses this one network.
import type { ResolvedTopology } from "../model/types.js";
import { fastSampler, type Sampler } from "./distributions.js";
import type { Rng } from "./rng.js";

const SAME_ZONE = 0;
const CROSS_ZONE = 1;
const CROSS_REGION = 2;
const TABLE_BITS = 13;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

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

  /** One-way latency of a message from `a` to `b`, in ms. */
  latency(a: number, b: number): number {
    // One random integer indexes the link class's quantile table.
    let ms = this.tables[(this.linkClass[a * this.placeCount + b] << TABLE_BITS) | (this.rng.nextUint32() & TABLE_MASK)];
    if (this.added.length !== 0) {
      for (const extra of this.added) {
        if ((extra.a.has(a) && extra.b.has(b)) || (extra.a.has(b) && extra.b.has(a))) ms += extra.addMs;
      }
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
