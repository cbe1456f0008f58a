// The consistent-hash ring of a leaderless (Dynamo-style) cluster: each node
// owns `vnodes` tokens; a key's preference list is the first N distinct nodes
// clockwise from the key's hash. Rack-aware placement (Cassandra's
// NetworkTopologyStrategy, racks being zones) walks the same way but takes a
// node only if its rack holds none of the key's replicas yet, setting the
// others aside; once every rack has one (or the ring is walked), the nodes set
// aside fill the rest in ring order, then the walk goes on. So with N zones or
// more, losing one zone costs every key at most one replica.

/** FNV-1a over a string, then a murmur3 finaliser for avalanche. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h);
}

export function hashInt(value: number): number {
  return mix(Math.imul(value ^ 0x5bd1e995, 0x9e3779b1));
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Ring {
  private readonly tokens: Uint32Array;
  private readonly owners: Int16Array;
  /** Cached natural preference lists (n per key) for small key spaces; −2 = not computed yet. */
  private readonly cache: Int16Array | null;

  /** Per node, its rack (zone) under rack-aware placement; null: plain ring order. */
  private readonly racks: Int16Array | null;
  private readonly rackCount: number;
  /** Scratch for a rack-aware walk: the nodes set aside, and which racks are used. */
  private readonly skipped: Int16Array;
  private readonly rackUsed: Uint8Array;

  constructor(
    nodeNames: string[],
    vnodes: number,
    readonly n: number,
    keys: number,
    racks: readonly number[] | null = null,
  ) {
    this.racks = racks === null ? null : Int16Array.from(racks);
    this.rackCount = racks === null ? 0 : new Set(racks).size;
    this.skipped = new Int16Array(nodeNames.length);
    this.rackUsed = new Uint8Array(racks === null ? 0 : Math.max(0, ...racks) + 1);
    const entries: { token: number; node: number }[] = [];
    nodeNames.forEach((name, node) => {
      for (let v = 0; v < vnodes; v++) entries.push({ token: hashString(`${name}#${v}`), node });
    });
    entries.sort((a, b) => a.token - b.token || a.node - b.node);
    this.tokens = new Uint32Array(entries.map((e) => e.token));
    this.owners = new Int16Array(entries.map((e) => e.node));
    this.cache = keys * n <= 8_000_000 ? new Int16Array(keys * n).fill(-2) : null;
  }

  /** How many tokens (virtual nodes) the ring has: a key's range is the one of the token its walk starts at. */
  get tokenCount(): number {
    return this.tokens.length;
  }

  /** The token whose range holds `key`: its ring walk starts there. */
  tokenOf(key: number): number {
    return this.start(key);
  }

  /**
   * The natural replicas of each token's range, written into `out` (tokenCount × n, range by range): the first
   * n distinct nodes clockwise from the token, as `preference` gives them for a key in that range.
   */
  rangeReplicas(out: Int16Array): void {
    const total = this.tokens.length;
    const n = this.n;
    const one = new Int16Array(n);
    for (let t = 0; t < total; t++) {
      const found = this.natural(t, one);
      for (let j = 0; j < n; j++) out[t * n + j] = j < found ? one[j] : -1;
    }
  }

  /** The natural replicas of the range starting at token index `t`, written into `out` (length n); returns how many. */
  private natural(t: number, out: Int16Array): number {
    const total = this.tokens.length;
    const n = this.n;
    const racks = this.racks;
    let found = 0;
    if (racks === null) {
      for (let step = 0, i = t; step < total && found < n; step++, i = (i + 1) % total) {
        const node = this.owners[i];
        if (!this.holds(out, found, node)) out[found++] = node;
      }
      return found;
    }
    // NetworkTopologyStrategy: distinct racks first; a node of a rack already used waits until every rack has one.
    const used = this.rackUsed;
    used.fill(0);
    const skipped = this.skipped;
    let racksUsed = 0;
    let skippedCount = 0;
    for (let step = 0, i = t; step < total && found < n; step++, i = (i + 1) % total) {
      const node = this.owners[i];
      if (this.holds(out, found, node) || this.holds(skipped, skippedCount, node)) continue;
      if (racksUsed < this.rackCount && used[racks[node]] === 1) {
        skipped[skippedCount++] = node;
        continue;
      }
      if (used[racks[node]] === 0) {
        used[racks[node]] = 1;
        racksUsed++;
      }
      out[found++] = node;
      if (racksUsed === this.rackCount) {
        // Every rack has a replica: the nodes set aside come next, in ring order.
        for (let k = 0; k < skippedCount && found < n; k++) out[found++] = skipped[k];
        skippedCount = 0;
      }
    }
    return found;
  }

  private holds(list: Int16Array, count: number, node: number): boolean {
    for (let j = 0; j < count; j++) if (list[j] === node) return true;
    return false;
  }

  private start(key: number): number {
    const h = hashInt(key);
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return lo % this.tokens.length;
  }

  /** The key's N natural replicas, written into `out` (length n). */
  preference(key: number, out: Int16Array): void {
    const cache = this.cache;
    if (cache !== null && cache[key * this.n] !== -2) {
      for (let i = 0; i < this.n; i++) out[i] = cache[key * this.n + i];
      return;
    }
    this.natural(this.start(key), out);
    if (cache !== null) for (let i = 0; i < this.n; i++) cache[key * this.n + i] = out[i];
  }

  /**
   * Walks clockwise from the key, writing up to `count` distinct nodes that
   * pass `accept` into `out`; returns how many were found.
   */
  walk(key: number, out: Int16Array, count: number, accept: (node: number) => boolean): number {
    let found = 0;
    const total = this.tokens.length;
    let i = this.start(key);
    for (let step = 0; step < total && found < count; step++, i = (i + 1) % total) {
      const node = this.owners[i];
      let seen = false;
      for (let j = 0; j < found; j++) if (out[j] === node) seen = true;
      if (seen || !accept(node)) continue;
      out[found++] = node;
    }
    return found;
  }
}
