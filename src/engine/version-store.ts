// Per node, the latest version (write id) of each key, and the one before it:
// a write in flight becomes visible only from its apply time, so a read that
// arrives earlier still sees the previous version. Dense typed arrays for
// small key spaces, maps beyond.
/** The latest version of each key on each node, with the one before it (a write in flight is visible only from its apply time). */
export class VersionStore {
  private readonly dense: { ver: Int32Array; prev: Int32Array; at: Float64Array } | null;
  private readonly sparse: Map<number, { ver: number; prev: number; at: number }>[] | null;

  constructor(
    private readonly nodes: number,
    private readonly keys: number,
  ) {
    if (nodes * keys <= 8_000_000) {
      this.dense = { ver: new Int32Array(nodes * keys).fill(-1), prev: new Int32Array(nodes * keys).fill(-1), at: new Float64Array(nodes * keys) };
      this.sparse = null;
    } else {
      this.dense = null;
      this.sparse = Array.from({ length: nodes }, () => new Map());
    }
  }

  /** The version node holds for key at time t (−1: none). */
  get(node: number, key: number, t: number): number {
    if (this.dense) {
      const i = node * this.keys + key;
      return this.dense.at[i] <= t ? this.dense.ver[i] : this.dense.prev[i];
    }
    const entry = this.sparse![node].get(key);
    return entry === undefined ? -1 : entry.at <= t ? entry.ver : entry.prev;
  }

  /** The newest version node will hold (including one still being applied). */
  latest(node: number, key: number): number {
    if (this.dense) return this.dense.ver[node * this.keys + key];
    return this.sparse![node].get(key)?.ver ?? -1;
  }

  set(node: number, key: number, id: number, at: number): void {
    if (this.dense) {
      const i = node * this.keys + key;
      this.dense.prev[i] = this.dense.at[i] <= at ? this.dense.ver[i] : this.dense.prev[i];
      this.dense.ver[i] = id;
      this.dense.at[i] = at;
      return;
    }
    const map = this.sparse![node];
    const entry = map.get(key);
    if (entry === undefined) map.set(key, { ver: id, prev: -1, at });
    else {
      entry.prev = entry.at <= at ? entry.ver : entry.prev;
      entry.ver = id;
      entry.at = at;
    }
  }

  /** A host crash before `at` means the newest version never landed. */
  revert(node: number, key: number, id: number): void {
    if (this.dense) {
      const i = node * this.keys + key;
      if (this.dense.ver[i] === id) {
        this.dense.ver[i] = this.dense.prev[i];
        this.dense.at[i] = 0;
      }
      return;
    }
    const entry = this.sparse![node].get(key);
    if (entry && entry.ver === id) {
      entry.ver = entry.prev;
      entry.at = 0;
    }
  }

  get nodeCount(): number {
    return this.nodes;
  }
}

